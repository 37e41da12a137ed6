#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A real Prometheus (Debian's) scrapes a collector of the lab target found
# through a file_sd file, at 1 s, and evaluates configs/prometheus's alert
# rules: the collector is up, its series arrive with the file's labels,
# and the leaking lab target's leak alert is pending.
test_description='leaky collect --listen scraped by Prometheus'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

if ! command -v prometheus >/dev/null; then
	say "prometheus not found (make deps installs Debian's)" >&2
	exit 1
fi
need_lab || exit 1
start_lab lab -scenario leak -rate 1 || exit 1
ADDR=$(head -1 lab.addr)
I=$(slow 1)s

"$LEAKY" collect -t lab=http://$ADDR,gc -i $I -q -o out \
	-d "$(slow 60)s" --listen 127.0.0.1:0 2>err &
echo $! >>"$SERVERS"
wait_until 10 grep -qs "listening on" err || exit 1
URL=$(sed -n 's/^leaky collect: listening on //p' err)
HOSTPORT=${URL#http://}
HOSTPORT=${HOSTPORT%/metrics}

# The file_sd file in the example's form, naming this collector.
sed "s|collector-3.example.internal:9477|$HOSTPORT|" \
	"$ROOT/configs/prometheus/leaky-collectors.json" >sd.json || exit 1
cp "$ROOT/configs/prometheus/leaky-rules.yml" . || exit 1
cat >prometheus.yml <<EOF || exit 1
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - leaky-rules.yml
scrape_configs:
  - job_name: leaky-collector-sd
    file_sd_configs:
      - files: ['$PWD/sd.json']
EOF

# Prometheus on a free loopback port (port 0, read back from its log), its
# data in the scratch directory, killed by the trap.
prometheus --config.file=prometheus.yml --storage.tsdb.path="$PWD/data" \
	--web.listen-address=127.0.0.1:0 >prom.log 2>&1 &
PROM_PID=$!
echo $PROM_PID >>"$SERVERS"
# Its life is bounded as the lab's is, should the trap never run.
(sleep "$(slow 90)"; kill $PROM_PID 2>/dev/null) >/dev/null 2>&1 &
echo $! >>"$SERVERS"

# prom_addr: the address prometheus bound, as its log says it.
prom_addr() {
	sed -n 's/.*msg="Listening on" address=\(127\.0\.0\.1:[0-9]*\).*/\1/p' \
		prom.log | head -1
}
have_addr() {
	P=$(prom_addr) && [ -n "$P" ]
}
wait_until 20 have_addr || { cat prom.log; exit 1; }
PROM=http://$(prom_addr)

# query PROMQL: the instant query's JSON answer into q.json.
query() {
	curl -sS --max-time 5 -o q.json "$PROM/api/v1/query" \
		--data-urlencode "query=$1"
}

# nonempty PROMQL: the query has at least one sample.
nonempty() {
	query "$1" && grep -q '"result":\[{' q.json
}

test_expect_success 'Prometheus finds the collector through file_sd, up' '
	wait_until 30 nonempty "up{job=\"leaky-collector-sd\",env=\"staging\",team=\"payments\"} == 1"
'

test_expect_success 'the lab target series arrive with the file labels' '
	wait_until 30 nonempty "leaky_target_goroutines{target=\"lab\",env=\"staging\"} > 0" &&
	wait_until 30 nonempty "leaky_target_heap_inuse_bytes{target=\"lab\"} > 0" &&
	wait_until 30 nonempty "increase(leaky_collector_rounds_total[1m]) > 0"
'

test_expect_success 'the rules: the leak alert is pending for the lab target' '
	wait_until 40 nonempty "ALERTS{alertname=\"LeakyLeak\",target=\"lab\",alertstate=\"pending\"}" &&
	grep -q "\"suspect\":\"main.(\*cache).put\"" q.json
'

test_done

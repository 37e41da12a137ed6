#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench, leaky report --prometheus: a fleet of N instances (1,000) x
# the 5 metrics x 24 h at 60 s, backfilled into a scratch Prometheus with
# promtool, scanned by leaky and fetched by curl with the same queries
# (the transfer floor); the ratio is printed. Figures, never assertions.
# One instance in ten leaks slowly, so that the report has work to show.
#
# usage: sh scripts/bench-report-prometheus.sh [LEAKY]
# BENCH_FLEET_INSTANCES sets N.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
n=${BENCH_FLEET_INSTANCES:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/leaky-bench-fleet.XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

# A day ending a minute ago, at 60 s: 1,440 points a series.
end=$(( $(date +%s) / 60 * 60 - 60 ))
start=$((end - 86400))
awk -v N="$n" -v P=1441 -v T0="$start" 'BEGIN {
	split("go_memstats_heap_inuse_bytes go_goroutines " \
	      "process_resident_memory_bytes process_open_fds " \
	      "process_start_time_seconds", m, " ")
	for (k = 1; k <= 5; k++) {
		printf "# TYPE %s gauge\n", m[k]
		for (i = 0; i < N; i++) {
			lab = sprintf("{job=\"bench\",instance=\"host-%04d:8080\"}", i)
			leak = i % 10 == 0 ? 3000 : 0
			for (p = 0; p < P; p++) {
				saw = (p * 7919) % 2000000
				if (k == 1) v = 20000000 + leak * p + saw
				else if (k == 2) v = 50 + (p * 31) % 7
				else if (k == 3) v = 60000000 + leak * p + saw
				else if (k == 4) v = 30 + (p * 13) % 5
				else v = T0 - 3600
				printf "%s%s %d %d\n", m[k], lab, v, T0 + p * 60
			}
		}
	}
	print "# EOF"
}' >"$work/fleet.om"
t0=$(now)
promtool tsdb create-blocks-from openmetrics "$work/fleet.om" \
	"$work/data" >/dev/null
t1=$(now)
rm -f "$work/fleet.om"
echo "fleet: $n instances x 5 metrics x 24h at 60s, backfilled in $(elapsed "$t0" "$t1") s" >&2

printf 'global:\n  scrape_interval: 60s\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" \
	--web.listen-address=127.0.0.1:0 --storage.tsdb.path="$work/data" \
	--storage.tsdb.retention.time=30d >"$work/prometheus.log" 2>&1 &
pid=$!
addr=
i=0
while [ -z "$addr" ] || ! curl -sf -o /dev/null "http://$addr/-/ready"; do
	kill -0 "$pid" 2>/dev/null || { cat "$work/prometheus.log" >&2; exit 1; }
	i=$((i + 1))
	[ $i -lt 1200 ] || { echo "prometheus did not start" >&2; exit 1; }
	sleep 0.05
	addr=$(sed -n 's/.*msg="Listening on" address=\(127\.0\.0\.1:[0-9]*\).*/\1/p' \
		"$work/prometheus.log" | head -n 1)
done
prom=http://$addr

# The queries leaky makes (fleet/promscan.c), fetched by curl.
fetch() {
	for m in go_memstats_heap_inuse_bytes go_goroutines \
		process_resident_memory_bytes process_open_fds \
		process_start_time_seconds; do
		curl -sf -o "$work/$m.json" "$prom/api/v1/query_range" \
			--data-urlencode "query=max by (job, instance) ($m)" \
			-d "start=$start" -d "end=$end" -d step=60 -G
	done
}
fetch	# warms Prometheus's caches for both
t0=$(now); fetch; t1=$(now)
t_curl=$(elapsed "$t0" "$t1")
bytes=$(cat "$work"/*.json | wc -c)
t0=$(now)
rss=$(/usr/bin/time -f %M "$leaky" report --prometheus "$prom" \
	--since 24h --step 60s --fail-on never 2>&1 >"$work/report.txt" |
	tail -n 1)
t1=$(now)
t_leaky=$(elapsed "$t0" "$t1")
echo "report --prometheus: $n instances, $((bytes / 1048576)) MiB of JSON:" \
	"curl $t_curl s, leaky $t_leaky s" \
	"($(echo "$t_leaky $t_curl" | awk '{ printf "%.2f", $1 / $2 }') x curl)," \
	"peak RSS $((rss / 1024)) MiB"
grep "^verdict:" "$work/report.txt"
[ -z "${BENCH_FLEET_HOLD:-}" ] || { echo "$prom"; sleep "$BENCH_FLEET_HOLD"; }

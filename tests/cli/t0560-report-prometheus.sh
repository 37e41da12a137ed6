#!/bin/sh
# leaky report --prometheus against a real Prometheus scraping real lab
# targets on loopback every second: the leaking instance is flagged, the
# healthy one passes; Prometheus's errors are one line each.
test_description='leaky report --prometheus: the fleet scan, end to end'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"
. "$TEST_DIRECTORY/cli/prom-lib.sh"

need_prometheus || exit 1
need_lab || exit 1
start_lab leak -scenario leak || exit 1
start_lab healthy -scenario healthy || exit 1
start_lab fds -scenario fdleak || exit 1
LEAK=$(head -1 leak.addr)
HEALTHY=$(head -1 healthy.addr)
FDS=$(head -1 fds.addr)

cat >prom.yml <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lab
    static_configs:
      - targets: ['$LEAK', '$HEALTHY', '$FDS']
  - job_name: prometheus
    static_configs:
      - targets: ['@PROM_ADDR@']
EOC
prom_start prom.yml || exit 1

# 20 points of each lab (a second apart) are plenty for the trend tests
# and keep the test near half a minute.
POINTS=20
test_expect_success 'Prometheus has the labs'"'"' series' '
	wait_until $((POINTS * 3)) prom_has 3 \
		"count_over_time(go_memstats_heap_inuse_bytes{job=\"lab\"}[5m]) >= $POINTS"
'

scan() {
	timeout -k 5 "$(slow 60)" "$LEAKY" report --prometheus "$PROM" \
		--since 2m --step 1s "$@"
}

test_expect_success 'the leaking instance leaks, the healthy one is ok' '
	test_expect_code 3 scan --match "{job=\"lab\"}" >out 2>err &&
	cat out &&
	test_grep "^leaky report: 3 targets from http://127.0.0.1:" out &&
	test_grep "^== lab/$LEAK: leak" out &&
	test_grep "heap in use: .*leak" out &&
	! grep "^== lab/$HEALTHY:" out &&
	test_grep "^== lab/$FDS: leak" out &&
	test_grep "open fds: .*leak" out &&
	test_grep "^1 target ok (--all shows it)" out &&
	test_grep "^verdict: leak (2 of 3 targets leak)" out &&
	test ! -s err
'
test_done

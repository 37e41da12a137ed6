#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky report --prometheus against a real Prometheus scraping real lab
# targets on loopback every second: the leaking instance is flagged, the
# healthy one passes; Prometheus's errors are one line each.
test_description='leaky report --prometheus: the fleet scan, end to end'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"
. "$TEST_DIRECTORY/cli/prom-lib.sh"

need_prometheus || exit 1
need_lab || exit 1
need_faultsrv || exit 1
# Long enough for the whole test (servers.sh's default is 60 s).
SERVER_LIFE=$(slow 150 | sed 's/\..*//')s
start_faultsrv fault -token sesame -tls-cert "$PWD/cert.pem" || exit 1
FAULT=$(head -1 fault.addr)
SILENT=$(sed -n 2p fault.addr)
TLS=$(sed -n 3p fault.addr)
# A young Go process's heap in use climbs until its first collections
# (Go's least heap goal is 4 MB at GOGC=100) and its gzip writers are
# pooled: over the test's half minute a healthy lab would look like a
# slow leak. At GOGC=5 the goal starts at 200 kB and a healthy heap saws
# within seconds; the first WARM seconds are left out of the window.
GOGC=5
export GOGC
start_lab leak -scenario leak || exit 1
start_lab healthy -scenario healthy || exit 1
start_lab fds -scenario fdleak || exit 1
start_lab again -scenario healthy || exit 1
unset GOGC
LEAK=$(head -1 leak.addr)
HEALTHY=$(head -1 healthy.addr)
FDS=$(head -1 fds.addr)
AGAIN=$(head -1 again.addr)

cat >prom.yml <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lab
    static_configs:
      - targets: ['$LEAK', '$HEALTHY', '$FDS']
  - job_name: again
    static_configs:
      - targets: ['$AGAIN']
  - job_name: prometheus
    static_configs:
      - targets: ['@PROM_ADDR@']
EOC
prom_start prom.yml || exit 1

# escan ARGS...: the scan as the error cases run it, bounded in time.
escan() {
	timeout -k 5 "$(slow 60)" "$LEAKY" report --since 1m "$@"
}

# err_is FILE PATTERN: FILE is one line, matching PATTERN.
err_is() {
	test_line_count = 1 "$1" && test_grep "$2" "$1"
}

test_expect_success 'a selector Prometheus refuses: its 400, one line' '
	test_expect_code 1 escan --prometheus "$PROM" --match "{job=~\"(\"}" >out 2>err &&
	test ! -s out &&
	err_is err "^leaky report: $PROM: bad_data: .*(HTTP 400)$"
'

test_expect_success 'no instance matches: one line, exit 1' '
	test_expect_code 1 escan --prometheus "$PROM" --match "{job=\"nosuchjob\"}" >out 2>err &&
	err_is err "^leaky report: $PROM: no instance has any of the series asked for matching {job=\"nosuchjob\"}"
'

test_expect_success 'an unreachable server: one line, exit 1' '
	test_expect_code 1 "$LEAKY" report --prometheus http://127.0.0.1:1 \
		>out 2>err &&
	err_is err "^leaky report: http://127.0.0.1:1: .*connect"
'

test_expect_success 'an HTML page where the API should be: one line, exit 1' '
	test_expect_code 1 escan --prometheus "http://$FAULT/html" >out 2>err &&
	err_is err "^leaky report: http://$FAULT/html: HTTP 200, not a Prometheus API answer: not JSON"
'

test_expect_success 'a 500 in plain text: one line with the status' '
	test_expect_code 1 escan --prometheus "http://$FAULT/500/" >out 2>err &&
	err_is err "^leaky report: http://$FAULT/500: HTTP 500, not a Prometheus API answer"
'

test_expect_success 'a server that never answers: --timeout, one line' '
	test_expect_code 1 escan --prometheus "http://$SILENT" --timeout 1s \
		>out 2>err &&
	err_is err "^leaky report: http://$SILENT: .*timed out"
'

test_expect_success 'the bearer token is sent and never shown' '
	printf "sesame\n" >token &&
	printf "wrong\n" >badtoken &&
	test_expect_code 1 escan --prometheus "http://$FAULT/auth" \
		--bearer-token-file badtoken >out 2>err &&
	err_is err "HTTP 401" &&
	test_expect_code 1 escan --prometheus "http://$FAULT/auth" \
		--bearer-token-file token >out 2>err &&
	err_is err "HTTP 404" &&
	! grep -e sesame -e wrong err
'

test_expect_success '-H sends a header' '
	test_expect_code 1 escan --prometheus "http://$FAULT/auth" \
		-H "Authorization: Bearer sesame" >out 2>err &&
	err_is err "HTTP 404" &&
	! grep sesame err
'

test_expect_success 'https: --ca-file, and a certificate not trusted' '
	test_expect_code 1 escan --prometheus "https://$TLS/html" \
		--ca-file cert.pem >out 2>err &&
	err_is err "^leaky report: https://$TLS/html: HTTP 200, not a Prometheus API answer: not JSON" &&
	test_expect_code 1 escan --prometheus "https://$TLS/html" >out 2>err &&
	err_is err "^leaky report: https://$TLS/html: .*[Cc]ertificate"
'

test_expect_success 'options of the scan without --prometheus: usage' '
	test_expect_code 2 "$LEAKY" report --since 1h . 2>err &&
	test_grep "go with --prometheus" err &&
	test_expect_code 2 "$LEAKY" report --prometheus "$PROM" . 2>err &&
	test_grep "reads no files" err &&
	test_expect_code 2 "$LEAKY" report --prometheus "$PROM" \
		--match "job=\"x\"" 2>err &&
	test_grep "not a label selector" err
'

# POINTS points of each lab a second apart, after WARM seconds of its
# life: plenty for the trend tests, and the test stays under a minute.
WARM=20
POINTS=20
test_expect_success 'Prometheus has the labs'"'"' series' '
	wait_until $(((WARM + POINTS) * 3)) prom_has 3 \
		"count_over_time(go_memstats_heap_inuse_bytes{job=\"lab\"}[5m]) >= $((WARM + POINTS))"
'

scan() {
	timeout -k 5 "$(slow 60)" "$LEAKY" report --prometheus "$PROM" \
		--since ${POINTS}s --step 1s "$@"
}


# The healthy lab is not a leak; whether each of its series is "ok" is
# not asserted here. Twenty points of a forty-second-old process are
# noise, and a suspect needs only p < 0.05: one healthy series in twenty
# is a suspect by design (CI runs saw its RSS, then under ASan its heap).
# A suspect fails no CI job at the default --fail-on leak. Verdicts on
# healthy series, and the one-line count of ok targets, are checked on
# the seeded, hours-long backfilled fleet (t0575), where they are
# deterministic.
test_expect_success 'the leaking instances leak, the healthy one does not' '
	test_expect_code 3 scan --match "{job=\"lab\"}" >out 2>err &&
	cat out &&
	test_grep "^leaky report: 3 targets from http://127.0.0.1:" out &&
	test_grep "^== lab/$LEAK: leak" out &&
	test_grep "heap in use: .*leak" out &&
	! grep "^== lab/$HEALTHY: leak" out &&
	test_grep "^== lab/$FDS: leak" out &&
	test_grep "open fds: .*leak" out &&
	test_grep "^verdict: leak (2 of 3 targets leak)" out &&
	test ! -s err
'
test_expect_success '--all shows the healthy instance too' '
	test_expect_code 3 scan --match "{job=\"lab\"}" --all >out &&
	sed -n "/^== lab\/$HEALTHY: /,/^\$/p" out >healthy &&
	test_grep "^== lab/$HEALTHY: \(ok\|suspect\)$" healthy &&
	test_grep "heap in use: " healthy &&
	test_grep "open fds: " healthy &&
	! grep "targets\{0,1\} ok (--all" out
'

test_expect_success '--csv: a row per series and instance' '
	test_expect_code 3 scan --match "{job=\"lab\"}" --csv >out.csv &&
	head -1 out.csv >head &&
	test_grep "^target,segment,series,key,snapshots," head &&
	test_grep "^lab/$FDS,1,open_fds,,.*,leak," out.csv &&
	test_grep "^lab/$LEAK,1,heap_inuse_bytes,,.*,leak," out.csv &&
	test_grep "^lab/$HEALTHY,1,rss_bytes,," out.csv &&
	! grep "^lab/$HEALTHY,.*,leak," out.csv
'

# 20 s at 1 ms is 20,001 points a series: over Prometheus's 11,000, so
# the scan asks for it in three parts and joins them.
test_expect_success 'a window of more points than one query may have' '
	test_expect_code 3 "$LEAKY" report --prometheus "$PROM" --csv \
		--match "{job=\"lab\"}" --since 20s --step 1ms >fine.csv &&
	awk -F, -v t="lab/$LEAK" "\$1 == t && \$3 == \"heap_inuse_bytes\" \
		{ print \$5, \$20 }" fine.csv >got &&
	echo "20001 leak" >want &&
	test_cmp want got
'

test_expect_success '--fail-on never: exit 0 with leaks found' '
	scan --match "{job=\"lab\"}" --fail-on never >out &&
	test_grep "^verdict: leak" out
'

test_expect_success 'Prometheus itself (another job) is judged alone' '
	scan --match "{job=\"prometheus\"}" --fail-on never --all >out &&
	test_grep "^leaky report: 1 target from $PROM (the last ${POINTS}s, a point every 1s)$" out &&
	test_grep "^== prometheus/$PROM_ADDR: " out
'

# The default step: the window in 240 steps, never under the scrape
# interval (1 s here, read from /api/v1/targets).
test_expect_success 'the default step' '
	"$LEAKY" report --prometheus "$PROM" --match "{job=\"lab\"}" \
		--since 8m --fail-on never >out &&
	test_grep "^leaky report: 3 targets from $PROM (the last 8m, a point every 2s)$" out &&
	"$LEAKY" report --prometheus "$PROM" --match "{job=\"lab\"}" \
		--since 1m --fail-on never >out &&
	test_grep "^leaky report: 3 targets from $PROM (the last 1m, a point every 1s)$" out
'

# The lab "again" restarts on its port: a new process start time, waited
# for until Prometheus has had it for 5 s (not changes(), which counts the
# staleness marker of the old process before the new one is scraped).
# Its verdict is not the point (the window holds its warm-up).
gone() { ! kill -0 "$1" 2>/dev/null; }
AGAIN_PID=$(cat again.pid)
kill "$AGAIN_PID"
wait_until 10 gone "$AGAIN_PID"
start_lab again -addr "$AGAIN" -scenario healthy || exit 1
test_expect_success 'a restart splits the instance'"'"'s series' '
	wait_until 30 prom_has 1 \
		"min_over_time(process_start_time_seconds{job=\"again\"}[5s]) - min_over_time(process_start_time_seconds{job=\"again\"}[2m]) >= 1" &&
	"$LEAKY" report --prometheus "$PROM" --match "{job=\"again\"}" \
		--since 2m --step 1s --all --fail-on never >out &&
	test_grep "^== again/$AGAIN: " out &&
	test_grep "^   restart near .*: process start time 20.*Z -> 20.*Z$" out &&
	test_grep "^  segment 2 of 2:" out
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect --listen: the collector as a Prometheus target. A real lab
# target and a dead one, scraped with curl as a user (or Prometheus) would:
# the counts go up, the lab's samples show, the dead one's failures are
# counted, label values are escaped, OpenMetrics on request, 404 and 405,
# the report rules' verdict, and the server ends with the collector.
test_description='leaky collect --listen'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab lab -scenario leak -rate 1 || exit 1
ADDR=$(head -1 lab.addr)
I=$(slow 1)s

# A label value with a double quote and a backslash, as users may write.
cat >listen.conf <<EOF || exit 1
output = "out";
interval = "$I";
spread = false;
listen = "127.0.0.1:0";
labels = { note = "say \"hi\" \\\\ there"; };
targets = (
	{ name = "lab"; url = "http://$ADDR"; gc = true; },
	{ name = "dead"; url = "http://127.0.0.1:1"; profiles = ["heap"]; }
);
EOF

# The collector runs in the background for the tests below (which run in
# subshells: its pid and exit status are in files); -d bounds it should
# the test die before its SIGINT.
(
	sh -c 'echo $$ >c.pid && exec "$0" collect "$@"' "$LEAKY" \
		-c listen.conf -q -d "$(slow 60)s" 2>err
	echo $? >c.status
) &
wait_until 10 test -s c.pid || exit 1
C=$(cat c.pid)
echo $C >>"$SERVERS"
wait_until 10 grep -qs "listening on" err || exit 1
URL=$(sed -n 's/^leaky collect: listening on //p' err)

# scrape FILE [CURL ARGS...]: the metrics into FILE, headers into FILE.h.
scrape() {
	f=$1
	shift
	curl -sS --max-time 5 -D "$f.h" -o "$f" "$@" "$URL"
}

# value FILE SERIES: the value of the sample named exactly SERIES (which
# may hold spaces and backslashes in its label values: through the
# environment, which awk takes as it is, where -v would unescape).
value() {
	SERIES="$2 " awk 'index($0, ENVIRON["SERIES"]) == 1 { print $NF }' "$1"
}

rounds() {
	scrape m && value m leaky_collector_rounds_total
}

# rounds_past N: the collector has begun more than N rounds.
rounds_past() {
	r=$(rounds) && [ -n "$r" ] && [ "$r" -gt "$1" ]
}

N='note="say \"hi\" \\ there"'

test_expect_success 'it says where it listens: loopback, a port of its own' '
	test_grep "^leaky collect: listening on http://127\.0\.0\.1:[1-9][0-9]*/metrics$" err &&
	scrape m0 &&
	test_grep "^HTTP/1.1 200" m0.h &&
	test_grep "^Content-Type: text/plain; version=0.0.4; charset=utf-8" m0.h &&
	test_grep "^# TYPE leaky_collector_rounds_total counter$" m0 &&
	test_grep "^# HELP leaky_target_heap_inuse_bytes " m0
'

test_expect_success 'the rounds count up' '
	wait_until 20 rounds_past 1 &&
	r=$(rounds) &&
	wait_until 20 rounds_past $r &&
	test "$(value m leaky_collector_rounds_skipped_total)" = 0 &&
	test "$(value m leaky_collector_bytes_written_total)" -gt 0 &&
	start=$(value m leaky_collector_start_time_seconds) &&
	now=$(date +%s) &&
	awk -v s="$start" -v n="$now" "BEGIN { exit !(s > n - 600 && s <= n + 1) }"
'

# positive FILE SERIES: SERIES is there, above 0.
positive() {
	v=$(value "$1" "$2") &&
	[ -n "$v" ] && awk -v v="$v" "BEGIN { exit !(v > 0) }"
}

# scraped_positive SERIES: a new scrape has SERIES above 0.
scraped_positive() {
	scrape m && positive m "$1"
}

LAB_G="leaky_target_goroutines{target=\"lab\",$N}"
DEAD_F="leaky_target_fetch_failures_total{target=\"dead\",kind=\"heap\",$N}"

test_expect_success 'the lab target: heap in use, goroutines, RSS, last success' '
	wait_until 20 scraped_positive "$LAB_G" &&
	positive m "leaky_target_heap_inuse_bytes{target=\"lab\",$N}" &&
	positive m "leaky_target_resident_memory_bytes{target=\"lab\",$N}" &&
	test "$(value m "leaky_target_fetch_failures_total{target=\"lab\",kind=\"heap\",$N}")" = 0 &&
	ok=$(value m "leaky_target_last_success_timestamp_seconds{target=\"lab\",$N}") &&
	awk -v s="$ok" -v n="$(date +%s)" "BEGIN { exit !(s > n - 60 && s <= n + 1) }"
'

test_expect_success 'the dead target: its failures counted, no success' '
	wait_until 20 scraped_positive "$DEAD_F" &&
	test "$(value m "leaky_target_last_success_timestamp_seconds{target=\"dead\",$N}")" = 0 &&
	! grep "^leaky_target_heap_inuse_bytes{target=\"dead\"" m
'

test_expect_success 'label values are escaped (quote, backslash)' '
	scrape m &&
	grep -F "leaky_target_goroutines{target=\"lab\",note=\"say \\\"hi\\\" \\\\ there\"} " m
'

test_expect_success 'promtool takes the exposition' '
	scrape m &&
	promtool check metrics <m
'

test_expect_success 'OpenMetrics when Accept asks for it' '
	scrape om -H "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" &&
	test_grep "^Content-Type: application/openmetrics-text; version=1.0.0" om.h &&
	test "$(tail -1 om)" = "# EOF" &&
	test_grep "^# TYPE leaky_collector_rounds counter$" om &&
	test_grep "^leaky_collector_rounds_total [1-9]" om &&
	scrape txt -H "Accept: text/plain" &&
	! grep -q "# EOF" txt
'

test_expect_success 'other paths: 404; other methods: 405' '
	test "$(curl -s -o /dev/null -w %{http_code} ${URL%/metrics}/)" = 404 &&
	test "$(curl -s -o /dev/null -w %{http_code} $URL/x)" = 404 &&
	curl -s -D post.h -o /dev/null -X POST -d x=1 "$URL" &&
	test_grep "^HTTP/1.1 405" post.h &&
	test_grep "^Allow: GET, HEAD" post.h &&
	test "$(curl -s -o /dev/null -w %{http_code} -I $URL)" = 200
'

# Six heap snapshots at least before the report rules judge.
leak_said() {
	scrape v &&
	grep -F "leaky_verdict{target=\"lab\",level=\"leak\"," v >leak &&
	grep -q " 1$" leak
}

test_expect_success 'the report rules: the leaking lab target is a leak' '
	wait_until 40 leak_said &&
	test_grep "^leaky_verdict{target=\"lab\",level=\"ok\",.*} 0$" v &&
	grep -F "leaky_verdict{target=\"lab\",level=\"leak\",suspect=\"main.(*cache).put\"," v &&
	# the heap grows (a leak under a flat total is a leak too, so the
	# verdict may come while a GC dip holds the fit at 0: wait for it)
	wait_until 40 scraped_positive "leaky_verdict_growth_per_hour{target=\"lab\",series=\"heap_inuse_bytes\",$N}" &&
	"$LEAKY" report out >report.txt;
	test_grep "^== lab: leak" report.txt
'

test_expect_success 'a bad or busy address: one line, exit 1' '
	test_expect_code 1 collect -q -n 1 -o bad --listen 127.0.0.1 \
		-t lab=http://$ADDR 2>err1 &&
	test_grep "^leaky collect: --listen 127.0.0.1: expected HOST:PORT" err1 &&
	test_line_count = 1 err1 &&
	busy=${URL#http://} && busy=${busy%/metrics} &&
	test_expect_code 1 collect -q -n 1 -o bad --listen "$busy" \
		-t lab=http://$ADDR 2>err2 &&
	test_grep "^leaky collect: --listen $busy: cannot listen: Address already in use" err2 &&
	test_line_count = 1 err2 &&
	! test -e bad
'

test_expect_success 'SIGINT stops the collector and its server' '
	kill -INT $C &&
	wait_until 20 test -s c.status &&
	test "$(cat c.status)" = 0 &&
	test_grep "^leaky collect: stopped after" err &&
	test_expect_code 7 curl -s --max-time 5 "$URL"
'

test_expect_success '--check shows the address' '
	collect -c listen.conf --check >plan &&
	test_grep "^listen: 127.0.0.1:0$" plan &&
	collect -t lab=http://$ADDR --listen [::1]:0 --check >plan6 &&
	test_grep "^listen: \[::1\]:0$" plan6
'

test_done

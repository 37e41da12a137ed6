#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky load against the lab target on loopback: counts add up, status
# codes are counted, bodies and headers arrive as sent (the lab's /echo
# returns them), -z and --rate hold their time and rate, Ctrl-C prints the
# summary so far.
test_description='leaky load: end to end against the lab'
. "$(dirname "$0")/test-lib.sh"

LAB=${LAB:-$TEST_DIRECTORY/../build/lab}
LAB_PID=
trap 'if [ -n "$LAB_PID" ]; then kill "$LAB_PID" 2>/dev/null; fi
	remove_trash' EXIT

if ! [ -x "$LAB" ]; then
	test_skip 'every lab test' "no $LAB: make lab"
	test_done
	exit
fi
# The lab exits by itself after -duration, whatever happens to this script.
"$LAB" -addr-file lab.addr -duration "$(slow 90)s" >lab.log 2>&1 &
LAB_PID=$!
wait_until 10 test -s lab.addr
ADDR=$(head -n 1 lab.addr)
URL=http://$ADDR

# summary FIELD FILE: the value of "  FIELD:<tab>value" in a summary.
summary() {
	awk -F '\t' -v f="  $1:" '$1 == f { print $2; exit }' "$2"
}
# requests FILE: the number of finished requests in a summary.
requests() {
	summary Requests "$1" | sed 's/ .*//'
}
# within N LO HI: LO <= N <= HI (N may be a decimal).
within() {
	awk -v n="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(n >= lo && n <= hi) }' ||
	{ say "$1 is not within [$2, $3]" >&2; return 1; }
}
now() {
	date +%s.%N
}

test_expect_success 'the lab is listening' '
	test -n "$ADDR"
'

test_expect_success '-n N gives N responses, counted and sized' '
	"$LEAKY" load -n 123 -c 7 "$URL/healthz" >out 2>err &&
	test "$(summary Requests out)" = "123 (123 responses, 0 errors)" &&
	test_grep "^  \[200\]	123 responses$" out &&
	test "$(summary "Total data" out)" = "369 bytes" &&
	test "$(summary Size/request out)" = "3 bytes"
'
test_expect_success 'more workers than requests (-c > -n)' '
	"$LEAKY" load -n 3 -c 50 "$URL/healthz" >out 2>err &&
	test "$(summary Requests out)" = "3 (3 responses, 0 errors)"
'
test_expect_success 'status codes are counted: 404 and 405' '
	"$LEAKY" load -n 10 -c 3 "$URL/no/such/path" >out 2>err &&
	test_grep "^  \[404\]	10 responses$" out &&
	"$LEAKY" load -n 4 -c 2 "$URL/ingest" >out 2>err &&
	test_grep "^  \[405\]	4 responses$" out &&
	! grep -q "^  \[200\]" out &&
	test_grep "non-2xx 4" err
'
test_expect_success 'the command line of the issue: POST JSON to /ingest' '
	"$LEAKY" load -n 500 -c 20 -m POST -H "Content-Type: application/json" \
		-d "{\"event\":\"click\"}" "$URL/ingest" >out 2>err &&
	test "$(summary Requests out)" = "500 (500 responses, 0 errors)" &&
	test_grep "^  \[204\]	500 responses$" out
'
test_expect_success 'body and headers arrive as sent (the lab echoes them)' '
	"$LEAKY" load -n 3 -c 1 -m post -H "Content-Type: application/json" \
		-H "X-Trace: a b,c" -H "x-trace: last one wins" \
		-d "{\"event\":\"click\"}" --save-first first6.txt \
		"$URL/echo?q=1&r=%20" >out 2>err &&
	cat >expect <<-EOF &&
	POST /echo?q=1&r=%20 HTTP/1.1
	Host: $ADDR
	Accept-Encoding: gzip
	Content-Length: 17
	Content-Type: application/json
	User-Agent: leaky-load
	X-Trace: last one wins

	{"event":"click"}
	EOF
	printf "%s" "$(cat expect)" >expect.nonl &&
	test_cmp expect.nonl first6.txt &&
	test "$(summary Size/request out)" = "$(wc -c <first6.txt) bytes"
'
test_expect_success 'hey spellings and defaults: -host, -disable-keepalive, -T, -A, -a, -n=2' '
	"$LEAKY" load -n=2 -c 1 -disable-keepalive -disable-compression \
		-host api.example -A text/plain -a user:secret \
		-d hello --save-first first7.txt "$URL/echo" >out 2>err &&
	cat >expect <<-EOF &&
	GET /echo HTTP/1.1
	Host: api.example
	Accept: text/plain
	Authorization: Basic dXNlcjpzZWNyZXQ=
	Connection: close
	Content-Length: 5
	Content-Type: text/html
	User-Agent: leaky-load

	hello
	EOF
	printf "%s" "$(cat expect)" >expect.nonl &&
	test_cmp expect.nonl first7.txt &&
	test "$(summary Requests out)" = "2 (2 responses, 0 errors)"
'
test_expect_success '-disable-keepalive dials every request, keep-alive reuses' '
	"$LEAKY" load -n 20 -c 2 -o csv -disable-keepalive "$URL/healthz" \
		>close.csv 2>err &&
	"$LEAKY" load -n 20 -c 2 -o csv "$URL/healthz" >keep.csv 2>err &&
	dialed() { awk -F, "NR > 1 && \$2 > 0" "$1" | wc -l; } &&
	test "$(dialed close.csv)" = 20 &&
	test "$(dialed keep.csv)" = 2
'
test_expect_success '-D: a binary body from a file, with -T' '
	printf "bin\000ary\r\nbody" >body.bin &&
	"$LEAKY" load -n 1 -m POST -D body.bin -T application/octet-stream \
		--save-first first9.txt "$URL/echo" >out 2>err &&
	test_grep "^Content-Type: application/octet-stream" first9.txt &&
	test_grep "^Content-Length: 13" first9.txt &&
	tail -c 13 first9.txt >got.bin &&
	cmp body.bin got.bin
'
test_expect_success '-h2 over http:// is HTTP/1.1, as with hey' '
	"$LEAKY" load -n 2 -h2 --save-first first10.txt "$URL/echo" >out 2>err &&
	test_grep "^GET /echo HTTP/1.1$" first10.txt
'
test_expect_success 'redirects are followed as in hey, -disable-redirects counts them' '
	"$LEAKY" load -n 3 -c 1 "$URL/debug/pprof" >out 2>err &&
	test_grep "^  \[200\]	3 responses$" out &&
	"$LEAKY" load -n 3 -c 1 -disable-redirects "$URL/debug/pprof" >out 2>err &&
	test_grep "^  \[301\]	3 responses$" out
'
test_expect_success '-x: requests go through the proxy (the lab echoes the absolute URI)' '
	"$LEAKY" load -n 1 -x "$ADDR" --save-first proxied.txt \
		http://target.invalid/echo >out 2>err &&
	head -n 2 proxied.txt >got &&
	printf "GET http://target.invalid/echo HTTP/1.1\nHost: target.invalid\n" >expect &&
	test_cmp expect got
'
test_expect_success '-o csv: a row per request, hey columns first, summary on stderr' '
	"$LEAKY" load -n 25 -c 4 -o csv "$URL/healthz" >rows.csv 2>err &&
	test_line_count = 26 rows.csv &&
	head -n 1 rows.csv >header &&
	echo "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset,bytes,error" >expect &&
	test_cmp expect header &&
	test "$(awk -F, "NR > 1 && NF == 10 && \$7 == 200 && \$9 == 3" rows.csv | wc -l)" = 25 &&
	test_grep "^  Requests:	25 (25 responses, 0 errors)$" err
'
test_expect_success '-z bounds the run, -n ignored as in hey' '
	t0=$(now) &&
	"$LEAKY" load -z 1s -n 5 -c 4 "$URL/healthz" >out 2>err &&
	t1=$(now) &&
	within "$(echo "$t0 $t1" | awk "{ print \$2 - \$1 }")" 1 "$(slow 2.5)" &&
	test "$(summary Total out)" = "1.0000 secs" &&
	test "$(requests out)" -gt 5
'
test_expect_success 'open loop: --rate 200 for 3 s is 600 requests within 5%, a line a second' '
	"$LEAKY" load -z 3s --rate 200 --series series.csv "$URL/healthz" \
		>out 2>err &&
	within "$(requests out)" 570 630 &&
	test_grep "^  Open loop:	200 requests/s" out &&
	test_line_count = 3 err &&
	for n in $(awk "{ print \$3 }" err); do within "$n" 180 220 || return 1; done &&
	head -n 1 series.csv >header &&
	echo "time,elapsed,requests,errors,non2xx,rate,p50_ms,p90_ms,p99_ms,max_ms,bytes" >expect &&
	test_cmp expect header &&
	test_line_count = 4 series.csv &&
	awk -F, "NR > 1 { print \$2 }" series.csv >elapsed &&
	printf "1.000\n2.000\n3.000\n" >expect &&
	test_cmp expect elapsed &&
	test "$(awk -F, "NR > 1 && \$1 ~ /^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ && \$7 > 0 && \$9 > 0" series.csv | wc -l)" = 3
'
test_expect_success '-q is per worker: -c 2 -q 10 for 1 s is about 20 requests' '
	"$LEAKY" load -c 2 -q 10 -z 1s --every 0 "$URL/healthz" >out 2>err &&
	within "$(requests out)" 18 22 &&
	test_line_count = 0 err
'
# Under valgrind the RSS is valgrind's (it holds freed blocks back): its
# leak check stands in for this one there.
if [ -n "${LEAKY_TEST_VALGRIND:-}" ]; then
	test_skip 'memory does not grow with the number of requests' \
		"RSS under valgrind is valgrind's, not the program's"
else
test_expect_success 'memory does not grow with the number of requests' '
	# ASan would keep freed memory in quarantine: not under test here
	ASAN_OPTIONS=quarantine_size_mb=0:thread_local_quarantine_size_kb=0 &&
	export ASAN_OPTIONS &&
	/usr/bin/time -f %M -o small "$LEAKY" load -n 300 -c 10 -o csv \
		"$URL/healthz" >/dev/null 2>&1 &&
	/usr/bin/time -f %M -o large "$LEAKY" load -n 20000 -c 10 -o csv \
		"$URL/healthz" >rows.csv 2>err &&
	test_line_count = 20001 rows.csv &&
	small=$(tail -n 1 small) && large=$(tail -n 1 large) &&
	say "max RSS: $small kB for 300 requests, $large kB for 20000" &&
	test "$large" -lt $((small + 1024))
'
fi
# The old err goes first, in the foreground: the background list truncates
# it only once it runs, and a SIGINT sent on the old err's word would reach
# the shell's child before env restored SIGINT's default (background jobs
# start with it ignored) and be lost.
test_expect_success 'Ctrl-C (SIGINT) prints the summary so far and exits 0' '
	rm -f out err
	env --default-signal=INT "$LEAKY" load -z 20s --rate 50 \
		"$URL/healthz" >out 2>err &
	pid=$! &&
	wait_until 5 test -s err &&
	kill -INT $pid &&
	wait $pid &&
	test_grep "^  Stopped:	interrupted, the numbers so far$" out &&
	total=$(summary Total out | sed "s/ secs//") &&
	within "$total" 1 "$(slow 3)" &&
	within "$(requests out)" "$(awk "BEGIN { print int($total * 50 * 0.8) }")" \
		"$(awk "BEGIN { print int($total * 50 * 1.1) + 2 }")"
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky report --prometheus against a fake Prometheus (tests/fakeprom)
# that answers badly on purpose, one way per path prefix: whatever comes
# back, leaky says in one line which server and why, exits 1, prints no
# result, never hangs past --timeout, and never shows a secret it was
# given (the bearer token, the URL's password, -H values), not even when
# the server quotes them back.
test_description='leaky report --prometheus: bad answers from a fake Prometheus'
. "$(dirname "$0")/test-lib.sh"

ROOT=$(cd "$TEST_DIRECTORY/.." && pwd)
FAKEPROM=${FAKEPROM:-$ROOT/build/fakeprom}
# Built here when missing or older than its source (make test builds it).
if [ ! -x "$FAKEPROM" ] ||
   [ -n "$(find "$ROOT/tests/fakeprom" -name '*.go' -newer "$FAKEPROM")" ]
then
	(cd "$ROOT/tests/fakeprom" && GO111MODULE=off GOFLAGS= \
		GOCACHE="$ROOT/build/go-cache" GOTOOLCHAIN=local \
		go build -trimpath -o "$FAKEPROM.tmp.$$" . &&
		mv -f "$FAKEPROM.tmp.$$" "$FAKEPROM") || exit 1
fi

FAKE_PID=
stop_fake() {
	[ -n "$FAKE_PID" ] && kill -9 "$FAKE_PID" 2>/dev/null
	[ -n "$FAKE_PID" ] && wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}
trap 'stop_fake; remove_trash' EXIT
# It exits by itself after this, whatever happens to the test.
"$FAKEPROM" -addr-file "$PWD/fake.addr" -huge 3000000 \
	-duration "$(slow 240 | sed 's/\..*//')s" >fake.log 2>&1 &
FAKE_PID=$!
wait_until 10 test -s fake.addr || exit 1
FAKE=$(cat fake.addr)

# The secrets: none may reach stdout or stderr.
TOKEN=tok-3f9a1c77
PASSWORD=pw-7d21e0
HEADER=hdr-51b0c9e4
printf '%s\n' "$TOKEN" >token
TIMEOUT=$(slow 3 | sed 's/\..*//')s

# scan MODE [OPTIONS...]: the fleet scan of the fake's MODE, with all
# three secrets, bounded in time should it hang; out and err.
scan() {
	mode=$1
	shift
	timeout -k 5 "$(slow 60)" "$LEAKY" report \
		--prometheus "http://user:$PASSWORD@$FAKE/$mode" \
		--since 1h --timeout "$TIMEOUT" --bearer-token-file token \
		-H "X-Secret: $HEADER" "$@" >out 2>err
}

# no_secrets: out and err hold none of the secrets.
no_secrets() {
	if grep -F -e "$TOKEN" -e "$PASSWORD" -e "$HEADER" out err; then
		say "a secret was printed" >&2
		return 1
	fi
}

# refused MODE REASON [OPTIONS...]: exit 1, nothing on stdout, one line
# on stderr naming the server (its password hidden) and REASON (a
# pattern), no secret anywhere.
refused() {
	mode=$1
	reason=$2
	shift 2
	test_expect_code 1 scan "$mode" "$@" &&
	test ! -s out &&
	test_line_count = 1 err &&
	test_grep "^leaky report: http://user:\*\*\*@$FAKE/$mode: $reason" err &&
	no_secrets
}

test_expect_success 'the fake answers well where asked to: a report' '
	test_expect_code 0 scan ok --step 10s --min-age 0 --all &&
	test_grep "^== fake/a: ok" out &&
	test_grep "^== fake/b: ok" out &&
	no_secrets
'

test_expect_success 'a login page (HTML, 200): not JSON but an HTML page' '
	refused html "HTTP 200, not a Prometheus API answer: not JSON but an HTML page (\"Sign in\")$"
'

test_expect_success 'a Content-Length longer than the body, then closed' '
	refused cutlen "HTTP 200, the answer stopped after [0-9]* bytes: transfer closed with [0-9]* bytes remaining to read$"
'

test_expect_success 'a whole body cut mid-JSON: cut short' '
	refused cutjson "HTTP 200, not a Prometheus API answer: not JSON: cut short after [0-9]* bytes$"
'

test_expect_success 'status error, bad_data, 400: the server'"'"'s reason' '
	refused baddata "bad_data: invalid parameter \"query\": the query does not parse (HTTP 400)$"
'

test_expect_success 'a 422 execution error: the server'"'"'s reason' '
	refused exec "execution: the query would read more samples than this server allows (HTTP 422)$"
'

test_expect_success 'a 503 in plain text: the status and the text' '
	refused unavail "HTTP 503, not a Prometheus API answer: not JSON: \"the server is down for maintenance\"$"
'

test_expect_success 'a partial answer (warnings) is refused as partial' '
	refused warnings "partial answer: store 10.0.0.7:10901 did not answer: the result is partial$" --step 10s
'

test_expect_success 'an answer over --max-body: the limit named' '
	refused huge "body larger than the limit of 1048576 bytes$" --max-body 1M
'

test_expect_success '--max-body: a bad size, or without --prometheus' '
	test_expect_code 2 scan huge --max-body 0 &&
	test_grep "bad size for --max-body" err &&
	test_expect_code 2 "$LEAKY" report --max-body 1M . 2>err &&
	test_grep "go with --prometheus" err
'

test_expect_success 'headers, then silence: timed out at --timeout' '
	start=$(date +%s) &&
	refused slow ".*timed out" --timeout 1s &&
	test $(($(date +%s) - start)) -le "$(slow 20 | sed "s/\..*//")"
'

test_expect_success 'half an answer, then silence: stopped, timed out' '
	start=$(date +%s) &&
	refused stall "HTTP 200, the answer stopped after [0-9]* bytes: .*timed out" --timeout 1s &&
	test $(($(date +%s) - start)) -le "$(slow 20 | sed "s/\..*//")"
'

test_expect_success 'a redirect is named and not followed' '
	refused redirect "HTTP 302, a redirect, which leaky does not follow" &&
	! grep "^ok-landed " fake.log
'

test_expect_success 'a redirect to another host: not followed, no token carried' '
	refused redirecthost "HTTP 302, a redirect, which leaky does not follow" &&
	! grep "^ok-landed " fake.log
'

test_expect_success 'data not an object' '
	refused shapedata "HTTP 200, not a Prometheus API answer: no \"data\" object$" --step 10s
'

test_expect_success 'values not [time, "value"] pairs' '
	refused shapepairs "HTTP 200, not a Prometheus API answer: result 0, point 0: not a \[time, \"value\"\] pair$" --step 10s
'

test_expect_success 'a value not a string: said so' '
	refused shapevalue "HTTP 200, not a Prometheus API answer: result 0, point 0: the value is not a string" --step 10s
'

test_expect_success 'a value string that is not a number: quoted' '
	refused shapetext "HTTP 200, not a Prometheus API answer: result 0, point 0: the value \"twelve\" is not a number$" --step 10s
'

test_expect_success 'an empty 200: said to be empty' '
	refused empty "HTTP 200, not a Prometheus API answer: not JSON: an empty body$"
'

test_expect_success 'a server quoting the credentials back: hidden' '
	refused echo "bad_data: refused the credentials \*\*\* and \*\*\* (HTTP 400)$" &&
	printf "%s\n" "ops:$PASSWORD" >basic &&
	test_expect_code 1 timeout -k 5 "$(slow 60)" "$LEAKY" report \
		--prometheus "http://$FAKE/echo" --basic-auth-file basic \
		>out 2>err &&
	test_line_count = 1 err &&
	test_grep "refused the credentials \*\*\* and  (HTTP 400)$" err &&
	! grep -e "$(printf "ops:%s" "$PASSWORD" | base64)" -e "$PASSWORD" err
'

test_expect_success 'an unreachable port: one line, the password hidden' '
	test_expect_code 1 timeout -k 5 "$(slow 60)" "$LEAKY" report \
		--prometheus "http://user:$PASSWORD@127.0.0.1:1" \
		--bearer-token-file token -H "X-Secret: $HEADER" >out 2>err &&
	test ! -s out &&
	test_line_count = 1 err &&
	test_grep "^leaky report: http://user:\*\*\*@127.0.0.1:1: .*[Cc]onnect" err &&
	no_secrets
'

# chunks: the 361 steps of an hour at 10 s take more than one query for
# the first metric (its first part is short, the number of series not yet
# known): more range queries than the 5 metrics. The fake answers a
# query's first part with a and b and the next with c and b, b's labels
# in another order. Each point must land on its instance once: a's and
# c's heap points together, and b's, make the whole hour, c's starting a
# step after a's end.
test_expect_success 'series that differ from part to part: each its own' '
	test_expect_code 0 scan chunks-1 --step 10s --min-age 0 --all --csv &&
	test "$(grep -c "^chunks-1 /api/v1/query_range" fake.log)" -gt 5 &&
	awk -F, "\$3 == \"heap_inuse_bytes\" { print \$1, \$5, \$6, \$7 }" out >heap &&
	test_line_count = 3 heap &&
	a=$(awk "\$1 == \"fake/a\" { print \$2 }" heap) &&
	b=$(awk "\$1 == \"fake/b\" { print \$2 }" heap) &&
	c=$(awk "\$1 == \"fake/c\" { print \$2 }" heap) &&
	test "$b" = 361 && test $((a + c)) = 361 && test "$a" -gt 0 &&
	a_end=$(awk "\$1 == \"fake/a\" { print \$4 }" heap) &&
	c_start=$(awk "\$1 == \"fake/c\" { print \$3 }" heap) &&
	test $(($(date -d "$c_start" +%s) - $(date -d "$a_end" +%s))) = 10 &&
	no_secrets
'

# ---- leaky collect --targets-from: the same server, at the start --------

# discover MODE [OPTIONS...]: collect --check of the targets of the fake's
# MODE, with its secrets, bounded in time; out and err.
discover() {
	mode=$1
	shift
	timeout -k 5 "$(slow 60)" "$LEAKY" collect \
		--targets-from "http://user:$PASSWORD@$FAKE/$mode" \
		--targets-from-token-file token --check "$@" >out 2>err
}

test_expect_success 'collect --targets-from: the targets of a good answer' '
	discover ok &&
	test_grep "^found: 1 target now$" out &&
	test_grep "^target fake_a (targets of http://user:\*\*\*@$FAKE/ok)$" out &&
	test_grep "^  endpoints: http://a/debug/pprof/$" out &&
	test_grep "^ok /api/v1/targets auth=yes" fake.log &&
	no_secrets
'

# unsampled MODE REASON: collect refuses to start on MODE's answer.
unsampled() {
	test_expect_code 1 discover "$1" &&
	test_line_count = 1 err &&
	test_grep "^leaky collect: http://user:\*\*\*@$FAKE/$1: $2" err &&
	! grep -q "^target " out &&
	no_secrets
}

test_expect_success 'collect --targets-from: bad answers at the start, one line' '
	unsampled html "HTTP 200, not a Prometheus API answer: not JSON but an HTML page" &&
	unsampled cutjson "HTTP 200, not a Prometheus API answer: not JSON: cut short" &&
	unsampled unavail "HTTP 503" &&
	unsampled echo "bad_data: " &&
	unsampled redirect "HTTP 302, a redirect, which leaky does not follow"
'

test_done

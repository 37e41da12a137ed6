#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky load on bad input: usage errors exit 2 with the reason, an
# unreachable or silent target exits 1 with the reason and never hangs,
# output files are never clobbered.
test_description='leaky load: bad input and unreachable targets'
. "$(dirname "$0")/test-lib.sh"

HANG_PID=
TLS_PID=
trap 'for p in $HANG_PID $TLS_PID; do kill "$p" 2>/dev/null; done
	remove_trash' EXIT

# Nothing listens on loopback port 1: connecting is refused at once.
REFUSED=http://127.0.0.1:1/

now() {
	date +%s.%N
}
# took T0 MAX: fewer than MAX seconds (times TEST_SLOW) since T0.
took() {
	awk -v t0="$1" -v t1="$(now)" -v max="$(slow "$2")" \
		'BEGIN { d = t1 - t0; if (d >= max) { print "took " d " s"; exit 1 } }'
}
summary() {
	awk -F '\t' -v f="  $1:" '$1 == f { print $2; exit }' "$2"
}

# usage CODE MESSAGE ARGS...: leaky load ARGS exits 2 saying MESSAGE.
usage() {
	msg=$1
	shift
	test_expect_code 2 "$LEAKY" load "$@" >out 2>err &&
	test_grep "$msg" err &&
	test_line_count = 0 out
}

test_expect_success 'usage errors exit 2 with the reason' '
	usage "no URL" -n 5 &&
	usage "one URL only" http://127.0.0.1:1/ http://127.0.0.1:2/ &&
	usage "bad URL .http://\[::1.: " "http://[::1" &&
	usage "bad URL .ftp://x/.: not http:// or https://" ftp://x/ &&
	usage "bad URL .127.0.0.1:8080/x.: not http:// or https://" \
		127.0.0.1:8080/x &&
	usage "bad URL .http://.: " http:// &&
	usage "bad -H .bad.: want .Name: value." -H bad "$REFUSED" &&
	usage "bad -H .: v.: empty name" -H ": v" "$REFUSED" &&
	usage "bad -H .A:.: empty value" -H "A:" "$REFUSED" &&
	usage "bad -H .A B: c.: bad character in the name" -H "A B: c" "$REFUSED" &&
	usage "bad -m .GE T." -m "GE T" "$REFUSED" &&
	usage "bad -n .0." -n 0 "$REFUSED" &&
	usage "bad -n .x." -n x "$REFUSED" &&
	usage "bad -c .-3." -c -3 "$REFUSED" &&
	usage "bad -z .10x." -z 10x "$REFUSED" &&
	usage "bad -z .0." -z 0 "$REFUSED" &&
	usage "bad --rate .0." --rate 0 "$REFUSED" &&
	usage "bad -t .-1." -t -1 "$REFUSED" &&
	usage "bad -a .nocolon." -a nocolon "$REFUSED" &&
	usage "bad -o .json. (csv is the only output type)" -o json "$REFUSED" &&
	usage "-q (per worker) and --rate (in all) exclude each other" \
		-q 5 --rate 10 "$REFUSED" &&
	usage "-d and -D exclude each other" -d x -D y "$REFUSED" &&
	usage "--series needs an interval" --every 0 --series s.csv \
		"$REFUSED" &&
	usage "^leaky load: unrecognized option .--no-such-flag.$" \
		--no-such-flag "$REFUSED" &&
	test_line_count = 2 err &&
	test_grep "^Try .leaky load --help.\.$" err &&
	usage "^leaky load: unrecognized option .--disable-nothing.$" \
		-disable-nothing "$REFUSED" &&
	test_line_count = 2 err
'
test_expect_success '--help exits 0 with the usage on stdout' '
	"$LEAKY" load --help >out &&
	test_grep "^usage: leaky load" out &&
	test_grep "disable-keepalive" out
'
test_expect_success 'connection refused: exit 1 at once, the reason said' '
	t0=$(now) &&
	test_expect_code 1 "$LEAKY" load -n 50 -c 5 "$REFUSED" >out 2>err &&
	took "$t0" 2 &&
	test_grep "^leaky load: no response from .http://127.0.0.1:1/.: .*Connection refused" err &&
	test_grep "Connection refused" out
'
test_expect_success 'connection refused for -z 10m: gives up, does not spin' '
	t0=$(now) &&
	test_expect_code 1 "$LEAKY" load -z 10m "$REFUSED" >out 2>err &&
	took "$t0" 2 &&
	test_grep "requests failed, gave up: Couldn.t connect to server: Connection refused" err
'
test_expect_success 'a missing -D file is a failure, not a hang' '
	test_expect_code 1 "$LEAKY" load -D missing.json "$REFUSED" 2>err &&
	test_grep "missing.json" err
'

# A server that accepts connections (the kernel's backlog does) and never
# answers: perl, which every Debian has.
if command -v perl >/dev/null 2>&1; then
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(Listen => 64,
			LocalAddr => "127.0.0.1:0", Proto => "tcp") or die "$!";
		open(my $f, ">", "hang.port.tmp") or die "$!";
		print $f $s->sockport, "\n";
		close $f;
		rename "hang.port.tmp", "hang.port";
		sleep '"$(slow 30)"';' &
	HANG_PID=$!
	wait_until 5 test -s hang.port
	HANG=http://127.0.0.1:$(cat hang.port)/
	test_expect_success 'a server that never answers: -t 1 times out, exit 1' '
		t0=$(now) &&
		test_expect_code 1 "$LEAKY" load -n 4 -c 2 -t 1 "$HANG" \
			>out 2>err &&
		took "$t0" 3 &&
		test_grep "^  \[2\]	timeout: no complete response within 1 s (-t)$" out &&
		test_grep "no response from .*: 2 requests failed, gave up: timeout" err
	'
	test_expect_success 'a server that never answers: -z still ends the run' '
		t0=$(now) &&
		test_expect_code 1 "$LEAKY" load -z 1s -c 3 -t 0 "$HANG" \
			>out 2>err &&
		took "$t0" 2.5 &&
		test "$(summary Unfinished out)" = "3 requests in flight at the end, not counted" &&
		test_grep "no response from .* in 1.0 s" err
	'
	test_expect_success '--save-first without a response writes nothing' '
		test_expect_code 1 "$LEAKY" load -n 1 -t 0.3 --save-first f.txt \
			"$HANG" >out 2>err &&
		test_grep "f.txt: not written" err &&
		! test -e f.txt &&
		! ls -a | grep -q "f.txt."
	'
else
	test_skip 'a server that never answers' 'no perl'
fi

# A TLS server with a self-signed certificate: openssl s_server -www.
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout key.pem -out cert.pem -days 1 -subj /CN=localhost \
		>/dev/null 2>&1; then
	openssl s_server -accept 127.0.0.1:0 -cert cert.pem -key key.pem \
		-www >tls.out 2>&1 </dev/null &
	TLS_PID=$!
	wait_until 5 grep -q "^ACCEPT" tls.out
	TLS=https://$(sed -n "s/^ACCEPT //p" tls.out)/
	test_expect_success 'an untrusted TLS certificate: exit 1 with a hint; -k accepts it' '
		test_expect_code 1 "$LEAKY" load -n 2 -c 1 "$TLS" >out 2>err &&
		test_grep "TLS certificate not trusted (-k skips the check)" err &&
		"$LEAKY" load -n 2 -c 1 -k "$TLS" >out 2>err &&
		test_grep "^  \[200\]	2 responses$" out
	'
else
	test_skip 'TLS certificate checks' 'no openssl'
fi

test_expect_success '--series and --save-first never clobber a file' '
	echo precious >keep.csv &&
	test_expect_code 1 "$LEAKY" load -n 1 --series keep.csv "$REFUSED" \
		2>err &&
	test_grep "keep.csv: already exists" err &&
	echo precious >expect &&
	test_cmp expect keep.csv &&
	test_expect_code 1 "$LEAKY" load -n 1 --save-first keep.csv \
		"$REFUSED" 2>err &&
	test_cmp expect keep.csv
'
test_done

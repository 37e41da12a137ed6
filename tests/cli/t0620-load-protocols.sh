#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky load's protocols against a Go server on loopback (scripts/faultsrv,
# HTTPS with HTTP/2 offered by ALPN): -h2 speaks HTTP/2 and multiplexes
# the workers' requests on few connections; without it HTTP/1.1 with a
# connection per worker; gzip bodies arrive decoded, and
# --disable-compression asks for none.
test_description='leaky load: HTTP/2 and compression'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f -tls-cert "$PWD/ca.pem" || exit 1
A=$(sed -n 1p f.addr)
TLS=$(sed -n 3p f.addr)

# conns: the connections the server has accepted so far.
conns() {
	curl -s --noproxy '*' "http://$A/conns/"
}

# responses N FILE: the summary in FILE counts N responses, all 200.
responses() {
	test_grep "^  \[200\]	$1 responses$" "$2" &&
	! grep -q "^  \[[013-9]" "$2"
}

# proto_run FILE LOAD ARGS...: 400 requests by 8 workers over https to
# /proto/; the first body saved in FILE, the connections they took in USED.
proto_run() {
	f=$1
	shift
	before=$(conns) &&
	"$LEAKY" load -n 400 -c 8 -k --save-first "$f" "$@" \
		"https://$TLS/proto/" >out 2>err &&
	responses 400 out &&
	USED=$(( $(conns) - before - 1 )) &&
	say "connections for 8 workers: $USED"
}

test_expect_success '-h2 over https: HTTP/2, multiplexed on fewer connections than workers' '
	proto_run p.txt -h2 &&
	echo HTTP/2.0 >expect &&
	test_cmp expect p.txt &&
	test $USED -ge 1 && test $USED -lt 8
'

test_expect_success 'https without -h2: HTTP/1.1, a kept-alive connection per worker' '
	proto_run p1.txt &&
	echo HTTP/1.1 >expect &&
	test_cmp expect p1.txt &&
	test $USED = 8
'

test_expect_success '--disable-keepalive: a connection per request' '
	before=$(conns) &&
	"$LEAKY" load -n 40 -c 4 --disable-keepalive "http://$A/proto/" \
		>out 2>err &&
	responses 40 out &&
	test $(( $(conns) - before - 1 )) = 40
'

test_expect_success 'gzip bodies are asked for and arrive decoded' '
	"$LEAKY" load -n 5 -c 1 --save-first g.txt "http://$A/gzip/" \
		>out 2>err &&
	responses 5 out &&
	test "$(head -n 1 g.txt)" = "sent as gzip" &&
	test_line_count = 66 g.txt &&
	test "$(sed -n 2p g.txt)" = "the same line, many times over"
'

test_expect_success '--disable-compression: no Accept-Encoding, a plain body' '
	"$LEAKY" load -n 5 -c 1 --disable-compression --save-first i.txt \
		"http://$A/gzip/" >out 2>err &&
	responses 5 out &&
	test "$(head -n 1 i.txt)" = "sent as identity" &&
	tail -n +2 i.txt >i.body && tail -n +2 g.txt >g.body &&
	test_cmp g.body i.body
'

test_expect_success 'HTTP/2 with gzip and a body: what hey sends, answered' '
	"$LEAKY" load -n 20 -c 4 -h2 -k -m POST -d "payload" \
		--save-first g2.txt "https://$TLS/gzip/" >out 2>err &&
	responses 20 out &&
	test "$(head -n 1 g2.txt)" = "sent as gzip" &&
	test "$(tail -n 1 g2.txt)" = "request body: 7 bytes"
'

# (--rate: the first request sent is the first to arrive, and dropped)
test_expect_success '--save-first: the first response, when the first request fails' '
	"$LEAKY" load -n 4 -c 4 --rate 10 --save-first d.txt \
		"http://$A/dropfirst/?save-first" >out 2>err &&
	test_grep "^  \[200\]	3 responses$" out &&
	test_grep "^  \[1\]	Server returned nothing" out &&
	echo answered >expect &&
	test_cmp expect d.txt
'

# An HTTP/2 server that answers before it has read a large body resets
# the stream after its answer; libcurl 7.88 drops such answers. Whatever
# the libcurl, no request goes unexplained: each is a 200 or an error that
# names the early answer. HTTP/1.1 gets every answer.
test_expect_success 'an answer before a large body is read: HTTP/2 explains, HTTP/1.1 answers' '
	head -c 1048576 /dev/zero >big.bin &&
	{ "$LEAKY" load -n 8 -c 2 -h2 -k -m POST -D big.bin \
		"https://$TLS/early/" >out 2>err; rc=$?; } &&
	test $rc -le 1 &&
	sed -n "/^Error distribution:/,\$p" out >errors &&
	! grep "^  \[" errors |
		grep -v "answered before reading the body: see README" &&
	if test $rc = 1; then test_grep "answered before reading" err; fi &&
	"$LEAKY" load -n 8 -c 2 -k -m POST -D big.bin \
		"https://$TLS/early/" >out 2>err &&
	responses 8 out
'

test_done

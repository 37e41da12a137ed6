#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A connection leak, end to end: the lab's connleak scenario keeps every
# HTTP response body open, so each request holds a connection (a socket on
# each side) and the transport's goroutines. leaky collect samples it, and
# leaky report must name both: the descriptors by type and the goroutine
# group net/http.(*persistConn).readLoop.
test_description='leaky report on a connection leak'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab cl -scenario connleak || exit 1
ADDR=$(head -1 cl.addr)

test_expect_success 'collect the leaking lab' '
	collect -q -t cl=http://$ADDR -i "$(slow 1)s" -n 12 -o d 2>err &&
	test "$(count_rows d fds ok cl)" = 12
'

test_expect_success 'report: the descriptors leak, sockets named' '
	test_expect_code 3 "$LEAKY" report d >out.txt 2>err.txt &&
	test_grep "^== cl: leak$" out.txt &&
	test_grep "^   open fds: .*: leak (rises throughout: " out.txt &&
	test_grep "^     by type: socket +[0-9]* " out.txt
'

test_expect_success 'report: the threads are a series of their own, judged' '
	test_grep "^   threads: [0-9]* -> [0-9]* (.*: \(ok\|suspect\|leak\) (" out.txt &&
	test_grep ", threads [1-9][0-9]*$" "$(ls d/fds/*.fds | tail -n 1)"
'

test_expect_success 'leaky fds: the lists as CSV, one row a round, sockets rising' '
	"$LEAKY" fds d/fds/*.fds >fds.csv &&
	test "$(head -n 1 fds.csv)" = "time,target,pid,open,socket,pipe,anon_inode,file,other,threads" &&
	test_line_count = 13 fds.csv &&
	first=$(sed -n 2p fds.csv | cut -d, -f5) &&
	last=$(tail -n 1 fds.csv | cut -d, -f5) &&
	test "$last" -gt "$first" &&
	# every row: the types add up to open, threads given
	awk -F, "NR > 1 && (\$5 + \$6 + \$7 + \$8 + \$9 != \$4 || \$10 < 1)" fds.csv >bad &&
	test_line_count = 0 bad &&
	echo garbage >bad.fds &&
	test_expect_code 1 "$LEAKY" fds bad.fds >out 2>err &&
	test_grep "^leaky fds: bad.fds: not a leaky fds list" err &&
	test ! -s out
'

test_expect_success 'report: the goroutine group the leak holds, named' '
	test_grep "^   goroutines: .*: leak (" out.txt &&
	test_grep "^     [0-9]\. net/http\.(\*persistConn)\.readLoop: .* goroutines, .* (leak" out.txt &&
	grep -A 1 "^     [0-9]\. net/http\.(\*persistConn)\.readLoop: " out.txt |
		tail -n 1 >creator &&
	test_grep "^        100%  created by net/http\.(\*Transport)\.dialConn at \(.*/\)\?net/http/transport\.go:[0-9]*$" creator
'

test_done

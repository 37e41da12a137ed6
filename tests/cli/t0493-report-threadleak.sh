#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A thread leak, end to end: the lab's threadleak scenario starts
# goroutines that lock themselves to their OS thread and wait forever, so
# the process's thread count grows with them. leaky collect's fds kind
# reads the count (the .fds list's header, from /proc/PID/status); leaky
# report must judge the threads a leak and name the goroutine group that
# holds them, with the go statement that starts it.
test_description='leaky report on a thread leak'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab tl -scenario threadleak || exit 1
ADDR=$(head -1 tl.addr)
SRC=$TEST_DIRECTORY/../scripts/lab/threadleak.go

test_expect_success 'collect the leaking lab' '
	collect -q -t tl=http://$ADDR -i "$(slow 0.5)s" -n 12 -o d 2>err &&
	test "$(count_rows d fds ok tl)" = 12
'

test_expect_success 'leaky fds: the threads column rises' '
	"$LEAKY" fds d/fds/*.fds >fds.csv &&
	first=$(sed -n 2p fds.csv | cut -d, -f10) &&
	last=$(tail -n 1 fds.csv | cut -d, -f10) &&
	test "$last" -gt "$((first + 4))"
'

test_expect_success 'report: the threads leak, the pinned goroutines named' '
	test_expect_code 3 "$LEAKY" report d >out.txt 2>err.txt &&
	test_grep "^   threads: [0-9]* -> [0-9]* (.*: leak (rises throughout: " out.txt &&
	test_grep "^     1\. main\.pinnedWorker: .* goroutines, .*chan receive (leak" out.txt &&
	line=$(grep -n "go pinnedWorker(never)$" "$SRC" | cut -d: -f1) &&
	test_grep "^        100%  created by main\.setupThreadLeak\.func1 at leaky/lab/threadleak\.go:$line$" out.txt
'

test_expect_success 'report --csv: a threads row, verdict leak' '
	"$LEAKY" report --fail-on never --csv d >t.csv &&
	grep "^tl,1,threads,," t.csv | grep -q ",leak,"
'

test_done

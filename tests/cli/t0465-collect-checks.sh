#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bodies are checked (inflated, decoded) off the collector's loop: a gzip
# bomb under --max-body costs its own target's rounds, never another's;
# the inflated cap follows a small --max-body; a row's duration_ms counts
# the check.
test_description='leaky collect: checks off the loop'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f || exit 1
A=$(sed -n 1p f.addr)

# The server makes its bomb (512 MB of zeros, 0.5 MB gzipped) at the first
# request; that one is not timed. (No fetch succeeds: exit 1.)
test_expect_success 'setup: the bomb is made' '
	test_expect_code 1 collect -o warm -n 1 -p heap --timeout "$(slow 10)s" \
		-t b=http://$A/bomb 2>err &&
	test "$(count_rows warm heap failed b)" = 1
'

test_expect_success 'a small --max-body: the bomb is refused at 16 times it' '
	test_expect_code 1 collect -o small -n 1 -p heap --max-body 1M \
		-t b=http://$A/bomb 2>err &&
	test_grep ",b,heap,failed,.*,inflated size exceeds the limit of 16777216 bytes (see --max-inflated)," small/manifest.csv &&
	test_expect_code 1 collect -o smaller -n 1 -p heap --max-inflated 2M \
		-t b=http://$A/bomb 2>err &&
	test_grep ",b,heap,failed,.*the limit of 2097152 bytes" \
		smaller/manifest.csv
'

# Each check of the bomb inflates 256 MB (the default cap), for a few
# hundred ms: on the loop, it made the healthy target skip rounds. Off the
# loop, the healthy target has every round; the bomb's own rounds are
# failed (or skipped while its check runs). The interval leaves the healthy
# target's fetch and check (a few ms idle) 300 ms: at 150 ms, a machine
# busy with other builds once starved one past its slot.
test_expect_success 'a gzip bomb stops no other target' '
	collect -o bomb -i "$(slow 300)ms" -n 10 --no-spread -p heap \
		-t bomb=http://$A/bomb -t ok=http://$A/ok 2>err &&
	test "$(count_rows bomb heap ok ok)" = 10 &&
	test "$(count_rows bomb round skipped ok)" = 0 &&
	test "$(count_rows bomb heap ok bomb)" = 0 &&
	failed=$(count_rows bomb heap failed bomb) &&
	test "$failed" -ge 1 &&
	test "$(grep -c ",bomb,heap,failed,.*,inflated size exceeds the limit of 268435456 bytes" bomb/manifest.csv)" = "$failed" &&
	manifest_matches bomb
'

# Inflating 256 MB takes well over 50 ms; fetching 0.5 MB on loopback,
# a few. The row counts both.
test_expect_success 'the bomb rows duration_ms counts its check' '
	awk -F, "NR > 1 && \$3 == \"bomb\" && \$5 == \"failed\" { print \$9 }" \
		bomb/manifest.csv >durations &&
	test -s durations &&
	! awk "\$1 < 50" durations | grep -q .
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The target is killed and started again on the same port while the
# collector runs: the rounds without it fail and are recorded, the restart
# is recorded once, and collection goes on with the new process.
test_description='leaky collect: a target restarted mid-run'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab lab -scenario leak || exit 1
ADDR=$(head -1 lab.addr)
OLD=$(cat lab.pid)

# The target is killed after three rounds with it and started again after
# a round without it, whatever the pace of the collector.
test_expect_success 'kill the target, start it again, the collector goes on' '
	collect -t lab=http://$ADDR -i "$(slow 400)ms" -n 12 --no-spread \
		-p heap,heap.txt,smaps_rollup -o out 2>err &
	c=$! &&
	wait_until 10 has_rows out 3 heap ok lab &&
	kill -9 $OLD &&
	wait_until 10 has_rows out 1 smaps_rollup failed lab &&
	start_lab lab2 -scenario leak -addr $ADDR &&
	NEW=$(cat lab2.pid) &&
	echo $NEW >new.pid &&
	wait $c
'

# (The new target may come up between a round's fetch and its look at
# the port, or the other way round: the two counts differ by one at most.)
test_expect_success 'the rounds without a target are recorded as failed' '
	grep ",lab,heap,failed,.*Failed to connect" out/manifest.csv >down &&
	test "$(wc -l <down)" -ge 1 &&
	grep ",lab,smaps_rollup,failed,.*nothing listens on port ${ADDR##*:}" \
		out/manifest.csv >gone &&
	test "$(wc -l <gone)" -ge 1 &&
	d=$(( $(wc -l <down) - $(wc -l <gone) )) &&
	test $d -ge -1 && test $d -le 1
'

test_expect_success 'the restart is recorded once, with both pids' '
	NEW=$(cat new.pid) &&
	awk -F, "NR > 1 && \$5 == \"restart\"" out/manifest.csv >restarts &&
	test_line_count = 1 restarts &&
	test_grep ",lab,restart,restart,http://$ADDR,,,,,$NEW,pid $OLD -> $NEW," restarts &&
	test_grep "lab: target restarted: pid $OLD -> $NEW" err &&
	test_grep " 1 restart;" err
'

test_expect_success 'samples of both processes, all readable, none lost' '
	NEW=$(cat new.pid) &&
	test "$(awk -F, "\$5 == \"ok\" && \$11 == $OLD" out/manifest.csv | wc -l)" -ge 3 &&
	test "$(awk -F, "\$5 == \"ok\" && \$11 == $NEW" out/manifest.csv | wc -l)" -ge 3 &&
	rounds=$((12 - $(skipped err))) &&
	awk -F, "NR > 1 && \$4 != \"restart\" && \$4 != \"round\"" \
		out/manifest.csv >fetches &&
	test_line_count = $((3 * rounds)) fetches &&
	manifest_matches out &&
	"$LEAKY" heaper out/profiles/*.heap.pb.gz >h.csv &&
	"$LEAKY" heaper --memstats out/profiles/*.heap.txt.gz >m.csv &&
	"$LEAKY" pmap out/pmaps/*.smaps_rollup >p.csv
'

# The collector itself started again on the same directory: its rounds go
# on from the manifest's last, so that a round number names one round and
# the stop shows as a gap in time, not as rounds that begin at 1 again.
test_expect_success 'the collector restarted: rounds go on from the last' '
	collect -t lab=http://$(head -1 lab2.addr) -i "$(slow 200)ms" -n 2 \
		--no-spread -p heap -o again 2>err1 &&
	collect -t lab=http://$(head -1 lab2.addr) -i "$(slow 200)ms" -n 3 \
		--no-spread -p heap -o again 2>err2 &&
	awk -F, "NR > 1 { print \$2 }" again/manifest.csv >rounds &&
	printf "1\n2\n3\n4\n5\n" >expect &&
	test_cmp expect rounds &&
	test_grep "rounds from 3, after the manifest.s last" err2 &&
	test_grep "^leaky collect: round 5: 1/1 targets ok" err2 &&
	test_grep "done after 3 rounds" err2
'

test_done

#!/bin/sh
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

test_expect_success 'kill the target, start it again, the collector goes on' '
	"$LEAKY" collect -t lab=http://$ADDR -i 400ms -n 12 --no-spread \
		-p heap,heap.txt,smaps_rollup -o out 2>err &
	c=$! &&
	sleep 1.5 &&
	kill -9 $OLD &&
	sleep 1 &&
	start_lab lab2 -scenario leak -addr $ADDR &&
	NEW=$(cat lab2.pid) &&
	echo $NEW >new.pid &&
	wait $c
'

test_expect_success 'the rounds without a target are recorded as failed' '
	grep ",lab,heap,failed,.*Failed to connect" out/manifest.csv >down &&
	test "$(wc -l <down)" -ge 1 &&
	grep ",lab,smaps_rollup,failed,.*nothing listens on port ${ADDR##*:}" \
		out/manifest.csv >gone &&
	test_line_count = "$(wc -l <down)" gone
'

test_expect_success 'the restart is recorded once, with both pids' '
	NEW=$(cat new.pid) &&
	awk -F, "NR > 1 && \$5 == \"restart\"" out/manifest.csv >restarts &&
	test_line_count = 1 restarts &&
	test_grep ",lab,restart,restart,http://$ADDR,,,,,$NEW,pid $OLD -> $NEW," restarts &&
	test_grep "lab: target restarted: pid $OLD -> $NEW" err &&
	test_grep "1 restarts" err
'

test_expect_success 'samples of both processes, all readable, none lost' '
	NEW=$(cat new.pid) &&
	test "$(awk -F, "\$5 == \"ok\" && \$11 == $OLD" out/manifest.csv | wc -l)" -ge 3 &&
	test "$(awk -F, "\$5 == \"ok\" && \$11 == $NEW" out/manifest.csv | wc -l)" -ge 3 &&
	test "$(awk -F, "NR > 1 && \$4 != \"restart\"" out/manifest.csv | wc -l)" = 36 &&
	manifest_matches out &&
	"$LEAKY" heaper out/profiles/*.heap.pb.gz >h.csv &&
	"$LEAKY" heaper --memstats out/profiles/*.heap.txt >m.csv &&
	"$LEAKY" pmap out/pmaps/*.smaps_rollup >p.csv
'

test_done

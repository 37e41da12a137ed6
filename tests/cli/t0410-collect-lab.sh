#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect against the real lab target on loopback: a few rounds at a
# 1 s interval, files the readers take as they are, a manifest that matches
# them, and the process found from the port.
test_description='leaky collect: the lab target, end to end'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
# A copy with a name of its own, for process=COMM.
COMM=lab$$
cp "$LAB" "$COMM" && LAB=$PWD/$COMM || exit 1
start_lab lab -scenario leak -rate 1 || exit 1
ADDR=$(head -1 lab.addr)
PID=$(cat lab.pid)

# 1 s natively; longer under valgrind, where a fetch can take most of a
# second (the profiles must stay in distinct seconds).
I=$(slow 1)s
test_expect_success 'three rounds at 1s of the default profiles' '
	collect -t lab=http://$ADDR,gc -i $I -n 3 -o out 2>err &&
	test_grep "collecting 1 target every $I, 3 rounds into out/" err &&
	test_grep "round 1: 1/1 targets ok" err &&
	test_grep "round 3: 1/1 targets ok" err &&
	test_grep "done after 3 rounds: 24 fetches ok, 0 failed" err &&
	# rounds a second apart: no "next round" line
	! grep -q "next round at" err &&
	for k in profiles/*.heap.pb.gz profiles/*.heap.txt.gz \
		goroutines/*.goroutine.pb.gz goroutines/*.goroutine.txt.gz \
		pmaps/*.pmap pmaps/*.smaps_rollup fds/*.fds \
		limits/*.limits; do
		n=$(ls out/$k | wc -l) &&
		if [ "$n" != 3 ]; then echo "$k: $n files"; return 1; fi
	done &&
	test_line_count = 5 err
'

test_expect_success 'the manifest names exactly the files, all ok' '
	head -1 out/manifest.csv >header &&
	echo "time,round,target,kind,result,url,status,bytes,duration_ms,file,pid,error,labels" >expect &&
	test_cmp expect header &&
	test_line_count = 25 out/manifest.csv &&
	test "$(count_rows out heap ok lab)" = 3 &&
	test "$(count_rows out pmap ok lab)" = 3 &&
	test "$(count_rows out fds ok lab)" = 3 &&
	test "$(count_rows out limits ok lab)" = 3 &&
	manifest_matches out &&
	awk -F, "NR > 1 && \$5 == \"ok\" && \$6 ~ /^http/ && \$7 != 200" \
		out/manifest.csv >bad && test_line_count = 0 bad &&
	awk -F, "NR > 1 { print \$8 }" out/manifest.csv | grep -v "^[1-9][0-9]*$" >bad ;
	test_line_count = 0 bad
'

test_expect_success 'the process behind the port was found (pid column)' '
	awk -F, "NR > 1 { print \$11 }" out/manifest.csv | sort -u >pids &&
	echo "$PID" >expect &&
	test_cmp expect pids &&
	test_grep "^$PID: " out/pmaps/$(ls out/pmaps | grep pmap | head -1)
'

# Snapshots are counted by their times in milliseconds: a round fetched
# late on a busy machine can fall in the same second as the next one.
test_expect_success 'leaky heaper reads the heap profiles and dumps' '
	"$LEAKY" heaper out/profiles/*.heap.pb.gz >heap.csv &&
	test_grep "^[^,]*,lab,main\.(\*cache)\.put," heap.csv &&
	"$LEAKY" heaper --time unixms out/profiles/*.heap.pb.gz >heapms.csv &&
	test "$(cut -d, -f1 heapms.csv | sort -u | wc -l)" = 4 &&
	"$LEAKY" heaper --memstats out/profiles/*.heap.txt.gz >memstats.csv &&
	test_line_count = 4 memstats.csv &&
	"$LEAKY" heaper out/profiles/*.heap.txt.gz >heaptext.csv &&
	test_grep ",lab,main\.(\*cache)\.put," heaptext.csv
'

test_expect_success 'leaky goroutines reads both goroutine forms' '
	"$LEAKY" goroutines --totals out/goroutines/*.goroutine.pb.gz >g.csv &&
	test_line_count = 4 g.csv &&
	"$LEAKY" goroutines --totals out/goroutines/*.goroutine.txt.gz >g2.csv &&
	test_line_count = 4 g2.csv
'

test_expect_success 'leaky pmap reads pmap -x and smaps_rollup' '
	"$LEAKY" pmap out/pmaps/*.pmap >pm.csv &&
	test_line_count = 4 pm.csv &&
	test_grep "^[^,]*,lab,$PID," pm.csv &&
	"$LEAKY" pmap out/pmaps/*.smaps_rollup >sr.csv &&
	test_line_count = 4 sr.csv
'

test_expect_success 'pidfile= and process= find the same process' '
	collect -t a=http://$ADDR,pidfile=$PWD/lab.pid \
		-t b=http://$ADDR,process=$COMM -p smaps_rollup,status \
		-i 1s -n 1 --no-spread -q -o out2 2>err &&
	test "$(count_rows out2 status ok)" = 2 &&
	test "$(count_rows out2 smaps_rollup ok)" = 2 &&
	awk -F, "NR > 1 { print \$11 }" out2/manifest.csv | sort -u >pids &&
	echo "$PID" >expect &&
	test_cmp expect pids &&
	"$LEAKY" pmap out2/pmaps/*.status >st.csv &&
	test_line_count = 3 st.csv &&
	manifest_matches out2
'

# (Rounds a slow start missed are skipped, not fetched late, and under
# valgrind a fetch may outlast its 200 ms: the counts below are those of
# the fetches that succeeded.)
test_expect_success 'fetches of one second never overwrite each other' '
	collect -t lab=http://$ADDR,profiles=heap -i 200ms -n 10 --no-spread \
		-o fast 2>err &&
	n=$(count_rows fast heap ok) &&
	test_grep "done after 10 rounds: $n fetches ok" err &&
	test "$(ls fast/profiles | wc -l)" = $n &&
	ls fast/profiles | grep -q "^lab_[0-9]*\.[1-9]\.heap\.pb\.gz$" &&
	manifest_matches fast &&
	"$LEAKY" heaper fast/profiles/*.heap.pb.gz >h.csv &&
	test "$(cut -d, -f1 h.csv | sort -u | wc -l)" -ge 2
'

test_expect_success 'a second run appends to the manifest, keeps the files' '
	files_in fast >before &&
	cp fast/manifest.csv manifest.before &&
	collect -t lab=http://$ADDR,profiles=heap -i "$(slow 200)ms" -n 2 \
		--no-spread -q -o fast 2>err &&
	test "$(grep -c "^time," fast/manifest.csv)" = 1 &&
	test_line_count -gt "$(wc -l <manifest.before)" fast/manifest.csv &&
	head -n "$(wc -l <manifest.before)" fast/manifest.csv | cmp - manifest.before &&
	files_in fast >after &&
	test "$(comm -23 before after | wc -l)" = 0 &&
	manifest_matches fast
'

test_expect_success 'gc and seconds reach the URLs; -d stops the run' '
	collect -t lab=http://$ADDR,profiles=heap+heap.txt+goroutine,gc,seconds=1 \
		-i 3s -d 2s --no-spread -q -o delta 2>err &&
	test_grep "done after 1 round: 3 fetches ok" err &&
	test_grep ",heap,ok,http://$ADDR/debug/pprof/heap?gc=1&seconds=1,200," delta/manifest.csv &&
	test_grep ",heap.txt,ok,http://$ADDR/debug/pprof/heap?debug=1&gc=1,200," delta/manifest.csv &&
	test_grep ",goroutine,ok,http://$ADDR/debug/pprof/goroutine?seconds=1,200," delta/manifest.csv &&
	awk -F, "\$4 == \"heap\" && \$9 < 1000" delta/manifest.csv >quick &&
	test_line_count = 0 quick &&
	"$LEAKY" heaper delta/profiles/*.heap.pb.gz >d.csv
'

test_expect_success 'labels and headers from a configuration file' '
	cat >lab.conf <<-EOF &&
	output = "cfg";
	interval = "1s";
	rounds = 1;
	spread = false;
	profiles = ["goroutine"];
	labels = { env = "lab"; run = 7; };
	targets = ( { name = "lab"; url = "http://$ADDR"; } );
	EOF
	collect -c lab.conf -q 2>err &&
	test_grep ",lab,goroutine,ok,.*,env=lab;run=7$" cfg/manifest.csv
'

test_expect_success 'rounds a minute apart: when the next one is, after each' '
	rm -f err
	"$LEAKY" collect -t lab=http://$ADDR -p goroutine -i 1m -o minute \
		2>err &
	c=$! &&
	echo $c >>"$SERVERS" &&
	wait_until 20 grep -q "next round at" err &&
	kill -TERM $c &&
	{ wait $c; status=$?; } &&
	test $status = 0 &&
	test_grep "^leaky collect: round 1: 1/1 targets ok" err &&
	test_grep "^leaky collect: next round at [0-9-]* [0-9:]* UTC (in [0-9ms]*)$" err &&
	test "$(grep -c "next round at" err)" = 1
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky soak end to end on loopback: the lab target started by the soak in
# its leak scenario (exit 3, the verdict in report.txt, every file there)
# and its healthy one (exit 0, with a warm-up and a load file); services
# that never answer, exit at once, crash midway or ignore SIGTERM; Ctrl-C
# midway. After each, no process the soak started is left (checked by
# pid and process group).
test_description='leaky soak: start, load, sample, report, stop'
. "$(dirname "$0")/test-lib.sh"

LAB=${LAB:-$TEST_DIRECTORY/../build/lab}
# What a test starts in the background, for the trap (the tests run in
# subshells, whose variables the trap does not see).
PIDS=$TRASH/.pids
: >"$PIDS"
trap 'for p in $(cat "$PIDS"); do kill -9 "$p" 2>/dev/null; done
	remove_trash' EXIT

if ! [ -x "$LAB" ]; then
	test_skip 'every soak test' "no $LAB: make lab"
	test_done
	exit
fi

# gone PID: no such process (a zombie waiting for init counts as gone).
gone() {
	! kill -0 "$1" 2>/dev/null ||
	grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}
# group_gone PGID: no process left in the group.
group_gone() {
	! kill -0 -- "-$1" 2>/dev/null ||
	! ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' |
		grep -q .
}
# service_pid DIR: the pid report.txt gives the service.
service_pid() {
	sed -n 's/^  service: .* (pid \([0-9]*\)\()\|; sampled: .*)\)$/\1/p' \
		"$1/report.txt"
}
# lab ARGS: the lab's command line, on a port of its own choosing; it
# exits by itself after a while whatever happens to the test.
lab() {
	echo "$LAB -addr 127.0.0.1:0 -addr-file $1.addr -duration $(slow 120)s $2"
}

echo '{"event":"click","user":42}' >event.json

test_expect_success 'the lab leaking: exit 3, the verdict and every file' '
	test_expect_code 3 leaky soak -q -o leak --duration 10s -i 500ms --gc \
		--rate 20 --load "POST /ingest @event.json" \
		--load-header "Content-Type: application/json" \
		--pprof-file leak.addr -- $(lab leak "-scenario leak -rate 16384") \
		>out 2>err &&
	test_grep "^verdict: leak" out &&
	test_cmp out leak/report.txt &&
	for f in manifest.csv heap.csv memstats.csv goroutines.csv rss.csv \
		fds.csv load.csv load.txt report.txt soak.png; do
		test -s leak/$f || { say "no leak/$f"; return 1; }
	done &&
	test -f leak/service.log &&
	test -d leak/profiles && test -d leak/goroutines &&
	test_grep "main.(\*cache).put" leak/report.txt &&
	test_grep "^  service: .*-scenario leak" leak/report.txt &&
	test "$(grep -c "^20" leak/load.csv)" -ge 8 &&
	test_grep "^  POST http://127.0.0.1:[0-9]*/ingest: [1-9][0-9]* responses, 0 errors" leak/load.txt &&
	pid=$(service_pid leak) && test -n "$pid" &&
	gone "$pid" && group_gone "$pid"
'

test_expect_success 'the report reads a soak directory afterwards' '
	test_expect_code 3 leaky report leak >again 2>err &&
	test_grep "^verdict: leak" again &&
	! test_grep unreadable err
'

# A wrapper (sh -c, go run, a script) starts the service as its child:
# the listener of the pprof port in the wrapper's group is the process
# sampled, not the wrapper.
test_expect_success 'a wrapper (sh -c): the listener in its group is sampled' '
	leaky soak -o wrap --duration 5s -i 500ms --fail-on never \
		--pprof-file wrap.addr -- \
		sh -c "$(lab wrap "-scenario leak"); :" >out 2>err &&
	# the shell started, its child the lab sampled (the lab is gone
	# with its pid file by now: the pids come from the report)
	sp=$(sed -n "s/^  service: sh -c .* (pid \([0-9]*\); sampled: pid [0-9]*, the listener of its port)$/\1/p" wrap/report.txt) &&
	lp=$(sed -n "s/^  service: sh -c .* (pid [0-9]*; sampled: pid \([0-9]*\), the listener of its port)$/\1/p" wrap/report.txt) &&
	test -n "$sp" && test -n "$lp" && test "$sp" != "$lp" &&
	test_grep "^leaky soak: sampling pid $lp, the listener of http://127.0.0.1:[0-9]*/debug/pprof/ in the service.s process group (started as pid $sp)$" err &&
	# the memory samples are the lab process, all of them
	awk -F, "NR > 1 && \$4 == \"smaps_rollup\" && \$5 == \"ok\"" \
		wrap/manifest.csv >mem &&
	test "$(wc -l <mem)" -ge 6 &&
	awk -F, -v p="$lp" "\$11 != p" mem >bad &&
	test_line_count = 0 bad &&
	gone "$lp" && gone "$sp" && group_gone "$sp"
'

cat >soak.conf <<EOF
# weight, method, URL (a /path is on the pprof address), body
3 POST /echo @event.json
1 /healthz
EOF

# Exit 0: ok, or now and then a suspect on a few seconds of a young
# process (only --fail-on suspect fails on that).
test_expect_success 'the lab healthy, a warm-up, a load file: exit 0' '
	leaky soak -q -o healthy --duration 8s -i 500ms --warmup 2s --gc \
		-c 2 --load-file soak.conf \
		--pprof-file healthy.addr -- $(lab healthy "-scenario healthy") \
		>out 2>err &&
	test_grep "^verdict: \(ok\|suspect\)" out &&
	test_grep "^  warm-up: the first 2s was sampled but left out" out &&
	test_grep "^  POST http://.*/echo: [1-9][0-9]* responses" healthy/load.txt &&
	test_grep "^  GET http://.*/healthz: [1-9][0-9]* responses" healthy/load.txt &&
	pid=$(service_pid healthy) && gone "$pid" && group_gone "$pid"
'

test_expect_success 'an existing directory that is not empty is refused' '
	test_expect_code 2 leaky soak -o healthy --duration 2s \
		-- sh -c "exit 0" 2>err &&
	test_grep "healthy is not empty" err
'

test_expect_success 'bad --pprof, --load, --load-file: usage errors, nothing started' '
	test_expect_code 2 leaky soak -o bad1 --pprof foo \
		-- sh -c "echo \$\$ >bad.pid; sleep 30" 2>err &&
	test_grep "^leaky soak: bad --pprof: URL .foo.: http://, https:// or unix: only" err &&
	! test -e bad.pid &&
	test_expect_code 2 leaky soak -o bad2 --load "GET nowhere" \
		-- sh -c "echo \$\$ >bad.pid; sleep 30" 2>err &&
	test_grep "^leaky soak: bad --load .GET nowhere.: bad URL .nowhere." err &&
	printf "1 /a\n0 /b\n" >bad.conf &&
	test_expect_code 2 leaky soak -o bad3 --load-file bad.conf \
		-- sh -c "echo \$\$ >bad.pid; sleep 30" 2>err &&
	test_grep "^leaky soak: bad.conf:2: bad weight .0." err &&
	! test -e bad.pid
'

test_expect_success 'a service that never answers: a bounded error' '
	start=$(date +%s) &&
	test_expect_code 1 leaky soak -o never --duration 5s \
		--ready-timeout "$(slow 2)s" --pprof http://127.0.0.1:1 \
		-- sh -c "echo \$\$ >never.pid; echo starting; echo \"config: no port\" >&2; exec sleep 300" \
		>out 2>err &&
	test $(($(date +%s) - start)) -lt "$(slow 20 | cut -d. -f1)" &&
	test_grep "http://127.0.0.1:1/debug/pprof/ did not come up: no answer in" err &&
	test_grep "| config: no port" err &&
	pid=$(cat never.pid) && gone "$pid" && group_gone "$pid"
'

test_expect_success 'a service that exits at once: its status and output' '
	test_expect_code 1 leaky soak -o early --duration 5s \
		--pprof-file early.addr \
		-- sh -c "echo \"bad flag -x\" >&2; exit 3" >out 2>err &&
	test_grep "the service exited first (exit status 3)" err &&
	test_grep "| bad flag -x" err
'

test_expect_success 'a command that cannot run' '
	test_expect_code 1 leaky soak -o none --duration 5s \
		-- ./no-such-service >out 2>err &&
	test_grep "cannot run .*no-such-service.*No such file" err
'

# Its report: ok or not judged (a few rounds), made 1 by the crash.
test_expect_success 'a service that crashes midway: said, status kept' '
	{ leaky soak -q -o crash --duration "$(slow 60)s" \
		-i 500ms --pprof-file crash.addr \
		-- sh -c "$(lab crash "-scenario healthy") & sleep 3; echo panic: boom >&2; exit 7" \
		>out 2>err; status=$?; } &&
	# 1: the crash; 3: its lab, sampled for the few seconds before,
	# may show a young process'"'"'s growth; 4: too few rounds to judge
	test "$status" = 1 -o "$status" = 3 -o "$status" = 4 &&
	test_grep "^  the service exited during the soak, after .*: exit status 7" crash/report.txt &&
	test_grep "^  | panic: boom" crash/report.txt &&
	test_grep "the service exited during the soak (exit status 7)" err &&
	pid=$(service_pid crash) && gone "$pid" &&
	wait_until 5 group_gone "$pid"
'

test_expect_success 'a service that ignores SIGTERM: killed after the grace' '
	leaky soak -q -o stubborn --duration 3s -i 500ms --grace 1s \
		--fail-on never \
		--pprof-file stubborn.addr \
		-- sh -c "trap \"\" TERM; $(lab stubborn) & while :; do sleep 0.1; done" \
		>out 2>err &&
	test_grep "^  the service did not stop within 1s of SIGTERM: killed" stubborn/report.txt &&
	test_grep "ignored SIGTERM: killed after the grace" err &&
	pid=$(service_pid stubborn) && gone "$pid" &&
	wait_until 5 group_gone "$pid"
'

test_expect_success 'Ctrl-C midway: a last round, the report, the service stopped' '
	"$LEAKY" soak -o int --duration "$(slow 60)s" -i 500ms --rate 20 \
		--load /healthz --pprof-file int.addr \
		-- $(lab int "-scenario leak") >out 2>err &
	SOAK_PID=$! && echo $SOAK_PID >>"$PIDS" &&
	wait_until 30 test -s int.addr &&
	wait_until 30 grep -q "^[^,]*,4,service,heap,ok," int/manifest.csv &&
	kill -INT $SOAK_PID &&
	{ wait $SOAK_PID; status=$?; } ;
	test "$status" = 4 -o "$status" = 3 &&
	test_grep "^  interrupted: the report is on what was sampled" int/report.txt &&
	test_grep "rounds from 5, after the manifest" err &&
	test -s int/load.csv &&
	pid=$(service_pid int) && gone "$pid" && group_gone "$pid"
'

test_expect_success 'attached to a service running: sampled, left running' '
	$(lab attached "-scenario healthy") >attached.log 2>&1 &
	ATTACHED=$! && echo $ATTACHED >>"$PIDS" &&
	wait_until 10 test -s attached.addr &&
	addr=$(head -n 1 attached.addr) &&
	{ leaky soak -q -o attached --duration 3s -i 500ms \
		--pprof "http://$addr" --load "http://$addr/healthz" \
		>out 2>err; status=$?; } &&
	test "$status" = 0 -o "$status" = 4 &&
	test_grep "^  service: already running (attached)" attached/report.txt &&
	test_grep ",heap,ok,.*,$ATTACHED,," attached/manifest.csv &&
	kill -0 $ATTACHED &&
	kill $ATTACHED
'

test_done

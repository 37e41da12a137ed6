#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect's fds kind against real processes on this machine: the lab
# leaking descriptors and a healthy one, their .fds lists and manifest
# rows, leaky report's verdict on the descriptors and the types that grew,
# --listen's leaky_target_open_fds; a process holding more descriptors
# than are listed; a process that vanishes mid-run.
test_description='leaky collect: open file descriptors (fds)'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab fds -scenario fdleak || exit 1
start_lab healthy -scenario healthy || exit 1
FDS=$(head -1 fds.addr)
HEALTHY=$(head -1 healthy.addr)
FDS_PID=$(cat fds.pid)
I=$(slow 1)s
ROUNDS=10

# The collector in the background, serving /metrics, for the first tests;
# -n bounds it, and its pid goes with the servers should the test die.
(
	sh -c 'echo $$ >c.pid && exec "$0" collect "$@"' "$LEAKY" \
		-o out -i "$I" -n $ROUNDS --no-spread -q \
		--listen 127.0.0.1:0 -p goroutine,fds \
		-t fds=http://$FDS -t healthy=http://$HEALTHY 2>err
	echo $? >c.status
) &
wait_until 10 test -s c.pid || exit 1
cat c.pid >>"$SERVERS"
wait_until 10 grep -qs "listening on" err || exit 1
URL=$(sed -n 's/^leaky collect: listening on //p' err)

# more_fds_than PID N: the process holds more than N descriptors.
more_fds_than() {
	test "$(ls "/proc/$1/fd" 2>/dev/null | wc -l)" -gt "$2"
}

# open_fds FILE TARGET: the target's leaky_target_open_fds in FILE.
open_fds() {
	sed -n "s/^leaky_target_open_fds{target=\"$2\"} //p" "$1"
}

# has_open_fds TARGET: /metrics shows the target's open descriptors.
has_open_fds() {
	curl -sS --max-time 5 -o m "$URL" &&
	test -n "$(open_fds m "$1")"
}

test_expect_success '--listen shows each target'"'"'s open descriptors' '
	wait_until 30 has_open_fds fds &&
	wait_until 30 has_open_fds healthy &&
	test_grep "^# TYPE leaky_target_open_fds gauge$" m &&
	test_grep "^# HELP leaky_target_open_fds " m &&
	test "$(open_fds m fds)" -gt 3 &&
	test "$(open_fds m healthy)" -gt 3 &&
	test_grep "^leaky_target_fetch_failures_total{target=\"fds\",kind=\"fds\"} 0$" m &&
	a=$(open_fds m fds) &&
	wait_until 30 has_rows out 4 fds ok fds &&
	curl -sS --max-time 5 -o m2 "$URL" &&
	test "$(open_fds m2 fds)" -gt "$a"
'

test_expect_success 'the run ends; one fds row a round for each target' '
	wait_until $((ROUNDS + 30)) test -s c.status &&
	test "$(cat c.status)" = 0 &&
	test "$(count_rows out fds ok fds)" = $ROUNDS &&
	test "$(count_rows out fds ok healthy)" = $ROUNDS &&
	test "$(count_rows out fds failed)" = 0 &&
	awk -F, -v p=$FDS_PID "NR > 1 && \$3 == \"fds\" && \$4 == \"fds\" &&
		(\$6 != \"/proc/\" p \"/fd\" || \$11 != p)" out/manifest.csv >bad &&
	test_line_count = 0 bad &&
	manifest_matches out
'

test_expect_success 'each .fds file: the header, then as many lines as listed' '
	ls out/fds/fds_*.fds >files &&
	test_line_count = $ROUNDS files &&
	for f in out/fds/*.fds; do
		head -1 "$f" >h &&
		test_grep "^# leaky fds: pid [1-9][0-9]*, open [0-9]*, listed [0-9]*, socket [0-9]*, pipe [0-9]*, anon_inode [0-9]*, file [0-9]*, other [0-9]*\(, threads [0-9]*\)\?$" h &&
		listed=$(sed "s/.*, listed \([0-9]*\),.*/\1/" h) &&
		open=$(sed "s/.*, open \([0-9]*\),.*/\1/" h) &&
		test "$listed" = "$open" &&
		test "$(wc -l <"$f")" = $((listed + 1)) &&
		sed 1d "$f" | grep -v "^[0-9][0-9]* [^ ]" >bad;
		test_line_count = 0 bad || return 1
	done &&
	test_grep "^# leaky fds: pid $FDS_PID," "$(tail -1 files)" &&
	test_grep "^[0-9]* pipe:\[[0-9]*\]$" "$(tail -1 files)" &&
	test_grep "^[0-9]* socket:\[[0-9]*\]$" "$(tail -1 files)"
'

test_expect_success 'leaky report: the leaking target'"'"'s descriptors leak, pipes grew' '
	test_expect_code 3 "$LEAKY" report out >rep 2>rerr &&
	test_line_count = 0 rerr &&
	test_grep "^== fds: leak$" rep &&
	test_grep "^   open fds: [0-9]* -> [0-9]* (+[0-9]* in [0-9]* s), [0-9]*/h, p [<=] [0-9.]*, [0-9]*% of steps up: leak (rises throughout: " rep &&
	test_grep "^     by type: pipe +[1-9][0-9]* ([0-9]* -> [0-9]*)" rep &&
	"$LEAKY" report --csv --fail-on never out >rep.csv &&
	test_grep "^fds,1,open_fds,,$ROUNDS," rep.csv
'

test_expect_success 'a cut or garbled .fds file: one line naming it, the rest read' '
	cp -r out cut &&
	f=$(ls cut/fds/fds_*.fds | tail -1) &&
	head -c 120 "$f" >"$f.x" && mv "$f.x" "$f" &&
	g=$(ls cut/fds/healthy_*.fds | tail -1) &&
	printf "# leaky fds: what\n" >"$g" &&
	test_expect_code 3 "$LEAKY" report cut >rep 2>rerr &&
	test_line_count = 2 rerr &&
	test_grep "^leaky report: $f: truncated fds list: " rerr &&
	test_grep "^leaky report: $g:1: a fds header must be " rerr &&
	test_grep "^leaky report: 2 targets, .* files (2 unreadable)$" rep &&
	test_grep "^== fds: leak$" rep
'

test_expect_success 'more descriptors than are listed: all counted, 1000 listed' '
	perl -e "open(\$f[\$_], \"<\", \"/dev/null\") or die for 1..1500;
		sleep $(slow 60)" &
	p=$! && echo $p >>"$SERVERS" &&
	wait_until 10 more_fds_than $p 1500 &&
	collect -o many -n 1 -q -t "m=http://127.0.0.1:1,pid=$p,profiles=fds" \
		2>err &&
	kill $p &&
	f=$(ls many/fds/m_*.fds) &&
	head -1 "$f" >h &&
	test_grep "^# leaky fds: pid $p, open 15[0-9][0-9], listed 1000, socket [0-9]*, pipe [0-9]*, anon_inode [0-9]*, file 15[0-9][0-9], other [0-9]*\(, threads [0-9]*\)\?$" h &&
	test "$(wc -l <"$f")" = 1001
'

test_expect_success 'a process that vanishes mid-run: failed fds rows, no crash' '
	# The lab under a parent that never waits: killed, it stays a
	# zombie until that parent goes.
	sh -c "\"\$0\" -addr-file victim.addr -pidfile victim.pid \
		-duration $SERVER_LIFE -scenario healthy >victim.log 2>&1 &
		exec sleep $(slow 60)" "$LAB" &
	PARENT=$! && echo $PARENT >>"$SERVERS" &&
	wait_file victim.addr && wait_file victim.pid &&
	VP=$(cat victim.pid) && echo $VP >>"$SERVERS" &&
	V=$(head -1 victim.addr) || exit 1
	# (a list ending in & runs in the background whole: the collector
	# starts on its own)
	(
		"$LEAKY" collect -o gone -i "$I" -d "$(slow 60)s" --no-spread \
			-q -t "v=http://$V,pid=$VP,profiles=fds" 2>gerr &
		echo $! >g.pid
		wait $!
		echo $? >g.status
	) &
	wait_until 10 test -s g.pid &&
	cat g.pid >>"$SERVERS" &&
	wait_until 30 has_rows gone 2 fds ok v &&
	kill -9 $VP &&
	wait_until 30 has_rows gone 2 fds failed v &&
	test_grep ",v,fds,failed,/proc/$VP/fd,.*,\"process $VP is gone (exited, not yet reaped by its parent)\"," gone/manifest.csv &&
	kill $PARENT &&
	n=$(count_rows gone fds failed v) &&
	wait_until 30 has_rows gone $((n + 2)) fds failed v &&
	kill -INT $(cat g.pid) &&
	wait_until 30 test -s g.status &&
	test "$(cat g.status)" -le 1 &&
	test_grep ",v,fds,failed,fds,.*,process $VP is gone,$" gone/manifest.csv &&
	test "$(grep -c "^leaky collect: v: process: process $VP is gone$" gerr)" = 1 &&
	test "$(grep -c "^leaky collect: v: fds: process $VP is gone (exited" gerr)" = 1 &&
	manifest_matches gone
'

test_done

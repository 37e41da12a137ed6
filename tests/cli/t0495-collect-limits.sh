#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect's limits kind against real processes: the lab leaking in a
# scratch memory cgroup limited to 256 MiB (where this machine lets the
# test make one: root, and cgroup v2 at /sys/fs/cgroup with the memory
# controller, or else a v1 memory hierarchy at /sys/fs/cgroup/memory) and
# in the test's own cgroup (no limit, $GOMEMLIMIT set); leaky report's
# projection to the limit, and OOM kills read as restarts.
test_description='leaky collect: memory limits (limits)'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
I=$(slow 1)s
ROUNDS=15
LIMIT=268435456

# ---- a scratch cgroup limited to 256 MiB, where the machine allows -----
CG=
CGV=
LIMITED=
NOCG=
if [ "$(id -u)" != 0 ]; then
	NOCG="not root: no cgroup can be made"
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	if grep -qw memory /sys/fs/cgroup/cgroup.controllers &&
	   { grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
	     echo +memory >/sys/fs/cgroup/cgroup.subtree_control; } 2>/dev/null &&
	   mkdir "/sys/fs/cgroup/leaky-t0495.$$" 2>/dev/null; then
		CG=/sys/fs/cgroup/leaky-t0495.$$
		CGV=2
		echo $LIMIT >"$CG/memory.max" 2>/dev/null ||
			NOCG="cgroup v2: memory.max of a new cgroup not writable"
	else
		NOCG="cgroup v2 at /sys/fs/cgroup without the memory controller for a child cgroup"
	fi
elif [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] &&
     mkdir "/sys/fs/cgroup/memory/leaky-t0495.$$" 2>/dev/null; then
	CG=/sys/fs/cgroup/memory/leaky-t0495.$$
	CGV=1
	echo $LIMIT >"$CG/memory.limit_in_bytes" 2>/dev/null ||
		NOCG="cgroup v1: memory.limit_in_bytes of a new cgroup not writable"
else
	NOCG="no cgroup v2 at /sys/fs/cgroup, no v1 memory hierarchy to make a cgroup in"
fi

# The lab in the cgroup goes, then the cgroup (it empties once its one
# process is reaped).
cg_cleanup() {
	if [ -s limited.pid ]; then
		kill -9 "$(cat limited.pid)" 2>/dev/null
		wait "$(cat limited.pid)" 2>/dev/null
	fi
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		n=0
		until rmdir "$CG" 2>/dev/null || [ $n -ge 50 ]; do
			n=$((n + 1))
			sleep 0.1
		done
		[ -d "$CG" ] && say "# could not remove $CG" >&2
	fi
}
trap 'cg_cleanup; stop_servers; remove_trash' EXIT

if [ -n "$CG" ] && [ -z "$NOCG" ]; then
	# The lab started inside it: its pid in cgroup.procs, then exec. It
	# leaks four times as fast as the default tick makes it (1.3 MB/s), so
	# that its RSS grows through many of the runtime's heap steps in 15
	# rounds even when a busy machine delays its ticker: at 320 KB/s, 2
	# runs in 16 under load saw RSS flat in the second half (a warm-up).
	rm -f limited.addr limited.pid
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
		"$LAB" -addr-file "$PWD/limited.addr" \
		-pidfile "$PWD/limited.pid" -duration $SERVER_LIFE \
		-scenario leak -rate 1 -tick 25ms >limited.log 2>&1 &
	echo $! >>"$SERVERS"
	wait_file limited.addr && wait_file limited.pid || exit 1
	LIMITED=$(head -1 limited.addr)
	grep -q "leaky-t0495.$$\$" "/proc/$(cat limited.pid)/cgroup" || exit 1
fi

# The same lab in the test's own cgroup, with a soft limit for its heap.
GOMEMLIMIT=512MiB start_lab free -scenario leak -rate 1 || exit 1
FREE=$(head -1 free.addr)

# own_limit: the smallest memory limit from this shell's cgroup up to the
# root, as the files say; empty for none.
own_limit() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		d=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
		f=memory.max
	else
		d=/sys/fs/cgroup/memory$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
		f=memory.limit_in_bytes
	fi
	min=
	while :; do
		v=$(cat "$d/$f" 2>/dev/null)
		case $v in
		''|max) ;;
		*) if [ ${#v} -lt 19 ] && { [ -z "$min" ] || [ "$v" -lt "$min" ]; }; then
			min=$v
		   fi ;;
		esac
		case $d in /sys/fs/cgroup|/sys/fs/cgroup/memory) break ;; esac
		d=${d%/*}
	done
	echo "$min"
}

# The heap and goroutine protos for the heap's trend; not the text dumps,
# large at -rate 1, which a busy machine may not serve within a second.
targets="-t free=http://$FREE"
[ -n "$LIMITED" ] && targets="$targets -t limited=http://$LIMITED"
test_expect_success 'one limits row a round for each target' '
	collect -o out -i "$I" -n $ROUNDS --no-spread -q \
		-p heap,goroutine,memory $targets 2>err;
	rc=$? && cat err && test $rc = 0 &&
	test_grep "^leaky collect: done after $ROUNDS rounds: " err &&
	test "$(count_rows out limits ok free)" = $ROUNDS &&
	test "$(count_rows out limits failed)" = 0 &&
	pid=$(cat free.pid) &&
	awk -F, -v p=$pid "NR > 1 && \$3 == \"free\" && \$4 == \"limits\" &&
		(\$6 != \"/proc/\" p \"/cgroup\" || \$11 != p)" out/manifest.csv >bad &&
	test_line_count = 0 bad &&
	manifest_matches out &&
	ls out/limits/free_*.limits >files &&
	test_line_count = $ROUNDS files
'

test_expect_success 'each .limits file: the header, the limit, GOMEMLIMIT' '
	for f in out/limits/*.limits; do
		head -1 "$f" >h &&
		test_grep "^# leaky limits: pid [1-9][0-9]*$" h &&
		test_grep "^cgroup \(v1\|v2\|none\)" "$f" &&
		test_grep "^limit \([0-9][0-9]*\|none\)" "$f" &&
		test_grep "^usage \([0-9][0-9]*\|unknown\)" "$f" &&
		test_grep "^oom_kill \([0-9][0-9]*\|unknown\)" "$f" || return 1
	done &&
	for f in out/limits/free_*.limits; do
		test_grep "^# leaky limits: pid $(cat free.pid)$" "$f" &&
		test_grep "^gomemlimit 536870912$" "$f" || return 1
	done
'

own=$(own_limit)
if [ -z "$own" ]; then
	test_expect_success 'no limit: the files say none, the report projects nothing to it' '
		for f in out/limits/free_*.limits; do
			test_grep "^limit none" "$f" || return 1
		done &&
		test_expect_code 3 "$LEAKY" report out >rep 2>rerr &&
		test_line_count = 0 rerr &&
		sed -n "/^== free: /,/^==/p" rep >free.rep &&
		! grep "^     \(RSS\|anonymous RSS\) reaches" free.rep &&
		"$LEAKY" report --csv --fail-on never out >rep.csv &&
		head -1 rep.csv | grep -q ",rule,rising_since,hours_to_limit,path_of,path_share$" &&
		awk -F, "\$1 == \"free\" && \$3 ~ /rss/ && \$(NF - 2) != \"\"" rep.csv >bad &&
		test_line_count = 0 bad
	'
else
	test_skip 'no limit: the files say none, the report projects nothing to it' \
		"this test's own cgroup is limited to $own bytes"
fi

test_expect_success 'GOMEMLIMIT: a growing heap is projected to the soft limit' '
	"$LEAKY" report --fail-on never out >rep &&
	sed -n "/^== free: /,/^==/p" rep >free.rep &&
	if grep -q "^   heap in use: .*: \(leak\|suspect\) " free.rep; then
		test_grep "^     heap in use reaches the 512.0 MiB soft limit (GOMEMLIMIT) in about [0-9].* at this rate (Theil-Sen, 95% interval .* to .*)$" free.rep
	else
		! grep "soft limit" free.rep
	fi
'

test_expect_success 'an OOM kill count that rises: a restart with its cause' '
	cp -r out oom &&
	n=0 &&
	for f in $(ls oom/limits/free_*.limits); do
		n=$((n + 1)) &&
		if [ $n -le 8 ]; then k=2; else k=3; fi &&
		sed "s/^oom_kill .*/oom_kill $k memory.events/" "$f" >"$f.x" &&
		mv "$f.x" "$f" || return 1
	done &&
	"$LEAKY" report --fail-on never oom >rep &&
	sed -n "/^== free: /,/^==/p" rep >free.rep &&
	test_grep "^   restart near [0-9TZ:-]*: OOM kill (memory.events oom_kill 2 -> 3)$" free.rep
'

test_expect_success 'a garbled .limits file: one line naming it, the rest read' '
	cp -r out garbled &&
	f=$(ls garbled/limits/free_*.limits | tail -1) &&
	printf "# leaky limits: pid 7\nlimit lots\n" >"$f" &&
	test_expect_code 1 "$LEAKY" report --fail-on never garbled >rep 2>rerr &&
	test_line_count = 1 rerr &&
	test_grep "^leaky report: $f:2: .limit. must be followed by a number of bytes, none or unknown$" rerr
'

if [ "$CGV" = 2 ]; then
	lf=memory.max uf=memory.current
else
	lf=memory.limit_in_bytes uf=memory.usage_in_bytes
fi
if [ -n "$LIMITED" ]; then
	test_expect_success "cgroup v$CGV limited to 256 MiB: the files say so" '
		test "$(count_rows out limits ok limited)" = $ROUNDS &&
		for f in out/limits/limited_*.limits; do
			test_grep "^cgroup v$CGV /leaky-t0495.$$$" "$f" &&
			test_grep "^limit $LIMIT $lf /leaky-t0495.$$$" "$f" &&
			test_grep "^usage [0-9]* $uf$" "$f" &&
			u=$(sed -n "s/^usage \([0-9]*\) .*/\1/p" "$f") &&
			test "$u" -ge 1048576 && test "$u" -lt $LIMIT &&
			test_grep "^oom_kill 0 " "$f" &&
			test_grep "^gomemlimit none$" "$f" || return 1
		done
	'

	test_expect_success 'leaky report: the leaking RSS reaches the limit in a plausible time' '
		"$LEAKY" report --fail-on never out >rep &&
		sed -n "/^== limited: /,/^==/p" rep >lim.rep &&
		test_grep "^   RSS: .*: \(leak\|suspect\) " lim.rep &&
		test_grep "^     RSS reaches the 256.0 MiB limit ($lf) in about [0-9][0-9hmds ]* at this rate (Theil-Sen, 95% interval [0-9][0-9hmds ]* to \([0-9][0-9hmds ]*\|never\))$" lim.rep &&
		"$LEAKY" report --csv --fail-on never out >rep.csv &&
		awk -F, -v L=$LIMIT "\$1 == \"limited\" && \$3 == \"rss_bytes\" {
			h = \$(NF - 2); want = (L - \$9) / \$14;
			if (h > 0.002 && h < 24 && (h - want) / want < 0.01 &&
			    (want - h) / want < 0.01) print \"ok\", h }" rep.csv >got &&
		test_line_count = 1 got
	'
else
	test_skip 'cgroup limited to 256 MiB: the files say so' "$NOCG"
	test_skip 'leaky report: the leaking RSS reaches the limit in a plausible time' "$NOCG"
fi

# metric NAME TARGET FILE: the target's sample of NAME in FILE.
metric() {
	sed -n "s/^$1{target=\"$2\"} //p" "$3"
}

# has_limits_metrics: /metrics shows every target's OOM kills (each
# target's first limits file is in).
has_limits_metrics() {
	curl -sS --max-time 5 -o m "$URL" &&
	test -n "$(metric leaky_target_oom_kills_total free m)" &&
	{ [ -z "$LIMITED" ] ||
	  test -n "$(metric leaky_target_oom_kills_total limited m)"; }
}

test_expect_success '--listen: the limit and the OOM kills, as the last .limits file says' '
	(
		sh -c "echo \$\$ >c.pid && exec \"\$0\" collect \"\$@\"" \
			"$LEAKY" -o lout -i "$I" -n 6 --no-spread -q \
			--listen 127.0.0.1:0 -p limits $targets 2>lerr
		echo $? >c.status
	) &
	wait_until 10 test -s c.pid &&
	cat c.pid >>"$SERVERS" &&
	wait_until 10 grep -qs "listening on" lerr &&
	URL=$(sed -n "s/^leaky collect: listening on //p" lerr) &&
	wait_until 30 has_limits_metrics &&
	test_grep "^# TYPE leaky_target_memory_limit_bytes gauge$" m &&
	test_grep "^# TYPE leaky_target_oom_kills_total counter$" m &&
	wait_until 30 test -s c.status &&
	test "$(cat c.status)" = 0 &&
	# the last scrape against the last files of the run: the limit and the
	# kill count do not change in a run without OOM kills
	for t in free ${LIMITED:+limited}; do
		f=$(ls lout/limits/${t}_*.limits | tail -n 1) &&
		lim=$(sed -n "s/^limit \([0-9][0-9]*\) .*/\1/p" "$f") &&
		oom=$(sed -n "s/^oom_kill \([0-9][0-9]*\) .*/\1/p" "$f") &&
		test "$(metric leaky_target_oom_kills_total $t m)" = "${oom:-}" &&
		if [ -n "$lim" ]; then
			test "$(metric leaky_target_memory_limit_bytes $t m)" = "$lim"
		else
			test -z "$(metric leaky_target_memory_limit_bytes $t m)"
		fi || return 1
	done
'

test_done

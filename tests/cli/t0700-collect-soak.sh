#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A bounded soak of the collector: SOAK_ROUNDS runs (8) against a lab
# target killed and restarted on its port, a server sending garbage, slow
# bodies and oversize ones, and a flaky one; an output directory on a tiny
# tmpfs (as root; else a file-size limit) filled up during one run; SIGTERM
# at random moments; profiles/ swapped for a link to a directory outside
# during the first run; the manifest left cut inside a quoted field (as a
# collector killed mid-write leaves it) before one run. Afterwards every
# sample file decodes, no temporary file is left, nothing was written
# through the link, and the manifest has one row per fetch of every round.
# SOAK_SEED replays a run (it is printed).
test_description='leaky collect: soak'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
need_faultsrv || exit 1
ROUNDS=${SOAK_ROUNDS:-8}
SEED=${SOAK_SEED:-$(date +%s)}
say "# soak seed $SEED, $ROUNDS runs"

# rnd N: R gets a pseudo-random number in [0, N) from SEED, advanced.
rnd() {
	SEED=$((SEED + 1))
	R=$(awk -v s="$SEED" -v n="$1" \
		'BEGIN { srand(s); print int(rand() * n) }')
}
# rsleep MS: sleeps between 0 and MS milliseconds.
rsleep() {
	rnd "$1"
	sleep "$(awk -v m="$R" 'BEGIN { printf "%.3f", m / 1000 }')"
}

# The quota: a tmpfs with room for the runs (a run writes some 200 KiB),
# filled up to 48 KiB free for one run: the other runs have room.
Q=$TRASH/q
mkdir "$Q"
QUOTA=ulimit
if [ "$(id -u)" = 0 ] &&
   mount -t tmpfs -o size=$((1024 + ROUNDS * 256))k,mode=0755 leaky-soak \
	"$Q" 2>/dev/null; then
	QUOTA=tmpfs
	trap 'stop_servers
		if [ -n "${TEST_KEEP:-}" ]; then cp -a "$Q" "$Q.kept"; fi
		umount "$Q"; remove_trash' EXIT
fi
say "# quota: $QUOTA"
OUT=$Q/out

start_faultsrv f -big 1048576 -slow 1s || exit 1
F=$(sed -n 1p f.addr)
start_lab lab0 -scenario leak || exit 1
L=$(head -1 lab0.addr)

# Target, then its kinds as the manifest names them (the expected rows).
cat >kinds <<EOF
lab heap heap.txt goroutine goroutine.txt smaps_rollup
garbage heap goroutine.txt
slow heap
big heap
flaky heap heap.txt
EOF

# The run during which profiles/ is a link to $OUTSIDE for a while, and
# the run after which the manifest is left cut mid-row (the next run must
# cut the row off: not the run that fills the disk).
LINK_RUN=1
CRASH_RUN=0
if [ "$ROUNDS" -ge 3 ]; then
	CRASH_RUN=$((ROUNDS - 1))
fi
OUTSIDE=$TRASH/outside
mkdir "$OUTSIDE"
CUT_ROW='2026-01-01T00:00:00.000Z,99,lab,heap,failed,"http://cut/,mid'

# grown FROM: the manifest has more than FROM lines.
grown() {
	test -f "$OUT/manifest.csv" &&
	test "$(wc -l <"$OUT/manifest.csv")" -gt "$1"
}

# plant_link: while the collector $c is stopped (it cannot make profiles/
# again in between), profiles/ becomes a link to $OUTSIDE; unplant_link
# puts it back.
plant_link() {
	kill -STOP $c &&
	mv "$OUT/profiles" "$OUT/profiles.saved" &&
	ln -s "$OUTSIDE" "$OUT/profiles" &&
	kill -CONT $c
}
unplant_link() {
	kill -STOP $c 2>/dev/null
	rm "$OUT/profiles" &&
	mv "$OUT/profiles.saved" "$OUT/profiles" &&
	{ kill -CONT $c 2>/dev/null; true; }
}

labs=1
kills=0
terms=0
fills=0
: >runs
test_expect_success "$ROUNDS collector runs under faults" '
	rnd $((ROUNDS - 1)) &&
	fill_run=$((R + 2)) &&
	if [ $fill_run = $((CRASH_RUN + 1)) ]; then
		fill_run=$((fill_run - 1))
	fi &&
	k=1 &&
	while [ $k -le $ROUNDS ]; do
		rnd 4 &&
		sn=$((3 + R)) &&
		if [ $k = $fill_run ]; then
			fills=$((fills + 1))
			if [ $QUOTA = tmpfs ]; then
				avail=$(df -k --output=avail "$Q" | tail -1) &&
				dd if=/dev/zero of="$Q/filler" bs=1k \
					count=$((avail - 48)) 2>/dev/null
			fi
		fi &&
		sbefore=$(if [ -f "$OUT/manifest.csv" ]; then
			wc -l <"$OUT/manifest.csv"; else echo 1; fi)
		# (a list ending in & runs wholly in the background: not &&)
		(
			if [ $k = $fill_run ] && [ $QUOTA = ulimit ]; then
				ulimit -f 48
			fi
			exec "$LEAKY" collect -o "$OUT" -i 400ms --timeout 350ms \
				-n $sn --no-spread --no-fsync --max-body 256k \
				-t "lab=http://$L,profiles=heap+heap.txt+goroutine+goroutine.txt+smaps_rollup" \
				-t "garbage=http://$F/corrupt,profiles=heap+goroutine.txt" \
				-t "slow=http://$F/slow,profiles=heap" \
				-t "big=http://$F/big,profiles=heap" \
				-t "flaky=http://$F/flaky,profiles=heap+heap.txt"
		) 2>err.$k &
		c=$! &&
		if [ $k = $LINK_RUN ]; then
			wait_until 10 grown "$sbefore" &&
			plant_link &&
			wait_until 10 grep -q "/profiles: is a symbolic link, refusing to follow it" "$OUT/manifest.csv" &&
			unplant_link
		fi &&
		rsleep 1200 &&
		# The run that fills the disk runs whole: cut short by a
		# SIGTERM, or with its lab dead, it could write less than the
		# 48 KiB left and never meet the full disk (a sanitizer run
		# did: 0 write errors).
		rnd 2 &&
		if [ $R = 0 ] && [ $k != $fill_run ]; then
			kill -9 $(cat lab$((labs - 1)).pid) &&
			kills=$((kills + 1)) &&
			rsleep 600 &&
			start_lab lab$labs -scenario leak -addr $L &&
			labs=$((labs + 1))
		fi &&
		rnd 3 &&
		if [ $R = 0 ] && [ $k != $fill_run ]; then
			rsleep 800 &&
			wait_until 10 started err.$k &&
			kill -TERM $c 2>/dev/null &&
			terms=$((terms + 1))
		fi
		wait $c
		status=$?
		rm -f "$Q/filler"
		if [ $k = $CRASH_RUN ]; then
			printf "%s" "$CUT_ROW" >>"$OUT/manifest.csv"
		fi
		safter=$(wc -l <"$OUT/manifest.csv")
		echo "$k $sn $status $sbefore $safter" >>runs
		# exit 0, or 1 when the output could not be written (rows
		# lost mid-run, or the last ones)
		case $status in
		0) ;;
		1) test_grep "could not be written" err.$k ||
			exit 1 ;;
		*) cat err.$k; exit 1 ;;
		esac
		k=$((k + 1))
	done &&
	echo "$kills $terms $fills" >faults
'

test_expect_success 'no temporary file, every listed file there, none unlisted' '
	! find "$OUT" -name "*.tmp.*" | grep -q . &&
	manifest_matches "$OUT"
'

test_expect_success 'nothing written through the planted link; it was met' '
	test -z "$(ls -A "$OUTSIDE")" &&
	test_grep "cannot save: .*/profiles: is a symbolic link, refusing to follow it" err.$LINK_RUN &&
	! test -e "$OUT/profiles.saved"
'

test_expect_success 'the row cut mid-field was cut off, kept aside' '
	if [ $CRASH_RUN = 0 ]; then exit 0; fi &&
	test_grep "cut off a partial last row" err.$((CRASH_RUN + 1)) &&
	printf "%s\n" "$CUT_ROW" >expect.partial &&
	test_cmp expect.partial "$OUT/manifest.csv.partial" &&
	! grep -q "http://cut/" "$OUT/manifest.csv" &&
	# every row whole: leaky report names no line of the manifest
	{ "$LEAKY" report --fail-on never "$OUT" >report.out 2>report.err ||
		:; } &&
	! grep "manifest.csv" report.err
'

# check_file FILE: the leaky command for its kind decodes it.
check_file() {
	case $1 in
	*.heap.pb.gz|*.heap.txt.gz) "$LEAKY" heaper "$1" ;;
	*.goroutine.pb.gz|*.goroutine.txt.gz) "$LEAKY" goroutines "$1" ;;
	*.smaps_rollup|*.pmap|*.status) "$LEAKY" pmap "$1" ;;
	*) echo "unexpected file $1" >&2; return 1 ;;
	esac
}

test_expect_success 'every file under a final name decodes' '
	files=0 &&
	good=0 &&
	for f in $(files_in "$OUT"); do
		files=$((files + 1)) &&
		if check_file "$OUT/$f" >/dev/null 2>dec.err; then
			good=$((good + 1))
		else
			echo "does not decode: $f" && cat dec.err
		fi
	done &&
	echo "$files $good" >decoded &&
	test "$files" = "$good" &&
	test "$files" -gt 0
'

# Per run, per round and target: one row per kind (ok or failed), or the
# round recorded as skipped for the target. The run that filled the disk
# may have lost rows (each one it could not write is reported), never
# doubled them.
test_expect_success 'the manifest accounts for every fetch of every round' '
	: >accounting &&
	while read k n status before after; do
		awk -F, -v from="$before" -v to="$after" -v run=$k \
			-v st=$status "
			FNR == NR { for (i = 2; i <= NF; i++) want[\$1, \$i] = 1
				    tk[\$1] = NF - 1; next }
			FNR <= from || FNR > to { next }
			\$4 == \"restart\" { next }
			\$4 == \"round\" { skip[\$2, \$3] = 1; next }
			{ rows[\$2, \$3, \$4]++; seen[\$2] = 1; n++
			  if (!((\$3, \$4) in want)) {
				print \"run \" run \": unexpected row \" \$0; bad = 1 } }
			END {
				for (r in seen) for (t in tk) {
					if ((r, t) in skip) continue
					for (w in want) {
						split(w, p, SUBSEP)
						if (p[1] != t) continue
						c = rows[r, t, p[2]] + 0
						if (c > 1 || (c == 0 && st == 0)) {
							print \"run \" run \" round \" r \": \" t \" \" p[2] \": \" c \" rows\"
							bad = 1
						}
					}
				}
				print run, length(seen), n + 0
				exit bad
			}" FS=" " kinds FS=, "$OUT/manifest.csv" >>accounting ||
			{ cat accounting; exit 1; }
	done <runs &&
	test "$(awk "{ s += \$3 } END { print s }" accounting)" = \
		"$(awk -F, "NR > 1 && \$4 != \"restart\" && \$4 != \"round\"" \
			"$OUT/manifest.csv" | wc -l)"
'

test_expect_success 'the full disk was met and reported' '
	if [ $QUOTA = tmpfs ]; then
		cat err.* | grep -c "No space left on device" >enospc
	else
		cat err.* | grep -c "File too large" >enospc
	fi &&
	test "$(cat enospc)" -gt 0
'

# The soak's figures, for the log (tests/run.sh VERBOSE=1 shows them).
if [ -s faults ] && [ -s decoded ] && [ -s accounting ]; then
	read kills terms fills <faults
	read files good <decoded
	m=$OUT/manifest.csv
	say "# runs $(wc -l <runs), collector rounds" \
		"$(awk '{ s += $2 } END { print s }' accounting);" \
		"faults: lab kills $kills, SIGTERMs $terms, disk fills" \
		"($QUOTA) $fills, write errors $(cat enospc 2>/dev/null);" \
		"garbage, slow, oversize and flaky targets every round"
	say "# files $files, decode $good; manifest rows" \
		"$(awk -F, 'NR > 1' "$m" | wc -l): ok" \
		"$(awk -F, '$5 == "ok"' "$m" | wc -l), failed" \
		"$(awk -F, '$5 == "failed"' "$m" | wc -l), skipped" \
		"$(awk -F, '$5 == "skipped"' "$m" | wc -l), restart" \
		"$(awk -F, '$5 == "restart"' "$m" | wc -l)"
fi

test_done

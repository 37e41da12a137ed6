#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect's benchmark (make bench runs it with leaky's absolute path):
#  1. one round over 200 loopback targets (the lab target serving 200
#     ports), 4 HTTP profiles each: wall time and CPU, against a serial
#     curl loop over the same 800 URLs, the way it was done before;
#  2. a fleet: 1,000 loopback targets (ten lab processes of 100 ports,
#     -frozen: each port answers with the profiles of one small service,
#     where the profiles of a process with a hundred ports' connections
#     would make the targets, not the collector, what the bench measures),
#     4 HTTP profiles each: one round's wall
#     time, CPU and CPU per fetch against curl --parallel over the same
#     4,000 URLs (64 at once, as collect's --max-connections; no checks,
#     no fsync); then BENCH_FLEET_ROUNDS rounds (3; 100 for the issue's
#     figure, some 17 minutes) at a 10 s interval, spread: lateness,
#     rounds skipped, CPU per fetch;
#  3. the schedule over 300 rounds at 50 ms: lateness of each round against
#     the ideal fixed-rate schedule, against a curl-then-sleep loop.
set -eu
LEAKY=${1:?usage: bench-collect.sh /absolute/path/to/leaky}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB="$ROOT/build/lab"
N=${BENCH_TARGETS:-200}
ROUNDS=${BENCH_ROUNDS:-300}
FLEET=${BENCH_FLEET:-1000}
FLEET_ROUNDS=${BENCH_FLEET_ROUNDS:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/leaky-bench-collect.XXXXXX")
LABPID=
FLEETPIDS=

cleanup() {
	[ -n "$LABPID" ] && kill "$LABPID" 2>/dev/null
	for p in $FLEETPIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ -x "$LAB" ] || (cd "$ROOT" && make lab >/dev/null)
command -v curl >/dev/null || { echo "bench-collect: curl missing" >&2; exit 1; }

"$LAB" -scenario healthy -ports $((N - 1)) -addr-file "$W/addrs" \
	-duration 60m >"$W/lab.log" 2>&1 &
LABPID=$!
i=0
while [ ! -s "$W/addrs" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "bench-collect: lab did not start" >&2; exit 1; }
	sleep 0.05
done

# The configuration: one target per port, the four HTTP profiles.
{
	echo 'profiles = ["heap", "heap.txt", "goroutine", "goroutine.txt"];'
	echo 'targets = ('
	awk '{ printf "%s{ name = \"t%03d\"; url = \"http://%s\"; }\n",
		(NR > 1 ? "," : ""), NR, $1 }' "$W/addrs"
	echo ');'
} >"$W/bench.conf"
awk '{ print "http://" $1 "/debug/pprof/heap";
       print "http://" $1 "/debug/pprof/heap?debug=1";
       print "http://" $1 "/debug/pprof/goroutine";
       print "http://" $1 "/debug/pprof/goroutine?debug=2" }' \
	"$W/addrs" >"$W/urls"
NURLS=$(wc -l <"$W/urls")

# timed NAME CMD...: runs CMD, appends "NAME wall user sys maxrss_kb".
timed() {
	name=$1
	shift
	/usr/bin/time -f "$name %e %U %S %M" -a -o "$W/times" "$@"
}

# Warm the lab up (first-use costs in the Go runtime).
curl -s -o /dev/null "$(head -1 "$W/urls")"

# 1. one round.
for run in 1 2 3; do
	rm -rf "$W/out"
	timed "collect" "$LEAKY" collect -c "$W/bench.conf" -n 1 \
		--no-spread -q -o "$W/out" 2>"$W/collect.err"
	ok=$(awk -F, 'NR > 1 && $5 == "ok"' "$W/out/manifest.csv" | wc -l)
	[ "$ok" = "$NURLS" ] || {
		echo "bench-collect: $ok of $NURLS fetches ok" >&2
		cat "$W/collect.err" >&2
		exit 1
	}
	rm -rf "$W/out"
	timed "collect-nofsync" "$LEAKY" collect -c "$W/bench.conf" -n 1 \
		--no-spread --no-fsync -q -o "$W/out" 2>"$W/collect.err"
	mkdir -p "$W/curl"
	timed "curl" sh -c 'n=0; while read -r u; do n=$((n + 1));
		curl -sf -o "$1/curl/$n" "$u" || exit 1; done <"$2"' \
		sh "$W" "$W/urls"
	rm -rf "$W/curl"
done

# best of three (wall), with its CPU
best() {
	awk -v n="$1" '$1 == n { if (!seen || $2 < w) { w = $2; c = $3 + $4;
		m = $5; seen = 1 } } END { printf "%.3f %.3f %d\n", w, c, m }' \
		"$W/times"
}
set -- $(best collect)
cw=$1 cc=$2 cm=$3
set -- $(best collect-nofsync)
nw=$1 nc=$2
set -- $(best curl)
sw=$1 sc=$2

echo "collect: one round, $N targets x 4 profiles = $NURLS fetches (best of 3)"
printf '  leaky collect          %7.3f s wall  %7.3f s CPU  %6d kB max RSS\n' \
	"$cw" "$cc" "$cm"
printf '  leaky collect no-fsync %7.3f s wall  %7.3f s CPU\n' "$nw" "$nc"
printf '  serial curl loop       %7.3f s wall  %7.3f s CPU\n' "$sw" "$sc"
awk -v a="$sw" -v b="$cw" -v c="$sc" -v d="$cc" -v e="$nw" 'BEGIN {
	printf "  ratio curl/collect: %.1fx wall, %.1fx CPU " \
	       "(%.1fx wall without fsync)\n", a / b, c / d, a / e }'

# 2. a fleet of FLEET targets in lab processes of 100 ports each.
nlabs=$(((FLEET + 99) / 100))
l=0
while [ $l -lt $nlabs ]; do
	"$LAB" -scenario healthy -ports 99 -frozen \
		-addr-file "$W/fleet$l.addrs" -duration 60m >"$W/fleet$l.log" 2>&1 &
	FLEETPIDS="$FLEETPIDS $!"
	l=$((l + 1))
done
l=0
while [ $l -lt $nlabs ]; do
	i=0
	while [ ! -s "$W/fleet$l.addrs" ] ||
	      [ "$(wc -l <"$W/fleet$l.addrs")" -lt 100 ]; do
		i=$((i + 1))
		[ $i -lt 400 ] || { echo "bench-collect: fleet lab $l did not start" >&2; exit 1; }
		sleep 0.05
	done
	l=$((l + 1))
done
cat "$W"/fleet*.addrs | head -n "$FLEET" >"$W/fleet.addrs"
{
	echo 'profiles = ["heap", "heap.txt", "goroutine", "goroutine.txt"];'
	echo 'targets = ('
	awk '{ printf "%s{ name = \"f%04d\"; url = \"http://%s\"; }\n",
		(NR > 1 ? "," : ""), NR, $1 }' "$W/fleet.addrs"
	echo ');'
} >"$W/fleet.conf"
awk '{ for (k = 1; k <= 4; k++) {
	split("heap heap?debug=1 goroutine goroutine?debug=2", p, " ");
	printf "url = \"http://%s/debug/pprof/%s\"\noutput = \"%d_%d\"\n",
		$1, p[k], NR, k } }' "$W/fleet.addrs" >"$W/fleet.curl"
FURLS=$((FLEET * 4))
for run in 1 2; do
	rm -rf "$W/fout"
	timed "fleet" "$LEAKY" collect -c "$W/fleet.conf" -n 1 --no-spread \
		-q -o "$W/fout" 2>"$W/fleet.err"
	ok=$(awk -F, 'NR > 1 && $5 == "ok"' "$W/fout/manifest.csv" | wc -l)
	[ "$ok" = "$FURLS" ] || {
		echo "bench-collect: fleet: $ok of $FURLS fetches ok" >&2
		sed 5q "$W/fleet.err" >&2
		exit 1
	}
	rm -rf "$W/fcurl"
	mkdir "$W/fcurl"
	(cd "$W/fcurl" && timed "fleet-curl" curl -sf --no-progress-meter -Z --parallel-max 64 \
		-K "$W/fleet.curl") || { echo "bench-collect: curl -Z failed" >&2; exit 1; }
done
rm -rf "$W/fcurl"
set -- $(best fleet)
fw=$1 fc=$2 fm=$3
set -- $(best fleet-curl)
fcw=$1 fcc=$2
echo "collect: a fleet, one round, $FLEET targets in $nlabs processes x 4 profiles = $FURLS fetches (best of 2)"
printf '  leaky collect          %7.3f s wall  %7.3f s CPU  %6d kB max RSS  %.2f ms CPU a fetch\n' \
	"$fw" "$fc" "$fm" "$(echo "$fc $FURLS" | awk '{ print $1 * 1000 / $2 }')"
printf '  curl --parallel (64)   %7.3f s wall  %7.3f s CPU  (no checks, no gzip, no fsync, no manifest)\n' \
	"$fcw" "$fcc"
awk -v a="$fw" -v b="$fcw" -v c="$fc" -v d="$fcc" 'BEGIN {
	printf "  ratio collect/curl: %.2fx wall, %.2fx CPU\n", a / b, c / d }'

rm -rf "$W/fsched"
timed "fleet-sched" "$LEAKY" collect -c "$W/fleet.conf" -i 10s \
	-n "$FLEET_ROUNDS" -q -o "$W/fsched" 2>"$W/fsched.err"
set -- $(best fleet-sched)
sc_cpu=$2 sc_rss=$3
late=$(sed -n 's/.*schedule lateness max \([0-9.]*\) ms, mean \([0-9.]*\) ms, last \([0-9.]*\) ms.*/\1 \2 \3/p' "$W/fsched.err")
fskipped=$(sed -n 's/.* \([0-9]*\) rounds\{0,1\} skipped.*/\1/p' "$W/fsched.err")
fok=$(awk -F, 'NR > 1 && $5 == "ok"' "$W/fsched/manifest.csv" | wc -l)
ffail=$(awk -F, 'NR > 1 && $5 == "failed"' "$W/fsched/manifest.csv" | wc -l)
set -- $late
echo "collect: a fleet, $FLEET_ROUNDS rounds at 10 s, $FLEET targets spread over the interval"
printf '  lateness max %s ms, mean %s ms; %s rounds skipped; %s fetches ok, %s failed\n' \
	"$1" "$2" "$fskipped" "$fok" "$ffail"
printf '  %.3f s CPU in all, %.2f ms CPU a fetch, %d kB max RSS\n' "$sc_cpu" \
	"$(echo "$sc_cpu $fok $ffail" | awk '{ print $1 * 1000 / ($2 + $3) }')" "$sc_rss"
for p in $FLEETPIDS; do kill "$p" 2>/dev/null; done
FLEETPIDS=

# 3. the schedule: 300 rounds at 50 ms, one target.
ADDR=$(head -1 "$W/addrs")
rm -rf "$W/drift"
"$LEAKY" collect -t d=http://$ADDR,profiles=heap -i 50ms -n "$ROUNDS" \
	--no-spread -q -o "$W/drift" 2>"$W/drift.err"
late=$(sed -n 's/.*schedule lateness max \([0-9.]*\) ms, mean \([0-9.]*\) ms, last \([0-9.]*\) ms.*/\1 \2 \3/p' "$W/drift.err")
skipped=$(sed -n 's/.* \([0-9]*\) rounds skipped.*/\1/p' "$W/drift.err")
set -- $late
lmax=$1 lmean=$2 llast=$3
# The same from the manifest's wall-clock start times (ms resolution).
awk -F, 'NR > 1 && $4 == "heap" { split($1, a, /[T:Z]/);
	t = a[2] * 3600 + a[3] * 60 + a[4]; r = $2 - 1;
	if (!n) t0 = t - r * 0.05; d = (t - t0 - r * 0.05) * 1000;
	if (d > mx) mx = d; n++ } END { printf "%.0f\n", mx }' \
	"$W/drift/manifest.csv" >"$W/wallmax"

# The old way: fetch, then sleep the interval; every fetch adds drift.
s0=$(date +%s%N)
i=0
while [ $i -lt "$ROUNDS" ]; do
	curl -sf -o /dev/null "http://$ADDR/debug/pprof/heap"
	sleep 0.05
	i=$((i + 1))
done
s1=$(date +%s%N)
echo "collect: schedule, $ROUNDS rounds at 50 ms, one target"
printf '  leaky collect  lateness max %s ms, mean %s ms, last round %s ms, ' \
	"$lmax" "$lmean" "$llast"
printf '%s rounds skipped (from the manifest: max %s ms)\n' \
	"$skipped" "$(cat "$W/wallmax")"
awk -v s0="$s0" -v s1="$s1" -v r="$ROUNDS" -v l="$llast" 'BEGIN {
	drift = (s1 - s0) / 1e6 - r * 50;
	printf "  curl+sleep     drift %.0f ms after %d rounds " \
	       "(%.1f ms more each round)\n", drift, r, drift / r;
	printf "  drift after %d rounds: %.1f ms (leaky collect, fixed " \
	       "rate) vs %.0f ms (sleep loop)\n", r, l, drift }'

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect's benchmark (make bench runs it with leaky's absolute path):
#  1. one round over 200 loopback targets (the lab target serving 200
#     ports), 4 HTTP profiles each: wall time and CPU, against a serial
#     curl loop over the same 800 URLs, the way it was done before;
#  2. the schedule over 300 rounds at 50 ms: lateness of each round against
#     the ideal fixed-rate schedule, against a curl-then-sleep loop;
#  3. scale: 1,000 loopback targets x 4 profiles, a round every 10 s, all
#     of a round's fetches at once (--no-spread): the longest round, the
#     schedule's lateness, CPU per fetch.
set -eu
LEAKY=${1:?usage: bench-collect.sh /absolute/path/to/leaky}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB="$ROOT/build/lab"
N=${BENCH_TARGETS:-200}
ROUNDS=${BENCH_ROUNDS:-300}
BIG=${BENCH_BIG_TARGETS:-1000}
BIG_ROUNDS=${BENCH_BIG_ROUNDS:-3}
BIG_IVL=${BENCH_BIG_INTERVAL:-10}
PORTS=$((BIG > N ? BIG : N))
W=$(mktemp -d "${TMPDIR:-/tmp}/leaky-bench-collect.XXXXXX")
LABPID=

cleanup() {
	[ -n "$LABPID" ] && kill "$LABPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ -x "$LAB" ] || (cd "$ROOT" && make lab >/dev/null)
command -v curl >/dev/null || { echo "bench-collect: curl missing" >&2; exit 1; }

"$LAB" -scenario healthy -ports $((PORTS - 1)) -addr-file "$W/alladdrs" \
	-duration 10m >"$W/lab.log" 2>&1 &
LABPID=$!
i=0
while [ "$(cat "$W/alladdrs" 2>/dev/null | wc -l)" -lt "$PORTS" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "bench-collect: lab did not start" >&2; exit 1; }
	sleep 0.05
done
head -n "$N" "$W/alladdrs" >"$W/addrs"

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

# 2. the schedule: 300 rounds at 50 ms, one target.
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

# 3. scale: every target the lab serves, a round every BIG_IVL seconds.
[ "$BIG" -gt 0 ] || exit 0
{
	echo 'profiles = ["heap", "heap.txt", "goroutine", "goroutine.txt"];'
	echo 'targets = ('
	awk '{ printf "%s{ name = \"t%04d\"; url = \"http://%s\"; }\n",
		(NR > 1 ? "," : ""), NR, $1 }' "$W/alladdrs"
	echo ');'
} >"$W/big.conf"
rm -rf "$W/big"
timed "big" "$LEAKY" collect -c "$W/big.conf" -i "${BIG_IVL}s" \
	-n "$BIG_ROUNDS" --no-spread -q -o "$W/big" 2>"$W/big.err" || {
	cat "$W/big.err" >&2
	exit 1
}
fetches=$((PORTS * 4 * BIG_ROUNDS))
ok=$(awk -F, 'NR > 1 && $5 == "ok"' "$W/big/manifest.csv" | wc -l)
late=$(sed -n 's/.*schedule lateness max \([0-9.]*\) ms, mean \([0-9.]*\) ms.*/\1 ms, mean \2 ms/p' "$W/big.err")
# A round's length: its first fetch's start to its last fetch's end.
longest=$(awk -F, 'NR > 1 { split($1, a, /[T:Z]/);
	t = a[2] * 3600 + a[3] * 60 + a[4]; e = t + $9 / 1000;
	if (!($2 in s) || t < s[$2]) s[$2] = t;
	if (e > f[$2]) f[$2] = e }
	END { for (r in s) if (f[r] - s[r] > m) m = f[r] - s[r];
	      printf "%.2f", m }' "$W/big/manifest.csv")
set -- $(best big)
echo "collect: $PORTS targets x 4 profiles, $BIG_ROUNDS rounds at ${BIG_IVL} s, no spread ($fetches fetches)"
echo "  $ok fetches ok; the longest round ${longest} s of ${BIG_IVL} s; schedule lateness max $late"
# The others, by result and reason (digits as #), the commonest first.
awk -F, 'NR > 1 && $5 != "ok" { k = $5 ": " $12; gsub(/[0-9]+/, "#", k);
	n[k]++ } END { for (k in n) printf "%d %s\n", n[k], k }' \
	"$W/big/manifest.csv" | sort -rn | head -n 3 | sed 's/^/  not ok: /'

awk -v c="$2" -v n="$fetches" -v m="$3" 'BEGIN {
	printf "  CPU %.2f s, %.2f ms per fetch; peak RSS %d kB\n",
	       c, c * 1000 / n, m }'

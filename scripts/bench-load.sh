#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: leaky load against hey with the same flags on the same local
# server (the lab target, GET /healthz), in one run: requests per second
# client CPU seconds per 10,000 requests and peak memory, printed as ratios
# to hey.
# Figures, never assertions: the server shares the machine's cores, so
# throughput is mostly the server's; CPU per request is the client's own.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
lab=${LAB:-$root/build/lab}
n=${BENCH_LOAD_REQUESTS:-20000}
c=${BENCH_LOAD_CONCURRENCY:-50}
reps=${BENCH_REPS:-3}

command -v hey >/dev/null || { echo "bench-load: no hey installed" >&2; exit 1; }
[ -x "$lab" ] || { echo "bench-load: no $lab (make lab)" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
"$lab" -addr-file "$tmp/addr" -duration 600s >"$tmp/lab.log" 2>&1 &
pid=$!
i=0
while ! [ -s "$tmp/addr" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
url=http://$(head -n 1 "$tmp/addr")/healthz

# run NAME CMD...: one timed run; appends "NAME rps cpu_per_10k rss_kb" to
# results.
run() {
	name=$1
	shift
	/usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; exit 1; }
	rps=$(awk -F '\t' '$1 == "  Requests/sec:" { print $2 }' "$tmp/out")
	# both print "  [200]<tab>N responses": every request must have one
	done=$(awk -F '\t' '$1 ~ /^  \[[0-9]+\]$/ { split($2, a, " "); s += a[1] }
		END { print s + 0 }' "$tmp/out")
	[ "$done" = "$n" ] || { echo "bench-load: $name: $done of $n requests" >&2; cat "$tmp/out" >&2; exit 1; }
	awk -v name="$name" -v rps="$rps" -v n="$n" \
		'{ printf "%s %s %.4f %d\n", name, rps, ($1 + $2) * 10000 / n, $3 }' \
		"$tmp/time" >>"$tmp/results"
}

# warm both up (connections, page cache, the lab's JIT-free but GC'd heap)
hey -n 2000 -c "$c" "$url" >/dev/null
"$leaky" load --every 0 -n 2000 -c "$c" "$url" >/dev/null
r=0
while [ $r -lt "$reps" ]; do
	run hey hey -n "$n" -c "$c" "$url"
	run leaky "$leaky" load --every 0 -n "$n" -c "$c" "$url"
	r=$((r + 1))
done

# best of the runs: the highest rate and, separately, the least CPU and
# memory
awk -v n="$n" -v c="$c" -v reps="$reps" '
	{ if (!($1 in rps) || $2 > rps[$1]) rps[$1] = $2
	  if (!($1 in cpu) || $3 < cpu[$1]) cpu[$1] = $3
	  if (!($1 in rss) || $4 < rss[$1]) rss[$1] = $4 }
	END {
		printf "leaky load vs hey: GET /healthz on the lab, -n %d -c %d, best of %d\n", n, c, reps
		printf "  %-12s %12s %22s %14s\n", "", "requests/s", "CPU s / 10k requests", "max RSS kB"
		printf "  %-12s %12.0f %22.3f %14d\n", "hey", rps["hey"], cpu["hey"], rss["hey"]
		printf "  %-12s %12.0f %22.3f %14d\n", "leaky load", rps["leaky"], cpu["leaky"], rss["leaky"]
		printf "  %-12s %12.2f %22.2f %14.2f\n", "leaky / hey", rps["leaky"] / rps["hey"], cpu["leaky"] / cpu["hey"], rss["leaky"] / rss["hey"]
	}' "$tmp/results"

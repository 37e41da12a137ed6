#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: the speed and memory of leaky heaper, goroutines and pmap as
# ratios against baselines measured in the same run on the same files:
# zcat or cat (the floor: inflating or reading them) and a loop of `go
# tool pprof -top` (the reference tool); wall time at -j 1 and at the
# default (a job per core), CPU time of all threads, peak RSS against the
# largest input. Figures, never assertions: this machine is shared and
# noisy.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
data=${BENCH_DATA:-$root/build/bench-data}
nfiles=${BENCH_FILES:-1000}
npprof=${BENCH_PPROF_FILES:-100}
reps=${BENCH_REPS:-3}

sh "$root/scripts/make-bench-data.sh" "$data" "$nfiles" >&2
set -- "$data"/series/*.heap.pb.gz
[ $# -ge "$nfiles" ] || { echo "bench: only $# profiles" >&2; exit 1; }
large=$data/large.heap.pb.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
# best COMMAND...: runs it $reps times, prints the best seconds.
best() {
	b=
	r=0
	while [ $r -lt "$reps" ]; do
		t0=$(now)
		"$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
		t1=$(now)
		b=$(echo "$t0 $t1 ${b:-}" | awk '{ d = $2 - $1;
			if ($3 == "" || d < $3) print d; else print $3 }')
		r=$((r + 1))
	done
	echo "$b"
}
# cpu N COMMAND...: the CPU seconds (user and system, every thread) of one
# run of COMMAND, from N runs in a row (the clock counts in 10 ms steps).
cpu() {
	n=$1
	shift
	/usr/bin/time -f '%U %S' -o "$tmp/cpu" sh -c '
		n=$1; shift; i=0
		while [ $i -lt "$n" ]; do
			"$@" >/dev/null || exit 1
			i=$((i + 1))
		done' sh "$n" "$@" || exit 1
	tail -n 1 "$tmp/cpu" | awk -v n="$n" '{ printf "%.4f", ($1 + $2) / n }'
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
# xof KiB BYTES: KiB above the baseline's as a multiple of BYTES.
xof() { echo "$1 $base_rss $2" | awk '{ printf "%.1f", ($1 - $2) * 1024 / $3 }'; }
zcat_all() { zcat "$@"; }
pprof_loop() {
	for f in "$@"; do
		go tool pprof -top -sample_index=inuse_space "$f" || return 1
	done
}
# largest FILE...: the largest inflated size of gzipped FILEs, in bytes.
largest() { gzip -l "$@" | awk 'NR > 1 && $2 > m && $4 != "(totals)" { m = $2 }
	END { print m + 0 }'; }
# A worker per core is the default (-j): the cores this process may use.
cores=$(nproc)
# What leaky takes before it reads anything (its libraries): peak RSS
# figures are set against the largest input above this.
base_rss=$(rss "$leaky" --version)

cat "$@" "$large" >/dev/null	# warm the page cache
series_bytes=$(cat "$@" | wc -c)
inflated=$(zcat "$@" | wc -c)
samples=$(zcat "$large" | wc -c)
series_max=$(largest "$@")

t_zcat=$(best zcat_all "$@")
c_zcat=$(cpu 3 zcat "$@")
t_heaper1=$(best "$leaky" heaper -j 1 "$@")
c_heaper1=$(cpu 3 "$leaky" heaper -j 1 "$@")
t_heaper=$(best "$leaky" heaper "$@")
c_heaper=$(cpu 3 "$leaky" heaper "$@")
t_cum=$(best "$leaky" heaper --cum "$@")
shift_list=$(printf '%s\n' "$@" | head -n "$npprof")
# shellcheck disable=SC2086
t_pprof=$(reps=1 best pprof_loop $shift_list)
per_pprof=$(echo "$t_pprof $npprof" | awk '{ print $1 / $2 }')
per_heaper=$(echo "$t_heaper $#" | awk '{ print $1 / $2 }')

rss_all1=$(rss "$leaky" heaper -j 1 "$@")
rss_all=$(rss "$leaky" heaper "$@")
# shellcheck disable=SC2046
rss_100=$(rss "$leaky" heaper $(printf '%s\n' "$@" | head -n 100))
# shellcheck disable=SC2046
rss_10=$(rss "$leaky" heaper $(printf '%s\n' "$@" | head -n 10))

t_lzcat=$(best zcat "$large")
c_lzcat=$(cpu 20 zcat "$large")
t_lheaper=$(best "$leaky" heaper "$large")
c_lheaper=$(cpu 20 "$leaky" heaper "$large")
t_lpprof=$(reps=1 best go tool pprof -top -sample_index=inuse_space "$large")
rss_large=$(rss "$leaky" heaper "$large")

# goroutines and pmap: the fixtures, copied under collector names so that
# each copy is its own snapshot; floors are zcat and cat of the same files.
gdir=$tmp/goroutines
pdir=$tmp/pmaps
mkdir -p "$gdir" "$pdir"
k=0
while [ $k -lt "${BENCH_COPIES:-100}" ]; do
	i=0
	for f in "$root"/tests/fixtures/goroutines/* \
		"$root"/tests/fixtures/pmaps/*; do
		b=$(basename "$f")
		case $f in */goroutines/*) d=$gdir ;; *) d=$pdir ;; esac
		cp "$f" "$d/c${i}_$((1700000000 + k)).${b#*.}"
		i=$((i + 1))
	done
	k=$((k + 1))
done
gz_files=$(ls "$gdir"/*.pb.gz)
txt_files=$(ls "$gdir"/*.goroutine.txt)
# shellcheck disable=SC2086
gz_max=$(largest $gz_files)
# shellcheck disable=SC2086
txt_max=$(wc -c $txt_files | sort -n | tail -n 2 | head -n 1 | awk '{ print $1 }')
pm_max=$(wc -c "$pdir"/* | sort -n | tail -n 2 | head -n 1 | awk '{ print $1 }')
# one line of figures: NAME FLOOR-WALL FLOOR-CPU COMMAND...
# "wall -j 1 Xs = Rx floor, -j N Ys = Rx floor; CPU Rx floor's; peak RSS
# Mx the largest input" for leaky COMMAND over the same files.
line() {
	fw=$1 fc=$2 big=$3 cmd=$4
	shift 4
	w1=$(best "$leaky" "$cmd" -j 1 "$@")
	wn=$(best "$leaky" "$cmd" "$@")
	cn=$(cpu 10 "$leaky" "$cmd" "$@")
	m=$(rss "$leaky" "$cmd" "$@")
	echo "-j 1 ${w1}s = $(ratio "$w1" "$fw")x, -j $cores ${wn}s = $(ratio "$wn" "$fw")x; CPU $(ratio "$cn" "$fc")x; peak RSS ${m} KiB = $(xof "$m" "$big")x the largest input"
}
t_gzcat=$(best zcat_all $gz_files)
# shellcheck disable=SC2086
c_gzcat=$(cpu 10 zcat $gz_files)
# shellcheck disable=SC2086
g_proto=$(line "$t_gzcat" "$c_gzcat" "$gz_max" goroutines $gz_files)
# shellcheck disable=SC2086
t_gcat=$(best cat $txt_files)
# shellcheck disable=SC2086
c_gcat=$(cpu 10 cat $txt_files)
# shellcheck disable=SC2086
g_text=$(line "$t_gcat" "$c_gcat" "$txt_max" goroutines $txt_files)
t_pcat=$(best cat "$pdir"/*)
c_pcat=$(cpu 10 cat "$pdir"/*)
p_line=$(line "$t_pcat" "$c_pcat" "$pm_max" pmap "$pdir"/*)
n_gz=$(echo $gz_files | wc -w)
n_txt=$(echo $txt_files | wc -w)
n_pm=$(ls "$pdir" | wc -l)

cat <<REPORT
leaky heaper bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $cores cores; -j $cores is the default)
peak RSS: above leaky --version's ${base_rss} KiB (its libraries), as a multiple of the largest input inflated
series: $# heap profiles, $series_bytes bytes gzipped, $inflated inflated, the largest $series_max
  zcat (floor)             ${t_zcat}s, ${c_zcat}s CPU
  leaky heaper -j 1        ${t_heaper1}s   = $(ratio "$t_heaper1" "$t_zcat")x zcat; CPU ${c_heaper1}s = $(ratio "$c_heaper1" "$c_zcat")x zcat's
  leaky heaper -j $cores        ${t_heaper}s   = $(ratio "$t_heaper" "$t_zcat")x zcat; CPU ${c_heaper}s = $(ratio "$c_heaper" "$c_zcat")x zcat's
  leaky heaper --cum       ${t_cum}s   = $(ratio "$t_cum" "$t_zcat")x zcat
  go tool pprof -top loop  ${t_pprof}s over $npprof files = ${per_pprof}s/file
  heaper per file          ${per_heaper}s = $(ratio "$per_pprof" "$per_heaper")x faster than the pprof loop
  peak RSS, long output    10 files ${rss_10} KiB, 100 files ${rss_100} KiB, $# files ${rss_all} KiB = $(xof "$rss_all" "$series_max")x the largest profile (-j 1: ${rss_all1} KiB = $(xof "$rss_all1" "$series_max")x)
large: $(basename "$large"), $(wc -c <"$large") bytes gzipped, $samples inflated
  zcat                     ${t_lzcat}s, ${c_lzcat}s CPU
  leaky heaper             ${t_lheaper}s   = $(ratio "$t_lheaper" "$t_lzcat")x zcat; CPU ${c_lheaper}s = $(ratio "$c_lheaper" "$c_lzcat")x zcat's
  go tool pprof -top       ${t_lpprof}s   = $(ratio "$t_lpprof" "$t_lheaper")x leaky
  peak RSS                 ${rss_large} KiB = $(xof "$rss_large" "$samples")x the raw profile
leaky goroutines: copies of the goroutine fixtures (wall and CPU against zcat / cat)
  $n_gz protos: zcat ${t_gzcat}s; $g_proto
  $n_txt debug=2 dumps: cat ${t_gcat}s; $g_text
leaky pmap: $n_pm copies of the pmap/smaps_rollup/status fixtures
  cat ${t_pcat}s; $p_line
REPORT

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: leaky heaper's speed and memory as ratios against baselines
# measured in the same run on the same files: zcat (the decompression
# floor) and a loop of `go tool pprof -top` (the reference tool).
# Figures, never assertions: this machine is shared and noisy.
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
# best FILE-OF-COMMAND: runs "$@" $reps times, prints the best seconds.
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
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
zcat_all() { zcat "$@"; }
pprof_loop() {
	for f in "$@"; do
		go tool pprof -top -sample_index=inuse_space "$f" || return 1
	done
}

cat "$@" "$large" >/dev/null	# warm the page cache
series_bytes=$(cat "$@" | wc -c)
inflated=$(zcat "$@" | wc -c)
samples=$(zcat "$large" | wc -c)

t_zcat=$(best zcat_all "$@")
t_heaper=$(best "$leaky" heaper "$@")
t_cum=$(best "$leaky" heaper --cum "$@")
shift_list=$(printf '%s\n' "$@" | head -n "$npprof")
# shellcheck disable=SC2086
t_pprof=$(reps=1 best pprof_loop $shift_list)
per_pprof=$(echo "$t_pprof $npprof" | awk '{ print $1 / $2 }')
per_heaper=$(echo "$t_heaper $#" | awk '{ print $1 / $2 }')

rss_all=$(rss "$leaky" heaper "$@")
# shellcheck disable=SC2046
rss_100=$(rss "$leaky" heaper $(printf '%s\n' "$@" | head -n 100))
rss_10=$(rss "$leaky" heaper $(printf '%s\n' "$@" | head -n 10))

t_lzcat=$(best zcat "$large")
t_lheaper=$(best "$leaky" heaper "$large")
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
t_gzcat=$(best zcat_all $gz_files)
# shellcheck disable=SC2086
t_gproto=$(best "$leaky" goroutines $gz_files)
# shellcheck disable=SC2086
t_gcat=$(best cat $txt_files)
# shellcheck disable=SC2086
t_gtext=$(best "$leaky" goroutines $txt_files)
t_pcat=$(best cat "$pdir"/*)
t_pmap=$(best "$leaky" pmap "$pdir"/*)
n_gz=$(echo $gz_files | wc -w)
n_txt=$(echo $txt_files | wc -w)
n_pm=$(ls "$pdir" | wc -l)

cat <<REPORT
leaky heaper bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)
series: $# heap profiles, $series_bytes bytes gzipped, $inflated inflated
  zcat (floor)             ${t_zcat}s
  leaky heaper             ${t_heaper}s   = $(ratio "$t_heaper" "$t_zcat")x zcat
  leaky heaper --cum       ${t_cum}s   = $(ratio "$t_cum" "$t_zcat")x zcat
  go tool pprof -top loop  ${t_pprof}s over $npprof files = ${per_pprof}s/file
  heaper per file          ${per_heaper}s = $(ratio "$per_pprof" "$per_heaper")x faster than the pprof loop
  peak RSS, long output    10 files ${rss_10} KiB, 100 files ${rss_100} KiB, $# files ${rss_all} KiB
large: $(basename "$large"), $(wc -c <"$large") bytes gzipped, $samples inflated
  zcat                     ${t_lzcat}s
  leaky heaper             ${t_lheaper}s   = $(ratio "$t_lheaper" "$t_lzcat")x zcat
  go tool pprof -top       ${t_lpprof}s   = $(ratio "$t_lpprof" "$t_lheaper")x leaky
  peak RSS                 ${rss_large} KiB
leaky goroutines: copies of the goroutine fixtures
  $n_gz protos: zcat ${t_gzcat}s, leaky ${t_gproto}s = $(ratio "$t_gproto" "$t_gzcat")x zcat
  $n_txt debug=2 dumps: cat ${t_gcat}s, leaky ${t_gtext}s = $(ratio "$t_gtext" "$t_gcat")x cat
leaky pmap: $n_pm copies of the pmap/smaps_rollup/status fixtures
  cat ${t_pcat}s, leaky ${t_pmap}s = $(ratio "$t_pmap" "$t_pcat")x cat
REPORT

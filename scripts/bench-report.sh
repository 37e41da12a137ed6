#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench, leaky report: 100 targets x 1000 snapshots (the bench series
# of real heap profiles, hard-linked under 100 target names), timed against
# zcat of the same files (the decompression floor) and leaky heaper over
# them; peak memory. Figures, never assertions.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
data=${BENCH_DATA:-$root/build/bench-data}
ntargets=${BENCH_REPORT_TARGETS:-100}
dir=$root/build/bench-report

sh "$root/scripts/make-bench-data.sh" "$data" 1000 >&2
if [ ! -e "$dir/.complete-$ntargets" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/profiles"
	# One process for the 100,000 links (perl-base is essential in
	# Debian): a process per link took minutes.
	perl -e '
		my ($src, $dst, $n) = @ARGV;
		opendir(my $d, $src) or die "$src: $!\n";
		my @f = sort grep { /\.heap\.pb\.gz$/ } readdir($d);
		for my $k (0 .. $n - 1) {
			for my $f (@f) {
				(my $b = $f) =~ s/^[^_]*_//;
				link("$src/$f", "$dst/t${k}_$b")
					or die "$dst/t${k}_$b: $!\n";
			}
		}' "$data/series" "$dir/profiles" "$ntargets"
	touch "$dir/.complete-$ntargets"
fi
nfiles=$(ls "$dir/profiles" | wc -l)
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

# 100,000 names overflow one command line: xargs splits them.
all() { find "$dir/profiles" -type f -print0 | sort -z; }
all | xargs -0 cat >/dev/null
t0=$(now); all | xargs -0 zcat >/dev/null; t1=$(now)
t_zcat=$(elapsed "$t0" "$t1")
t0=$(now); all | xargs -0 "$leaky" heaper >/dev/null; t1=$(now)
t_heaper=$(elapsed "$t0" "$t1")
t0=$(now)
rss=$(/usr/bin/time -f %M "$leaky" report --fail-on never "$dir" 2>&1 \
	>"$dir.txt" | tail -n 1)
t1=$(now)
t_report=$(elapsed "$t0" "$t1")
cat <<REPORT
leaky report bench: $ntargets targets x $((nfiles / ntargets)) snapshots ($nfiles heap profiles)
  zcat (floor)    ${t_zcat}s
  leaky heaper    ${t_heaper}s (in as many runs as xargs makes)
  leaky report    ${t_report}s = $(echo "$t_report $t_zcat" | awk '{ printf "%.1f", $1 / $2 }')x zcat, $(echo "$t_report $t_heaper" | awk '{ printf "%.1f", $1 / $2 }')x heaper
  report peak RSS ${rss} KiB ($(echo "$rss $nfiles" | awk '{ printf "%.1f", $1 / $2 }') KiB per snapshot)
  verdict line:   $(tail -n 1 "$dir.txt")
REPORT

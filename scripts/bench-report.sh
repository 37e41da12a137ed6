#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench, leaky report: 100 targets x 1000 snapshots (the bench series
# of real heap profiles, hard-linked under 100 target names), timed against
# zcat of the same files (the decompression floor) and leaky heaper over
# them (the decode floor), at -j 1 and at the default (a job per core);
# CPU time of all threads and peak memory. Figures, never assertions.
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
# measure SHELL-COMMAND: "WALL CPU RSS" of one run: seconds, CPU seconds
# of every process and thread it ran, the largest peak RSS in KiB.
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$dir.time" sh -c "$1" || exit 1
	tail -n 1 "$dir.time" | awk '{ printf "%.2f %.2f %d", $1, $2 + $3, $4 }'
}
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
field() { echo "$1" | awk -v f="$2" '{ print $f }'; }

# 100,000 names overflow one command line: xargs splits them.
all="find '$dir/profiles' -type f -print0 | sort -z"
eval "$all" | xargs -0 cat >/dev/null
zcat=$(measure "$all | xargs -0 zcat >/dev/null")
heaper=$(measure "$all | xargs -0 '$leaky' heaper >/dev/null")
report1=$(measure "'$leaky' report -j 1 --fail-on never '$dir' >'$dir.txt'")
report=$(measure "'$leaky' report --fail-on never '$dir' >'$dir.txt'")
w_zcat=$(field "$zcat" 1)
w_heaper=$(field "$heaper" 1)
# line NAME FIGURES: wall and CPU against zcat's and heaper's, peak RSS.
line() {
	w=$(field "$2" 1) c=$(field "$2" 2) m=$(field "$2" 3)
	echo "  $1 ${w}s = $(ratio "$w" "$w_zcat")x zcat, $(ratio "$w" "$w_heaper")x heaper; CPU ${c}s = $(ratio "$c" "$(field "$zcat" 2)")x zcat's; peak RSS ${m} KiB ($(echo "$m $nfiles" | awk '{ printf "%.1f", $1 / $2 }') KiB per snapshot)"
}
cat <<REPORT
leaky report bench: $ntargets targets x $((nfiles / ntargets)) snapshots ($nfiles heap profiles), $(nproc) cores
  zcat (floor)              ${w_zcat}s, CPU $(field "$zcat" 2)s
  leaky heaper              ${w_heaper}s (the decode floor, in as many runs as xargs makes), CPU $(field "$heaper" 2)s
$(line "leaky report -j 1       " "$report1")
$(line "leaky report (-j $(nproc))    " "$report")
  verdict line:   $(tail -n 1 "$dir.txt")
REPORT

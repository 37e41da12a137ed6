#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky pmap on real captures: golden CSVs, and the golden numbers checked
# against the raw files with awk, so they are not just what leaky printed.
#
# The goldens in fixtures/pmap-golden/ are made by its remake.sh, and must
# be remade when `make fixtures` remakes fixtures/pmaps/ (then review the
# diff and rerun this test: its awk checks hold the numbers against the raw
# files whatever they are).
test_description='leaky pmap: golden output and cross-checks'
. "$(dirname "$0")/test-lib.sh"

P="$FIXTURES/pmaps"
G="$FIXTURES/pmap-golden"

# col CSV NAME...: the values of the columns NAME..., space-separated, one
# line per row, the header left out.
col() {
	f=$1
	shift
	awk -F, -v names="$*" 'NR == 1 { n = split(names, w, " ")
		for (j = 1; j <= n; j++) for (i = 1; i <= NF; i++)
			if ($i == w[j]) c[j] = i
		next }
		{ s = $c[1]; for (j = 2; j <= n; j++) s = s " " $c[j]; print s }' "$f"
}

test_expect_success 'every real fixture, golden' '
	"$LEAKY" pmap "$P"/* >out.csv &&
	test_cmp "$G/pmaps.csv" out.csv
'
test_expect_success '--mappings of pmap -x and plain pmap, golden' '
	"$LEAKY" pmap --mappings "$P"/*.pmap "$P"/*.pmap0 >out.csv &&
	test_cmp "$G/pmaps-mappings.csv" out.csv
'
test_expect_success 'one stopped process in seven formats, golden' '
	"$LEAKY" pmap "$G"/sleep_* >out.csv &&
	test_cmp "$G/sleep.csv" out.csv
'
test_expect_success '--mappings of pmap -XX and smaps, golden' '
	"$LEAKY" pmap --mappings "$G"/sleep_*.pmapXX "$G"/sleep_*.smaps \
		>out.csv &&
	test_cmp "$G/sleep-mappings.csv" out.csv
'

test_expect_success 'pmap -x: size, rss, dirty are its total kB line and the sums of its rows' '
	for f in "$P"/*.pmap "$G"/sleep_*.pmap; do
		want=$(awk "/^total kB/ { print \$3, \$4, \$5 }" "$f") &&
		rows=$(awk "/^[0-9a-f]+ / { k += \$2; r += \$3; d += \$4 }
			END { print k, r, d }" "$f") &&
		"$LEAKY" pmap "$f" >one.csv &&
		got=$(col one.csv size_kb rss_kb dirty_kb) &&
		test "$want" = "$got" && test "$rows" = "$got" ||
		{ echo "$f: total $want, rows $rows, leaky $got"; return 1; }
	done
'
test_expect_success 'pmap -x: anon is the RSS of [ anon ] and [ stack ], stack of [ stack ]' '
	for f in "$P"/*.pmap "$G"/sleep_*.pmap; do
		want=$(awk "/^[0-9a-f]+ .*\[ (anon|stack) \]\$/ { a += \$3 }
			/\[ stack \]\$/ { s += \$3 } END { print a, s }" "$f") &&
		"$LEAKY" pmap "$f" >one.csv &&
		got=$(col one.csv anon_kb stack_kb) &&
		test "$want" = "$got" ||
		{ echo "$f: awk $want, leaky $got"; return 1; }
	done
'
test_expect_success 'plain pmap: size is its total line, the rest empty' '
	for f in "$P"/*.pmap0 "$G"/sleep_*.pmap0; do
		want=$(awk "/^ total/ { sub(/K\$/, \"\", \$2); print \$2 }" "$f") &&
		pid=$(sed -n "1s/:.*//p" "$f") &&
		"$LEAKY" pmap --time unix --target t "$f" >one.csv &&
		echo "${f##*_}" | sed "s/\..*//" >t &&
		printf "%s,t,%s,%s,,,,,,,,,pmap\n" "$(cat t)" "$pid" "$want" >expect &&
		sed 1d one.csv >got &&
		test_cmp expect got || return 1
	done
'
test_expect_success 'smaps_rollup and status of one moment agree on rss, anon and file' '
	for r in "$P"/*.smaps_rollup "$G"/sleep_*.smaps_rollup; do
		s=${r%.smaps_rollup}.status &&
		x=${r%.smaps_rollup}.pmap &&
		want=$(awk "/^Rss:/ { r = \$2 } /^Anonymous:/ { a = \$2 }
			END { print r, a, r - a }" "$r") &&
		st=$(awk "/^VmRSS:/ { r = \$2 } /^RssAnon:/ { a = \$2 }
			/^RssFile:/ { f += \$2 } /^RssShmem:/ { f += \$2 }
			END { print r, a, f }" "$s") &&
		test "$want" = "$st" &&
		for f in "$r" "$s"; do
			"$LEAKY" pmap "$f" >one.csv &&
			got=$(col one.csv rss_kb anon_kb file_kb) &&
			test "$got" = "$want" ||
			{ echo "$f: $got, expected $want"; return 1; }
		done &&
		"$LEAKY" pmap "$x" >one.csv &&
		test "$(col one.csv rss_kb)" = "${want%% *}" ||
		{ echo "$r: rollup/status $want, status $st"; return 1; }
	done
'
test_expect_success 'smaps: every column is the sum of its blocks' '
	f=$(echo "$G"/sleep_*.smaps) &&
	want=$(awk "/^Size:/ { s += \$2 } /^Rss:/ { r += \$2 }
		/^Pss:/ { p += \$2 } /^(Shared|Private)_Dirty:/ { d += \$2 }
		/^Anonymous:/ { a += \$2 } /^Swap:/ { w += \$2 }
		/^[0-9a-f]+-/ { name = \$6 }
		/^Rss:/ && name == \"[heap]\" { h += \$2 }
		/^Rss:/ && name == \"[stack]\" { k += \$2 }
		END { print s, r, p, d, a, r - a, w, h, k }" "$f") &&
	"$LEAKY" pmap "$f" >one.csv &&
	got=$(sed 1d one.csv | cut -d, -f4-12 | tr , " ") &&
	test "$(sed 1d one.csv | cut -d, -f13)" = smaps &&
	test "$want" = "$got" ||
	{ echo "awk $want, leaky $got"; return 1; }
'
test_expect_success 'the stopped process: one rss in every format, one size but status (no [vsyscall])' '
	test "$(col "$G/sleep.csv" rss_kb | sort -u | xargs)" = "1796" &&
	test "$(col "$G/sleep.csv" size_kb | sort -u | xargs)" = "2920 2924" &&
	vsys=$(awk "/\[vsyscall\]/ { print \$6 }" "$G"/sleep_*.pmapX) &&
	test $((2924 - vsys)) = 2920
'
test_expect_success 'anon_kb + file_kb = rss_kb wherever all three are known' '
	cat "$G/pmaps.csv" "$G/sleep.csv" | awk -F, "
		\$1 != \"time\" && \$5 != \"\" && \$8 != \"\" && \$9 != \"\" &&
		\$8 + \$9 != \$5 { print; bad = 1 } END { exit bad }"
'
test_expect_success '--mappings rows add up to the snapshot totals' '
	for f in "$P"/*.pmap "$G"/sleep_*.smaps "$G"/sleep_*.pmapXX; do
		"$LEAKY" pmap "$f" >tot.csv &&
		"$LEAKY" pmap --mappings "$f" >map.csv &&
		want=$(col tot.csv size_kb rss_kb dirty_kb) &&
		got=$(sed 1d map.csv | awk -F, "{ s += \$6; r += \$7; d += \$8 }
			END { print s, r, d }") &&
		test "$want" = "$got" ||
		{ echo "$f: totals $want, mappings $got"; return 1; }
	done
'

test_expect_success 'rows are ordered by time then target, whatever the argument order' '
	"$LEAKY" pmap $(ls "$P"/* | sort -r) >out.csv &&
	col out.csv time >t && sort -c t &&
	sed 1d out.csv | cut -d, -f1,2 | sort -c
'
test_expect_success '--time unix and unixms, --target' '
	f=$(echo "$G"/sleep_*.status) &&
	"$LEAKY" pmap --time unix --target api "$f" >out.csv &&
	test_grep "^1795309686,api,19818,2920,1796,,,108,1688,0,,,status\$" out.csv &&
	"$LEAKY" pmap --time unixms "$f" >out.csv &&
	test_grep "^1795309686000,sleep,19818," out.csv
'
test_expect_success 'without NAME_UNIX in the name: the stem and the mtime' '
	cp "$G"/sleep_*.smaps_rollup rollup.txt &&
	touch -d @1700000000 rollup.txt &&
	"$LEAKY" pmap rollup.txt >out.csv &&
	test_grep "^2023-11-14T22:13:20Z,rollup,,,1796,298,108,108,1688,0,,,smaps_rollup\$" \
		out.csv &&
	"$LEAKY" pmap --time unix - <rollup.txt >out.csv &&
	test_grep "^1700000000,stdin,,,1796," out.csv
'
test_expect_success '/proc files (mtime meaningless): the time of reading' '
	before=$(date +%s) &&
	"$LEAKY" pmap --time unix /proc/self/status >out.csv &&
	after=$(date +%s) &&
	t=$(col out.csv time) &&
	test "$t" -ge "$before" && test "$t" -le "$after" &&
	test "$(col out.csv target)" = status &&
	test "$(col out.csv rss_kb)" -gt 0
'
test_expect_success 'no file read: no output at all, as heaper' '
	test_expect_code 1 "$LEAKY" pmap missing.pmap >out.csv 2>err &&
	test_line_count = 0 out.csv &&
	test_line_count = 1 err
'
test_expect_success '-o writes the file whole and refuses to replace one' '
	"$LEAKY" pmap -o rss.csv "$G"/sleep_* &&
	test_cmp "$G/sleep.csv" rss.csv &&
	test_expect_code 1 "$LEAKY" pmap -o rss.csv "$G"/sleep_*.status 2>err &&
	test_grep "rss.csv: already exists" err &&
	test_cmp "$G/sleep.csv" rss.csv &&
	"$LEAKY" pmap --force -o rss.csv "$G"/sleep_*.status &&
	test_line_count = 2 rss.csv &&
	! ls | grep -q "\.tmp\."
'
test_expect_success '--help, and usage errors exit 2' '
	"$LEAKY" pmap --help >out &&
	test_grep "^usage: leaky pmap" out &&
	test_expect_code 2 "$LEAKY" pmap 2>err &&
	test_grep "no input files" err &&
	test_expect_code 2 "$LEAKY" pmap --time iso "$G"/sleep_*.status 2>err &&
	test_grep "bad --time" err &&
	test_expect_code 2 "$LEAKY" pmap --max-input 12Q "$G"/sleep_*.status \
		2>err &&
	test_expect_code 2 "$LEAKY" pmap --nope "$G"/sleep_*.status 2>err
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The report fixtures are what their README says (tests/fixtures/report):
# one directory per series of its tables, as many snapshots as it says,
# laid out as a collect directory, no path of the machine that made them.
# The verdicts are t0500's; this checks the data under them.
test_description='report fixtures'
. "$(dirname "$0")/test-lib.sh"

R="$FIXTURES/report"

# The Series table: "SERIES SNAPSHOTS RATE", one line per series.
sed -n '/^## Series$/,/^## /p' "$R/README.md" |
	awk -F'|' '$2 ~ /`/ { s = $2; gsub(/[` ]/, "", s)
		n = $6; r = $7; gsub(/ /, "", n); gsub(/ /, "", r); print s, n, r }' \
	>"$TRASH/series"

test_expect_success 'every series of the README is a directory, and back' '
	test_line_count -ge 16 "$TRASH/series" &&
	while read -r s n r; do
		[ -f "$R/$s/manifest.csv" ] || { say "no $s/manifest.csv"; exit 1; }
		sed -n "/^## Ground truth\$/,/^## M/p" "$R/README.md" |
			grep -q "^| \`$s\` |" || { say "no truth for $s"; exit 1; }
	done <"$TRASH/series" &&
	for d in "$R"/*/; do
		d=${d%/}
		grep -q "^${d##*/} " "$TRASH/series" ||
			{ say "${d##*/} is not in the Series table"; exit 1; }
	done
'

test_expect_success 'each target has the snapshots the table says, in order' '
	while read -r s n r; do
		[ "$s" = failed-fetches ] && continue
		for t in api web; do
			ls "$R/$s/profiles/${t}_"*.heap.pb.gz >list 2>/dev/null || continue
			test_line_count = "$n" list || { say "in $s ($t)"; exit 1; }
			sed "s/.*_\([0-9]*\)\.heap\.pb\.gz$/\1/" list >stamps &&
			sort -n -u stamps >sorted &&
			test_cmp stamps sorted || exit 1
			ls "$R/$s/goroutines/${t}_"*.goroutine.pb.gz >g &&
			test_line_count = "$n" g || { say "goroutines of $s ($t)"; exit 1; }
		done
	done <"$TRASH/series"
'

test_expect_success 'each manifest row names a file that is there, or fails' '
	while read -r s n r; do
		awk -F, -v d="$R/$s" '\''NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ f = $c["file"]; e = $c["error"]
			  if (f != "" && system("test -f \"" d "/" f "\"") != 0) {
				print d ": no " f; bad = 1 }
			  if (f == "" && e == "") { print d ": row " NR " has neither"; bad = 1 } }
			END { exit bad }'\'' "$R/$s/manifest.csv" || exit 1
	done <"$TRASH/series"
'

test_expect_success 'failed-fetches: every fetch failed, no snapshot at all' '
	(cd "$R/failed-fetches" && find . -type f) >files &&
	echo ./manifest.csv >want &&
	test_cmp want files &&
	awk -F, '\''NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++; if ($c["result"] != "failed") bad = 1 }
		END { exit bad || n == 0 }'\'' "$R/failed-fetches/manifest.csv" &&
	grep -q "api,.*Couldn.t connect to server" "$R/failed-fetches/manifest.csv" &&
	grep -q "web,.*HTTP 404" "$R/failed-fetches/manifest.csv"
'

test_expect_success 'two-samples was made at the default rate, the others not' '
	grep -q "^two-samples [0-9]* 524288$" "$TRASH/series" &&
	grep -q "^leak [0-9]* 16384$" "$TRASH/series" &&
	grep -q "^too-few 3 " "$TRASH/series"
'

test_expect_success 'no path of the machine that made them' '
	! grep -rIlE "/work/|/root/|/tmp/|/home/" "$R" &&
	for f in "$R"/*/*/*.gz; do
		if gzip -dc "$f" | grep -aqE "/work/|/root/|/tmp/|/home/"; then
			say "machine path in $f"
			exit 1
		fi
	done
'

test_done

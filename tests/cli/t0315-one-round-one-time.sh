#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One collector round is one snapshot: a real collect directory of the lab
# target (heap proto and text, goroutine proto and dump, pmap -x and
# smaps_rollup per round), then heaper, goroutines, pmap and plot give each
# round exactly one time, the manifest's, the same in every command, and
# the files of one round differ by their source column.
test_description='one snapshot, one time'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
start_lab lab -scenario leak -rate 1 || exit 1
ADDR=$(head -1 lab.addr)

# rounds DIR: the manifest's round times as epoch milliseconds, one a line.
rounds() {
	awk -F, 'NR > 1 && $5 == "ok" { print $1 }' "$1/manifest.csv" |
		sort -u | while read -r t; do
			date -u -d "$t" +%s%3N || return 1
		done
}

# pairs CSV: "time source" of every row, once each (the origin is named by
# its header, so this holds whatever comes before it).
pairs() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "source") s = i
			   next }
		 { print $1, $s }' "$1" | sort -u
}

# expect_pairs ROUNDS SOURCE...: each round time with each source.
expect_pairs() {
	r=$1
	shift
	for t in $(cat "$r"); do
		for s in "$@"; do
			echo "$t $s"
		done
	done | sort -u
}

# 1 s natively (the default profiles of one target fetch in a few ms);
# longer under valgrind, so that the rounds stay in seconds of their own.
test_expect_success 'three rounds of every default kind' '
	collect -t api=http://$ADDR -i "$(slow 1)s" -n 3 -o d 2>err &&
	test_grep "done after 3 rounds: 24 fetches ok, 0 failed" err &&
	rounds d >rounds &&
	test_line_count = 3 rounds
'

test_expect_success 'heaper: a round is one time, its proto and text told apart' '
	"$LEAKY" heaper --time unixms d/profiles/* >heap.csv &&
	test_grep "^time,target,function,alloc_objects,alloc_space,inuse_objects,inuse_space,source,profile_time$" heap.csv &&
	pairs heap.csv >got &&
	expect_pairs rounds proto debug=1 >expect &&
	test_cmp expect got
'

test_expect_success 'heaper: the proto keeps its own time in profile_time' '
	# Go stamps the proto while it serves it: in its round, not before.
	awk -F, "NR > 1 && \$8 == \"proto\" && (\$9 < \$1 || \$9 - \$1 > 60000)
		 NR > 1 && \$8 == \"debug=1\" && \$9 != \"\"" heap.csv >bad &&
	test_line_count = 0 bad &&
	awk -F, "NR > 1 && \$8 == \"proto\" { print \$9 }" heap.csv |
		sort -u >ptimes &&
	test_line_count = 3 ptimes
'

test_expect_success 'goroutines: the same times, proto and debug=2 told apart' '
	"$LEAKY" goroutines --time unixms d/goroutines/* >g.csv &&
	pairs g.csv >got &&
	expect_pairs rounds proto debug=2 >expect &&
	test_cmp expect got &&
	awk -F, "NR > 1 && \$10 == \"debug=2\" && \$11 != \"\"" g.csv >bad &&
	test_line_count = 0 bad
'

test_expect_success 'pmap pmaps/*: two rows a round, one time, two sources' '
	"$LEAKY" pmap --time unixms d/pmaps/* >pm.csv &&
	test_line_count = 7 pm.csv &&
	pairs pm.csv >got &&
	expect_pairs rounds "pmap -x" smaps_rollup >expect &&
	test_cmp expect got
'

test_expect_success 'plot: every chart point of the directory at a round time' '
	"$LEAKY" plot d --script s.gp &&
	awk "/<< EOD\$/ { on = 1; next } /^EOD\$/ { on = 0 }
	     on && NF { print \$1 }" s.gp | sed "s/\.//" | sort -u >got &&
	test_cmp rounds got
'

test_expect_success 'RFC 3339 times agree across the commands too' '
	for c in heaper goroutines pmap; do
		"$LEAKY" $c d/$(case $c in heaper) echo profiles ;;
			goroutines) echo goroutines ;; pmap) echo pmaps ;; esac)/* \
			>$c.csv || return 1
		sed 1d $c.csv | cut -d, -f1 | sort -u >$c.times || return 1
	done &&
	test_line_count = 3 heaper.times &&
	test_cmp heaper.times goroutines.times &&
	test_cmp heaper.times pmap.times
'

test_expect_success 'out of its directory: the name second; no NAME_UNIX: its own' '
	mkdir loose &&
	f=$(ls d/profiles/*.heap.pb.gz | head -n 1) &&
	cp "$f" loose/ &&
	s=$(basename "$f" | sed "s/^api_\([0-9]*\)\..*/\1/") &&
	"$LEAKY" heaper --time unixms loose/* >l.csv &&
	sed 1d l.csv | cut -d, -f1 | sort -u >got &&
	echo "${s}000" >expect &&
	test_cmp expect got &&
	cp "$f" loose/snapshot.pb.gz &&
	"$LEAKY" heaper --time unixms loose/snapshot.pb.gz >o.csv &&
	awk -F, "NR > 1 && \$1 != \$9" o.csv >bad &&
	test_line_count = 0 bad &&
	test_line_count -gt 1 o.csv
'

# Below a second, rounds share the second of their file names (the
# collector names the later ones NAME_UNIX.1.kind): the manifest's
# milliseconds are what keep them apart.
test_expect_success 'rounds within one second stay apart (the manifest time)' '
	collect -t api=http://$ADDR,profiles=heap -i 200ms -n 6 --no-spread \
		-q -o fast 2>err &&
	ls fast/profiles | grep -q "^api_[0-9]*\.[1-9]\.heap\.pb\.gz$" &&
	rounds fast >frounds &&
	"$LEAKY" heaper --time unixms fast/profiles/* >f.csv &&
	sed 1d f.csv | cut -d, -f1 | sort -u >got &&
	test_cmp frounds got
'

test_done

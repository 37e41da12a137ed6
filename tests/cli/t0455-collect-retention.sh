#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A collection's storage: text dumps kept gzipped, and its retention
# (--keep, --max-size): the oldest seconds' files go first, a manifest row
# of kind retention says what went, and what is left still reads.
test_description='leaky collect: gzipped dumps and retention'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f || exit 1
A=$(sed -n 1p f.addr)

# secs FILE...: the unix seconds in the sample file names, one a line.
secs() {
	for f in "$@"; do
		b=${f##*/}
		b=${b%%.*}
		echo "${b##*_}"
	done
}

# removed_count DIR: the files the retention rows say went, summed.
removed_count() {
	awk -F, 'NR > 1 && $4 == "retention" && $5 == "removed" {
		split($12, w, " "); n += w[1] } END { print n + 0 }' \
		"$1/manifest.csv"
}

# kept_listed DIR: the ok rows whose file is still there, sorted.
kept_listed() {
	ok_files "$1" >.all &&
	files_in "$1" >.present &&
	comm -12 .all .present
}

test_expect_success 'text dumps are kept gzipped; the manifest has the body size' '
	collect -q -o gz -i 300ms -n 2 --no-spread -p goroutine.txt,heap.txt \
		-t ok=http://$A/ok 2>err &&
	manifest_matches gz &&
	test "$(count_rows gz goroutine.txt ok ok)" = 2 &&
	test "$(count_rows gz heap.txt ok ok)" = 2 &&
	for f in gz/goroutines/*.goroutine.txt.gz gz/profiles/*.heap.txt.gz; do
		test "$(head -c 2 "$f" | od -An -tx1 | tr -d " ")" = 1f8b &&
		rel=${f#gz/} &&
		bytes=$(awk -F, -v f="$rel" "\$10 == f { print \$8 }" gz/manifest.csv) &&
		test "$(gzip -dc "$f" | wc -c)" = "$bytes" &&
		test "$(stat -c %s "$f")" -lt "$bytes" || return 1
	done &&
	gzip -dc gz/goroutines/*.goroutine.txt.gz | head -1 | grep -q "^goroutine [0-9]* \[" &&
	"$LEAKY" goroutines --totals gz/goroutines/*.goroutine.txt.gz >g.csv &&
	test_line_count = 3 g.csv &&
	"$LEAKY" heaper --memstats gz/profiles/*.heap.txt.gz >m.csv &&
	test_line_count = 3 m.csv
'

test_expect_success '--keep: files older than D go, oldest first, each said in the manifest' '
	collect -o keep -i 1s -n 7 --no-spread -p heap,goroutine.txt \
		--keep 2s -t ok=http://$A/ok 2>err &&
	ok=$(ok_files keep | wc -l) &&
	test "$ok" -ge 8 &&
	kept_listed keep >kept &&
	files_in keep >present &&
	test_cmp kept present &&
	present=$(wc -l <present) &&
	test $present -ge 2 && test $present -lt $ok &&
	test "$(removed_count keep)" = $((ok - present)) &&
	# what is left is the newest: no removed file is newer than a kept one
	ok_files keep | sort >all &&
	comm -23 all present >gone &&
	test $(secs $(cat gone) | sort -n | tail -1) -lt \
		$(secs $(cat present) | sort -n | head -1) &&
	# and none kept is older than 2s before the last round
	last=$(secs $(cat present) | sort -n | tail -1) &&
	test $(secs $(cat present) | sort -n | head -1) -ge $((last - 2)) &&
	test_grep ",ok,retention,removed,,,[0-9][0-9]*,,,,[0-9]* files\? of 20[0-9T:Z-]*\( to 20[0-9T:Z-]*\)\?: older than 2s (--keep),$" keep/manifest.csv &&
	test "$(grep -c "removals are manifest rows of kind retention" err)" = 1 &&
	test_grep "^leaky collect: retention: $((ok - present)) files removed (.*), .* kept$" err
'

test_expect_success 'the rest of a collection pruned by --keep still reads' '
	"$LEAKY" report --fail-on never keep >rep 2>rerr &&
	test ! -s rerr &&
	test_grep "^== ok: " rep &&
	"$LEAKY" heaper keep/profiles/*.heap.pb.gz >h.csv &&
	test -s h.csv
'

test_expect_success '--max-size: the oldest seconds go while the files are over SIZE' '
	collect -o size -i 1s -n 6 --no-spread -p heap -t ok=http://$A/ok \
		--max-size 5k 2>err &&
	files_in size >present &&
	total=$(cd size && cat $(cat ../present) | wc -c) &&
	test $total -le 5120 &&
	test $(wc -l <present) -ge 1 && test $(wc -l <present) -lt 6 &&
	test "$(removed_count size)" = $(($(ok_files size | wc -l) - $(wc -l <present))) &&
	test_grep ",ok,retention,removed,.*: the collection over 5.0 KiB (--max-size),$" size/manifest.csv
'

test_expect_success '--max-size below one round: the last round is kept, said once' '
	collect -o tiny -i 1s -n 3 --no-spread -p heap -t ok=http://$A/ok \
		--max-size 1k 2>err &&
	test "$(files_in tiny | wc -l)" = 1 &&
	test "$(grep -c "over --max-size 1.0 KiB with the last round.s files alone" err)" = 1
'

test_expect_success 'a collection started again: files of an old run go at the first round, strangers stay' '
	mkdir -p old/profiles &&
	cp "$(ls gz/profiles/*.heap.txt.gz | head -1)" old/profiles/ok_1700000000.heap.txt.gz &&
	echo notes >old/profiles/README &&
	collect -q -o old -i 1s -n 1 -p heap --keep 1h -t ok=http://$A/ok 2>err &&
	test ! -e old/profiles/ok_1700000000.heap.txt.gz &&
	test -f old/profiles/README &&
	test_grep ",ok,retention,removed,,,[0-9]*,,,,1 file of 2023-11-14T22:13:20Z: older than 1h (--keep),$" old/manifest.csv
'

test_expect_success 'keep and max-size in the configuration; --check shows them' '
	cat >r.conf <<-EOF &&
	output = "conf-out";
	interval = "1m";
	keep = "7d";
	max-size = "5G";
	targets = ( { name = "ok"; url = "http://$A/ok"; profiles = ["heap"]; } );
	EOF
	"$LEAKY" collect -c r.conf --check --no-probe >out 2>err &&
	test_grep "^keep: 168h$" out &&
	test_grep "^max-size: 5368709120$" out &&
	"$LEAKY" collect -c r.conf --check --no-probe --keep 2d --max-size 1M >out2 &&
	test_grep "^keep: 48h$" out2 &&
	test_grep "^max-size: 1048576$" out2
'

test_expect_success 'a --keep shorter than two intervals, a bad --max-size: one line, exit 2' '
	test_expect_code 2 "$LEAKY" collect -o x -i 1m --keep 90s -t ok=http://$A/ok 2>err &&
	test_grep "^leaky collect: keep 1m30s is less than two intervals (1m): no trend could be read from what it keeps$" err &&
	test_expect_code 2 "$LEAKY" collect -o x --max-size lots -t ok=http://$A/ok 2>err2 &&
	test_grep "^leaky collect: bad --max-size .lots. (e.g. 5G, at least 1k)$" err2 &&
	test ! -e x
'

test_done

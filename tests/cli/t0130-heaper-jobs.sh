#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -j N: heaper, goroutines and pmap decode N files at a time, and what
# they write (rows, the bad files' lines on stderr, the exit status) is
# the same as one at a time, whatever N.
test_description='leaky heaper, goroutines, pmap: -j gives the output of -j 1'
. "$(dirname "$0")/test-lib.sh"

BAD="$FIXTURES/bad"

# same_for_jobs CMD ARGS...: CMD's stdout, stderr and exit status at
# -j 1, then the same at -j 2, -j 8 and the default (no -j).
same_for_jobs() {
	cmd=$1
	shift
	rc=0
	"$LEAKY" "$cmd" -j 1 "$@" >out.1 2>err.1 || rc=$?
	echo "$rc" >rc.1
	for j in 2 8 default; do
		rc=0
		if [ $j = default ]; then
			"$LEAKY" "$cmd" "$@" >out.$j 2>err.$j || rc=$?
		else
			"$LEAKY" "$cmd" -j $j "$@" >out.$j 2>err.$j || rc=$?
		fi
		echo "$rc" >rc.$j
		test_cmp out.1 out.$j &&
		test_cmp err.1 err.$j &&
		test_cmp rc.1 rc.$j || return 1
	done
}

# Three rounds of the heap fixtures with a bad file after every few, so
# that the bad ones fall anywhere in the window of files in flight.
: >heap-list
for r in 1 2 3; do
	for f in "$FIXTURES"/profiles/*.heap.pb.gz "$BAD"/*.pb.gz; do
		case $f in
		*/bomb.pb.gz|*/amplify.pb.gz) continue ;;
		esac
		b=$(basename "$f")
		cp "$f" "r${r}_$b"
		echo "r${r}_$b" >>heap-list
	done
done
echo missing_1700000000.heap.pb.gz >>heap-list
echo . >>heap-list

test_expect_success 'heaper: the rows and the bad files lines, in order' '
	same_for_jobs heaper $(cat heap-list) &&
	test_cmp rc.1 - <<-EOF &&
	1
	EOF
	test_grep "^leaky heaper: r1_corrupt.pb.gz: corrupt gzip stream" err.1 &&
	test_grep "^leaky heaper: r3_truncated.pb.gz: truncated gzip stream" err.1 &&
	test_grep "^leaky heaper: missing_1700000000.heap.pb.gz: " err.1 &&
	test_line_count -gt 40 err.1 &&
	test_line_count -gt 100 out.1
'

test_expect_success 'heaper: the same with --cum, --by stack, --top and --wide' '
	same_for_jobs heaper --cum --by stack $(cat heap-list) &&
	same_for_jobs heaper --top 3 --wide inuse_space $(cat heap-list)
'

test_expect_success 'heaper: sample types that differ are named in input order' '
	same_for_jobs heaper "$FIXTURES"/profiles/leak_*.heap.pb.gz \
		"$FIXTURES"/profiles/leak_*.heap.txt \
		"$BAD"/othertypes_1700000100.pb.gz \
		"$FIXTURES"/profiles/oscillate_*.heap.pb.gz &&
	test_grep "sample types" err.1
'

test_expect_success 'heaper: --base and --diff' '
	same_for_jobs heaper --base "$FIXTURES"/profiles/leak_1795310064.heap.pb.gz \
		"$FIXTURES"/profiles/leak_*.heap.pb.gz &&
	same_for_jobs heaper --diff "$FIXTURES"/profiles/leak_1795310064.heap.pb.gz \
		"$FIXTURES"/profiles/leak_1795310070.heap.pb.gz
'

test_expect_success 'heaper: --memstats over the text dumps' '
	same_for_jobs heaper --memstats "$FIXTURES"/profiles/*.heap.txt \
		"$BAD"/trunc-memstats.heap.txt "$BAD"/badline.heap.txt
'

test_expect_success 'heaper: one file from stdin' '
	"$LEAKY" heaper -j 1 - <"$FIXTURES"/profiles/leak_1795310064.heap.pb.gz >one.1 &&
	"$LEAKY" heaper -j 4 - <"$FIXTURES"/profiles/leak_1795310064.heap.pb.gz >one.4 &&
	test_cmp one.1 one.4
'

test_expect_success 'goroutines: protos, dumps and bad files' '
	: >gor-list &&
	for r in 1 2; do
		for f in "$FIXTURES"/goroutines/* "$BAD"/*goroutine*.txt \
			"$BAD"/goroutine1.txt "$BAD"/corrupt.pb.gz; do
			b=$(basename "$f") &&
			cp "$f" "g${r}_$b" &&
			echo "g${r}_$b" >>gor-list || return 1
		done
	done &&
	same_for_jobs goroutines $(cat gor-list) &&
	test_cmp rc.1 - <<-EOF &&
	1
	EOF
	test_grep "^leaky goroutines: g2_trunc-midstack.goroutine.txt: " err.1 &&
	same_for_jobs goroutines --totals $(cat gor-list)
'

test_expect_success 'pmap: every format and the bad ones' '
	same_for_jobs pmap "$FIXTURES"/pmaps/* "$FIXTURES"/pmap-bad/* \
		"$FIXTURES"/pmaps/* &&
	test_cmp rc.1 - <<-EOF &&
	1
	EOF
	test_grep "^leaky pmap: .*pmap-bad/junk.pmap: " err.1 &&
	same_for_jobs pmap --mappings "$FIXTURES"/pmaps/*.pmap \
		"$FIXTURES"/pmap-bad/*.pmap
'

test_expect_success 'a bad -j is a usage error' '
	for j in 0 -1 x 2x 257 ""; do
		test_expect_code 2 "$LEAKY" heaper -j "$j" \
			"$FIXTURES"/profiles/leak_1795310064.heap.pb.gz \
			>out 2>err &&
		test_grep "^leaky heaper: bad -j" err &&
		test_line_count = 0 out || return 1
	done &&
	test_expect_code 2 "$LEAKY" pmap --jobs 0 "$FIXTURES"/pmaps/* 2>err &&
	test_grep "^leaky pmap: bad -j '"'"'0'"'"' (from 1 to 256 files at a time)" err
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky goroutines: crafted dumps with every header variant, golden CSVs,
# and bad input.
test_description='leaky goroutines'
. "$(dirname "$0")/test-lib.sh"

C="$FIXTURES/crafted"
D2="$C/variants_1700000000.goroutine.txt"
D1="$C/variants_1700000000.goroutine1.txt"

test_expect_success 'debug=2 and debug=1 dumps: groups (golden)' '
	"$LEAKY" goroutines "$D2" "$D1" >out.csv &&
	test_cmp "$C/variants.groups.csv" out.csv
'
test_expect_success 'the golden groups say what the dump says' '
	# 2 workers, 61 minutes at most, one creator shared by both
	test_grep "^2023-11-14T22:13:20Z,variants,2,chan receive,61,main.newPool,main.(\*pool).worker,main.(\*pool).worker,,debug=2,$" out.csv &&
	# locked, gp= m= header; inlined frame kept; creator without "in goroutine"
	test_grep ",1,select (no cases),,main.start,main.idle,main.run;main.idle,,debug=2,$" out.csv &&
	# ancestors are not part of the stack; (scan) is not part of the state
	test_grep ",1,runnable,,,main.deep,main.deep;main.deep,,debug=2,$" out.csv &&
	# runtime and sync frames are skipped to find the top
	test_grep ",sync.Mutex.Lock (durable),3,main.serve,main.handle," out.csv &&
	# labels sorted, quoted because of the comma
	test_grep ",\"route=/upload;tenant=t,1\",debug=1,$" out.csv
'
test_expect_success '--totals: ages and states (golden)' '
	"$LEAKY" goroutines --totals "$D2" "$D1" >out.csv &&
	test_cmp "$C/variants.totals.csv" out.csv &&
	test_grep "^2023-11-14T22:13:20Z,variants,6,3,2,1,2,1,1,1,1$" out.csv
'
test_expect_success '--by top, --time unix (golden)' '
	"$LEAKY" goroutines --by top --time unix "$D2" >out.csv &&
	test_cmp "$C/variants.bytop.csv" out.csv
'
test_expect_success '--min drops small groups' '
	"$LEAKY" goroutines --min 2 "$D2" "$D1" >out.csv &&
	test_line_count = 4 out.csv
'
test_expect_success '--focus and --ignore select goroutines by frame' '
	"$LEAKY" goroutines --focus "pool\.go" "$D2" >out.csv &&
	test_line_count = 2 out.csv &&
	test_grep ",2,chan receive," out.csv &&
	# as with pprof -ignore, a goroutine without frames matches nothing:
	# the one running on another thread goes too
	"$LEAKY" goroutines --ignore "^main\.(idle|deep)$" "$D2" >out.csv &&
	test_line_count = 3 out.csv &&
	! grep -q ",running," out.csv
'
test_expect_success 'a heap profile is not a goroutine profile' '
	test_expect_code 1 "$LEAKY" goroutines "$D2" \
		"$FIXTURES/bad/good_1700000000.heap.pb.gz" "$D1" >out.csv 2>err &&
	test_line_count = 1 err &&
	test_grep "good_1700000000.heap.pb.gz: not a goroutine profile" err &&
	"$LEAKY" goroutines "$D2" "$D1" >expect.csv &&
	test_cmp expect.csv out.csv
'
test_expect_success 'a malformed dump names its line, the rest goes on' '
	sed "3s/.*/	no line number here/" "$D2" >broken_1700000001.goroutine.txt &&
	test_expect_code 1 "$LEAKY" goroutines broken_1700000001.goroutine.txt \
		"$D1" >out.csv 2>err &&
	test_grep "broken_1700000001.goroutine.txt:3: malformed goroutine dump line" err &&
	"$LEAKY" goroutines "$D1" >expect.csv &&
	test_cmp expect.csv out.csv
'
test_expect_success 'counts whose sum passes the 64-bit range: reported' '
	printf "%s\n" "goroutine profile: total 3" "9223372036854775807 @ 0x1" \
		"#	0x1	main.f+0x1	/src/f.go:3" "" "3 @ 0x2" \
		"#	0x2	main.g+0x1	/src/g.go:3" "" >big_1700000001.goroutine1.txt &&
	test_expect_code 1 "$LEAKY" goroutines big_1700000001.goroutine1.txt \
		"$D1" >out.csv 2>err &&
	test_grep "big_1700000001.goroutine1.txt: invalid profile: the goroutine values add up past the 64-bit range" err &&
	"$LEAKY" goroutines "$D1" >expect.csv &&
	test_cmp expect.csv out.csv
'
# Real dumps of the lab cut where Go never ends one
# (scripts/make-bad-fixtures.sh): named truncated, the others still read.
check_truncated() {
	test_expect_code 1 "$LEAKY" goroutines "$1" "$D1" >out.csv 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky goroutines: $1: $2$" err &&
	"$LEAKY" goroutines "$D1" >expect.csv &&
	test_cmp expect.csv out.csv
}
B=$FIXTURES/bad
test_expect_success 'debug=2 cut inside a goroutine header: truncated' '
	check_truncated "$B/trunc-header.goroutine.txt" "truncated goroutine dump: its last line is cut short (cut at line 23)"
'
test_expect_success 'debug=2 cut between a function and its file line' '
	check_truncated "$B/trunc-midstack.goroutine.txt" "truncated goroutine dump: its last function has no file:line after it (cut at line 24)"
'
test_expect_success 'debug=2 cut inside its first header: truncated' '
	printf "goroutine 7 [chan" >first_1700000001.goroutine.txt &&
	check_truncated first_1700000001.goroutine.txt "truncated goroutine dump: its last line is cut short (cut at line 1)"
'
test_expect_success 'debug=2 of just its first line: truncated' '
	check_truncated "$B/trunc-firstline.goroutine.txt" "truncated goroutine dump: its last goroutine has no stack (cut at line 1)"
'
test_expect_success 'debug=1 with fewer goroutines than its total: truncated' '
	check_truncated "$B/trunc-record.goroutine1.txt" "truncated goroutine profile: its records count fewer goroutines than its header.s total (cut at line 5)"
'
test_expect_success 'debug=1 cut inside a frame line: truncated' '
	head -c 150 "$FIXTURES/goroutines/goroutine-leak_1795310058.goroutine1.txt" >cut_1700000001.goroutine1.txt &&
	check_truncated cut_1700000001.goroutine1.txt "truncated goroutine profile: its last line is cut short (cut at line 4)"
'
test_expect_success 'every real goroutine dump is whole' '
	for f in "$FIXTURES"/goroutines/*.txt \
		"$FIXTURES"/report/*/goroutines/*.txt "$C"/*.txt; do
		"$LEAKY" goroutines "$f" >/dev/null || return 1
	done
'
test_expect_success 'truncated gzip, empty file, directory: reported, exit 1' '
	: >empty.txt && mkdir dir &&
	test_expect_code 1 "$LEAKY" goroutines empty.txt dir \
		"$FIXTURES/bad/truncated.pb.gz" "$D1" >out.csv 2>err &&
	test_line_count = 3 err &&
	test_grep "empty.txt: empty file" err &&
	test_grep "dir: is a directory" err &&
	test_grep "truncated.pb.gz: truncated gzip stream" err
'
test_expect_success 'nothing decoded: no CSV at all, not even a header' '
	: >empty.txt &&
	test_expect_code 1 "$LEAKY" goroutines empty.txt >out.csv 2>err &&
	test_line_count = 1 err &&
	test ! -s out.csv &&
	test_expect_code 1 "$LEAKY" goroutines --totals empty.txt >out.csv 2>err &&
	test ! -s out.csv
'
test_expect_success 'usage errors exit 2; write errors exit 1' '
	test_expect_code 2 "$LEAKY" goroutines 2>err &&
	test_expect_code 2 "$LEAKY" goroutines --by nothing "$D1" 2>err &&
	test_expect_code 2 "$LEAKY" goroutines --min x "$D1" 2>err &&
	test_expect_code 1 "$LEAKY" goroutines "$D1" >/dev/full 2>err &&
	test_grep "write error" err
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every kind of bad input: one clear stderr line naming the file and the
# reason, no row for it, the other files still processed, exit 1.
test_description='leaky heaper: bad input'
. "$(dirname "$0")/test-lib.sh"

BAD="$FIXTURES/bad"
GOOD="$BAD/good_1700000000.heap.pb.gz"

"$LEAKY" heaper "$GOOD" >expect-good.csv 2>/dev/null

# check_bad FILE REASON [OPTIONS...]: FILE between two good copies.
check_bad() {
	file=$1 reason=$2
	shift 2
	cp "$GOOD" a_1700000000.heap.pb.gz &&
	cp "$GOOD" b_1700000001.heap.pb.gz &&
	test_expect_code 1 "$LEAKY" heaper "$@" a_1700000000.heap.pb.gz \
		"$file" b_1700000001.heap.pb.gz >out.csv 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky heaper: $file: .*$reason" err &&
	# the good files' rows, and nothing from the bad one
	"$LEAKY" heaper a_1700000000.heap.pb.gz b_1700000001.heap.pb.gz \
		>expect.csv &&
	test_cmp expect.csv out.csv
}

test_expect_success 'the good crafted profile decodes' '
	test_line_count = 2 expect-good.csv &&
	test_grep "^2023-11-14T22:13:20Z,good,main.leak,4096,proto,2023-11-14T22:13:20Z$" expect-good.csv
'

test_expect_success 'empty file' '
	check_bad "$BAD/empty.pb.gz" "empty file"
'
test_expect_success 'text that is not a profile' '
	check_bad "$BAD/notgzip.pb.gz" "text that is not a profile or dump leaky reads"
'
test_expect_success 'truncated gzip' '
	check_bad "$BAD/truncated.pb.gz" "truncated gzip stream"
'
test_expect_success 'corrupt gzip' '
	check_bad "$BAD/corrupt.pb.gz" "corrupt gzip stream"
'
test_expect_success 'trailing garbage after the gzip stream' '
	check_bad "$BAD/trailing.pb.gz" "trailing garbage after gzip stream"
'
test_expect_success 'two gzip members, two profiles' '
	check_bad "$BAD/concat.pb.gz" "two profiles concatenated"
'
test_expect_success 'two profiles appended inside one gzip member' '
	check_bad "$BAD/concat-raw.pb.gz" "two profiles concatenated"
'
test_expect_success 'decompression bomb over --max-inflated' '
	check_bad "$BAD/bomb.pb.gz" "inflated size exceeds the limit of 1048576 bytes" --max-inflated 1M
'
test_expect_success 'decompression bomb over the default 256 MiB cap' '
	head -c 300000000 /dev/zero | gzip -1 >bigbomb.pb.gz &&
	check_bad bigbomb.pb.gz "inflated size exceeds the limit of 268435456 bytes"
'
test_expect_success 'protobuf that amplifies in memory, over --max-memory' '
	check_bad "$BAD/amplify.pb.gz" "exceeds the memory limit of 33554432 bytes" --max-memory 32M
'
test_expect_success 'string index out of range' '
	check_bad "$BAD/strindex.pb.gz" "string index 9 out of range"
'
test_expect_success 'string_table[0] not empty' '
	check_bad "$BAD/str0.pb.gz" "string_table\[0\] must be empty"
'
test_expect_success 'sample names a missing location' '
	check_bad "$BAD/dangling-loc.pb.gz" "names missing location 7"
'
test_expect_success 'location names a missing function' '
	check_bad "$BAD/dangling-func.pb.gz" "names missing function 9"
'
test_expect_success 'duplicate function id' '
	check_bad "$BAD/dup-func.pb.gz" "duplicate function id 1"
'
test_expect_success 'zero id' '
	check_bad "$BAD/zero-id.pb.gz" "location id 0"
'
test_expect_success 'value count differs from the sample types' '
	check_bad "$BAD/values.pb.gz" "has 2 values for 1 sample types"
'
test_expect_success 'samples without sample types' '
	check_bad "$BAD/notypes.pb.gz" "samples without sample types"
'
test_expect_success 'a file whose sample types differ from the first' '
	check_bad "$BAD/othertypes_1700000100.pb.gz" "sample types samples/count differ from inuse_space/bytes"
'
test_expect_success 'values whose sum passes the 64-bit range (pprof)' '
	check_bad "$BAD/overflow.pb.gz" "invalid profile: the inuse_space values add up past the 64-bit range"
'
test_expect_success 'values whose sum passes the 64-bit range (heap text)' '
	check_bad "$BAD/overflow.heap.txt" "invalid profile: the alloc_space values add up past the 64-bit range"
'
test_expect_success 'a sampling rate too large to scale by: held to int64' '
	printf "%s\n" "heap profile: 1: 96 [1: 96] @ heap/9223372036854775807" \
		"1: 96 [1: 96] @ 0x1" "#	0x1	main.f+0x1	/src/f.go:3" \
		"" "# runtime.MemStats" "# DebugGC = false" \
		>rate_1700000000.heap.txt &&
	"$LEAKY" heaper --wide inuse_space rate_1700000000.heap.txt >out.csv &&
	test_grep ",9223372036854775807$" out.csv
'
test_expect_success 'malformed heap?debug=1 line (with its line number)' '
	check_bad "$BAD/badline.heap.txt" "5: malformed heap profile line" ||
	test_grep "badline.heap.txt:5: malformed" err
'
# Real heap?debug=1 texts of the lab cut where Go never ends one
# (scripts/make-bad-fixtures.sh): each named truncated, with the line.
test_expect_success 'heap text cut inside a frame line: truncated' '
	check_bad "$BAD/trunc-frame.heap.txt" "truncated heap profile: no runtime.MemStats section (cut at line 3)$"
'
test_expect_success 'heap text of just its first line: truncated' '
	check_bad "$BAD/trunc-firstline.heap.txt" "truncated heap profile: no runtime.MemStats section (cut at line 1)$"
'
test_expect_success 'heap text cut inside its MemStats trailer: truncated' '
	check_bad "$BAD/trunc-memstats.heap.txt" "truncated heap profile: its runtime.MemStats section stops before DebugGC (cut at line 222)$"
'
test_expect_success 'heap text whose last line has no newline: truncated' '
	f=$FIXTURES/profiles/leak_1795310064.heap.txt &&
	head -c $(($(wc -c <"$f") - 1)) "$f" >nonl_1700000000.heap.txt &&
	check_bad nonl_1700000000.heap.txt "truncated heap profile: its last line is cut short (cut at line 227)$"
'
test_expect_success 'every real heap text is whole' '
	for f in "$FIXTURES"/profiles/*.heap.txt \
		"$FIXTURES"/report/*/profiles/*.heap.txt; do
		"$LEAKY" heaper "$f" >/dev/null || return 1
	done
'
test_expect_success 'a goroutine dump among heap profiles' '
	check_bad "$BAD/goroutine1.txt" "sample types goroutine/count differ from inuse_space/bytes"
'
test_expect_success 'an HTML error page saved as a profile' '
	check_bad "$BAD/page.html" "an HTML page, not a profile leaky reads"
'
test_expect_success 'a directory' '
	mkdir adir &&
	check_bad adir "is a directory"
'
test_expect_success 'a missing file' '
	check_bad missing.pb.gz "No such file or directory"
'
test_expect_success 'an unreadable file' '
	check_bad /proc/self/mem "Input/output error"
'
test_expect_success 'unknown fields from a newer producer are skipped' '
	"$LEAKY" heaper "$BAD/unknown-fields_1700000200.heap.pb.gz" >out 2>err &&
	test_line_count = 0 err &&
	test_grep "^2023-11-14T22:16:40Z,unknown-fields,main.leak,4096,proto,2023-11-14T22:16:40Z$" out
'
test_expect_success 'a write error on stdout is reported, exit 1' '
	test_expect_code 1 "$LEAKY" heaper "$GOOD" >/dev/full 2>err &&
	test_grep "write error on standard output" err
'
test_expect_success '-o never leaves a half-written or clobbered file' '
	echo precious >keep.csv &&
	test_expect_code 1 "$LEAKY" heaper -o keep.csv "$GOOD" 2>err &&
	test_grep "keep.csv: already exists" err &&
	echo precious >expect &&
	test_cmp expect keep.csv &&
	"$LEAKY" heaper -o new.csv "$GOOD" &&
	test_cmp expect-good.csv new.csv &&
	"$LEAKY" heaper --force -o keep.csv "$GOOD" &&
	test_cmp expect-good.csv keep.csv &&
	! ls | grep -q "\.tmp\."
'
test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$LEAKY" heaper 2>err &&
	printf "%s\n" "leaky heaper: no input files" \
		"Try '\''leaky heaper --help'\''." >expect &&
	test_cmp expect err &&
	test_expect_code 2 "$LEAKY" heaper --bogus "$GOOD" 2>err &&
	printf "%s\n" "leaky heaper: unrecognized option '\''--bogus'\''" \
		"Try '\''leaky heaper --help'\''." >expect &&
	test_cmp expect err &&
	test_expect_code 2 "$LEAKY" heaper "$GOOD" -o 2>err &&
	printf "%s\n" "leaky heaper: option requires an argument -- '\''o'\''" \
		"Try '\''leaky heaper --help'\''." >expect &&
	test_cmp expect err &&
	test_expect_code 2 "$LEAKY" heaper "$GOOD" --output 2>err &&
	printf "%s\n" "leaky heaper: option '\''--output'\'' requires an argument" \
		"Try '\''leaky heaper --help'\''." >expect &&
	test_cmp expect err &&
	test_expect_code 2 "$LEAKY" bogus 2>err &&
	printf "%s\n" "leaky: unknown command '\''bogus'\''" \
		"Try '\''leaky --help'\''." >expect &&
	test_cmp expect err &&
	test_expect_code 2 "$LEAKY" heaper --by nothing "$GOOD" 2>err &&
	test_expect_code 2 "$LEAKY" heaper --focus "(" "$GOOD" 2>err &&
	test_grep "bad --focus regular expression" err &&
	test_expect_code 2 "$LEAKY" heaper --top 0 "$GOOD" 2>err &&
	test_expect_code 2 "$LEAKY" heaper --max-inflated 12Q "$GOOD" 2>err &&
	test_expect_code 2 "$LEAKY" nosuchcommand 2>err
'

test_done

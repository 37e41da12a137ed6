#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every kind of bad process-memory input: one clear stderr line naming the
# file and the reason, no row for it, the other files still processed, exit 1.
test_description='leaky pmap: bad input'
. "$(dirname "$0")/test-lib.sh"

BAD="$FIXTURES/pmap-bad"
GOOD="$BAD/good_1700000000.pmap"

# check_bad FILE REASON [OPTIONS...]: FILE between two good copies.
check_bad() {
	file=$1 reason=$2
	shift 2
	cp "$GOOD" a_1700000000.pmap &&
	cp "$GOOD" b_1700000001.pmap &&
	test_expect_code 1 "$LEAKY" pmap "$@" a_1700000000.pmap "$file" \
		b_1700000001.pmap >out.csv 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky pmap: $file:.*$reason" err &&
	# the good files' rows, and nothing from the bad one
	"$LEAKY" pmap "$@" a_1700000000.pmap b_1700000001.pmap >expect.csv &&
	test_cmp expect.csv out.csv
}

test_expect_success 'the good crafted pmap -x decodes' '
	"$LEAKY" pmap "$GOOD" >out.csv &&
	test_line_count = 2 out.csv &&
	test_grep "^2023-11-14T22:13:20Z,good,4242,6772,5828,,3412,3412,2416,,,16,pmap -x\$" out.csv
'
test_expect_success 'a process that had exited: pmap printed nothing' '
	check_bad "$BAD/vanished.pmap" "empty file"
'
test_expect_success "another user's process: only the PID line" '
	check_bad "$BAD/otheruser.pmap" "only the .PID: command. line, no mappings (a process of another user?"
'
test_expect_success 'a header without rows' '
	check_bad "$BAD/header-only.pmap" "a pmap header (line 2) but no mappings"
'
test_expect_success 'pmap -x cut before its total line' '
	check_bad "$BAD/no-total.pmap" "truncated: no total line after the mappings"
'
test_expect_success 'pmap -x cut in the middle of a row' '
	check_bad "$BAD/cut-row.pmap" "truncated: the last line is cut short"
'
test_expect_success 'a row lost: the total is not the sum of the rows' '
	check_bad "$BAD/lost-row.pmap" "6: total Kbytes 6772 is not the sum of the mappings, 2676"
'
test_expect_success 'pmap of two PIDs in one file' '
	check_bad "$BAD/two-procs.pmap" "8: a second process (pmap of several PIDs)"
'
test_expect_success 'text that is no memory map' '
	check_bad "$BAD/junk.pmap" "text that is not pmap output, smaps, smaps_rollup or status"
'
test_expect_success 'binary data' '
	check_bad "$BAD/binary.pmap" "binary data, not a process memory map"
'
test_expect_success 'a gzipped file' '
	gzip -c "$GOOD" >gz.pmap &&
	check_bad gz.pmap "gzip data, not a process memory map"
'
test_expect_success 'an HTML error page' '
	check_bad "$BAD/page.html" "an HTML page, not a process memory map"
'
test_expect_success '/proc/PID/maps, which has no sizes in kB' '
	check_bad "$BAD/maps.smaps" "a /proc/PID/maps listing"
'
test_expect_success 'smaps cut inside its last mapping' '
	check_bad "$BAD/truncated.smaps" "10: the mapping has no .Pss:. line (truncated?)"
'
test_expect_success 'smaps_rollup cut short' '
	check_bad "$BAD/truncated.smaps_rollup" "truncated: no .Locked:. line"
'
test_expect_success 'status cut short' '
	check_bad "$BAD/truncated.status" "truncated: no .Threads:. line"
'
test_expect_success 'status of a kernel thread (no memory)' '
	check_bad "$BAD/kthread.status" "no .VmRSS:. line: a kernel thread or a zombie"
'
test_expect_success 'a directory' '
	mkdir adir &&
	check_bad adir "is a directory"
'
test_expect_success 'a missing file' '
	check_bad missing.pmap "No such file or directory"
'
test_expect_success 'an unreadable file' '
	check_bad /proc/self/mem "Input/output error"
'
test_expect_success 'a file over --max-input' '
	check_bad "$FIXTURES/pmap-golden/sleep_1795309686.smaps" "larger than the input limit (1024 bytes)" --max-input 1k
'
test_expect_success '--mappings of smaps_rollup or status: no mappings to list' '
	check_bad "$FIXTURES/pmap-golden/sleep_1795309686.status" "status has no mappings for --mappings" --mappings &&
	check_bad "$FIXTURES/pmap-golden/sleep_1795309686.smaps_rollup" "smaps_rollup has no mappings for --mappings" --mappings
'
test_expect_success 'a write error on stdout is reported, exit 1' '
	test_expect_code 1 "$LEAKY" pmap "$GOOD" >/dev/full 2>err &&
	test_grep "write error on standard output" err
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky report -j N decodes N files at a time: the report, the CSV, the
# bad files' lines on stderr and the exit status are those of -j 1.
test_description='leaky report: -j gives the report of -j 1'
. "$(dirname "$0")/test-lib.sh"

BAD="$FIXTURES/bad"

# same_for_jobs ARGS...: report's stdout, stderr and exit status at -j 1,
# then the same at -j 2, -j 8 and the default (no -j).
same_for_jobs() {
	rc=0
	"$LEAKY" report -j 1 "$@" >out.1 2>err.1 || rc=$?
	echo "$rc" >rc.1
	for j in 2 8 default; do
		rc=0
		if [ $j = default ]; then
			"$LEAKY" report "$@" >out.$j 2>err.$j || rc=$?
		else
			"$LEAKY" report -j $j "$@" >out.$j 2>err.$j || rc=$?
		fi
		echo "$rc" >rc.$j
		test_cmp out.1 out.$j &&
		test_cmp err.1 err.$j &&
		test_cmp rc.1 rc.$j || return 1
	done
}

# Every fixture collection in one directory, with bad files among the
# good ones in every folder: profiles, goroutines, process memory, .fds
# lists and limits files, each told apart by its bytes.
mkdir all
for d in "$FIXTURES"/report/*/; do
	cp -R "$d" "all/$(basename "$d")"
done
for f in "$BAD"/*.pb.gz "$BAD"/*.txt; do
	case $f in
	*/bomb.pb.gz|*/amplify.pb.gz) continue ;;
	esac
	cp "$f" "all/leak/profiles/bad_$(basename "$f")"
done
cp "$FIXTURES"/pmap-bad/* all/leak/pmaps/
cp "$FIXTURES"/fds/*.fds all/leak/
cp "$FIXTURES"/limits/*.limits all/leak/

test_expect_success 'the report of a directory with bad files in it' '
	same_for_jobs --fail-on never all/leak &&
	test_cmp rc.1 - <<-EOF &&
	1
	EOF
	test_grep "^leaky report: all/leak/profiles/bad_corrupt.pb.gz: corrupt gzip stream" err.1 &&
	test_grep "^leaky report: all/leak/pmaps/junk.pmap: " err.1 &&
	test_line_count -gt 10 err.1
'

test_expect_success 'the CSV of many collections, a missing path among them' '
	same_for_jobs --csv --fail-on never all/* missing-dir \
		"$FIXTURES"/profiles/leak_1795310064.heap.pb.gz &&
	test_grep "^leaky report: missing-dir: No such file or directory" err.1 &&
	test_line_count -gt 20 out.1
'

test_expect_success 'the verdict and its exit status, collection by collection' '
	for d in all/*/; do
		same_for_jobs --keep-profiler "$d" || return 1
	done
'

test_expect_success 'a bad -j is a usage error' '
	test_expect_code 2 "$LEAKY" report -j 0 all/leak 2>err &&
	test_grep "^leaky report: bad -j" err
'

test_done

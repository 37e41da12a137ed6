#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The output directory: removed or broken mid-run (a clear error, the next
# round tries again), locked against a second collector, unwritable.
test_description='leaky collect: the output directory'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f || exit 1
A=$(sed -n 1p f.addr)

test_expect_success 'the output directory removed mid-run is made again' '
	collect -o out -i 300ms -n 8 --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows out 2 heap ok ok &&
	rm -rf out &&
	wait $c &&
	test_grep "made out again: it had vanished" err &&
	test "$(grep -c "^time," out/manifest.csv)" = 1 &&
	n=$(count_rows out heap ok ok) &&
	test $n -ge 1 && test $n -le 6 &&
	test "$(ls out/profiles | wc -l)" = $n &&
	manifest_matches out
'

test_expect_success 'a subdirectory broken mid-run: errors, then recovery' '
	collect -o sub -i 300ms -n 10 --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows sub 1 heap ok ok &&
	mv sub/profiles sub/saved && echo x >sub/profiles &&
	wait_until 10 has_rows sub 2 heap failed ok &&
	rm sub/profiles && mv sub/saved sub/profiles &&
	wait $c &&
	test_grep "^leaky collect: ok: heap: cannot save: sub/profiles: Not a directory$" err &&
	test_grep "^leaky collect: ok: heap: ok again after [0-9]* failures$" err &&
	test "$(grep -c "cannot save" err)" = 1 &&
	bad=$(count_rows sub heap failed ok) &&
	good=$(count_rows sub heap ok ok) &&
	test $bad -ge 2 && test $good -ge 2 &&
	test $((bad + good)) = $((10 - $(skipped err))) &&
	test_grep ",failed,.*cannot save: sub/profiles: Not a directory" sub/manifest.csv &&
	manifest_matches sub
'

test_expect_success 'a second collector on the same directory: exit 1' '
	# (not in the background list below: an old err says "collecting")
	rm -f err
	"$LEAKY" collect -o lock -i 30s -d "$(slow 60)s" -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	test_expect_code 1 collect -o lock -n 1 -p heap \
		-t ok=http://$A/ok 2>err2 &&
	test_grep "^leaky collect: lock is in use by another leaky collect (pid $c)$" err2 &&
	test_line_count = 1 err2 &&
	kill -TERM $c &&
	wait $c &&
	manifest_matches lock
'

test_expect_success 'an output that cannot be made: exit 1 at once' '
	echo x >file &&
	test_expect_code 1 collect -o file/out -n 1 -t ok=http://$A/ok 2>err &&
	test_grep "file/out: Not a directory" err
'

test_expect_success 'a manifest written by something else: exit 1' '
	mkdir other && echo "a,b,c" >other/manifest.csv &&
	test_expect_code 1 collect -o other -n 1 -t ok=http://$A/ok 2>err &&
	test_grep "other/manifest.csv: not a manifest this collector writes" err
'

# What a collector killed in the middle of writing a row leaves: the row
# cut inside a quoted field. Ending that line would leave the quote open
# over every later row.
test_expect_success 'a partial last row (a killed collector) is cut off' '
	collect -o part -n 1 -i 1s --no-spread -p heap -t ok=http://$A/ok \
		2>err &&
	printf "2026-01-01T00:00:00.000Z,1,ok,heap,failed,http://x/,,,,,,\"cannot save: a, b" \
		>>part/manifest.csv &&
	collect -o part -n 1 -i 1s --no-spread -p heap -t ok=http://$A/ok \
		2>err &&
	test_grep "^leaky collect: part/manifest.csv: cut off a partial last row (75 bytes, from a collector stopped mid-write), kept in part/manifest.csv.partial$" err &&
	test_line_count = 3 part/manifest.csv &&
	test "$(count_rows part heap ok ok)" = 2 &&
	printf "%s\n" "2026-01-01T00:00:00.000Z,1,ok,heap,failed,http://x/,,,,,,\"cannot save: a, b" \
		>expect &&
	test_cmp expect part/manifest.csv.partial &&
	manifest_matches part &&
	# two snapshots: no verdict, and no word about the manifest
	"$LEAKY" report --allow-no-data part >report.txt 2>report.err &&
	test_line_count = 0 report.err
'

test_expect_success 'a row cut outside quotes is cut off too' '
	printf "2026-01-01T00:00:00.000Z,1,ok,heap,o" >>part/manifest.csv &&
	collect -o part -n 1 -i 1s --no-spread -p heap -t ok=http://$A/ok \
		2>err &&
	test_grep "cut off a partial last row (36 bytes" err &&
	test_line_count = 4 part/manifest.csv &&
	test "$(count_rows part heap ok ok)" = 3 &&
	test_line_count = 2 part/manifest.csv.partial
'

test_expect_success 'temporaries a SIGKILL left are removed at the next start' '
	: >part/profiles/.ok_1.heap.pb.gz.tmp.Ab3dE6 &&
	: >part/goroutines/.ok_1.goroutine.txt.tmp.xxxxxx &&
	: >part/profiles/.keep &&
	: >part/profiles/.tmp.short &&
	collect -o part -n 1 -i 1s --no-spread -p heap -t ok=http://$A/ok \
		2>err &&
	test_grep "^leaky collect: part: removed 2 temporary files a killed collector left$" err &&
	! find part -name "*.tmp.??????" | grep -q . &&
	test -e part/profiles/.keep && test -e part/profiles/.tmp.short
'

test_expect_success 'writes failing to the end (a file size limit): exit 1' '
	(ulimit -f 2 &&
	 test_expect_code 1 "$LEAKY" collect -o full -i 200ms -n 3 \
		--no-spread -p heap.txt -t ok=http://$A/ok 2>err) &&
	test_grep "File too large" err &&
	test_grep "could not be written at the end" err &&
	! find full -name "*.tmp.*" | grep -q . &&
	test "$(ls full/profiles | wc -l)" = 0
'

# A limit the small samples stay under and the growing manifest reaches:
# samples saved whose rows cannot be written are not kept. Past the limit
# a row a few bytes shorter (a shorter duration, a skipped round) may still
# fit: said once all the same, and the rows lost counted at the end. (The
# interval scales: where fetches outlast it, most rounds are skipped and
# their rows fill the manifest before five samples are kept.)
test_expect_success 'a sample the manifest cannot list is not kept' '
	(ulimit -f 8 &&
	 test_expect_code 1 "$LEAKY" collect -o rows -i "$(slow 50)ms" -n 40 \
		--no-spread -p heap -t ok=http://$A/ok 2>err) &&
	test_grep "cannot write the manifest: .*File too large (samples it cannot list are not kept" err &&
	test "$(grep -c "cannot write the manifest" err)" = 1 &&
	test_grep "^leaky collect: [1-9][0-9]* manifest rows\{0,1\} could not be written$" err &&
	n=$(count_rows rows heap ok ok) &&
	test $n -ge 5 && test $n -lt 40 &&
	manifest_matches rows
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Text dumps cut where Go never ends one (faultsrv's /trunc/, a body ended
# by the connection's close, so the HTTP exchange looks whole) are refused:
# a failed manifest row naming the truncation, no file kept, the good
# target unharmed. Before, they were saved as ok and read with exit 0.
test_description='leaky collect: truncated text dumps'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f || exit 1
A=$(sed -n 1p f.addr)

test_expect_success 'one round: a good target and three cut ones' '
	collect -o out -n 1 --no-spread -i "$(slow 2)s" --timeout "$(slow 1)s" \
		-p heap.txt,goroutine.txt \
		-t good=http://$A/ok \
		-t frame=http://$A/trunc/frame \
		-t header=http://$A/trunc/header \
		-t first=http://$A/trunc/firstline >out.log 2>err &&
	test_grep "round 1: 1/4 targets ok" err
'

# failed TARGET KIND REASON: TARGET's one KIND row failed with REASON in
# its error column, and no file of TARGET was kept.
failed() {
	awk -F, -v t="$1" -v k="$2" "NR > 1 && \$3 == t && \$4 == k" \
		out/manifest.csv >rows &&
	test_line_count = 1 rows &&
	test_grep ",failed,.*,$3," rows &&
	! ls out/profiles out/goroutines 2>/dev/null | grep -q "^$1_"
}

test_expect_success 'the good target kept both dumps' '
	test "$(count_rows out heap.txt ok good)" = 1 &&
	test "$(count_rows out goroutine.txt ok good)" = 1 &&
	manifest_matches out &&
	"$LEAKY" heaper out/profiles/good_*.heap.txt.gz >h.csv &&
	"$LEAKY" goroutines out/goroutines/good_*.goroutine.txt.gz >g.csv
'
test_expect_success 'heap?debug=1 cut inside a frame line' '
	failed frame heap.txt "truncated heap profile: no runtime.MemStats section (cut at line 3)"
'
test_expect_success 'goroutine?debug=2 cut inside a frame line' '
	failed frame goroutine.txt "truncated goroutine dump: its last line is cut short (cut at line 3)"
'
test_expect_success 'goroutine?debug=2 cut inside a goroutine header' '
	failed header goroutine.txt "truncated goroutine dump: its last line is cut short (cut at line [0-9]*)" &&
	failed header heap.txt "truncated heap profile: its header line is cut short (cut at line 1)"
'
test_expect_success 'a body of just the first line' '
	failed first heap.txt "truncated heap profile: no runtime.MemStats section (cut at line 1)" &&
	failed first goroutine.txt "truncated goroutine dump: its last goroutine has no stack (cut at line 1)"
'
test_expect_success 'one stderr line per refused body, naming the reason' '
	test "$(grep -v ": no fetch succeeded: " err | grep -c "truncated")" = 6 &&
	# and, at the end, one for each target none of whose fetches did
	test "$(grep -c "^leaky collect: [a-z]*: no fetch succeeded: truncated " err)" = 3
'

test_done

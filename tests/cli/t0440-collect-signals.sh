#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SIGTERM and SIGINT: the fetches in flight finish (or time out), then exit
# 0 with nothing partial and no temporary file; a second signal exits at
# once, still with no partial file under a final name.
test_description='leaky collect: signals'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f -slow 1500ms || exit 1
A=$(sed -n 1p f.addr)

# no_partials DIR: no temporary file; every profile there decodes.
no_partials() {
	! find "$1" -name "*.tmp.*" | grep -q . &&
	manifest_matches "$1" &&
	if ls "$1"/profiles/*.heap.pb.gz >/dev/null 2>&1; then
		"$LEAKY" heaper "$1"/profiles/*.heap.pb.gz >/dev/null
	fi
}

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# A signal is sent once the collector has said it is collecting (its
# handlers are set; err is removed first, as an older one says so too) and
# the quick target's fetch of the round is done (the slow one is then in
# flight). -d bounds each run should a signal be lost (timeout would pass
# each signal on twice: to the child and its group).
test_expect_success 'SIGTERM during a slow fetch: it finishes, exit 0' '
	# (not in the background list below: an old err says "collecting")
	rm -f err
	"$LEAKY" collect -o term -i 10s -d "$(slow 30)s" --no-spread -p heap \
		-t slow=http://$A/slow -t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 has_rows term 1 heap ok ok &&
	kill -TERM $c &&
	t0=$(now_ms) &&
	wait $c &&
	t=$(( $(now_ms) - t0 )) &&
	test $t -lt "$(slow 3000)" &&
	test_grep "stopping: letting the fetches in flight finish" err &&
	test_grep "stopped after 1 round: 2 fetches ok" err &&
	test "$(count_rows term heap ok slow)" = 1 &&
	no_partials term
'

test_expect_success 'SIGINT while a fetch hangs: it times out, exit 0' '
	rm -f err
	"$LEAKY" collect -o int -i 10s -d "$(slow 30)s" --timeout 1s \
		--no-spread -p heap \
		-t hang=http://$A/hang -t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 has_rows int 1 heap ok ok &&
	kill -INT $c &&
	wait $c &&
	test "$(count_rows int heap failed hang)" = 1 &&
	test_grep ",hang,heap,failed,.*Operation timed out" int/manifest.csv &&
	test "$(count_rows int heap ok ok)" = 1 &&
	no_partials int
'

test_expect_success 'a second signal exits at once, leaving nothing partial' '
	rm -f err
	"$LEAKY" collect -o twice -i 10s -d "$(slow 30)s" --no-spread -p heap \
		-t slow=http://$A/slow -t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 has_rows twice 1 heap ok ok &&
	kill -TERM $c &&
	wait_until 10 grep -q "stopping: letting the fetches" err &&
	t0=$(now_ms) &&
	kill -TERM $c &&
	{ wait $c; status=$?; } &&
	t=$(( $(now_ms) - t0 )) &&
	test $status = 143 &&
	test $t -lt "$(slow 1000)" &&
	test "$(count_rows twice heap ok slow)" = 0 &&
	! ls twice/profiles | grep -q "^slow_" &&
	no_partials twice
'

test_expect_success 'a signal between rounds: exit 0 at once' '
	rm -f err
	"$LEAKY" collect -o idle -i 30s -d "$(slow 60)s" --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 has_rows idle 1 heap ok ok &&
	t0=$(now_ms) &&
	kill -TERM $c &&
	wait $c &&
	test $(( $(now_ms) - t0 )) -lt "$(slow 1000)" &&
	test "$(count_rows idle heap ok ok)" = 1 &&
	no_partials idle
'

# A check of the bomb inflates 256 MB (a few hundred ms) while its next
# rounds fall due: a signal then must start nothing (no row is of a round
# that began after it), and the exit comes once that check is done.
# faultsrv says "bomb served" on each one; its check runs soon after.
served() { test "$(grep -c "bomb served" f.log)" -gt "$1"; }
# iso_now: the time as the manifest writes it, which sorts as text.
iso_now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

test_expect_success 'SIGTERM during a long check: nothing starts after it' '
	rm -f err
	# the server makes its bomb at the first request
	"$LEAKY" collect -o warm -n 1 -p heap --timeout "$(slow 10)s" \
		-t b=http://$A/bomb 2>/dev/null
	n0=$(grep -c "bomb served" f.log)
	"$LEAKY" collect -o check -i 100ms -d "$(slow 30)s" --no-spread \
		-p heap -t bomb=http://$A/bomb -t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 served "$n0" &&
	kill -TERM $c &&
	sig=$(iso_now) &&
	t0=$(now_ms) &&
	wait $c &&
	t=$(( $(now_ms) - t0 )) &&
	test $t -lt "$(slow 3000)" &&
	awk -F, -v sig="$sig" "NR > 1 && \$1 > sig" check/manifest.csv \
		>after &&
	test_line_count = 0 after &&
	test "$(count_rows check heap failed bomb)" -ge 1 &&
	no_partials check
'

# The exit status does not depend on how the run ended: a signal ends it
# as -n or -d would, and a run in which no fetch succeeded exits 1.
test_expect_success 'a signal after failures only: exit 1, as at the end' '
	rm -f err
	"$LEAKY" collect -o down -i 10s -d "$(slow 30)s" --no-spread -p heap \
		-t down=http://127.0.0.1:1 2>err &
	c=$! &&
	wait_until 10 started err &&
	wait_until 10 has_rows down 1 heap failed down &&
	kill -INT $c &&
	{ wait $c; status=$?; } &&
	test $status = 1 &&
	test_grep "^leaky collect: no fetch succeeded" err
'

test_done

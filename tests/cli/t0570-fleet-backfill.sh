#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='fleet data: six hours of a synthetic fleet backfilled
with promtool into a real Prometheus, read back through its HTTP API'
. "$(dirname "$0")/test-lib.sh"

ROOT=$(cd "$TEST_DIRECTORY/.." && pwd)
BACKFILL="$ROOT/scripts/fleet-backfill.sh"
FLEETGEN=${FLEETGEN:-$ROOT/build/fleetgen}
EXPECTED="$FIXTURES/fleet/expected.txt"

# The window: six hours of one scrape a minute, ending on the last whole
# minute, as a fleet scan over --since 6h would read it.
END=$(date +%s)
END=$((END - END % 60))
START=$((END - 6 * 3600))

# What each instance holds: its samples per series as generated, and the
# points a query_range at a 60 s step returns. After the last sample
# before a gap, Prometheus repeats it for the 5 minutes of
# --query.lookback-delta: five more points than samples.
cat >counts <<EOF
gap-healthy:8080 300 305
gap-leak-heap:8080 300 305
healthy-steady:8080 360 360
healthy-step:8080 360 360
healthy-warmup:8080 360 360
leak-fds:8080 360 360
leak-goroutines:8080 360 360
leak-heap-sawtooth:8080 360 360
leak-heap-steady:8080 360 360
leak-hidden-restarts:8080 360 360
young:8080 10 10
EOF
METRICS="go_memstats_heap_inuse_bytes go_goroutines
process_resident_memory_bytes process_open_fds process_start_time_seconds"

# Prometheus runs under timeout, whose pid the tests (subshells) leave in
# prom.pid; the end of the script stops it and waits for it to go.
gone() {
	! kill -0 "$1" 2>/dev/null
}
stop_prometheus() {
	[ -s "$TRASH/prom.pid" ] || return 0
	pid=$(cat "$TRASH/prom.pid")
	kill "$pid" 2>/dev/null
	wait_until 10 gone "$pid" || kill -9 "$pid" 2>/dev/null
	rm -f "$TRASH/prom.pid"
}
trap 'stop_prometheus; remove_trash' EXIT

# listening: Prometheus, started on port 0, has said where it listens.
listening() {
	sed -n 's/.*msg="Listening on" address=\(127[0-9.]*:[0-9]*\).*/\1/p' \
		"$TRASH/prom.log" | head -n 1 >"$TRASH/prom.addr" &&
	test -s "$TRASH/prom.addr"
}

ready() {
	curl -sf --max-time 2 "http://$(cat "$TRASH/prom.addr")/-/ready" \
		>/dev/null
}

# api PATH [curl args]: a GET of Prometheus's /api/v1/PATH; fails unless
# it answers 200 with status "success".
api() {
	p=$1
	shift
	curl -sfG --max-time "$(slow 10)" \
		"http://$(cat "$TRASH/prom.addr")/api/v1/$p" "$@" >"$TRASH/.api" &&
	jq -e '.status == "success"' "$TRASH/.api" >/dev/null &&
	cat "$TRASH/.api"
}

# range_of QUERY: the query_range answer over the window, at 60 s.
range_of() {
	api query_range --data-urlencode "query=$1" -d start=$START \
		-d end=$END -d step=60
}

test_expect_success 'the backfill turns every generated sample into blocks' '
	sh "$BACKFILL" "$TRASH/prom-data" -end $END &&
	ls "$TRASH"/prom-data/*/meta.json >/dev/null &&
	promtool tsdb list "$TRASH/prom-data" >blocks &&
	awk "NR > 1 { n += \$5 } END { print n }" blocks >samples &&
	awk "{ n += 5 * \$2 } END { print n }" counts >expect &&
	test_cmp expect samples
'

test_expect_success 'the generated instances are those expected.txt judges' '
	awk "!/^#/ { print \$4, \$1 }" "$EXPECTED" | sort >expect &&
	cut -d" " -f1,2 "$TRASH/prom-data.list" | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'Prometheus starts on the backfilled data and gets ready' '
	printf "global:\n  scrape_interval: 1m\nscrape_configs: []\n" \
		>prom.yml &&
	{ timeout -k 5 "$(slow 60)" prometheus --config.file=prom.yml \
		--storage.tsdb.path="$TRASH/prom-data" \
		--web.listen-address=127.0.0.1:0 \
		--query.lookback-delta=5m >prom.log 2>&1 &
	  echo $! >prom.pid; } &&
	wait_until 20 listening &&
	wait_until 20 ready
'

test_expect_success 'query_range finds every instance, a point a minute' '
	range_of go_memstats_heap_inuse_bytes >heap.json &&
	jq -r ".data.result[] | \"\(.metric.instance) \(.values | length)\"" \
		heap.json | sort >actual &&
	cut -d" " -f1,3 counts >expect &&
	test_cmp expect actual
'

test_expect_success 'each series holds the samples generated, gaps and all' '
	for m in $METRICS; do
		api query --data-urlencode "query=$m[6h]" -d time=$END |
		jq -r ".data.result[] | \"\(.metric.__name__)\"
			+ \" \(.metric.instance) \(.values | length)\"
			+ \" \(.values[-1][0])\"" || exit 1
	done | sort >actual &&
	for m in $METRICS; do
		awk -v m=$m -v end=$END "{ print m, \$1, \$2, end }" counts
	done | sort >expect &&
	test_cmp expect actual
'

test_expect_success 'restarts hiding a leak: new start times, heap falls' '
	sel="{instance=\"leak-hidden-restarts:8080\"}" &&
	range_of "process_start_time_seconds$sel" >start.json &&
	range_of "go_memstats_heap_inuse_bytes$sel" >heap1.json &&
	jq -r "[.data.result[0].values[][1]] | unique | length" start.json \
		>actual &&
	echo 5 >expect &&
	test_cmp expect actual &&
	jq -n --slurpfile s start.json --slurpfile h heap1.json "
		(\$h[0].data.result[0].values |
		 map({key: (.[0] | tostring), value: (.[1] | tonumber)}) |
		 from_entries) as \$heap |
		\$s[0].data.result[0].values as \$st |
		[range(1; \$st | length) | select(\$st[.][1] != \$st[. - 1][1]) |
		 \$heap[\$st[.][0] | tostring] < \$heap[\$st[. - 1][0] | tostring]]
		" | jq -c . >actual &&
	echo "[true,true,true,true]" >expect &&
	test_cmp expect actual
'

test_expect_success 'the same seed makes the same fleet, another seed another' '
	"$FLEETGEN" -end $END -seed 7 -o a.om &&
	"$FLEETGEN" -end $END -seed 7 -o b.om &&
	"$FLEETGEN" -end $END -seed 8 -o c.om &&
	cmp a.om b.om &&
	! cmp -s a.om c.om &&
	test "$(tail -n 1 a.om)" = "# EOF"
'

test_expect_success 'bad arguments: one line saying what is wrong' '
	test_expect_code 2 sh "$BACKFILL" 2>err &&
	test_grep "^usage: fleet-backfill DATA_DIR" err &&
	test_expect_code 1 sh "$BACKFILL" "$TRASH/future" \
		-end $((END + 7200)) 2>err &&
	test_line_count = 1 err &&
	test_grep "^fleetgen: -end $((END + 7200)): .* in the future" err &&
	test_expect_code 1 sh "$BACKFILL" "$TRASH/zero" -step 0s 2>err &&
	test_line_count = 1 err &&
	test_grep "^fleetgen: -step 0s: " err
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky collect finds its targets the way Prometheus does: the active
# targets of a real Prometheus scraping lab targets on loopback
# (--targets-from, filtered by --match), and file_sd files (--file-sd,
# JSON and YAML) changed while it runs. Targets join and leave with
# manifest rows, the exporter follows them, and leaky report on the
# directory flags the leaking one.
test_description='leaky collect --targets-from, --file-sd'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"
. "$TEST_DIRECTORY/cli/prom-lib.sh"

need_prometheus || exit 1
need_lab || exit 1
SERVER_LIFE=$(slow 200 | sed 's/\..*//')s
start_lab leak -scenario leak -rate 1 || exit 1
start_lab healthy -scenario healthy || exit 1
start_lab late -scenario healthy || exit 1
LEAK=$(head -1 leak.addr)
HEALTHY=$(head -1 healthy.addr)
LATE=$(head -1 late.addr)

# found_name JOB ADDR: the collector's name of JOB's target at ADDR.
found_name() {
	echo "$1_$(echo "$2" | tr '.:' '--')"
}
NLEAK=$(found_name lab "$LEAK")
NHEALTHY=$(found_name lab "$HEALTHY")
NLATE=$(found_name lab "$LATE")

# lab_conf TARGETS...: Prometheus scrapes them as job lab, and itself.
lab_conf() {
	{
		printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
		printf 'scrape_configs:\n  - job_name: lab\n'
		printf '    static_configs:\n      - targets: ['
		sep=
		for t in "$@"; do
			printf "%s'%s'" "$sep" "$t"
			sep=', '
		done
		printf ']\n  - job_name: prometheus\n'
		printf "    static_configs:\n      - targets: ['%s']\n" \
			"${PROM_ADDR:-@PROM_ADDR@}"
	} >prom.yml
}

lab_conf "$LEAK" "$HEALTHY"
prom_start prom.yml || exit 1
LOADS=2

# prom_reload TARGETS...: a new configuration, loaded (prom_start's copy
# of prom.yml is the file Prometheus reads).
prom_reload() {
	lab_conf "$@" &&
	cp prom.yml "$TRASH/prometheus.yml" &&
	curl -sf -o /dev/null --max-time 10 -X POST "$PROM/-/reload" &&
	LOADS=$((LOADS + 1)) &&
	wait_until 30 prom_loaded $LOADS
}

# active N: Prometheus has N active targets in job lab.
active() {
	test "$(curl -sf --max-time 5 "$PROM/api/v1/targets?state=active" |
		jq '[.data.activeTargets[] | select(.labels.job == "lab")] | length')" = "$1"
}
wait_until 30 active 2 || exit 1

# has_round DIR TARGET N: TARGET has a row of round N or later.
has_round() {
	test "$(awk -F, -v t="$2" 'NR > 1 && $3 == t { r = $2 } END { print r + 0 }' \
		"$1/manifest.csv")" -ge "$3"
}

# row_field DIR TARGET KIND RESULT COLUMN: that column of the first such row.
row_field() {
	awk -F, -v t="$2" -v k="$3" -v r="$4" -v c="$5" \
		'NR > 1 && $3 == t && $4 == k && $5 == r { print $c; exit }' \
		"$1/manifest.csv"
}

test_expect_success 'discovery options without a source: usage' '
	test_expect_code 2 "$LEAKY" collect --match "{job=\"lab\"}" \
		-t a=http://$LEAK -n 1 -o never 2>err &&
	test_grep "give --targets-from or --file-sd" err &&
	test_expect_code 2 "$LEAKY" collect --file-sd "sd/*.txt" -o never 2>err &&
	test_grep "file_sd files end in .json, .yml or .yaml" err &&
	test_expect_code 2 "$LEAKY" collect --targets-from "$PROM" \
		--match "job=lab" -o never 2>err &&
	test_grep "bad match" err &&
	test_expect_code 2 "$LEAKY" collect --targets-from-token-file tok \
		-t a=http://$LEAK -o never 2>err &&
	test_grep "the --targets-from-\* options go with --targets-from" err &&
	test_expect_code 1 "$LEAKY" collect --targets-from "$PROM" \
		--targets-from-token-file no-such-file -o never 2>err &&
	test_grep "^leaky collect: no-such-file: " err &&
	! test -e never
'

test_expect_success 'an unreachable Prometheus at the start: one line, exit 1' '
	test_expect_code 1 collect --targets-from http://127.0.0.1:1 -n 1 \
		-o never 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky collect: http://127.0.0.1:1: .*connect" err &&
	! test -e never
'

test_expect_success '--check: the targets Prometheus has now, matched' '
	collect --targets-from "$PROM" --match "{job=\"lab\"}" --check >out &&
	test_grep "^targets-from: $PROM$" out &&
	test_grep "^found: 2 targets now$" out &&
	test_grep "^target $NLEAK (targets of $PROM)$" out &&
	test_grep "^target $NHEALTHY (targets of $PROM)$" out &&
	test_grep "^  endpoints: http://$LEAK/debug/pprof/$" out &&
	test_grep "^  labels: instance=$LEAK;job=lab$" out &&
	test "$(grep -c "^target " out)" = 2
'

test_expect_success '--pprof-port and --pprof-path move the endpoints' '
	collect --targets-from "$PROM" --match "{instance=\"$LEAK\"}" \
		--pprof-port 7 --pprof-path /admin/pprof --check >out &&
	test_grep "^found: 1 target now$" out &&
	test_grep "^  endpoints: http://${LEAK%:*}:7/admin/pprof/$" out
'

# The collector runs in the background for the tests below (which run in
# subshells: its pid and exit status are in files); -d bounds it should
# the test die before its SIGINT.
(
	sh -c 'echo $$ >c.pid && exec "$0" collect "$@"' "$LEAKY" \
		--targets-from "$PROM" --match "{job=\"lab\"}" --gc \
		-i "$(slow 1)s" --refresh 1s -o data --listen 127.0.0.1:0 \
		-d "$(slow 120)s" 2>err
	echo $? >c.status
) &
wait_until 10 test -s c.pid || exit 1
echo "$(cat c.pid)" >>"$SERVERS"
wait_until 10 grep -qs "listening on" err || exit 1
URL=$(sed -n 's/^leaky collect: listening on //p' err)

test_expect_success 'the targets found are sampled as JOB_INSTANCE' '
	wait_until 30 has_rows data 1 heap ok "$NLEAK" &&
	wait_until 30 has_rows data 1 heap ok "$NHEALTHY" &&
	test_grep "^leaky collect: collecting 2 targets, 2 of them found" err &&
	test "$(row_field data "$NLEAK" target found 13)" = "instance=$LEAK;job=lab" &&
	test "$(row_field data "$NLEAK" target found 12)" = "targets of $PROM" &&
	test "$(row_field data "$NLEAK" target found 6)" = "http://$LEAK" &&
	ls data/profiles/${NLEAK}_*.heap.pb.gz >/dev/null &&
	! grep -q "^[^,]*,[^,]*,prometheus_" data/manifest.csv
'

test_expect_success 'a target Prometheus starts scraping joins the run' '
	prom_reload "$LEAK" "$HEALTHY" "$LATE" &&
	wait_until 30 has_rows data 1 target found "$NLATE" &&
	wait_until 30 has_rows data 1 heap ok "$NLATE" &&
	test_grep "^leaky collect: $NLATE: found (targets of $PROM), sampled from round [0-9]" err &&
	curl -sf --max-time 5 "$URL" >m &&
	test_grep "^leaky_target_heap_inuse_bytes{target=\"$NLATE\",instance=\"$LATE\",job=\"lab\"} [0-9]" m
'

test_expect_success 'a target Prometheus drops leaves: no round after its row' '
	prom_reload "$LEAK" "$LATE" &&
	wait_until 30 has_rows data 1 target gone "$NHEALTHY" &&
	gone=$(row_field data "$NHEALTHY" target gone 2) &&
	test_grep "^leaky collect: $NHEALTHY: no longer found" err &&
	# two rounds of the others later, none of its own
	last=$(awk -F, -v t="$NLEAK" "NR > 1 && \$3 == t { r = \$2 } END { print r }" data/manifest.csv) &&
	wait_until 30 has_round data "$NLEAK" $((last + 2)) &&
	test "$(awk -F, -v t="$NHEALTHY" -v g="$gone" \
		"NR > 1 && \$3 == t && \$2 > g" data/manifest.csv | wc -l)" = 0 &&
	curl -sf --max-time 5 "$URL" >m &&
	! grep -q "target=\"$NHEALTHY\"" m &&
	grep -q "target=\"$NLEAK\"" m
'

# Six heap snapshots at least before the report rules judge.
leak_said() {
	curl -sf --max-time 5 "$URL" >v &&
	grep -F "leaky_verdict{target=\"$NLEAK\",level=\"leak\"," v | grep -q " 1$"
}

test_expect_success 'the leaking target is a leak, for the exporter and leaky report' '
	wait_until 60 leak_said &&
	"$LEAKY" report data >report.txt;
	test_grep "^== $NLEAK: leak" report.txt &&
	! grep -q "^== $NHEALTHY: leak" report.txt
'

test_expect_success 'SIGINT ends the run; its exit status is 0' '
	kill -INT "$(cat c.pid)" &&
	wait_until 30 test -s c.status &&
	test "$(cat c.status)" = 0 &&
	manifest_matches data
'

# ---- file_sd ----------------------------------------------------------

mkdir sd || exit 1
# put FILE: writes stdin to FILE at once (as tools that write file_sd do).
put() {
	cat >"$1.tmp" && mv -f "$1.tmp" "$1"
}

printf '[{"targets": ["%s"], "labels": {"team": "cache"}}]\n' "$LEAK" |
	put sd/api.json || exit 1
NAPI=$(found_name api "$LEAK")
NWEB=$(found_name web "$HEALTHY")

(
	sh -c 'echo $$ >f.pid && exec "$0" collect "$@"' "$LEAKY" \
		--file-sd "sd/*.json" --file-sd "sd/*.yml" \
		-i "$(slow 1)s" -o fdata -q -d "$(slow 90)s" 2>ferr
	echo $? >f.status
) &
wait_until 10 test -s f.pid || exit 1
echo "$(cat f.pid)" >>"$SERVERS"

test_expect_success 'a file_sd JSON file: its targets, job from its name' '
	wait_until 30 has_rows fdata 1 heap ok "$NAPI" &&
	test "$(row_field fdata "$NAPI" target found 13)" = "team=cache;job=api;instance=$LEAK" &&
	test "$(row_field fdata "$NAPI" target found 12)" = "sd/api.json"
'

test_expect_success 'a YAML file appears: its targets join' '
	printf -- "- targets:\n    - %s\n  labels:\n    job: web\n" "$HEALTHY" |
		put sd/web.yml &&
	wait_until 30 has_rows fdata 1 heap ok "$NWEB" &&
	test "$(row_field fdata "$NWEB" target found 13)" = "job=web;instance=$HEALTHY"
'

test_expect_success 'a file broken: said once, its targets kept' '
	printf "[{\"targets\": [" | put sd/api.json &&
	wait_until 30 grep -q "sd/api.json: not JSON: cut short .*its targets as last read are kept" ferr &&
	test "$(grep -c "sd/api.json" ferr)" = 1 &&
	n=$(count_rows fdata heap ok "$NAPI") &&
	wait_until 30 has_rows fdata $((n + 2)) heap ok "$NAPI" &&
	test "$(count_rows fdata target gone "$NAPI")" = 0
'

test_expect_success 'a file removed: its targets leave' '
	rm sd/web.yml &&
	wait_until 30 has_rows fdata 1 target gone "$NWEB" &&
	kill -TERM "$(cat f.pid)" &&
	wait_until 30 test -s f.status &&
	test "$(cat f.status)" = 0 &&
	manifest_matches fdata
'

test_done

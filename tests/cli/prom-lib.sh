# SPDX-License-Identifier: Apache-2.0
# A real Prometheus for the CLI tests: Debian's prometheus on a loopback
# port, with a scratch data directory, stopped when the test ends.
#
# Interface (source after test-lib.sh and, if used, servers.sh):
#
#   need_prometheus          fails (say why) when prometheus is not installed
#   prom_start CONFIG_FILE   starts Prometheus with that configuration, on
#                            a fresh $TRASH/prom-data (as the test left it
#                            with PROM_KEEP_DATA=1: backfilled blocks), on
#                            127.0.0.1 at a port it binds itself (no race with
#                            other tests); sets PROM=http://127.0.0.1:PORT
#                            and PROM_ADDR=127.0.0.1:PORT once /-/ready
#                            answers. "@PROM_ADDR@" in CONFIG_FILE stands for
#                            its own address (for a job scraping itself): the
#                            configuration is loaded again with it (POST
#                            /-/reload; SIGHUP would reach timeout(1), which
#                            then kills Prometheus).
#                            Returns non-zero, its log shown, if it fails.
#                            Call it in the test's own shell (not inside
#                            test_expect_success, a subshell): the trap
#                            must see PROM_PID.
#   prom_query EXPR          prints the JSON answer of an instant query
#   prom_count EXPR          prints the number of series EXPR returns now
#   prom_has N EXPR          EXPR returns at least N series (for wait_until)
#   prom_stop                stops it (kill, bounded wait); also run by the
#                            EXIT trap this file sets, before stop_servers
#                            (servers.sh) and remove_trash.
#
# Prometheus's life is bounded as well (timeout, 120 s times slow), so
# nothing outlives a test that is killed before its trap runs. Its log is
# $TRASH/prometheus.log; its data $TRASH/prom-data.

PROM=
PROM_ADDR=
PROM_PID=

need_prometheus() {
	if ! command -v prometheus >/dev/null 2>&1; then
		say "prometheus not found (sh scripts/install-deps.sh)" >&2
		return 1
	fi
	command -v curl >/dev/null 2>&1 || { say "curl not found" >&2; return 1; }
}

prom_stop() {
	[ -n "$PROM_PID" ] || return 0
	kill "$PROM_PID" 2>/dev/null
	# timeout(1) passes SIGTERM on; Prometheus closes its TSDB in well
	# under a second, but a busy machine gets 10 s before SIGKILL.
	prom_left=$(awk -v f="$TEST_SLOW" 'BEGIN { print int(10 * f * 20) }')
	while kill -0 "$PROM_PID" 2>/dev/null && [ "$prom_left" -gt 0 ]; do
		sleep 0.05
		prom_left=$((prom_left - 1))
	done
	kill -9 "$PROM_PID" 2>/dev/null
	wait "$PROM_PID" 2>/dev/null
	PROM_PID=
}

prom_cleanup() {
	prom_stop
	if command -v stop_servers >/dev/null 2>&1; then
		stop_servers
	fi
	remove_trash
}
trap prom_cleanup EXIT

# prom_listening: the address Prometheus says it bound (its log's
# "Listening on" line, which names the real port when asked for port 0).
prom_listening() {
	sed -n 's/.*msg="Listening on" address=\(127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' \
		"$TRASH/prometheus.log" 2>/dev/null | head -n 1
}

prom_ready() {
	curl -sf -o /dev/null --max-time 2 "$PROM/-/ready"
}

# prom_loaded N: the configuration has been loaded N times.
prom_loaded() {
	test "$(grep -c 'msg="Completed loading of configuration file"' \
		"$TRASH/prometheus.log")" -ge "$1"
}

prom_start() {
	prom_conf="$TRASH/prometheus.yml"
	# Until the port is known, a self-scrape points at port 1 (refused).
	sed 's/@PROM_ADDR@/127.0.0.1:1/g' "$1" >"$prom_conf" || return 1
	# PROM_KEEP_DATA=1: the test filled $TRASH/prom-data itself (backfill).
	[ -n "${PROM_KEEP_DATA:-}" ] || rm -rf "$TRASH/prom-data"
	timeout -k 5 "$(slow 120)" prometheus \
		--config.file="$prom_conf" \
		--web.listen-address=127.0.0.1:0 \
		--storage.tsdb.path="$TRASH/prom-data" \
		--web.enable-lifecycle \
		--log.level=info >"$TRASH/prometheus.log" 2>&1 &
	PROM_PID=$!
	if ! wait_until 30 prom_has_address; then
		prom_failed
		return 1
	fi
	PROM_ADDR=$(prom_listening)
	if [ -z "$PROM_ADDR" ]; then
		prom_failed
		return 1
	fi
	PROM=http://$PROM_ADDR
	if ! wait_until 30 prom_ready; then
		prom_failed
		return 1
	fi
	if grep -q '@PROM_ADDR@' "$1"; then
		sed "s/@PROM_ADDR@/$PROM_ADDR/g" "$1" >"$prom_conf" &&
		curl -sf -o /dev/null --max-time 10 -X POST "$PROM/-/reload" &&
		wait_until 30 prom_loaded 2 || { prom_failed; return 1; }
	fi
}

prom_has_address() {
	kill -0 "$PROM_PID" 2>/dev/null || return 0
	test -n "$(prom_listening)"
}

prom_failed() {
	say "prometheus did not start; its log:" >&2
	tail -n 20 "$TRASH/prometheus.log" >&2
	prom_stop
}

prom_query() {
	curl -sf --max-time 5 "$PROM/api/v1/query" --data-urlencode "query=$1"
}

prom_count() {
	prom_query "$1" | grep -o '"metric":' | wc -l
}

# prom_has N EXPR: EXPR returns at least N series now (for wait_until).
prom_has() {
	test "$(prom_count "$2")" -ge "$1"
}

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Targets that fail in every way a fleet does, next to one that works:
# each failure is a manifest row and one stderr line, nothing is saved for
# it, nothing is lost for the good target, the collector goes on.
test_description='leaky collect: failing targets'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f -unix "$PWD/f.sock" -token sesame -tls-cert "$PWD/ca.pem" ||
	exit 1
A=$(sed -n 1p f.addr)
SILENT=$(sed -n 2p f.addr)
TLS=$(sed -n 3p f.addr)
# A port nothing listens on: one the kernel just gave and took back.
DOWN=$(sed -n 2p f.addr | sed 's/:[0-9]*$/:1/')

# (Interval and timeout longer under valgrind: a timed-out fetch must
# end before the target's next round.)
test_expect_success 'one good target among eleven failing ones' '
	collect -o out -i "$(slow 1)s" -n 3 --timeout "$(slow 700)ms" \
		-p heap,goroutine \
		--max-body 1M \
		-t good=http://$A/ok \
		-t down=http://$DOWN \
		-t hang=http://$A/hang \
		-t silent=http://$SILENT \
		-t notfound=http://$A/404 \
		-t ise=http://$A/500 \
		-t html=http://$A/html \
		-t text=http://$A/text \
		-t big=http://$A/big \
		-t corrupt=http://$A/corrupt \
		-t wrong=http://$A/wrongkind \
		-t flaky=http://$A/flaky >out.log 2>err &&
	test_line_count = 0 out.log &&
	test_grep "round 3: [12]/12 targets ok" err
'

# reason TARGET TEXT: all 6 fetches of TARGET failed, each with TEXT.
reason() {
	awk -F, -v t="$1" "NR > 1 && \$3 == t" out/manifest.csv >rows &&
	test_line_count = 6 rows &&
	test "$(grep -c ",failed,.*$2" rows)" = 6 &&
	! ls out/profiles out/goroutines | grep -q "^$1_"
}

test_expect_success 'the good target lost nothing' '
	test "$(count_rows out heap ok good)" = 3 &&
	test "$(count_rows out goroutine ok good)" = 3 &&
	manifest_matches out &&
	"$LEAKY" heaper out/profiles/good_*.heap.pb.gz >h.csv &&
	"$LEAKY" goroutines out/goroutines/good_*.goroutine.pb.gz >g.csv
'

test_expect_success 'a target that is down' '
	reason down "Failed to connect to 127.0.0.1 port 1"
'
test_expect_success 'a server that never answers, a port that never speaks' '
	reason hang "Operation timed out after [0-9]* milliseconds" &&
	reason silent "Operation timed out after [0-9]* milliseconds"
'
test_expect_success 'a 404 and a 500 text body (status and first line kept)' '
	reason notfound ",404,19,.*,HTTP 404: 404 page not found" &&
	reason ise ",500,.*HTTP 500: Could not enable CPU profiling"
'
test_expect_success 'an HTML page and an error text with status 200' '
	reason html ",200,.*an HTML page, not a .* profile: \"\"<!DOCTYPE html>\"\"" &&
	reason text ",200,.*text, not a gzipped profile: \"\"profile not available"
'
test_expect_success 'a body over --max-body is cut off' '
	reason big "body larger than the limit of 1048576 bytes"
'
test_expect_success 'a corrupt gzip body, a profile of the wrong kind' '
	reason corrupt "gzip stream" &&
	awk -F, "NR > 1 && \$3 == \"wrong\" && \$4 == \"heap\"" \
		out/manifest.csv >rows &&
	test "$(grep -c ",failed,.*not a heap profile (sample types goroutine)" rows)" = 3 &&
	test "$(count_rows out goroutine ok wrong)" = 3
'
test_expect_success 'a flaky target: what failed is recorded, the rest kept' '
	ok=$(awk -F, "NR > 1 && \$3 == \"flaky\" && \$5 == \"ok\"" out/manifest.csv | wc -l) &&
	bad=$(awk -F, "NR > 1 && \$3 == \"flaky\" && \$5 == \"failed\"" out/manifest.csv | wc -l) &&
	test $ok -ge 2 && test $bad -ge 2 && test $((ok + bad)) = 6 &&
	test "$(ls out/profiles out/goroutines | grep -c "^flaky_")" = $ok
'
test_expect_success 'one stderr line per failure, not one per round' '
	test "$(grep -c "^leaky collect: notfound: heap: HTTP 404" err)" = 1 &&
	test "$(grep -c "^leaky collect: down: goroutine: Failed to connect" err)" = 1 &&
	test "$(grep -c "^leaky collect: round [0-9]*:" err)" = 3 &&
	test_grep "^leaky collect: done after 3 rounds: .* 0 rounds skipped" err
'

test_expect_success 'a bearer token from the environment, a unix socket' '
	cat >auth.conf <<-EOF &&
	output = "auth";
	interval = "1s";
	rounds = 2;
	spread = false;
	profiles = ["heap", "goroutine.txt"];
	targets = (
		{ name = "tok"; url = "http://$A/auth";
		  headers = ["Authorization: Bearer \${FAULT_TOKEN}"]; },
		{ name = "notok"; url = "http://$A/auth"; },
		{ name = "sock"; url = "unix:$PWD/f.sock:http://localhost/ok"; }
	);
	EOF
	FAULT_TOKEN=sesame collect -c auth.conf 2>err &&
	test "$(count_rows auth heap ok tok)" = 2 &&
	test "$(count_rows auth goroutine.txt ok tok)" = 2 &&
	test "$(count_rows auth heap failed notok)" = 2 &&
	test_grep ",notok,heap,failed,.*HTTP 401: unauthorized" auth/manifest.csv &&
	test "$(count_rows auth heap ok sock)" = 2 &&
	test_grep ",sock,heap,ok,unix:$PWD/f.sock:http://localhost/ok/debug/pprof/heap," auth/manifest.csv &&
	! grep -q sesame auth/manifest.csv err &&
	manifest_matches auth &&
	"$LEAKY" goroutines auth/goroutines/*.txt.gz >g.csv
'

test_expect_success 'the token variable unset: a configuration error' '
	test_expect_code 2 env -u FAULT_TOKEN "$LEAKY" collect -c auth.conf \
		2>err &&
	test_grep "auth.conf:8: header Authorization: environment variable FAULT_TOKEN is not set" err
'

# (One round: the interval only bounds the fetches. TLS handshakes under
# valgrind take seconds.)
test_expect_success 'https: a certificate checked, with ca-file, or not' '
	cat >tls.conf <<-EOF &&
	output = "tls";
	interval = "$(slow 10)s";
	timeout = "$(slow 10)s";
	rounds = 1;
	spread = false;
	profiles = ["heap"];
	targets = (
		{ name = "verified"; url = "https://$TLS/ok";
		  ca-file = "$PWD/ca.pem"; },
		{ name = "insecure"; url = "https://$TLS/ok"; insecure = true; },
		{ name = "unknown"; url = "https://$TLS/ok"; }
	);
	EOF
	collect -c tls.conf 2>err &&
	test "$(count_rows tls heap ok verified)" = 1 &&
	test "$(count_rows tls heap ok insecure)" = 1 &&
	test_grep ",unknown,heap,failed,.*certificate" tls/manifest.csv &&
	manifest_matches tls
'

test_expect_success 'a pid that is gone: process memory fails, HTTP goes on' '
	sh -c "exit 0" & gone=$! && wait $gone &&
	collect -o gone -i 1s -n 2 --no-spread -p heap,smaps_rollup,pmap \
		-t g=http://$A/ok,pid=$gone 2>err &&
	test "$(count_rows gone heap ok g)" = 2 &&
	test "$(count_rows gone smaps_rollup failed g)" = 2 &&
	test "$(count_rows gone pmap failed g)" = 2 &&
	test_grep ",g,smaps_rollup,failed,.*process $gone is gone" gone/manifest.csv &&
	test "$(grep -c "g: process: process $gone is gone" err)" = 1 &&
	! ls gone/pmaps | grep -q . &&
	manifest_matches gone
'

test_expect_success 'without pmap (no procps): said once, smaps_rollup taken' '
	PATH=/nonexistent "$LEAKY" collect -o nopmap -i 1s -n 2 --no-spread \
		-t f=http://$A/ok,profiles=pmap+smaps_rollup 2>err &&
	test "$(grep -c "pmap not found (install procps)" err)" = 1 &&
	test "$(count_rows nopmap smaps_rollup ok f)" = 2 &&
	test "$(count_rows nopmap pmap ok f)" = 0 &&
	test "$(count_rows nopmap pmap failed f)" = 0
'

test_expect_success 'when no fetch ever succeeds: exit 1' '
	test_expect_code 1 collect -o none -i 100ms -n 2 -p heap \
		-t down=http://$DOWN 2>err &&
	test_grep "no fetch succeeded" err &&
	test "$(count_rows none heap failed down)" = 2 &&
	# the first run of a new user: what usually causes it
	test_grep "^leaky collect: down: no fetch succeeded: .*: is the service running, and listening on this address?$" err &&
	test_grep "^leaky collect: done after 2 rounds: 0 fetches ok, 2 failed, " err
'

# A password is never shown: not when its URL is refused (credentials go
# in headers), not in a libcurl message about a proxy that carries one.
test_expect_success 'a URL password is shown nowhere' '
	test_expect_code 2 "$LEAKY" collect -o pw -n 1 \
		-t u=http://admin:secret@127.0.0.1:1/ 2>err &&
	test_grep "no credentials in URLs" err &&
	test_grep "http://admin:\*\*\*@127.0.0.1:1/" err &&
	test_expect_code 2 "$LEAKY" collect -o pw -n 1 \
		-t u=admin:secret@127.0.0.1:1/ 2>>err &&
	test_grep "URL .admin:\*\*\*@127.0.0.1:1/.: http://, https:// or unix: only" err &&
	! grep -q secret err &&
	printf "targets = ({ name = \"u\"; url = \"unix:/x.sock:http://admin:secret@h\"; });\n" >pw.conf &&
	test_expect_code 2 "$LEAKY" collect -c pw.conf -n 1 2>>err &&
	test_grep "pw.conf:1: .*no credentials" err &&
	test_expect_code 1 env http_proxy=http://admin:secret@$DOWN \
		"$LEAKY" collect -o pw -n 1 -p heap \
		-t r=http://remote.invalid/ 2>>err &&
	test "$(count_rows pw heap failed r)" = 1 &&
	! grep -q secret err pw/manifest.csv
'

test_expect_success 'leaky words for a missing unix socket and a huge header' '
	test_expect_code 1 collect -o words -n 1 --no-spread -p heap \
		-t s=unix:$PWD/none.sock:http://localhost \
		-t big=http://$A/bigheader 2>err &&
	test_grep ",s,heap,failed,.*,unix socket $PWD/none.sock: no such file," words/manifest.csv &&
	test_grep "^leaky collect: s: heap: unix socket $PWD/none.sock: no such file$" err &&
	test_grep ",big,heap,failed,.*,response header too large" words/manifest.csv &&
	! grep -q "localhost port 80\|Out of memory" err words/manifest.csv
'

# The default timeout leaves a quarter of the interval: a target that
# never answers times out before its next round, which is then fetched.
# (The interval scales in slow builds, and the timeout with it; libcurl's
# message rounds the time down, 299 ms for a 300 ms timeout.)
# The fetch times out at 3/4 of the interval, and the round must end before
# the next is due: at 400 ms that left 100 ms, which a loaded machine (load
# 16) overran; at 1.2 s it leaves 300 ms.
test_expect_success 'a target that never answers has every round' '
	ivl=$(slow 1200) &&
	collect -o hangs -i "${ivl}ms" -n 4 --no-spread -p heap \
		-t hang=http://$A/hang -t good=http://$A/ok 2>err &&
	test "$(count_rows hangs heap failed hang)" = 4 &&
	test "$(count_rows hangs round skipped hang)" = 0 &&
	sed -n "s/.*,hang,heap,failed,.*Operation timed out after \([0-9]*\) milliseconds.*/\1/p" \
		hangs/manifest.csv >took &&
	test_line_count = 4 took &&
	awk -v i="$ivl" "\$1 < i / 2 || \$1 >= i { print \"timed out after \" \$1 \" ms\"; bad = 1 }
		END { exit bad }" took
'

# Saves of one kind all fail (its directory is a file); the others'
# succeed, and are saved after it in each round: the run still failed.
# (The kind's directory is broken after the first round: one broken at the
# start is refused then, exit 1 before any fetch; and a read-only one does
# not stop root, as the tests run in CI.)
test_expect_success 'a kind whose last sample is not saved: exit 1, naming it' '
	mkdir unsaved &&
	collect -o unsaved -i "$(slow 2)s" -n 2 --no-spread \
		-p heap,smaps_rollup -t a=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows unsaved 1 smaps_rollup ok a &&
	mv unsaved/pmaps unsaved/pmaps.saved && : >unsaved/pmaps &&
	test_expect_code 1 wait $c &&
	test "$(count_rows unsaved heap ok a)" = 2 &&
	test "$(count_rows unsaved smaps_rollup ok a)" = 1 &&
	test "$(count_rows unsaved smaps_rollup failed a)" = 1 &&
	test_grep "^leaky collect: a: smaps_rollup: the last sample could not be saved: unsaved/pmaps: " err &&
	test_grep "^leaky collect: the output in unsaved could not be written at the end" err
'

test_expect_success '--check probes: what each fetch gives, why one fails, nothing left' '
	mkdir tmp out-untouched &&
	TMPDIR=$TRASH/tmp "$LEAKY" collect --check -o out-untouched \
		-p heap,goroutine --timeout "$(slow 2)s" \
		-t good=http://$A/ok -t down=http://$DOWN \
		-t notfound=http://$A/404 -t html=http://$A/html >check 2>err &&
	test_line_count = 0 err &&
	sed -n "/^probe: one round now:$/,\$p" check >probe &&
	test_line_count = 9 probe &&
	test_grep "^  good heap: ok, [0-9.]* [KMG]*i*B, [0-9]* ms$" probe &&
	test_grep "^  good goroutine: ok, " probe &&
	test_grep "^  down heap: failed: .*: is the service running, and listening on this address?$" probe &&
	test_grep "^  notfound heap: failed: HTTP 404.*: is net/http/pprof imported" probe &&
	test_grep "^  html goroutine: failed: an HTML page, not a goroutine profile: .*: does the URL point at a Go service" probe &&
	# by target as given, each of its kinds in order
	sed -n "s/^  \([a-z]*\) \([a-z]*\):.*/\1 \2/p" probe >order &&
	printf "%s\n" "good heap" "good goroutine" "down heap" \
		"down goroutine" "notfound heap" "notfound goroutine" \
		"html heap" "html goroutine" >expect &&
	test_cmp expect order &&
	# the scratch round is gone; the output directory never touched
	test -z "$(ls tmp)" &&
	test -z "$(ls out-untouched)" &&
	# --no-probe: the settings only
	"$LEAKY" collect --check --no-probe -t good=http://$A/ok >np &&
	! grep -q "^probe" np
'

test_done

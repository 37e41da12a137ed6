#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Options, target specs and configuration files: what --check shows, and
# the usage and configuration errors (exit 2, FILE:LINE for files).
test_description='leaky collect: usage and configuration'
. "$(dirname "$0")/test-lib.sh"

ROOT=$(cd "$TEST_DIRECTORY/.." && pwd)

test_expect_success '--help' '
	"$LEAKY" collect --help >out &&
	test_grep "^usage: leaky collect \[OPTIONS\]" out &&
	test_grep "unix:/PATH/TO.sock:http://HOST" out
'

test_expect_success 'configs/leaky.conf holds exactly the built-in defaults' '
	mkdir empty && (cd empty && "$LEAKY" collect --check --no-probe) >builtin &&
	"$LEAKY" collect --check --no-probe -c "$ROOT/configs/leaky.conf" >file &&
	if ! test -e /usr/local/etc/leaky/leaky.conf; then
		test_grep "^config: built-in defaults (no ./configs/leaky.conf or /.*/leaky/leaky.conf)$" builtin
	fi &&
	test_grep "^config: $ROOT/configs/leaky.conf$" file &&
	grep -v "^config: \|^target local " builtin >a &&
	grep -v "^config: \|^target local " file >b &&
	test_cmp a b &&
	cat >expect <<-\EOF &&
	output: leaky-data
	interval: 5m
	timeout: min(10s, 3/4 of the interval)
	rounds: 0
	duration: 0s
	max-body: 67108864
	max-inflated: 268435456
	max-connections: 64
	keep: all
	max-size: none
	spread: yes
	fsync: yes
	  url: http://127.0.0.1:6060
	  endpoints: http://127.0.0.1:6060/debug/pprof/
	  profiles: heap,heap.txt,goroutine,goroutine.txt,pmap,smaps_rollup,fds,limits
	  gc: no
	  interval: 5m, timeout 10s, offset 0s
	  process: the listener of port 6060
	EOF
	test_cmp expect b
'

test_expect_success 'no -c: ./configs/leaky.conf when there is one' '
	mkdir -p here/configs &&
	sed "s/6060/7070/" "$ROOT/configs/leaky.conf" >here/configs/leaky.conf &&
	(cd here && "$LEAKY" collect --check) >out &&
	test_grep "^config: configs/leaky.conf$" out &&
	test_grep "^  url: http://127.0.0.1:7070$" out
'

test_expect_success '-t replaces the default targets, options override' '
	(cd here && "$LEAKY" collect --check -t api=http://[::1]:6061/admin \
		-t db=unix:/run/db.sock:http://x,pid=12,profiles=heap+memory \
		-i 30s -o soak/ --timeout 2s -n 10 -d 2h --gc -p heap \
		--no-spread --no-fsync --max-body 1M --max-connections 4) >out &&
	test_grep "^config: configs/leaky.conf$" out &&
	! grep -q "^target local" out &&
	test_grep "^output: soak/$" out &&
	test_grep "^interval: 30s$" out &&
	test_grep "^timeout: 2s$" out &&
	test_grep "^rounds: 10$" out &&
	test_grep "^duration: 2h$" out &&
	test_grep "^max-body: 1048576$" out &&
	test_grep "^max-inflated: 16777216$" out &&
	test_grep "^max-connections: 4$" out &&
	test_grep "^spread: no$" out &&
	test_grep "^fsync: no$" out &&
	test_grep "^target api (-t .api=http://\[::1\]:6061/admin.)$" out &&
	test_grep "^  endpoints: http://\[::1\]:6061/admin/debug/pprof/$" out &&
	test_grep "^  profiles: heap$" out &&
	test_grep "^  gc: yes$" out &&
	test_grep "^  interval: 30s, timeout 2s, offset 0s$" out &&
	test_grep "^  process: the listener of port 6061$" out &&
	test_grep "^  url: unix:/run/db.sock:http://x$" out &&
	test_grep "^  profiles: heap,pmap,smaps_rollup,status,fds,limits$" out &&
	test_grep "^  process: pid 12$" out
'

test_expect_success 'with -c, -t targets are added to the file'"'"'s' '
	"$LEAKY" collect --check -c "$ROOT/configs/lab.conf" \
		-t x=http://127.0.0.1:1 >out &&
	test_grep "^target lab " out &&
	test_grep "^target x " out
'

test_expect_success 'remote targets skip process memory; headers are hidden' '
	cat >r.conf <<-\EOF &&
	headers = ["X-Token: hush"];
	targets = ( { name = "r"; url = "https://10.9.8.7:6443";
		      insecure = true; labels = { env = "prod"; }; } );
	EOF
	"$LEAKY" collect --check -c r.conf >out &&
	test_grep "^  profiles: heap,heap.txt,goroutine,goroutine.txt$" out &&
	test_grep "^  process: none (remote)$" out &&
	test_grep "^  header: X-Token: (value not shown)$" out &&
	test_grep "^  labels: env=prod$" out &&
	test_grep "^  insecure: yes$" out &&
	! grep -q hush out
'

test_expect_success 'the shipped configurations are valid' '
	for f in "$ROOT"/configs/*.conf "$ROOT"/configs/examples/*.conf; do
		PPROF_TOKEN=x "$LEAKY" collect --check -c "$f" >/dev/null ||
		return 1
	done
'

# usage_error MESSAGE ARGS...: exit 2 and MESSAGE on stderr.
usage_error() {
	msg=$1
	shift
	test_expect_code 2 "$LEAKY" collect "$@" >out 2>err &&
	test_line_count = 0 out &&
	test_grep "$msg" err
}

test_expect_success 'bad target specs' '
	usage_error "expected NAME=URL" -t http://127.0.0.1:6060 &&
	usage_error "bad target name .a.b." -t a.b=http://h &&
	usage_error "http://, https:// or unix:" -t a=ftp://h &&
	usage_error "no credentials in URLs" -t a=http://u:p@h &&
	usage_error "no query, fragment or spaces" -t "a=http://h/x?debug=1" &&
	usage_error "bad port" -t a=http://h:70000 &&
	usage_error "unknown target option .colour." -t a=http://h,colour=red &&
	usage_error "unknown profile .cpu." -t a=http://h,profiles=heap+cpu &&
	usage_error "process memory needs a local URL or pid" \
		-t a=http://10.0.0.1,profiles=pmap &&
	usage_error "target .a. already defined" -t a=http://h -t a=http://g
'

test_expect_success 'bad options' '
	usage_error "bad --interval .5x." -i 5x -t a=http://h &&
	usage_error "bad --interval .0." -i 0 -t a=http://h &&
	usage_error "timeout 10s exceeds the interval 5s" -i 5s --timeout 10s \
		-t a=http://h &&
	usage_error "interval 5ms is below the minimum of 10ms" -i 5ms \
		-t a=http://h &&
	usage_error "bad --rounds .0." -n 0 -t a=http://h &&
	usage_error "bad --duration" -d soon -t a=http://h &&
	usage_error "bad --max-body" --max-body 1 -t a=http://h &&
	usage_error "bad --max-inflated .lots." --max-inflated lots \
		-t a=http://h &&
	"$LEAKY" collect --check --max-inflated 8M -t a=http://h >out &&
	test_grep "^max-inflated: 8388608$" out &&
	usage_error "--profiles: unknown profile .x." -p heap,x -t a=http://h &&
	usage_error "unexpected argument .http://h." http://h &&
	usage_error "No such file or directory" -c nonexistent.conf &&
	test_expect_code 2 "$LEAKY" collect --bogus 2>err &&
	printf "%s\n" "leaky collect: unrecognized option '\''--bogus'\''" \
		"Try '\''leaky collect --help'\''." >expect &&
	test_cmp expect err
'

# conf_error LINE MESSAGE: bad.conf fails with bad.conf:LINE: MESSAGE.
conf_error() {
	test_expect_code 2 "$LEAKY" collect --check -c bad.conf >out 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky collect: bad.conf:$1: $2" err
}

test_expect_success 'configuration errors name the file and line' '
	printf "interval = \"5m\"\noutput = ;\n" >bad.conf &&
	conf_error 2 "syntax error" &&
	printf "output = \"x\";\n\nintervall = \"5m\";\n" >bad.conf &&
	conf_error 3 "unknown setting .intervall." &&
	printf "# c\ninterval = \"5 min\";\n" >bad.conf &&
	conf_error 2 "bad duration .5 min. for .interval." &&
	printf "profiles = [\"heap\",\n  \"cpu\"];\n" >bad.conf &&
	conf_error 2 "unknown profile .cpu." &&
	printf "spread = 1;\n" >bad.conf &&
	conf_error 1 ".spread. must be true or false, not a number" &&
	printf "targets = (\n { name = \"a\";\n   url = \"http://h\";\n   pid = \"x\"; }\n);\n" >bad.conf &&
	conf_error 4 ".pid. must be a whole number, not a string" &&
	printf "targets = (\n { name = \"a\"; url = \"http://h\";\n   colour = 1; }\n);\n" >bad.conf &&
	conf_error 3 "unknown target setting .colour." &&
	printf "targets = (\n { name = \"a\";\n   url = \"gopher://h\"; }\n);\n" >bad.conf &&
	conf_error 3 "URL .gopher://h.: http://, https:// or unix: only" &&
	printf "targets = (\n  { url = \"http://h\"; }\n);\n" >bad.conf &&
	conf_error 2 "target without a name" &&
	printf "headers = [\"Authorization: \${LEAKY_NOT_SET_EVER}\"];\n" >bad.conf &&
	conf_error 1 "header Authorization: environment variable LEAKY_NOT_SET_EVER is not set"
'

test_expect_success 'errors found once the whole file is read name the line' '
	printf "interval = \"1m\";\ntargets = (\n  { name = \"a\"; url = \"http://h\"; },\n  { name = \"a\"; url = \"http://g\"; }\n);\n" >dup.conf &&
	test_expect_code 2 "$LEAKY" collect --check -c dup.conf 2>err &&
	test_grep "dup.conf:4: target .a. already defined at dup.conf:3" err &&
	printf "interval = \"5s\";\ntargets = (\n  { name = \"a\"; url = \"http://h\";\n    timeout = \"6s\"; }\n);\n" >tmo.conf &&
	test_expect_code 2 "$LEAKY" collect --check -c tmo.conf 2>err &&
	test_grep "tmo.conf:3: target .a.: timeout 6s exceeds the interval 5s" err
'

test_done

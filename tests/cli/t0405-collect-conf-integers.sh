#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Integers in collect's configuration files are read whole: libconfig 1.5
# keeps only the low 32 bits of a literal without 'L', so before collconf
# widened them, pid 4294967297 measured pid 1 (init), rounds 8589934592 ran
# forever and interval 9223372036854775807 read as -1.
test_description='leaky collect: configuration integers are 64-bit'
. "$(dirname "$0")/test-lib.sh"

# conf_error LINE MESSAGE: bad.conf fails with bad.conf:LINE: MESSAGE,
# exit 2 (--check: on the old code rounds 8589934592 would run forever).
conf_error() {
	test_expect_code 2 "$LEAKY" collect --check -c bad.conf >out 2>err &&
	test_grep "^leaky collect: bad.conf:$1: $2" err &&
	test_line_count = 1 err &&
	! test -e data
}

test_expect_success 'pid 4294967297 is refused, not pid 1' '
	cat >bad.conf <<-\EOF &&
	output = "data";
	targets = (
	  { name = "a"; url = "http://127.0.0.1:1";
	    pid = 4294967297; }
	);
	EOF
	conf_error 4 "pid: 4294967297 is out of range (1\.\.4194304)$"
'

test_expect_success 'rounds 8589934592 is refused, not 0 (forever)' '
	printf "output = \"data\";\nrounds = 8589934592;\n" >bad.conf &&
	conf_error 2 "rounds: 8589934592 is out of range (0\.\.2147483647)$"
'

test_expect_success 'interval 9223372036854775807 names itself, not -1' '
	printf "output = \"data\";\ninterval = 9223372036854775807\n" >bad.conf &&
	conf_error 2 "interval: 9223372036854775807 is out of range (1\.\.31622400 seconds)$"
'

test_expect_success 'a literal beyond 64 bits is refused at its line' '
	printf "output = \"data\";\n\nmax-connections = 99999999999999999999;\n" >bad.conf &&
	conf_error 3 "max-connections: 99999999999999999999 is out of range (more than 64 bits)$"
'

test_expect_success 'large values that fit are kept whole' '
	cat >big.conf <<-\EOF &&
	# 99999999999999999999 in a comment is no number
	output = "data4294967297";
	max-body = 4294967296;
	max-inflated = 0x100000000;
	rounds = 2147483647;
	targets = ( { name = "a"; url = "http://127.0.0.1:1"; pid = 4194304; } );
	EOF
	"$LEAKY" collect --check -c big.conf >out 2>err &&
	test_grep "^output: data4294967297$" out &&
	test_grep "^max-body: 4294967296$" out &&
	test_grep "^max-inflated: 4294967296$" out &&
	test_grep "^rounds: 2147483647$" out &&
	test_grep "pid 4194304" out
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The systemd unit leaky-collect@.service, as make builds it for
# PREFIX=/usr: systemd's own checker finds nothing wrong with it (its man
# page found among ours), its sandbox exposure stays low, and the command
# it runs is one leaky collect accepts (checked with --check).
test_description='the systemd unit leaky-collect@.service'
. "$(dirname "$0")/test-lib.sh"

SRC=$(cd "$TEST_DIRECTORY/.." && pwd)

# The unit as installed for PREFIX=/usr, but naming a leaky and a
# configuration directory of this test's own, so that the checker finds
# the command it runs.
mkdir bin etc etc/leaky man
cp "$LEAKY" bin/leaky
sed -e "s|@BINDIR@|$TRASH/bin|g" -e "s|@SYSCONFDIR@|$TRASH/etc|g" \
	"$SRC/systemd/leaky-collect@.service.in" >leaky-collect@api.service
cat >etc/leaky/api.conf <<EOC
interval = "1m";
targets = ( { name = "api"; url = "http://127.0.0.1:6060"; } );
EOC

test_expect_success 'the source names its paths only through @BINDIR@ and @SYSCONFDIR@' '
	! grep -n "/usr/\\|/etc/" "$SRC/systemd/leaky-collect@.service.in" |
		grep -v "^[0-9]*:#" | grep -v "/var/lib/" | grep .
'

test_expect_success 'its command line is one leaky collect takes' '
	cmd=$(sed -n "s/^ExecStart=//p" leaky-collect@api.service |
		sed "s/%i/api/g") &&
	$cmd --check >check 2>err &&
	test_grep "^config: $TRASH/etc/leaky/api.conf$" check
'

if command -v systemd-analyze >/dev/null 2>&1; then
	test_expect_success 'systemd-analyze verify: no complaint' '
		"$LEAKY" help --man collect >man/leaky-collect.1 &&
		mkdir -p mp && ln -s "$TRASH/man" mp/man1 &&
		MANPATH=$TRASH/mp systemd-analyze verify \
			leaky-collect@api.service >out 2>&1 &&
		test_line_count = 0 out
	'
	test_expect_success 'systemd-analyze security: exposure under 3 (of 10)' '
		systemd-analyze security --offline=yes \
			leaky-collect@api.service >sec 2>&1 &&
		level=$(sed -n "s/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p" sec) &&
		test -n "$level" &&
		awk -v l="$level" "BEGIN { exit !(l < 3) }"
	'
else
	test_skip 'systemd-analyze verify: no complaint' 'no systemd-analyze on this machine'
	test_skip 'systemd-analyze security: exposure under 3 (of 10)' 'no systemd-analyze on this machine'
fi

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='make deb: a .deb lintian finds no error in, whose leaky runs from a scratch root'
. "$(dirname "$0")/test-lib.sh"

SRC=$(cd "$TEST_DIRECTORY/.." && pwd)

test_expect_success 'make deb builds the package and lintian passes it' '
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$SRC" BUILD="$TRASH/build" deb >make.log 2>&1 ||
		{ cat make.log >&2; false; } &&
	v=$(cat "$SRC/VERSION") &&
	test -f "build/deb/leaky_${v}_$(dpkg --print-architecture).deb"
'

test_expect_success 'dpkg -x: the binary runs and says its version' '
	dpkg -x build/deb/leaky_*_*.deb root &&
	root/usr/bin/leaky --version >got &&
	echo "leaky $(cat "$SRC/VERSION")" >expect &&
	test_cmp expect got
'

test_expect_success 'the package holds the pages, the completion, the unit, the configuration' '
	root/usr/bin/leaky help --commands >cmds &&
	while read -r c; do
		test -f root/usr/share/man/man1/leaky-$c.1.gz || return 1
	done <cmds &&
	test -f root/usr/share/man/man1/leaky.1.gz &&
	test -f root/usr/share/bash-completion/completions/leaky &&
	test -f root/usr/share/doc/leaky/copyright &&
	test_grep "^ExecStart=/usr/bin/leaky collect .*-c /etc/leaky/%i.conf " \
		root/lib/systemd/system/leaky-collect@.service &&
	test_cmp "$SRC/configs/leaky.conf" root/etc/leaky/leaky.conf &&
	dpkg-deb --ctrl-tarfile build/deb/leaky_*_*.deb | tar -xOf - ./conffiles >conffiles &&
	echo /etc/leaky/leaky.conf >expect &&
	test_cmp expect conffiles &&
	(mkdir empty && cd empty && ../root/usr/bin/leaky collect --check) >check &&
	test_grep "/etc/leaky/leaky.conf" check
'
test_done

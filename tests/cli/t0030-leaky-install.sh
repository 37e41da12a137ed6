#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='make install and uninstall: PREFIX, SYSCONFDIR, MANDIR, DESTDIR, the completion, and a binary that looks where its configuration went'
. "$(dirname "$0")/test-lib.sh"

SRC=$(cd "$TEST_DIRECTORY/.." && pwd)

# mk ARGS...: this tree's Makefile, building into the scratch directory
# (never the tree's build/, which the other tests run), and not joining
# a make test's job server.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$SRC" -j2 BUILD="$TRASH/build" "$@" >>make.log 2>&1 ||
		{ cat make.log >&2; false; }
}

test_expect_success 'PREFIX=/usr into DESTDIR: binary, pages, /etc/leaky' '
	mk PREFIX=/usr DESTDIR="$TRASH/root" install &&
	R=root &&
	"$R/usr/bin/leaky" help --commands >cmds &&
	test_line_count -ge 8 cmds &&
	{
		echo "$R/etc/leaky/leaky.conf" &&
		echo "$R/usr/bin/leaky" &&
		echo "$R/usr/share/man/man1/leaky.1" &&
		echo "$R/usr/share/bash-completion/completions/leaky" &&
		echo "$R/usr/lib/systemd/system/leaky-collect@.service" &&
		sed "s|.*|$R/usr/share/man/man1/leaky-&.1|" cmds
	} | sort >expect &&
	find "$R" -type f | sort >got &&
	test_cmp expect got &&
	test -x "$R/usr/bin/leaky" &&
	test_cmp "$SRC/configs/leaky.conf" "$R/etc/leaky/leaky.conf" &&
	"$R/usr/bin/leaky" help --completion >completion &&
	test_cmp completion "$R/usr/share/bash-completion/completions/leaky" &&
	unit="$R/usr/lib/systemd/system/leaky-collect@.service" &&
	test_grep "^ExecStart=/usr/bin/leaky collect -q -c /etc/leaky/%i.conf -o /var/lib/leaky/%i$" "$unit"
'

test_expect_success 'the installed binary looks for /etc/leaky/leaky.conf' '
	mkdir empty &&
	(cd empty && "$TRASH/root/usr/bin/leaky" collect --check) >check &&
	if test -e /etc/leaky/leaky.conf; then
		test_grep "^config: /etc/leaky/leaky.conf$" check
	else
		test_grep "^config: built-in defaults (no ./configs/leaky.conf or /etc/leaky/leaky.conf)$" check
	fi &&
	"$TRASH/root/usr/bin/leaky" collect --help >help &&
	test_grep "/etc/leaky/leaky.conf" help &&
	man=root/usr/share/man/man1/leaky.1 &&
	test_grep "^\.I /etc/leaky/leaky.conf$" "$man"
'

test_expect_success 'a reinstall keeps the user'\''s leaky.conf; uninstall removes the rest' '
	echo "# mine" >>root/etc/leaky/leaky.conf &&
	cp root/etc/leaky/leaky.conf mine &&
	mk PREFIX=/usr DESTDIR="$TRASH/root" install &&
	test_cmp mine root/etc/leaky/leaky.conf &&
	mk PREFIX=/usr DESTDIR="$TRASH/root" uninstall &&
	echo root/etc/leaky/leaky.conf >expect &&
	find root -type f >got &&
	test_cmp expect got
'

test_expect_success 'another PREFIX: its etc/ by default, MANDIR as given, and the binary looks there' '
	mk PREFIX="$TRASH/opt" MANDIR="$TRASH/man" install &&
	test -x opt/bin/leaky &&
	test -f opt/etc/leaky/leaky.conf &&
	test -f man/man1/leaky.1 &&
	(cd empty && "$TRASH/opt/bin/leaky" collect --check) >check &&
	test_grep "^config: $TRASH/opt/etc/leaky/leaky.conf$" check
'
test_done

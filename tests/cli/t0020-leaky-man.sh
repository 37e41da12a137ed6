#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='leaky help and the man pages: made from the option tables, lint-clean, the same options as --help'
. "$(dirname "$0")/test-lib.sh"

# options NAMES-FILE < TEXT: the option names of --help's option lines
# (two to six spaces, then a dash), or of a rendered page's OPTIONS tags
# (seven), one a line, sorted.
options() {
	awk -v indent="$1" '
	match($0, /^ +-/) && RLENGTH - 1 >= indent && RLENGTH - 1 <= indent + 4 {
		for (i = 1; i <= NF && $i ~ /^-/; i++) {
			sub(/,$/, "", $i)
			print $i
		}
	}' | sort
}

test_expect_success 'the command list names every command of the overview' '
	leaky help --commands >cmds &&
	test_line_count -ge 8 cmds &&
	leaky --help >overview &&
	while read -r c; do
		test_grep "^  $c " overview || return 1
	done <cmds
'

test_expect_success 'leaky help CMD prints what leaky CMD --help does' '
	while read -r c; do
		leaky help "$c" >help.$c &&
		leaky "$c" --help >opt.$c &&
		test_cmp opt.$c help.$c || return 1
	done <cmds &&
	test_expect_code 2 leaky help nosuch 2>err &&
	test_grep "^leaky: unknown command .nosuch.$" err
'

test_expect_success 'a page per command and leaky(1), and mandoc finds nothing to say' '
	command -v mandoc >/dev/null ||
		{ say "mandoc missing: sh scripts/install-deps.sh" >&2; false; } &&
	leaky help --man >leaky.1 &&
	while read -r c; do
		leaky help --man "$c" >leaky-$c.1 || return 1
	done <cmds &&
	mandoc -T lint -W all ./*.1 >lint 2>&1;
	test_line_count = 0 lint || { cat lint >&2; false; }
'

test_expect_success 'each page has the sections, and every option --help has' '
	while read -r c; do
		mandoc -T ascii leaky-$c.1 | col -b >page.$c &&
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS "SEE ALSO"; do
			test_grep "^$s\$" page.$c || return 1
		done &&
		test_grep "^       leaky-$c - " page.$c &&
		test_grep "^       leaky $c " page.$c &&
		options 2 <opt.$c >want.$c &&
		sed -n "/^OPTIONS\$/,/^[A-Z]/p" page.$c | options 7 >got.$c &&
		test_line_count -gt 1 want.$c &&
		test_cmp want.$c got.$c || return 1
	done <cmds
'

test_expect_success 'the exit statuses a command documents are its EXIT STATUS' '
	sed -n "/^EXIT STATUS\$/,/^[A-Z]/p" page.report >exit &&
	test_grep "3 when --fail-on is reached" exit
'

test_expect_success 'leaky(1) lists every command and points to its page' '
	mandoc -T ascii leaky.1 | col -b >page &&
	while read -r c; do
		test_grep "leaky-$c(1)" page || return 1
	done <cmds &&
	test_grep "^EXIT STATUS$" page &&
	test_grep "/leaky/leaky.conf$" page
'
test_done

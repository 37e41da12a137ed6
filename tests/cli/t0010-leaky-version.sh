#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='leaky --version, -V and version: VERSION, and git describe in a checkout'
. "$(dirname "$0")/test-lib.sh"

SRC=$(cd "$TEST_DIRECTORY/.." && pwd)

test_expect_success 'the three spellings print the same one line' '
	leaky --version >v1 &&
	leaky -V >v2 &&
	leaky version >v3 &&
	test_line_count = 1 v1 &&
	test_cmp v1 v2 &&
	test_cmp v1 v3
'

test_expect_success 'the line names the VERSION file, then what git describes' '
	v=$(cat "$SRC/VERSION") &&
	case $(cat v1) in
	"leaky $v") ;;
	"leaky $v ("?*")") ;;
	*) say "unexpected: $(cat v1)" >&2; false ;;
	esac
'
test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='scripts/spdx.sh: a licence line atop each source file, in its syntax, once; -c checks'
. "$(dirname "$0")/test-lib.sh"

SRC=$(cd "$TEST_DIRECTORY/.." && pwd)
TAG="SPDX-License-Identifier: Apache-2.0"

# A small tree, not a git checkout: the script takes every file under it.
test_expect_success 'setup' '
	mkdir -p tree/scripts tree/src &&
	cp "$SRC/scripts/spdx.sh" tree/scripts/ &&
	printf "/* what a.c is for */\nint a;\n" >tree/src/a.c &&
	printf "/* $TAG */\n/* b */\n" >tree/src/b.h &&
	printf "#!/bin/sh\n# what run.sh is for\necho hi\n" >tree/run.sh &&
	chmod 755 tree/run.sh &&
	printf "#!/usr/bin/env python3\nprint(1)\n" >tree/tool &&
	printf "// Command x.\npackage main\n" >tree/x.go &&
	printf "all:\n\ttrue\n" >tree/Makefile &&
	printf "data, not code\n" >tree/data.txt &&
	cp -R tree orig
'

test_expect_success '-c names each file without the line, exits 1' '
	test_expect_code 1 sh tree/scripts/spdx.sh -c >out &&
	for f in src/a.c run.sh tool x.go Makefile; do
		test_grep "^spdx: $f: no " out || return 1
	done &&
	! grep -q "b.h\|data.txt" out &&
	test_grep "^spdx: 5 source files without an SPDX line" out
'

test_expect_success 'the line goes first, after a #! line, in the file'\''s syntax' '
	sh tree/scripts/spdx.sh >out &&
	test_line_count = 5 out &&
	printf "/* $TAG */\n/* what a.c is for */\nint a;\n" >expect &&
	test_cmp expect tree/src/a.c &&
	printf "#!/bin/sh\n# $TAG\n# what run.sh is for\necho hi\n" >expect &&
	test_cmp expect tree/run.sh &&
	test -x tree/run.sh &&
	printf "#!/usr/bin/env python3\n# $TAG\nprint(1)\n" >expect &&
	test_cmp expect tree/tool &&
	printf "// $TAG\n// Command x.\npackage main\n" >expect &&
	test_cmp expect tree/x.go &&
	printf "# $TAG\nall:\n\ttrue\n" >expect &&
	test_cmp expect tree/Makefile &&
	test_cmp orig/src/b.h tree/src/b.h &&
	test_cmp orig/data.txt tree/data.txt
'

test_expect_success 'a second run changes nothing; -c passes' '
	cp -R tree again &&
	sh tree/scripts/spdx.sh >out &&
	test_line_count = 0 out &&
	diff -r again tree &&
	sh tree/scripts/spdx.sh -c >out &&
	test_grep "^spdx: ok$" out
'
test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Puts an SPDX licence line at the top of every source file that lacks
# one (after a #! line), in the file's own comment syntax; idempotent.
#   sh scripts/spdx.sh        add the missing lines, name each file changed
#   sh scripts/spdx.sh -c     check only: name the files without one, exit 1
# Source files: C (.c, .h), shell (.sh and any file starting #!), Go, the
# proto schema and the Makefile, as git tracks them (every file under the
# tree when it is not a checkout); data and fixtures' bytes are not code.
set -eu

LICENSE_ID=Apache-2.0
TAG="SPDX-License-Identifier: $LICENSE_ID"
check=0
[ "${1:-}" = -c ] && check=1

cd "$(dirname "$0")/.."

files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else
		find . -path ./build -prune -o -path ./.git -prune -o \
			-type f -print | sed 's|^\./||'
	fi
}

# comment FILE: the licence line in FILE's syntax, or nothing when FILE
# is not source.
comment() {
	case $1 in
	*.c | *.h) echo "/* $TAG */" ;;
	*.go | *.proto) echo "// $TAG" ;;
	*.sh | Makefile | */Makefile) echo "# $TAG" ;;
	*)
		if [ "$(head -c 2 "$1")" = '#!' ]; then
			echo "# $TAG"
		fi ;;
	esac
}

files | while IFS= read -r f; do
	[ -f "$f" ] || continue
	line=$(comment "$f")
	[ -n "$line" ] || continue
	# the first lines: a #! line may come first
	if head -n 3 "$f" | grep -q "SPDX-License-Identifier:"; then
		continue
	fi
	if [ $check = 1 ]; then
		echo "spdx: $f: no '$TAG' line at the top"
		continue
	fi
	tmp="$f.spdx.tmp"
	if [ "$(head -c 2 "$f")" = '#!' ]; then
		{ head -n 1 "$f"; echo "$line"; tail -n +2 "$f"; } >"$tmp"
	else
		{ echo "$line"; cat "$f"; } >"$tmp"
	fi
	# in place, so that the file keeps its mode
	cat "$tmp" >"$f"
	rm -f "$tmp"
	echo "spdx: $f"
done >"${TMPDIR:-/tmp}/spdx.$$"
out="${TMPDIR:-/tmp}/spdx.$$"
cat "$out"
if [ $check = 1 ] && [ -s "$out" ]; then
	n=$(wc -l <"$out")
	rm -f "$out"
	echo "spdx: $n source files without an SPDX line (sh scripts/spdx.sh adds them)"
	exit 1
fi
rm -f "$out"
[ $check = 1 ] && echo "spdx: ok"
exit 0

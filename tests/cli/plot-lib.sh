# SPDX-License-Identifier: Apache-2.0
# What the leaky plot tests share. Source after test-lib.sh; it sets
# TMPDIR to a directory of the test's own, where plot keeps its script
# and gnuplot's output while it draws.
#
#   no_leftovers   fails (listing them) when a temporary image is left
#                  beside the output, or anything in TMPDIR

TMPDIR="$TRASH/tmp"
export TMPDIR
mkdir "$TMPDIR"

no_leftovers() {
	if ls -a | grep -q '\.tmp\.' || [ -n "$(ls -A "$TMPDIR")" ]; then
		say "left behind:" >&2
		ls -a . "$TMPDIR" >&2
		return 1
	fi
}

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs one build step quietly: its output (warnings) is shown as it is, the
# command line itself only when the step fails, so that `make` and
# `make test` print a compiler line only when there is something to read.
# `make V=1` prints every command instead. Usage: quiet.sh CMD [ARG...]
out=$("$@" 2>&1)
status=$?
if [ "$status" != 0 ]; then
	printf '%s\n' "failed ($status):" "$*" >&2
fi
[ -n "$out" ] && printf '%s\n' "$out" >&2
exit "$status"

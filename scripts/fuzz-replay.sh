#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replays tests/fuzz/regressions/T/ and the seeds build/fuzz/seeds/T/
# through each target's standalone ASan+UBSan build; any sanitizer report,
# leak or abort fails. Usage: fuzz-replay.sh BINDIR "TARGETS"
set -u
bin=$1
targets=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
# libconfig's own leak (tests/fuzz/lsan.supp); UBSan reports with a stack.
LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS UBSAN_OPTIONS
failed=
n=0
for t in $targets; do
	mkdir -p "tests/fuzz/regressions/$t"
	log=$(mktemp)
	if "$bin/fuzz_$t" "tests/fuzz/regressions/$t" "build/fuzz/seeds/$t" \
		>"$log" 2>&1; then
		c=$(sed -n 's/.*: \([0-9]*\) inputs replayed$/\1/p' "$log")
		n=$((n + ${c:-0}))
	else
		failed="$failed $t"
		tail -40 "$log"
	fi
	rm -f "$log"
done
if [ -n "$failed" ]; then
	echo "fuzz-replay: FAIL:$failed"
	exit 1
fi
echo "fuzz-replay: ok ($n inputs, $(echo $targets | wc -w) targets)"

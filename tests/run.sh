#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs every test: the layering check (scripts/check-layering.sh), the
# licence lines (scripts/spdx.sh -c), the cmocka unit binaries, the CLI scripts, then the fuzz regressions
# ($FUZZ_REPLAY, when set); prints one closing line,
#   N passed, N failed, N skipped; fuzz regressions: ok (N inputs, N targets)
# and exits non-zero on any failure. VERBOSE=1 shows every test's output.
set -u
: "${LEAKY:?}"
passed=0
failed=0
skipped=0
failures=

count() {
	# $1: output file of one test program
	p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$1" | tail -1)
	if [ -n "$p" ]; then
		set -- $p
		passed=$((passed + $1))
		failed=$((failed + $2))
		skipped=$((skipped + $3))
	fi
}

out=$(mktemp)
if sh scripts/check-layering.sh >"$out" 2>&1; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	failures="$failures layering"
fi
cat "$out"
rm -f "$out"

# every source file names its licence (issue 16)
out=$(mktemp)
if sh scripts/spdx.sh -c >"$out" 2>&1; then
	passed=$((passed + 1))
	cat "$out"
else
	failed=$((failed + 1))
	failures="$failures spdx"
	# the count and the first few, not hundreds of lines
	head -n 5 "$out"
	tail -n 1 "$out"
fi
rm -f "$out"

for t in ${UNIT_BINS:-}; do
	out=$(mktemp)
	if "$t" >"$out" 2>&1; then
		status=ok
	else
		status=FAIL
		failures="$failures $t"
	fi
	# cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), ..."
	np=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out")
	nf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out")
	passed=$((passed + ${np:-0}))
	failed=$((failed + ${nf:-0}))
	if [ $status = FAIL ] && [ -z "$nf" ]; then
		failed=$((failed + 1))
	fi
	[ $status = FAIL ] && cat "$out"
	echo "unit $(basename "$t"): $status (${np:-0} passed, ${nf:-0} failed)"
	rm -f "$out"
done

for t in tests/cli/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	out=$(mktemp)
	if sh "$t" >"$out" 2>&1; then
		status=ok
	else
		status=FAIL
		failures="$failures $t"
	fi
	before=$failed
	count "$out"
	if [ $status = FAIL ] && [ $failed = "$before" ]; then
		failed=$((failed + 1))
	fi
	if [ $status = FAIL ] || [ -n "${VERBOSE:-}" ]; then
		cat "$out"
	else
		grep '# skip' "$out" || true
	fi
	echo "cli $(basename "$t" .sh): $status"
	rm -f "$out"
done

fuzz=
if [ -n "${FUZZ_REPLAY:-}" ]; then
	out=$(mktemp)
	if sh -c "$FUZZ_REPLAY" >"$out" 2>&1; then
		fuzz="; fuzz regressions: $(sed -n 's/^fuzz-replay: ok //p' "$out" |
			tail -1 | sed 's/^/ok /')"
	else
		cat "$out"
		fuzz="; fuzz regressions: FAIL"
		failures="$failures fuzz-replay"
	fi
	rm -f "$out"
fi

[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed, $skipped skipped$fuzz"
[ "$failed" = 0 ] && [ -z "$failures" ]

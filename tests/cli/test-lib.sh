# SPDX-License-Identifier: Apache-2.0
# Shell harness for leaky's CLI tests, in the style of git's test-lib.sh.
# A test script sets test_description, sources this file, calls
# test_expect_success / test_expect_failure_code ..., then test_done.
# Each script runs in its own scratch directory with LC_ALL=C TZ=UTC.

LC_ALL=C
TZ=UTC
export LC_ALL TZ

: "${LEAKY:?LEAKY must name the leaky binary}"
TEST_DIRECTORY=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES="$TEST_DIRECTORY/fixtures"
TEST_NAME=$(basename "$0" .sh)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/leaky-$TEST_NAME.XXXXXX")
test_count=0
test_failed=0
test_skipped=0

# remove_trash: the scratch directory goes, unless TEST_KEEP is set (then
# it is named, for a look at what the test left).
remove_trash() {
	if [ -n "${TEST_KEEP:-}" ]; then
		say "# kept $TRASH" >&2
	else
		rm -rf "$TRASH"
	fi
}
trap remove_trash EXIT
cd "$TRASH" || exit 1

leaky() { "$LEAKY" "$@"; }

# How many times slower than natively the programs under test run: 1, or
# what test-valgrind.sh sets. Time limits and waits in the tests scale by
# it; what a test counts does not.
TEST_SLOW=${LEAKY_TEST_SLOW:-1}

# slow SECONDS: SECONDS (a decimal) times TEST_SLOW.
slow() {
	awk -v s="$1" -v f="$TEST_SLOW" 'BEGIN { print s * f }'
}

# wait_until SECONDS COMMAND...: runs COMMAND every 50 ms until it
# succeeds; fails after SECONDS (times TEST_SLOW), naming what it waited for.
wait_until() {
	wait_left=$(awk -v s="$1" -v f="$TEST_SLOW" 'BEGIN { print int(s * f * 20) }')
	shift
	until "$@"; do
		if [ "$wait_left" -le 0 ]; then
			say "timed out waiting for: $*" >&2
			return 1
		fi
		wait_left=$((wait_left - 1))
		sleep 0.05
	done
}

say() { printf '%s\n' "$*"; }

# test_expect_success 'title' 'commands'
test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/.out" 2>&1; then
		say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		sed 's/^/#	/' "$TRASH/.out" | tail -40
	fi
}

# test_skip 'title' 'reason': counted and shown as skipped, never as passed.
test_skip() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	say "ok $test_count # skip $1 ($2)"
}

# test_expect_code CODE command...: the command must exit with CODE.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		say "exit code $got, expected $want: $*" >&2
		return 1
	fi
	return 0
}

# test_cmp expected actual: identical files, else show the diff.
test_cmp() {
	diff -u "$1" "$2"
}

# test_grep PATTERN FILE: FILE has a line matching PATTERN (shown if not).
test_grep() {
	if ! grep -q -e "$1" "$2"; then
		say "no line matching '$1' in $2:" >&2
		cat "$2" >&2
		return 1
	fi
}

# test_line_count OP N FILE, e.g. test_line_count = 3 out
test_line_count() {
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		say "$3 has $n lines, expected $1 $2" >&2
		return 1
	fi
}

test_done() {
	passed=$((test_count - test_failed - test_skipped))
	say "# $TEST_NAME: $passed passed, $test_failed failed, $test_skipped skipped"
	[ "$test_failed" = 0 ]
}

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make test under valgrind (memcheck, --leak-check=full): every unit test
# binary, every CLI test (leaky run through a wrapper; the tests' time
# limits scaled by LEAKY_TEST_SLOW), and the fuzz regressions and seeds
# through the targets' plain standalone builds. Any invalid access,
# uninitialised use or definite/possible leak fails.
# Usage: test-valgrind.sh LEAKY "UNIT_BINS" [CLI SCRIPT GLOBS...]
# Environment: JOBS (test programs at a time, 2), FUZZ_BIN and
# FUZZ_TARGETS (the plain fuzz targets; none when unset), LEAKY_TEST_SLOW.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build/valgrind
# By its path: some tests run leaky with a PATH that hides other programs.
vg="$(command -v valgrind) -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,possible --track-origins=yes"

# One item (run by xargs): KIND NAME PATH; its result in $dir/res/NAME.
if [ "${1:-}" = --one ]; then
	kind=$2 name=$3 path=$4
	cd "$root" || exit 1
	out=$dir/out/$name.out
	t0=$(date +%s)
	case $kind in
	unit) $vg --log-file="$dir/logs/unit.$name.%p.log" "$path" \
		>"$out" 2>&1 ;;
	cli) LEAKY=$dir/leaky sh "$path" >"$out" 2>&1 ;;
	fuzz) $vg --log-file="$dir/logs/fuzz.$name.%p.log" \
		--suppressions="$root/tests/fuzz/valgrind.supp" "$path" \
		"tests/fuzz/regressions/${name#fuzz_}" \
		"build/fuzz/seeds/${name#fuzz_}" >"$out" 2>&1 ;;
	esac
	rc=$?
	t=$(($(date +%s) - t0))
	if [ $rc = 0 ]; then
		echo "$kind $name: ok (${t} s)"
		echo ok >"$dir/res/$name"
	else
		echo "$kind $name: FAIL (exit $rc, ${t} s)"
		grep -v '^ok ' "$out" | tail -20
		echo fail >"$dir/res/$name"
	fi
	exit 0
fi

leaky=$1
units=$2
shift 2
cd "$root" || exit 1
[ $# -gt 0 ] || set -- 't[0-9]*'
rm -rf "$dir"
mkdir -p "$dir/logs" "$dir/out" "$dir/res"
# Valgrind makes leaky some 4-20 times slower (its start-up most of all);
# the tests that time something allow for that.
LEAKY_TEST_SLOW=${LEAKY_TEST_SLOW:-4}
LEAKY_TEST_VALGRIND=1
export LEAKY_TEST_SLOW LEAKY_TEST_VALGRIND
# The CLI tests run leaky through this wrapper; one log per process.
cat >"$dir/leaky" <<WRAP
#!/bin/sh
exec $vg --log-file=$dir/logs/cli.%p.log $leaky "\$@"
WRAP
chmod +x "$dir/leaky"

# The work, longest first: CLI tests, fuzz replays, unit tests.
: >"$dir/items"
for g in "$@"; do
	for t in tests/cli/$g.sh; do
		[ -e "$t" ] && echo "cli $(basename "$t" .sh) $t" >>"$dir/items"
	done
done
for t in ${FUZZ_TARGETS:-}; do
	# git keeps no empty directory: a target without regressions yet
	mkdir -p "tests/fuzz/regressions/$t"
	echo "fuzz fuzz_$t $FUZZ_BIN/fuzz_$t" >>"$dir/items"
done
for t in $units; do
	echo "unit $(basename "$t") $t" >>"$dir/items"
done
t0=$(date +%s)
xargs -P "${JOBS:-2}" -L 1 sh "$0" --one <"$dir/items"

failed=$(grep -l fail "$dir"/res/* 2>/dev/null | xargs -r -n 1 basename)
n=$(wc -l <"$dir/items")
ran=$(ls "$dir/res" | wc -l)
[ "$ran" = "$n" ] || failed="$failed (only $ran of $n ran)"
# Errors valgrind logged (a test expecting a failure may not notice 99).
bad=$(grep -l 'ERROR SUMMARY: [1-9]\|Invalid \|definitely lost\|uninitialised' \
	"$dir"/logs/*.log 2>/dev/null)
procs=$(ls "$dir"/logs | wc -l)
if [ -n "$bad" ]; then
	for f in $bad; do
		echo "== $f"
		head -40 "$f"
	done
	failed="$failed valgrind-logs"
fi
echo "test-valgrind: $n programs/scripts, $procs processes under valgrind," \
	"$(($(date +%s) - t0)) s"
if [ -n "$failed" ]; then
	echo "test-valgrind: FAIL:" $failed
	exit 1
fi
echo "test-valgrind: ok (no invalid access, no leak)"

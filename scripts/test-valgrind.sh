#!/bin/sh
# Runs every unit test binary and the CLI tests of heaper, goroutines,
# pmap, report and plot under valgrind (memcheck, --leak-check=full): any
# invalid access, uninitialised use or definite/possible leak fails.
# Usage: test-valgrind.sh LEAKY "UNIT_BINS" [CLI SCRIPT GLOBS...]
set -u
leaky=$1
units=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
[ $# -gt 0 ] || set -- 't01*' 't02*' 't03*' 't05*'
dir=$root/build/valgrind
rm -rf "$dir"
mkdir -p "$dir/logs"
# By its path: some tests run leaky with a PATH that hides other programs.
vg="$(command -v valgrind) -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,possible --track-origins=yes"
# The CLI tests run leaky through this wrapper; one log per process.
cat >"$dir/leaky" <<WRAP
#!/bin/sh
exec $vg --log-file=$dir/logs/cli.%p.log $leaky "\$@"
WRAP
chmod +x "$dir/leaky"

failed=
n=0
for t in $units; do
	n=$((n + 1))
	if $vg --log-file="$dir/logs/unit.$(basename "$t").log" "$t" \
		>"$dir/$(basename "$t").out" 2>&1; then
		echo "unit $(basename "$t"): ok"
	else
		echo "unit $(basename "$t"): FAIL"
		failed="$failed $(basename "$t")"
	fi
done
for g in "$@"; do
	for t in tests/cli/$g.sh; do
		[ -e "$t" ] || continue
		n=$((n + 1))
		if LEAKY=$dir/leaky sh "$t" >"$dir/$(basename "$t" .sh).out" \
			2>&1; then
			echo "cli $(basename "$t" .sh): ok"
		else
			echo "cli $(basename "$t" .sh): FAIL"
			grep -v '^ok ' "$dir/$(basename "$t" .sh).out" | tail -20
			failed="$failed $(basename "$t" .sh)"
		fi
	done
done
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
echo "test-valgrind: $n programs/scripts, $procs processes under valgrind"
if [ -n "$failed" ]; then
	echo "test-valgrind: FAIL:$failed"
	exit 1
fi
echo "test-valgrind: ok (no invalid access, no leak)"

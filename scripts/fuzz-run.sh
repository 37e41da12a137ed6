#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs each libFuzzer target for SECONDS on its corpus (build/fuzz/corpus/T,
# grown; the seeds and tests/fuzz/regressions/T read), with its dictionary,
# then prints executions, coverage (cov: edges, ft: features) per target.
# A crash, leak, timeout or OOM leaves its input in build/fuzz/crash/T/ and
# fails the run (after the other targets ran): copy the input into
# tests/fuzz/regressions/T/ once fixed.
# Usage: fuzz-run.sh BINDIR SECONDS "TARGETS" [LIBFUZZER FLAGS...]
set -u
bin=$1
secs=$2
targets=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
# libconfig's own leak (tests/fuzz/lsan.supp); UBSan reports with a stack.
LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS UBSAN_OPTIONS
fz=build/fuzz
mkdir -p "$fz/log"
cat tests/fuzz/dict/*.dict >"$fz/all.dict"
failed=
total=0
printf '%-10s %10s %8s %8s %8s  %s\n' target execs exec/s cov ft result
for t in $targets; do
	case $t in
	gortext*) dict=tests/fuzz/dict/gortext.dict ;;
	validate) dict=$fz/all.dict ;;
	*) dict=tests/fuzz/dict/$t.dict ;;
	esac
	[ -f "$dict" ] && dopt="-dict=$dict" || dopt=
	mkdir -p "$fz/corpus/$t" "$fz/crash/$t" "tests/fuzz/regressions/$t"
	log=$fz/log/$t.log
	# -close_fd_mask=2: the decoders' messages; libFuzzer and the
	# sanitizers keep their own copy of stderr.
	"$bin/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-close_fd_mask=2 -artifact_prefix="$fz/crash/$t/" $dopt "$@" \
		"$fz/corpus/$t" "$fz/seeds/$t" "tests/fuzz/regressions/$t" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+.*(cov|ft):' "$log" | tail -1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	if [ $rc = 0 ]; then
		res=ok
	else
		res="FAIL (rc $rc, see $log)"
		failed="$failed $t"
	fi
	total=$((total + ${execs:-0}))
	printf '%-10s %10s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${eps:-?}" \
		"${cov:-?}" "${ft:-?}" "$res"
done
echo "total executions: $total"
nfail=$(echo $failed | wc -w)
# A target passes when its run ended without a finding.
echo "fuzz: $(($(echo $targets | wc -w) - nfail)) passed, $nfail failed"
if [ -n "$failed" ]; then
	echo "fuzz: findings in:$failed (inputs under $fz/crash/)" >&2
	exit 1
fi

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky goroutines against pprof: goroutines per folded stack (and labels)
# of every goroutine proto fixture against the oracle (scripts/oracle:
# pprof's library, pprof's frame names) and against `go tool pprof -traces`;
# totals against pprof's total, the debug=1 header and the debug=2 goroutine
# headers; debug=1 against debug=2 and against the proto of the same moment;
# --focus, --ignore and --min against pprof's -focus and -ignore.
#
# Needs ORACLE (build/oracle, `make oracle`) and go: a missing one is a
# failure, never a skip. GOROUTINES may name another directory of goroutine
# fixtures (default: tests/fixtures/goroutines; names NAME_UNIX.goroutine.pb.gz,
# NAME_UNIX.goroutine1.txt (debug=1), NAME_UNIX.goroutine.txt (debug=2), the
# three of one NAME_UNIX fetched back to back: fixtures/README.md). Nothing
# here names a fixture file: they are remade with every make-fixtures.sh run.

test_description='goroutines agrees with pprof'
. "$(dirname "$0")/test-lib.sh"

ORACLE=${ORACLE:-}
GOROUTINES=${GOROUTINES:-$FIXTURES/goroutines}

oracle() { "$ORACLE" "$@"; }

# ptraces FILE [PPROF-OPTIONS...]: go tool pprof's every sample, as text.
ptraces() {
	pt_f=$1
	shift
	go tool pprof -traces -unit=count -symbolize=none "$@" "$pt_f"
}

# ptotal FILE: the "of N total" of go tool pprof's report header.
ptotal() {
	go tool pprof -top -nodecount=1 -unit=count -symbolize=none "$1" >"$TRASH/.top" &&
	sed -n 's/^Showing nodes accounting for .* of \([0-9][0-9]*\) total$/\1/p' "$TRASH/.top"
}

# lcanon OUT LEAKY-OPTIONS... FILE: leaky goroutines' CSV of one file in
# OUT.raw, made canonical (goroutines,stack,labels summed over the other
# columns, sorted) by the oracle in OUT; labels merged with --by stack.
lcanon() {
	lc_out=$1
	shift
	lc_by=
	for lc_a; do
		case $lc_a in --by=stack | stack) lc_by="-by stack" ;; esac
	done
	leaky goroutines "$@" >"$lc_out.raw" || return 1
	oracle -gleaky $lc_by "$lc_out.raw" >"$lc_out"
}

# nonvacuous FILE: a canonical CSV with at least one row besides the header.
nonvacuous() {
	test_line_count -ge 2 "$1"
}

# The goroutines that serve the fetch itself (the pprof handler's and its
# connection's), which differ between two fetches by construction, and a
# goroutine created but not yet started (no frames in the proto and in
# debug=1: Go hides its only one, runtime.goexit).
FETCH='^$|net/http\.\(\*conn(Reader)?\)'

test_expect_success 'the oracle, go tool pprof and the fixtures are there' '
	test -n "$ORACLE" &&
	test -x "$ORACLE" &&
	command -v go &&
	go tool -n pprof &&
	ls "$GOROUTINES"/*.goroutine.pb.gz &&
	ls "$GOROUTINES"/*.goroutine1.txt &&
	ls "$GOROUTINES"/*.goroutine.txt
'

# Test bodies are evaluated while the loop variables are set, so they use
# "$f", "$n" directly. An unmatched glob stays as it is and fails its tests.

# The crafted goroutine profile (`oracle -craft`, goroutineCorners in
# scripts/oracle/craft.go, written by pprof's own encoder): its groups
# worked out by hand, to pin the oracle itself. Frames root first, inlined
# ones expanded (runtime.chanrecv into runtime.chanrecv1, main.rec into
# itself), frames without a function name as pprof prints them, labels
# sorted by key, the goroutines without frames as stack "".
C=$TRASH/craft
crafted=$C/goroutines_1700000000.goroutine.pb.gz
test_expect_success 'the oracle: goroutines per stack and labels, by hand' '
	oracle -craft "$C" &&
	cat >expect <<-\EOF &&
	goroutines,stack,labels
	5,,
	4,main.worker;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,
	3,main.worker;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,route=/a;tenant=t1
	2,main.worker;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,route=/b
	1,"runtime.main;main.Map[go.shape.string,go.shape.""int""]","note=x,y"
	2,runtime.main;main.main;[lab];[libc.so.6];<unknown>,
	1,runtime.main;main.main;main.rec;main.rec;main.rec;main.rec;runtime.gopark,
	6,runtime.main;main.main;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,shard=7
	EOF
	oracle -goroutines "$crafted" >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	goroutines,stack,labels
	5,,
	9,main.worker;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,
	6,runtime.main;main.main;runtime.chanrecv1;runtime.chanrecv;runtime.gopark,
	EOF
	oracle -goroutines -by stack -min 5 "$crafted" >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	total,goroutines
	total,24
	EOF
	oracle -goroutines -total "$crafted" >actual &&
	test_cmp expect actual
'

# ---- every proto: per stack and labels, and per stack (leaky --by stack
# merges labels: one row per stack), leaky = oracle; and = go tool pprof
# -traces, which leaves out goroutines without frames (its driver's
# FilterSamplesByName keeps only samples with a focused frame); leaky shows
# them as stack "", so that totals stay whole.
for f in "$GOROUTINES"/*.goroutine.pb.gz "$crafted"; do
	b=${f##*/}
	test_expect_success "per stack and labels, leaky = oracle: $b" '
		oracle -goroutines "$f" >expect &&
		nonvacuous expect &&
		lcanon actual "$f" &&
		test_cmp expect actual &&
		test_line_count = "$(wc -l <expect)" actual.raw
	'
	test_expect_success "per stack (--by stack), leaky = oracle: $b" '
		oracle -goroutines -by stack "$f" >expect &&
		nonvacuous expect &&
		lcanon actual --by stack "$f" &&
		test_cmp expect actual &&
		test_line_count = "$(wc -l <expect)" actual.raw
	'
	test_expect_success "per stack and labels, leaky = go tool pprof -traces: $b" '
		ptraces "$f" >traces &&
		oracle -traces traces >expect &&
		nonvacuous expect &&
		oracle -goroutines -drop "^\$" "$f" >lib &&
		test_cmp expect lib &&
		leaky goroutines "$f" >actual.raw &&
		oracle -gleaky -drop "^\$" actual.raw >actual &&
		test_cmp expect actual &&
		oracle -traces -by stack traces >expect &&
		leaky goroutines --by stack "$f" >actual.raw &&
		oracle -gleaky -by stack -drop "^\$" actual.raw >actual &&
		test_cmp expect actual
	'
done

# ---- totals: leaky --totals and the sum of leaky's groups equal pprof's
# total, the debug=1 header's (and pprof's legacy parser's) and the number of
# goroutine headers of the debug=2 dump; the three of one moment agree.

# ltotal OUT LEAKY-OPTIONS... FILE: "total,N" from leaky --totals, after
# checking that the sum of leaky's groups is the same.
ltotal() {
	lt_out=$1
	shift
	leaky goroutines --totals --time unix "$@" >"$lt_out.raw" &&
	oracle -gleaky -total "$lt_out.raw" >"$lt_out" &&
	leaky goroutines "$@" >"$lt_out.groups" &&
	oracle -gleaky -total "$lt_out.groups" >"$lt_out.sum" &&
	test_cmp "$lt_out" "$lt_out.sum"
}

for f in "$GOROUTINES"/*.goroutine.pb.gz "$crafted"; do
	b=${f##*/}
	test_expect_success "totals, leaky = pprof's total: $b" '
		n=$(ptotal "$f") &&
		test -n "$n" &&
		printf "total,goroutines\ntotal,%s\n" "$n" >expect &&
		oracle -goroutines -total "$f" >lib &&
		test_cmp expect lib &&
		ltotal actual "$f" &&
		test_cmp expect actual
	'
done

for f in "$GOROUTINES"/*.goroutine1.txt; do
	b=${f##*/}
	test_expect_success "debug=1 totals, leaky = header = pprof's parser: $b" '
		n=$(sed -n "1s/^goroutine profile: total \([0-9][0-9]*\)\$/\1/p" "$f") &&
		test -n "$n" &&
		printf "total,goroutines\ntotal,%s\n" "$n" >expect &&
		oracle -goroutines -total "$f" >lib &&
		test_cmp expect lib &&
		ltotal actual "$f" &&
		test_cmp expect actual
	'
done

# dump_ages DUMP: the debug=2 headers' goroutines, >=1m, >=10m, >=60m (from
# ", N minutes") and per state (the bracket up to the first ", "), in
# leaky --totals' order: columns sorted by state name here, as in ages.
dump_ages() {
	awk '
		/^goroutine [0-9]+ \[.*\]:$/ {
			n++
			s = $0
			sub(/^goroutine [0-9]+ \[/, "", s)
			sub(/\]:$/, "", s)
			m = 0
			if (match(s, /, [0-9]+ minutes/))
				m = substr(s, RSTART + 2, RLENGTH - 10) + 0
			a1 += m >= 1
			a10 += m >= 10
			a60 += m >= 60
			sub(/,.*/, "", s)
			st[s]++
		}
		END {
			print "goroutines," n
			print ">=1m," a1 + 0
			print ">=10m," a10 + 0
			print ">=60m," a60 + 0
			for (s in st)
				print "state " s "," st[s]
		}' "$1" | sort
}

# leaky_ages TOTALS_CSV: the same from leaky --totals --time unix (one row;
# no field of it holds a comma).
leaky_ages() {
	awk -F, '
		NR == 1 { for (i = 3; i <= NF; i++) h[i] = $i }
		NR == 2 {
			for (i = 3; i <= NF; i++) {
				k = h[i]
				if (i > 6)
					k = "state " k
				if ($i != "")
					print k "," $i
			}
		}' "$1" | sort
}

for f in "$GOROUTINES"/*.goroutine.txt; do
	b=${f##*/}
	test_expect_success "debug=2 totals, ages and states, leaky = goroutine headers: $b" '
		n=$(grep -c "^goroutine [0-9][0-9]* \[" "$f") &&
		printf "total,goroutines\ntotal,%s\n" "$n" >expect &&
		ltotal actual "$f" &&
		test_cmp expect actual &&
		dump_ages "$f" >expect &&
		leaky_ages actual.raw >actual &&
		test_cmp expect actual
	'
done

for f in "$GOROUTINES"/*.goroutine.pb.gz; do
	n=${f%.goroutine.pb.gz}
	test_expect_success "same moment: proto, debug=1, debug=2 totals agree: ${n##*/}" '
		ltotal p "$f" &&
		ltotal d1 "$n.goroutine1.txt" &&
		ltotal d2 "$n.goroutine.txt" &&
		test_cmp p d1 &&
		test_cmp p d2
	'
done

# ---- same moment, per stack. debug=1 and the proto describe the same
# goroutine records: the proto with the frames debug=1 hides dropped
# (runtime/pprof printStackRecord: runtime.goexit, runtime.* at the leaf
# end) must equal debug=1, labels included, but for the fetch's goroutines.
#
# debug=1 against debug=2 (no labels, one group per stack and state, merged
# by --by stack): tracebacks also hide unexported runtime.* frames further
# up (runtime.main), so both sides drop them (oracle -hide-runtime), and
# leave out the fetch's goroutines and the two deep recursions of zoo, cut at
# 32 frames in debug=1 (the runtime's goroutine profile records; their "@"
# lines list 32 PCs) and at 100 in debug=2. Whatever else differs is a bug.
# Non-vacuous: the leak groups are compared, at most 4 goroutines left out.
DEEP='^main\.deep'

for f in "$GOROUTINES"/*.goroutine1.txt; do
	n=${f%.goroutine1.txt}
	test_expect_success "same moment: debug=1 = proto less debug=1's hidden frames: ${n##*/}" '
		oracle -goroutines -hide-leading-runtime -drop "$FETCH" "$n.goroutine.pb.gz" >expect &&
		nonvacuous expect &&
		leaky goroutines "$f" >actual.raw &&
		oracle -gleaky -drop "$FETCH" actual.raw >actual &&
		test_cmp expect actual &&
		test_grep "^[0-9]*,main\\.\\(leakyWorker\\|startZooGoroutines\\.func7\\.1\\)," actual
	'
	test_expect_success "same moment: debug=1 = debug=2 per stack (--by stack): ${n##*/}" '
		lcanon d1 --by stack "$f" &&
		lcanon d2 --by stack "$n.goroutine.txt" &&
		oracle -gleaky -by stack -hide-runtime -drop "$FETCH|$DEEP" d1.raw >expect &&
		oracle -gleaky -by stack -hide-runtime -drop "$FETCH|$DEEP" d2.raw >actual &&
		nonvacuous expect &&
		test_cmp expect actual &&
		test_grep "^[0-9]*,main\\.\\(leakyWorker\\|startZooGoroutines\\.func7\\.1\\)," actual &&
		all=$(oracle -gleaky -total d1.raw | sed -n "2s/^total,//p") &&
		some=$(oracle -gleaky -total -drop "$FETCH|$DEEP" d1.raw | sed -n "2s/^total,//p") &&
		test $((all - some)) -le 4 &&
		if grep -q "main\\.deep" d1; then
			test "$(awk "/^1 @ / && NF == 34" "$f" | wc -l)" -ge 2
		fi
	'
done

# --by stack on a debug=2 dump: the groups of one stack in several states
# merge (the fixtures have no such stack, so also a crafted dump).
printf '%s\n' 'goroutine 1 [chan receive]:' 'main.main()' '	/x/main.go:10 +0x1' '' \
	'goroutine 5 [chan receive, 3 minutes]:' 'main.worker(0x1)' '	/x/w.go:5 +0x2' \
	'created by main.main' '	/x/main.go:8 +0x3' '' \
	'goroutine 6 [select]:' 'main.worker(0x2)' '	/x/w.go:5 +0x2' \
	'created by main.main' '	/x/main.go:8 +0x3' >"$TRASH/crafted_1700000000.goroutine.txt"
for f in "$GOROUTINES"/*.goroutine.txt "$TRASH/crafted_1700000000.goroutine.txt"; do
	b=${f##*/}
	test_expect_success "debug=2: --by stack = the default groups summed over states: $b" '
		lcanon all "$f" &&
		oracle -gleaky -by stack all.raw >expect &&
		nonvacuous expect &&
		lcanon actual --by stack "$f" &&
		test_cmp expect actual &&
		test_line_count = "$(wc -l <expect)" actual.raw
	'
done
test_expect_success 'debug=2: --by stack merges states: crafted dump' '
	cat >expect <<-\EOF &&
	goroutines,stack,labels
	1,main.main,
	2,main.worker,
	EOF
	lcanon actual --by stack --time unix "$TRASH/crafted_1700000000.goroutine.txt" &&
	test_cmp expect actual &&
	test_grep "^1700000000,crafted,2,,3,main\\.main,main\\.worker,main\\.worker,,debug=2,\$" actual.raw
'

# ---- --focus, --ignore, --min (regexps that mean the same in POSIX ERE
# and RE2): leaky = oracle (the same flags: Go's flag package takes --focus
# too) = go tool pprof -traces with -focus and -ignore; the filter kept
# something and changed something.
last=
for f in "$GOROUTINES"/goroutine-leak_*.goroutine.pb.gz; do
	last=$f
done
zoo=
for f in "$GOROUTINES"/zoo_*.goroutine.pb.gz; do
	zoo=$f
done

# filtered FILE BY MIN FOCUS IGNORE (all but FILE may be empty): leaky's
# --by, --min, --focus, --ignore; the oracle's (the same); go tool pprof's
# -focus and -ignore, its -traces reshaped with the oracle's --by and --min.
filtered() {
	fi_f=$1 fi_by=$2 fi_min=$3 fi_fo=$4 fi_ig=$5
	oracle -goroutines ${fi_by:+--by "$fi_by"} "$fi_f" >all &&
	oracle -goroutines ${fi_by:+--by "$fi_by"} ${fi_min:+--min "$fi_min"} \
		${fi_fo:+--focus "$fi_fo"} ${fi_ig:+--ignore "$fi_ig"} "$fi_f" >expect &&
	nonvacuous expect &&
	! cmp -s all expect &&
	ptraces "$fi_f" ${fi_fo:+"-focus=$fi_fo"} ${fi_ig:+"-ignore=$fi_ig"} >traces &&
	oracle -traces ${fi_by:+--by "$fi_by"} ${fi_min:+--min "$fi_min"} traces >pprof &&
	test_cmp expect pprof &&
	lcanon actual ${fi_by:+--by "$fi_by"} ${fi_min:+--min "$fi_min"} \
		${fi_fo:+--focus "$fi_fo"} ${fi_ig:+--ignore "$fi_ig"} "$fi_f" &&
	test_cmp expect actual
}

test_expect_success "--focus on function names: ${last##*/}" '
	filtered "$last" "" "" "main\\.leaky(Worker|Sender)" ""
'
test_expect_success "--ignore on function names: ${last##*/}" '
	filtered "$last" "" "" "" "runtime\\.selectgo|sync\\."
'
test_expect_success "--focus on a file name, --by stack: ${last##*/}" '
	filtered "$last" stack "" "scenarios\\.go$" ""
'
# Every frame is in the one mapping (/opt/leaky-lab/lab), so this --focus
# keeps every goroutine with a frame; a leaky that did not match mapping
# files would print nothing.
test_expect_success "--focus on the mapping file with --ignore: ${last##*/}" '
	filtered "$last" "" "" "/lab$" "leakyWorker"
'
test_expect_success "--min: ${last##*/}" '
	filtered "$last" "" 30 "" ""
'
test_expect_success "--min with --by stack: ${last##*/}" '
	filtered "$last" stack 30 "" ""
'
test_expect_success "--focus, --ignore, --min, --by stack: ${last##*/}" '
	filtered "$last" stack 20 "main\\.leaky" "Sender"
'
test_expect_success "--focus on generic and recursive functions: ${zoo##*/}" '
	filtered "$zoo" "" "" "main\\.(deep|waitFor\\[|\\(\\*Stack\\[)" ""
'
test_expect_success "--focus on unnamed frames and a mapping: ${crafted##*/}" '
	filtered "$crafted" "" "" "^<unknown>|libc" ""
'
test_expect_success "--focus, --ignore, --by stack: ${crafted##*/}" '
	filtered "$crafted" stack "" "^main\\." "main\\.rec$"
'
# pprof -focus and -ignore drop goroutines without frames
# (FilterSamplesByName keeps only samples with a focused frame, and without
# -focus every frame is one). The crafted profile has 5 of them.
test_expect_success "--ignore drops goroutines without frames, as pprof's: ${crafted##*/}" '
	filtered "$crafted" "" "" "" "nothing-matches-this"
'

test_done

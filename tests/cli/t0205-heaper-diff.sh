#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky heaper --diff FIRST LAST and --base FILE: per key the change
# between two snapshots, against pprof's -diff_base: the oracle
# (scripts/oracle -diff-base: pprof's library, the base negated and merged
# as pprof merges it) for every sample type, and `go tool pprof -top
# -diff_base` itself for inuse_space and alloc_space, values and order.
# Then the options that keep their meaning, bad input, the README example.
#
# Needs ORACLE (build/oracle, `make oracle`) and go: a missing one is a
# failure, never a skip.

test_description='heaper --diff agrees with pprof -diff_base'
. "$(dirname "$0")/test-lib.sh"

ORACLE=${ORACLE:-}
P=$FIXTURES/profiles
R=$FIXTURES/report/leak/profiles

oracle() { "$ORACLE" "$@"; }

# ptop BASE FILE TYPE [-cum]: go tool pprof's text report of FILE's change
# from BASE, every node, exact values in bytes.
ptop() {
	go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 \
		-symbolize=none -sample_index="$3" -unit=B $4 -diff_base "$1" "$2"
}

# pprof_order TOP COL: the names of a pprof -top output in its order,
# those whose column COL (1 flat, 4 cum) is not zero; inline marks dropped.
pprof_order() {
	awk -v c="$2" '
		p {
			v = $c
			line = $0
			sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+  /, "", line)
			sub(/ \((partial-)?inline\)$/, "", line)
			if (v != "0")
				print line
		}
		/^ *flat +flat% +sum% +cum +cum%$/ { p = 1 }' "$1"
}

# leaky_order CSV TYPE: the keys of a heaper CSV in its order, those whose
# TYPE column is not zero (the fixtures' names hold no comma).
leaky_order() {
	awk -F, -v t="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == t) c = i; next }
		$c != 0 { print $3 }' "$1"
}

nonvacuous() {
	test_line_count -ge 2 "$1"
}

test_expect_success 'the oracle, go tool pprof and the fixtures are there' '
	test -n "$ORACLE" &&
	test -x "$ORACLE" &&
	command -v go &&
	go tool -n pprof &&
	ls "$P"/leak_1795310064.heap.pb.gz "$P"/leak_1795310070.heap.pb.gz \
		"$R"/api_1795312237.heap.pb.gz "$R"/api_1795312250.heap.pb.gz
'

# FIRST:LAST pairs: the first and last snapshot of each fixture series, and
# two reversed, so that changes are negative and keys only in the base.
pairs="
$P/leak_1795310064.heap.pb.gz:$P/leak_1795310070.heap.pb.gz
$P/leak_1795310070.heap.pb.gz:$P/leak_1795310064.heap.pb.gz
$P/oscillate_1795310073.heap.pb.gz:$P/oscillate_1795310076.heap.pb.gz
$P/warmup_1795310077.heap.pb.gz:$P/warmup_1795310081.heap.pb.gz
$P/zoo_1795310081.heap.pb.gz:$P/zoo_1795310085.heap.pb.gz
$P/zoo_1795310085.heap.pb.gz:$P/zoo_1795310081.heap.pb.gz
$R/api_1795312237.heap.pb.gz:$R/api_1795312250.heap.pb.gz
"

for pair in $pairs; do
	a=${pair%%:*} b=${pair#*:}
	name="${a#$FIXTURES/} -> ${b##*/}"
	test_expect_success "flat and cum, all types, leaky --diff = oracle: $name" '
		oracle -diff-base "$a" "$b" >expect &&
		nonvacuous expect &&
		leaky heaper --diff "$a" "$b" >actual.raw &&
		oracle -leaky actual.raw >actual &&
		test_cmp expect actual &&
		oracle -diff-base "$a" -cum "$b" >expect &&
		leaky heaper --cum --diff "$a" "$b" >actual.raw &&
		oracle -leaky actual.raw >actual &&
		test_cmp expect actual
	'
	for t in inuse_space alloc_space; do
		test_expect_success "flat and cum $t, leaky --diff = go tool pprof -top -diff_base: $name" '
			ptop "$a" "$b" $t >top &&
			oracle -top top >expect &&
			leaky heaper --diff "$a" "$b" >flat.csv &&
			oracle -leaky -type $t flat.csv >actual &&
			test_cmp expect actual &&
			ptop "$a" "$b" $t -cum >top.cum &&
			oracle -top -cum top.cum >expect &&
			leaky heaper --diff --cum "$a" "$b" >cum.csv &&
			oracle -leaky -type $t cum.csv >actual &&
			test_cmp expect actual
		'
	done
	# Rows sort by the default type (inuse_space): pprof -top sorts by
	# the absolute flat (cum with -cum), then name. (The oscillate pair
	# changes one function's flat: its order is checked on cum.)
	test_expect_success "rows in pprof -top -diff_base order: $name" '
		ptop "$a" "$b" inuse_space >top &&
		pprof_order top 1 >expect &&
		test_line_count -ge 1 expect &&
		leaky heaper --diff "$a" "$b" >flat.csv &&
		leaky_order flat.csv inuse_space >actual &&
		test_cmp expect actual &&
		ptop "$a" "$b" inuse_space -cum >top &&
		pprof_order top 4 >expect &&
		nonvacuous expect &&
		leaky heaper --diff --cum "$a" "$b" >cum.csv &&
		leaky_order cum.csv inuse_space >actual &&
		test_cmp expect actual
	'
done

A=$P/leak_1795310064.heap.pb.gz
B=$P/leak_1795310070.heap.pb.gz
ZA=$P/zoo_1795310081.heap.pb.gz
ZB=$P/zoo_1795310085.heap.pb.gz

test_expect_success 'a key only in the base gets a negative change' '
	oracle "$B" | cut -d, -f1 | sort >new &&
	oracle "$A" | cut -d, -f1 | sort >old &&
	comm -23 new old >only-in-base &&
	nonvacuous only-in-base &&
	leaky heaper --diff "$B" "$A" >back.csv &&
	k=$(sed -n 2p only-in-base) &&
	oracle "$B" | grep -F "$k," | cut -d, -f2- >was &&
	grep -F ",$k," back.csv | cut -d, -f4-7 | tr -d - >now &&
	test_cmp was now &&
	grep -F ",$k," back.csv | grep -q ",-[0-9]"
'

test_expect_success '--focus and --ignore filter both profiles (= oracle)' '
	oracle -diff-base "$ZA" "$ZB" >all &&
	oracle -diff-base "$ZA" -focus "main\\.recurse|keeper" -ignore pen "$ZB" >expect &&
	nonvacuous expect &&
	! cmp -s all expect &&
	leaky heaper --diff --focus "main\\.recurse|keeper" --ignore pen \
		"$ZA" "$ZB" >actual.raw &&
	oracle -leaky actual.raw >actual &&
	test_cmp expect actual &&
	oracle -diff-base "$ZA" -cum -focus "main\\.recurse|keeper" "$ZB" >expect &&
	leaky heaper --diff --cum --focus "main\\.recurse|keeper" \
		"$ZA" "$ZB" >actual.raw &&
	oracle -leaky actual.raw >actual &&
	test_cmp expect actual
'

# sums FILE FROM: per value column (4-7), the sum of rows FROM and on.
sums() {
	awk -F, -v from="$2" 'NR >= from { for (i = 4; i <= 7; i++) s[i] += $i }
		END { printf "%d,%d,%d,%d\n", s[4], s[5], s[6], s[7] }' "$1"
}

test_expect_success '--top N: the N largest changes, the rest summed in (other)' '
	leaky heaper --diff "$A" "$B" >all.csv &&
	test_line_count -gt 8 all.csv &&
	leaky heaper --diff --top 3 "$A" "$B" >top.csv &&
	test_line_count = 5 top.csv &&
	head -n 4 all.csv >expect &&
	head -n 4 top.csv >actual &&
	test_cmp expect actual &&
	sums all.csv 5 >expect &&
	grep ",(other)," top.csv >other &&
	sums other 1 >actual &&
	test_cmp expect actual
'

test_expect_success '--wide TYPE: one row, the keys as columns in the change order' '
	leaky heaper --diff "$A" "$B" >all.csv &&
	awk -F, "NR > 1 { print \$3 \",\" \$7 }" all.csv >expect &&
	leaky heaper --diff --wide inuse_space "$A" "$B" >wide.csv &&
	test_line_count = 2 wide.csv &&
	awk -F, "NR == 1 { for (i = 3; i <= NF; i++) k[i] = \$i; n = NF }
		NR == 2 { for (i = 3; i <= n; i++) print k[i] \",\" \$i }" \
		wide.csv >actual &&
	test_cmp expect actual
'

test_expect_success '--base FILE: each file against the one base, in time order' '
	M=$P/leak_1795310066.heap.pb.gz &&
	leaky heaper --diff "$A" "$M" >expect &&
	leaky heaper --diff "$A" "$B" | tail -n +2 >>expect &&
	leaky heaper --base "$A" "$B" "$M" >actual &&
	test_cmp expect actual
'

test_expect_success '--by stack and --by line: the same net change as by function' '
	leaky heaper --diff "$A" "$B" >fn.csv &&
	sums fn.csv 2 >expect &&
	nonvacuous fn.csv &&
	leaky heaper --diff --by stack "$A" "$B" >st.csv &&
	sums st.csv 2 >actual &&
	test_cmp expect actual &&
	leaky heaper --diff --by line "$A" "$B" >ln.csv &&
	sums ln.csv 2 >actual &&
	test_cmp expect actual &&
	oracle -diff-base "$A" -total "$B" | tail -n 1 | cut -d, -f2- >total &&
	test_cmp total expect
'

test_expect_success 'a profile against itself: no change, the header only' '
	leaky heaper --diff "$A" "$A" >same.csv &&
	test_line_count = 1 same.csv
'

# ---- bad input: one line naming the file and the reason, exit 1, no file
# written by -o.

# check_bad REASON_RE NAMED_FILE ARGS...: heaper ARGS -o out.csv fails so.
check_bad() {
	reason=$1 named=$2
	shift 2
	rm -f out.csv &&
	test_expect_code 1 "$LEAKY" heaper -o out.csv "$@" 2>err &&
	test_line_count = 1 err &&
	test_grep "^leaky heaper: $named: .*$reason" err &&
	! test -e out.csv &&
	ls >dir &&
	! grep -q "out\\.csv" dir
}

test_expect_success 'a base that is not a profile' '
	check_bad "text that is not a profile" "$FIXTURES/bad/notgzip.pb.gz" \
		--diff "$FIXTURES/bad/notgzip.pb.gz" "$B"
'
test_expect_success 'a missing base, and a missing input with --base' '
	check_bad "No such file" missing.pb.gz --diff missing.pb.gz "$B" &&
	check_bad "No such file" missing.pb.gz --base "$A" "$B" missing.pb.gz
'
test_expect_success 'a last profile that is not a profile' '
	check_bad "truncated gzip stream" "$FIXTURES/bad/truncated.pb.gz" \
		--diff "$A" "$FIXTURES/bad/truncated.pb.gz"
'
test_expect_success 'sample types that differ: both files named' '
	G=$FIXTURES/report/leak/goroutines/api_1795312237.goroutine.pb.gz &&
	check_bad "sample types goroutine/count differ from .* in $A" "$G" \
		--diff "$A" "$G" &&
	check_bad "sample types .*inuse_space.* differ from goroutine/count in $G" \
		"$A" --base "$G" "$A"
'
test_expect_success '--diff takes two files, and not with --base or --memstats' '
	test_expect_code 2 leaky heaper --diff "$A" 2>err &&
	test_grep "two files" err &&
	test_expect_code 2 leaky heaper --diff "$A" "$B" "$B" 2>err &&
	test_grep "two files" err &&
	test_expect_code 2 leaky heaper --diff --base "$A" "$A" "$B" 2>err &&
	test_grep "not --base" err &&
	test_expect_code 2 leaky heaper --memstats --base "$A" "$B" 2>err &&
	test_grep "no --base" err
'

# ---- the README's example, on the report fixture's first and last heap.
test_expect_success 'README: leaky heaper --diff FIRST LAST | head' '
	leaky heaper --diff "$R"/api_1795312237.heap.pb.gz \
		"$R"/api_1795312250.heap.pb.gz >readme.csv &&
	head -n 1 readme.csv >header &&
	echo time,target,function,alloc_objects,alloc_space,inuse_objects,inuse_space,source,profile_time >expect &&
	test_cmp expect header &&
	sed -n 2p readme.csv | cut -d, -f2,3 >top &&
	echo api,main.\(\*cache\).put >expect &&
	test_cmp expect top
'

test_done

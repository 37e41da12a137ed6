#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky heaper's numbers against pprof's: every proto fixture, every sample
# type, flat and cum, against the oracle (scripts/oracle: pprof's library,
# pprof's graph semantics) and, for inuse_space and alloc_objects, against
# `go tool pprof -top` itself. heap?debug=1 texts: totals against pprof's
# legacy parser, per function against the proto of the same moment.
#
# Needs ORACLE (build/oracle, `make oracle`) and go: a missing one is a
# failure, never a skip. PROFILES may name another directory of profiles
# (default: tests/fixtures/profiles).

test_description='heaper agrees with pprof'
. "$(dirname "$0")/test-lib.sh"

ORACLE=${ORACLE:-}
PROFILES=${PROFILES:-$FIXTURES/profiles}

oracle() { "$ORACLE" "$@"; }

# ptop FILE TYPE UNIT: go tool pprof's text report, every node, exact values.
ptop() {
	go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 \
		-symbolize=none -sample_index="$2" -unit="$3" "$1"
}

# canon OUT LEAKY-OPTIONS... FILE: leaky heaper's CSV of one file, made
# canonical (time and target dropped, sorted) by the oracle.
canon() {
	c_out=$1
	shift
	leaky heaper "$@" >"$c_out.raw" || return 1
	oracle -leaky "$c_out.raw" >"$c_out"
}

# nonvacuous FILE: a canonical CSV with at least one row besides the header.
nonvacuous() {
	test_line_count -ge 2 "$1"
}

test_expect_success 'the oracle, go tool pprof and the fixtures are there' '
	test -n "$ORACLE" &&
	test -x "$ORACLE" &&
	command -v go &&
	go tool -n pprof &&
	ls "$PROFILES"/*.heap.pb.gz &&
	ls "$PROFILES"/*.allocs.pb.gz &&
	ls "$PROFILES"/*.heap.txt
'

# Test bodies are evaluated while the loop variables are set, so they use
# "$f", "$t", "$u" directly (file names may hold spaces). An unmatched glob
# stays as it is and fails its tests.

# ---- every proto: every sample type, flat and cum, leaky == oracle.
for f in "$PROFILES"/*.heap.pb.gz "$PROFILES"/*.allocs.pb.gz; do
	b=${f##*/}
	test_expect_success "flat, all types, leaky = oracle: $b" '
		oracle "$f" >expect &&
		nonvacuous expect &&
		canon actual "$f" &&
		test_cmp expect actual
	'
	test_expect_success "cum, all types, leaky = oracle: $b" '
		oracle -cum "$f" >expect &&
		nonvacuous expect &&
		canon actual --cum "$f" &&
		test_cmp expect actual
	'
done

# ---- every proto: inuse_space and alloc_objects, leaky == go tool pprof.
for f in "$PROFILES"/*.heap.pb.gz "$PROFILES"/*.allocs.pb.gz; do
	b=${f##*/}
	for tu in inuse_space:B alloc_objects:count; do
		t=${tu%:*} u=${tu#*:}
		test_expect_success "flat and cum $t, leaky = go tool pprof -top: $b" '
			ptop "$f" "$t" "$u" >top &&
			oracle -top top >expect &&
			nonvacuous expect &&
			canon actual "$f" &&
			oracle -leaky -type "$t" actual.raw >actual &&
			test_cmp expect actual &&
			oracle -top -cum top >expect &&
			canon actual --cum "$f" &&
			oracle -leaky -type "$t" actual.raw >actual &&
			test_cmp expect actual
		'
	done
done

# ---- focus and ignore (regexps that mean the same in POSIX ERE and RE2),
# on function names, file names and the mapping's file, on the last zoo heap
# profile (the scenario with main.recurse, main.(*keeper).feed, main.pen.build
# in leaky/lab/zoo.go: fixtures/README.md).
rich=
for f in "$PROFILES"/zoo_*.heap.pb.gz; do
	rich=$f
done

# filtered FOCUS IGNORE (either may be empty): flat and cum agree with the
# oracle (the same flags: Go's flag package takes --focus too), and the
# filter kept something and changed something.
filtered() {
	fo=$1 ig=$2
	set --
	if [ -n "$fo" ]; then set -- "$@" --focus "$fo"; fi
	if [ -n "$ig" ]; then set -- "$@" --ignore "$ig"; fi
	oracle "$rich" >all &&
	oracle "$@" "$rich" >expect &&
	nonvacuous expect &&
	! cmp -s all expect &&
	canon actual "$@" "$rich" &&
	test_cmp expect actual &&
	oracle -cum "$rich" >all &&
	oracle -cum "$@" "$rich" >expect &&
	nonvacuous expect &&
	! cmp -s all expect &&
	canon actual --cum "$@" "$rich" &&
	test_cmp expect actual
}

# twice_on_a_stack FUNC STACKS: some stack in leaky's --by stack CSV (keys
# root first, frames joined by ';') holds FUNC at least twice.
twice_on_a_stack() {
	awk -v f="$1" '
		{
			s = ";" $0 ";"
			gsub(/,/, ";", s)
			n = 0
			while ((i = index(s, ";" f ";")) > 0) {
				n++
				s = substr(s, i + length(f) + 1)
			}
			if (n >= 2)
				found = 1
		}
		END { exit !found }' "$2"
}

test_expect_success "--focus on function names: ${rich##*/}" '
	filtered "main\\.recurse|main\\.\\(\\*keeper\\)" ""
'
test_expect_success "--ignore on function names: ${rich##*/}" '
	filtered "" "recurse|runtime\\.malg"
'
test_expect_success "--focus on a file name with --ignore: ${rich##*/}" '
	filtered "zoo\\.go$" "keeper"
'
# Every Go frame is in the one mapping, so this --focus keeps all samples;
# a leaky that did not match mapping files would print nothing.
test_expect_success "--focus on the mapping file with --ignore: ${rich##*/}" '
	filtered "/lab$" "pen"
'

# ---- recursion: cum counts a sample once per function even when the
# function is several times on its stack. The fixture must have such
# stacks, and they must weigh enough that counting per frame differs.
test_expect_success "recursion: cum once per sample, not per frame: ${rich##*/}" '
	oracle -recursive "$rich" >rec &&
	test_grep "^main\\.recurse," rec &&
	leaky heaper --by stack "$rich" >stacks &&
	twice_on_a_stack main.recurse stacks &&
	oracle -cum -type inuse_space "$rich" >all &&
	grep "^main\\.recurse," all >expect &&
	oracle -naive-cum -type inuse_space "$rich" >all &&
	grep "^main\\.recurse," all >naive &&
	! cmp -s expect naive &&
	canon actual --cum "$rich" &&
	oracle -leaky -type inuse_space actual.raw >all &&
	grep "^main\\.recurse," all >actual &&
	test_cmp expect actual
'

# ---- heap?debug=1: pprof does not symbolize the # frame lines, so totals
# per sample type against pprof's legacy parser (which scales values the
# same way); per function against the proto of the same NAME_UNIX.

# legacy_totals LEAKY_CSV ORACLE_TOTALS: leaky's totals with the oracle's
# columns. Where the header's alloc pair equals its in-use pair, pprof's
# legacy parser keeps two types, objects and space (in-use values); leaky
# keeps its four columns, so compare the in-use ones.
legacy_totals() {
	if [ "$(head -n 1 "$2")" = total,objects,space ]; then
		oracle -leaky -total -type inuse_objects,inuse_space "$1" >"$1.t" &&
		sed '1s/.*/total,objects,space/' "$1.t"
	else
		oracle -leaky -total "$1"
	fi
}

for f in "$PROFILES"/*.heap.txt; do
	b=${f##*/}
	test_expect_success "debug=1 totals, leaky = pprof's parser: $b" '
		oracle -total "$f" >expect &&
		leaky heaper "$f" >actual.raw &&
		legacy_totals actual.raw expect >actual &&
		test_cmp expect actual
	'
	# every .heap.txt has its .heap.pb.gz pair (fixtures/README.md)
	test_expect_success "debug=1 = its proto pair, flat and cum: $b" '
		p=${f%.txt}.pb.gz &&
		canon expect "$p" &&
		nonvacuous expect &&
		canon actual "$f" &&
		test_cmp expect actual &&
		canon expect --cum "$p" &&
		canon actual --cum "$f" &&
		test_cmp expect actual
	'
done

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky heaper against pprof on crafted profiles (`oracle -craft`, written
# by pprof's own encoder) with the corners real Go heap profiles rarely
# show: frames without a function (pprof names them "[mapping basename]" or
# "<unknown>"), a nameless function, a function inlined into itself, direct
# and indirect recursion, a name that needs CSV quoting, a sample without a
# stack, an all-zero sample, drop_frames, and legacy heap?debug=1 texts.
#
# Needs ORACLE and go: a missing one is a failure, never a skip.

test_description='heaper agrees with pprof on crafted corners'
. "$(dirname "$0")/test-lib.sh"

ORACLE=${ORACLE:-}
oracle() { "$ORACLE" "$@"; }

ptop() {
	go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 \
		-symbolize=none -sample_index="$2" -unit="$3" "$1"
}

canon() {
	c_out=$1
	shift
	leaky heaper "$@" >"$c_out.raw" || return 1
	oracle -leaky "$c_out.raw" >"$c_out"
}

C=$TRASH/craft
corners=$C/corners_1700000000.heap.pb.gz
drop=$C/dropframes_1700000000.heap.pb.gz

test_expect_success 'the oracle crafts the profiles; go tool pprof is there' '
	test -n "$ORACLE" &&
	test -x "$ORACLE" &&
	command -v go &&
	go tool -n pprof &&
	oracle -craft "$C" &&
	test -s "$corners" && test -s "$drop" &&
	test -s "$C/sampled_1700000000.heap.txt" &&
	test -s "$C/alllive_1700000000.heap.txt"
'

# Worked out by hand from craft.go, to pin the oracle itself.
test_expect_success 'the oracle: flat and cum of the corners, by hand' '
	cat >expect <<-\EOF &&
	function,alloc_objects,alloc_space,inuse_objects,inuse_space
	<unknown>,7,112,7,112
	[lab],6,96,3,48
	[libc.so.6],8,128,1,16
	"main.Map[go.shape.string,go.shape.""int""]",5,80,5,80
	main.leaf,1,16,1,16
	main.other,10,160,0,0
	main.rec,6,96,1,16
	main.small,3,48,2,32
	EOF
	oracle "$corners" >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	function,alloc_objects,alloc_space,inuse_objects,inuse_space
	<unknown>,7,112,7,112
	[lab],6,96,3,48
	[libc.so.6],8,128,1,16
	"main.Map[go.shape.string,go.shape.""int""]",5,80,5,80
	main.leaf,9,144,2,32
	main.main,29,464,13,208
	main.other,10,160,0,0
	main.rec,16,256,1,16
	main.small,3,48,2,32
	runtime.main,46,736,20,320
	EOF
	oracle -cum "$corners" >actual &&
	test_cmp expect actual
'

test_expect_success 'corners: flat and cum, all types, leaky = oracle' '
	oracle "$corners" >expect &&
	canon actual "$corners" &&
	test_cmp expect actual &&
	oracle -cum "$corners" >expect &&
	canon actual --cum "$corners" &&
	test_cmp expect actual
'

for tu in alloc_objects:count alloc_space:B inuse_objects:count inuse_space:B; do
	t=${tu%:*} u=${tu#*:}
	test_expect_success "corners: flat and cum $t, leaky = go tool pprof -top" "
		ptop '$corners' $t $u >top &&
		oracle -top top >expect &&
		canon actual '$corners' && oracle -leaky -type $t actual.raw >actual &&
		test_cmp expect actual &&
		oracle -top -cum top >expect &&
		canon actual --cum '$corners' && oracle -leaky -type $t actual.raw >actual &&
		test_cmp expect actual
	"
done

# drop_frames main\.rec|main\.leaf, keep_frames main\.leaf: pprof prunes
# main.rec and everything leafward of it from each stack (Profile.Prune,
# called by the driver's RemoveUninteresting on every profile it reads), so
# main.rec disappears and its flat goes to main.main.
# drop_check [--cum]: one column of leaky's values equals pprof's.
drop_check() {
	ptop "$drop" inuse_space B >top &&
	if [ $# = 0 ]; then oracle -top top; else oracle -top -cum top; fi >expect &&
	! grep -q "^main\\.rec," expect &&
	canon actual "$@" "$drop" &&
	oracle -leaky -type inuse_space actual.raw >actual &&
	test_cmp expect actual
}

test_expect_success 'drop_frames: flat inuse_space, leaky = go tool pprof -top' '
	drop_check
'
test_expect_success 'drop_frames: cum inuse_space, leaky = go tool pprof -top' '
	drop_check --cum
'

test_expect_success 'debug=1, sampled (scaled): totals, leaky = pprof' '
	f=$C/sampled_1700000000.heap.txt &&
	oracle -total "$f" >expect &&
	cat >want <<-\EOF &&
	total,alloc_objects,alloc_space,inuse_objects,inuse_space
	total,12,11246,4,2428
	EOF
	test_cmp want expect &&
	leaky heaper "$f" >actual.raw &&
	oracle -leaky -total actual.raw >actual &&
	test_cmp expect actual
'

# pprof's legacy parser keeps only objects and space (the in-use pair) when
# the header's alloc pair equals its in-use pair; leaky keeps four columns
# so that every snapshot of a series has the same ones.
test_expect_success 'debug=1, all live: in-use totals, leaky = pprof' '
	f=$C/alllive_1700000000.heap.txt &&
	oracle -total "$f" >expect &&
	test_grep "^total,objects,space\$" expect &&
	leaky heaper "$f" >actual.raw &&
	oracle -leaky -total -type inuse_objects,inuse_space actual.raw >t &&
	sed "1s/.*/total,objects,space/" t >actual &&
	test_cmp expect actual
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky heaper on the real fixtures: layout, order and options pinned by
# golden files (their numbers are held against pprof by t0200 and t0201),
# plus what a user checks by hand.
test_description='leaky heaper'
. "$(dirname "$0")/test-lib.sh"

P="$FIXTURES/profiles"
G="$FIXTURES/heaper-golden"

test_expect_success 'long layout over the leak series (golden)' '
	"$LEAKY" heaper "$P"/leak_*.heap.pb.gz >out.csv &&
	test_cmp "$G/leak.csv" out.csv &&
	test_grep "^time,target,function,alloc_objects,alloc_space,inuse_objects,inuse_space,source,profile_time$" out.csv
'
test_expect_success 'rows come by time whatever the order of the files' '
	"$LEAKY" heaper $(ls -r "$P"/leak_*.heap.pb.gz) >out.csv &&
	test_cmp "$G/leak.csv" out.csv
'
test_expect_success 'within a snapshot, inuse_space descending' '
	sed 1d "$G/leak.csv" | awk -F, "
		\$1 == t && \$7 > last { bad = 1 }
		{ t = \$1; last = \$7 } END { exit bad }"
'
test_expect_success 'the cache that never evicts grows in every snapshot' '
	grep ",main.(\*cache).put," "$G/leak.csv" | cut -d, -f7 >grow &&
	test_line_count = 6 grow &&
	sort -n -c grow && [ "$(sort -u grow | wc -l)" = 6 ]
'
test_expect_success '--top 3 with (other) rows (golden)' '
	"$LEAKY" heaper --top 3 "$P"/leak_*.heap.pb.gz >out.csv &&
	test_cmp "$G/leak-top3.csv" out.csv
'
test_expect_success '--top: kept rows plus (other) add up to the whole' '
	for t in $(cut -d, -f1 "$G/leak.csv" | sed 1d | sort -u); do
		a=$(grep "^$t," "$G/leak.csv" | awk -F, "{ s += \$7 } END { print s }") &&
		b=$(grep "^$t," "$G/leak-top3.csv" | awk -F, "{ s += \$7 } END { print s }") &&
		[ "$a" = "$b" ] || return 1
	done
'
test_expect_success '--wide inuse_space --time unix (golden)' '
	"$LEAKY" heaper --top 3 --wide inuse_space --time unix \
		"$P"/leak_*.heap.pb.gz >out.csv &&
	test_cmp "$G/leak-top3-wide.csv" out.csv &&
	test_line_count = 7 out.csv
'
test_expect_success '--memstats: one row per dump, values from the trailer (golden)' '
	"$LEAKY" heaper --memstats "$P"/leak_*.heap.txt >out.csv &&
	test_cmp "$G/leak-memstats.csv" out.csv &&
	f=$(ls "$P"/leak_*.heap.txt | head -n 1) &&
	alloc=$(sed -n "s/^# HeapAlloc = //p" "$f") &&
	stack=$(sed -n "s/^# Stack = \([0-9]*\) \/ .*/\1/p" "$f") &&
	col=$(head -n 1 out.csv | tr , "\n" | grep -n "^HeapAlloc$" | cut -d: -f1) &&
	scol=$(head -n 1 out.csv | tr , "\n" | grep -n "^StackInuse$" | cut -d: -f1) &&
	[ "$(sed -n 2p out.csv | cut -d, -f$col)" = "$alloc" ] &&
	[ "$(sed -n 2p out.csv | cut -d, -f$scol)" = "$stack" ] &&
	! head -n 1 out.csv | grep -q PauseNs
'
test_expect_success 'odd names: generics, closures, unicode, methods (golden)' '
	"$LEAKY" heaper --cum "$P"/zoo_*.heap.pb.gz >out.csv &&
	test_cmp "$G/zoo-cum.csv" out.csv &&
	for n in "main.Map\[...\]" "main.größe" "main.(\*Ωmega).wachsen" \
		"main.glob..func1" "main.recurse"; do
		test_grep ",$n," out.csv || return 1
	done
'
test_expect_success '--by stack folds root;...;leaf (golden)' '
	"$LEAKY" heaper --by stack --focus "main\." \
		"$(ls "$P"/zoo_*.heap.pb.gz | head -n 1)" >out.csv &&
	test_cmp "$G/zoo-stack.csv" out.csv &&
	test_grep "^time,target,stack," out.csv &&
	test_grep ",runtime.main;main.main;" out.csv
'
test_expect_success 'stdin, --target and a debug=1 text named by the collector' '
	f=$(ls "$P"/leak_*.heap.pb.gz | head -n 1) &&
	"$LEAKY" heaper --target api - <"$f" >out.csv &&
	test_grep "^[^,]*,api,main.(\*cache).put," out.csv &&
	t=$(ls "$P"/leak_*.heap.txt | head -n 1) &&
	u=$(basename "$t" | sed "s/^leak_\([0-9]*\)\..*/\1/") &&
	"$LEAKY" heaper --time unix "$t" >out.csv &&
	test_grep "^$u,leak,main.(\*cache).put," out.csv
'
test_expect_success 'an allocs profile works as well' '
	"$LEAKY" heaper "$P"/leak_*.allocs.pb.gz >out.csv &&
	test_grep ",main.(\*cache).put," out.csv
'
test_expect_success 'help' '
	"$LEAKY" heaper --help >out &&
	test_grep "^usage: leaky heaper" out &&
	"$LEAKY" --help >out &&
	test_grep "heaper" out
'

test_done

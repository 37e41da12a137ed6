#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='bash completion made from the option tables: commands, options, values, paths'
. "$(dirname "$0")/test-lib.sh"

export TRASH

# comp WORD...: what the completion offers for the last WORD of the
# command line "WORD...", one a line, sorted (COMP_WORDS, COMP_CWORD,
# then _leaky's COMPREPLY, as bash sets and reads them on a tab).
comp() {
	bash -c '. "$TRASH/leaky.bash" &&
		COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) && _leaky &&
		for w in "${COMPREPLY[@]}"; do printf "%s\n" "$w"; done' \
		leaky "$@" | sort
}

test_expect_success 'the script is bash, and complete registers it' '
	leaky help --completion >leaky.bash &&
	bash -n leaky.bash &&
	bash -c ". ./leaky.bash && complete -p leaky" >reg &&
	test_grep "^complete -F _leaky leaky$" reg
'

test_expect_success 'a command name' '
	comp leaky go >got &&
	echo goroutines >expect &&
	test_cmp expect got &&
	comp leaky "" >got &&
	leaky help --commands >cmds &&
	while read -r c; do test_grep "^$c$" got || return 1; done <cmds &&
	comp leaky help rep >got &&
	echo report >expect &&
	test_cmp expect got
'

test_expect_success 'an option: what --help lists, no more' '
	comp leaky report --fail >got &&
	echo --fail-on >expect &&
	test_cmp expect got &&
	comp leaky heaper --max- >got &&
	printf "%s\n" --max-inflated --max-input --max-memory >expect &&
	test_cmp expect got &&
	while read -r c; do
		comp leaky "$c" - >got.$c &&
		leaky "$c" --help | grep -E "^ {2,6}-" |
			awk "{ f = \$1; if (f ~ /,\$/) f = \$2; print f }" |
			sort >want.$c &&
		test_cmp want.$c got.$c || return 1
	done <cmds
'

test_expect_success 'the values an option lists' '
	comp leaky heaper --by "" >got &&
	printf "%s\n" file function line stack >expect &&
	test_cmp expect got &&
	comp leaky pmap --time unix >got &&
	printf "%s\n" unix unixms >expect &&
	test_cmp expect got &&
	comp leaky report --fail-on s >got &&
	echo suspect >expect &&
	test_cmp expect got &&
	comp leaky goroutines foo.txt --by cr >got &&
	echo created_by >expect &&
	test_cmp expect got &&
	comp leaky collect -p heap,gor >got &&
	printf "%s\n" heap,goroutine heap,goroutine.txt >expect &&
	test_cmp expect got
'

test_expect_success 'every value offered is one the command takes' '
	mkdir empty && cd empty &&
	while read -r c; do
		leaky "$c" --help |
			grep -oE "^ {2,6}(-[a-zA-Z0-9], )?--?[a-z0-9-]+ [^ ]" |
			sed "s/^ *//; s/,.*//; s/ .*//" >argopts &&
		while read -r o; do
			comp leaky "$c" "$o" "" >vals &&
			cat vals >>../offered &&
			while read -r v; do
				"$LEAKY" "$c" "$o" "$v" --help >/dev/null ||
					{ say "$c $o $v refused" >&2; return 1; }
			done <vals || return 1
		done <argopts || return 1
	done <../cmds &&
	test_grep "^created_by$" ../offered &&
	test_grep "^unixms$" ../offered &&
	test_grep "^smaps_rollup$" ../offered
'

test_expect_success 'paths for FILE arguments and operands, nothing for a number' '
	mkdir dir && : >dir/heap.pb.gz &&
	comp leaky heaper -o dir/h >got &&
	echo dir/heap.pb.gz >expect &&
	test_cmp expect got &&
	comp leaky heaper dir/h >got &&
	test_cmp expect got &&
	comp leaky heaper --top "" >got &&
	test_line_count = 0 got
'
test_done

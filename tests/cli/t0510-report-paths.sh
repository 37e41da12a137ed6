#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Who calls the leak: leaky report names, under each growing function, the
# call paths that carry its growth from the first heap profile to the
# last, with their shares. The lab's paths scenario leaks one function,
# main.(*auditLog).record, through a batch (with an inlined frame), a
# refund loop and an HTTP handler driven by leaky load. Checked against
# `go tool pprof -traces -diff_base FIRST LAST` as the oracle: every path
# leaky names, its change and share, are pprof's traces of that leaf
# summed per path (the same root-side frames left out), and leaky names
# pprof's largest ones. Then the creators of growing goroutine groups, on
# the goroutine-leak scenario run with GODEBUG=tracebackancestors=1,
# against the goroutines of the dumps counted by their "created by" lines.
# Needs go: a missing one is a failure, never a skip.
test_description='leaky report: call paths, against pprof -traces'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_lab || exit 1
# Every allocation sampled (-rate 1): the shares are the program's own.
start_lab p -scenario paths -rate 1 || exit 1
ADDR=$(head -1 p.addr)

# The frames of the profiler that serves the collector, as report leaves
# them out (report/dataset.h, DS_PROFILER_FRAMES).
PROFILER='^(net/http/pprof|runtime/pprof)\.'
REC='main.(*auditLog).record'

test_expect_success 'collect the lab under load at POST /order' '
	timeout -k 5 "$(slow 60)" "$LEAKY" load -z "$(slow 12)s" --rate 20 \
		-c 4 --every 0 -m POST "http://$ADDR/order" >load.txt 2>&1 &
	collect -q -t p=http://$ADDR -p heap -i "$(slow 0.5)s" -n 12 --gc \
		-o d 2>err &&
	wait &&
	test "$(count_rows d heap ok p)" = 12
'

test_expect_success 'report: the three paths under the function, shares' '
	test_expect_code 3 "$LEAKY" report d >out.txt 2>err.txt &&
	test_grep "^     1\. main\.(\*auditLog)\.record  .*(leak, " out.txt &&
	sed -n "/^     1\. main\.(\*auditLog)\.record /,/^     2\. \|^   [a-z]/p" \
		out.txt | sed -n "s/^        *\([0-9]*\)%  //p" >paths &&
	cat >expect <<-\EOP &&
	main.runTicker > main.setupPaths.func2 > main.settleBatch > main.placeOrder > main.(*auditLog).record
	main.runTicker > main.setupPaths.func2 > main.bookRefunds > main.(*auditLog).record
	main.setupPaths.func1 > main.handleOrder > main.placeOrder > main.(*auditLog).record
	EOP
	# the batch (6 records a tick) first; the refunds (3) and the
	# handler (one a request) in either order
	head -n 1 paths >got1 && head -n 1 expect >exp1 && test_cmp exp1 got1 &&
	sort paths >got && sort expect >exps && test_cmp exps got
'

test_expect_success 'report: the shares of the batch and the refunds, 2 to 1' '
	b=$(sed -n "s/^ *\([0-9]*\)%  .*settleBatch.*/\1/p" out.txt) &&
	r=$(sed -n "s/^ *\([0-9]*\)%  .*bookRefunds.*/\1/p" out.txt) &&
	awk -v b="$b" -v r="$r" "BEGIN { exit !(b >= 2 * r - 2 && b <= 2 * r + 2) }"
'

# The files the report compared, from its hand-off line.
test_expect_success 'report: the hand-off names the first and last profile' '
	sed -n "s/^   next: go tool pprof -sample_index=inuse_space -diff_base \([^ ]*\) \([^ ]*\)$/\1 \2/p" \
		out.txt >ends &&
	test_line_count = 1 ends &&
	read FIRST LAST <ends &&
	# the manifest lists the fetches in time order
	awk -F, "\$4 == \"heap\" && \$5 == \"ok\" { print \"d/\" \$10 }" \
		d/manifest.csv >heaps &&
	test_line_count = 12 heaps &&
	test "$FIRST" = "$(head -n 1 heaps)" &&
	test "$LAST" = "$(tail -n 1 heaps)"
'

# oracle_paths TRACES FUNC: from pprof -traces output, FUNC's paths as
# "change<TAB>path" (the traces whose leaf is FUNC, summed per path, the
# runtime's and the standard library's root-side frames above the first
# of the program's own left out), largest first, then the total.
oracle_paths() {
	awk -v want="$2" '
	function std(f,   p, i, s) {
		p = f; s = ""
		i = match(p, /\/[^\/]*$/)
		if (i) { s = substr(p, 1, i); p = substr(p, i + 1) }
		if (!index(p, ".")) return 0
		p = s substr(p, 1, index(p, ".") - 1)
		if (p == "main") return 0
		i = index(p, "/")
		return !index(i ? substr(p, 1, i - 1) : p, ".")
	}
	function rt(f) { return f ~ /^runtime\.[^\/]*$/ }
	function flush(   i, start, own, past, path) {
		if (n && fr[1] == want) {
			own = 0; past = 0
			for (i = n; i >= 1; i--) {
				if (!own && !std(fr[i])) own = i
				if (!past && !rt(fr[i])) past = i
			}
			start = own ? own : (past ? past : n)
			path = fr[start]
			for (i = start - 1; i >= 1; i--) path = path " > " fr[i]
			sum[path] += v; total += v
		}
		n = 0; infr = 0
	}
	/^-----------\+/ { flush(); next }
	!infr && $1 ~ /^-?[0-9]+B?$/ && NF >= 2 {
		v = $1; sub(/B$/, "", v); v += 0
		line = $0; sub(/^ *[^ ]+ +/, "", line)
		sub(/ \((partial-)?inline\)$/, "", line)
		fr[++n] = line; infr = 1; next
	}
	infr {
		line = $0; sub(/^ +/, "", line)
		sub(/ \((partial-)?inline\)$/, "", line)
		fr[++n] = line
	}
	END {
		flush()
		for (p in sum) printf "%d\t%s\n", sum[p], p
		printf "TOTAL\t%d\n", total
	}' "$1" | sort -t "	" -k1,1nr -k2,2
}

test_expect_success 'oracle: leaky paths = go tool pprof -traces -diff_base' '
	read FIRST LAST <ends &&
	go tool pprof -traces -symbolize=none -sample_index=inuse_space \
		-unit=B -ignore="$PROFILER" -diff_base "$FIRST" "$LAST" \
		>traces 2>perr &&
	"$LEAKY" report --fail-on never --csv d >report.csv &&
	head -n 1 report.csv | tr , "\n" | grep -n . >cols &&
	# the functions with paths: every one checked
	awk -F, "\$3 == \"path\"" report.csv >rows &&
	test -s rows &&
	fcol=$(sed -n "s/:path_of$//p" cols) &&
	gcol=$(sed -n "s/:growth$//p" cols) &&
	scol=$(sed -n "s/:path_share$//p" cols) &&
	cut -d, -f"$fcol" rows | sort -u >funcs &&
	grep -qxF "$REC" funcs &&
	while read -r f; do
		oracle_paths traces "$f" >o.all &&
		total=$(sed -n "s/^TOTAL	//p" o.all) &&
		grep -v "^TOTAL	" o.all | awk -F "	" -v t="$total" "
			\$1 > 0 && t > 0 && n < 3 && (!n || \$1 / t >= 0.05) {
				n++; printf \"%d\t%.4f\t%s\n\", \$1, \$1 / t, \$2 }" \
			>expect &&
		awk -F, -v f="$f" -v g="$gcol" -v s="$scol" "\$$fcol == f {
			printf \"%d\t%.4f\t%s\n\", \$g, \$s, \$4 }" rows >got &&
		test_cmp expect got || return 1
	done <funcs
'

test_expect_success 'oracle: the function flat change = pprof -top -diff_base' '
	read FIRST LAST <ends &&
	go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 \
		-symbolize=none -sample_index=inuse_space -unit=B \
		-ignore="$PROFILER" -diff_base "$FIRST" "$LAST" >top 2>perr &&
	flat=$(awk -v f="$REC" "{ l = \$0; sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+  /, \"\", l) }
		l == f { v = \$1; sub(/B$/, \"\", v); print v }" top) &&
	oracle_paths traces "$REC" >o.all &&
	test "$(sed -n "s/^TOTAL	//p" o.all)" = "$flat" &&
	test "$flat" -gt 0
'

# The creators: goroutine-leak starts main.leakyWorker from two go
# statements, one on every tick and one on every third.
export GODEBUG=tracebackancestors=1
start_lab g -scenario goroutine-leak -tick 200ms || exit 1
unset GODEBUG
GADDR=$(head -1 g.addr)
SRC=$TEST_DIRECTORY/../scripts/lab/scenarios.go

test_expect_success 'collect the goroutine leak as debug=2 dumps' '
	collect -q -t g=http://$GADDR -p goroutine.txt -i "$(slow 0.5)s" \
		-n 10 -o gd 2>err &&
	test "$(count_rows gd goroutine.txt ok g)" = 10
'

test_expect_success 'report: the two creators of main.leakyWorker, with their paths' '
	test_expect_code 3 "$LEAKY" report gd >gout.txt 2>gerr.txt &&
	# the go statements, in the order of the source: every tick, then
	# every third under pprof.Do
	grep -n "go leakyWorker(s)$" "$SRC" | cut -d: -f1 >lines &&
	test_line_count = 2 lines &&
	l1=$(head -n 1 lines) && l2=$(tail -n 1 lines) &&
	sed -n "/^     [0-9]\. main\.leakyWorker: /,/^     [0-9]\. \|^   [a-z]/p" \
		gout.txt | sed -n "s/^        *[0-9]*%  created by //p" >got &&
	cat >expect <<-EOP &&
	main.runTicker > main.setupGoroutineLeak.func1 at leaky/lab/scenarios.go:$l1
	main.runTicker > main.setupGoroutineLeak.func1 > runtime/pprof.Do > main.setupGoroutineLeak.func1.2 at leaky/lab/scenarios.go:$l2
	EOP
	test_cmp expect got
'

# sites DUMP: per go statement, the goroutines of DUMP at main.leakyWorker
# created there ("FILE:LINE<TAB>count").
sites() {
	gzip -dcf "$1" | awk "
		/^goroutine [0-9]+ \[/ { top = \"\"; next }
		top == \"\" && /^[^\t]/ { top = \$0; sub(/\(.*/, \"\", top); next }
		/^created by / { c = 1; next }
		c && /^\t/ { c = 0; at = \$1; sub(/^\t/, \"\", at)
			if (top == \"main.leakyWorker\") n[at]++ }
		/^\[originating/ { top = \"-\" }
		END { for (a in n) printf \"%s\t%d\n\", a, n[a] }" | sort
}

test_expect_success 'report --csv: the creators changes = the dumps counted' '
	awk -F, "\$4 == \"goroutine.txt\" && \$5 == \"ok\" { print \"gd/\" \$10 }" \
		gd/manifest.csv >dumps &&
	sites "$(head -n 1 dumps)" >first &&
	sites "$(tail -n 1 dumps)" >last &&
	join -t "	" -a 2 -e 0 -o 0,1.2,2.2 first last |
		awk -F "	" "{ printf \"%s\t%d\n\", \$1, \$3 - \$2 }" | sort >expect &&
	"$LEAKY" report --fail-on never --csv gd >g.csv &&
	awk -F, "\$3 == \"creator\" && \$(NF - 1) == \"main.leakyWorker\" {
		k = \$4; sub(/.* at /, \"\", k); printf \"%s\t%d\n\", k, \$12 }" \
		g.csv | sort >got &&
	test_line_count = 2 got &&
	test_cmp expect got
'

test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky plot: real images from gnuplot (PNG checked by its header, SVG by
# its root and the text it shows, the script by what it tells gnuplot to
# draw), from collect directories and from each kind of CSV, odd names in
# legends, leaky report's verdicts on the charts, and every way it refuses.
# The html page is t0555's.
test_description='leaky plot'
. "$(dirname "$0")/test-lib.sh"

R="$FIXTURES/report"
P="$FIXTURES/profiles"
ODD="$FIXTURES/plot/odd-heap.csv"
. "$TEST_DIRECTORY/cli/plot-lib.sh"

# png_check FILE W H: a PNG (8-byte signature, then IHDR) of W x H pixels.
png_check() {
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	if [ "$sig" != 89504e470d0a1a0a ]; then
		say "$1: not a PNG (starts $sig)" >&2
		return 1
	fi
	ihdr=$(od -An -c -j12 -N4 "$1" | tr -d ' \n')
	set -- "$1" "$2" "$3" $(od -An -tu1 -j16 -N8 "$1")
	w=$(( $4 * 16777216 + $5 * 65536 + $6 * 256 + $7 ))
	h=$(( $8 * 16777216 + $9 * 65536 + ${10} * 256 + ${11} ))
	if [ "$ihdr" != IHDR ] || [ "$w" != "$2" ] || [ "$h" != "$3" ]; then
		say "$1: $ihdr ${w}x$h, expected IHDR $2x$3" >&2
		return 1
	fi
}

# svg_check FILE W H: the root element is <svg width="W" height="H" ...>.
svg_check() {
	root=$(head -c 2000 "$1" | tr '\n' ' ' |
		sed -n 's/.*<svg *width="\([0-9]*\)" height="\([0-9]*\)".*/\1x\2/p')
	if [ "$root" != "$2x$3" ] || ! tail -c 10 "$1" | grep -q '</svg>'; then
		say "$1: root <svg> '$root', expected $2x$3 and a closing tag" >&2
		return 1
	fi
}

# svg_text FILE TEXT: TEXT (a fixed string, as SVG escapes it) is shown.
svg_text() {
	if ! grep -F -q "<text>$2</text>" "$1"; then
		say "no <text>$2</text> in $1; it shows:" >&2
		grep -o '<text>[^<]*</text>' "$1" | sort -u >&2
		return 1
	fi
}


test_expect_success 'gnuplot is installed (scripts/install-deps.sh)' '
	command -v gnuplot
'
# A chart is 1100x380 by default; the image adds 36 pixels for its title.
test_expect_success 'collect directory to PNG: a column of 3 charts' '
	leaky plot "$R/leak" -o leak.png 2>err &&
	test_line_count = 0 err &&
	png_check leak.png 1100 1176 &&
	no_leftovers
'
test_expect_success 'collect directory to SVG: the three charts and their lines' '
	leaky plot "$R/leak" -o leak.svg &&
	svg_check leak.svg 1100 1176 &&
	svg_text leak.svg "api: in-use heap by function (top 8 by growth)" &&
	svg_text leak.svg "api: goroutines by group (top 8 by growth)" &&
	svg_text leak.svg "api: RSS against the Go heap" &&
	svg_text leak.svg "in-use heap (MiB)" &&
	svg_text leak.svg "memory (MiB)" &&
	svg_text leak.svg "in-use heap (total)" &&
	svg_text leak.svg "all goroutines" &&
	grep -F -q "<text>RSS (leak +" leak.svg &&
	grep -F -q "<text>anonymous RSS (leak +" leak.svg &&
	svg_text leak.svg "Go heap in use (heap profile)" &&
	# MemStats come from heap?debug=1 dumps, which offheap keeps
	leaky plot "$R/offheap" -o offheap.svg &&
	svg_text offheap.svg "MemStats HeapInuse (spans in use)" &&
	svg_text leak.svg "time (UTC, 2026-11-22)" &&
	grep -F -q "<text>(other) " leak.svg
'
test_expect_success 'the leaking function is the first line after the total, with the report'"'"'s verdict' '
	grep -o "<text>[^<]*</text>" leak.svg | sed -n "/in-use heap (total)/{n;p;}" >first &&
	test_grep "^<text>main\.(\*cache)\.put (+[0-9.]* MiB; leak +[0-9.]* GiB/h)</text>$" first
'
test_expect_success 'leaky report'"'"'s verdicts are on the chart, as the report says them' '
	leaky report "$R/leak" >report.txt || test $? = 3 &&
	test_grep "^== api: leak$" report.txt &&
	test_grep "^     1\. main\.(\*cache)\.put " report.txt &&
	svg_text leak.svg "leaky plot: 1 target, 2026-11-22 01:50:37 to 01:50:50 UTC; leaky report: api leak" &&
	grep -F -q "<text>report on the heap: leak, +" leak.svg &&
	grep -F -q "<text>report on the goroutines: ok, +0/h</text>" leak.svg &&
	grep -F -q "<text>report on the RSS: leak, +" leak.svg &&
	# the leaking lines are marked where they end, and drawn bold
	leaky plot "$R/leak" --script leak.gp &&
	test_grep "^set label .leak. at .1795312250\.[0-9]*., [0-9.]* right " leak.gp &&
	grep "title .main\.(\*cache)\.put (" leak.gp >put &&
	test_grep " lw 4 " put
'
test_expect_success 'the goroutine groups the report names are marked; a heap where nothing grew' '
	leaky plot "$R/goroutine-leak" --script gl.gp &&
	test_grep "title .main\.leakyWorker \[chan receive\] (+[0-9]*; leak +[0-9]*/h). " gl.gp &&
	test_grep "title .in-use heap (total); no function grew. " gl.gp &&
	grep -c "\$leaky_0_0 index" gl.gp >n &&
	echo 1 >expect && test_cmp expect n
'
test_expect_success 'the script: legends outside on the right, a grid, panels lined up' '
	test_grep "^set key at screen 0\.[0-9]*, screen 0\.[0-9]* left top " leak.gp &&
	test_grep "^set grid xtics ytics" leak.gp &&
	grep "^set rmargin at screen" leak.gp | sort -u >rmargins &&
	test_line_count = 1 rmargins &&
	grep "^set lmargin at screen" leak.gp | sort -u >lmargins &&
	test_line_count = 1 lmargins &&
	# 13 s of snapshots: a tic every 2 s, not four for the whole span
	test_grep "^set xtics 2$" leak.gp
'
test_expect_success 'a "by growth" legend lists only what grew' '
	grep -o "title .[^'"'"']*. noenhanced" leak.gp >titles &&
	! grep -F "(+0)" titles &&
	! grep -F "(-" titles &&
	leaky plot "$R/oscillate" --script osc.gp &&
	grep -o "title .[^'"'"']*. noenhanced" osc.gp >titles &&
	! grep -F "(+0)" titles &&
	! grep -F "(-" titles
'
test_expect_success 'names in pprof'"'"'s short form; the CSV keeps the full one' '
	leaky heaper "$P"/leak_*.heap.pb.gz >full.csv &&
	grep -q ",compress/flate\.NewWriter," full.csv &&
	leaky plot full.csv --type alloc_space --top 30 --script short.gp &&
	test_grep "title .flate\.NewWriter (+" short.gp &&
	! grep "compress/flate" short.gp
'
test_expect_success '--top 30: the chart grows so that its legend is one column beside it' '
	n=$(grep -c " index [0-9]* using 1:2 " short.gp) &&
	test "$n" -gt 20 &&
	test_grep "^set key .* maxrows $((n + 1))$" short.gp &&
	h=$(sed -n "s/.*set terminal pngcairo size 1100,\([0-9]*\) .*/\1/p" short.gp) &&
	test "$h" -gt $((36 + 16 * n)) &&
	gnuplot short.gp >short.png &&
	png_check short.png 1100 "$h"
'
test_expect_success 'the gap between the heap profile and HeapInuse is explained' '
	leaky plot "$R/offheap" --script offheap.gp &&
	test_grep "^set label .HeapInuse - heap profile, last: [-+][0-9.]* [KMG]iB. " offheap.gp &&
	test_grep "the heap profile: objects live at the last GC" offheap.gp &&
	test_grep "title .MemStats HeapInuse (spans in use). " offheap.gp
'
test_expect_success 'two targets: a column each, by name' '
	leaky plot "$R/two-targets" -o two.png &&
	png_check two.png 2200 1176 &&
	leaky plot "$R/two-targets" -o two.svg &&
	svg_check two.svg 2200 1176 &&
	svg_text two.svg "leaky plot: 2 targets, 2026-11-22 01:52:16 to 01:52:29 UTC; leaky report: api leak, web ok" &&
	svg_text two.svg "api: in-use heap by function (top 8 by growth)" &&
	svg_text two.svg "web: in-use heap by function (top 8 by growth)" &&
	svg_text two.svg "web: RSS against the Go heap" &&
	grep -o "<text>[a-z]*: in-use heap by function" two.svg >order &&
	printf "<text>api: in-use heap by function\n<text>web: in-use heap by function\n" >expect &&
	test_cmp expect order
'
test_expect_success '--target draws one of them' '
	leaky plot "$R/two-targets" --target web -o web.png &&
	png_check web.png 1100 1176
'
test_expect_success 'a restart is marked' '
	leaky plot "$R/restart" -o restart.svg &&
	svg_text restart.svg "restart"
'
test_expect_success 'several directories: targets from each' '
	mkdir -p two/a two/b &&
	leaky plot "$R/leak" "$FIXTURES/goroutines" -o many.svg &&
	svg_text many.svg "api: in-use heap by function (top 8 by growth)" &&
	svg_text many.svg "goroutine-leak: goroutines by group (top 8 by growth)" &&
	svg_text many.svg "goroutine-leak: no heap profiles"
'
test_expect_success 'heaper CSV, --top 3: three growers and (other)' '
	leaky heaper "$P"/leak_*.heap.pb.gz >heap.csv &&
	leaky plot heap.csv --top 3 -o heap.svg &&
	svg_check heap.svg 1100 416 &&
	svg_text heap.svg "leak: in-use heap by function (top 3 by growth)" &&
	grep -F "<text>main.(*cache).put (+" heap.svg &&
	grep -F "<text>main.(*ingestLog).append (+" heap.svg &&
	grep -o "<text>[^<]*</text>" heap.svg | grep -c " (+" >n &&
	echo 3 >expect && test_cmp expect n &&
	n=$(awk -F, "NR > 1 && \$7 > 0 { print \$3 }" heap.csv | sort -u | wc -l) &&
	svg_text heap.svg "(other) $((n - 3)) more functions" &&
	# no report judges a CSV
	! grep -F "report on the" heap.svg
'
test_expect_success 'heaper CSV made with --top and --time unixms' '
	leaky heaper --top 2 --time unixms "$P"/leak_*.heap.pb.gz >top.csv &&
	leaky plot top.csv -o top.svg &&
	svg_text top.svg "(other)" &&
	svg_text top.svg "time (UTC, 2026-11-22)"
'
test_expect_success '--type picks another heaper column, with its unit' '
	leaky plot heap.csv --type inuse_objects -o objects.svg &&
	svg_text objects.svg "leak: in-use objects by function (top 8 by growth)" &&
	svg_text objects.svg "in-use objects"
'
test_expect_success 'goroutines CSV: groups with labels; --totals: by state' '
	leaky goroutines "$FIXTURES"/goroutines/goroutine-leak_*.goroutine.pb.gz >gor.csv &&
	leaky goroutines --totals "$FIXTURES"/goroutines/goroutine-leak_*.goroutine.txt >totals.csv &&
	leaky plot gor.csv -o gor.svg &&
	svg_text gor.svg "goroutine-leak: goroutines by group (top 8 by growth)" &&
	grep -F "<text>main.leakySelect {route=/upload} (+" gor.svg &&
	leaky plot totals.csv -o totals.svg &&
	svg_text totals.svg "goroutine-leak: goroutines by state (top 8 by growth)" &&
	grep -F "<text>chan receive (+" totals.svg
'
test_expect_success 'pmap CSV with the heaper CSV: RSS against the heap' '
	leaky pmap "$FIXTURES"/pmaps/leak_* >rss.csv &&
	leaky plot heap.csv rss.csv -o mem.png &&
	png_check mem.png 1100 796 &&
	leaky plot heap.csv rss.csv -o mem.svg &&
	svg_text mem.svg "leak: RSS against the Go heap" &&
	svg_text mem.svg "Go heap in use (heap profile)"
'
test_expect_success 'odd names reach the legend as they are' '
	leaky plot "$ODD" -o odd.svg &&
	svg_text odd.svg "api,eu: in-use heap by function (top 8 by growth)" &&
	svg_text odd.svg "main.(*Ωmega).wachsen (+5 MiB)" &&
	svg_text odd.svg "main.Map[...].Put (+1 MiB)" &&
	svg_text odd.svg "main.say\"hi\",there (+97.7 KiB)" &&
	svg_text odd.svg "main.it'"'"'s_x^2{y}@z&amp;&lt;b> (+19.5 KiB)" &&
	leaky plot "$ODD" -o odd.png &&
	png_check odd.png 1100 416
'
test_expect_success 'unicode and generics from real profiles' '
	leaky plot "$P" --target zoo -o zoo.svg &&
	grep -F "<text>main.größe (+" zoo.svg &&
	grep -F "<text>main.Pair[...].Index (+" zoo.svg
'
test_expect_success '--size is one chart; the image grows with charts and targets' '
	leaky plot "$R/two-targets" --size 640x300 -o small.png &&
	png_check small.png 1280 936
'
test_expect_success 'standard input and standard output (--format)' '
	leaky plot --format svg -o - - <heap.csv >out.svg &&
	svg_check out.svg 1100 416 &&
	leaky plot --format png -o - heap.csv >out.png &&
	png_check out.png 1100 416
'
test_expect_success '--script writes what gnuplot draws, data inline' '
	leaky plot "$ODD" --script odd.gp &&
	test_grep "^\$leaky_0_0 << EOD$" odd.gp &&
	test_grep "main.it'"''"'s_x^2" odd.gp &&
	gnuplot odd.gp >script.png &&
	png_check script.png 1100 416
'
test_expect_success 'an existing image is kept without --force, replaced with it' '
	echo keep >exists.png &&
	test_expect_code 1 leaky plot heap.csv -o exists.png 2>err &&
	test_grep "exists.png: already exists (use --force to replace it)" err &&
	echo keep >expect && test_cmp expect exists.png &&
	leaky plot heap.csv -o exists.png --force &&
	png_check exists.png 1100 416 &&
	no_leftovers
'
test_expect_success 'unknown extension, no -o, bad options: usage (2)' '
	test_expect_code 2 leaky plot heap.csv -o heap.jpg 2>err &&
	test_grep "cannot tell the image format of .heap.jpg.: name it .png, .svg or .html" err &&
	test_expect_code 2 leaky plot heap.csv 2>err &&
	test_grep "no image to write" err &&
	test_expect_code 2 leaky plot -o x.png 2>err &&
	test_expect_code 2 leaky plot heap.csv --top 0 -o x.png &&
	test_expect_code 2 leaky plot heap.csv --size 100x100 -o x.png &&
	test_expect_code 2 leaky plot heap.csv --format gif -o x.png &&
	test_expect_code 2 leaky plot "$R/leak" --type alloc_space -o x.png 2>err &&
	test_grep "snapshots give inuse_space only" err &&
	! ls x.png heap.jpg 2>/dev/null
'
test_expect_success 'bad CSV: named on stderr, nothing drawn, exit 1' '
	printf "time,target,function,inuse_space\n1795310064,a,\"f,1\n" >bad.csv &&
	test_expect_code 1 leaky plot bad.csv -o bad.png 2>err &&
	test_grep "^leaky plot: bad.csv: malformed CSV" err &&
	test_grep "nothing to plot" err &&
	printf "time,target,function,inuse_space\n1795310064,a,f,1\nnoon,a,f,2\n" >badtime.csv &&
	test_expect_code 1 leaky plot badtime.csv -o bad.png 2>err &&
	test_grep "^leaky plot: badtime.csv: row 3: bad time .noon.$" err &&
	printf "time,target,function,inuse_space\n1795310064,a,f,many\n" >badnum.csv &&
	test_expect_code 1 leaky plot badnum.csv -o bad.png 2>err &&
	test_grep "^leaky plot: badnum.csv: row 2: bad number .many.$" err &&
	! test -e bad.png && no_leftovers
'
test_expect_success 'a bad file among good ones: drawn from the rest, exit 1' '
	test_expect_code 1 leaky plot bad.csv heap.csv -o some.png 2>err &&
	test_grep "bad.csv" err &&
	png_check some.png 1100 416
'
test_expect_success 'unknown or unsupported CSV headers' '
	printf "time,target,whatever\n1,a,b\n" >unknown.csv &&
	test_expect_code 1 leaky plot unknown.csv -o x.png 2>err &&
	test_grep "unknown.csv: not a CSV of leaky heaper (long layout), goroutines or pmap: header .time,target,whatever.$" err &&
	leaky heaper --top 2 --wide inuse_space "$P"/leak_*.heap.pb.gz >wide.csv &&
	test_expect_code 1 leaky plot wide.csv -o x.png 2>err &&
	test_grep "wide.csv: not a CSV of leaky heaper" err &&
	leaky pmap --mappings "$FIXTURES"/pmaps/leak_*.pmap >maps.csv &&
	test_expect_code 1 leaky plot maps.csv -o x.png 2>err &&
	test_grep "maps.csv: a per-mapping CSV" err &&
	leaky heaper "$P"/leak_*.heap.pb.gz >h.csv &&
	test_expect_code 1 leaky plot h.csv --type cpu -o x.png 2>err &&
	test_grep "h.csv: no .cpu. column" err &&
	! test -e x.png
'
test_expect_success 'an empty directory, an empty file, a missing target' '
	mkdir empty &&
	test_expect_code 1 leaky plot empty -o x.png 2>err &&
	test_grep "^leaky plot: empty: no snapshot files" err &&
	: >empty.csv &&
	test_expect_code 1 leaky plot empty.csv -o x.png 2>err &&
	test_grep "^leaky plot: empty.csv: empty file$" err &&
	test_expect_code 1 leaky plot heap.csv --target nope -o x.png 2>err &&
	test_grep "no target .nope. in the input" err &&
	test_expect_code 1 leaky plot does-not-exist -o x.png 2>err &&
	test_grep "does-not-exist" err &&
	! test -e x.png && no_leftovers
'
test_expect_success 'gnuplot missing: said so, exit 1' '
	test_expect_code 1 env PATH=/nonexistent "$LEAKY" plot heap.csv -o x.png 2>err &&
	echo "leaky plot: gnuplot not found: apt-get install gnuplot-nox" >expect &&
	test_cmp expect err &&
	! test -e x.png
'
test_expect_success 'gnuplot failing: its words passed on, no image, exit 1' '
	mkdir bin &&
	printf "#!/bin/sh\necho \"\\\"\$1\\\" line 7: unknown terminal\" >&2\nprintf junk\nexit 1\n" >bin/gnuplot &&
	chmod +x bin/gnuplot &&
	test_expect_code 1 env PATH="$PWD/bin:$PATH" "$LEAKY" plot heap.csv -o x.png 2>err &&
	test_grep "^leaky plot: gnuplot failed (exit 1)" err &&
	test_grep "^leaky plot: gnuplot: .*line 7: unknown terminal$" err &&
	! test -e x.png && no_leftovers
'
test_expect_success 'help' '
	leaky plot --help >out &&
	test_grep "^usage: leaky plot" out &&
	test_grep "gnuplot-nox" out
'

test_done

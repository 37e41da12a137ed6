#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# leaky plot -o FILE.html: one self-contained page, loaded from file:// in
# a real headless browser (Debian's chromium), which must draw every chart
# without an error, show the values under the mouse, zoom, pan and unzoom.
test_description='leaky plot: the interactive html page'
. "$(dirname "$0")/test-lib.sh"

R="$FIXTURES/report"
. "$TEST_DIRECTORY/cli/plot-lib.sh"

# browse URL: the page as the browser holds it once loaded (dom), what
# its console said (console). No network: every host name fails, and the
# browser's own background traffic is off.
browse() {
	rm -f dom console
	mkdir -p "$TRASH/chromium-tmp"
	env TMPDIR="$TRASH/chromium-tmp" HOME="$TRASH" \
		timeout "$(slow 90)" chromium --headless --no-sandbox \
		--disable-gpu --no-first-run --user-data-dir="$TRASH/chromium" \
		--disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --disable-default-apps \
		--host-resolver-rules='MAP * ~NOTFOUND' \
		--enable-logging=stderr --v=0 --virtual-time-budget=10000 \
		--dump-dom "$1" >dom 2>console
}

# body: the page's <body ...> tag as the browser left it.
body() {
	grep -o '<body[^>]*>' dom
}

# no_errors: the page raised nothing, the console reported no error.
no_errors() {
	if body | grep -q 'data-leaky-errors' ||
	   grep 'CONSOLE' console | grep -q 'Uncaught\|"[A-Za-z]*Error'; then
		say "the page reported errors:" >&2
		body >&2
		grep 'CONSOLE' console >&2
		return 1
	fi
}


test_expect_success 'a collect directory to one html page' '
	leaky plot "$R/leak" -o leak.html 2>err &&
	test_line_count = 0 err &&
	head -1 leak.html >first &&
	echo "<!DOCTYPE html>" >expect &&
	test_cmp expect first &&
	grep -c "<canvas id=\"leaky_" leak.html >n &&
	echo 3 >expect && test_cmp expect n &&
	test_grep "<h2>api <span class=\"verdict v3\">leaky report: leak</span></h2>" leak.html &&
	no_leftovers
'
test_expect_success 'the page is self-contained: gnuplot'"'"'s scripts inline, nothing fetched' '
	! grep -i -E "<(script|img)[^>]* src=|<link[^>]* href=" leak.html &&
	! grep -F "/usr/share/gnuplot" leak.html &&
	grep -q "gnuplot.mouse_update = function" leak.html
'
test_expect_success '--script cannot make a page: usage (2)' '
	test_expect_code 2 leaky plot "$R/leak" --format html --script x.gp 2>err &&
	test_grep "give -o FILE.html" err &&
	! test -e x.gp
'

test_expect_success 'gnuplot'"'"'s canvas scripts missing: said so, no page, exit 1' '
	real=$(command -v gnuplot) &&
	mkdir bin &&
	printf "#!/bin/sh\n\"%s\" \"\$@\" || exit\nsed -i \"s|src=\\\\\"[^\\\\\"]*/gnuplot_common.js|src=\\\\\"/nonexistent/js/gnuplot_common.js|\" %s\n" \
		"$real" probe.html >bin/gnuplot &&
	chmod +x bin/gnuplot &&
	test_expect_code 1 env PATH="$PWD/bin:$PATH" "$LEAKY" plot "$R/leak" -o gone.html 2>err &&
	test_grep "^leaky plot: /nonexistent/js/canvasmath.js: " err &&
	test_grep "apt-get install gnuplot-data" err &&
	! test -e gone.html && no_leftovers
'


if ! command -v chromium >/dev/null; then
	for t in 'the browser draws every chart, without an error' \
		 'values under the mouse, zoom, pan and unzoom' \
		 'text in the browser'"'"'s own fonts: main.größe, whose ß gnuplot'"'"'s stroke font lacks' \
		 'two targets, odd names: drawn, and no name ends the script'; do
		test_skip "$t" 'no chromium (scripts/install-deps.sh installs it)'
	done
	test_done
fi

test_expect_success 'the browser draws every chart, without an error' '
	browse "file://$PWD/leak.html" &&
	body >tag &&
	test_grep "data-leaky-panels=\"3\"" tag &&
	test_grep "data-leaky-drawn=\"3\"" tag &&
	test_grep "data-leaky-inked=\"3\"" tag &&
	no_errors
'
test_expect_success 'values under the mouse, zoom, pan and unzoom' '
	browse "file://$PWD/leak.html#leaky-selftest" &&
	body >tag &&
	test_grep "data-leaky-selftest=\"time [A-Z][a-z][a-z], 22 Nov 2026 01:50:[0-9][0-9] GMT; value [0-9.]*; zoomed; panned; inked; unzoomed\"" tag &&
	no_errors
'
test_expect_success 'text in the browser'"'"'s own fonts: main.größe, whose ß gnuplot'"'"'s stroke font lacks' '
	leaky plot "$FIXTURES/profiles" --target zoo -o zoo.html &&
	grep -q "main\.größe" zoo.html &&
	grep -q "ctx.fillText(text, x, y)" zoo.html &&
	browse "file://$PWD/zoo.html" &&
	body >tag &&
	test_grep "data-leaky-inked=\"1\"" tag &&
	no_errors
'
test_expect_success 'two targets, odd names: drawn, and no name ends the script' '
	leaky plot "$R/two-targets" -o two.html &&
	browse "file://$PWD/two.html" &&
	body >tag &&
	test_grep "data-leaky-drawn=\"6\"" tag &&
	test_grep "data-leaky-inked=\"6\"" tag &&
	no_errors &&
	printf "time,target,function,inuse_space\n" >odd.csv &&
	printf "1795310064,\"a</script><b>\",\"x.</script><script>alert(1)</script>\",1\n" >>odd.csv &&
	printf "1795310065,\"a</script><b>\",\"x.</script><script>alert(1)</script>\",2\n" >>odd.csv &&
	leaky plot odd.csv -o odd.html &&
	! grep -F "</script><script>alert" odd.html &&
	test_grep "<h2>a&lt;/script&gt;&lt;b&gt;</h2>" odd.html &&
	browse "file://$PWD/odd.html" &&
	body >tag &&
	test_grep "data-leaky-drawn=\"1\"" tag &&
	no_errors
'
test_done

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The output directory as someone else may have prepared it: symbolic links
# planted for the lock, the manifest or a kind directory (before the run or
# swapped in during it) are refused, never written through; a directory of
# another user, or one others may write to without the sticky bit, is
# refused. The output path itself may be the user's own link.
test_description='leaky collect: links and owners in the output directory'
. "$(dirname "$0")/test-lib.sh"
. "$FIXTURES/collect/servers.sh"

need_faultsrv || exit 1
start_faultsrv f || exit 1
A=$(sed -n 1p f.addr)

# once DIR: one round of one heap fetch into DIR, stderr in err.
once() {
	collect -o "$1" -n 1 -p heap -t ok=http://$A/ok 2>err
}

echo precious >victim
cp victim victim.orig

test_expect_success 'a lock planted as a link: exit 1, the victim untouched' '
	mkdir lk &&
	ln -s ../victim lk/.leaky-collect.lock &&
	test_expect_code 1 once lk &&
	test_grep "^leaky collect: lk/.leaky-collect.lock: is a symbolic link, refusing to follow it$" err &&
	test_line_count = 1 err &&
	test_cmp victim.orig victim &&
	! test -e lk/manifest.csv
'

test_expect_success 'a manifest planted as a link: exit 1, nothing made or written' '
	mkdir mf &&
	ln -s ../made mf/manifest.csv &&
	test_expect_code 1 once mf &&
	test_grep "^leaky collect: mf/manifest.csv: is a symbolic link, refusing to follow it$" err &&
	! test -e made &&
	rm mf/manifest.csv &&
	ln -s ../victim mf/manifest.csv &&
	test_expect_code 1 once mf &&
	test_grep "^leaky collect: mf/manifest.csv: is a symbolic link, refusing to follow it$" err &&
	test_cmp victim.orig victim
'

test_expect_success 'a kind directory planted as a link: exit 1, nothing there' '
	mkdir kd outside &&
	ln -s ../outside kd/profiles &&
	test_expect_code 1 once kd &&
	test_grep "^leaky collect: kd/profiles: is a symbolic link, refusing to follow it$" err &&
	test "$(ls -A outside | wc -l)" = 0
'

test_expect_success 'a manifest with another name (a hard link): exit 1' '
	mkdir hl &&
	once hl &&
	ln hl/manifest.csv other-name &&
	test_expect_code 1 once hl &&
	test_grep "^leaky collect: hl/manifest.csv: has 2 names (hard links); refusing to write to it$" err
'

test_expect_success 'the output path a link of the user: followed' '
	mkdir real &&
	ln -s real mine &&
	once mine &&
	test "$(count_rows real heap ok ok)" = 1 &&
	manifest_matches real
'

test_expect_success 'a directory writable by others: refused unless sticky' '
	mkdir ww gw st &&
	chmod 0777 ww && chmod 0775 gw && chmod 1777 st &&
	test_expect_code 1 once ww &&
	test_grep "^leaky collect: ww: writable by every user (mode 0777) without the sticky bit; refusing to write in it (chmod go-w fixes it)$" err &&
	test_expect_code 1 once gw &&
	test_grep "^leaky collect: gw: writable by its group (mode 0775) without the sticky bit" err &&
	test -z "$(ls -A ww)" && test -z "$(ls -A gw)" &&
	once st &&
	test "$(count_rows st heap ok ok)" = 1
'

test_expect_success 'a kind directory writable by others: refused' '
	mkdir -p kw/pmaps && chmod 0777 kw/pmaps &&
	test_expect_code 1 once kw &&
	test_grep "^leaky collect: kw/pmaps: writable by every user (mode 0777)" err
'

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	NOBODY=$(id -u nobody)
	test_expect_success 'a directory of another user: refused, even to root' '
		mkdir theirs &&
		chown nobody theirs &&
		test_expect_code 1 once theirs &&
		test_grep "^leaky collect: theirs: owned by uid $NOBODY, not by this user (uid 0); refusing to write in it$" err &&
		test "$(ls -A theirs | wc -l)" = 0
	'
	test_expect_success 'a lock of another user: refused, left as it is' '
		mkdir ol &&
		echo theirs >ol/.leaky-collect.lock &&
		chown nobody ol/.leaky-collect.lock &&
		test_expect_code 1 once ol &&
		test_grep "^leaky collect: ol/.leaky-collect.lock: owned by uid $NOBODY, not by this user (uid 0); refusing to write to it$" err &&
		test "$(cat ol/.leaky-collect.lock)" = theirs
	'
	test_expect_success 'the output path a link of another user: refused' '
		mkdir real2 &&
		ln -s real2 link2 &&
		chown -h nobody link2 &&
		test_expect_code 1 once link2 &&
		test_grep "^leaky collect: link2: is a symbolic link owned by uid $NOBODY, refusing to follow it$" err &&
		test "$(ls -A real2 | wc -l)" = 0
	'
else
	test_skip 'a directory of another user: refused, even to root' \
		'needs root and a user nobody'
	test_skip 'a lock of another user: refused, left as it is' \
		'needs root and a user nobody'
	test_skip 'the output path a link of another user: refused' \
		'needs root and a user nobody'
fi

# swap_in DIR NAME TARGET: while the collector $c is stopped (so that it
# cannot make NAME again in between), NAME in DIR becomes a link to
# TARGET; the original is kept as NAME.saved.
swap_in() {
	kill -STOP $c &&
	mv "$1/$2" "$1/$2.saved" &&
	ln -s "$3" "$1/$2" &&
	kill -CONT $c
}

# swap_back DIR NAME: the original back in place of the link.
swap_back() {
	kill -STOP $c &&
	rm "$1/$2" &&
	mv "$1/$2.saved" "$1/$2" &&
	kill -CONT $c
}

test_expect_success 'a kind directory swapped for a link mid-run: errors, then recovery' '
	mkdir outside2 &&
	"$LEAKY" collect -o sk -i 200ms -n 100 --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows sk 2 heap ok ok &&
	swap_in sk profiles ../outside2 &&
	wait_until 10 has_rows sk 2 heap failed ok &&
	swap_back sk profiles &&
	n=$(count_rows sk heap ok ok) &&
	wait_until 10 has_rows sk $((n + 1)) heap ok ok &&
	kill -TERM $c &&
	wait $c &&
	test "$(ls -A outside2 | wc -l)" = 0 &&
	test_grep "^leaky collect: ok: heap: cannot save: sk/profiles: is a symbolic link, refusing to follow it$" err &&
	test_grep ",failed,.*cannot save: sk/profiles: is a symbolic link, refusing to follow it" sk/manifest.csv &&
	manifest_matches sk
'

test_expect_success 'the lock swapped for a link mid-run: nothing written through it' '
	echo precious >victim2 &&
	cp victim2 victim2.orig &&
	"$LEAKY" collect -o sl -i 200ms -n 20 --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows sl 1 heap ok ok &&
	swap_in sl .leaky-collect.lock ../victim2 &&
	test_expect_code 1 wait $c &&
	test_cmp victim2.orig victim2 &&
	test_grep "cannot write the manifest: sl/.leaky-collect.lock: is a symbolic link, refusing to follow it" err &&
	test_grep "could not be written at the end" err &&
	manifest_matches sl
'

test_expect_success 'the manifest swapped for a link mid-run: nothing written through it' '
	# (empty: an old collector took it for a new manifest)
	: >victim3 &&
	cp victim3 victim3.orig &&
	"$LEAKY" collect -o sm -i 200ms -n 20 --no-spread -p heap \
		-t ok=http://$A/ok 2>err &
	c=$! &&
	wait_until 10 has_rows sm 1 heap ok ok &&
	swap_in sm manifest.csv ../victim3 &&
	test_expect_code 1 wait $c &&
	test_cmp victim3.orig victim3 &&
	test_grep "cannot write the manifest: sm/manifest.csv: is a symbolic link, refusing to follow it" err &&
	rm sm/manifest.csv && mv sm/manifest.csv.saved sm/manifest.csv &&
	manifest_matches sm
'

test_done

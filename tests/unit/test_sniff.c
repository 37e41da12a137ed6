/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the one table of formats, on real first bytes and near-misses. */
#include "unit.h"

#include "base/buf.h"
#include "base/leaky.h"
#include "decode/gunzip.h"
#include "decode/sniff.h"

static enum sniff_kind sniff_fixture(const char *rel)
{
	struct buf b;
	enum sniff_kind k;

	buf_init(&b);
	assert_int_equal(buf_read_file(&b, unit_fixture(rel), 1 << 26, NULL),
			 0);
	k = sniff(b.data, b.len);
	buf_release(&b);
	return k;
}

static enum sniff_kind s(const char *text)
{
	return sniff(text, strlen(text));
}

/* Each format's real first bytes, as a Go runtime, pmap or /proc wrote. */
static void fixtures(void **state)
{
	static const struct {
		const char *rel;
		enum sniff_kind kind;
	} cases[] = {
		{ "profiles/leak_1795310064.heap.pb.gz", SNIFF_GZIP },
		{ "profiles/leak_1795310064.heap.txt", SNIFF_HEAP_TEXT },
		{ "goroutines/zoo_1795310082.goroutine1.txt",
		  SNIFF_GOROUTINE1 },
		{ "goroutines/zoo_1795310082.goroutine.txt",
		  SNIFF_GOROUTINE2 },
		{ "bad/trunc-firstline.goroutine.txt", SNIFF_GOROUTINE2 },
		{ "bad/page.html", SNIFF_HTML },
		{ "pmap-bad/page.html", SNIFF_HTML },
		{ "plot/odd-heap.csv", SNIFF_CSV },
		{ "pmap-bad/binary.pmap", SNIFF_BINARY },
		{ "pmaps/leak_1795310063.pmap", SNIFF_PMAP },
		{ "pmaps/leak_1795310063.pmap0", SNIFF_PMAP },
		{ "pmaps/leak_1795310063.smaps_rollup", SNIFF_SMAPS_ROLLUP },
		{ "pmap-bad/maps.smaps", SNIFF_SMAPS },
		{ "pmaps/leak_1795310063.status", SNIFF_STATUS },
		{ "fds/lab_1796494884.fds", SNIFF_FDS },
		{ "fds/garbage.fds", SNIFF_FDS },
		{ "pmap-bad/junk.pmap", SNIFF_TEXT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].rel);
		assert_int_equal(sniff_fixture(cases[i].rel), cases[i].kind);
	}
}

/* A real profile.proto, gunzipped: binary, though it has no magic. */
static void raw_pprof(void **state)
{
	struct buf z, raw;

	(void)state;
	buf_init(&z);
	buf_init(&raw);
	assert_int_equal(buf_read_file(&z, unit_fixture("profiles/"
			 "leak_1795310064.heap.pb.gz"), 1 << 26, NULL), 0);
	assert_int_equal(gunzip("t", z.data, z.len, &raw, 1 << 26), 0);
	assert_int_equal(sniff(raw.data, raw.len), SNIFF_BINARY);
	assert_false(sniff_is_text(raw.data, raw.len, SNIFF_HEAD));
	buf_release(&z);
	buf_release(&raw);
}

static void go_pages(void **state)
{
	(void)state;
	assert_int_equal(s(""), SNIFF_EMPTY);
	assert_int_equal(s("HEAP PROFILE: 1: 2 [3: 4] @ heap/1\n"),
			 SNIFF_HEAP_TEXT);
	assert_int_equal(s(" heap profile: 1: 2\n"), SNIFF_TEXT);
	assert_int_equal(s("Goroutine profile: total 1\n"), SNIFF_TEXT);
	assert_int_equal(s("goroutine 1 gp=0xc000 m=0 mp=0x1 [running]:\n"),
			 SNIFF_GOROUTINE2);
	assert_int_equal(s("goroutine 1 [running]:\r\nmain.main()\n"),
			 SNIFF_GOROUTINE2);
	/* Cut inside the first header: still a debug=2 dump. */
	assert_int_equal(s("goroutine 7 [chan"), SNIFF_GOROUTINE2);
	/* That header whole but without its ':' is not one. */
	assert_int_equal(s("goroutine 7 [chan\nmain.f()\n"), SNIFF_TEXT);
	assert_int_equal(s("goroutine x [running]:\n"), SNIFF_TEXT);
	assert_int_equal(s("--- mutex:\ncycles/second=1\n"), SNIFF_MUTEX);
	assert_int_equal(s("--- contention:\n"), SNIFF_CONTENTION);
	assert_int_equal(s("threadcreate profile: total 9\n"),
			 SNIFF_THREADCREATE);
	assert_string_equal(sniff_name(SNIFF_MUTEX),
			    "a mutex profile in text");
	assert_string_equal(sniff_name(SNIFF_GZIP), "gzip data");
	assert_string_equal(sniff_name(SNIFF_BINARY), "binary data");
	assert_string_equal(sniff_name(SNIFF_HTML), "an HTML page");
}

static void text_and_binary(void **state)
{
	char head[SNIFF_HEAD + 8];

	(void)state;
	assert_int_equal(sniff("\x1f\x8b", 2), SNIFF_GZIP);
	assert_int_equal(sniff("\x1f", 1), SNIFF_BINARY);
	assert_int_equal(sniff("\x0a\x04\x08\x01\x10\x02", 6), SNIFF_BINARY);
	assert_int_equal(s("a\tb\r\nc\n"), SNIFF_TEXT);
	assert_int_equal(s("a\fb\n"), SNIFF_BINARY);
	/* A header names a text even when binary follows it. */
	assert_int_equal(sniff("time,x\n\x01", 8), SNIFF_CSV);
	assert_int_equal(s("Time,x\n"), SNIFF_TEXT);
	/* The text test looks at SNIFF_HEAD bytes only. */
	memset(head, 'x', sizeof(head));
	head[SNIFF_HEAD] = '\0';
	assert_int_equal(sniff(head, sizeof(head)), SNIFF_TEXT);
	assert_true(sniff_is_text(head, sizeof(head), SNIFF_HEAD));
	assert_false(sniff_is_text(head, sizeof(head), SNIFF_HEAD + 1));
}

static void html(void **state)
{
	(void)state;
	assert_int_equal(s("<html><body>502</body></html>"), SNIFF_HTML);
	assert_int_equal(s("<!doctype html>"), SNIFF_HTML);
	assert_int_equal(s("\r\n \t<HtMl>"), SNIFF_HTML);
	assert_int_equal(s("<head><title>x</title>"), SNIFF_HTML);
	assert_int_equal(s("\xef\xbb\xbf\n<?xml version=\"1.0\"?>"), SNIFF_HTML);
	assert_int_equal(s("\n\n"), SNIFF_TEXT);
	assert_int_equal(s("x <html>"), SNIFF_TEXT);
}

static void procmem(void **state)
{
	(void)state;
	assert_int_equal(s("\n  \n1234:   /bin/app\n"), SNIFF_PMAP);
	assert_int_equal(s("1234:\n"), SNIFF_PMAP);
	assert_int_equal(s("1234:x\n"), SNIFF_TEXT);
	assert_int_equal(s(" 1234: app\n"), SNIFF_TEXT);
	assert_int_equal(s("1234567890123456789: app\n"), SNIFF_TEXT);
	assert_int_equal(s("7f00-7f01 r--p 0 00:00 0  [rollup]  \n"),
			 SNIFF_SMAPS_ROLLUP);
	assert_int_equal(s("7f00-7f01 r--p 0 00:00 0 /bin/app\n"),
			 SNIFF_SMAPS);
	assert_int_equal(s("7f00-7g01 r--p\n"), SNIFF_TEXT);
	assert_int_equal(s(" 7f00-7f01 r--p\n"), SNIFF_TEXT);
	assert_int_equal(s("00000000000000000-1 r--p\n"), SNIFF_TEXT);
	assert_int_equal(s("Name:\tapp\nUmask:\t0022\n"), SNIFF_STATUS);
	assert_int_equal(s("Name :\tapp\n"), SNIFF_TEXT);
	assert_int_equal(s("\n\n\t\n"), SNIFF_TEXT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures),
		cmocka_unit_test(raw_pprof),
		cmocka_unit_test(go_pages),
		cmocka_unit_test(text_and_binary),
		cmocka_unit_test(html),
		cmocka_unit_test(procmem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

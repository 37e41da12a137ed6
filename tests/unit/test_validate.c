/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the checks of fetched bodies. */
#include "unit.h"

#include "base/buf.h"
#include "collect/collect.h"
#include "collect/validate.h"

#define S ((int64_t)1000000000)

/* The repository root, from this file's path, for fixtures. */
static char *fixture(const char *rel)
{
	static char path[4096];
	const char *f = __FILE__, *cut = strstr(f, "tests/unit/");
	int n = cut ? (int)(cut - f) : 0;

	snprintf(path, sizeof(path), "%.*stests/fixtures/%s", n, f, rel);
	return path;
}

static void read_fixture(struct buf *b, const char *rel)
{
	buf_init(b);
	assert_int_equal(buf_read_file(b, fixture(rel), 1 << 26, NULL), 0);
}

/* collect_validate() on bytes of kind k: the reason, or "" when kept. */
static const char *check(enum collect_kind k, long status, const void *data,
			 size_t len)
{
	static char err[COLLECT_ERR];
	struct collect_body_info info;

	if (collect_validate(k, status, data, len, 1 << 20, &info, err) == 0)
		return "";
	return err;
}

#define TXT(s) s, sizeof(s) - 1

static void validation_failures(void **state)
{
	static const uint8_t junk[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff,
					'x', 'y' };
	static const uint8_t bin[] = { 0x0a, 0x00, 0x01, 0x02 };

	(void)state;
	assert_string_equal(check(CK_HEAP, 404, TXT("404 page not found\n")),
			    "HTTP 404: 404 page not found");
	assert_string_equal(check(CK_HEAP, 500, "", 0), "HTTP 500");
	assert_string_equal(check(CK_HEAP, 502, TXT("<html><body>Bad gateway"
						    "</body></html>")),
			    "HTTP 502 (an HTML page)");
	assert_string_equal(check(CK_HEAP, 200, "", 0), "empty body");
	assert_string_equal(check(CK_GOROUTINE, 200,
				  TXT("\n  <!DOCTYPE html>\n<html>")),
			    "an HTML page, not a goroutine profile: "
			    "\"<!DOCTYPE html>\"");
	assert_string_equal(check(CK_HEAP, 200, TXT("profiling disabled\r\n")),
			    "text, not a gzipped profile: "
			    "\"profiling disabled\"");
	assert_string_equal(check(CK_HEAP, 200, bin, sizeof(bin)),
			    "not a gzipped profile (no gzip magic)");
	assert_non_null(strstr(check(CK_HEAP, 200, junk, sizeof(junk)),
			       "gzip stream"));
	assert_string_equal(check(CK_HEAP_TEXT, 200, TXT("hello\n")),
			    "not a heap?debug=1 dump: \"hello\"");
	assert_string_equal(check(CK_GOROUTINE_TEXT, 200,
				  TXT("goroutine profile: total 1\n")),
			    "not a goroutine?debug=2 dump: "
			    "\"goroutine profile: total 1\"");
	assert_non_null(strstr(check(CK_SMAPS_ROLLUP, 0, TXT("nothing\n")),
			       "not pmap output, smaps"));
	/* pmap on a vanished process, and on another user's. */
	assert_string_equal(check(CK_PMAP, 0, "", 0),
			    "pmap printed nothing: the process is gone");
	assert_string_equal(check(CK_PMAP, 0, TXT("1:   /sbin/init\n")),
			    "pmap printed no mappings: the process is gone "
			    "or not readable (another user's?)");
	assert_non_null(strstr(check(CK_PMAP, 0, TXT("1:   /sbin/init\n"
		"Address           Kbytes     RSS   Dirty Mode  Mapping\n")),
			       "no mappings"));
	/* A long first line is cut. */
	assert_true(strlen(check(CK_HEAP, 503, TXT(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"\n"))) < 100);
}

static void validation_real(void **state)
{
	struct collect_body_info info;
	char err[COLLECT_ERR];
	struct buf b;

	(void)state;
	read_fixture(&b, "profiles/leak_1795310064.heap.pb.gz");
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_true(info.has_time);
	assert_true(info.time_nanos > 1700000000 * S);
	assert_true(info.has_alloc);
	assert_true(info.alloc_total > 0);
	/* A heap profile where a goroutine profile was wanted. */
	assert_int_equal(collect_validate(CK_GOROUTINE, 200, b.data, b.len,
					  1 << 24, &info, err), -1);
	assert_string_equal(err, "not a goroutine profile (sample types "
			    "alloc_objects,alloc_space,inuse_objects,"
			    "inuse_space)");
	/* The inflated size cap holds. */
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 100,
					  &info, err), -1);
	assert_non_null(strstr(err, "exceeds the limit of 100 bytes"));
	buf_release(&b);

	read_fixture(&b, "profiles/leak_1795310064.heap.txt");
	assert_int_equal(collect_validate(CK_HEAP_TEXT, 200, b.data, b.len,
					  1 << 24, &info, err), 0);
	assert_true(info.has_alloc);
	/* A truncated text dump is refused with its line. */
	b.len = b.len / 2;
	if (collect_validate(CK_HEAP_TEXT, 200, b.data, b.len, 1 << 24, &info,
			     err) < 0)
		assert_non_null(strstr(err, "line "));
	buf_release(&b);

	read_fixture(&b, "goroutines/zoo_1795310082.goroutine.txt");
	assert_int_equal(collect_validate(CK_GOROUTINE_TEXT, 200, b.data,
					  b.len, 1 << 24, &info, err), 0);
	buf_release(&b);
	read_fixture(&b, "goroutines/zoo_1795310082.goroutine.pb.gz");
	assert_int_equal(collect_validate(CK_GOROUTINE, 200, b.data, b.len,
					  1 << 24, &info, err), 0);
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 1 << 24,
					  &info, err), -1);
	assert_string_equal(err, "not a heap profile (sample types goroutine)");
	buf_release(&b);

	read_fixture(&b, "pmaps/leak_1795310063.pmap");
	assert_int_equal(collect_validate(CK_PMAP, 0, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_true(info.pid > 0);
	assert_int_equal(collect_validate(CK_SMAPS_ROLLUP, 0, b.data, b.len,
					  1 << 24, &info, err), -1);
	assert_string_equal(err, "pmap -x output, not smaps_rollup");
	buf_release(&b);
	read_fixture(&b, "pmaps/leak_1795310063.smaps_rollup");
	assert_int_equal(collect_validate(CK_SMAPS_ROLLUP, 0, b.data, b.len,
					  1 << 24, &info, err), 0);
	buf_release(&b);
	read_fixture(&b, "pmaps/leak_1795310063.status");
	assert_int_equal(collect_validate(CK_STATUS, 0, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_int_equal(collect_validate(CK_FDS, 0, b.data, b.len, 1 << 24,
					  &info, err), -1);
	assert_string_equal(err, "not a leaky fds list (no '# leaky fds:' "
			    "line first)");
	buf_release(&b);
	read_fixture(&b, "fds/lab_1796494884.fds");
	assert_int_equal(collect_validate(CK_FDS, 0, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_int_equal(info.pid, 24021);
	assert_int_equal(collect_validate(CK_STATUS, 0, b.data, b.len, 1 << 24,
					  &info, err), -1);
	assert_string_equal(err, "a leaky fds list, not a process memory map");
	buf_release(&b);
	read_fixture(&b, "fds/truncated.fds");
	assert_int_equal(collect_validate(CK_FDS, 0, b.data, b.len, 1 << 24,
					  &info, err), -1);
	assert_string_equal(err, "truncated fds list: 2 of the 3 descriptors "
			    "listed (cut at line 3)");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validation_failures),
		cmocka_unit_test(validation_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

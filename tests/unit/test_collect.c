/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: collect's kinds: names, lists, their URLs and file names. */
#include "unit.h"

#include "collect/collect.h"
#include "collect/settings.h"
#include "collect/url.h"

static void kinds(void **state)
{
	char err[COLLECT_ERR];
	unsigned m;

	(void)state;
	assert_int_equal(collect_parse_kinds("heap,goroutine.txt", ',', &m,
					     err), 0);
	assert_int_equal(m, CK_BIT(CK_HEAP) | CK_BIT(CK_GOROUTINE_TEXT));
	assert_int_equal(collect_parse_kinds("default", ',', &m, err), 0);
	assert_int_equal(m, CK_DEFAULT);
	assert_int_equal(collect_parse_kinds("memory+status", '+', &m, err), 0);
	assert_int_equal(m, CK_MEMORY);
	assert_true(m & CK_BIT(CK_FDS));
	assert_true(CK_DEFAULT & CK_BIT(CK_FDS));
	assert_int_equal(collect_parse_kinds("fds", ',', &m, err), 0);
	assert_int_equal(m, CK_BIT(CK_FDS));
	assert_int_equal(collect_parse_kinds("all", ',', &m, err), 0);
	assert_int_equal(m, (1u << CK_NKINDS) - 1);
	assert_int_equal(collect_parse_kinds("heap,,x", ',', &m, err), -1);
	assert_non_null(strstr(err, "empty profile name"));
	assert_int_equal(collect_parse_kinds("heap.pb.gz", ',', &m, err), -1);
	assert_non_null(strstr(err, "unknown profile 'heap.pb.gz'"));
}

static void kind_urls_and_names(void **state)
{
	struct collect_target t;
	char err[COLLECT_ERR], *s;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(collect_set_url(&t, "http://h:1/p", err), 0);
	s = collect_kind_url(&t, CK_HEAP);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap");
	free(s);
	t.gc = 1;
	t.seconds = 30;
	s = collect_kind_url(&t, CK_HEAP);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap?gc=1&seconds=30");
	free(s);
	s = collect_kind_url(&t, CK_HEAP_TEXT);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap?debug=1&gc=1");
	free(s);
	/* debug=2 and seconds do not mix; goroutines take no gc. */
	s = collect_kind_url(&t, CK_GOROUTINE_TEXT);
	assert_string_equal(s, "http://h:1/p/debug/pprof/goroutine?debug=2");
	free(s);
	s = collect_kind_url(&t, CK_GOROUTINE);
	assert_string_equal(s, "http://h:1/p/debug/pprof/goroutine?seconds=30");
	free(s);
	collect_target_release(&t);

	s = collect_file_name("api", 1700000000, CK_HEAP, 0);
	assert_string_equal(s, "profiles/api_1700000000.heap.pb.gz");
	free(s);
	s = collect_file_name("api", 1700000000, CK_HEAP_TEXT, 2);
	assert_string_equal(s, "profiles/api_1700000000.2.heap.txt.gz");
	free(s);
	s = collect_file_name("a_b", 1, CK_GOROUTINE_TEXT, 0);
	assert_string_equal(s, "goroutines/a_b_1.goroutine.txt.gz");
	free(s);
	s = collect_file_name("db", 5, CK_SMAPS_ROLLUP, 0);
	assert_string_equal(s, "pmaps/db_5.smaps_rollup");
	free(s);
	s = collect_file_name("db", 5, CK_PMAP, 1);
	assert_string_equal(s, "pmaps/db_5.1.pmap");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
		cmocka_unit_test(kind_urls_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

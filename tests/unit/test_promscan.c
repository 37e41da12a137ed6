/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the fleet scan's selector check and defaults. */
#include "unit.h"

#include "fleet/promscan.h"

static void selectors(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(promscan_check_match("{job=\"api\"}", err,
					      sizeof(err)), 0);
	assert_int_equal(promscan_check_match("{job=~\"api|billing\","
					      "instance!=\"x:1\"}", err,
					      sizeof(err)), 0);
	/* A brace or an escaped quote inside a value is the value's. */
	assert_int_equal(promscan_check_match("{path=\"}\\\"\"}", err,
					      sizeof(err)), 0);
	assert_int_equal(promscan_check_match("{}", err, sizeof(err)), 0);
	assert_int_equal(promscan_check_match("job=\"api\"", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "not a label selector in braces"));
	assert_int_equal(promscan_check_match("", err, sizeof(err)), -1);
	assert_int_equal(promscan_check_match("{", err, sizeof(err)), -1);
	assert_int_equal(promscan_check_match("{job=\"api}", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "quote is not closed"));
}

static void defaults(void **state)
{
	struct promscan_opts o;

	(void)state;
	promscan_opts_default(&o);
	assert_string_equal(o.heap, "go_memstats_heap_inuse_bytes");
	assert_string_equal(o.goroutines, "go_goroutines");
	assert_string_equal(o.rss, "process_resident_memory_bytes");
	assert_string_equal(o.fds, "process_open_fds");
	assert_string_equal(o.start, "process_start_time_seconds");
	assert_null(o.match);
	assert_int_equal(o.step_ns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selectors),
		cmocka_unit_test(defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

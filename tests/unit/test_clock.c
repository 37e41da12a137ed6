/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the clocks and times as text. */
#include "unit.h"

#include "base/clock.h"

static void clocks(void **state)
{
	int64_t a, b;

	(void)state;
	a = clock_mono_ns();
	b = clock_mono_ns();
	assert_true(b >= a);
	/* after 2020, before 2100 */
	assert_true(clock_real_ns() > INT64_C(1577836800) * 1000000000);
	assert_true(clock_real_ns() < INT64_C(4102444800) * 1000000000);
}

static void styles(void **state)
{
	char b[CLOCK_TEXT_MAX];
	int64_t t = 1763805845;	/* 2025-11-22T10:04:05Z */

	(void)state;
	assert_string_equal(clock_format(b, t, 0, CLOCK_RFC3339),
			    "2025-11-22T10:04:05Z");
	assert_string_equal(clock_format(b, t, 7, CLOCK_RFC3339_MS),
			    "2025-11-22T10:04:05.007Z");
	assert_string_equal(clock_format(b, t, 0, CLOCK_DATETIME),
			    "2025-11-22 10:04:05");
	assert_string_equal(clock_format(b, t, 0, CLOCK_DATE), "2025-11-22");
	assert_string_equal(clock_format(b, 0, 0, CLOCK_RFC3339),
			    "1970-01-01T00:00:00Z");
	assert_string_equal(clock_format(b, -1, 0, CLOCK_RFC3339),
			    "1969-12-31T23:59:59Z");
}

static void out_of_range(void **state)
{
	char b[CLOCK_TEXT_MAX];

	(void)state;
	/* a year past INT_MAX has no struct tm */
	assert_null(clock_format(b, INT64_MAX, 0, CLOCK_RFC3339));
	assert_string_equal(b, "");
	/* the widest year that has one still fits */
	assert_non_null(clock_format(b, INT64_C(67767976233316800), 999,
				     CLOCK_RFC3339_MS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clocks),
		cmocka_unit_test(styles),
		cmocka_unit_test(out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

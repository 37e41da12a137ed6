/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: sizes for people in each style. */
#include "unit.h"

#include "base/human.h"

static const char *h(double v, const struct human_style *st)
{
	static char b[64];

	return human_size(b, sizeof(b), v, st);
}

static void si(void **state)
{
	(void)state;
	assert_string_equal(h(0, &human_si), "0 B");
	assert_string_equal(h(999, &human_si), "999 B");
	assert_string_equal(h(1000, &human_si), "1.0 kB");
	assert_string_equal(h(1500, &human_si), "1.5 kB");
	assert_string_equal(h(999999, &human_si), "1000.0 kB");
	assert_string_equal(h(2000000, &human_si), "2.0 MB");
	assert_string_equal(h(3e12, &human_si), "3000.0 GB");
}

static void iec(void **state)
{
	(void)state;
	assert_string_equal(h(512, &human_iec), "512 B");
	assert_string_equal(h(1024, &human_iec), "1.0 KiB");
	assert_string_equal(h(1.5 * 1048576, &human_iec), "1.5 MiB");
	assert_string_equal(h(-2048, &human_iec), "-2.0 KiB");
	assert_string_equal(h(5.0 * 1099511627776 * 1024, &human_iec),
			    "5120.0 TiB");
}

static void legend(void **state)
{
	(void)state;
	assert_string_equal(h(512, &human_iec_legend), "512 bytes");
	assert_string_equal(h(1.92 * 1048576, &human_iec_legend),
			    "1.92 MiB");
	assert_string_equal(h(153.4 * 1024, &human_iec_legend), "153 KiB");
	assert_string_equal(h(5.0 * 1048576, &human_iec_legend), "5 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(si),
		cmocka_unit_test(iec),
		cmocka_unit_test(legend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

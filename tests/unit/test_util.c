/* Unit tests: size parsing and allocation helpers. */
#include "unit.h"

#include "leaky.h"

static void sizes(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64k", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(parse_size("256M", &v), 0);
	assert_int_equal(v, 256u << 20);
	assert_int_equal(parse_size("1GiB", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(parse_size("2mb", &v), 0);
	assert_int_equal(v, 2u << 20);
}

static void bad_sizes(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("", &v), -1);
	assert_int_equal(parse_size("-1", &v), -1);
	assert_int_equal(parse_size("12Q", &v), -1);
	assert_int_equal(parse_size("1Gx", &v), -1);
	assert_int_equal(parse_size("99999999999999999999", &v), -1);
	assert_int_equal(parse_size("99999999999T", &v), -1);
}

static void grow(void **state)
{
	size_t cap = 0;
	int *p = NULL;

	(void)state;
	p = xgrow(p, &cap, 1, sizeof(*p));
	assert_true(cap >= 1);
	p = xgrow(p, &cap, 1000, sizeof(*p));
	assert_true(cap >= 1000);
	p[999] = 7;
	assert_int_equal(p[999], 7);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
		cmocka_unit_test(grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

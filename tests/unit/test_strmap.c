/* Unit tests: string interning. */
#include "unit.h"

#include "base/strmap.h"

static void intern(void **state)
{
	struct strmap *m = strmap_new();
	char key[32];
	int added;
	uint32_t i;

	(void)state;
	assert_int_equal(strmap_intern(m, "a", 1, &added), 0);
	assert_true(added);
	assert_int_equal(strmap_intern(m, "b", 1, &added), 1);
	assert_int_equal(strmap_intern(m, "a", 1, &added), 0);
	assert_false(added);
	/* Embedded NUL and prefixes are distinct keys. */
	assert_int_equal(strmap_intern(m, "a\0b", 3, NULL), 2);
	assert_int_equal(strmap_strlen(m, 2), 3);
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		assert_int_equal(strmap_intern(m, key, strlen(key), NULL),
				 i + 3);
	}
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		assert_int_equal(strmap_find(m, key, strlen(key)), i + 3);
		assert_string_equal(strmap_str(m, i + 3), key);
	}
	assert_int_equal(strmap_find(m, "zz", 2), -1);
	assert_int_equal(strmap_count(m), 10003);
	strmap_free(m);
	strmap_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

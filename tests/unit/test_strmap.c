/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: string interning. */
#include "unit.h"

#include "base/leaky.h"
#include "base/strmap.h"

static char last[128];

/* An error sink that keeps the last message. */
static void keep_last(void *data, const char *msg)
{
	(void)data;
	snprintf(last, sizeof(last), "%s", msg);
}

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

/* A full map refuses new strings, and keeps finding the ones it has. */
static void full(void **state)
{
	struct strmap *m = strmap_new();
	struct error_sink quiet = { keep_last, NULL }, old;
	uint32_t id = 99;
	int added = -1;

	(void)state;
	strmap_set_max(m, 2);
	assert_int_equal(strmap_add(m, "a", 1, &id, &added), 0);
	assert_int_equal(id, 0);
	assert_int_equal(added, 1);
	assert_int_equal(strmap_add(m, "b", 1, &id, NULL), 0);
	old = error_sink_set(quiet);
	assert_int_equal(strmap_add(m, "c", 1, &id, &added), -1);
	error_sink_set(old);
	assert_int_equal(strmap_count(m), 2);
	assert_int_equal(strmap_find(m, "c", 1), -1);
	assert_int_equal(strmap_add(m, "b", 1, &id, &added), 0);
	assert_int_equal(id, 1);
	assert_int_equal(added, 0);
	assert_string_equal(last, "too many distinct strings");
	strmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intern),
		cmocka_unit_test(full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

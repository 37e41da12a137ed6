/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: union-of-keys tables (header order, gaps, sorting). */
#include "unit.h"

#include "out/table.h"

static void union_header(void **state)
{
	static const char *const fixed[] = { "total" };
	static const char *const k1[] = { "Alloc", "StackInuse", "total" };
	static const char *const v1[] = { "10", "1", "5" };
	static const char *const k2[] = { "Alloc", "MaxRSS" };
	static const char *const v2[] = { "20", "99" };
	struct table *t = table_new(1, fixed);
	FILE *fp = tmpfile();
	char *out;

	(void)state;
	table_add(t, 2000000000, "api", 2, k2, v2);
	table_add(t, 1000000000, "api", 3, k1, v1);
	table_add(t, 1000000000, "aaa", 0, NULL, NULL);
	assert_int_equal(table_write(t, fp, CSV_TIME_UNIX, 0), 0);
	out = slurp(fp);
	/* Fixed first, then first-seen order; sorted by time, target. */
	assert_string_equal(out, "time,target,total,Alloc,MaxRSS,StackInuse\n"
			    "1,aaa,,,,\n1,api,5,10,,1\n2,api,,20,99,\n");
	free(out);
	fclose(fp);
	table_free(t);
	table_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(union_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

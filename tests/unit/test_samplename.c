/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the "NAME_UNIX.KIND" sample file name, written and read. */
#include "unit.h"

#include "model/samplename.h"

static void format(void **state)
{
	char *s;

	(void)state;
	s = samplename_format("profiles", "api", 1700000000, 0, "heap.pb.gz");
	assert_string_equal(s, "profiles/api_1700000000.heap.pb.gz");
	free(s);
	s = samplename_format("pmaps", "my_svc", 12, 2, "pmap");
	assert_string_equal(s, "pmaps/my_svc_12.2.pmap");
	free(s);
}

static void parse(void **state)
{
	char *t;
	int64_t u = 0;

	(void)state;
	assert_int_equal(samplename_parse("x/api_1700000000.heap.pb.gz", &t,
					  &u), 1);
	assert_string_equal(t, "api");
	assert_int_equal(u, 1700000000);
	free(t);
	assert_int_equal(samplename_parse("my_svc_12.goroutine.txt", &t, &u),
			 1);
	assert_string_equal(t, "my_svc");
	assert_int_equal(u, 12);
	free(t);
	/* Not the form: the stem before the first dot. */
	assert_int_equal(samplename_parse("/a_b.c/heap.pb.gz", &t, &u), 0);
	assert_string_equal(t, "heap");
	free(t);
	assert_int_equal(samplename_parse("api_.pb", &t, &u), 0);
	assert_string_equal(t, "api_");
	free(t);
	assert_int_equal(samplename_parse("_123.pb", &t, &u), 0);
	assert_string_equal(t, "_123");
	free(t);
	assert_int_equal(samplename_parse("api_12x.pb", &t, &u), 0);
	assert_string_equal(t, "api_12x");
	free(t);
	/* Seconds beyond what nanoseconds can hold are no time. */
	assert_int_equal(samplename_parse("a_99999999999999999999.pb", &t,
					  &u), 0);
	free(t);
	assert_int_equal(samplename_parse("noext", &t, &u), 0);
	assert_string_equal(t, "noext");
	free(t);
}

/* What the collector writes, the readers read back, with a sequence. */
static void round_trip(void **state)
{
	char *s, *t;
	int64_t u = 0;

	(void)state;
	s = samplename_format("goroutines", "web-1_a", 1733400000, 3,
			      "goroutine.txt");
	assert_int_equal(samplename_parse(s, &t, &u), 1);
	assert_string_equal(t, "web-1_a");
	assert_int_equal(u, 1733400000);
	free(t);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format),
		cmocka_unit_test(parse),
		cmocka_unit_test(round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

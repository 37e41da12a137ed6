/* Unit tests: the MemStats table (union header, order, gaps). */
#include "unit.h"

#include "memstats.h"
#include "profile.h"

static struct profile *dump(const char *stats)
{
	static const struct prof_limits lim = { 1 << 20, 1 << 20, 1 << 24 };
	char text[1024];

	snprintf(text, sizeof(text),
		 "heap profile: 0: 0 [0: 0] @ heap/1048576\n\n"
		 "# runtime.MemStats\n%s", stats);
	return profile_decode("d", (const uint8_t *)text, strlen(text), &lim,
			      NULL);
}

static void table(void **state)
{
	struct memstats *m = memstats_new();
	struct profile *a = dump("# Alloc = 10\n# Stack = 1 / 2\n");
	struct profile *b = dump("# Alloc = 20\n# MaxRSS = 99\n");
	struct profile *c = dump("");
	FILE *fp = tmpfile();
	char *out;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(memstats_add(m, "b", b, 2000000000, "api"), 0);
	assert_int_equal(memstats_add(m, "a", a, 1000000000, "api"), 0);
	assert_int_equal(memstats_add(m, "c", c, 3000000000, "api"), -1);
	assert_int_equal(memstats_write(m, fp, CSV_TIME_UNIX), 0);
	out = slurp(fp);
	/* Columns in first-seen order (b came first), gaps left empty. */
	assert_string_equal(out, "time,target,Alloc,MaxRSS,StackInuse,"
			    "StackSys\n1,api,10,,1,2\n2,api,20,99,,\n");
	free(out);
	fclose(fp);
	profile_free(a);
	profile_free(b);
	profile_free(c);
	memstats_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

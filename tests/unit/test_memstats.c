/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: MemStats rows of heap?debug=1 dumps (heaper --memstats). */
#include "unit.h"

#include "analyze/memstats.h"
#include "decode/reader.h"
#include "model/profile.h"
#include "out/table.h"

static const struct prof_limits lim = {
	.max_input = 1 << 20, .max_inflated = 1 << 20, .max_memory = 1 << 24,
};

static const char dump[] =
	"heap profile: 1: 64 [1: 64] @ heap/524288\n"
	"1: 64 [1: 64] @ 0x1\n"
	"#\t0x1\tmain.f+0x1\t/a/f.go:3\n"
	"\n"
	"# runtime.MemStats\n"
	"# Alloc = 2025336\n"
	"# NumGC = 1\n"
	"# DebugGC = false\n";

static struct profile *decode(const char *text, size_t len)
{
	return profile_decode("d", (const uint8_t *)text, len, &lim, NULL);
}

static void every_field(void **state)
{
	struct profile *p = decode(dump, sizeof(dump) - 1);
	struct table *t = table_new(0, NULL);
	FILE *fp = tmpfile();
	char *out;

	(void)state;
	assert_non_null(p);
	assert_int_equal(memstats_add_row(t, "d", p, 1000000000, "api"), 0);
	assert_int_equal(table_write(t, fp, CSV_TIME_UNIX, 0), 0);
	out = slurp(fp);
	/* Values as the dump wrote them, even those that are no number. */
	assert_string_equal(out, "time,target,Alloc,NumGC,DebugGC\n"
			    "1,api,2025336,1,false\n");
	free(out);
	fclose(fp);
	table_free(t);
	profile_free(p);
}

/* A proto heap profile has no MemStats: no row, and a reason. */
static void no_memstats(void **state)
{
	struct prof_reader r;
	struct profile *p;
	struct table *t = table_new(0, NULL);

	(void)state;
	prof_reader_init(&r, &lim);
	p = prof_reader_load(&r, unit_fixture("profiles/"
					      "leak_1795310064.heap.pb.gz"),
			     NULL);
	assert_non_null(p);
	assert_int_equal(memstats_add_row(t, "d", p, 0, "api"), -1);
	profile_free(p);
	prof_reader_release(&r);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(no_memstats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: leaky pmap's CSV rows and columns from a process snapshot. */
#include "unit.h"

#include "out/csvout.h"
#include "out/memcsv.h"

#define U PROCMEM_UNKNOWN

/* What pmap -x says of a process: a snapshot as procmem_parse() makes it. */
static void snapshot(struct procmem *pm, struct procmem_mapping *m)
{
	static const int64_t kb[PM_NMEASURES] = {
		45756, 7360, U, 4944, 4944, 2416, U, U, 16,
	};

	memset(pm, 0, sizeof(*pm));
	memset(m, 0, sizeof(*m));
	pm->format = PROCMEM_PMAP_X;
	pm->pid = 1234;
	memcpy(pm->kb, kb, sizeof(kb));
	m->address = 0xc000000000;
	m->size_kb = 4096;
	m->rss_kb = 3396;
	m->dirty_kb = 3396;
	m->mode = (char *)"rw---";
	m->name = (char *)"[ anon ]";
	pm->nmappings = 1;
	pm->mappings = m;
}

static char *rows(const struct procmem *pm, int raw)
{
	FILE *fp = tmpfile();
	struct csvout c;
	char *out;

	csvout_init(&c, fp);
	csvout_set_raw(&c, raw);
	memcsv_totals(&c, pm);
	csvout_end(&c);
	memcsv_mapping(&c, pm, 0);
	csvout_end(&c);
	csvout_release(&c);
	out = slurp(fp);
	fclose(fp);
	return out;
}

static void totals_and_mapping(void **state)
{
	struct procmem pm;
	struct procmem_mapping m;
	char *out;

	(void)state;
	snapshot(&pm, &m);
	out = rows(&pm, 0);
	/* unknown measures are empty fields, never 0 or -1 */
	assert_string_equal(out,
			    "1234,45756,7360,,4944,4944,2416,,,16\n"
			    "1234,000000c000000000,[ anon ],4096,3396,3396,"
			    "rw---\n");
	free(out);
}

static void unknown_and_hostile(void **state)
{
	struct procmem pm;
	struct procmem_mapping m;
	char *out;

	(void)state;
	snapshot(&pm, &m);
	pm.pid = U;
	m.size_kb = U;
	m.name = (char *)"=cmd,x";
	out = rows(&pm, 0);
	/* a mapping's name is the process's text: quoted, no formula */
	assert_string_equal(out,
			    ",45756,7360,,4944,4944,2416,,,16\n"
			    ",000000c000000000,\"'=cmd,x\",,3396,3396,"
			    "rw---\n");
	free(out);
	out = rows(&pm, 1);
	assert_non_null(strstr(out, ",\"=cmd,x\","));
	free(out);
}

/* The names readers find the columns by; the order is the rows'. */
static void columns(void **state)
{
	(void)state;
	assert_string_equal(memcsv_columns[MEMCSV_PID], "pid");
	assert_string_equal(memcsv_columns[MEMCSV_MEASURE(PM_SIZE)],
			    "size_kb");
	assert_string_equal(memcsv_columns[MEMCSV_MEASURE(PM_RSS)], "rss_kb");
	assert_string_equal(memcsv_columns[MEMCSV_MEASURE(PM_ANON)],
			    "anon_kb");
	assert_string_equal(memcsv_columns[MEMCSV_NCOLUMNS - 1], "stack_kb");
	assert_string_equal(memcsv_mapping_columns[MEMCSV_MAP_ADDRESS],
			    "address");
	assert_string_equal(memcsv_mapping_columns[MEMCSV_MAP_NAME],
			    "mapping");
	assert_string_equal(memcsv_mapping_columns[MEMCSV_MAP_MODE], "mode");
	assert_int_equal(MEMCSV_NMAPPING_COLUMNS, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(totals_and_mapping),
		cmocka_unit_test(unknown_and_hostile),
		cmocka_unit_test(columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: snapshot order, top-N with (other), wide, file names. */
#include "unit.h"

#include "analyze/agg.h"
#include "model/profile.h"
#include "analyze/series.h"

static struct prof_function funcs[] = {
	{ "a", "", "", 0 }, { "b", "", "", 0 }, { "c", "", "", 0 },
};
static struct prof_line lines[] = { { 0, 1 }, { 1, 1 }, { 2, 1 } };
static struct prof_location locs[] = {
	{ 1, -1, 1, &lines[0] }, { 2, -1, 1, &lines[1] },
	{ 3, -1, 1, &lines[2] },
};
static struct prof_value_type types[] = {
	{ "n", "count" }, { "bytes", "bytes" },
};
static uint32_t st[] = { 0, 1, 2 };
static const char *const columns[] = { "n", "bytes" };

/* A snapshot where a, b, c have flat bytes va, vb, vc. */
static void snap(struct agg *g, int64_t va, int64_t vb, int64_t vc,
		 struct agg_snapshot *out)
{
	int64_t v[3][2] = { { 1, va }, { 1, vb }, { 1, vc } };
	struct prof_sample samples[3] = {
		{ 1, 0, &st[0], v[0], NULL },
		{ 1, 0, &st[1], v[1], NULL },
		{ 1, 0, &st[2], v[2], NULL },
	};
	struct profile *p = profile_new(0);

	p->ntypes = 2;
	p->types = types;
	p->default_type = 1;
	p->nfunctions = 3;
	p->functions = funcs;
	p->nlocations = 3;
	p->locations = locs;
	p->nsamples = 3;
	p->samples = samples;
	assert_int_equal(agg_profile(g, p, 1, out), 0);
	profile_free(p);
}

static char *run(const struct series_opts *so)
{
	struct agg_opts ao = { .by = AGG_FUNCTION };
	struct agg *g = agg_new(&ao);
	struct series *s = series_new(so, g);
	struct agg_snapshot a;
	FILE *fp = tmpfile();
	char *out;

	/* Given out of order: t=20 first, then t=10 for two targets. */
	snap(g, 30, 20, 10, &a);
	assert_int_equal(series_add(s, 20000000000, "api", &a), 0);
	snap(g, 5, 40, 1, &a);
	assert_int_equal(series_add(s, 10000000000, "web", &a), 0);
	snap(g, 1, 2, 3, &a);
	assert_int_equal(series_add(s, 10000000000, "api", &a), 0);
	assert_int_equal(series_write(s, fp), 0);
	out = slurp(fp);
	fclose(fp);
	series_free(s);
	agg_free(g);
	return out;
}

static const struct series_opts base = {
	.key_column = "function", .ncolumns = 2, .columns = columns,
	.sort_column = 1, .time_style = CSV_TIME_UNIX, .other = 1,
};

static void long_layout(void **state)
{
	char *out = run(&base);

	(void)state;
	assert_string_equal(out,
		"time,target,function,n,bytes\n"
		"10,api,c,1,3\n10,api,b,1,2\n10,api,a,1,1\n"
		"10,web,b,1,40\n10,web,a,1,5\n10,web,c,1,1\n"
		"20,api,a,1,30\n20,api,b,1,20\n20,api,c,1,10\n");
	free(out);
}

static void top(void **state)
{
	struct series_opts so = base;
	char *out;

	(void)state;
	/* Peaks: b 40, a 30, c 10: top 2 keeps b and a. */
	so.top = 2;
	out = run(&so);
	assert_string_equal(out,
		"time,target,function,n,bytes\n"
		"10,api,b,1,2\n10,api,a,1,1\n10,api,(other),1,3\n"
		"10,web,b,1,40\n10,web,a,1,5\n10,web,(other),1,1\n"
		"20,api,a,1,30\n20,api,b,1,20\n20,api,(other),1,10\n");
	free(out);
}

static void wide(void **state)
{
	struct series_opts so = base;
	char *out;

	(void)state;
	so.wide = 1;
	so.wide_column = 1;
	out = run(&so);
	assert_string_equal(out,
		"time,target,b,a,c\n"
		"10,api,2,1,3\n10,web,40,5,1\n20,api,20,30,10\n");
	free(out);
	so.top = 1;
	out = run(&so);
	assert_string_equal(out,
		"time,target,b,(other)\n"
		"10,api,2,4\n10,web,40,6\n20,api,20,40\n");
	free(out);
}

static void names(void **state)
{
	char *t;
	int64_t u = 0, ns;

	(void)state;
	assert_int_equal(series_parse_name("x/api_1700000000.heap.pb.gz",
					   &t, &u), 1);
	assert_string_equal(t, "api");
	assert_int_equal(u, 1700000000);
	free(t);
	assert_int_equal(series_parse_name("my_svc_12.goroutine.txt", &t, &u),
			 1);
	assert_string_equal(t, "my_svc");
	free(t);
	assert_int_equal(series_parse_name("/a_b.c/heap.pb.gz", &t, &u), 0);
	assert_string_equal(t, "heap");
	free(t);
	assert_int_equal(series_parse_name("api_.pb", &t, &u), 0);
	assert_string_equal(t, "api_");
	free(t);
	assert_int_equal(series_parse_name("_123.pb", &t, &u), 0);
	free(t);
	assert_int_equal(series_parse_name("a_99999999999999999999.pb", &t,
					   &u), 0);
	free(t);

	series_identify("x/api_1700000000.heap.txt", NULL, NULL, 0, 0, 5, &t,
			&ns);
	assert_string_equal(t, "api");
	assert_int_equal(ns, 1700000000000000000);
	free(t);
	/* A collector's file: the round's second, not the profile's time. */
	series_identify("x/api_1700000000.heap.pb.gz", "web", NULL, 1, 42, 5,
			&t, &ns);
	assert_string_equal(t, "web");
	assert_int_equal(ns, 1700000000000000000);
	free(t);
	series_identify("x/heap.pb.gz", NULL, NULL, 1, 42, 5, &t, &ns);
	assert_string_equal(t, "heap");
	assert_int_equal(ns, 42);
	free(t);
	series_identify("heap.txt", NULL, NULL, 0, 0, 5, &t, &ns);
	assert_string_equal(t, "heap");
	assert_int_equal(ns, 5000000000);
	free(t);
	series_identify("-", NULL, NULL, 0, 0, 5, &t, &ns);
	assert_string_equal(t, "stdin");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_layout),
		cmocka_unit_test(top),
		cmocka_unit_test(wide),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

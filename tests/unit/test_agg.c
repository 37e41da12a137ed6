/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: flat and cum per key with pprof's semantics, by hand. */
#include "unit.h"

#include "analyze/agg.h"
#include "model/profile.h"

/*
 * Functions: 0 main, 1 rec, 2 leaf, 3 inl (inlined into leaf), 4 "" (no
 * name), 5 a second "main.rec" entry (same name, another id).
 * Locations: 0 main, 1 rec, 2 [inl, leaf], 3 unnamed with mapping,
 * 4 no lines, no mapping, 5 rec2.
 */
static struct prof_function funcs[] = {
	{ "main.main", "", "main.go", 0 },
	{ "main.rec", "", "rec.go", 0 },
	{ "main.leaf", "", "leaf.go", 0 },
	{ "main.inl", "", "leaf.go", 0 },
	{ "", "", "", 0 },
	{ "main.rec", "", "rec.go", 0 },
};
static struct prof_line l_main = { 0, 10 }, l_rec = { 1, 20 },
	l_inl[2] = { { 3, 31 }, { 2, 30 } }, l_noname = { 4, 0 },
	l_rec2 = { 5, 21 };
static struct prof_mapping maps[] = { { 0, 0, 0, "/usr/bin/app", "" } };
static struct prof_location locs[] = {
	{ 1, -1, 1, &l_main },
	{ 2, -1, 1, &l_rec },
	{ 3, -1, 2, l_inl },
	{ 4, 0, 1, &l_noname },
	{ 5, -1, 0, NULL },
	{ 6, -1, 1, &l_rec2 },
};
static struct prof_value_type types[] = {
	{ "objects", "count" }, { "space", "bytes" },
};
/* Stacks are leaf first. */
static uint32_t st0[] = { 2, 1, 5, 1, 0 };	/* inl<leaf<rec<rec2<rec<main */
static uint32_t st1[] = { 1, 0 };		/* rec<main */
static uint32_t st2[] = { 3, 0 };		/* [app]<main */
static uint32_t st3[] = { 4 };			/* <unknown> */
static uint32_t st4[] = { 0 };			/* main, zero values */
static int64_t v0[] = { 1, 100 }, v1[] = { 2, 50 }, v2[] = { 3, 7 },
	v3[] = { 4, 7 }, v4[] = { 0, 0 };
static struct prof_sample samples[] = {
	{ 5, 0, st0, v0, NULL },
	{ 2, 0, st1, v1, NULL },
	{ 2, 0, st2, v2, NULL },
	{ 1, 0, st3, v3, NULL },
	{ 1, 0, st4, v4, NULL },
};

static struct profile *model(void)
{
	struct profile *p = profile_new(0);

	p->ntypes = 2;
	p->types = types;
	p->default_type = 1;
	p->nfunctions = 6;
	p->functions = funcs;
	p->nmappings = 1;
	p->mappings = maps;
	p->nlocations = 6;
	p->locations = locs;
	p->nsamples = 5;
	p->samples = samples;
	return p;
}

/* Finds key's row in s; fails the test when absent. */
static const int64_t *row(const struct agg *g, const struct agg_snapshot *s,
			  const char *key)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		if (!strcmp(agg_key(g, s->keys[i]), key))
			return s->values + i * s->ntypes;
	fail_msg("no row for %s", key);
	return NULL;
}

static int has_row(const struct agg *g, const struct agg_snapshot *s,
		   const char *key)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		if (!strcmp(agg_key(g, s->keys[i]), key))
			return 1;
	return 0;
}

static void flat(void **state)
{
	struct agg_opts o = { .by = AGG_FUNCTION };
	struct agg *g = agg_new(&o);
	struct profile *p = model();
	struct agg_snapshot s;

	(void)state;
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	/* The innermost inlined frame of the leaf location takes flat. */
	assert_int_equal(row(g, &s, "main.inl")[1], 100);
	assert_false(has_row(g, &s, "main.leaf"));
	assert_int_equal(row(g, &s, "main.rec")[1], 50);
	assert_int_equal(row(g, &s, "[app]")[1], 7);
	assert_int_equal(row(g, &s, "<unknown>")[0], 4);
	/* main has only zero flat values: no row. */
	assert_false(has_row(g, &s, "main.main"));
	assert_int_equal(s.nrows, 4);
	/* Sorted by space descending, then key: [app] before <unknown>. */
	assert_string_equal(agg_key(g, s.keys[0]), "main.inl");
	assert_string_equal(agg_key(g, s.keys[1]), "main.rec");
	assert_string_equal(agg_key(g, s.keys[2]), "<unknown>");
	assert_string_equal(agg_key(g, s.keys[3]), "[app]");
	assert_int_equal(s.totals[1], 164);
	agg_snapshot_release(&s);
	profile_free(p);
	agg_free(g);
}

static void sorted_ties_by_key(void **state)
{
	struct agg_opts o = { .by = AGG_FUNCTION };
	struct agg *g = agg_new(&o);
	struct profile *p = model();
	struct agg_snapshot s;

	(void)state;
	/* Sorting by objects: <unknown> 4, [app] 3, rec 2, inl 1. */
	assert_int_equal(agg_profile(g, p, 0, &s), 0);
	assert_string_equal(agg_key(g, s.keys[0]), "<unknown>");
	assert_string_equal(agg_key(g, s.keys[3]), "main.inl");
	agg_snapshot_release(&s);
	assert_int_equal(agg_profile(g, p, 2, &s), -1);
	profile_free(p);
	agg_free(g);
}

static void cum(void **state)
{
	struct agg_opts o = { .by = AGG_FUNCTION, .cum = 1 };
	struct agg *g = agg_new(&o);
	struct profile *p = model();
	struct agg_snapshot s;

	(void)state;
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	/* Once per sample, though main.rec stands three times (two ids). */
	assert_int_equal(row(g, &s, "main.rec")[1], 150);
	assert_int_equal(row(g, &s, "main.rec")[0], 3);
	assert_int_equal(row(g, &s, "main.main")[1], 157);
	assert_int_equal(row(g, &s, "main.leaf")[1], 100);
	assert_int_equal(row(g, &s, "main.inl")[1], 100);
	assert_int_equal(row(g, &s, "[app]")[1], 7);
	agg_snapshot_release(&s);
	profile_free(p);
	agg_free(g);
}

static void by_stack_file_line(void **state)
{
	struct agg_opts o = { .by = AGG_STACK };
	struct agg *g = agg_new(&o);
	struct profile *p = model();
	struct agg_snapshot s;

	(void)state;
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_int_equal(row(g, &s, "main.main;main.rec;main.rec;main.rec;"
			     "main.leaf;main.inl")[1], 100);
	assert_int_equal(row(g, &s, "main.main;[app]")[1], 7);
	agg_snapshot_release(&s);
	agg_free(g);

	o.by = AGG_FILE;
	g = agg_new(&o);
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_int_equal(row(g, &s, "leaf.go")[1], 100);
	assert_int_equal(row(g, &s, "rec.go")[1], 50);
	agg_snapshot_release(&s);
	agg_free(g);

	o.by = AGG_LINE;
	o.cum = 1;
	g = agg_new(&o);
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_int_equal(row(g, &s, "main.inl leaf.go:31")[1], 100);
	assert_int_equal(row(g, &s, "main.leaf leaf.go:30")[1], 100);
	/* Lines 20 and 21 are different keys; each counted once. */
	assert_int_equal(row(g, &s, "main.rec rec.go:20")[1], 150);
	assert_int_equal(row(g, &s, "main.rec rec.go:21")[1], 100);
	agg_snapshot_release(&s);
	agg_free(g);
	profile_free(p);
}

static void focus_ignore(void **state)
{
	regex_t focus, ignore;
	struct agg_opts o = { .by = AGG_FUNCTION };
	struct agg *g;
	struct profile *p = model();
	struct agg_snapshot s;

	(void)state;
	assert_int_equal(regcomp(&focus, "rec", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&ignore, "^main\\.leaf$",
				 REG_EXTENDED | REG_NOSUB), 0);
	o.focus = &focus;
	g = agg_new(&o);
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_int_equal(s.nrows, 2);
	assert_int_equal(row(g, &s, "main.inl")[1], 100);
	assert_int_equal(row(g, &s, "main.rec")[1], 50);
	agg_snapshot_release(&s);
	agg_free(g);

	o.focus = &focus;
	o.ignore = &ignore;
	g = agg_new(&o);
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_int_equal(s.nrows, 1);
	assert_int_equal(row(g, &s, "main.rec")[1], 50);
	agg_snapshot_release(&s);
	agg_free(g);

	/* The mapping's file name matches too, as in pprof. */
	o.focus = NULL;
	regfree(&ignore);
	assert_int_equal(regcomp(&ignore, "/usr/bin",
				 REG_EXTENDED | REG_NOSUB), 0);
	g = agg_new(&o);
	assert_int_equal(agg_profile(g, p, 1, &s), 0);
	assert_false(has_row(g, &s, "[app]"));
	agg_snapshot_release(&s);
	agg_free(g);
	regfree(&focus);
	regfree(&ignore);
	profile_free(p);
}

static void parse_by(void **state)
{
	enum agg_by by;

	(void)state;
	assert_int_equal(agg_by_parse("line", &by), 0);
	assert_int_equal(by, AGG_LINE);
	assert_string_equal(agg_by_name(by), "line");
	assert_int_equal(agg_by_parse("lines", &by), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat),
		cmocka_unit_test(sorted_ties_by_key),
		cmocka_unit_test(cum),
		cmocka_unit_test(by_stack_file_line),
		cmocka_unit_test(focus_ignore),
		cmocka_unit_test(parse_by),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: one snapshot minus another, as pprof's -diff_base makes it. */
#include "unit.h"

#include "analyze/agg.h"
#include "analyze/aggdiff.h"
#include "model/profile.h"

/* Functions 0 main.main, 1 a, 2 b, 3 c, 4 d; location i+1 has function i. */
static struct prof_function funcs[] = {
	{ "main.main", "", "main.go", 0 }, { "a", "", "a.go", 0 },
	{ "b", "", "b.go", 0 }, { "c", "", "c.go", 0 },
	{ "d", "", "d.go", 0 },
};
static struct prof_line lines[] = {
	{ 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 }, { 4, 5 },
};
static struct prof_location locs[] = {
	{ 1, -1, 1, &lines[0] }, { 2, -1, 1, &lines[1] },
	{ 3, -1, 1, &lines[2] }, { 4, -1, 1, &lines[3] },
	{ 5, -1, 1, &lines[4] },
};
static struct prof_value_type types[] = {
	{ "objects", "count" }, { "space", "bytes" },
};
/* Stacks are leaf first: X < main. */
static uint32_t st_a[] = { 1, 0 }, st_b[] = { 2, 0 }, st_c[] = { 3, 0 },
	st_d[] = { 4, 0 };
/* The base: a 100, b 50, c 30. */
static int64_t ba[] = { 1, 100 }, bb[] = { 2, 50 }, bc[] = { 1, 30 };
static struct prof_sample base_samples[] = {
	{ 2, 0, st_a, ba, NULL },
	{ 2, 0, st_b, bb, NULL },
	{ 2, 0, st_c, bc, NULL },
};
/* The new one: a unchanged, b +30, c gone (-30), d new (+10). */
static int64_t na[] = { 1, 100 }, nb[] = { 5, 80 }, nd[] = { 3, 10 };
static struct prof_sample new_samples[] = {
	{ 2, 0, st_d, nd, NULL },
	{ 2, 0, st_b, nb, NULL },
	{ 2, 0, st_a, na, NULL },
};

static struct profile *model(struct prof_sample *samples, size_t n)
{
	struct profile *p = profile_new(0);

	p->ntypes = 2;
	p->types = types;
	p->default_type = 1;
	p->nfunctions = 5;
	p->functions = funcs;
	p->nlocations = 5;
	p->locations = locs;
	p->nsamples = n;
	p->samples = samples;
	return p;
}

/* agg_diff() of the model's new profile against its base. */
static void diff(int cum, struct agg **g, struct agg_snapshot *d)
{
	struct agg_opts o = { .by = AGG_FUNCTION, .cum = cum };
	struct profile *pb = model(base_samples, 3);
	struct profile *pn = model(new_samples, 3);
	struct agg_snapshot b, n;

	*g = agg_new(&o);
	assert_int_equal(agg_profile(*g, pb, 1, &b), 0);
	assert_int_equal(agg_profile(*g, pn, 1, &n), 0);
	assert_int_equal(agg_diff(*g, &b, &n, 1, d), 0);
	agg_snapshot_release(&b);
	agg_snapshot_release(&n);
	profile_free(pb);
	profile_free(pn);
}

static void flat_changes_sorted_by_size(void **state)
{
	struct agg *g;
	struct agg_snapshot d;

	(void)state;
	diff(0, &g, &d);
	/* a did not change: no row; b and c tie at 30, by name; then d. */
	assert_int_equal(d.nrows, 3);
	assert_int_equal(d.ntypes, 2);
	assert_string_equal(agg_key(g, d.keys[0]), "b");
	assert_int_equal(d.values[0], 3);
	assert_int_equal(d.values[1], 30);
	/* only in the base: a negative change */
	assert_string_equal(agg_key(g, d.keys[1]), "c");
	assert_int_equal(d.values[2], -1);
	assert_int_equal(d.values[3], -30);
	/* only in the new profile */
	assert_string_equal(agg_key(g, d.keys[2]), "d");
	assert_int_equal(d.values[4], 3);
	assert_int_equal(d.values[5], 10);
	/* totals: 190 - 180 bytes, 9 - 4 objects */
	assert_int_equal(d.totals[0], 5);
	assert_int_equal(d.totals[1], 10);
	agg_snapshot_release(&d);
	agg_free(g);
}

static void cum_changes(void **state)
{
	struct agg *g;
	struct agg_snapshot d;
	size_t i;
	int seen = 0;

	(void)state;
	diff(1, &g, &d);
	/* main's cum moved with the total, +10 bytes: after b and c's 30 */
	assert_int_equal(d.nrows, 4);
	assert_string_equal(agg_key(g, d.keys[0]), "b");
	assert_string_equal(agg_key(g, d.keys[1]), "c");
	for (i = 0; i < d.nrows; i++) {
		if (strcmp(agg_key(g, d.keys[i]), "main.main"))
			continue;
		assert_int_equal(d.values[i * 2], 5);
		assert_int_equal(d.values[i * 2 + 1], 10);
		seen = 1;
	}
	assert_true(seen);
	/* d and main.main tie at 10: by name */
	assert_string_equal(agg_key(g, d.keys[2]), "d");
	assert_string_equal(agg_key(g, d.keys[3]), "main.main");
	agg_snapshot_release(&d);
	agg_free(g);
}

static void refuses_other_types(void **state)
{
	struct agg_opts o = { .by = AGG_FUNCTION };
	struct agg *g = agg_new(&o);
	struct profile *p = model(base_samples, 3);
	struct agg_snapshot b, n, d;

	(void)state;
	assert_int_equal(agg_profile(g, p, 1, &b), 0);
	assert_int_equal(agg_profile(g, p, 1, &n), 0);
	/* against itself: nothing changed */
	assert_int_equal(agg_diff(g, &b, &n, 1, &d), 0);
	assert_int_equal(d.nrows, 0);
	agg_snapshot_release(&d);
	assert_int_equal(agg_diff(g, &b, &n, 2, &d), -1);
	n.ntypes = 1;
	assert_int_equal(agg_diff(g, &b, &n, 0, &d), -1);
	n.ntypes = 2;
	agg_snapshot_release(&b);
	agg_snapshot_release(&n);
	profile_free(p);
	agg_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat_changes_sorted_by_size),
		cmocka_unit_test(cum_changes),
		cmocka_unit_test(refuses_other_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the call paths that carry a function's growth. */
#include "unit.h"

#include "analyze/agg.h"
#include "analyze/aggdiff.h"
#include "analyze/callpath.h"
#include "model/profile.h"

#include <stdlib.h>

static void trims_the_runtime_and_the_standard_library_above_own_code(
	void **state)
{
	static const char *const cases[][2] = {
		{ "runtime.goexit;net/http.(*conn).serve;"
		  "net/http.HandlerFunc.ServeHTTP;main.handle;main.record",
		  "main.handle > main.record" },
		/* only the root side: a library frame under own code stays */
		{ "runtime.goexit;main.run;encoding/json.Unmarshal;main.keep",
		  "main.run > encoding/json.Unmarshal > main.keep" },
		/* all standard library: only the runtime's root frames go */
		{ "runtime.goexit;net/http.(*persistConn).readLoop;"
		  "bufio.NewReaderSize",
		  "net/http.(*persistConn).readLoop > bufio.NewReaderSize" },
		/* all runtime: nothing to leave out */
		{ "runtime.systemstack;runtime.newproc1;runtime.malg",
		  "runtime.systemstack > runtime.newproc1 > runtime.malg" },
		/* a module path has a dot in its first element: own code */
		{ "net/http.(*conn).serve;github.com/acme/api.(*S).Put;"
		  "golang.org/x/sync/singleflight.(*Group).Do",
		  "github.com/acme/api.(*S).Put > "
		  "golang.org/x/sync/singleflight.(*Group).Do" },
		/* names without a package (C, unsymbolized) are not std */
		{ "runtime.cgocall;0x4a5b10;malloc", "0x4a5b10 > malloc" },
		{ "main.main", "main.main" },
		/* type arguments name packages of their own */
		{ "sync.(*Pool).Get;main.Map[go.shape.int,github.com/x/y.T];"
		  "main.keep",
		  "main.Map[go.shape.int,github.com/x/y.T] > main.keep" },
		{ "runtime.goexit;slices.Grow[[]github.com/x/y.T];main.keep",
		  "main.keep" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = callpath_trim(cases[i][0]);

		assert_string_equal(got, cases[i][1]);
		free(got);
	}
	assert_string_equal(callpath_leaf("a;b;main.f"), "main.f");
	assert_string_equal(callpath_leaf("main.f"), "main.f");
}

/*
 * Functions: 0 runtime.goexit, 1 net/http.(*conn).serve, 2 main.handle,
 * 3 main.place, 4 main.record, 5 main.ticker, 6 main.refund, 7 main.audit,
 * 8 net/http.(*conn).hijack. Location 1+i has function i; location 10
 * is main.handle with main.place inlined into it (lines innermost first).
 */
static struct prof_function funcs[] = {
	{ "runtime.goexit", "", "", 0 },
	{ "net/http.(*conn).serve", "", "", 0 },
	{ "main.handle", "", "", 0 }, { "main.place", "", "", 0 },
	{ "main.record", "", "", 0 }, { "main.ticker", "", "", 0 },
	{ "main.refund", "", "", 0 }, { "main.audit", "", "", 0 },
	{ "net/http.(*conn).hijack", "", "", 0 },
};
static struct prof_line lines[] = {
	{ 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 1 }, { 5, 1 },
	{ 6, 1 }, { 7, 1 }, { 8, 1 },
	{ 3, 7 }, { 2, 9 },	/* place inlined into handle */
};
static struct prof_location locs[] = {
	{ 1, -1, 1, &lines[0] }, { 2, -1, 1, &lines[1] },
	{ 3, -1, 1, &lines[2] }, { 4, -1, 1, &lines[3] },
	{ 5, -1, 1, &lines[4] }, { 6, -1, 1, &lines[5] },
	{ 7, -1, 1, &lines[6] }, { 8, -1, 1, &lines[7] },
	{ 9, -1, 1, &lines[8] }, { 10, -1, 2, &lines[9] },
};
static struct prof_value_type types[] = {
	{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
};
/* Leaf first. Two server roots that trim to one path. */
static uint32_t st_http[] = { 4, 9, 1, 0 };	/* record<handle+place<serve */
static uint32_t st_http2[] = { 4, 9, 8, 0 };	/* ...<hijack */
static uint32_t st_tick[] = { 4, 6, 5, 0 };	/* record<refund<ticker */
static uint32_t st_shrink[] = { 4, 7, 5, 0 };	/* record<audit<ticker */
static uint32_t st_tiny[] = { 4, 2, 5, 0 };	/* record<handle<ticker */
static uint32_t st_other[] = { 6, 5, 0 };	/* refund<ticker */
static int64_t b_http[] = { 1, 100 }, b_tick[] = { 1, 100 },
	b_shrink[] = { 1, 80 }, b_other[] = { 1, 10 };
static struct prof_sample base_samples[] = {
	{ 4, 0, st_http, b_http, NULL },
	{ 4, 0, st_tick, b_tick, NULL },
	{ 4, 0, st_shrink, b_shrink, NULL },
	{ 3, 0, st_other, b_other, NULL },
};
/* http +600 (+500, +100 by the second root), tick +300, shrink -50,
 * tiny +20 (2% of 950: under the least share), other +1000 */
static int64_t n_http[] = { 1, 600 }, n_http2[] = { 1, 100 },
	n_tick[] = { 1, 400 }, n_shrink[] = { 1, 30 }, n_tiny[] = { 1, 20 },
	n_other[] = { 1, 1010 };
static struct prof_sample new_samples[] = {
	{ 4, 0, st_http, n_http, NULL },
	{ 4, 0, st_http2, n_http2, NULL },
	{ 4, 0, st_tick, n_tick, NULL },
	{ 4, 0, st_shrink, n_shrink, NULL },
	{ 4, 0, st_tiny, n_tiny, NULL },
	{ 3, 0, st_other, n_other, NULL },
};

static struct profile *model(struct prof_sample *samples, size_t n)
{
	struct profile *p = profile_new(0);

	p->ntypes = 2;
	p->types = types;
	p->default_type = 1;
	p->nfunctions = sizeof(funcs) / sizeof(funcs[0]);
	p->functions = funcs;
	p->nlocations = sizeof(locs) / sizeof(locs[0]);
	p->locations = locs;
	p->nsamples = n;
	p->samples = samples;
	return p;
}

static void paths_of_a_function_by_change_with_shares(void **state)
{
	struct agg_opts o = { .by = AGG_STACK };
	struct agg *g = agg_new(&o);
	struct profile *pb = model(base_samples, 4);
	struct profile *pn = model(new_samples, 6);
	struct agg_snapshot b, n, d;
	struct callpaths cp;

	(void)state;
	assert_int_equal(agg_profile(g, pb, 1, &b), 0);
	assert_int_equal(agg_profile(g, pn, 1, &n), 0);
	assert_int_equal(agg_diff(g, &b, &n, 1, &d), 0);

	assert_int_equal(callpaths_of(g, &d, 1, "main.record", 3, 0.05, &cp),
			 2);
	/* every stack with the leaf counts in the function's change */
	assert_int_equal(cp.change, 600 + 300 - 50 + 20);
	assert_int_equal(cp.nstacks, 5);
	/* the two server roots merged; the inlined frame shown */
	assert_string_equal(cp.v[0].frames,
			    "main.handle > main.place > main.record");
	assert_int_equal(cp.v[0].change, 600);
	assert_true(cp.v[0].share > 600.0 / 870 - 1e-9 &&
		    cp.v[0].share < 600.0 / 870 + 1e-9);
	assert_string_equal(cp.v[1].frames,
			    "main.ticker > main.refund > main.record");
	assert_int_equal(cp.v[1].change, 300);
	callpaths_release(&cp);

	/* at most max; a lower share lets the small one in */
	assert_int_equal(callpaths_of(g, &d, 1, "main.record", 1, 0.05, &cp),
			 1);
	callpaths_release(&cp);
	assert_int_equal(callpaths_of(g, &d, 1, "main.record", 5, 0.01, &cp),
			 3);
	assert_string_equal(cp.v[2].frames,
			    "main.ticker > main.handle > main.record");
	callpaths_release(&cp);
	/* objects: the type given */
	assert_int_equal(callpaths_of(g, &d, 0, "main.record", 3, 0.05, &cp),
			 2);
	assert_int_equal(cp.change, 0 + 1 + 0 + 0 + 1);
	callpaths_release(&cp);
	/* a function that is never a leaf, one that shrank, a bad type */
	assert_int_equal(callpaths_of(g, &d, 1, "main.ticker", 3, 0.05, &cp),
			 0);
	assert_null(cp.v);
	assert_int_equal(callpaths_of(g, &d, 1, "main.audit", 3, 0.05, &cp),
			 0);
	assert_int_equal(callpaths_of(g, &d, 7, "main.record", 3, 0.05, &cp),
			 0);

	agg_snapshot_release(&b);
	agg_snapshot_release(&n);
	agg_snapshot_release(&d);
	profile_free(pb);
	profile_free(pn);
	agg_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		  trims_the_runtime_and_the_standard_library_above_own_code),
		cmocka_unit_test(paths_of_a_function_by_change_with_shares),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

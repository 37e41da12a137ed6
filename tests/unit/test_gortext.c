/* Unit tests: goroutine?debug=1 and ?debug=2 text, every header variant. */
#include "unit.h"

#include "profile.h"

static const struct prof_limits lim = {
	.max_input = 1 << 20, .max_inflated = 1 << 20, .max_memory = 1 << 24,
};

static struct profile *decode(const char *text)
{
	return profile_decode("t", (const uint8_t *)text, strlen(text), &lim,
			      NULL);
}

static const char *fname(const struct profile *p, size_t sample, size_t f)
{
	const struct prof_location *l =
		&p->locations[p->samples[sample].locs[f]];

	return p->functions[l->lines[0].func].name;
}

static void debug1(void **state)
{
	static const char text[] =
		"goroutine profile: total 4\n"
		"3 @ 0x43a2c5 0x40a3f4 0x4b77c1\n"
		"# labels: {\"route\":\"/upload\", \"q\":\"a\\\"b\"}\n"
		"#\t0x4b77c0\tmain.worker+0x60\t/src/app/pool.go:40\n"
		"#\t0x4b7000\tmain.main+0x10\t\t/src/app/main.go:9\n"
		"\n"
		"1 @ 0x1\n"
		"#\t0x1\n"
		"\n";
	struct profile *p = decode(text);

	(void)state;
	assert_non_null(p);
	assert_int_equal(p->format, PROF_GOROUTINE_TEXT1);
	assert_int_equal(p->ntypes, 1);
	assert_string_equal(p->types[0].type, "goroutine");
	assert_string_equal(p->types[0].unit, "count");
	assert_null(p->goroutines);
	assert_int_equal(p->nsamples, 2);
	assert_int_equal(p->samples[0].values[0], 3);
	assert_int_equal(p->samples[0].nlocs, 2);
	assert_string_equal(fname(p, 0, 0), "main.worker");
	assert_string_equal(fname(p, 0, 1), "main.main");
	assert_int_equal(p->samples[0].nlabels, 2);
	assert_string_equal(p->samples[0].labels[0].key, "route");
	assert_string_equal(p->samples[0].labels[0].str, "/upload");
	assert_string_equal(p->samples[0].labels[1].str, "a\"b");
	assert_int_equal(p->samples[1].nlocs, 1);
	assert_int_equal(p->locations[p->samples[1].locs[0]].nlines, 0);
	profile_free(p);
}

static const char dump[] =
	"goroutine 18 [chan receive, 15 minutes]:\n"
	"main.(*pool).worker(0xc0000a4000, 0x3)\n"
	"\t/src/app/pool.go:40 +0x65\n"
	"created by main.newPool in goroutine 1\n"
	"\t/src/app/pool.go:22 +0x8f\n"
	"\n"
	"goroutine 19 gp=0xc000007c00 m=nil [select (no cases), locked to "
	"thread]:\n"
	"main.idle(...)\n"
	"\t/src/app/idle.go:5\n"
	"main.run({0x1, 0x2})\n"
	"\t/src/app/idle.go:9 +0x1a\n"
	"created by main.start\n"
	"\t/src/app/idle.go:3 +0x2\n"
	"\n"
	"goroutine 20 [runnable (scan)]:\n"
	"main.f()\n"
	"\t/src/app/f.go:1 +0x1\n"
	"...additional frames elided...\n"
	"[originating from goroutine 3]:\n"
	"main.ancestor()\n"
	"\t/src/app/a.go:7 +0x9\n"
	"\n"
	"goroutine 21 [running]:\n"
	"\tgoroutine running on other thread; stack unavailable\n"
	"\n"
	"goroutine 22 [sync.Mutex.Lock (durable), 61 minutes, synctest]:\n"
	"main.g()\n"
	"\t/src/app/g.go:2 +0x3\n";

static void debug2(void **state)
{
	struct profile *p = decode(dump);
	const struct prof_goroutine *g;

	(void)state;
	assert_non_null(p);
	assert_int_equal(p->format, PROF_GOROUTINE_TEXT2);
	assert_int_equal(p->nsamples, 5);
	assert_non_null(p->goroutines);

	g = &p->goroutines[0];
	assert_int_equal(g->id, 18);
	assert_string_equal(g->state, "chan receive");
	assert_int_equal(g->wait_minutes, 15);
	assert_false(g->locked);
	assert_string_equal(g->created_by, "main.newPool");
	assert_int_equal(g->creator_id, 1);
	assert_int_equal(p->samples[0].values[0], 1);
	assert_int_equal(p->samples[0].nlocs, 1);
	assert_string_equal(fname(p, 0, 0), "main.(*pool).worker");

	g = &p->goroutines[1];
	assert_int_equal(g->id, 19);
	assert_string_equal(g->state, "select (no cases)");
	assert_int_equal(g->wait_minutes, -1);
	assert_true(g->locked);
	assert_string_equal(g->created_by, "main.start");
	assert_int_equal(g->creator_id, -1);
	assert_int_equal(p->samples[1].nlocs, 2);
	assert_string_equal(fname(p, 1, 0), "main.idle");
	assert_string_equal(fname(p, 1, 1), "main.run");

	/* (scan) dropped; ancestors are not part of the stack. */
	g = &p->goroutines[2];
	assert_string_equal(g->state, "runnable");
	assert_int_equal(p->samples[2].nlocs, 1);

	g = &p->goroutines[3];
	assert_string_equal(g->state, "running");
	assert_int_equal(p->samples[3].nlocs, 0);

	g = &p->goroutines[4];
	assert_string_equal(g->state, "sync.Mutex.Lock (durable)");
	assert_int_equal(g->wait_minutes, 61);
	assert_string_equal(g->created_by, "");
	profile_free(p);
}

static void malformed(void **state)
{
	static const char *const bad[] = {
		"goroutine profile: total x\n",
		"goroutine profile: total 1\n1 @ 0x1\n#\tzz\n",
		"goroutine profile: total 1\nfoo\n",
		"goroutine profile: total 1\n# labels: {\"a\":\"b\"}\n",
		"goroutine profile: total 1\n1 @ 0x1\n# labels: {\"a\" \"b\"}\n",
		"goroutine 1 [running]:\nmain.f()\n\tno line number\n",
		"goroutine 1 [running]:\nmain.f()\nmain.g()\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (decode(bad[i]))
			fail_msg("case %zu decoded", i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(debug1),
		cmocka_unit_test(debug2),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: legacy heap?debug=1 text, its scaling and its MemStats. */
#include "unit.h"

#include "profile.h"

static const struct prof_limits lim = {
	.max_input = 1 << 20, .max_inflated = 1 << 20, .max_memory = 1 << 24,
};

/* Values worked out by hand from 1 / (1 - exp(-(bytes/objects)/rate)). */
static const char dump[] =
	"heap profile: 1: 524288 [12: 1048736] @ heap/1048576\n"
	"1: 524288 [2: 1048576] @ 0x4a1f23 0x4a0b11\n"
	"#\t0x4a1f22\tmain.(*cache).put+0x42\t\t/src/app/cache.go:57\n"
	"#\t0x4a0b10\tmain.handle+0x90\t\t\t/src/app/server.go:31\n"
	"\n"
	"0: 0 [10: 160] @ 0x4a0b11\n"
	"#\t0x4a0b10\tmain.handle+0x90\t/src/app/server.go:31\n"
	"\n"
	"\n"
	"# runtime.MemStats\n"
	"# Alloc = 734112\n"
	"# Stack = 425984 / 425985\n"
	"# PauseNs = [41230 0 0]\n"
	"# NumGC = 3\n"
	"# DebugGC = false\n";

static void records_and_scaling(void **state)
{
	struct profile *p;
	const struct prof_sample *s;

	(void)state;
	assert_true(heaptext_sniff(dump, sizeof(dump) - 1));
	p = profile_decode("d", (const uint8_t *)dump, sizeof(dump) - 1,
			   &lim, NULL);
	assert_non_null(p);
	assert_int_equal(p->format, PROF_HEAP_TEXT);
	assert_int_equal(p->ntypes, 4);
	assert_string_equal(p->types[0].type, "alloc_objects");
	assert_string_equal(p->types[3].type, "inuse_space");
	assert_int_equal(p->default_type, 3);
	assert_int_equal(p->period, 524288);
	assert_false(p->has_time);
	assert_int_equal(p->nsamples, 2);
	s = &p->samples[0];
	/* alloc 2 x 1048576 scaled, then inuse 1 x 524288 scaled */
	assert_int_equal(s->values[0], 3);
	assert_int_equal(s->values[1], 1658822);
	assert_int_equal(s->values[2], 1);
	assert_int_equal(s->values[3], 829411);
	assert_int_equal(s->nlocs, 2);
	assert_int_equal(p->locations[s->locs[0]].address, 0x4a1f22);
	assert_string_equal(p->functions[p->locations[s->locs[0]].lines[0]
			    .func].name, "main.(*cache).put");
	assert_string_equal(p->functions[p->locations[s->locs[0]].lines[0]
			    .func].filename, "/src/app/cache.go");
	assert_int_equal(p->locations[s->locs[0]].lines[0].line, 57);
	assert_string_equal(p->functions[p->locations[s->locs[1]].lines[0]
			    .func].name, "main.handle");
	s = &p->samples[1];
	assert_int_equal(s->values[0], 327685);
	assert_int_equal(s->values[1], 5242960);
	assert_int_equal(s->values[2], 0);
	assert_int_equal(s->values[3], 0);
	/* One function per distinct name and file. */
	assert_int_equal(p->nfunctions, 2);
	profile_free(p);
}

static void memstats(void **state)
{
	struct profile *p = profile_decode("d", (const uint8_t *)dump,
					   sizeof(dump) - 1, &lim, NULL);

	(void)state;
	assert_non_null(p);
	assert_int_equal(p->nstats, 5);
	assert_string_equal(p->stats[0].key, "Alloc");
	assert_string_equal(p->stats[0].value, "734112");
	assert_string_equal(p->stats[1].key, "StackInuse");
	assert_string_equal(p->stats[1].value, "425984");
	assert_string_equal(p->stats[2].key, "StackSys");
	assert_string_equal(p->stats[2].value, "425985");
	/* PauseNs, an array, is left out. */
	assert_string_equal(p->stats[3].key, "NumGC");
	assert_string_equal(p->stats[4].value, "false");
	profile_free(p);
}

static void header_variants(void **state)
{
	static const char v2[] =
		"heap profile: 1: 100 [1: 100] @ heap_v2/524288\n"
		"1: 100 [1: 100] @ 0x1\n\n";
	static const char unscaled[] =
		"heap profile: 3: 96 [3: 96] @ heapprofile\n"
		"3: 96 [3: 96] @ 0x1 0x2\n\n";
	struct profile *p;

	(void)state;
	p = profile_decode("v2", (const uint8_t *)v2, sizeof(v2) - 1, &lim,
			   NULL);
	assert_non_null(p);
	assert_int_equal(p->period, 524288);
	profile_free(p);
	p = profile_decode("u", (const uint8_t *)unscaled,
			   sizeof(unscaled) - 1, &lim, NULL);
	assert_non_null(p);
	assert_int_equal(p->samples[0].values[3], 96);
	/* No '#' frames: bare addresses become unsymbolized locations. */
	assert_int_equal(p->samples[0].nlocs, 2);
	assert_int_equal(p->locations[p->samples[0].locs[1]].address, 2);
	assert_int_equal(p->locations[p->samples[0].locs[1]].nlines, 0);
	profile_free(p);
}

static void malformed(void **state)
{
	static const char *const bad[] = {
		"heap profile: x\n",
		"heap profile: 1: 2 [3: 4] @ growth\n",
		"heap profile: 1: 2 [3: 4] @ heap/1\nnonsense\n",
		"heap profile: 1: 2 [3: 4] @ heap/1\n1: 2 [3 4] @ 0x1\n",
		"heap profile: 1: 2 [3: 4] @ heap/1\n0: 2 [3: 4] @ 0x1\n",
		"heap profile: 1: 2 [3: 4] @ heap/1\n"
		"99999999999999999999: 2 [3: 4] @ 0x1\n",
		"heap profile: 1: 2 [3: 4] @ heap/1\n1: 2 [3: 4] @ 0x1\n"
		"#\tzz\tmain.f\t/a.go:1\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct profile *p = profile_decode("bad",
			(const uint8_t *)bad[i], strlen(bad[i]), &lim, NULL);

		assert_null(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_and_scaling),
		cmocka_unit_test(memstats),
		cmocka_unit_test(header_variants),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

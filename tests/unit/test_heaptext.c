/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: legacy heap?debug=1 text, its scaling and its MemStats. */
#include "unit.h"
#include "cutdecode.h"

#include "base/leaky.h"
#include "decode/sniff.h"
#include "decode/reader.h"
#include "model/profile.h"

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
	assert_int_equal(sniff(dump, sizeof(dump) - 1), SNIFF_HEAP_TEXT);
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

/* decode_prefix(): the shared cut decoder with this file's limits. */
static struct profile *decode_prefix(const char *text, size_t n)
{
	return decode_cut(text, n, &lim);
}

/*
 * Go ends a heap text with its MemStats trailer through DebugGC, every
 * line with a newline: a dump cut at any byte before its end is truncated
 * and said so, whether the cut falls inside a record, a frame line, the
 * header or the trailer.
 */
static void every_cut_is_truncated(void **state)
{
	size_t len = sizeof(dump) - 1, k = sizeof("heap profile:") - 1, n;

	(void)state;
	for (n = k; n < len; n++) {
		struct profile *p = decode_prefix(dump, n);

		if (p || !strstr(last_error, "cut: truncated heap profile: "))
			print_error("cut at byte %zu: %s\n", n, last_error);
		assert_null(p);
		assert_non_null(strstr(last_error,
				       "cut: truncated heap profile: "));
	}
	profile_free(decode_prefix(dump, len));
	assert_string_equal(last_error, "");
}

static void truncation_reasons(void **state)
{
	const char *memstats = strstr(dump, "# runtime.MemStats");
	const char *debuggc = strstr(dump, "# DebugGC");
	const char *frame = strstr(dump, "main.handle+0x90");
	static const char v2[] =
		"heap profile: 1: 100 [1: 100] @ heap_v2/524288\n"
		"1: 100 [1: 100] @ 0x1";
	static const char maxrss[] =
		"heap profile: 0: 0 [0: 0] @ heap/1048576\n"
		"\n# runtime.MemStats\n# DebugGC = false\n# MaxRSS = 1234";
	static const char newer[] =
		"heap profile: 0: 0 [0: 0] @ heap/1048576\n"
		"\n# runtime.MemStats\n# DebugGC = false\n# MaxRSS = 1234\n"
		"# SomeFutureKey = 5\n";
	size_t n;

	(void)state;
	/* Just the first line. */
	assert_null(decode_prefix(dump, strchr(dump, '\n') + 1 - dump));
	assert_string_equal(last_error, "cut: truncated heap profile: no "
			    "runtime.MemStats section (cut at line 1)");
	/* Mid-frame: the frame line itself would parse. */
	assert_null(decode_prefix(dump, (size_t)(frame - dump) + 4));
	assert_string_equal(last_error, "cut: truncated heap profile: no "
			    "runtime.MemStats section (cut at line 4)");
	/* At a line boundary just before the trailer. */
	assert_null(decode_prefix(dump, (size_t)(memstats - dump)));
	assert_string_equal(last_error, "cut: truncated heap profile: no "
			    "runtime.MemStats section (cut at line 9)");
	assert_null(decode_prefix(dump, (size_t)(debuggc - dump)));
	assert_string_equal(last_error, "cut: truncated heap profile: its "
			    "runtime.MemStats section stops before DebugGC "
			    "(cut at line 14)");
	/* Inside the header. */
	assert_null(decode_prefix(dump, 20));
	assert_string_equal(last_error, "cut: truncated heap profile: its "
			    "header line is cut short (cut at line 1)");
	/* After DebugGC, MaxRSS cut short; C++ kinds have no trailer. */
	assert_null(decode_prefix(maxrss, sizeof(maxrss) - 1));
	assert_string_equal(last_error, "cut: truncated heap profile: its "
			    "last line is cut short (cut at line 5)");
	assert_null(decode_prefix(v2, sizeof(v2) - 1));
	assert_string_equal(last_error, "cut: truncated heap profile: its "
			    "last line is cut short (cut at line 2)");
	/* Whole: through DebugGC (Go before 1.16), or lines a newer Go
	 * might add after it. */
	n = (size_t)(strstr(maxrss, "# MaxRSS") - maxrss);
	profile_free(decode_prefix(maxrss, n));
	assert_string_equal(last_error, "");
	profile_free(decode_prefix(newer, sizeof(newer) - 1));
	assert_string_equal(last_error, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_and_scaling),
		cmocka_unit_test(memstats),
		cmocka_unit_test(header_variants),
		cmocka_unit_test(malformed),
		cmocka_unit_test(every_cut_is_truncated),
		cmocka_unit_test(truncation_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

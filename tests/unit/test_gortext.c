/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: goroutine?debug=1 and ?debug=2 text, every header variant. */
#include "unit.h"
#include "cutdecode.h"

#include "base/leaky.h"
#include "decode/reader.h"
#include "model/profile.h"

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

static const char text1[] =
	"goroutine profile: total 4\n"
	"3 @ 0x43a2c5 0x40a3f4 0x4b77c1\n"
	"# labels: {\"route\":\"/upload\", \"q\":\"a\\\"b\"}\n"
	"#\t0x4b77c0\tmain.worker+0x60\t/src/app/pool.go:40\n"
	"#\t0x4b7000\tmain.main+0x10\t\t/src/app/main.go:9\n"
	"\n"
	"1 @ 0x1\n"
	"#\t0x1\n"
	"\n";

static void debug1(void **state)
{
	struct profile *p = decode(text1);

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

/* decode_prefix(): the shared cut decoder with this file's limits. */
static struct profile *decode_prefix(const char *text, size_t n)
{
	return decode_cut(text, n, &lim);
}

/* debug=1: a blank line ends each record, the counts reach the total. */
static void debug1_every_cut_is_truncated(void **state)
{
	size_t len = sizeof(text1) - 1, n;

	(void)state;
	for (n = sizeof("goroutine profile:") - 1; n < len; n++) {
		struct profile *p = decode_prefix(text1, n);

		if (p || !strstr(last_error, "cut: truncated goroutine "
				 "profile: "))
			fail_msg("cut at byte %zu: '%s'", n, last_error);
	}
	profile_free(decode_prefix(text1, len));
	assert_string_equal(last_error, "");
	/* Just the header; one whole record of two. */
	assert_null(decode_prefix(text1, sizeof("goroutine profile: total 4")));
	assert_string_equal(last_error, "cut: truncated goroutine profile: "
			    "its records count fewer goroutines than its "
			    "header's total (cut at line 1)");
	assert_null(decode_prefix(text1, (size_t)(strstr(text1, "1 @") -
						  text1)));
	assert_string_equal(last_error, "cut: truncated goroutine profile: "
			    "its records count fewer goroutines than its "
			    "header's total (cut at line 6)");
	assert_null(decode_prefix(text1, len - 1));
	assert_string_equal(last_error, "cut: truncated goroutine profile: "
			    "its last record does not end with a blank line "
			    "(cut at line 8)");
}

/*
 * debug=2: a cut anywhere is refused unless it falls just after a line Go
 * may end a dump with (a frame's file:line, the elision or other-thread
 * note, or a blank line after one), which cannot be told from an end.
 */
static void debug2_cuts(void **state)
{
	size_t len = sizeof(dump) - 1, n;
	size_t accepted = 0;

	(void)state;
	/* Cut inside the first header, from its id on. */
	for (n = sizeof("goroutine 1") - 1; n < len; n++) {
		struct profile *p = decode_prefix(dump, n);
		const char *lastline;
		size_t k = n - 1;

		if (!p) {
			if (!strstr(last_error, "cut: truncated goroutine "
				    "dump: "))
				fail_msg("cut at byte %zu: '%s'", n,
					 last_error);
			continue;
		}
		profile_free(p);
		accepted++;
		/* Whole lines only, the last non-blank one an ending. */
		assert_int_equal(dump[n - 1], '\n');
		while (k > 0 && dump[k - 1] == '\n')
			k--;
		lastline = dump + k;
		while (lastline > dump && lastline[-1] != '\n')
			lastline--;
		if (!(*lastline == '\t' || !strncmp(lastline, "...", 3)))
			fail_msg("cut at byte %zu decoded", n);
	}
	assert_true(accepted > 0);
	profile_free(decode_prefix(dump, len));
	assert_string_equal(last_error, "");
}

static void debug2_truncation_reasons(void **state)
{
	static const char header[] =
		"goroutine 1 [running]:\nmain.main()\n\t/a/m.go:1 +0x1\n\n"
		"goroutine 7 [chan";
	static const char midstack[] =
		"goroutine 7 [chan receive]:\nmain.worker(0x1)\n";
	static const char first[] = "goroutine 7 [chan receive]:\n";
	static const char created[] =
		"goroutine 7 [select]:\nmain.w()\n\t/a/w.go:1 +0x1\n"
		"created by main.main in goroutine 1\n";
	static const char ancestor[] =
		"goroutine 7 [select]:\nmain.w()\n\t/a/w.go:1 +0x1\n"
		"[originating from goroutine 1]:\n";
	static const char file[] =
		"goroutine 7 [select]:\nmain.w()\n\t/a/w.g";
	static const char trailing[] =
		"goroutine 7 [select]:\nmain.w()\n\t/a/w.go:1 +0x1\n\n";

	(void)state;
	assert_null(decode_prefix(first, 16));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last line is cut short (cut at line 1)");
	assert_null(decode_prefix(header, sizeof(header) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last line is cut short (cut at line 5)");
	assert_null(decode_prefix(midstack, sizeof(midstack) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last function has no file:line after it (cut at "
			    "line 2)");
	assert_null(decode_prefix(first, sizeof(first) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last goroutine has no stack (cut at line 1)");
	assert_null(decode_prefix(created, sizeof(created) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last 'created by' line has no file:line after it "
			    "(cut at line 4)");
	assert_null(decode_prefix(ancestor, sizeof(ancestor) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last ancestor has no stack (cut at line 4)");
	assert_null(decode_prefix(file, sizeof(file) - 1));
	assert_string_equal(last_error, "cut: truncated goroutine dump: its "
			    "last line is cut short (cut at line 3)");
	profile_free(decode_prefix(trailing, sizeof(trailing) - 1));
	assert_string_equal(last_error, "");
}

/* GODEBUG=tracebackancestors=2: the first ancestor is the creator's stack
 * when it made the goroutine; its own "created by" and the older ancestor
 * are history of the creator, not kept. */
static const char text_anc[] =
	"goroutine 12 [chan receive]:\n"
	"main.worker(0xc000010168?)\n"
	"\t/src/app/pool.go:40 +0x1e\n"
	"created by main.spawn in goroutine 7\n"
	"\t/src/app/pool.go:21 +0x8a\n"
	"[originating from goroutine 7]:\n"
	"main.spawn(...)\n"
	"\t/src/app/pool.go:21 +0x8a\n"
	"main.loop(...)\n"
	"\t/src/app/pool.go:12 +0x10\n"
	"created by main.main\n"
	"\t/src/app/main.go:9 +0x20\n"
	"[originating from goroutine 1]:\n"
	"main.main(...)\n"
	"\t/src/app/main.go:9 +0x20\n"
	"\n"
	"goroutine 13 [select]:\n"
	"main.other()\n"
	"\t/src/app/other.go:3 +0x1\n"
	"\n";

static void debug2_creators(void **state)
{
	struct profile *p = decode(text_anc);
	const struct prof_goroutine *g;

	(void)state;
	assert_non_null(p);
	assert_int_equal(p->nsamples, 2);
	g = &p->goroutines[0];
	assert_string_equal(g->created_by, "main.spawn");
	assert_int_equal(g->creator_id, 7);
	assert_string_equal(g->created_at, "/src/app/pool.go:21");
	assert_string_equal(g->creator_stack, "main.loop;main.spawn");
	/* the ancestors' frames are not the goroutine's */
	assert_int_equal(p->samples[0].nlocs, 1);
	assert_string_equal(fname(p, 0, 0), "main.worker");
	g = &p->goroutines[1];
	assert_string_equal(g->created_by, "");
	assert_string_equal(g->created_at, "");
	assert_string_equal(g->creator_stack, "");
	profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(debug1),
		cmocka_unit_test(debug2),
		cmocka_unit_test(debug2_creators),
		cmocka_unit_test(malformed),
		cmocka_unit_test(debug1_every_cut_is_truncated),
		cmocka_unit_test(debug2_cuts),
		cmocka_unit_test(debug2_truncation_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

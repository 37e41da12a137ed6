/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: verdicts on synthetic series of known shape. */
#include "unit.h"

#include <math.h>

#include "report/dataset.h"
#include "report/report.h"
#include "base/strmap.h"

#define N 14

/*
 * A dataset of one target whose heap follows y[i] bytes, one per 60 s;
 * its one function holds f[i] (half the heap when f is NULL).
 */
static void make_fp(struct dataset *ds, const double *y, const double *f,
		    size_t n, int64_t period)
{
	struct ds_target *t;
	size_t i;

	memset(ds, 0, sizeof(*ds));
	ds->funcs = strmap_new();
	ds->groups = strmap_new();
	ds->stats = strmap_new();
	strmap_intern(ds->funcs, "main.grow", 9, NULL);
	ds->ntargets = ds->captargets = 1;
	ds->targets = calloc(1, sizeof(*ds->targets));
	t = &ds->targets[0];
	t->name = strdup("api");
	t->nheap = t->capheap = n;
	t->heap = calloc(n, sizeof(*t->heap));
	for (i = 0; i < n; i++) {
		struct ds_heap *h = &t->heap[i];

		h->t = (int64_t)(1700000000 + 60 * i) * 1000000000;
		h->inuse_space = (int64_t)y[i];
		h->alloc_space = 1000000 * (int64_t)(i + 1);
		h->nrows = 1;
		h->keys = calloc(1, sizeof(*h->keys));
		h->flat = calloc(1, sizeof(*h->flat));
		h->cum = calloc(1, sizeof(*h->cum));
		h->flat[0] = h->cum[0] = f ? (int64_t)f[i] : (int64_t)y[i] / 2;
		h->period = period;
	}
}

static void make_f(struct dataset *ds, const double *y, const double *f,
		   size_t n)
{
	make_fp(ds, y, f, n, 0);
}

/*
 * The verdict of a heap (and its function) at the given sampling
 * period, and the rule the heap's row names (the CSV's rule column).
 */
static enum verdict judged(const double *y, const double *f, size_t n,
			   int64_t period, char *rule, size_t rulelen)
{
	struct report_opts o;
	struct dataset ds;
	struct report *r;
	enum verdict v;
	char *csv = NULL, *line, *comma;
	size_t len = 0, k;
	FILE *mem;

	make_fp(&ds, y, f, n, period);
	report_opts_default(&o);
	r = report_new(&ds, &o);
	v = report_verdict(r);
	mem = open_memstream(&csv, &len);
	assert_non_null(mem);
	assert_int_equal(report_write_csv(r, mem), 0);
	fclose(mem);
	if (getenv("DEBUG_CSV"))
		fputs(csv, stderr);
	line = strstr(csv, "\napi,1,heap_inuse_bytes,");
	assert_non_null(line);
	line = strchr(line + 1, '\n');
	*line = '\0';
	/* the rule is the last column but four (rising_since,
	 * hours_to_limit, function and path_share come after it): read from
	 * the end, as the note before it is quoted and has commas */
	for (k = 0; k < 4; k++)
		*strrchr(csv, ',') = '\0';
	comma = strrchr(csv, ',');
	snprintf(rule, rulelen, "%s", comma + 1);
	free(csv);
	report_free(r);
	ds_release(&ds);
	return v;
}


static enum verdict verdict_f(const double *y, const double *f, size_t n)
{
	struct report_opts o;
	struct dataset ds;
	struct report *r;
	enum verdict v;

	make_f(&ds, y, f, n);
	report_opts_default(&o);
	r = report_new(&ds, &o);
	v = report_verdict(r);
	report_free(r);
	ds_release(&ds);
	return v;
}

static enum verdict verdict_of(const double *y, size_t n)
{
	return verdict_f(y, NULL, n);
}

static void leak(void **state)
{
	double y[N];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++)
		y[i] = 1e6 + 1e5 * (double)i;
	assert_int_equal(verdict_of(y, N), VERDICT_LEAK);
}

static void leak_under_noise(void **state)
{
	/* +20 KB per step under +-60 KB of noise that is not periodic. */
	static const double noise[N] = {
		0.3, -0.9, 0.6, 0.1, -0.5, 0.9, -0.2, -0.8, 0.7, 0.0,
		-0.6, 0.4, -0.1, 0.8,
	};
	double y[N];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++)
		y[i] = 1e6 + 2e4 * (double)i + 6e4 * noise[i];
	assert_true(verdict_of(y, N) >= VERDICT_SUSPECT);
}

static void oscillation(void **state)
{
	double y[N];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++)
		y[i] = 1e6 + (i % 3 == 0 ? 4e5 : i % 3 == 1 ? 0 : 2e5);
	assert_int_equal(verdict_of(y, N), VERDICT_OK);
}

static void warmup(void **state)
{
	double y[N];
	size_t i;

	(void)state;
	/* Fills for 5 snapshots, then flat with a little jitter. */
	for (i = 0; i < N; i++)
		y[i] = i < 5 ? 1e6 + 2e5 * (double)i :
			       2e6 + (i % 2 ? 1e3 : -1e3);
	assert_int_equal(verdict_of(y, N), VERDICT_OK);
}

static void tiny_growth(void **state)
{
	double y[N];
	size_t i;

	(void)state;
	/* Monotonic but 1% in all: under the default min growth. */
	for (i = 0; i < N; i++)
		y[i] = 1e6 + 1e3 * (double)i;
	assert_int_equal(verdict_of(y, N), VERDICT_OK);
}

static void leak_under_churn(void **state)
{
	/* The rest of the heap jumps early and churns; one function leaks. */
	static const double rest[N] = {
		2.0, 1.2, 1.1, 0.3, 0.1, 1.4, 1.3, 1.4, 1.3, 1.3, 1.3, 0.2,
		0.1, 0.2,
	};
	double y[N], f[N];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		f[i] = 3e5 * (double)i;
		y[i] = f[i] + 1e6 * rest[i];
	}
	assert_int_equal(verdict_f(y, f, N), VERDICT_LEAK);
	/* The same churn without the leaking function: no leak. */
	for (i = 0; i < N; i++)
		f[i] = 0;
	assert_true(verdict_f(y, f, N) < VERDICT_LEAK);
}

/* Jitter that is not a trend: +-1 KB. */
static double jitter(size_t i)
{
	return i % 2 ? 1e3 : -1e3;
}

static void one_step(void **state)
{
	double y[N];
	char rule[32];
	size_t i;

	(void)state;
	/* A table reloaded into a bigger one at snapshot 5, flat since. */
	for (i = 0; i < N; i++)
		y[i] = (i < 5 ? 1e6 : 4e6) + jitter(i);
	assert_int_equal(judged(y, NULL, N, 0, rule, sizeof(rule)),
			 VERDICT_OK);
	assert_string_equal(rule, "step");
	/* A staircase: the same jump every third snapshot is a leak. */
	for (i = 0; i < N; i++)
		y[i] = 1e6 + 1e6 * (double)(i / 3) + jitter(i);
	assert_int_equal(judged(y, NULL, N, 0, rule, sizeof(rule)),
			 VERDICT_LEAK);
	assert_string_equal(rule, "rising");
}

static void late_onset(void **state)
{
	double y[N];
	char rule[32];
	size_t i;

	(void)state;
	/* Flat for half the window, then a steady leak. */
	for (i = 0; i < N; i++)
		y[i] = 1e6 + (i < 7 ? 0 : 2e5 * (double)(i - 6)) + jitter(i);
	assert_int_equal(judged(y, NULL, N, 0, rule, sizeof(rule)),
			 VERDICT_LEAK);
	assert_string_equal(rule, "rising");
}

static void sampling_floor(void **state)
{
	double y[N], f[N];
	char rule[32];
	size_t i;

	(void)state;
	/*
	 * At Go's default rate a function's bytes move in samples of 512
	 * KiB: two of them over the window are noise...
	 */
	for (i = 0; i < N; i++) {
		f[i] = 524288.0 * (1 + (i >= 4) + (i >= 9));
		y[i] = 8e6 + f[i] + jitter(i);
	}
	assert_int_equal(judged(y, f, N, 524288, rule, sizeof(rule)),
			 VERDICT_OK);
	assert_string_equal(rule, "floor");
	/* ... the same values at a fine sampling rate are not. */
	assert_true(judged(y, f, N, 4096, rule, sizeof(rule)) >
		    VERDICT_OK);
}

static void not_enough(void **state)
{
	double y[5] = { 1, 2, 3, 4, 5 };

	(void)state;
	assert_int_equal(verdict_of(y, 5), VERDICT_NODATA);
}

/*
 * report_marks(): the heap's row and the function the text names, with
 * the same verdict and slope; a flat heap names no function.
 */
static void marks(void **state)
{
	struct report_opts o;
	struct report_mark *m;
	struct dataset ds;
	struct report *r;
	double y[N];
	size_t i, n;

	(void)state;
	for (i = 0; i < N; i++)
		y[i] = 1e6 + 1e5 * (double)i;
	make_f(&ds, y, NULL, N);
	report_opts_default(&o);
	r = report_new(&ds, &o);
	assert_int_equal(report_target_verdict(r, 0), VERDICT_LEAK);
	n = report_marks(r, 0, &m);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].part, REPORT_PART_HEAP);
	assert_int_equal(m[0].v, VERDICT_LEAK);
	/* 1e5 bytes a minute */
	assert_true(fabs(m[0].slope - 1e5 / 60) < 1);
	assert_true(m[0].t0 == 1700000000.0);
	assert_true(m[0].t1 == 1700000000.0 + 60 * (N - 1));
	assert_int_equal(m[1].part, REPORT_PART_FUNCTION);
	assert_int_equal(m[1].id, 0);
	assert_int_equal(m[1].v, VERDICT_LEAK);
	assert_true(fabs(m[1].slope - 0.5e5 / 60) < 1);
	free(m);
	report_free(r);
	ds_release(&ds);
	for (i = 0; i < N; i++)
		y[i] = 1e6;
	make_f(&ds, y, NULL, N);
	r = report_new(&ds, &o);
	n = report_marks(r, 0, &m);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].part, REPORT_PART_HEAP);
	assert_int_equal(m[0].v, VERDICT_OK);
	free(m);
	report_free(r);
	ds_release(&ds);
}

static void names(void **state)
{
	enum verdict v;

	(void)state;
	assert_string_equal(verdict_name(VERDICT_LEAK), "leak");
	assert_int_equal(verdict_parse("suspect", &v), 0);
	assert_int_equal(v, VERDICT_SUSPECT);
	assert_int_equal(verdict_parse("always", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leak),
		cmocka_unit_test(leak_under_noise),
		cmocka_unit_test(oscillation),
		cmocka_unit_test(warmup),
		cmocka_unit_test(tiny_growth),
		cmocka_unit_test(leak_under_churn),
		cmocka_unit_test(one_step),
		cmocka_unit_test(late_onset),
		cmocka_unit_test(sampling_floor),
		cmocka_unit_test(not_enough),
		cmocka_unit_test(names),
		cmocka_unit_test(marks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

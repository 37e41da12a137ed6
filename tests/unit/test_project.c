/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: projecting a growing series to a limit. */
#include "unit.h"

#include "analyze/project.h"
#include "analyze/stats.h"

#include <math.h>

/* A line of slope 2 per second, with noise of known shape: +-1. */
static void line(double *t, double *y, size_t n, double slope, double y0)
{
	size_t i;

	for (i = 0; i < n; i++) {
		t[i] = 1000 + 10.0 * (double)i;
		y[i] = y0 + slope * (t[i] - 1000) + (i % 3 == 0 ? 1 : i % 3 == 1 ?
						     -1 : 0);
	}
}

static void known_time(void **state)
{
	double t[30], y[30];
	struct projection p;

	(void)state;
	line(t, y, 30, 2, 100);
	/* Last value 100 + 2 * 290 (+ noise 1 at i = 29? 29 % 3 = 2: 0). */
	assert_true(fabs(y[29] - 680) < 1e-9);
	assert_int_equal(project_to_limit(t, y, 30, 680 + 7200, &p), 0);
	assert_true(fabs(p.slope - 2) < 0.01);
	/* 7200 bytes left at 2 a second: an hour. */
	assert_true(fabs(p.seconds - 3600) < 20);
	assert_true(p.slope_lo <= p.slope && p.slope <= p.slope_hi);
	assert_true(p.slope_lo > 1.9 && p.slope_hi < 2.1);
	assert_true(p.soonest <= p.seconds && p.seconds <= p.latest);
	assert_true(p.soonest > 3300 && p.latest < 3900);
}

static void exact_line(void **state)
{
	double t[10], y[10];
	struct projection p;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++) {
		t[i] = (double)i;
		y[i] = 5 * (double)i;
	}
	/* 45 now, 545 limit, 5 a second: 100 s, and no spread at all. */
	assert_int_equal(project_to_limit(t, y, 10, 545, &p), 0);
	assert_true(fabs(p.seconds - 100) < 1e-9);
	assert_true(fabs(p.soonest - 100) < 1e-9);
	assert_true(fabs(p.latest - 100) < 1e-9);
}

static void no_projection(void **state)
{
	double t[20], y[20];
	struct projection p;

	(void)state;
	line(t, y, 20, -1, 1000);
	assert_int_equal(project_to_limit(t, y, 20, 5000, &p), -1);
	line(t, y, 20, 2, 100);
	/* Past the limit already. */
	assert_int_equal(project_to_limit(t, y, 20, 100, &p), -1);
	assert_int_equal(project_to_limit(t, y, 2, 5000, &p), -1);
}

static void noisy_interval(void **state)
{
	double t[40], y[40];
	struct projection p;
	size_t i;

	(void)state;
	/* A slow rise under large noise: the slow end may never get there. */
	for (i = 0; i < 40; i++) {
		t[i] = (double)i;
		y[i] = 0.1 * (double)i + (i % 2 ? 10 : -10);
	}
	assert_int_equal(project_to_limit(t, y, 40, 1000, &p), 0);
	assert_true(p.slope_lo < p.slope && p.slope < p.slope_hi);
	assert_true(p.soonest < p.seconds);
	assert_true(isinf(p.latest) || p.latest > p.seconds);
}

static void thinned(void **state)
{
	enum { N = 3 * STATS_MAX_POINTS };
	static double t[N], y[N];
	struct projection p;

	(void)state;
	line(t, y, N, 0.5, 0);
	assert_int_equal(project_to_limit(t, y, N, y[N - 1] + 1800, &p), 0);
	assert_true(fabs(p.seconds - 3600) < 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_time),
		cmocka_unit_test(exact_line),
		cmocka_unit_test(no_projection),
		cmocka_unit_test(noisy_interval),
		cmocka_unit_test(thinned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

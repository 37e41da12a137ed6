/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: trend statistics against values worked out by hand. */
#include "unit.h"

#include <math.h>

#include "analyze/stats.h"

static void theil_sen(void **state)
{
	/* Slopes of all pairs: 1, 1.5, 2, 2, 2.5, 3 -> median 2. */
	const double t[] = { 0, 1, 2, 3 };
	const double y[] = { 0, 1, 3, 6 };
	/* A wild outlier moves least squares, not Theil-Sen. */
	const double y2[] = { 0, 2, 4, 1000, 8, 10 };
	const double t2[] = { 0, 1, 2, 3, 4, 5 };

	(void)state;
	assert_true(fabs(stats_theil_sen(t, y, 4) - 2) < 1e-12);
	assert_true(fabs(stats_theil_sen(t2, y2, 6) - 2) < 1e-12);
	assert_true(stats_theil_sen(t, y, 1) == 0);
}

static void mann_kendall(void **state)
{
	const double up[] = { 1, 2, 3, 4, 5, 6 };
	const double ties[] = { 1, 1, 2, 2, 3 };
	const double flat[] = { 4, 4, 4, 4 };
	double s, z, p;

	(void)state;
	/*
	 * n = 6, S = 15, Var = 6*5*17/18 = 28.333..., Z = 14/sqrt(Var)
	 * = 2.6301..., one-sided p = 0.004267...
	 */
	p = stats_mann_kendall(up, 6, &s, &z);
	assert_true(s == 15);
	assert_true(fabs(z - 2.630142) < 1e-5);
	assert_true(fabs(p - 0.0042674) < 1e-6);
	/*
	 * Ties: S = 8 (pairs that rise; equal pairs count 0). Var =
	 * (5*4*15 - 2*(2*1*9)) / 18 = (300 - 36) / 18 = 14.6667,
	 * Z = 7 / 3.82971 = 1.82782.
	 */
	p = stats_mann_kendall(ties, 5, &s, &z);
	assert_true(s == 8);
	assert_true(fabs(z - 1.827813) < 1e-5);
	assert_true(p > 0.03 && p < 0.04);
	p = stats_mann_kendall(flat, 4, &s, &z);
	assert_true(p == 1 && s == 0);
	p = stats_mann_kendall(up, 2, &s, &z);
	assert_true(p == 1);
}

static void median(void **state)
{
	double a[] = { 5, 1, 4, 2, 3 }, b[] = { 4, 1, 3, 2 };
	double big[101];
	size_t i;

	(void)state;
	assert_true(stats_median(a, 5) == 3);
	assert_true(stats_median(b, 4) == 2.5);
	for (i = 0; i < 101; i++)
		big[i] = (double)((i * 37) % 101);
	assert_true(stats_median(big, 101) == 50);
	for (i = 0; i < 100; i++)
		big[i] = (double)((i * 37) % 100);
	assert_true(stats_median(big, 100) == 49.5);
	assert_true(stats_median(a, 0) == 0);
}

static void trend(void **state)
{
	double t[1000], y[1000];
	struct trend tr;
	size_t i;

	(void)state;
	/* Up 10 per step with +-30 noise: half the steps go down. */
	for (i = 0; i < 1000; i++) {
		t[i] = (double)i;
		y[i] = 10.0 * (double)i + (i % 2 ? 30 : -30);
	}
	stats_trend(t, y, 1000, &tr);
	assert_int_equal(tr.n, 1000);
	assert_true(fabs(tr.slope - 10) < 0.5);
	assert_true(tr.mk_p < 1e-6);
	assert_true(fabs(tr.rising - 500.0 / 999) < 1e-12);
	assert_true(tr.first == -30 && tr.last == 9990 + 30);
	assert_true(tr.growth == tr.last - tr.first);
	/* Pure oscillation: no trend. */
	for (i = 0; i < 40; i++)
		y[i] = i % 2 ? 100 : 0;
	stats_trend(t, y, 40, &tr);
	assert_true(tr.mk_p > 0.3);
	assert_true(fabs(tr.rising - 20.0 / 39) < 1e-12);
	stats_trend(t, y, 0, &tr);
	assert_true(tr.mk_p == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theil_sen),
		cmocka_unit_test(mann_kendall),
		cmocka_unit_test(median),
		cmocka_unit_test(trend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * When a growing series reaches a limit at its rate: its Theil-Sen slope
 * and that slope's 95% confidence interval (Sen's rank-based one), and
 * the time from the last value to the limit at each.
 */
#ifndef LEAKY_PROJECT_H
#define LEAKY_PROJECT_H

#include <stddef.h>

struct projection {
	double slope;		/* Theil-Sen, y units per second */
	double slope_lo, slope_hi;	/* its 95% confidence interval */
	double seconds;		/* from the last point to the limit */
	double soonest;		/* at slope_hi */
	double latest;		/* at slope_lo; INFINITY when it is <= 0 */
};

/*
 * The Theil-Sen slope of n points (t seconds, strictly increasing) and
 * its 95% interval: the order statistics of the N pairwise slopes at
 * ranks (N - C) / 2 and (N + C) / 2 + 1, C = 1.96 sqrt(n (n-1) (2n+5) /
 * 18) (Sen 1968; no correction for ties). Above STATS_MAX_POINTS points,
 * on that many evenly spaced ones. 0 everywhere when n < 2.
 */
void project_slope(const double *t, const double *y, size_t n,
		   double *slope, double *lo, double *hi);

/*
 * Projects the series to limit from its last value. Returns 0 with *p
 * filled, or -1 when it does not get there at its rate: fewer than 3
 * points, a slope that is not positive, or a last value at or above the
 * limit already.
 */
int project_to_limit(const double *t, const double *y, size_t n,
		     double limit, struct projection *p);

#endif

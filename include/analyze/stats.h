/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trend statistics for time series of snapshots: Theil-Sen slope,
 * Mann-Kendall test, rising steps. Robust to outliers and noise, which
 * is what telling a leak from an oscillation needs.
 */
#ifndef LEAKY_STATS_H
#define LEAKY_STATS_H

#include <stddef.h>

/* The trend of n points (t seconds, y values), t strictly increasing. */
struct trend {
	size_t n;
	double first, last, min, max;
	double growth;		/* last - first */
	double growth_from_min;	/* last - min */
	double slope;		/* Theil-Sen, y units per second */
	double mk_s;		/* Mann-Kendall S */
	double mk_z;
	double mk_p;		/* one-sided p-value of an upward trend */
	double rising;		/* fraction of steps that go up */
};

/*
 * Fills *tr for the n points. Above STATS_MAX_POINTS points the O(n^2)
 * statistics run on that many evenly spaced points; first, last, min, max
 * and rising always use them all. n may be 0 (everything zero, p = 1).
 */
void stats_trend(const double *t, const double *y, size_t n,
		 struct trend *tr);

#define STATS_MAX_POINTS 400

/* Median of pairwise slopes (y[j]-y[i])/(t[j]-t[i]), i < j; 0 if n < 2. */
double stats_theil_sen(const double *t, const double *y, size_t n);
/*
 * Mann-Kendall: S and its normal-approximation z (with the tie
 * correction and continuity correction); returns the one-sided p-value
 * of an upward trend, 1 when n < 3 or the variance is zero.
 */
double stats_mann_kendall(const double *y, size_t n, double *s, double *z);
/* Median of n values (reordered in place); 0 when n is 0. */
double stats_median(double *v, size_t n);

#endif

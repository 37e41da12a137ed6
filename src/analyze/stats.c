/* SPDX-License-Identifier: Apache-2.0 */
/* Theil-Sen, Mann-Kendall and friends for leaky report. */
#include "analyze/stats.h"
#include "base/leaky.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Quickselect: the k-th smallest of v (reordered). Theil-Sen takes the
 * median of up to n(n-1)/2 = 79,800 slopes (STATS_MAX_POINTS points):
 * selecting it is linear on average, where sorting them all would cost a
 * log factor for every series a report ranks.
 */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double tmp = v[i];

				v[i] = v[j];
				v[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

double stats_median(double *v, size_t n)
{
	double a, b;

	if (!n)
		return 0;
	/* Small inputs: a sort is simpler and no slower. */
	if (n < 64) {
		qsort(v, n, sizeof(*v), cmp_double);
		return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	a = select_kth(v, n, n / 2);
	if (n % 2)
		return a;
	b = select_kth(v, n, n / 2 - 1);
	return (a + b) / 2;
}

double stats_theil_sen(const double *t, const double *y, size_t n)
{
	size_t i, j, k = 0;
	double *s, m;

	if (n < 2)
		return 0;
	/*
	 * The median of every pairwise slope, not a least-squares fit: a
	 * leak's series has outliers (a GC that ran just before one snapshot,
	 * a burst of requests during another), and up to 29% of the points
	 * can be wild before the median moves (the estimator's breakdown
	 * point), where one outlier bends a least-squares line. Pairs with
	 * equal times (two snapshots in one instant) have no slope and are
	 * left out rather than divided by zero.
	 */
	s = xmalloc(n * (n - 1) / 2 * sizeof(*s));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (t[j] > t[i])
				s[k++] = (y[j] - y[i]) / (t[j] - t[i]);
	m = stats_median(s, k);
	free(s);
	return m;
}

static int sign(double d)
{
	return (d > 0) - (d < 0);
}

double stats_mann_kendall(const double *y, size_t n, double *s_out,
			  double *z_out)
{
	double s = 0, var, z = 0, *sorted;
	size_t i, j;

	*s_out = 0;
	*z_out = 0;
	/*
	 * S counts, over all pairs in time order, rises minus falls: it only
	 * asks whether later values tend to be larger, not by how much, so a
	 * sawtooth (a cache filled and flushed) scores near zero however tall
	 * its teeth, while a slow steady climb scores high. Below 3 points
	 * there is no evidence either way: p = 1.
	 */
	if (n < 3)
		return 1;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			s += sign(y[j] - y[i]);
	var = (double)n * (n - 1) * (2 * n + 5);
	/*
	 * Tie correction: each group of t equal values. Heap series tie
	 * often (a function allocating nothing between snapshots keeps the
	 * same bytes), and ties lower S's variance; without the correction a
	 * flat series with a few steps would look more significant than it
	 * is.
	 */
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, y, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	for (i = 0; i < n; i = j) {
		double tk;

		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		tk = (double)(j - i);
		if (tk > 1)
			var -= tk * (tk - 1) * (2 * tk + 5);
	}
	free(sorted);
	var /= 18;
	*s_out = s;
	/* All values equal: nothing can be said, and sqrt(0) would divide. */
	if (var <= 0)
		return 1;
	/*
	 * Continuity correction (S moves in steps of 2, the normal curve is
	 * continuous), then the one-sided upper tail: a leak is growth, a
	 * falling series is no finding.
	 */
	if (s > 0)
		z = (s - 1) / sqrt(var);
	else if (s < 0)
		z = (s + 1) / sqrt(var);
	*z_out = z;
	return 0.5 * erfc(z / sqrt(2.0));
}

void stats_trend(const double *t, const double *y, size_t n,
		 struct trend *tr)
{
	double *ts = NULL, *ys = NULL;
	size_t i, m = n, up = 0;

	memset(tr, 0, sizeof(*tr));
	tr->n = n;
	tr->mk_p = 1;
	if (!n)
		return;
	tr->first = y[0];
	tr->last = y[n - 1];
	tr->min = tr->max = y[0];
	for (i = 0; i < n; i++) {
		if (y[i] < tr->min)
			tr->min = y[i];
		if (y[i] > tr->max)
			tr->max = y[i];
		if (i && y[i] > y[i - 1])
			up++;
	}
	/*
	 * First, last, min, max and the rising fraction are cheap and must
	 * see every point (a spike the sampled points skip still counts).
	 */
	tr->growth = tr->last - tr->first;
	tr->growth_from_min = tr->last - tr->min;
	tr->rising = n > 1 ? (double)up / (double)(n - 1) : 0;
	if (n > STATS_MAX_POINTS) {
		/* Evenly spaced points keep the O(n^2) parts bounded. */
		m = STATS_MAX_POINTS;
		ts = xmalloc(m * sizeof(*ts));
		ys = xmalloc(m * sizeof(*ys));
		for (i = 0; i < m; i++) {
			size_t k = i * (n - 1) / (m - 1);

			ts[i] = t[k];
			ys[i] = y[k];
		}
		t = ts;
		y = ys;
	}
	tr->slope = stats_theil_sen(t, y, m);
	tr->mk_p = stats_mann_kendall(y, m, &tr->mk_s, &tr->mk_z);
	free(ts);
	free(ys);
}

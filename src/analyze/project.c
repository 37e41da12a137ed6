/* SPDX-License-Identifier: Apache-2.0 */
/* Projecting a growing series to a limit, with an interval. */
#include "analyze/project.h"
#include "analyze/stats.h"
#include "base/leaky.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void project_slope(const double *t, const double *y, size_t n,
		   double *slope, double *lo, double *hi)
{
	double *ts = NULL, *ys = NULL, *s, c, var;
	size_t i, j, k = 0, m = n;
	long r1, r2;

	*slope = *lo = *hi = 0;
	if (n < 2)
		return;
	if (n > STATS_MAX_POINTS) {
		/* As stats_trend(): evenly spaced points bound the O(n^2). */
		m = STATS_MAX_POINTS;
		ts = xmalloc(m * sizeof(*ts));
		ys = xmalloc(m * sizeof(*ys));
		for (i = 0; i < m; i++) {
			size_t x = i * (n - 1) / (m - 1);

			ts[i] = t[x];
			ys[i] = y[x];
		}
		t = ts;
		y = ys;
	}
	s = xmalloc(m * (m - 1) / 2 * sizeof(*s));
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++)
			if (t[j] > t[i])
				s[k++] = (y[j] - y[i]) / (t[j] - t[i]);
	if (k) {
		qsort(s, k, sizeof(*s), cmp_double);
		*slope = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
		var = (double)m * (double)(m - 1) * (double)(2 * m + 5) / 18;
		c = 1.96 * sqrt(var);
		/* 1-based ranks, clamped to the slopes there are. */
		r1 = (long)floor(((double)k - c) / 2);
		r2 = (long)ceil(((double)k + c) / 2) + 1;
		if (r1 < 1)
			r1 = 1;
		if (r2 > (long)k)
			r2 = (long)k;
		*lo = s[r1 - 1];
		*hi = s[r2 - 1];
	}
	free(s);
	free(ts);
	free(ys);
}

int project_to_limit(const double *t, const double *y, size_t n,
		     double limit, struct projection *p)
{
	double left;

	if (n < 3)
		return -1;
	project_slope(t, y, n, &p->slope, &p->slope_lo, &p->slope_hi);
	left = limit - y[n - 1];
	if (p->slope <= 0 || left <= 0)
		return -1;
	p->seconds = left / p->slope;
	p->soonest = left / p->slope_hi;
	p->latest = p->slope_lo > 0 ? left / p->slope_lo : INFINITY;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Log-linear latency histogram: fixed size, bounded relative error. */
#include "load/lathist.h"

#include <string.h>

#define LINEAR (2u << LATHIST_BITS)	/* values below have a bucket each */

static unsigned bucket_of(uint64_t v)
{
	unsigned shift;

	if (v < LINEAR)
		return (unsigned)v;
	/* v's top LATHIST_BITS + 1 bits, and how far they were shifted */
	shift = (unsigned)(63 - __builtin_clzll(v)) - LATHIST_BITS;
	return (shift << LATHIST_BITS) + (unsigned)(v >> shift);
}

/* The smallest value in bucket i and the bucket's width. */
static void bucket_bounds(unsigned i, uint64_t *lo, uint64_t *width)
{
	unsigned shift;

	if (i < LINEAR) {
		*lo = i;
		*width = 1;
		return;
	}
	shift = (i >> LATHIST_BITS) - 1;
	*lo = (uint64_t)(i - (shift << LATHIST_BITS)) << shift;
	*width = (uint64_t)1 << shift;
}

static uint64_t bucket_mid(unsigned i)
{
	uint64_t lo, width;

	bucket_bounds(i, &lo, &width);
	return lo + width / 2;
}

void lathist_init(struct lathist *h)
{
	memset(h, 0, sizeof(*h));
}

void lathist_record(struct lathist *h, uint64_t v)
{
	if (!h->n || v < h->min)
		h->min = v;
	if (!h->n || v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	h->counts[bucket_of(v)]++;
}

void lathist_merge(struct lathist *dst, const struct lathist *src)
{
	unsigned i;

	if (!src->n)
		return;
	if (!dst->n || src->min < dst->min)
		dst->min = src->min;
	if (!dst->n || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	for (i = 0; i < LATHIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
}

static uint64_t clamp(const struct lathist *h, uint64_t v)
{
	if (v < h->min)
		return h->min;
	if (v > h->max)
		return h->max;
	return v;
}

uint64_t lathist_quantile(const struct lathist *h, uint32_t ppm)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (!h->n)
		return 0;
	if (ppm > 1000000)
		ppm = 1000000;
	/* ceil(n * ppm / 10^6) without floating point, at least 1 */
	rank = (h->n / 1000000) * ppm +
	       ((h->n % 1000000) * ppm + 999999) / 1000000;
	if (!rank)
		rank = 1;
	if (rank == 1)
		return h->min;
	if (rank == h->n)
		return h->max;
	for (i = 0; i < LATHIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank)
			return clamp(h, bucket_mid(i));
	}
	return h->max;
}

int lathist_enough(uint64_t n, uint32_t ppm)
{
	uint64_t side;

	if (!ppm || ppm >= 1000000)
		return n > 0;
	side = ppm < 500000 ? ppm : 1000000 - ppm;
	/* n >= 10^6 / side, exactly */
	return n * side >= 1000000;
}

void lathist_ranges(const struct lathist *h, const uint64_t *edges,
		    uint64_t *counts, int nranges)
{
	unsigned i;
	int r = 0;

	memset(counts, 0, (size_t)nranges * sizeof(*counts));
	if (nranges <= 0)
		return;
	for (i = 0; i < LATHIST_BUCKETS; i++) {
		uint64_t v;

		if (!h->counts[i])
			continue;
		v = clamp(h, bucket_mid(i));
		while (r < nranges - 1 && v > edges[r])
			r++;
		counts[r] += h->counts[i];
	}
}

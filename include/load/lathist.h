/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Latency histogram of bounded size and bounded relative error (log-linear
 * buckets, as HdrHistogram), so a run's memory does not grow with its
 * number of requests.
 */
#ifndef LEAKY_LATHIST_H
#define LEAKY_LATHIST_H

#include <stdint.h>

/*
 * Values below 2^(LATHIST_BITS + 1) have a bucket each; above, every power
 * of two is split into 2^LATHIST_BITS buckets, so a bucket is at most
 * 1/2^LATHIST_BITS of its lower bound wide and a bucket's midpoint m is
 * within 1/LATHIST_ERROR_DEN of any value v in it: |m - v| <= v / 256,
 * a relative error of at most 0.39%.
 */
#define LATHIST_BITS 7
#define LATHIST_BUCKETS ((64 - LATHIST_BITS + 1) << LATHIST_BITS)
#define LATHIST_ERROR_DEN (2 << LATHIST_BITS)

/* Caller-owned storage (about 60 KiB): lathist_init() it; nothing to free. */
struct lathist {
	uint64_t n;		/* values recorded */
	uint64_t min, max;	/* exact; meaningless while n == 0 */
	uint64_t sum;		/* exact; wraps after 584 years of ns */
	uint64_t counts[LATHIST_BUCKETS];
};

/* Empties h. */
void lathist_init(struct lathist *h);
/* Counts one value (any unit; leaky load records nanoseconds). */
void lathist_record(struct lathist *h, uint64_t v);
/* Adds every value of src to dst. */
void lathist_merge(struct lathist *dst, const struct lathist *src);

/*
 * The value at rank ceil(n * ppm / 10^6) (1-based, "nearest rank") of the
 * recorded values in ascending order, for ppm in 1..10^6 (500000 is the
 * median, 999000 the 99.9th percentile): the midpoint of its bucket,
 * clamped to [min, max], so within 1/LATHIST_ERROR_DEN of the exact
 * value.
 * Returns 0 when h is empty.
 */
uint64_t lathist_quantile(const struct lathist *h, uint32_t ppm);

/*
 * Whether n values are enough for the ppm quantile to say more than the
 * minimum or maximum does: at least 10^6 / min(ppm, 10^6 - ppm) values
 * (p99 needs 100, p99.9 needs 1000, the median 2, p10 and p90 need 10).
 */
int lathist_enough(uint64_t n, uint32_t ppm);

/*
 * Counts how many values fall in each of nranges ranges; range i holds the
 * values v with edges[i-1] < v <= edges[i] (range 0: v <= edges[0]; values
 * above the last edge go to the last range). edges ascend. Values are
 * placed by their bucket's midpoint.
 */
void lathist_ranges(const struct lathist *h, const uint64_t *edges,
		    uint64_t *counts, int nranges);

#endif

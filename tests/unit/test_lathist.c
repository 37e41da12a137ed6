/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the latency histogram against exact order statistics. */
#include "unit.h"

#include "load/lathist.h"

static uint64_t rng_state = 88172645463325252ull;

/* xorshift64: deterministic, so a failure can be replayed */
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static const uint32_t ppms[] = {
	1, 10000, 100000, 250000, 500000, 750000, 900000, 950000, 990000,
	999000, 999900, 1000000,
};

/* Every quantile of v[0..n) within the stated bound of the exact one. */
static void check_quantiles(uint64_t *v, size_t n)
{
	struct lathist *h = calloc(1, sizeof(*h));
	size_t i;
	uint64_t sum = 0;

	assert_non_null(h);
	lathist_init(h);
	for (i = 0; i < n; i++) {
		lathist_record(h, v[i]);
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(h->n, n);
	assert_int_equal(h->min, v[0]);
	assert_int_equal(h->max, v[n - 1]);
	assert_int_equal(h->sum, sum);
	for (i = 0; i < sizeof(ppms) / sizeof(ppms[0]); i++) {
		/* nearest rank: ceil(n * p), at least 1 */
		uint64_t rank = ((uint64_t)n * ppms[i] + 999999) / 1000000;
		uint64_t exact, got, diff;

		if (!rank)
			rank = 1;
		exact = v[rank - 1];
		got = lathist_quantile(h, ppms[i]);
		diff = got > exact ? got - exact : exact - got;
		if (diff * LATHIST_ERROR_DEN > exact) {
			print_error("ppm %u of %zu values: got %llu, exact "
				    "%llu\n", ppms[i], n,
				    (unsigned long long)got,
				    (unsigned long long)exact);
			fail();
		}
	}
	free(h);
}

static void small_values_are_exact(void **state)
{
	uint64_t v[300];
	struct lathist h;
	size_t i;

	(void)state;
	for (i = 0; i < 300; i++)
		v[i] = 299 - i;		/* 0..299: below 256 each is exact */
	lathist_init(&h);
	for (i = 0; i < 300; i++)
		lathist_record(&h, v[i]);
	assert_int_equal(lathist_quantile(&h, 500000), 149);
	assert_int_equal(lathist_quantile(&h, 100000), 29);
	assert_int_equal(lathist_quantile(&h, 1), 0);
	assert_int_equal(lathist_quantile(&h, 1000000), 299);
	check_quantiles(v, 300);
}

static void uniform_wide(void **state)
{
	size_t n = 200000, i;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	for (i = 0; i < n; i++)
		v[i] = rnd() % 20000000000ull;	/* 0..20 s in ns */
	check_quantiles(v, n);
	free(v);
}

static void log_uniform(void **state)
{
	size_t n = 200000, i;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	/* 1 us .. ~17 min, every octave equally likely: latency-shaped */
	for (i = 0; i < n; i++) {
		unsigned octave = 10 + (unsigned)(rnd() % 30);

		v[i] = ((uint64_t)1 << octave) +
		       rnd() % ((uint64_t)1 << octave);
	}
	check_quantiles(v, n);
	free(v);
}

static void tail_heavy(void **state)
{
	size_t n = 100000, i;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	/* 99.5% near 300 us, 0.5% of 1-2 s stalls: a GC-pause shape */
	for (i = 0; i < n; i++)
		v[i] = rnd() % 200 == 0 ? 1000000000 + rnd() % 1000000000 :
		       250000 + rnd() % 100000;
	check_quantiles(v, n);
	free(v);
}

static void small_counts(void **state)
{
	uint64_t v[7];
	size_t n, i;

	(void)state;
	for (n = 1; n <= 7; n++) {
		for (i = 0; i < n; i++)
			v[i] = 1000000 + rnd() % 5000000;
		check_quantiles(v, n);
	}
}

static void extremes(void **state)
{
	struct lathist h;

	(void)state;
	lathist_init(&h);
	assert_int_equal(lathist_quantile(&h, 500000), 0);
	lathist_record(&h, UINT64_MAX);
	lathist_record(&h, UINT64_MAX - 1);
	lathist_record(&h, (uint64_t)1 << 63);
	lathist_record(&h, 0);
	assert_int_equal(h.max, UINT64_MAX);
	assert_int_equal(h.min, 0);
	assert_int_equal(lathist_quantile(&h, 1000000), UINT64_MAX);
	assert_true(lathist_quantile(&h, 750000) >= (uint64_t)1 << 63);
}

static void merge_equals_one(void **state)
{
	struct lathist *a = calloc(3, sizeof(*a)), *b = a + 1, *all = a + 2;
	size_t i;

	(void)state;
	lathist_init(a);
	lathist_init(b);
	lathist_init(all);
	for (i = 0; i < 5000; i++) {
		uint64_t v = rnd() % 100000000;

		lathist_record(i % 3 ? a : b, v);
		lathist_record(all, v);
	}
	lathist_merge(a, b);
	assert_memory_equal(a, all, sizeof(*a));
	free(a);
}

static void enough(void **state)
{
	(void)state;
	assert_false(lathist_enough(0, 500000));
	assert_false(lathist_enough(1, 500000));
	assert_true(lathist_enough(2, 500000));
	assert_false(lathist_enough(9, 100000));
	assert_true(lathist_enough(10, 100000));
	assert_false(lathist_enough(3, 250000));
	assert_true(lathist_enough(4, 250000));
	assert_false(lathist_enough(3, 750000));
	assert_true(lathist_enough(4, 750000));
	assert_false(lathist_enough(9, 900000));
	assert_true(lathist_enough(10, 900000));
	assert_false(lathist_enough(19, 950000));
	assert_true(lathist_enough(20, 950000));
	assert_false(lathist_enough(99, 990000));
	assert_true(lathist_enough(100, 990000));
	assert_false(lathist_enough(999, 999000));
	assert_true(lathist_enough(1000, 999000));
	assert_false(lathist_enough(9999, 999900));
	assert_true(lathist_enough(10000, 999900));
}

static void ranges(void **state)
{
	struct lathist h;
	uint64_t edges[3] = { 100, 1000, 10000 }, counts[3];
	uint64_t v[] = { 50, 100, 101, 999, 1000, 5000, 10000, 20000 };
	size_t i;

	(void)state;
	lathist_init(&h);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		lathist_record(&h, v[i]);
	lathist_ranges(&h, edges, counts, 3);
	/* <= 100: 50, 100; <= 1000: 101, 999, 1000 (1000's bucket is
	 * [1000, 1008), its midpoint 1004 > 1000, so placed by bucket) */
	assert_int_equal(counts[0] + counts[1] + counts[2], 8);
	assert_int_equal(counts[0], 2);
	assert_true(counts[1] == 3 || counts[1] == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_values_are_exact),
		cmocka_unit_test(uniform_wide),
		cmocka_unit_test(log_uniform),
		cmocka_unit_test(tail_heavy),
		cmocka_unit_test(small_counts),
		cmocka_unit_test(extremes),
		cmocka_unit_test(merge_equals_one),
		cmocka_unit_test(enough),
		cmocka_unit_test(ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the budgeted bump allocator. */
#include "unit.h"

#include "base/arena.h"

static void alignment_and_reuse(void **state)
{
	struct arena *a = arena_new(0);
	char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
	size_t i;

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)q % 16, 0);
	assert_true(q >= p + 3);
	/* Many blocks, and one allocation bigger than a block. */
	for (i = 0; i < 1000; i++)
		assert_non_null(arena_alloc(a, 1000));
	p = arena_alloc(a, 4 << 20);
	assert_non_null(p);
	memset(p, 1, 4 << 20);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	assert_non_null(arena_alloc(a, 10));
	arena_free(a);
	arena_free(NULL);
}

/* The same allocations after a reset land in the same pages. */
static void reset_keeps_pages(void **state)
{
	struct arena *a = arena_new(0);
	char *first[3], *again[3];
	size_t i, round;

	(void)state;
	for (round = 0; round < 2; round++) {
		char **p = round ? again : first;

		p[0] = arena_alloc(a, 3);
		for (i = 0; i < 3000; i++)
			assert_non_null(arena_alloc(a, 1000));
		p[1] = arena_alloc(a, 5 << 20);	/* a huge-page block */
		p[2] = arena_alloc(a, 100);
		assert_non_null(p[1]);
		memset(p[1], 1, 5 << 20);
		arena_reset(a);
	}
	for (i = 0; i < 3; i++)
		assert_ptr_equal(first[i], again[i]);
	/* A smaller round, then the budget still holds after reuse. */
	assert_non_null(arena_alloc(a, 10));
	arena_reset(a);
	arena_set_budget(a, 4096);
	assert_non_null(arena_alloc(a, 4000));
	assert_null(arena_alloc(a, 200));
	assert_true(arena_exhausted(a));
	arena_reset(a);
	assert_false(arena_exhausted(a));
	arena_free(a);
}

/* A reserve: the allocations after it come from one block, in order. */
static void reserve_one_piece(void **state)
{
	struct arena *a = arena_new(0);
	char *first, *p = NULL;
	size_t i;

	(void)state;
	assert_non_null(arena_alloc(a, 100));
	arena_reserve(a, 3 << 20);
	first = arena_alloc(a, 10000);
	for (i = 1; i < 300; i++) {
		p = arena_alloc(a, 10000);
		/* 10000 rounded up to the alignment, 16 */
		assert_ptr_equal(p, first + i * 10000);
	}
	arena_free(a);
	/* Within the budget: a reserve past it changes nothing. */
	a = arena_new(1000);
	arena_reserve(a, 1 << 30);
	assert_non_null(arena_alloc(a, 900));
	assert_null(arena_alloc(a, 200));
	arena_free(a);
}

static void budget(void **state)
{
	struct arena *a = arena_new(1000);

	(void)state;
	assert_non_null(arena_alloc(a, 512));
	assert_false(arena_exhausted(a));
	assert_null(arena_alloc(a, 512));
	assert_true(arena_exhausted(a));
	assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
	arena_free(a);
}

static void strings(void **state)
{
	struct arena *a = arena_new(0);
	char *s = arena_strndup(a, "hello world", 5);

	(void)state;
	assert_string_equal(s, "hello");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alignment_and_reuse),
		cmocka_unit_test(reset_keeps_pages),
		cmocka_unit_test(reserve_one_piece),
		cmocka_unit_test(budget),
		cmocka_unit_test(strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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
		cmocka_unit_test(budget),
		cmocka_unit_test(strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

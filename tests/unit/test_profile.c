/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the profile model's lifetime, its arenas kept for reuse. */
#include "unit.h"

#include "base/arena.h"
#include "model/profile.h"

static void arena_passed_on(void **state)
{
	struct profile *p = profile_new(0), *q;
	struct arena *a = p->arena;
	char *s;

	(void)state;
	s = arena_alloc(p->arena, 100);
	assert_non_null(s);
	profile_free(p);
	/* The next profile decodes into the pages the last one left. */
	q = profile_new(1000);
	assert_ptr_equal(q->arena, a);
	assert_ptr_equal(arena_alloc(q->arena, 100), s);
	assert_string_equal(q->drop_frames, "");
	/* with the new profile's budget, not the old one's */
	assert_null(arena_alloc(q->arena, 2000));
	profile_free(q);
	profile_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_passed_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

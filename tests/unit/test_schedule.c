/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the fixed-rate schedule and the spread offsets. */
#include "unit.h"

#include "collect/collect.h"
#include "collect/schedule.h"
#include "collect/settings.h"
#include "collect/spec.h"

#define MS ((int64_t)1000000)
#define S ((int64_t)1000000000)

static void offsets(void **state)
{
	int64_t a, b;
	char name[16];
	int i, spread_ok = 0;

	(void)state;
	a = collect_offset("api", 300 * S, 1);
	b = collect_offset("api", 300 * S, 1);
	assert_int_equal(a, b);
	assert_true(a >= 0 && a < 300 * S);
	assert_int_equal(a % MS, 0);
	assert_int_equal(collect_offset("api", 300 * S, 0), 0);
	/* Different names land at different places over the interval. */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		a = collect_offset(name, 10 * S, 1);
		assert_true(a >= 0 && a < 10 * S);
		if (a != collect_offset("t0", 10 * S, 1))
			spread_ok++;
	}
	assert_true(spread_ok > 90);
}

static void spread_needs_two(void **state)
{
	struct collect_conf c;

	(void)state;
	collect_conf_init(&c);
	collect_conf_add_default_target(&c);
	/* A lone target has nothing to be spread from: it starts at once. */
	assert_false(collect_spreads(&c));
	collect_conf_add(&c)->name = strdup("b");
	assert_true(collect_spreads(&c));
	c.spread = 0;
	assert_false(collect_spreads(&c));
	collect_conf_release(&c);
}

static void schedule(void **state)
{
	int64_t base = 1000 * S, ivl = 10 * S, slot = -1, missed = -1;

	(void)state;
	assert_int_equal(collect_due(base, ivl, 0), base);
	assert_int_equal(collect_due(base, ivl, 100000), base + 100000 * ivl);
	/* Not yet due. */
	assert_int_equal(collect_sched_step(base, ivl, 0, base - 1, &slot,
					    &missed), 0);
	/* Due exactly, and a little late: that slot, nothing missed. */
	assert_int_equal(collect_sched_step(base, ivl, 0, base, &slot,
					    &missed), 1);
	assert_int_equal(slot, 0);
	assert_int_equal(missed, 0);
	assert_int_equal(collect_sched_step(base, ivl, 3, base + 3 * ivl +
					    ivl - 1, &slot, &missed), 1);
	assert_int_equal(slot, 3);
	assert_int_equal(missed, 0);
	/* Late by more than an interval (stopped, overloaded): the latest
	 * due slot runs, the ones before it are missed. */
	assert_int_equal(collect_sched_step(base, ivl, 3, base + 7 * ivl + 5,
					    &slot, &missed), 1);
	assert_int_equal(slot, 7);
	assert_int_equal(missed, 4);
	/* Fixed rate: a slow slot does not shift the next one. */
	assert_int_equal(collect_sched_step(base, ivl, 8, base + 8 * ivl - 1,
					    &slot, &missed), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offsets),
		cmocka_unit_test(spread_needs_two),
		cmocka_unit_test(schedule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

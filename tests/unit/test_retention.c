/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: which sample files --keep and --max-size remove, and when. */
#include "unit.h"

#include "collect/retention.h"

#include <string.h>

/* The files removed, in order, one per line. */
struct gone {
	char list[1024];
};

static void note_gone(void *ctx, const char *rel)
{
	struct gone *g = ctx;

	strcat(g->list, rel);
	strcat(g->list, "\n");
}

static void prune(struct retention *rt, int64_t now, struct gone *g,
		  struct retention_group **groups, size_t *n, int *over)
{
	g->list[0] = '\0';
	retention_prune(rt, now, note_gone, g, groups, n, over);
}

static void keep_by_age(void **state)
{
	struct retention *rt = retention_new(10, 0);
	struct retention_group *groups;
	struct gone g;
	size_t n;
	int over;

	(void)state;
	retention_add(rt, "profiles/api_100.heap.pb.gz", 5);
	retention_add(rt, "profiles/db_105.heap.pb.gz", 7);
	/* Out of order: a target whose round started before another's. */
	retention_add(rt, "goroutines/api_103.goroutine.txt.gz", 3);
	retention_add(rt, "profiles/api_120.heap.pb.gz", 11);
	/* Not NAME_UNIX.KIND: never removed, never counted. */
	retention_add(rt, "profiles/README", 100);
	assert_int_equal(retention_total(rt), 26);

	prune(rt, 110, &g, &groups, &n, &over);
	assert_string_equal(g.list, "");
	assert_int_equal(n, 0);

	/* Older than 10 s at 114: seconds 100 and 103, oldest first. */
	prune(rt, 114, &g, &groups, &n, &over);
	assert_string_equal(g.list, "profiles/api_100.heap.pb.gz\n"
			    "goroutines/api_103.goroutine.txt.gz\n");
	assert_int_equal(n, 1);
	assert_string_equal(groups[0].target, "api");
	assert_int_equal(groups[0].files, 2);
	assert_int_equal(groups[0].bytes, 8);
	assert_int_equal(groups[0].first, 100);
	assert_int_equal(groups[0].last, 103);
	assert_int_equal(groups[0].why, RETENTION_AGE);
	assert_int_equal(over, 0);
	retention_groups_free(groups, n);
	assert_int_equal(retention_total(rt), 18);
	retention_free(rt);
}

static void keep_by_size(void **state)
{
	struct retention *rt = retention_new(0, 20);
	struct retention_group *groups;
	struct gone g;
	size_t n;
	int over;

	(void)state;
	retention_add(rt, "profiles/a_1.heap.pb.gz", 6);
	retention_add(rt, "profiles/b_1.heap.pb.gz", 6);
	retention_add(rt, "profiles/a_2.heap.pb.gz", 6);
	retention_add(rt, "profiles/b_2.heap.pb.gz", 6);
	retention_add(rt, "profiles/a_3.heap.pb.gz", 6);
	/* 30 bytes over 20: all of second 1 goes (a whole snapshot), then
	 * 18 is under. */
	prune(rt, 3, &g, &groups, &n, &over);
	assert_string_equal(g.list, "profiles/a_1.heap.pb.gz\n"
			    "profiles/b_1.heap.pb.gz\n");
	assert_int_equal(n, 2);
	assert_string_equal(groups[0].target, "a");
	assert_string_equal(groups[1].target, "b");
	assert_int_equal(groups[1].why, RETENTION_SIZE);
	assert_int_equal(over, 0);
	retention_groups_free(groups, n);

	/* The newest second alone over the limit: kept, and said. */
	retention_add(rt, "profiles/a_4.heap.pb.gz", 50);
	prune(rt, 4, &g, &groups, &n, &over);
	assert_string_equal(g.list, "profiles/a_2.heap.pb.gz\n"
			    "profiles/b_2.heap.pb.gz\n"
			    "profiles/a_3.heap.pb.gz\n");
	assert_int_equal(over, 1);
	assert_int_equal(retention_total(rt), 50);
	retention_groups_free(groups, n);
	retention_free(rt);
}

/* Many rounds: the array's dead head is reclaimed, the order kept. */
static void long_run(void **state)
{
	struct retention *rt = retention_new(5, 0);
	struct retention_group *groups;
	struct gone g;
	char rel[64];
	size_t n;
	int over, i;

	(void)state;
	for (i = 1; i <= 1000; i++) {
		snprintf(rel, sizeof(rel), "fds/t_%d.fds", i);
		retention_add(rt, rel, 1);
		prune(rt, i, &g, &groups, &n, &over);
		if (i > 5) {
			snprintf(rel, sizeof(rel), "fds/t_%d.fds\n", i - 6);
			if (i > 6)
				assert_string_equal(g.list, rel);
		}
		retention_groups_free(groups, n);
	}
	assert_int_equal(retention_total(rt), 6);
	retention_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keep_by_age),
		cmocka_unit_test(keep_by_size),
		cmocka_unit_test(long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

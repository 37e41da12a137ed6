/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: finding a target's process round after round, restarts. */
#include "unit.h"

#include <inttypes.h>
#include <unistd.h>

#include "collect/proctrack.h"

/* A target given by pid: found, then a restart when another pid answers. */
static void by_pid(void **state)
{
	struct proctrack_scan scan = { 0 };
	struct proctrack pt;
	struct collect_target t;
	char why[COLLECT_ERR], want[64];
	size_t ambiguous;

	(void)state;
	memset(&pt, 0, sizeof(pt));
	memset(&t, 0, sizeof(t));
	t.name = "self";
	t.pid = getpid();
	assert_int_equal(proctrack_find(&scan, &pt, &t, &ambiguous, why),
			 PROCTRACK_SAME);
	assert_int_equal(pt.pid, getpid());
	assert_true(pt.start > 0);
	assert_int_equal(ambiguous, 0);
	assert_int_equal(proctrack_find(&scan, &pt, &t, &ambiguous, why),
			 PROCTRACK_SAME);
	/* The parent stands in for the target's next process. */
	t.pid = getppid();
	assert_int_equal(proctrack_find(&scan, &pt, &t, &ambiguous, why),
			 PROCTRACK_RESTARTED);
	snprintf(want, sizeof(want), "pid %" PRId64 " -> %" PRId64,
		 (int64_t)getpid(), (int64_t)getppid());
	assert_string_equal(why, want);
	/* The same pid, started at another time: a reused pid. */
	pt.known_start++;
	assert_int_equal(proctrack_find(&scan, &pt, &t, &ambiguous, why),
			 PROCTRACK_PID_REUSED);
	assert_non_null(strstr(why, "was reused by a new process"));
	proctrack_scan_release(&scan);
}

/* A process not found keeps the last one known, and says why. */
static void not_found(void **state)
{
	struct proctrack_scan scan = { 0 };
	struct proctrack pt;
	struct collect_target t;
	char why[COLLECT_ERR];
	size_t ambiguous;

	(void)state;
	memset(&pt, 0, sizeof(pt));
	memset(&t, 0, sizeof(t));
	t.name = "gone";
	t.process = "leaky-no-such";
	pt.known_pid = 1;
	assert_int_equal(proctrack_find(&scan, &pt, &t, &ambiguous, why),
			 PROCTRACK_SAME);
	assert_int_equal(pt.pid, 0);
	assert_string_equal(pt.err, "no process named 'leaky-no-such'");
	assert_int_equal(pt.known_pid, 1);
	/* 4194304 is above Linux's largest pid. */
	t.process = NULL;
	t.pid = 4194305;
	proctrack_find(&scan, &pt, &t, &ambiguous, why);
	assert_int_equal(pt.pid, 0);
	assert_string_equal(pt.err, "process 4194305 is gone");
	/* Nothing listens on port 1 of this machine. */
	t.pid = 0;
	t.local = 1;
	t.port = 1;
	proctrack_find(&scan, &pt, &t, &ambiguous, why);
	assert_int_equal(pt.pid, 0);
	assert_string_equal(pt.err, "nothing listens on port 1");
	proctrack_scan_reset(&scan);
	proctrack_scan_release(&scan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_pid),
		cmocka_unit_test(not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

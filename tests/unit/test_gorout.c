/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: goroutine groups, regrouping, top frames and totals. */
#include "unit.h"

#include "analyze/gorout.h"
#include "analyze/series.h"
#include "decode/reader.h"
#include "model/profile.h"
#include "out/table.h"

static const struct prof_limits lim = {
	.max_input = 1 << 20, .max_inflated = 1 << 20, .max_memory = 1 << 24,
};

/* Three leaked workers (two waiting long), a locker, one running. */
static const char dump[] =
	"goroutine 1 [chan receive, 75 minutes]:\n"
	"main.worker(...)\n\t/a/w.go:4\n"
	"main.loop()\n\t/a/w.go:9 +0x1\n"
	"created by main.start in goroutine 7\n\t/a/s.go:3 +0x2\n\n"
	"goroutine 2 [chan receive, 12 minutes]:\n"
	"main.worker(...)\n\t/a/w.go:4\n"
	"main.loop()\n\t/a/w.go:9 +0x1\n"
	"created by main.start in goroutine 7\n\t/a/s.go:3 +0x2\n\n"
	"goroutine 3 [chan receive]:\n"
	"main.worker(...)\n\t/a/w.go:4\n"
	"main.loop()\n\t/a/w.go:9 +0x1\n"
	"created by main.other\n\t/a/s.go:5 +0x2\n\n"
	"goroutine 4 [semacquire, 2 minutes]:\n"
	"sync.runtime_SemacquireMutex(0x1?, 0x0?, 0x0?)\n"
	"\truntime/sema.go:77 +0x25\n"
	"sync.(*Mutex).lockSlow(0xc0001)\n\tsync/mutex.go:171 +0x165\n"
	"sync.(*Mutex).Lock(...)\n\tsync/mutex.go:90\n"
	"main.locker()\n\t/a/l.go:3 +0x1\n"
	"created by main.start in goroutine 7\n\t/a/s.go:4 +0x2\n\n"
	"goroutine 5 [running]:\n"
	"runtime.Gosched()\n\truntime/proc.go:1 +0x1\n\n";

static struct profile *decode(void)
{
	return profile_decode("d", (const uint8_t *)dump, sizeof(dump) - 1,
			      &lim, NULL);
}

static void default_groups(void **state)
{
	struct gor_opts o = { .by = GOR_DEFAULT };
	struct gor *g = gor_new(&o);
	struct profile *p = decode();
	struct gor_snapshot s;

	(void)state;
	assert_non_null(p);
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	assert_int_equal(s.total, 5);
	assert_int_equal(s.ngroups, 3);
	/* The three workers share stack and state: one group. */
	assert_int_equal(s.groups[0].goroutines, 3);
	assert_string_equal(s.groups[0].state, "chan receive");
	assert_int_equal(s.groups[0].max_wait_minutes, 75);
	/* Different creators: the column stays empty, never made up. */
	assert_null(s.groups[0].created_by);
	assert_string_equal(s.groups[0].stack, "main.loop;main.worker");
	assert_string_equal(s.groups[0].top, "main.worker");
	assert_null(s.groups[0].labels);
	/* Ties sorted by key: main.locker's stack before runtime's. */
	assert_string_equal(s.groups[1].top, "main.locker");
	assert_string_equal(s.groups[1].created_by, "main.start");
	assert_int_equal(s.groups[1].max_wait_minutes, 2);
	/* All frames are runtime: the top is the leaf. */
	assert_string_equal(s.groups[2].top, "runtime.Gosched");
	assert_int_equal(s.groups[2].max_wait_minutes, -1);
	/* Totals: ages and states. */
	assert_int_equal(s.age_1m, 3);
	assert_int_equal(s.age_10m, 2);
	assert_int_equal(s.age_60m, 1);
	assert_int_equal(s.nstates, 3);
	assert_string_equal(s.states[0], "chan receive");
	assert_int_equal(s.state_counts[0], 3);
	gor_snapshot_release(&s);
	profile_free(p);
	gor_free(g);
}

static void regroup(void **state)
{
	struct gor_opts o = { .by = GOR_CREATED_BY };
	struct gor *g = gor_new(&o);
	struct profile *p = decode();
	struct gor_snapshot s;

	(void)state;
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	/* main.start: 3, then "" (none) and main.other: 1 each. */
	assert_int_equal(s.ngroups, 3);
	assert_int_equal(s.groups[0].goroutines, 3);
	assert_string_equal(s.groups[0].created_by, "main.start");
	assert_null(s.groups[0].stack);
	assert_null(s.groups[0].state);
	gor_snapshot_release(&s);
	gor_free(g);

	o.by = GOR_STATE;
	o.min = 2;
	g = gor_new(&o);
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	assert_int_equal(s.ngroups, 1);
	assert_int_equal(s.groups[0].goroutines, 3);
	assert_int_equal(s.total, 5);
	gor_snapshot_release(&s);
	gor_free(g);
	profile_free(p);
}

static void filters(void **state)
{
	regex_t re;
	struct gor_opts o = { .by = GOR_TOP };
	struct gor *g;
	struct profile *p = decode();
	struct gor_snapshot s;

	(void)state;
	assert_int_equal(regcomp(&re, "Mutex", REG_EXTENDED | REG_NOSUB), 0);
	o.focus = &re;
	g = gor_new(&o);
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	assert_int_equal(s.total, 1);
	assert_string_equal(s.groups[0].top, "main.locker");
	gor_snapshot_release(&s);
	gor_free(g);
	o.focus = NULL;
	o.ignore = &re;
	g = gor_new(&o);
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	assert_int_equal(s.total, 4);
	gor_snapshot_release(&s);
	gor_free(g);
	regfree(&re);
	profile_free(p);
}

static void runtime_frames(void **state)
{
	(void)state;
	assert_true(gor_is_runtime_frame("runtime.gopark"));
	assert_true(gor_is_runtime_frame("runtime/internal/atomic.Load"));
	assert_true(gor_is_runtime_frame("internal/poll.(*FD).Read"));
	assert_true(gor_is_runtime_frame("sync.(*Mutex).Lock"));
	assert_false(gor_is_runtime_frame("main.main"));
	assert_false(gor_is_runtime_frame("syncer.Run"));
	assert_false(gor_is_runtime_frame("github.com/x/runtime.F"));
	assert_false(gor_is_runtime_frame("net/http.(*conn).serve"));
}

static void not_goroutines(void **state)
{
	static const char heap[] =
		"heap profile: 1: 8 [1: 8] @ heap/1\n1: 8 [1: 8] @ 0x1\n\n"
		"# runtime.MemStats\n# DebugGC = false\n";
	struct gor_opts o = { .by = GOR_DEFAULT };
	struct gor *g = gor_new(&o);
	struct profile *p = profile_decode("h", (const uint8_t *)heap,
					   sizeof(heap) - 1, &lim, NULL);
	struct gor_snapshot s;

	(void)state;
	assert_non_null(p);
	assert_int_equal(gor_profile(g, "h", p, &s), -1);
	gor_snapshot_release(&s);
	profile_free(p);
	gor_free(g);
}

/* The rows `leaky goroutines` writes, and its --totals row. */
static void csv_rows(void **state)
{
	struct gor_opts o = { .by = GOR_DEFAULT };
	struct series_opts so = {
		.ncolumns = GOR_NCOLUMNS, .columns = gor_columns,
	};
	struct gor *g = gor_new(&o);
	struct profile *p = decode();
	struct series *ser = series_new(&so, NULL);
	struct table *t = table_new(GOR_NTOTAL_COLUMNS, gor_total_columns);
	struct gor_snapshot s;
	FILE *fp = tmpfile();
	char *out;

	(void)state;
	assert_int_equal(gor_profile(g, "d", p, &s), 0);
	assert_int_equal(gor_write_groups(ser, 1795341600000000000LL, "api",
					  &s), 0);
	assert_int_equal(series_write(ser, fp), 0);
	out = slurp(fp);
	/* No creator in common, no wait shown: empty fields, never made up. */
	assert_string_equal(out,
		"time,target,goroutines,state,max_wait_minutes,created_by,"
		"top,stack,labels\n"
		"2026-11-22T10:00:00Z,api,3,chan receive,75,,main.worker,"
		"main.loop;main.worker,\n"
		"2026-11-22T10:00:00Z,api,1,semacquire,2,main.start,"
		"main.locker,main.locker;sync.(*Mutex).Lock;"
		"sync.(*Mutex).lockSlow;sync.runtime_SemacquireMutex,\n"
		"2026-11-22T10:00:00Z,api,1,running,,,runtime.Gosched,"
		"runtime.Gosched,\n");
	free(out);
	fclose(fp);
	fp = tmpfile();
	gor_add_totals(t, 1795341600000000000LL, "api", &s);
	assert_int_equal(table_write(t, fp, CSV_TIME_UNIX, 0), 0);
	out = slurp(fp);
	assert_string_equal(out,
		"time,target,goroutines,>=1m,>=10m,>=60m,chan receive,"
		"semacquire,running\n"
		"1795341600,api,5,3,2,1,3,1,1\n");
	free(out);
	fclose(fp);
	assert_true(gor_total_is_age(gor_total_columns[GOR_TOT_10M]));
	assert_false(gor_total_is_age(gor_total_columns[GOR_TOT_GOROUTINES]));
	assert_false(gor_total_is_age("chan receive"));
	gor_snapshot_release(&s);
	series_free(ser);
	table_free(t);
	profile_free(p);
	gor_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_groups),
		cmocka_unit_test(regroup),
		cmocka_unit_test(filters),
		cmocka_unit_test(runtime_frames),
		cmocka_unit_test(not_goroutines),
		cmocka_unit_test(csv_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

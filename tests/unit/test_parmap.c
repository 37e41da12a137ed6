/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the parallel map that keeps input order. */
#include "unit.h"

#include "base/parmap.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/* What a run did, in the order the caller's thread saw it. */
struct log {
	struct buf text;	/* "m3 e3 e4 ..." messages and emits */
	atomic_long pending;	/* items worked on and not yet emitted */
	atomic_long max_pending;
	atomic_int workers;
	pthread_t caller;
	atomic_int off_caller;	/* work() ran on another thread */
	atomic_int no_state;	/* work() had no worker state */
};

static void log_add(struct log *l, const char *s)
{
	buf_addstr(&l->text, s);
	buf_addstr(&l->text, " ");
}

static void catch_msg(void *data, const char *msg)
{
	log_add(data, msg);
}

static void *new_worker(void *ctx)
{
	struct log *l = ctx;
	int *state = malloc(sizeof(*state));

	*state = atomic_fetch_add(&l->workers, 1);
	return state;
}

static void free_worker(void *w)
{
	free(w);
}

static void *work(void *w, size_t i, void *ctx)
{
	struct log *l = ctx;
	struct timespec ts = { 0, (long)(i % 7) * 20000 };
	long now = atomic_fetch_add(&l->pending, 1) + 1;
	long max = atomic_load(&l->max_pending);
	size_t *r;

	/* cmocka's asserts are for the test's own thread: noted instead */
	if (!w)
		atomic_store(&l->no_state, 1);
	if (!pthread_equal(pthread_self(), l->caller))
		atomic_store(&l->off_caller, 1);
	while (now > max &&
	       !atomic_compare_exchange_weak(&l->max_pending, &max, now))
		;
	/* Items take different times, so that they finish out of order. */
	nanosleep(&ts, NULL);
	if (i % 10 == 3) {
		error("m%zu", i);
		error("n%zu", i);
	}
	if (i % 10 == 4)
		return NULL;
	r = malloc(sizeof(*r));
	*r = i * i;
	return r;
}

static void emit(size_t i, void *result, void *ctx)
{
	struct log *l = ctx;
	char s[64];

	atomic_fetch_sub(&l->pending, 1);
	if (result)
		snprintf(s, sizeof(s), "e%zu=%zu", i, *(size_t *)result);
	else
		snprintf(s, sizeof(s), "e%zu=none", i);
	log_add(l, s);
	free(result);
}

static const struct parmap_ops ops = {
	.worker_new = new_worker,
	.worker_free = free_worker,
	.work = work,
	.emit = emit,
};

/* Runs n items with jobs; the log's text, which the caller frees. */
static char *run(size_t n, unsigned jobs, struct log *l)
{
	struct error_sink was;

	memset(l, 0, sizeof(*l));
	buf_init(&l->text);
	l->caller = pthread_self();
	was = error_sink_set((struct error_sink){ catch_msg, l });
	parmap_run(&ops, n, jobs, l);
	error_sink_set(was);
	buf_add(&l->text, "", 1);
	assert_int_equal(atomic_load(&l->pending), 0);
	assert_false(atomic_load(&l->no_state));
	return (char *)l->text.data;
}

static void same_order_any_jobs(void **state)
{
	struct log l;
	char *serial = run(500, 1, &l), *par;
	unsigned jobs;

	(void)state;
	/* One job: a plain loop on the caller's thread, one state. */
	assert_false(l.off_caller);
	assert_int_equal(l.workers, 1);
	assert_non_null(strstr(serial, "m3 n3 e3=9 e4=none e5=25 "));
	for (jobs = 2; jobs <= 8; jobs *= 2) {
		par = run(500, jobs, &l);
		/*
		 * Which thread worked on what depends on the scheduler (the
		 * caller's may do them all on a busy machine): not checked.
		 */
		assert_string_equal(par, serial);
		assert_int_equal(l.workers, (int)jobs);
		/*
		 * The window: two items a worker at most in flight, and the
		 * one being emitted (its slot is free already).
		 */
		assert_true(l.max_pending <= 2 * (long)jobs + 1);
		free(par);
	}
	free(serial);
}

static void few_items(void **state)
{
	struct log l;
	char *s;

	(void)state;
	s = run(0, 4, &l);
	assert_string_equal(s, "");
	assert_int_equal(l.workers, 1);
	free(s);
	/* One item: no thread for it. */
	s = run(1, 4, &l);
	assert_string_equal(s, "e0=0 ");
	assert_false(l.off_caller);
	free(s);
	/* Fewer items than jobs: a worker an item. */
	s = run(3, 8, &l);
	assert_string_equal(s, "e0=0 e1=1 e2=4 ");
	assert_int_equal(l.workers, 3);
	free(s);
}

static void cores(void **state)
{
	unsigned n = parmap_cores();

	(void)state;
	assert_true(n >= 1 && n <= PARMAP_MAX_JOBS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_order_any_jobs),
		cmocka_unit_test(few_items),
		cmocka_unit_test(cores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

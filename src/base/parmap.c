/* SPDX-License-Identifier: Apache-2.0 */
/* A parallel map over items, results and messages back in input order. */
#include "base/parmap.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * How it keeps the order: item i has the slot i % window, and a thread may
 * take item i only once item i - window has been emitted, so that a slot
 * holds one item at a time and no thread runs more than a window ahead of
 * the slowest item still pending. The caller's thread emits: when the
 * next item's slot is done, it prints the messages its work reported
 * (caught by an error sink, in the order they were reported), frees the
 * slot and only then calls emit(), while the workers go on. Whichever
 * thread took an item, and whenever it finished, the caller sees item 0,
 * then 1, ..., each with its messages first: what a plain loop prints.
 *
 * The caller is one of the jobs: while the item it must emit next is not
 * done, it works on the next item not taken rather than sleep. So -j 2
 * is one thread besides the caller's, two threads for two cores; and on
 * small items (pmap's 2 KB files, 20 us each), the caller does not sleep
 * and wake for every one, which made -j 2 slower than -j 1.
 */
struct slot {
	void *result;
	struct buf msgs;	/* the messages, each with its NUL */
	int done;
};

struct par {
	const struct parmap_ops *ops;
	void *ctx;
	size_t n, window;
	struct slot *slots;
	pthread_mutex_t mu;
	pthread_cond_t room;	/* a slot was freed: workers wait here */
	pthread_cond_t ready;	/* a result is in: the caller waits here */
	size_t next;		/* the next item a worker takes (mu) */
	size_t emitted;		/* items handed to emit() so far (mu) */
};

struct worker {
	struct par *par;
	void *state;
	pthread_t thread;
};

/* The worker's error sink: keeps item's messages for the caller. */
static void keep_msg(void *data, const char *msg)
{
	struct buf *b = data;

	buf_add(b, msg, strlen(msg) + 1);
}

/* Whether an item may be taken now (mu held). */
static int can_take(const struct par *par)
{
	return par->next < par->n && par->next - par->emitted < par->window;
}

/*
 * Works on item i, which the calling thread took (mu held, and held again
 * on return), its messages kept in its slot; marks the slot done.
 */
static void work_one(struct par *par, void *state, size_t i)
{
	/* Item i - window is emitted: the slot is this item's. */
	struct slot *s = &par->slots[i % par->window];
	struct error_sink was;
	void *r;

	pthread_mutex_unlock(&par->mu);
	was = error_sink_set((struct error_sink){ keep_msg, &s->msgs });
	r = par->ops->work(state, i, par->ctx);
	error_sink_set(was);
	pthread_mutex_lock(&par->mu);
	s->result = r;
	s->done = 1;
	/* Only the caller waits for results, and for item emitted. */
	if (i == par->emitted)
		pthread_cond_signal(&par->ready);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct par *par = w->par;

	pthread_mutex_lock(&par->mu);
	for (;;) {
		while (par->next < par->n && !can_take(par))
			pthread_cond_wait(&par->room, &par->mu);
		if (par->next >= par->n)
			break;
		work_one(par, w->state, par->next++);
	}
	pthread_mutex_unlock(&par->mu);
	return NULL;
}

/* The plain loop: one job or one item; no thread, no message held back. */
static void run_serial(const struct parmap_ops *ops, size_t n, void *ctx)
{
	void *state = ops->worker_new ? ops->worker_new(ctx) : NULL;
	size_t i;

	for (i = 0; i < n; i++)
		ops->emit(i, ops->work(state, i, ctx), ctx);
	if (ops->worker_free)
		ops->worker_free(state);
}

/*
 * Starts up to nw workers with every signal blocked, so that signals go
 * to the caller's thread as they did before. Returns how many started.
 */
static size_t start_workers(struct worker *w, size_t nw, struct par *par)
{
	sigset_t all, old;
	size_t k;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (k = 0; k < nw; k++) {
		w[k].par = par;
		w[k].state = par->ops->worker_new ?
			     par->ops->worker_new(par->ctx) : NULL;
		if (pthread_create(&w[k].thread, NULL, worker_main, &w[k])) {
			if (par->ops->worker_free)
				par->ops->worker_free(w[k].state);
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return k;
}

/*
 * The caller's part: each item's messages, then its result, in order;
 * items of its own to work on (with state) while it waits.
 */
static void emit_all(struct par *par, void *state)
{
	size_t e;

	for (e = 0; e < par->n; e++) {
		struct slot *s = &par->slots[e % par->window];
		size_t at;
		void *r;

		pthread_mutex_lock(&par->mu);
		while (!s->done) {
			if (can_take(par))
				work_one(par, state, par->next++);
			else
				pthread_cond_wait(&par->ready, &par->mu);
		}
		pthread_mutex_unlock(&par->mu);
		/* No worker touches s until emitted passes e. */
		for (at = 0; at < s->msgs.len;
		     at += strlen((char *)s->msgs.data + at) + 1)
			error_pass((char *)s->msgs.data + at);
		r = s->result;
		s->result = NULL;
		s->done = 0;
		s->msgs.len = 0;
		pthread_mutex_lock(&par->mu);
		par->emitted++;
		pthread_cond_broadcast(&par->room);
		pthread_mutex_unlock(&par->mu);
		par->ops->emit(e, r, par->ctx);
	}
}

void parmap_run(const struct parmap_ops *ops, size_t n, unsigned jobs,
		void *ctx)
{
	struct par par = { .ops = ops, .ctx = ctx, .n = n };
	struct worker *w;
	void *state;
	size_t nj, k, i;

	if (!jobs)
		jobs = parmap_cores();
	if (jobs > PARMAP_MAX_JOBS)
		jobs = PARMAP_MAX_JOBS;
	nj = jobs < n ? jobs : n;
	if (nj <= 1) {
		run_serial(ops, n, ctx);
		return;
	}
	/*
	 * Two slots a job: one item in work, one done and waiting its turn,
	 * so that a job whose item is emitted late does not hold up the
	 * others at once. Memory is that many decoded items at most.
	 */
	par.window = 2 * nj;
	par.slots = xcalloc(par.window, sizeof(*par.slots));
	for (i = 0; i < par.window; i++)
		buf_init(&par.slots[i].msgs);
	pthread_mutex_init(&par.mu, NULL);
	pthread_cond_init(&par.room, NULL);
	pthread_cond_init(&par.ready, NULL);
	/* The caller is a job: nj - 1 threads besides it. */
	w = xcalloc(nj - 1, sizeof(*w));
	k = start_workers(w, nj - 1, &par);
	state = ops->worker_new ? ops->worker_new(ctx) : NULL;
	emit_all(&par, state);
	if (ops->worker_free)
		ops->worker_free(state);
	for (i = 0; i < k; i++) {
		pthread_join(w[i].thread, NULL);
		if (ops->worker_free)
			ops->worker_free(w[i].state);
	}
	free(w);
	pthread_cond_destroy(&par.ready);
	pthread_cond_destroy(&par.room);
	pthread_mutex_destroy(&par.mu);
	for (i = 0; i < par.window; i++)
		buf_release(&par.slots[i].msgs);
	free(par.slots);
}

unsigned parmap_cores(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		n = CPU_COUNT(&set);
	} else {
		n = sysconf(_SC_NPROCESSORS_ONLN);
	}
	if (n < 1)
		n = 1;
	if (n > PARMAP_MAX_JOBS)
		n = PARMAP_MAX_JOBS;
	return (unsigned)n;
}

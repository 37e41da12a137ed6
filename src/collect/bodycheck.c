/* SPDX-License-Identifier: Apache-2.0 */
/* The checks of fetched bodies, on threads off the collector's loop. */
#include "collect/bodycheck.h"
#include "base/leaky.h"
#include "decode/gunzip.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Checking a body means inflating and decoding it: a gzip bomb under
 * --max-body inflates to the --max-inflated cap, a 50 MB goroutine dump
 * takes a second to decode. Done on the loop, that would hold every other
 * target's fetches and schedule; so bodies are checked on
 * BODYCHECK_THREADS threads, and the loop only hands them over and takes
 * the verdicts back. Each check holds one body and its decoded profile at
 * most, both capped (collect_validate()), so BODYCHECK_THREADS bounds the
 * memory of checks. The verdict comes back through a pipe the loop's wait
 * watches; the row is written on the loop's thread, as every other row is.
 */
/* Runs on a checker thread: touches nothing but job. */
static void run_check(struct bodycheck_job *job)
{
	struct buf gz;

	job->fetched = job->body.len;
	job->rc = collect_validate(job->kind, job->status, job->body.data,
				   job->body.len, job->max_inflated,
				   &job->info, job->err);
	if (job->rc < 0 || !collect_kinds[job->kind].gzip)
		return;
	buf_init(&gz);
	if (gzip_bytes(job->body.data, job->body.len, &gz) < 0) {
		buf_release(&gz);
		collect_seterr(job->err, "cannot gzip %zu bytes: out of memory",
			       job->body.len);
		job->rc = -1;
		return;
	}
	buf_release(&job->body);
	job->body = gz;
}

static void *checker_main(void *arg)
{
	struct bodycheck *c = arg;
	struct bodycheck_job *job;

	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (!c->todo && !c->quit)
			pthread_cond_wait(&c->cv, &c->mu);
		job = c->todo;
		if (job) {
			c->todo = job->next;
			if (!c->todo)
				c->todo_tail = NULL;
		}
		pthread_mutex_unlock(&c->mu);
		if (!job)
			return NULL;
		run_check(job);
		pthread_mutex_lock(&c->mu);
		job->next = NULL;
		if (c->done_tail)
			c->done_tail->next = job;
		else
			c->done = job;
		c->done_tail = job;
		pthread_mutex_unlock(&c->mu);
		if (write(c->pipe[1], "", 1) < 0) {
			/* The pipe is full: the loop is woken anyway. */
		}
	}
}

int bodycheck_start(struct bodycheck *c, char err[COLLECT_ERR])
{
	sigset_t all, old;
	int i;

	memset(c, 0, sizeof(*c));
	c->pipe[0] = c->pipe[1] = -1;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pipe2(c->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, COLLECT_ERR, "cannot make a pipe (%s): bodies "
			 "are checked on the main thread", strerror(errno));
		return -1;
	}
	/* Signals go to the loop's thread, whose handler wakes it. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < BODYCHECK_THREADS; i++) {
		if (pthread_create(&c->th[i], NULL, checker_main, c))
			break;
		c->nth++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!c->nth) {
		snprintf(err, COLLECT_ERR, "cannot start a thread: bodies are "
			 "checked on the main thread");
		return -1;
	}
	return 0;
}

void bodycheck_stop(struct bodycheck *c)
{
	int i;

	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	for (i = 0; i < c->nth; i++)
		pthread_join(c->th[i], NULL);
	if (c->pipe[0] >= 0) {
		close(c->pipe[0]);
		close(c->pipe[1]);
	}
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

int bodycheck_hand(struct bodycheck *c, struct bodycheck_job *job)
{
	c->busy++;
	if (!c->nth) {
		run_check(job);
		pthread_mutex_lock(&c->mu);
		job->next = c->done;
		c->done = job;
		if (!c->done_tail)
			c->done_tail = job;
		pthread_mutex_unlock(&c->mu);
		return 1;
	}
	pthread_mutex_lock(&c->mu);
	if (c->todo_tail)
		c->todo_tail->next = job;
	else
		c->todo = job;
	c->todo_tail = job;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

struct bodycheck_job *bodycheck_take(struct bodycheck *c)
{
	struct bodycheck_job *done, *j;
	char drain[64];

	if (c->pipe[0] >= 0)
		while (read(c->pipe[0], drain, sizeof(drain)) > 0)
			;
	pthread_mutex_lock(&c->mu);
	done = c->done;
	c->done = c->done_tail = NULL;
	pthread_mutex_unlock(&c->mu);
	for (j = done; j; j = j->next)
		c->busy--;
	return done;
}

int bodycheck_fd(const struct bodycheck *c)
{
	return c->pipe[0];
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks of fetched bodies (collect_validate()) on threads of their
 * own, so that inflating and decoding a large body holds no other
 * target's fetches or schedule.
 */
#ifndef LEAKY_COLLECT_BODYCHECK_H
#define LEAKY_COLLECT_BODYCHECK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "collect/collect.h"
#include "collect/validate.h"

/* Threads checking bodies. */
#define BODYCHECK_THREADS 2

/*
 * One body to check. The thread reads kind, status, body and max_inflated
 * and writes rc, fetched, info and err, and gzips body when the kind is
 * kept gzipped; the rest is the caller's.
 */
struct bodycheck_job {
	struct bodycheck_job *next;
	void *ctx;		/* the caller's */
	enum collect_kind kind;
	long status;
	struct buf body;
	size_t max_inflated;
	int64_t took;		/* the fetch's own time, ns */
	int64_t handed;		/* when it was handed over */
	int rc;
	size_t fetched;		/* the body's size as fetched */
	struct collect_body_info info;
	char err[COLLECT_ERR];
};

/* The checker threads and their two lists, under mu. */
struct bodycheck {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bodycheck_job *todo, *todo_tail;
	struct bodycheck_job *done, *done_tail;
	int quit;
	int pipe[2];		/* a byte per verdict, to wake the loop */
	pthread_t th[BODYCHECK_THREADS];
	int nth;		/* threads running; 0: checks on the caller's */
	size_t busy;		/* handed over, not yet taken back */
};

/*
 * Starts the threads. Returns 0, or -1 with a message in err when there
 * is none: the checks then run in bodycheck_hand(), on the caller's
 * thread. Signals stay with the caller's thread. Stop with
 * bodycheck_stop() either way.
 */
int bodycheck_start(struct bodycheck *c, char err[COLLECT_ERR]);
/* Ends the threads once they have checked what they hold. */
void bodycheck_stop(struct bodycheck *c);
/*
 * Hands job (heap memory, owned by c until bodycheck_take() gives it
 * back) over. Returns 0 when a thread will check it, 1 when it was
 * checked at once (no threads): the caller takes it back now.
 */
int bodycheck_hand(struct bodycheck *c, struct bodycheck_job *job);
/*
 * The checked jobs, in the order they were checked, as a list the caller
 * now owns (buf_release() the body, free() the job); NULL when none.
 */
struct bodycheck_job *bodycheck_take(struct bodycheck *c);
/* The descriptor that turns readable when a check is done; -1: none. */
int bodycheck_fd(const struct bodycheck *c);

#endif

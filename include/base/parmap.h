/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A parallel map whose results come back in input order: items 0..n-1 are
 * worked on by a thread per core, and handed to the caller's thread one by
 * one, in order, with the messages each item's work reported. What the
 * commands that read many files (heaper, goroutines, pmap, fds, report)
 * decode them with.
 */
#ifndef LEAKY_PARMAP_H
#define LEAKY_PARMAP_H

#include <stddef.h>

struct parmap_ops {
	/*
	 * One job's own state (buffers it reuses from item to item), made
	 * and freed on the caller's thread; both may be NULL (state NULL).
	 */
	void *(*worker_new)(void *ctx);
	void (*worker_free)(void *w);
	/*
	 * Item i's work, on any of the threads (the caller's too): must
	 * touch nothing shared but what is read-only while parmap_run()
	 * runs. Returns its result (NULL
	 * is a result too). What it reports with error() is kept for item i
	 * and printed before emit() gets the result.
	 */
	void *(*work)(void *w, size_t i, void *ctx);
	/*
	 * Item i's result, on the caller's thread, in order of i, each
	 * exactly once: emit() owns it.
	 */
	void (*emit)(size_t i, void *result, void *ctx);
};

/*
 * Runs ops over items 0..n-1 with jobs threads (0: parmap_cores()), the
 * caller's among them. At most a window of a few items per job is
 * pending between work() and emit(), so that memory is bounded by the
 * window, not by n. With one job (or one item) there is no thread: work()
 * then emit() for each item in turn, messages printed as they come, as a
 * plain loop does. Workers that cannot be started are done without (the
 * caller's thread works alone at worst): the output is the same whatever
 * the number of jobs.
 */
void parmap_run(const struct parmap_ops *ops, size_t n, unsigned jobs,
		void *ctx);

/* The cores this process may run on (sched_getaffinity), at least 1. */
unsigned parmap_cores(void);

/* The most jobs parmap_run() starts; more are taken as this many. */
#define PARMAP_MAX_JOBS 256

#endif

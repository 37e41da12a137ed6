/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky soak's load: one load generator (load/loadgen.h) per request kind
 * of a soak, each on a thread of its own with its share of the rate or of
 * the workers, counted together into one per-interval series (leaky
 * load's --series columns) and one summary, until stopped.
 */
#ifndef LEAKY_SOAK_SOAKLOAD_H
#define LEAKY_SOAK_SOAKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct loadspec;

/* How the whole load runs; the shares follow the requests' weights. */
struct soakload_opts {
	double rate;		/* > 0: open loop, requests/s in all */
	unsigned concurrency;	/* closed loop: workers in all; open loop:
				 * the most in flight, in all */
	long timeout_ms;	/* per request, 0: none */
	int64_t every_ns;	/* the series' interval */
	int64_t duration_ns;	/* the longest run; 0: until stopped */
	const char *const *headers;	/* "Name: value", for every request */
	size_t nheaders;
};

struct soakload;

/*
 * Reads the requests' body files, then starts one thread per request.
 * Returns the running load, or NULL with the reason in err (a body file
 * that cannot be read, a thread that cannot start: nothing is left
 * running then). reqs stay the caller's and must outlive the load.
 */
struct soakload *soakload_start(const struct loadspec *reqs, size_t n,
				const struct soakload_opts *o, char *err,
				size_t size);

/* Stops the generators (requests in flight are dropped) and joins them. */
void soakload_stop(struct soakload *l);

/*
 * After the stop: writes the series as CSV to path (leaky load's --series
 * columns, one row per interval of all the requests together), and the
 * summary (leaky load's, then one line per request kind) to summary_fp.
 * Returns 0, or -1 after a report when path cannot be written.
 */
int soakload_write(struct soakload *l, const char *path, FILE *summary_fp);

/* Responses received in all (0: the load reached nothing). */
uint64_t soakload_responses(const struct soakload *l);

void soakload_free(struct soakload *l);

#endif

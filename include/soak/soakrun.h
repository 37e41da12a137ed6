/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A soak's timeline: the service started (or attached to) and seen ready,
 * the load started, the collector's run on the soak's schedule (one last
 * round after a Ctrl-C; stopped early when the service exits), the load
 * and the service stopped. What comes after (the CSVs, the chart, the
 * report) is the command's, on the files this leaves.
 */
#ifndef LEAKY_SOAK_SOAKRUN_H
#define LEAKY_SOAK_SOAKRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "soak/soakload.h"

struct loadspec;

/* What to run; the strings stay the caller's. */
struct soakrun_opts {
	char *const *argv;	/* the service's command; NULL: attach */
	const char *pprof;	/* its pprof URL; NULL: the default, or */
	const char *pprof_file;	/* ... the first line of this file */
	const char *name;	/* the target's name */
	const char *data;	/* the collect directory */
	const char *log_path;	/* the service's output */
	const char *profiles;	/* collect -p's list; NULL: the default */
	int64_t duration_ns, interval_ns, ready_ns, grace_ns;
	int gc, quiet;
	/* the load: /path URLs are completed with the pprof address */
	struct loadspec *reqs;
	size_t nreqs;
	struct soakload_opts load;	/* every and duration: the run's */
};

/* How it went. */
struct soakrun {
	pid_t pid;		/* the service started; 0 when attached */
	/* The process sampled when it is not pid: the listener of the pprof
	 * port in pid's process group (a wrapper's child: sh -c, go run);
	 * 0 when pid itself. */
	pid_t sampled;
	int exited_early;	/* the service exited by itself ... */
	int exit_status;	/* ... with this wait status */
	int64_t exit_at;	/* ... this long after sampling began */
	int killed;		/* it needed SIGKILL after the grace */
	int interrupted;	/* SIGINT or SIGTERM ended the soak */
	int64_t t0_wall;	/* sampling began, CLOCK_REALTIME ns */
	struct soakload *load;	/* stopped; NULL without load */
};

/*
 * Runs the soak o describes into *r (soakrun_release() it). SIGINT and
 * SIGTERM are its own from the start (afterwards they are ignored, as
 * after a collector's run). Returns LEAKY_OK when it sampled (the
 * collector's failures are in the manifest); LEAKY_USAGE for a bad
 * --pprof, found before anything starts; LEAKY_FAIL when the service did
 * not come up (not ready within ready_ns, exited first, could not run),
 * or the load could not start. Failures are said on stderr with the
 * service's last lines of output, and nothing it started is left running.
 */
int soakrun_run(const struct soakrun_opts *o, struct soakrun *r);
void soakrun_release(struct soakrun *r);

/* The last lines of the service's output, indented, to fp. */
void soakrun_print_tail(FILE *fp, const char *log_path);

#endif

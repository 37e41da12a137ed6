/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fleet scan: the series Go's Prometheus client exports, for every
 * instance a selector matches, read from Prometheus into a dataset of one
 * target per instance (JOB/INSTANCE), split at its restarts, for leaky
 * report to judge as it judges a collect directory.
 */
#ifndef LEAKY_PROMSCAN_H
#define LEAKY_PROMSCAN_H

#include <stddef.h>
#include <stdint.h>

struct dataset;
struct promapi;

/* The metrics read, by default those of Go's client (client_golang). */
#define PROMSCAN_HEAP "go_memstats_heap_inuse_bytes"
#define PROMSCAN_GOROUTINES "go_goroutines"
#define PROMSCAN_RSS "process_resident_memory_bytes"
#define PROMSCAN_FDS "process_open_fds"
#define PROMSCAN_START "process_start_time_seconds"

/* Points per series the default step aims at. */
#define PROMSCAN_POINTS 240

struct promscan_opts {
	const char *match;	/* a label selector "{...}", or NULL: all */
	int64_t since_ns;	/* the window, ending now */
	int64_t step_ns;	/* 0: since / PROMSCAN_POINTS, at least 1 s */
	int64_t end_ns;		/* 0: now (tests and benchmarks set it) */
	/* Metric names; NULL or "" leaves that series out. */
	const char *heap, *goroutines, *rss, *fds, *start;
};

/* Sets the default metrics and no selector; since_ns is left to set. */
void promscan_opts_default(struct promscan_opts *o);

/*
 * Checks that o->match is a selector in braces, with balanced quotes
 * (Prometheus judges the rest). Returns 0, or -1 with the reason in err.
 */
int promscan_check_match(const char *match, char *err, size_t errlen);

/*
 * Reads o's metrics for every instance through p, one range query per
 * metric for all instances (max by job and instance, so that each
 * instance is one series), into *ds (ds_init()ed here; the caller
 * ds_release()s it, also after a failure). An instance's series are split
 * where its start time changes. Returns 0, or -1 with one line in err
 * (what Prometheus or the transfer said, or that nothing matched).
 */
int promscan_load(struct promapi *p, const struct promscan_opts *o,
		  struct dataset *ds, char *err, size_t errlen);

#endif

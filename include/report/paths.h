/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The change between two heap profiles of a target by whole stack, read
 * again from their files, for the call paths that carry a function's
 * growth (analyze/callpath.h): what `go tool pprof -traces -diff_base
 * FIRST LAST` lists, the profiler's own samples left out unless kept.
 */
#ifndef LEAKY_PATHS_H
#define LEAKY_PATHS_H

#include "analyze/agg.h"
#include "analyze/callpath.h"
#include "analyze/gorout.h"

#include <stddef.h>

struct stackdiff {
	struct agg *g;
	struct agg_snapshot d;	/* last minus first, per stack */
	size_t type;		/* inuse_space's index */
};

/*
 * Reads first and last and fills *sd (stackdiff_release() it). Returns
 * 0, or -1 after reporting "FILE: reason" (the files changed since they
 * were read, or have no inuse_space).
 */
int stackdiff_load(struct stackdiff *sd, const char *first, const char *last,
		   int keep_profiler);
void stackdiff_release(struct stackdiff *sd);

/*
 * Two debug=2 goroutine dumps of a target grouped as the dataset groups
 * them (stack, state, labels), each group split by where its goroutines
 * were created: the creators of a growing group.
 */
struct gorsites {
	struct gor *g;
	struct gor_snapshot s[2];	/* first, last */
};

/* As stackdiff_load(), for goroutine dumps. */
int gorsites_load(struct gorsites *gs, const char *first, const char *last,
		  int keep_profiler);
void gorsites_release(struct gorsites *gs);

/*
 * The creators of the group whose dataset key is key (stack, state and
 * labels joined by 0x1f), as callpaths: "PATH at FILE:LINE" (the creator
 * path trimmed as a call path is), by their change in goroutines from
 * the first dump to the last, as callpaths_of() keeps them. Returns the
 * number kept.
 */
size_t gorsites_of(const struct gorsites *gs, const char *key, size_t max,
		   double min_share, struct callpaths *out);

#endif

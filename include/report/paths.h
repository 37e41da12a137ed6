/*
 * The change between two heap profiles of a target by whole stack, read
 * again from their files, for the call paths that carry a function's
 * growth (analyze/callpath.h): what `go tool pprof -traces -diff_base
 * FIRST LAST` lists, the profiler's own samples left out unless kept.
 */
#ifndef LEAKY_PATHS_H
#define LEAKY_PATHS_H

#include "analyze/agg.h"

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

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The call paths that carry a function's growth: from the change between
 * two snapshots aggregated by whole stack (agg_diff() of an AGG_STACK
 * aggregator, pprof's -diff_base), the stacks whose leaf frame is the
 * function, root to leaf, with the runtime's and the standard library's
 * frames above the program's own code left out, merged where they then
 * read the same, largest change first.
 */
#ifndef LEAKY_CALLPATH_H
#define LEAKY_CALLPATH_H

#include <stddef.h>
#include <stdint.h>

struct agg;
struct agg_snapshot;
struct strmap;

struct callpath {
	char *frames;		/* "main.a > main.b > main.f" */
	int64_t change;		/* of the sample type, last minus first */
	double share;		/* of the function's flat change */
};

struct callpaths {
	struct callpath *v;
	size_t n;
	int64_t change;		/* the function's flat change: every stack */
	size_t nstacks;		/* stacks with the function as leaf */
};

/*
 * Fills *out (overwritten; callpaths_release() it) with func's paths in
 * d, a per-stack diff of g, values of type: at most max of them, those
 * whose change is positive and at least min_share of the function's
 * (the largest one always, when it grew at all). Returns the number kept.
 */
size_t callpaths_of(const struct agg *g, const struct agg_snapshot *d,
		    size_t type, const char *func, size_t max,
		    double min_share, struct callpaths *out);
void callpaths_release(struct callpaths *p);

/*
 * Paths summed by their text, then selected as callpaths_of() selects
 * them: callpath_acc_init() it, callpath_acc_add() each change (it takes
 * text, an xmalloc'ed string), callpath_acc_keep() the largest into out
 * (which it overwrites), releasing the rest; returns the number kept.
 */
struct callpath_acc {
	struct strmap *seen;	/* text -> its index in v */
	struct callpath *v;
	size_t n, cap;
	int64_t change;		/* the sum of them all */
};

void callpath_acc_init(struct callpath_acc *a);
void callpath_acc_add(struct callpath_acc *a, char *text, int64_t change);
size_t callpath_acc_keep(struct callpath_acc *a, size_t max,
			 double min_share, struct callpaths *out);

/*
 * A folded stack ("root;...;leaf", as agg keys stacks) as a path: frames
 * joined by " > ", root-side frames of the runtime and the standard
 * library (packages without a dot in their first element, but main) left
 * out up to the first frame of the program's own code; a stack with none
 * loses only its root-side runtime frames. A new string.
 */
char *callpath_trim(const char *folded);

/* The leaf (last) frame of a folded stack: a pointer into it. */
const char *callpath_leaf(const char *folded);

#endif

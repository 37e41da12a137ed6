/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Goroutine groups: a goroutine profile or dump (any format) summed per
 * stack and state, or regrouped by top frame, creator or state, with the
 * columns `leaky goroutines` prints; and per-snapshot totals. Both CSV
 * layouts of `leaky goroutines` are defined here, and read back (leaky
 * plot) through these names.
 */
#ifndef LEAKY_GOROUT_H
#define LEAKY_GOROUT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

struct profile;
struct series;
struct table;

enum gor_by {
	GOR_DEFAULT,		/* stack, state and labels */
	GOR_STACK,
	GOR_TOP,
	GOR_CREATED_BY,
	GOR_STATE,
	/* The default's groups split by where each goroutine was created
	 * (creator and go statement: debug=2 dumps), for report's creators;
	 * no --by name. */
	GOR_SITE,
};

struct gor_opts {
	enum gor_by by;
	int64_t min;		/* drop groups under this many goroutines */
	const regex_t *focus;	/* keep goroutines with a frame matching */
	const regex_t *ignore;	/* drop goroutines with a frame matching */
};

/*
 * One group. The text fields are those shared by every goroutine of the
 * group, or NULL when the format lacks them or they differ (the CSV field
 * is then empty). max_wait_minutes is -1 when no goroutine showed one.
 */
struct gor_group {
	int64_t goroutines;
	const char *state;
	int64_t max_wait_minutes;
	const char *created_by;
	const char *top;
	const char *stack;
	const char *labels;
	/* Where the group's goroutines were created (debug=2 dumps): the
	 * creator's stack when it made them, root first and ';'-joined
	 * (GODEBUG=tracebackancestors), else the creator function alone;
	 * and the go statement's "file:line". */
	const char *creator_path;
	const char *created_at;
};

/* A snapshot's groups, sorted by goroutines descending, then key. */
struct gor_snapshot {
	size_t ngroups;
	struct gor_group *groups;
	int64_t total;
	/* For --totals; ages only from debug=2 dumps (else -1). */
	int64_t age_1m, age_10m, age_60m;
	size_t nstates;
	const char **states;	/* distinct states, in first-seen order */
	int64_t *state_counts;
};

struct gor;

/* Returns a new grouper; strings it hands out live until gor_free(). */
struct gor *gor_new(const struct gor_opts *opts);
void gor_free(struct gor *g);

/*
 * Groups p into *out (overwritten; gor_snapshot_release() the previous).
 * Returns 0, or -1 after reporting "NAME: reason" when p is not a goroutine
 * profile (a single count sample type).
 */
int gor_profile(struct gor *g, const char *name, const struct profile *p,
		struct gor_snapshot *out);
void gor_snapshot_release(struct gor_snapshot *s);

/* Parses "stack", "top", "created_by" or "state"; -1 when unknown. */
int gor_by_parse(const char *s, enum gor_by *by);

/* True for frames a reader skips to find the top: runtime, sync... */
int gor_is_runtime_frame(const char *function);

/* The columns after time and target of one row per group. */
enum gor_column {
	GOR_COL_GOROUTINES,
	GOR_COL_STATE,
	GOR_COL_MAX_WAIT,
	GOR_COL_CREATED_BY,
	GOR_COL_TOP,
	GOR_COL_STACK,
	GOR_COL_LABELS,
	GOR_NCOLUMNS
};
extern const char *const gor_columns[GOR_NCOLUMNS];

/*
 * The fixed columns of --totals (one row per snapshot), after time and
 * target; a column per state follows, in first-seen order.
 */
enum gor_total_column {
	GOR_TOT_GOROUTINES,
	GOR_TOT_1M,
	GOR_TOT_10M,
	GOR_TOT_60M,
	GOR_NTOTAL_COLUMNS
};
extern const char *const gor_total_columns[GOR_NTOTAL_COLUMNS];
/* True for a --totals column that is an age bucket (">=1m"), not a state. */
int gor_total_is_age(const char *column);

/*
 * Writes snap's groups to s (a series whose columns are gor_columns), one
 * row each at nanos for target; a field the group lacks is empty. Returns
 * 0, or -1 after a report (series_rows_begin(), series_rows_end()).
 */
int gor_write_groups(struct series *s, int64_t nanos, const char *target,
		     const struct gor_snapshot *snap);
/*
 * Adds snap's --totals row to t (a table whose fixed columns are
 * gor_total_columns): the total, the age buckets the format gives, and a
 * count per state. Returns 0, or -1 when the row would make more
 * columns than a table holds (reported by table_add; row not added).
 */
int gor_add_totals(struct table *t, int64_t nanos, const char *target,
		   const struct gor_snapshot *snap);

#endif

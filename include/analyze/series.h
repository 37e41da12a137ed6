/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A time series of aggregated snapshots and its CSV output: long (one row
 * per snapshot and key, spooled so memory does not grow with the number of
 * snapshots), top-N with an "(other)" row, or wide (one column per key).
 */
#ifndef LEAKY_SERIES_H
#define LEAKY_SERIES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "out/csvout.h"

struct agg;
struct agg_snapshot;
struct rounds;

struct series_opts {
	const char *key_column;		/* "function", ...; NULL: none */
	size_t ncolumns;		/* value columns, one per type */
	const char *const *columns;
	size_t sort_column;		/* the default type */
	enum csv_time time_style;
	size_t top;			/* 0 = every key */
	int other;			/* add "(other)" rows/columns */
	int rank_abs;			/* top/wide: rank keys by their largest
					 * absolute value (changes), not their
					 * largest value */
	int wide;			/* pivot: one column per key */
	size_t wide_column;		/* which value the pivot shows */
	int csv_raw;			/* no formula prefix (csvout_text) */
	unsigned origin;		/* enum series_origin flags */
};

/*
 * Columns a long layout's rows end with (series_origin_columns names
 * them), saying where a snapshot came from: its source (the format read:
 * "proto", "debug=2", "smaps_rollup"...), which tells apart the files of
 * one round that share its time; and the profile's own time (time_nanos;
 * empty when the format has none). Last, so that readers of the columns
 * before them keep working. The wide layout has neither.
 */
enum series_origin {
	SERIES_SOURCE = 1,
	SERIES_PROFILE_TIME = 2,
};
extern const char *const series_origin_columns[2];

struct series;

/*
 * Every layout's header starts with these columns, the snapshot's time
 * and target (series_prefix_columns, the one definition of their names);
 * the key column, if any, comes next, then the value columns.
 */
enum series_prefix_column {
	SERIES_COL_TIME,
	SERIES_COL_TARGET,
	SERIES_NPREFIX
};
extern const char *const series_prefix_columns[SERIES_NPREFIX];

/*
 * Returns a new series reading key names from g (not owned; may be NULL
 * when key_column is NULL and rows come through series_rows_begin()).
 */
struct series *series_new(const struct series_opts *opts,
			   const struct agg *g);
void series_free(struct series *s);

/*
 * Where the next snapshot added (series_add(), series_rows_begin()) came
 * from, for the origin columns: source, a string that outlives s (a
 * format's static name); the profile's own time when has_time. Holds
 * until set again.
 */
void series_set_origin(struct series *s, const char *source, int has_time,
		       int64_t nanos);

/*
 * Adds one snapshot at time nanos for target; takes over *snap's arrays
 * (and clears *snap). Returns 0, or -1 after reporting a spool error.
 */
int series_add(struct series *s, int64_t nanos, const char *target,
	       struct agg_snapshot *snap);

/*
 * For long layouts whose rows the caller renders (goroutines, pmap): opens
 * a snapshot and returns the CSV writer its rows go to, or NULL after a
 * report. Each row starts with series_row_prefix() (time and target), ends
 * with series_row_end() (the origin columns, then csvout_end());
 * series_rows_end() closes the snapshot (-1 on a spool
 * write error, reported). The header is time, target, then the columns.
 */
struct csvout *series_rows_begin(struct series *s, int64_t nanos,
				 const char *target);
void series_row_prefix(struct series *s);
void series_row_end(struct series *s);
int series_rows_end(struct series *s);

/*
 * Writes the whole series as CSV to out, rows ordered by time, target and
 * arrival. Returns 0, or -1 when writing failed (not reported).
 */
int series_write(struct series *s, FILE *out);

/*
 * Splits a collector file name "DIR/NAME_UNIX.kind..." into the target
 * NAME and the UNIX seconds. Returns 1 when the name has that form, else 0
 * with *target_out set to the stem before the first dot. *target_out is
 * heap memory the caller frees.
 */
int series_parse_name(const char *path, char **target_out, int64_t *unix_out);



/*
 * A snapshot's time and target. A file named "NAME_UNIX.kind..." (the
 * collector's naming) is one file of a round: its time is the round's,
 * the same for every file of that round whatever its format
 * (rounds_time(): the manifest's milliseconds when rounds, may be NULL,
 * finds them, else UNIX). Any other file: the profile's own time when it
 * has one (has_time), else the file's mtime (seconds). The target is
 * target_opt when given, else NAME from the file name ("stdin" for "-").
 * *target is heap memory the caller frees.
 */
void series_identify(const char *path, const char *target_opt,
		     struct rounds *rounds, int has_time, int64_t time_nanos,
		     int64_t mtime, char **target, int64_t *nanos);
#endif

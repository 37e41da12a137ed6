/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Aggregation of a profile's samples by key (function, file, line or whole
 * stack), flat or cumulative, exactly as pprof's graph does it.
 */
#ifndef LEAKY_AGG_H
#define LEAKY_AGG_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

struct profile;

enum agg_by {
	AGG_FUNCTION,
	AGG_FILE,
	AGG_LINE,
	AGG_STACK,
};

struct agg_opts {
	enum agg_by by;
	int cum;		/* count once per distinct key on the stack */
	const regex_t *focus;	/* keep samples with a frame matching */
	const regex_t *ignore;	/* drop samples with a frame matching */
};

/*
 * One profile's result: nrows keys with ntypes values each, sorted by the
 * sort type's value descending, then key. Caller-owned storage:
 * agg_snapshot_release() frees the arrays.
 */
struct agg_snapshot {
	size_t nrows, ntypes;
	uint32_t *keys;
	int64_t *values;	/* nrows * ntypes */
	int64_t *totals;	/* ntypes: every kept sample, once */
};

void agg_snapshot_release(struct agg_snapshot *s);

struct agg;

/* Returns a new aggregator; its keys accumulate over all profiles fed. */
struct agg *agg_new(const struct agg_opts *opts);
void agg_free(struct agg *g);

/*
 * Aggregates p into *out (overwritten; release the previous one first),
 * rows sorted by type sort_type. Keys with all values zero are left out.
 * Returns 0; -1 (after a report) when sort_type is out of range.
 */
int agg_profile(struct agg *g, const struct profile *p, size_t sort_type,
		struct agg_snapshot *out);

/* The text of key id; owned by g. */
const char *agg_key(const struct agg *g, uint32_t id);
size_t agg_nkeys(const struct agg *g);
/* The CSV column name for the key under this granularity. */
const char *agg_by_name(enum agg_by by);
/* Parses "function", "file", "line" or "stack"; -1 when unknown. */
int agg_by_parse(const char *s, enum agg_by *by);

#endif

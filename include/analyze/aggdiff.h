/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The change between two aggregated snapshots, with the semantics of
 * pprof's -diff_base: the base's samples count negated, so that each
 * key's flat and cum (and the totals) are the new value minus the base's.
 */
#ifndef LEAKY_AGGDIFF_H
#define LEAKY_AGGDIFF_H

#include <stddef.h>

struct agg;
struct agg_snapshot;

/*
 * Fills *out (overwritten) with cur minus base, key by key: base and cur
 * come from agg_profile() of the same g, so their key ids agree, and have
 * the same ntypes. A key in one only counts as zero in the other (a key
 * only in the base gets a negative change); keys whose changes are all
 * zero are left out, as pprof leaves out a node whose flat and cum are
 * zero. Rows are sorted as `pprof -top -diff_base` sorts them: by the
 * absolute change of type sort_type, largest first, then by key.
 * Returns 0; -1 (after a report) when the snapshots' types disagree or
 * sort_type is out of range.
 */
int agg_diff(const struct agg *g, const struct agg_snapshot *base,
	     const struct agg_snapshot *cur, size_t sort_type,
	     struct agg_snapshot *out);

#endif

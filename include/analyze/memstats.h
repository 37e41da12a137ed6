/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime.MemStats a heap?debug=1 dump ends with, as table rows: the
 * rows of `leaky heaper --memstats`.
 */
#ifndef LEAKY_MEMSTATS_H
#define LEAKY_MEMSTATS_H

#include <stdint.h>

struct profile;
struct table;

/*
 * Adds one row to t at nanos for target: every MemStats field of p, by
 * name, its value as the dump wrote it (keys and values copied). Returns
 * 0; -1 after reporting "NAME: no runtime.MemStats ..." when p is not a
 * heap?debug=1 dump with MemStats, or when the row would make more columns
 * than a table holds (reported by table_add; row not added).
 */
int memstats_add_row(struct table *t, const char *name,
		     const struct profile *p, int64_t nanos,
		     const char *target);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wide tables whose columns are not known in advance: one row per snapshot,
 * the header being the union of keys in first-seen order (runtime.MemStats
 * fields, goroutine states). Rows are kept in memory until written.
 */
#ifndef LEAKY_TABLE_H
#define LEAKY_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "out/csvout.h"

struct table;

/* Returns a new table; fixed columns (may be 0) always come first. */
struct table *table_new(size_t nfixed, const char *const *fixed);
void table_free(struct table *t);
/*
 * Adds a row of n key/value pairs at time nanos for target (all copied).
 * Returns 0, or -1 when its keys would make more columns than a table
 * holds (reported; the row is not added).
 */
int table_add(struct table *t, int64_t nanos, const char *target, size_t n,
	      const char *const *keys, const char *const *values);
/*
 * Writes "time,target,<columns>" and the rows sorted by time, target and
 * arrival; a key a row lacks is an empty field. Keys, targets and values
 * are input text (csvout_text(), raw: no formula prefix). -1 on a write
 * error or a field csvout could not write (reported).
 */
int table_write(struct table *t, FILE *out, enum csv_time style, int raw);

#endif

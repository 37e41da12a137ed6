/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky pmap's CSV layouts: a process memory snapshot (decode/procmem.h)
 * as one row of totals, or one row per mapping, after the time and target
 * that analyze/series.h writes first. These tables are the layouts' one
 * definition: readers (leaky plot) find the columns by these names.
 */
#ifndef LEAKY_MEMCSV_H
#define LEAKY_MEMCSV_H

#include <stddef.h>

#include "decode/procmem.h"

struct csvout;

/*
 * Column names after time and target, one row per snapshot: the pid,
 * then each measure of enum procmem_measure in its order.
 */
#define MEMCSV_PID 0
#define MEMCSV_MEASURE(m) (1 + (m))	/* the column of measure m */
#define MEMCSV_NCOLUMNS MEMCSV_MEASURE(PM_NMEASURES)
extern const char *const memcsv_columns[MEMCSV_NCOLUMNS];

/* Column names after time and target, one row per mapping (--mappings). */
enum memcsv_mapping_column {
	MEMCSV_MAP_PID,
	MEMCSV_MAP_ADDRESS,
	MEMCSV_MAP_NAME,
	MEMCSV_MAP_SIZE,
	MEMCSV_MAP_RSS,
	MEMCSV_MAP_DIRTY,
	MEMCSV_MAP_MODE,
	MEMCSV_NMAPPING_COLUMNS
};
extern const char *const memcsv_mapping_columns[MEMCSV_NMAPPING_COLUMNS];

/*
 * Append the fields of memcsv_columns (pid and the measures), or of
 * memcsv_mapping_columns for mapping i of pm, to the current row of c;
 * unknown values are empty fields. The caller writes the prefix and ends
 * the row.
 */
void memcsv_totals(struct csvout *c, const struct procmem *pm);
void memcsv_mapping(struct csvout *c, const struct procmem *pm, size_t i);

#endif

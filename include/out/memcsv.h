/*
 * leaky pmap's CSV layouts: a process memory snapshot (decode/procmem.h)
 * as one row of totals, or one row per mapping, after the time and target
 * that analyze/series.h writes first.
 */
#ifndef LEAKY_MEMCSV_H
#define LEAKY_MEMCSV_H

#include <stddef.h>

#include "decode/procmem.h"

struct csvout;

/* Column names after time and target: one row per snapshot. */
#define MEMCSV_NCOLUMNS (1 + PM_NMEASURES)
extern const char *const memcsv_columns[MEMCSV_NCOLUMNS];
/* Column names after time and target: one row per mapping. */
#define MEMCSV_NMAPPING_COLUMNS 7
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

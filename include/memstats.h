/*
 * runtime.MemStats tables: one row per heap?debug=1 dump, one column per
 * field, the header being the union of fields in first-seen order.
 */
#ifndef LEAKY_MEMSTATS_H
#define LEAKY_MEMSTATS_H

#include <stdint.h>
#include <stdio.h>

#include "csvout.h"

struct profile;
struct memstats;

struct memstats *memstats_new(void);
void memstats_free(struct memstats *m);
/*
 * Adds p's MemStats as a row at time nanos for target. Returns 0, or -1
 * after reporting "NAME: reason" when p has none.
 */
int memstats_add(struct memstats *m, const char *name,
		 const struct profile *p, int64_t nanos, const char *target);
/* Writes the table sorted by time, target, arrival; -1 on write error. */
int memstats_write(struct memstats *m, FILE *out, enum csv_time style);

#endif

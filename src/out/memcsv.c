/* SPDX-License-Identifier: Apache-2.0 */
/* leaky pmap's CSV: process memory snapshots as rows, their columns. */
#include "out/memcsv.h"
#include "decode/procmem.h"
#include "out/csvout.h"

#include <inttypes.h>
#include <stdio.h>

/* By index, so that a measure's name cannot drift from its value. */
const char *const memcsv_columns[MEMCSV_NCOLUMNS] = {
	[MEMCSV_PID] = "pid",
	[MEMCSV_MEASURE(PM_SIZE)] = "size_kb",
	[MEMCSV_MEASURE(PM_RSS)] = "rss_kb",
	[MEMCSV_MEASURE(PM_PSS)] = "pss_kb",
	[MEMCSV_MEASURE(PM_DIRTY)] = "dirty_kb",
	[MEMCSV_MEASURE(PM_ANON)] = "anon_kb",
	[MEMCSV_MEASURE(PM_FILE)] = "file_kb",
	[MEMCSV_MEASURE(PM_SWAP)] = "swap_kb",
	[MEMCSV_MEASURE(PM_HEAP)] = "heap_kb",
	[MEMCSV_MEASURE(PM_STACK)] = "stack_kb",
};

const char *const memcsv_mapping_columns[MEMCSV_NMAPPING_COLUMNS] = {
	[MEMCSV_MAP_PID] = "pid",
	[MEMCSV_MAP_ADDRESS] = "address",
	[MEMCSV_MAP_NAME] = "mapping",
	[MEMCSV_MAP_SIZE] = "size_kb",
	[MEMCSV_MAP_RSS] = "rss_kb",
	[MEMCSV_MAP_DIRTY] = "dirty_kb",
	[MEMCSV_MAP_MODE] = "mode",
};

static void kb_field(struct csvout *c, int64_t v)
{
	if (v == PROCMEM_UNKNOWN)
		csvout_empty(c);
	else
		csvout_i64(c, v);
}

/* In the order of memcsv_columns: the pid, then the measures. */
void memcsv_totals(struct csvout *c, const struct procmem *pm)
{
	size_t i;

	kb_field(c, pm->pid);
	for (i = 0; i < PM_NMEASURES; i++)
		kb_field(c, pm->kb[i]);
}

/* In the order of memcsv_mapping_columns. */
void memcsv_mapping(struct csvout *c, const struct procmem *pm, size_t i)
{
	const struct procmem_mapping *m = &pm->mappings[i];
	char addr[24];

	kb_field(c, pm->pid);
	snprintf(addr, sizeof(addr), "%016" PRIx64, m->address);
	csvout_str(c, addr);
	csvout_text(c, m->name);
	kb_field(c, m->size_kb);
	kb_field(c, m->rss_kb);
	kb_field(c, m->dirty_kb);
	csvout_str(c, m->mode);
}

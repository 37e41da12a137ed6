/* leaky pmap's CSV: process memory snapshots as rows, their columns. */
#include "out/memcsv.h"
#include "out/csvout.h"
#include "decode/procmem.h"

#include <inttypes.h>
#include <stdio.h>

const char *const memcsv_columns[MEMCSV_NCOLUMNS] = {
	"pid", "size_kb", "rss_kb", "pss_kb", "dirty_kb", "anon_kb",
	"file_kb", "swap_kb", "heap_kb", "stack_kb",
};

const char *const memcsv_mapping_columns[MEMCSV_NMAPPING_COLUMNS] = {
	"pid", "address", "mapping", "size_kb", "rss_kb", "dirty_kb", "mode",
};

static void kb_field(struct csvout *c, int64_t v)
{
	if (v == PROCMEM_UNKNOWN)
		csvout_empty(c);
	else
		csvout_i64(c, v);
}

void memcsv_totals(struct csvout *c, const struct procmem *pm)
{
	size_t i;

	kb_field(c, pm->pid);
	for (i = 0; i < PM_NMEASURES; i++)
		kb_field(c, pm->kb[i]);
}

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

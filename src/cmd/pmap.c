/* SPDX-License-Identifier: Apache-2.0 */
/* leaky pmap: process memory (pmap, smaps, status) to CSV time series. */
#include "cmd/cmd.h"
#include "analyze/series.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "decode/procmem.h"
#include "out/csvout.h"
#include "out/memcsv.h"
#include "out/outfile.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

struct pmap_opts {
	int mappings;
	struct snap_opts io;
};

/* What each input's rows go into. */
struct pmap_run {
	const struct pmap_opts *o;
	struct series *series;
};

/* pmap reads no profiles, yet has always taken their limits, unsaid. */
static const struct opt options[] = {
	OPT_SET_INT('\0', "mappings", struct pmap_opts, mappings, 1,
		    "one row per mapping instead (pmap, pmap -x, smaps)"),
	OPT_INCLUDE_AT(snap_opt_table, struct pmap_opts, io, 0),
	OPT_INCLUDE_AT(snap_limit_table, struct pmap_opts, io, OPTF_HIDDEN),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd pmap_options = {
	.usage = "usage: leaky pmap [OPTIONS] FILE...\n",
	.about =
"Reads process memory snapshots ('-' reads stdin), whatever their names:\n"
"pmap PID, pmap -x/-X PID, /proc/PID/smaps, /proc/PID/smaps_rollup or\n"
"/proc/PID/status; writes one CSV row per snapshot (pid and sizes in kB,\n"
"then the format read as source), ordered by time.\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input files",
	.max_operands = -1,
};

static void parse_args(struct pmap_opts *o, int argc, char **argv)
{
	int status;

	if (opt_parse(&pmap_options, argc, argv, o, &status) < 0)
		exit(status);
}

/* Adds one snapshot's rows; -1 when they cannot be (reported). */
static int add_rows(struct series *s, const struct pmap_opts *o,
		    const char *path, const struct procmem *pm,
		    int64_t nanos, const char *target)
{
	struct csvout *c;
	size_t i;

	if (o->mappings && !pm->nmappings) {
		error("%s: %s has no mappings for --mappings (pmap, pmap -x "
		      "and smaps have)", path, procmem_format_name(pm->format));
		return -1;
	}
	/* A source per row: one round's pmap and smaps_rollup share a time. */
	series_set_origin(s, procmem_format_name(pm->format), 0, 0);
	c = series_rows_begin(s, nanos, target);
	if (!c)
		return -1;
	if (!o->mappings) {
		series_row_prefix(s);
		memcsv_totals(c, pm);
		series_row_end(s);
	}
	for (i = 0; o->mappings && i < pm->nmappings; i++) {
		series_row_prefix(s);
		memcsv_mapping(c, pm, i);
		series_row_end(s);
	}
	return series_rows_end(s);
}

/* The series of one row per snapshot, or (--mappings) per mapping. */
static struct series *new_series(const struct pmap_opts *o)
{
	struct series_opts so = { 0 };

	so.key_column = NULL;
	if (o->mappings) {
		so.ncolumns = MEMCSV_NMAPPING_COLUMNS;
		so.columns = memcsv_mapping_columns;
	} else {
		so.ncolumns = MEMCSV_NCOLUMNS;
		so.columns = memcsv_columns;
	}
	so.time_style = o->io.time_style;
	so.csv_raw = o->io.csv_raw;
	/* Process memory has no time of its own: no profile_time. */
	so.origin = SERIES_SOURCE;
	return series_new(&so, NULL);
}

/* One input parsed, on a worker (cmd_each_text()'s parse). */
static void *parse_text(const struct cmd_text *t)
{
	return procmem_parse(t->path, t->data, t->len);
}

static void free_parsed(void *pm)
{
	procmem_free(pm);
}

/* One input's rows (cmd_each_text()'s add): -1 when they cannot be. */
static int add_text(const struct cmd_text *t, void *pm, void *ctx)
{
	struct pmap_run *run = ctx;

	return add_rows(run->series, run->o, t->path, pm, t->nanos,
			t->target);
}

static const struct cmd_text_ops text_ops = {
	.parse = parse_text,
	.parsed_free = free_parsed,
	.add = add_text,
};

int cmd_pmap(int argc, char **argv)
{
	struct pmap_opts o = { .io.lim.max_input = PROF_DEFAULT_MAX_INPUT };
	struct pmap_run run = { &o, NULL };
	struct outfile out;
	size_t nsnaps;
	int ret;

	parse_args(&o, argc, argv);
	if (outfile_open(&out, o.io.output, o.io.force) < 0)
		return LEAKY_FAIL;
	run.series = new_series(&o);
	ret = cmd_each_text(&o.io, argv + optind, (size_t)(argc - optind),
			    &text_ops, &run, &nsnaps);
	/* Like heaper: no snapshot, no output (not even the header). */
	if (nsnaps && series_write(run.series, out.fp) < 0)
		ret = LEAKY_FAIL;
	if (outfile_commit(&out) < 0)
		ret = LEAKY_FAIL;
	series_free(run.series);
	return ret;
}

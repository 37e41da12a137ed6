/* SPDX-License-Identifier: Apache-2.0 */
/* leaky fds: open descriptors (collect's .fds lists) to CSV time series. */
#include "cmd/cmd.h"
#include "analyze/series.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "decode/fds.h"
#include "out/csvout.h"
#include "out/outfile.h"

#include <getopt.h>
#include <stdio.h>

struct fds_opts {
	struct snap_opts io;
};

static const struct opt options[] = {
	OPT_INCLUDE_AT(snap_opt_table, struct fds_opts, io, 0),
	OPT_INCLUDE_AT(snap_limit_table, struct fds_opts, io, OPTF_HIDDEN),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd fds_options = {
	.usage = "usage: leaky fds [OPTIONS] FILE...\n",
	.about =
"Reads leaky collect's lists of open descriptors (fds/NAME_UNIX.fds, '-'\n"
"reads stdin); writes one CSV row per list, ordered by time: the open\n"
"descriptors, by type (socket, pipe, anon_inode, file, other), and the\n"
"process's threads (empty when the list does not give them).\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input files",
	.max_operands = -1,
};

/* The columns after time and target. */
static const char *const columns[] = {
	"pid", "open", "socket", "pipe", "anon_inode", "file", "other",
	"threads",
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static struct series *new_series(const struct fds_opts *o)
{
	struct series_opts so = { 0 };

	so.key_column = NULL;
	so.ncolumns = NCOLUMNS;
	so.columns = columns;
	so.time_style = o->io.time_style;
	so.csv_raw = o->io.csv_raw;
	so.origin = 0;		/* one format: no source column */
	return series_new(&so, NULL);
}

/* One list's row (cmd_each_text()'s add): -1 when it is no list. */
static int add_text(const struct cmd_text *t, void *parsed, void *ctx)
{
	struct series *s = ctx;
	struct fds_snapshot fs;
	struct csvout *c;
	int k;

	(void)parsed;
	if (fds_parse(t->path, t->data, t->len, &fs) < 0)
		return -1;
	c = series_rows_begin(s, t->nanos, t->target);
	if (!c)
		return -1;
	series_row_prefix(s);
	csvout_i64(c, fs.pid);
	csvout_i64(c, fs.open);
	for (k = 0; k < FDS_NTYPES; k++)
		csvout_i64(c, fs.count[k]);
	if (fs.threads > 0)
		csvout_i64(c, fs.threads);
	else
		csvout_empty(c);
	series_row_end(s);
	return series_rows_end(s);
}

static const struct cmd_text_ops text_ops = { .add = add_text };

int cmd_fds(int argc, char **argv)
{
	struct fds_opts o = { .io.lim.max_input = PROF_DEFAULT_MAX_INPUT };
	struct series *series;
	struct outfile out;
	size_t nsnaps;
	int ret, status;

	if (opt_parse(&fds_options, argc, argv, &o, &status) < 0)
		return status;
	if (outfile_open(&out, o.io.output, o.io.force) < 0)
		return LEAKY_FAIL;
	series = new_series(&o);
	ret = cmd_each_text(&o.io, argv + optind, (size_t)(argc - optind),
			    &text_ops, series, &nsnaps);
	/* As heaper and pmap: no list, no output (not even the header). */
	if (nsnaps && series_write(series, out.fp) < 0)
		ret = LEAKY_FAIL;
	if (outfile_commit(&out) < 0)
		ret = LEAKY_FAIL;
	series_free(series);
	return ret;
}

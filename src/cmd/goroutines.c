/* SPDX-License-Identifier: Apache-2.0 */
/* leaky goroutines: goroutine profiles and dumps to CSV per stack group. */
#include "cmd/cmd.h"
#include "analyze/gorout.h"
#include "analyze/series.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "model/profile.h"
#include "out/csvout.h"
#include "out/outfile.h"
#include "out/table.h"

#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opts {
	struct gor_opts gor;
	regex_t focus, ignore;
	int totals;
	struct snap_opts io;
};

static void by_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (gor_by_parse(arg, field) < 0)
		usage_die("bad --by '%s' (stack, top, created_by or state)",
			  arg);
}

static void min_cb(const struct opt *o, void *field, const char *arg)
{
	int64_t *min = field;
	char *end;

	(void)o;
	*min = strtoll(arg, &end, 10);
	if (*end || *min < 0 || !arg[0])
		usage_die("bad --min '%s'", arg);
}

/* --focus and --ignore: the regex, and the gor option pointing at it. */
static void regex_cb(const struct opt *o, void *field, const char *arg)
{
	struct opts *g = field;

	if (o->value) {
		cmd_regex(&g->ignore, arg, "--ignore");
		g->gor.ignore = &g->ignore;
	} else {
		cmd_regex(&g->focus, arg, "--focus");
		g->gor.focus = &g->focus;
	}
}

static const struct opt options[] = {
	OPT_CB_VALUES('\0', "by", "KEY", struct opts, gor.by, by_cb, 0,
		      "stack top created_by state",
	       "group by stack, top, created_by or state (default:\n"
	       "stack, state and labels)"),
	OPT_CB('\0', "min", "N", struct opts, gor.min, min_cb, 0,
	       "drop groups of fewer than N goroutines"),
	OPT_CB_BASE('\0', "focus", "RE", regex_cb, 0,
		    "keep goroutines with a frame matching RE"),
	OPT_CB_BASE('\0', "ignore", "RE", regex_cb, 1,
		    "drop goroutines with a frame matching RE"),
	OPT_SET_INT('\0', "totals", struct opts, totals, 1,
		    "one row per snapshot: total, age buckets (>=1m,\n"
		    ">=10m, >=60m, from debug=2) and counts per state"),
	OPT_INCLUDE_AT(snap_opt_table, struct opts, io, 0),
	OPT_INCLUDE_AT(snap_limit_table, struct opts, io, 0),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd goroutines_options = {
	.usage = "usage: leaky goroutines [OPTIONS] FILE...\n",
	.about =
"Decodes goroutine profiles (gzipped or raw profile.proto, goroutine?debug=1\n"
"or ?debug=2 text; '-' reads stdin) and writes one CSV row per snapshot\n"
"and goroutine group, ordered by time, largest group first:\n"
"time,target,goroutines,state,max_wait_minutes,created_by,top,stack,labels,\n"
"source,profile_time\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input files",
	.max_operands = -1,
};

static void parse_args(struct opts *o, int argc, char **argv)
{
	int status;

	if (opt_parse(&goroutines_options, argc, argv, o, &status) < 0)
		exit(status);
}

/* Where one run's rows go: a row per group, or (--totals) per snapshot. */
struct run {
	struct gor *g;
	struct series *series;
	struct table *totals;
	size_t ndecoded;	/* profiles grouped: none, no header */
};

/* cmd_each_profile()'s step: one profile's groups, or its totals row. */
static int add_profile(const struct cmd_snap *s, void *ctx)
{
	struct run *r = ctx;
	struct gor_snapshot snap;
	int ret;

	if (r->series)
		series_set_origin(r->series, profile_format_name(s->p->format),
				  s->p->has_time, s->p->time_nanos);
	if (gor_profile(r->g, s->path, s->p, &snap) < 0)
		ret = -1;
	else if (r->totals)
		ret = gor_add_totals(r->totals, s->nanos, s->target, &snap);
	else
		ret = gor_write_groups(r->series, s->nanos, s->target, &snap);
	gor_snapshot_release(&snap);
	if (ret >= 0)
		r->ndecoded++;
	return ret < 0 ? -1 : 0;
}

int cmd_goroutines(int argc, char **argv)
{
	struct opts o = { .gor.by = GOR_DEFAULT };
	struct series_opts so = {
		.ncolumns = GOR_NCOLUMNS,
		.columns = gor_columns,
		.origin = SERIES_SOURCE | SERIES_PROFILE_TIME,
	};
	struct run r = { 0 };
	struct outfile out;
	int ret;

	parse_args(&o, argc, argv);
	if (outfile_open(&out, o.io.output, o.io.force) < 0)
		return LEAKY_FAIL;
	so.time_style = o.io.time_style;
	so.csv_raw = o.io.csv_raw;
	r.g = gor_new(&o.gor);
	if (o.totals)
		r.totals = table_new(GOR_NTOTAL_COLUMNS, gor_total_columns);
	else
		r.series = series_new(&so, NULL);
	ret = cmd_each_profile(&o.io, argv + optind, (size_t)(argc - optind),
			       add_profile, &r);
	/* Nothing decoded: nothing written, not a header (as heaper). */
	if (r.ndecoded && r.totals &&
	    table_write(r.totals, out.fp, o.io.time_style, o.io.csv_raw) < 0)
		ret = LEAKY_FAIL;
	if (r.ndecoded && r.series && series_write(r.series, out.fp) < 0)
		ret = LEAKY_FAIL;
	if (outfile_commit(&out) < 0)
		ret = LEAKY_FAIL;
	series_free(r.series);
	table_free(r.totals);
	gor_free(r.g);
	if (o.gor.focus)
		regfree(&o.focus);
	if (o.gor.ignore)
		regfree(&o.ignore);
	return ret;
}

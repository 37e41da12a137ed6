/* SPDX-License-Identifier: Apache-2.0 */
/* leaky heaper: pprof profiles to CSV time series per function. */
#include "cmd/cmd.h"
#include "analyze/agg.h"
#include "analyze/aggdiff.h"
#include "analyze/memstats.h"
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

struct heaper {
	struct agg_opts agg;
	regex_t focus, ignore;
	size_t top;
	const char *wide;
	int memstats;
	const char *base;	/* --base FILE */
	int diff;		/* --diff FIRST LAST */
	struct snap_opts io;
};

static void by_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (agg_by_parse(arg, field) < 0)
		usage_die("bad --by '%s' (function, file, line or stack)", arg);
}

/* --focus and --ignore: the regex, and the agg option pointing at it. */
static void regex_cb(const struct opt *o, void *field, const char *arg)
{
	struct heaper *h = field;

	if (o->value) {
		cmd_regex(&h->ignore, arg, "--ignore");
		h->agg.ignore = &h->ignore;
	} else {
		cmd_regex(&h->focus, arg, "--focus");
		h->agg.focus = &h->focus;
	}
}

static void top_cb(const struct opt *o, void *field, const char *arg)
{
	size_t *top = field;
	char *end;

	(void)o;
	*top = strtoul(arg, &end, 10);
	if (*end || !*top || arg[0] == '-')
		usage_die("bad --top '%s'", arg);
}

static const struct opt options[] = {
	OPT_SET_INT('\0', "cum", struct heaper, agg.cum, 1,
		    "cumulative values (once per function on the stack)"),
	OPT_CB_VALUES('\0', "by", "KEY", struct heaper, agg.by, by_cb, 0,
		      "function file line stack",
		      "function (default), file, line or stack"),
	OPT_CB_BASE('\0', "focus", "RE", regex_cb, 0,
		    "keep samples with a frame matching RE"),
	OPT_CB_BASE('\0', "ignore", "RE", regex_cb, 1,
		    "drop samples with a frame matching RE"),
	OPT_CB('\0', "top", "N", struct heaper, top, top_cb, 0,
	       "keep the N keys with the largest peak, sum the rest\n"
	       "into an (other) row"),
	OPT_STR('\0', "wide", "TYPE", struct heaper, wide,
		"one row per snapshot, one column per key, values of\n"
		"sample type TYPE (e.g. inuse_space)"),
	OPT_STR('\0', "base", "FILE", struct heaper, base,
		"each input's change from profile FILE, per key\n"
		"(pprof's -diff_base), the largest change first"),
	OPT_SET_INT('\0', "diff", struct heaper, diff, 1,
		    "two files, FIRST LAST: LAST's change from FIRST"),
	OPT_SET_INT('\0', "memstats", struct heaper, memstats, 1,
		    "one row per heap?debug=1 dump of runtime.MemStats"),
	OPT_INCLUDE_AT(snap_opt_table, struct heaper, io, 0),
	OPT_INCLUDE_AT(snap_limit_table, struct heaper, io, 0),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd heaper_options = {
	.usage = "usage: leaky heaper [OPTIONS] FILE...\n"
		 "       leaky heaper --base FILE [OPTIONS] FILE...\n"
		 "       leaky heaper --diff [OPTIONS] FIRST LAST\n",
	.about =
"Decodes pprof profiles (gzipped or raw profile.proto, or heap?debug=1\n"
"text; '-' reads stdin) and writes one CSV row per snapshot and function\n"
"with every sample type as a column, ordered by time.\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input files",
	.max_operands = -1,
};

static void parse_args(struct heaper *h, int argc, char **argv)
{
	int status;

	if (opt_parse(&heaper_options, argc, argv, h, &status) < 0)
		exit(status);
	if (h->memstats && (h->wide || h->top || h->agg.cum))
		usage_die("--memstats takes no --wide, --top or --cum");
	if (h->memstats && (h->base || h->diff))
		usage_die("--memstats takes no --base or --diff");
	if (h->diff && h->base)
		usage_die("--diff takes its base as FIRST, not --base");
	if (h->diff && argc - optind != 2)
		usage_die("--diff takes two files, FIRST and LAST, not %d",
			  argc - optind);
}

/*
 * What one run learns from its first profile, and where rows go: series
 * (the default) or ms (--memstats).
 */
struct run {
	const struct heaper *h;
	struct agg *g;
	struct series *series;
	struct table *ms;
	char *types;		/* the first profile's types, described */
	char *first;		/* its path, named when types differ */
	const char **columns;	/* NULL-terminated copies of its type names */
	size_t sort_type;
	/* --base, --diff: rows are changes from the base's snapshot */
	int diff;
	int have_base;
	struct agg_snapshot base;
};

/*
 * The first profile fixes the columns: its sample types, rows sorted by its
 * default type. Takes over types (profile_describe_types()).
 */
static void start_series(struct run *r, const char *path,
			 const struct profile *p, char *types)
{
	const struct heaper *h = r->h;
	struct series_opts so = { 0 };
	int wide_col = 0;
	size_t i;

	r->types = types;
	r->first = xstrdup(path);
	r->sort_type = p->default_type;
	if (h->wide) {
		wide_col = profile_find_type(p, h->wide);
		if (wide_col < 0)
			die("%s: no sample type '%s' for --wide (has %s)",
			    path, h->wide, types);
	}
	r->columns = xcalloc(p->ntypes + 1, sizeof(*r->columns));
	for (i = 0; i < p->ntypes; i++)
		r->columns[i] = xstrdup(p->types[i].type);
	so.key_column = agg_by_name(h->agg.by);
	so.ncolumns = p->ntypes;
	so.columns = r->columns;
	so.sort_column = r->sort_type;
	so.time_style = h->io.time_style;
	so.top = h->top;
	/* cum values overlap: an (other) row summing them means nothing */
	so.other = !h->agg.cum;
	so.wide = h->wide != NULL;
	so.wide_column = (size_t)wide_col;
	so.csv_raw = h->io.csv_raw;
	so.rank_abs = r->diff;
	so.origin = SERIES_SOURCE | SERIES_PROFILE_TIME;
	r->series = series_new(&so, r->g);
}

/* cmd_each_profile()'s step: one profile's rows. */
static int add_profile(const struct cmd_snap *s, void *ctx)
{
	struct run *r = ctx;
	struct agg_snapshot snap;
	char *these;

	if (r->ms)
		return memstats_add_row(r->ms, s->path, s->p, s->nanos,
					s->target);
	/* One CSV has one set of columns: later profiles must match. */
	these = profile_describe_types(s->p, 1);
	if (!r->types) {
		start_series(r, s->path, s->p, these);
	} else if (strcmp(these, r->types)) {
		error("%s: sample types %s differ from %s in %s", s->path,
		      these, r->types, r->first);
		free(these);
		return -1;
	} else {
		free(these);
	}
	series_set_origin(r->series, profile_format_name(s->p->format),
			  s->p->has_time, s->p->time_nanos);
	if (agg_profile(r->g, s->p, r->sort_type, &snap) < 0)
		return -1;
	if (r->diff) {
		struct agg_snapshot change;
		int bad = agg_diff(r->g, &r->base, &snap, r->sort_type,
				   &change);

		agg_snapshot_release(&snap);
		if (bad < 0)
			return -1;
		snap = change;
	}
	if (series_add(r->series, s->nanos, s->target, &snap) < 0)
		return -1;
	return 0;
}

/*
 * cmd_each_profile()'s step for the base of --base or --diff: it fixes
 * the columns, as a first profile does, and its snapshot is subtracted
 * from every profile after it.
 */
static int add_base(const struct cmd_snap *s, void *ctx)
{
	struct run *r = ctx;

	start_series(r, s->path, s->p, profile_describe_types(s->p, 1));
	if (agg_profile(r->g, s->p, r->sort_type, &r->base) < 0)
		return -1;
	r->have_base = 1;
	return 0;
}

/* Writes the rows; no profile read, no series: nothing, not a header. */
static int write_rows(const struct run *r, FILE *fp)
{
	if (r->ms)
		return table_write(r->ms, fp, r->h->io.time_style,
				   r->h->io.csv_raw);
	if (r->series)
		return series_write(r->series, fp);
	return 0;
}

static void run_release(struct run *r)
{
	size_t i;

	series_free(r->series);
	agg_snapshot_release(&r->base);
	table_free(r->ms);
	agg_free(r->g);
	if (r->columns)
		for (i = 0; r->columns[i]; i++)
			free((char *)r->columns[i]);
	free(r->columns);
	free(r->types);
	free(r->first);
}

int cmd_heaper(int argc, char **argv)
{
	struct heaper h = { .agg.by = AGG_FUNCTION };
	struct run r = { .h = &h };
	struct outfile out;
	char **inputs;
	size_t ninputs;
	const char *base;
	int ret;

	parse_args(&h, argc, argv);
	inputs = argv + optind;
	ninputs = (size_t)(argc - optind);
	base = h.base;
	if (h.diff) {
		base = inputs[0];
		inputs++;
		ninputs--;
	}
	if (outfile_open(&out, h.io.output, h.io.force) < 0)
		return LEAKY_FAIL;
	if (h.memstats)
		r.ms = table_new(0, NULL);
	else
		r.g = agg_new(&h.agg);
	if (base) {
		/*
		 * A change from a base that could not be read, or a set of
		 * changes with one missing, would mislead: all or nothing.
		 */
		r.diff = 1;
		ret = cmd_each_profile(&h.io, (char *const *)&base, 1,
				       add_base, &r);
		if (ret == LEAKY_OK)
			ret = cmd_each_profile(&h.io, inputs, ninputs,
					       add_profile, &r);
	} else {
		ret = cmd_each_profile(&h.io, inputs, ninputs, add_profile,
				       &r);
	}
	if (r.diff && ret != LEAKY_OK) {
		outfile_abort(&out);
	} else {
		if (write_rows(&r, out.fp) < 0)
			ret = LEAKY_FAIL;
		if (outfile_commit(&out) < 0)
			ret = LEAKY_FAIL;
	}
	run_release(&r);
	if (h.agg.focus)
		regfree(&h.focus);
	if (h.agg.ignore)
		regfree(&h.ignore);
	return ret;
}

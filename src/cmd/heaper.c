/* leaky heaper: pprof profiles to CSV time series per function. */
#include "analyze/agg.h"
#include "cmd/cmd.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "out/csvout.h"
#include "base/leaky.h"
#include "out/outfile.h"
#include "decode/reader.h"
#include "model/profile.h"
#include "analyze/series.h"
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
	OPT_CB('\0', "by", "KEY", struct heaper, agg.by, by_cb, 0,
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
	OPT_SET_INT('\0', "memstats", struct heaper, memstats, 1,
		    "one row per heap?debug=1 dump of runtime.MemStats"),
	OPT_INCLUDE_AT(snap_opt_table, struct heaper, io, 0),
	OPT_INCLUDE_AT(snap_limit_table, struct heaper, io, 0),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd heaper_options = {
	.usage = "usage: leaky heaper [OPTIONS] FILE...\n",
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
}

/* One --memstats row: every runtime.MemStats field of a debug=1 dump. */
static int add_memstats(struct table *t, const char *path,
			const struct profile *p, int64_t nanos,
			const char *target)
{
	const char **keys, **values;
	size_t i;
	int ret;

	if (p->format != PROF_HEAP_TEXT || !p->nstats) {
		error("%s: no runtime.MemStats (--memstats reads "
		      "heap?debug=1 dumps)", path);
		return -1;
	}
	keys = xcalloc(p->nstats, sizeof(*keys));
	values = xcalloc(p->nstats, sizeof(*values));
	for (i = 0; i < p->nstats; i++) {
		keys[i] = p->stats[i].key;
		values[i] = p->stats[i].value;
	}
	ret = table_add(t, nanos, target, p->nstats, keys, values);
	free(keys);
	free(values);
	return ret;
}

int cmd_heaper(int argc, char **argv)
{
	struct heaper h = { .agg.by = AGG_FUNCTION };
	struct prof_reader reader;
	struct agg *g = NULL;
	struct series *series = NULL;
	struct table *ms = NULL;
	struct outfile out;
	char *types = NULL, *first = NULL;
	const char **columns = NULL;
	size_t sort_type = 0, i;
	int ret = LEAKY_OK, wide_col = 0, a;

	parse_args(&h, argc, argv);
	if (outfile_open(&out, h.io.output, h.io.force) < 0)
		return LEAKY_FAIL;
	prof_reader_init(&reader, &h.io.lim);
	if (h.memstats)
		ms = table_new(0, NULL);
	else
		g = agg_new(&h.agg);
	for (a = optind; a < argc; a++) {
		const char *path = argv[a];
		struct agg_snapshot snap;
		struct profile *p;
		char *target = NULL, *these;
		int64_t mtime = 0, nanos;

		p = prof_reader_load(&reader, path, &mtime);
		if (!p) {
			ret = LEAKY_FAIL;
			continue;
		}
		series_identify(path, h.io.target, p->has_time, p->time_nanos,
				mtime, &target, &nanos);
		if (ms) {
			if (add_memstats(ms, path, p, nanos, target) < 0)
				ret = LEAKY_FAIL;
			goto next;
		}
		these = profile_describe_types(p, 1);
		if (!types) {
			struct series_opts so = { 0 };

			types = these;
			first = xstrdup(path);
			sort_type = p->default_type;
			if (h.wide) {
				wide_col = profile_find_type(p, h.wide);
				if (wide_col < 0)
					die("%s: no sample type '%s' for --wide "
					    "(has %s)", path, h.wide, types);
			}
			columns = xcalloc(p->ntypes + 1, sizeof(*columns));
			for (i = 0; i < p->ntypes; i++)
				columns[i] = xstrdup(p->types[i].type);
			so.key_column = agg_by_name(h.agg.by);
			so.ncolumns = p->ntypes;
			so.columns = columns;
			so.sort_column = sort_type;
			so.time_style = h.io.time_style;
			so.top = h.top;
			so.other = !h.agg.cum;
			so.wide = h.wide != NULL;
			so.wide_column = (size_t)wide_col;
			so.csv_raw = h.io.csv_raw;
			series = series_new(&so, g);
		} else if (strcmp(these, types)) {
			error("%s: sample types %s differ from %s in %s", path,
			      these, types, first);
			free(these);
			ret = LEAKY_FAIL;
			goto next;
		} else {
			free(these);
		}
		if (agg_profile(g, p, sort_type, &snap) < 0 ||
		    series_add(series, nanos, target, &snap) < 0)
			ret = LEAKY_FAIL;
next:
		free(target);
		profile_free(p);
	}
	if (ms) {
		if (table_write(ms, out.fp, h.io.time_style,
				 h.io.csv_raw) < 0)
			ret = LEAKY_FAIL;
	} else if (series) {
		if (series_write(series, out.fp) < 0)
			ret = LEAKY_FAIL;
	}
	if (outfile_commit(&out) < 0)
		ret = LEAKY_FAIL;
	series_free(series);
	table_free(ms);
	agg_free(g);
	prof_reader_release(&reader);
	if (columns)
		for (i = 0; columns[i]; i++)
			free((char *)columns[i]);
	free(columns);
	free(types);
	free(first);
	if (h.agg.focus)
		regfree(&h.focus);
	if (h.agg.ignore)
		regfree(&h.ignore);
	return ret;
}

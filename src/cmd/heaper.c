/* leaky heaper: pprof profiles to CSV time series per function. */
#include "analyze/agg.h"
#include "cmd/cmd.h"
#include "cmd/cmdopt.h"
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

static const char usage_text[] =
"usage: leaky heaper [OPTIONS] FILE...\n"
"\n"
"Decodes pprof profiles (gzipped or raw profile.proto, or heap?debug=1\n"
"text; '-' reads stdin) and writes one CSV row per snapshot and function\n"
"with every sample type as a column, ordered by time.\n"
"\n"
"  --cum               cumulative values (once per function on the stack)\n"
"  --by KEY            function (default), file, line or stack\n"
"  --focus RE          keep samples with a frame matching RE\n"
"  --ignore RE         drop samples with a frame matching RE\n"
"  --top N             keep the N keys with the largest peak, sum the rest\n"
"                      into an (other) row\n"
"  --wide TYPE         one row per snapshot, one column per key, values of\n"
"                      sample type TYPE (e.g. inuse_space)\n"
"  --memstats          one row per heap?debug=1 dump of runtime.MemStats\n"
SNAP_OPTS_HELP
"  -h, --help          this text\n";

enum {
	OPT_CUM = 256, OPT_BY, OPT_FOCUS, OPT_IGNORE, OPT_TOP, OPT_WIDE,
	OPT_MEMSTATS,
};

static const struct option long_opts[] = {
	{ "cum", no_argument, NULL, OPT_CUM },
	{ "by", required_argument, NULL, OPT_BY },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "wide", required_argument, NULL, OPT_WIDE },
	{ "memstats", no_argument, NULL, OPT_MEMSTATS },
	SNAP_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct heaper {
	struct agg_opts agg;
	regex_t focus, ignore;
	size_t top;
	const char *wide;
	int memstats;
	struct snap_opts io;
};

static void parse_args(struct heaper *h, int argc, char **argv)
{
	int c;
	char *end;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", long_opts, NULL)) != -1) {
		if (snap_opt(&h->io, c, optarg))
			continue;
		switch (c) {
		case OPT_CUM:
			h->agg.cum = 1;
			break;
		case OPT_BY:
			if (agg_by_parse(optarg, &h->agg.by) < 0)
				usage_die("bad --by '%s' (function, file, "
					  "line or stack)", optarg);
			break;
		case OPT_FOCUS:
			cmd_regex(&h->focus, optarg, "--focus");
			h->agg.focus = &h->focus;
			break;
		case OPT_IGNORE:
			cmd_regex(&h->ignore, optarg, "--ignore");
			h->agg.ignore = &h->ignore;
			break;
		case OPT_TOP:
			h->top = strtoul(optarg, &end, 10);
			if (*end || !h->top || optarg[0] == '-')
				usage_die("bad --top '%s'", optarg);
			break;
		case OPT_WIDE:
			h->wide = optarg;
			break;
		case OPT_MEMSTATS:
			h->memstats = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(LEAKY_OK);
		default:
			fputs(usage_text, stderr);
			exit(LEAKY_USAGE);
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		usage_die("no input files");
	}
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
	table_add(t, nanos, target, p->nstats, keys, values);
	free(keys);
	free(values);
	return 0;
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

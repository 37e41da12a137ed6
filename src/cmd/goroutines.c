/* leaky goroutines: goroutine profiles and dumps to CSV per stack group. */
#include "cmd/cmd.h"
#include "cmd/cmdopt.h"
#include "out/csvout.h"
#include "analyze/gorout.h"
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
"usage: leaky goroutines [OPTIONS] FILE...\n"
"\n"
"Decodes goroutine profiles (gzipped or raw profile.proto, goroutine?debug=1\n"
"or ?debug=2 text; '-' reads stdin) and writes one CSV row per snapshot\n"
"and goroutine group, ordered by time, largest group first:\n"
"time,target,goroutines,state,max_wait_minutes,created_by,top,stack,labels\n"
"\n"
"  --by KEY            group by stack, top, created_by or state (default:\n"
"                      stack, state and labels)\n"
"  --min N             drop groups of fewer than N goroutines\n"
"  --focus RE          keep goroutines with a frame matching RE\n"
"  --ignore RE         drop goroutines with a frame matching RE\n"
"  --totals            one row per snapshot: total, age buckets (>=1m,\n"
"                      >=10m, >=60m, from debug=2) and counts per state\n"
SNAP_OPTS_HELP
"  -h, --help          this text\n";

enum {
	OPT_BY = 256, OPT_MIN, OPT_FOCUS, OPT_IGNORE, OPT_TOTALS,
};

static const struct option long_opts[] = {
	{ "by", required_argument, NULL, OPT_BY },
	{ "min", required_argument, NULL, OPT_MIN },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "totals", no_argument, NULL, OPT_TOTALS },
	SNAP_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct gor_opts gor;
	regex_t focus, ignore;
	int totals;
	struct snap_opts io;
};

static void parse_args(struct opts *o, int argc, char **argv)
{
	char *end;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", long_opts, NULL)) != -1) {
		if (snap_opt(&o->io, c, optarg))
			continue;
		switch (c) {
		case OPT_BY:
			if (gor_by_parse(optarg, &o->gor.by) < 0)
				usage_die("bad --by '%s' (stack, top, "
					  "created_by or state)", optarg);
			break;
		case OPT_MIN:
			o->gor.min = strtoll(optarg, &end, 10);
			if (*end || o->gor.min < 0 || !optarg[0])
				usage_die("bad --min '%s'", optarg);
			break;
		case OPT_FOCUS:
			cmd_regex(&o->focus, optarg, "--focus");
			o->gor.focus = &o->focus;
			break;
		case OPT_IGNORE:
			cmd_regex(&o->ignore, optarg, "--ignore");
			o->gor.ignore = &o->ignore;
			break;
		case OPT_TOTALS:
			o->totals = 1;
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
}

int cmd_goroutines(int argc, char **argv)
{
	struct opts o = { .gor.by = GOR_DEFAULT };
	struct series_opts so = {
		.ncolumns = GOR_NCOLUMNS,
		.columns = gor_columns,
	};
	struct prof_reader reader;
	struct series *series = NULL;
	struct table *totals = NULL;
	struct outfile out;
	struct gor *g;
	int ret = LEAKY_OK, a;

	parse_args(&o, argc, argv);
	if (outfile_open(&out, o.io.output, o.io.force) < 0)
		return LEAKY_FAIL;
	so.time_style = o.io.time_style;
	so.csv_raw = o.io.csv_raw;
	prof_reader_init(&reader, &o.io.lim);
	g = gor_new(&o.gor);
	if (o.totals)
		totals = table_new(GOR_NTOTAL_COLUMNS, gor_total_columns);
	else
		series = series_new(&so, NULL);
	for (a = optind; a < argc; a++) {
		struct gor_snapshot snap;
		struct profile *p;
		char *target = NULL;
		int64_t mtime = 0, nanos;

		p = prof_reader_load(&reader, argv[a], &mtime);
		if (!p) {
			ret = LEAKY_FAIL;
			continue;
		}
		series_identify(argv[a], o.io.target, p->has_time, p->time_nanos,
				mtime, &target, &nanos);
		if (gor_profile(g, argv[a], p, &snap) < 0) {
			ret = LEAKY_FAIL;
		} else if (totals) {
			gor_add_totals(totals, nanos, target, &snap);
		} else if (gor_write_groups(series, nanos, target,
					    &snap) < 0) {
			ret = LEAKY_FAIL;
		}
		gor_snapshot_release(&snap);
		free(target);
		profile_free(p);
	}
	if (totals && table_write(totals, out.fp, o.io.time_style,
				       o.io.csv_raw) < 0)
		ret = LEAKY_FAIL;
	if (series && series_write(series, out.fp) < 0)
		ret = LEAKY_FAIL;
	if (outfile_commit(&out) < 0)
		ret = LEAKY_FAIL;
	series_free(series);
	table_free(totals);
	gor_free(g);
	prof_reader_release(&reader);
	if (o.gor.focus)
		regfree(&o.focus);
	if (o.gor.ignore)
		regfree(&o.ignore);
	return ret;
}

/* leaky report: rank what keeps growing and give a verdict CI can use. */
#include "cmd/cmd.h"
#include "report/dataset.h"
#include "base/leaky.h"
#include "out/outfile.h"
#include "model/profile.h"
#include "report/report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: leaky report [OPTIONS] DIR|FILE...\n"
"\n"
"Reads a leaky collect directory (profiles/, goroutines/, pmaps/,\n"
"manifest.csv) or loose snapshot files, groups them by target and time,\n"
"splits each series at restarts, and says per target whether it leaks:\n"
"robust trends (Theil-Sen slope, Mann-Kendall test) of the heap in use,\n"
"goroutines, RSS and MemStats, the functions and goroutine groups that\n"
"keep growing, and RSS reconciled against the Go heap.\n"
"\n"
"  --csv               the table of trends as CSV instead of the report\n"
"  --fail-on LEVEL     exit 3 when a target reaches LEVEL: leak (default),\n"
"                      suspect, or never\n"
"  --alpha P           Mann-Kendall p-value for a leak (default 0.01)\n"
"  --suspect-alpha P   ... for a suspect (default 0.05)\n"
"  --min-growth F      least fitted growth over the series, as a fraction\n"
"                      of its median level (default 0.05)\n"
"  --late-ratio F      the second half must grow at least F times the\n"
"                      whole series' slope, else warm-up (default 0.3)\n"
"  --min-snapshots N   fewest snapshots for a verdict (default 6)\n"
"  --top N             growing functions and groups named (default 5)\n"
"  -o, --output FILE   write FILE whole (temporary name, then rename)\n"
"  --force             let -o replace an existing FILE\n"
"  --csv-raw           with --csv, names starting with = + - @ tab CR or '\n"
"                      as they are, without the ' that keeps spreadsheets\n"
"                      from running them as formulas\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 3 when --fail-on is reached, else 1 when an input could not\n"
"be read, else 0.\n";

enum {
	OPT_CSV = 256, OPT_FAIL_ON, OPT_ALPHA, OPT_SUSPECT_ALPHA,
	OPT_MIN_GROWTH, OPT_LATE_RATIO, OPT_MIN_SNAPSHOTS, OPT_TOP,
	OPT_FORCE, OPT_CSV_RAW,
};

static const struct option long_opts[] = {
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "suspect-alpha", required_argument, NULL, OPT_SUSPECT_ALPHA },
	{ "min-growth", required_argument, NULL, OPT_MIN_GROWTH },
	{ "late-ratio", required_argument, NULL, OPT_LATE_RATIO },
	{ "min-snapshots", required_argument, NULL, OPT_MIN_SNAPSHOTS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "csv-raw", no_argument, NULL, OPT_CSV_RAW },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static double fraction(const char *s, const char *opt, double max)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > max)
		usage_die("bad %s '%s'", opt, s);
	return v;
}

static size_t count(const char *s, const char *opt, size_t min)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end || s[0] == '-' || v < min)
		usage_die("bad %s '%s'", opt, s);
	return v;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o;
	struct dataset ds;
	struct report *r;
	struct outfile out;
	enum verdict fail_on = VERDICT_LEAK, v;
	const char *output = NULL;
	int csv = 0, force = 0, c, ret = LEAKY_OK, werr;

	report_opts_default(&o);
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CSV:
			csv = 1;
			break;
		case OPT_FAIL_ON:
			if (verdict_parse(optarg, &fail_on) < 0)
				usage_die("bad --fail-on '%s' (leak, suspect "
					  "or never)", optarg);
			break;
		case OPT_ALPHA:
			o.alpha = fraction(optarg, "--alpha", 1);
			break;
		case OPT_SUSPECT_ALPHA:
			o.suspect_alpha = fraction(optarg, "--suspect-alpha",
						   1);
			break;
		case OPT_MIN_GROWTH:
			o.min_growth = fraction(optarg, "--min-growth", 1e9);
			break;
		case OPT_LATE_RATIO:
			o.late_ratio = fraction(optarg, "--late-ratio", 1e9);
			break;
		case OPT_MIN_SNAPSHOTS:
			o.min_snapshots = count(optarg, "--min-snapshots", 3);
			break;
		case OPT_TOP:
			o.top = count(optarg, "--top", 1);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_CSV_RAW:
			o.csv_raw = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return LEAKY_OK;
		default:
			fputs(usage_text, stderr);
			return LEAKY_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		usage_die("no input directory or files");
	}
	if (outfile_open(&out, output, force) < 0)
		return LEAKY_FAIL;
	if (ds_load(&ds, argv + optind, (size_t)(argc - optind), NULL) < 0 ||
	    ds.nbad)
		ret = LEAKY_FAIL;
	if (!ds.ntargets) {
		error("no snapshots found in the input");
		outfile_abort(&out);
		ds_release(&ds);
		return LEAKY_FAIL;
	}
	r = report_new(&ds, &o);
	werr = csv ? report_write_csv(r, out.fp) :
		     report_write_text(r, out.fp);
	if (outfile_commit(&out) < 0 || werr < 0)
		ret = LEAKY_FAIL;
	v = report_verdict(r);
	if (fail_on != VERDICT_NODATA && v >= fail_on)
		ret = LEAKY_LEAK;
	report_free(r);
	ds_release(&ds);
	return ret;
}

/* leaky report: rank what keeps growing and give a verdict CI can use. */
#include "cmd/cmd.h"
#include "base/leaky.h"
#include "cmd/opttab.h"
#include "model/profile.h"
#include "out/outfile.h"
#include "report/dataset.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command line: the engine's options and the command's own. */
struct reportcmd {
	struct report_opts o;
	enum verdict fail_on;
	const char *output;
	int csv, force;
};

static void fail_on_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (verdict_parse(arg, field) < 0)
		usage_die("bad --fail-on '%s' (leak, suspect or never)", arg);
}

/* A double above 0 and at most the entry's value. */
static void fraction_cb(const struct opt *o, void *field, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v > 0) || v > (double)o->value)
		usage_die("bad %s '%s'", opt_name(o), arg);
	*(double *)field = v;
}

/* A whole number of at least the entry's value. */
static void count_cb(const struct opt *o, void *field, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end || arg[0] == '-' || v < (size_t)o->value)
		usage_die("bad %s '%s'", opt_name(o), arg);
	*(size_t *)field = v;
}

static const struct opt options[] = {
	OPT_SET_INT('\0', "csv", struct reportcmd, csv, 1,
		    "the table of trends as CSV instead of the report"),
	OPT_CB('\0', "fail-on", "LEVEL", struct reportcmd, fail_on,
	       fail_on_cb, 0,
	       "exit 3 when a target reaches LEVEL: leak (default),\n"
	       "suspect, or never"),
	OPT_CB('\0', "alpha", "P", struct reportcmd, o.alpha, fraction_cb, 1,
	       "Mann-Kendall p-value for a leak (default 0.01)"),
	OPT_CB('\0', "suspect-alpha", "P", struct reportcmd, o.suspect_alpha,
	       fraction_cb, 1, "... for a suspect (default 0.05)"),
	OPT_CB('\0', "min-growth", "F", struct reportcmd, o.min_growth,
	       fraction_cb, 1000000000,
	       "least fitted growth over the series, as a fraction\n"
	       "of its median level (default 0.05)"),
	OPT_CB('\0', "late-ratio", "F", struct reportcmd, o.late_ratio,
	       fraction_cb, 1000000000,
	       "the second half must grow at least F times the\n"
	       "whole series' slope, else warm-up (default 0.3)"),
	OPT_CB('\0', "min-snapshots", "N", struct reportcmd, o.min_snapshots,
	       count_cb, 3, "fewest snapshots for a verdict (default 6)"),
	OPT_CB('\0', "top", "N", struct reportcmd, o.top, count_cb, 1,
	       "growing functions and groups named (default 5)"),
	OPT_STR('o', "output", "FILE", struct reportcmd, output,
		"write FILE whole (temporary name, then rename)"),
	OPT_SET_INT('\0', "force", struct reportcmd, force, 1,
		    "let -o replace an existing FILE"),
	OPT_SET_INT('\0', "csv-raw", struct reportcmd, o.csv_raw, 1,
		    "with --csv, names starting with = + - @ tab CR or '\n"
		    "as they are, without the ' that keeps spreadsheets\n"
		    "from running them as formulas"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd report_options = {
	.usage = "usage: leaky report [OPTIONS] DIR|FILE...\n",
	.about =
"Reads a leaky collect directory (profiles/, goroutines/, pmaps/,\n"
"manifest.csv) or loose snapshot files, groups them by target and time,\n"
"splits each series at restarts, and says per target whether it leaks:\n"
"robust trends (Theil-Sen slope, Mann-Kendall test) of the heap in use,\n"
"goroutines, RSS and MemStats, the functions and goroutine groups that\n"
"keep growing, and RSS reconciled against the Go heap.\n",
	.footer =
"Exit status: 3 when --fail-on is reached, else 1 when an input could not\n"
"be read, else 0.\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input directory or files",
	.max_operands = -1,
};

int cmd_report(int argc, char **argv)
{
	struct reportcmd rc;
	struct dataset ds;
	struct report *r;
	struct outfile out;
	enum verdict v;
	int first, ret = LEAKY_OK, werr;

	memset(&rc, 0, sizeof(rc));
	report_opts_default(&rc.o);
	rc.fail_on = VERDICT_LEAK;
	/* --help and getopt's errors return here, where the others exit */
	first = opt_parse(&report_options, argc, argv, &rc, &ret);
	if (first < 0)
		return ret;
	if (outfile_open(&out, rc.output, rc.force) < 0)
		return LEAKY_FAIL;
	if (ds_load(&ds, argv + first, (size_t)(argc - first), NULL) < 0 ||
	    ds.nbad)
		ret = LEAKY_FAIL;
	if (!ds.ntargets) {
		error("no snapshots found in the input");
		outfile_abort(&out);
		ds_release(&ds);
		return LEAKY_FAIL;
	}
	r = report_new(&ds, &rc.o);
	werr = rc.csv ? report_write_csv(r, out.fp) :
			report_write_text(r, out.fp);
	if (outfile_commit(&out) < 0 || werr < 0)
		ret = LEAKY_FAIL;
	v = report_verdict(r);
	if (rc.fail_on != VERDICT_NODATA && v >= rc.fail_on)
		ret = LEAKY_LEAK;
	report_free(r);
	ds_release(&ds);
	return ret;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky report: rank what keeps growing and give a verdict CI can use. */
#include "cmd/cmd.h"
#include "cmd/cmdopt.h"
#include "base/buf.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "cmd/opttab.h"
#include "cmd/promauth.h"
#include "fleet/promapi.h"
#include "fleet/promscan.h"
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
	int csv, force, all, allow_no_data, keep_profiler;
	unsigned jobs;		/* -j: files decoded at a time, 0 = cores */
	/* --prometheus: the fleet scan */
	const char *prometheus, *match;
	struct promauth auth;
	const char *ca_file;
	int64_t since_ns, step_ns, timeout_ns;
	size_t max_body;	/* 0: promapi's default */
	int64_t min_age_ns;	/* -1: not given */
	struct promscan_opts scan;
};

static void duration_cb(const struct opt *o, void *field, const char *arg)
{
	*(int64_t *)field = cmd_duration(arg, opt_name(o), 0,
					 &duration_leaky);
}

static void age_cb(const struct opt *o, void *field, const char *arg)
{
	struct reportcmd *rc = field;

	/* 0 is a value here (judge any age); -1 stands for not given */
	rc->min_age_ns = cmd_duration(arg, opt_name(o), 1, &duration_leaky);
}

static void header_cb(const struct opt *o, void *field, const char *arg)
{
	struct reportcmd *rc = field;

	(void)o;
	promauth_add_header(&rc->auth, arg);
}

static void match_cb(const struct opt *o, void *field, const char *arg)
{
	char why[256];

	(void)o;
	if (promscan_check_match(arg, why, sizeof(why)) < 0)
		usage_die("bad --match: %s", why);
	*(const char **)field = arg;
}

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
	OPT_CB_VALUES('\0', "fail-on", "LEVEL", struct reportcmd, fail_on,
		      fail_on_cb, 0, "leak suspect never",
	       "exit 3 when a target reaches LEVEL: leak (default),\n"
	       "suspect, or never"),
	OPT_SET_INT('\0', "keep-profiler", struct reportcmd, keep_profiler, 1,
		    "rank the profiler's own allocations and goroutines\n"
		    "(net/http/pprof, runtime/pprof: the collector's\n"
		    "footprint) with the others"),
	OPT_SET_INT('\0', "allow-no-data", struct reportcmd, allow_no_data, 1,
		    "exit 0 even when a target could not be judged (too\n"
		    "few snapshots, none, every fetch failed), where\n"
		    "--fail-on exits 4"),
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
	       "a second half under F times the first half's or\n"
	       "the whole's slope, with no trend of its own, is a\n"
	       "warm-up (default 0.3)"),
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
	OPT_CB('j', "jobs", "N", struct reportcmd, jobs, cmd_jobs_cb, 0,
	       "decode N files at a time (default: one per core);\n"
	       "the report is the same whatever N"),
	OPT_SET_INT('\0', "all", struct reportcmd, all, 1,
		    "with --prometheus, a section for each ok target too\n"
		    "(else they are counted in one line)"),
	OPT_STR('\0', "prometheus", "URL", struct reportcmd, prometheus,
		"judge every instance a Prometheus (or Thanos, Mimir...)\n"
		"at URL has series of, instead of files"),
	OPT_CB('\0', "match", "SELECTOR", struct reportcmd, match, match_cb, 0,
	       "only the series matching the label selector, e.g.\n"
	       "'{job=~\"api|billing\"}'"),
	OPT_CB('\0', "since", "D", struct reportcmd, since_ns, duration_cb, 0,
	       "the window, up to now (default 24h)"),
	OPT_CB('\0', "step", "D", struct reportcmd, step_ns, duration_cb, 0,
	       "between points (default the window / 240, not under\n"
	       "the scrape interval, at least 1s)"),
	OPT_CB('\0', "timeout", "D", struct reportcmd, timeout_ns,
	       duration_cb, 0, "per query (default 60s)"),
	OPT_CB('\0', "max-body", "SIZE", struct reportcmd, max_body,
	       cmd_size_cb, 0, "largest answer read (default 512M)"),
	OPT_CB_BASE('\0', "min-age", "D", age_cb, 0,
		    "an instance seen for less is too young to judge\n"
		    "(default 1h, or a quarter of a shorter window; 0:\n"
		    "judge any)"),
	OPT_STR('\0', "bearer-token-file", "FILE", struct reportcmd,
		auth.token_file, "send 'Authorization: Bearer' with FILE's token"),
	OPT_STR('\0', "basic-auth-file", "FILE", struct reportcmd,
		auth.basic_file,
		"basic authentication, FILE holding user:password"),
	OPT_CB_BASE('H', "header", "'N: V'", header_cb, 0,
		    "request header, repeatable"),
	OPT_STR('\0', "ca-file", "FILE", struct reportcmd, ca_file,
		"CA certificates for https (default the system's)"),
	OPT_STR('\0', "heap-metric", "NAME", struct reportcmd, scan.heap,
		"heap in use (default go_memstats_heap_inuse_bytes;\n"
		"'' for none), and as it:"),
	OPT_STR('\0', "goroutines-metric", "NAME", struct reportcmd,
		scan.goroutines, "(default go_goroutines)"),
	OPT_STR('\0', "rss-metric", "NAME", struct reportcmd, scan.rss,
		"(default process_resident_memory_bytes)"),
	OPT_STR('\0', "fds-metric", "NAME", struct reportcmd, scan.fds,
		"(default process_open_fds)"),
	OPT_STR('\0', "start-metric", "NAME", struct reportcmd, scan.start,
		"a new value is a restart\n"
		"(default process_start_time_seconds)"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd report_options = {
	.usage = "usage: leaky report [OPTIONS] DIR|FILE...\n"
		 "       leaky report --prometheus URL [OPTIONS]\n",
	.about =
"Reads a leaky collect directory (profiles/, goroutines/, pmaps/, fds/,\n"
"manifest.csv) or loose snapshot files, groups them by target and time,\n"
"splits each series at restarts, and says per target whether it leaks:\n"
"robust trends (Theil-Sen slope, Mann-Kendall test) of the heap in use,\n"
"goroutines, RSS and MemStats, the functions and goroutine groups that\n"
"keep growing, and RSS reconciled against the Go heap.\n"
"\n"
"With --prometheus, judges every instance (JOB/INSTANCE) from the series\n"
"Go's Prometheus client exports: heap in use, goroutines, RSS and open\n"
"file descriptors, split where the process start time changes. One range\n"
"query per metric for the whole fleet.\n",
	.footer =
"Exit status: 3 when --fail-on is reached; else 4 when a target could not\n"
"be judged (a fleet: no instance), unless --allow-no-data or --fail-on\n"
"never; else 1 when an input could not be read (or Prometheus failed to\n"
"answer: one line says why); else 0.\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 0,
	.no_operands = "no input directory or files",
	.max_operands = -1,
};

/*
 * The fleet scan into *ds: Prometheus's series of every instance. Returns
 * 0, or -1 after printing its one line (ds to release either way).
 */
static int load_prometheus(struct reportcmd *rc, struct dataset *ds)
{
	struct promapi_opts po = { 0 };
	struct promapi *p;
	char **hdr, err[1024];
	size_t nh;
	int ret = -1;

	hdr = promauth_headers(&rc->auth, &nh);
	po.url = rc->prometheus;
	po.headers = hdr;
	po.nheaders = nh;
	po.ca_file = rc->ca_file;
	po.timeout_ns = rc->timeout_ns;
	po.max_body = rc->max_body;
	rc->scan.match = rc->match;
	rc->scan.since_ns = rc->since_ns ? rc->since_ns : 86400000000000LL;
	rc->scan.step_ns = rc->step_ns;
	p = promapi_new(&po, err, sizeof(err));
	if (!p) {
		ds_init(ds, NULL);
		error("%s", err);
		goto out;
	}
	if (promscan_load(p, &rc->scan, ds, err, sizeof(err)) < 0) {
		error("%s", err);
		goto out;
	}
	ret = 0;
out:
	promapi_free(p);
	promauth_free(hdr, nh);
	return ret;
}

/*
 * Whether CI must not pass on this report: a directory with a target
 * not judged (too few snapshots, none, every fetch failed), a fleet
 * with no instance judged. Says so on stderr.
 */
static int no_data(const struct reportcmd *rc, const struct dataset *ds,
		   const struct report *r)
{
	size_t n = report_unjudged(r);

	if (rc->prometheus && report_verdict(r) == VERDICT_NODATA) {
		error("no instance could be judged (not enough data, or too "
		      "young): exit 4 (--allow-no-data passes)");
		return 1;
	}
	if (rc->prometheus || !n)
		return 0;
	if (ds->ntargets == 1)
		error("%s could not be judged (not enough data): exit 4 "
		      "(--allow-no-data passes)", ds->targets[0].name);
	else
		error("%zu of %zu targets could not be judged (not enough "
		      "data): exit 4 (--allow-no-data passes)", n,
		      ds->ntargets);
	return 1;
}

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
	promscan_opts_default(&rc.scan);
	rc.fail_on = VERDICT_LEAK;
	rc.min_age_ns = -1;
	/* --help and getopt's errors return here, where the others exit */
	first = opt_parse(&report_options, argc, argv, &rc, &ret);
	if (first < 0)
		return ret;
	if (rc.prometheus && first < argc)
		usage_die("--prometheus reads no files ('%s')", argv[first]);
	if (!rc.prometheus && first == argc) {
		error("no input directory or files");
		opt_try_help();
		return LEAKY_USAGE;
	}
	if (!rc.prometheus && (rc.match || rc.since_ns || rc.step_ns ||
			       rc.timeout_ns || rc.max_body ||
			       rc.auth.token_file || rc.auth.basic_file ||
			       rc.ca_file || rc.auth.nheaders))
		usage_die("--match, --since, --step, --timeout, --max-body, -H "
			  "and the auth options go with --prometheus");
	if (!rc.prometheus && rc.min_age_ns >= 0)
		usage_die("--min-age goes with --prometheus");
	/*
	 * A warm-up and a leak draw the same line in a service's first
	 * minutes; a scrape history is long, so the fleet scan can wait.
	 */
	if (rc.prometheus) {
		int64_t since = rc.since_ns ? rc.since_ns : 86400000000000LL;
		int64_t age = rc.min_age_ns >= 0 ? rc.min_age_ns :
			      since / 4 < 3600000000000LL ? since / 4 :
			      3600000000000LL;

		rc.o.min_age = (double)age / 1e9;
	}
	/* Hundreds of healthy instances would bury the few that leak. */
	rc.o.hide_ok = rc.prometheus && !rc.all;
	if (outfile_open(&out, rc.output, rc.force) < 0) {
		free(rc.auth.headers);
		return LEAKY_FAIL;
	}
	if (rc.prometheus) {
		if (load_prometheus(&rc, &ds) < 0) {
			outfile_abort(&out);
			ds_release(&ds);
			free(rc.auth.headers);
			return LEAKY_FAIL;
		}
	} else if (ds_load_jobs(&ds, argv + first, (size_t)(argc - first),
				NULL, rc.keep_profiler ? DS_KEEP_PROFILER : 0,
				rc.jobs) < 0 ||
		   ds.nbad) {
		ret = LEAKY_FAIL;
	}
	free(rc.auth.headers);
	if (!ds.ntargets) {
		error("no snapshots found in the input");
		outfile_abort(&out);
		ds_release(&ds);
		/* nothing read at all: the input's fault, not the data's */
		if (ret == LEAKY_FAIL)
			return LEAKY_FAIL;
		return rc.allow_no_data || rc.fail_on == VERDICT_NODATA ?
			LEAKY_OK : LEAKY_NODATA;
	}
	r = report_new(&ds, &rc.o);
	werr = rc.csv ? report_write_csv(r, out.fp) :
			report_write_text(r, out.fp);
	if (outfile_commit(&out) < 0 || werr < 0)
		ret = LEAKY_FAIL;
	v = report_verdict(r);
	if (rc.fail_on != VERDICT_NODATA && v >= rc.fail_on)
		ret = LEAKY_LEAK;
	else if (rc.fail_on != VERDICT_NODATA && !rc.allow_no_data &&
		 no_data(&rc, &ds, r))
		ret = LEAKY_NODATA;
	report_free(r);
	ds_release(&ds);
	return ret;
}

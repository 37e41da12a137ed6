/* SPDX-License-Identifier: Apache-2.0 */
/* leaky load: hey-compatible HTTP load, closed or open loop, with a log. */
#include "cmd/cmd.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "load/loadgen.h"
#include "load/loadopt.h"
#include "load/loadstat.h"
#include "out/csvout.h"
#include "out/outfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONCURRENCY 100000
#define MAX_BODY_FILE ((size_t)1 << 30)

struct load {
	struct loadgen_opts g;
	const char *content_type, *accept, *host, *data, *data_file;
	const char **extra;
	size_t nextra;
	char *method;
	int csv;
	int64_t every;
	const char *series_path;
	const char *first_path;
	int force;
	enum csv_time time_style;
	double timeout_s;	/* -t, made g.timeout_ms after parsing */
	int n_given;

	/* while running */
	struct loadstat *total, *interval;
	struct csvout rows, series;
	struct loadgen_outcome out;
	int64_t last_tick;
	struct outfile first, series_out;
	int first_open, first_saved, series_open;
};

static uint64_t count_arg(const char *s, const char *opt, uint64_t max)
{
	char *end;
	unsigned long long v;

	v = strtoull(s, &end, 10);
	if (*end || !*s || s[0] == '-' || !v || v > max)
		usage_die("bad %s '%s' (a whole number, 1 to %llu)", opt, s,
			  (unsigned long long)max);
	return v;
}

static void requests_cb(const struct opt *o, void *field, const char *arg)
{
	struct load *l = field;

	l->g.requests = count_arg(arg, opt_name(o), UINT64_MAX / 2);
	l->n_given = 1;
}

static void concurrency_cb(const struct opt *o, void *field,
			   const char *arg)
{
	*(unsigned *)field = (unsigned)count_arg(arg, opt_name(o),
						 MAX_CONCURRENCY);
}

/* hey takes --cpus; one thread here, so it is only checked. */
static void cpus_cb(const struct opt *o, void *field, const char *arg)
{
	(void)field;
	(void)count_arg(arg, opt_name(o), 4096);
}

/* A number; the entry's value says whether 0 is one. */
static void number_cb(const struct opt *o, void *field, const char *arg)
{
	int zero_ok = (int)o->value;
	double v;

	if (loadopt_number(arg, &v) < 0 || (!zero_ok && v <= 0))
		usage_die("bad %s '%s' (a number%s)", opt_name(o), arg,
			  zero_ok ? ", 0 or more" : " above 0");
	*(double *)field = v;
}

/* A duration, Go's syntax as hey's; the entry's value: 0 is one. */
static void duration_cb(const struct opt *o, void *field, const char *arg)
{
	*(int64_t *)field = cmd_duration(arg, opt_name(o), (int)o->value,
					 &duration_go);
}

static void method_cb(const struct opt *o, void *field, const char *arg)
{
	char **method = field;

	(void)o;
	free(*method);
	*method = loadopt_method(arg);
	if (!*method)
		usage_die("bad -m '%s' (an HTTP method such as GET or POST)",
			  arg);
}

/* -H: checked, then kept in order (a later one replaces an earlier). */
static void header_cb(const struct opt *o, void *field, const char *arg)
{
	struct load *l = field;
	char why[128];

	(void)o;
	if (loadopt_header_check(arg, why, sizeof(why)) < 0)
		usage_die("bad -H '%s': %s", arg, why);
	l->extra = xrealloc(l->extra, (l->nextra + 1) * sizeof(*l->extra));
	l->extra[l->nextra++] = arg;
}

static void auth_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (!strchr(arg, ':'))
		usage_die("bad -a '%s' (want user:password)", arg);
	*(const char **)field = arg;
}

static void output_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (strcmp(arg, "csv"))
		usage_die("bad -o '%s' (csv is the only output type)", arg);
	*(int *)field = 1;
}

/* The column of the --disable-* lines, which align among themselves. */
#define DISABLE_COL 29

/*
 * hey's flags, in hey's letters. --http2 and --output are spellings help
 * does not show ("-o csv" is how hey documents its one output type).
 */
static const struct opt options[] = {
	OPT_CB_BASE('n', "requests", "N", requests_cb, 0,
		    "requests to send (default 200)"),
	OPT_CB('c', "concurrency", "N", struct load, g.concurrency,
	       concurrency_cb, 0,
	       "workers, each sending its next request when the\n"
	       "last one is done (default 50); with --rate, the\n"
	       "most requests in flight"),
	OPT_CB('q', "qps", "Q", struct load, g.qps, number_cb, 1,
	       "rate limit per worker, requests/s (hey's -q)"),
	OPT_CB('z', "duration", "D", struct load, g.duration_ns, duration_cb,
	       0, "send for D (10s, 3m, 1h30m) instead of -n"),
	OPT_CB('\0', "rate", "R", struct load, g.rate, number_cb, 0,
	       "open loop: R requests/s in all, on schedule\n"
	       "whatever the responses; latency counts from each\n"
	       "request's intended send time"),
	OPT_CB('m', "method", "M", struct load, method, method_cb, 0,
	       "HTTP method (default GET)"),
	OPT_CB_BASE('H', "header", "'N: V'", header_cb, 0,
		    "request header, repeatable"),
	OPT_STR('d', "data", "BODY", struct load, data, "request body"),
	OPT_STR('D', "data-file", "FILE", struct load, data_file,
		"request body from FILE ('-': stdin)"),
	OPT_STR('T', "content-type", "T", struct load, content_type,
		"Content-Type of the body (default text/html)"),
	OPT_STR('A', "accept", "A", struct load, accept, "Accept header"),
	OPT_STR('\0', "host", "HOST", struct load, host, "Host header"),
	OPT_CB('a', "auth", "USER:PASS", struct load, g.userpwd, auth_cb, 0,
	       "basic authentication"),
	OPT_STR('x', "proxy", "HOST:PORT", struct load, g.proxy,
		"HTTP proxy"),
	OPT_CB('t', "timeout", "SECS", struct load, timeout_s, number_cb, 1,
	       "per request, 0 for none (default 20)"),
	OPT_SET_INT('\0', "h2", struct load, g.http2, 1, "HTTP/2 (over TLS)"),
	OPT_SET_INT('\0', "http2", struct load, g.http2, 1, NULL),
	{ OPT_SET, 0, "disable-keepalive", NULL, "a new connection per request",
	  offsetof(struct load, g.keepalive), 0, DISABLE_COL, 0, NULL, NULL,
	  NULL },
	{ OPT_SET, 0, "disable-compression", NULL, "no Accept-Encoding: gzip",
	  offsetof(struct load, g.compression), 0, DISABLE_COL, 0, NULL,
	  NULL, NULL },
	{ OPT_SET, 0, "disable-redirects", NULL, "do not follow redirects",
	  offsetof(struct load, g.redirects), 0, DISABLE_COL, 0, NULL, NULL,
	  NULL },
	OPT_SET_INT('k', "insecure", struct load, g.insecure, 1,
		    "do not check TLS certificates (hey never does)"),
	OPT_CB_VALUES('o', NULL, "csv", struct load, csv, output_cb, 0, "csv",
	       "one CSV row per request on stdout instead of the\n"
	       "summary (which then goes to stderr)"),
	OPT_CB('\0', "output", "csv", struct load, csv, output_cb, 0, NULL),
	OPT_CB('\0', "every", "D", struct load, every, duration_cb, 1,
	       "interval of the stderr lines and --series rows\n"
	       "(default 1s, 0 for none)"),
	OPT_STR('\0', "series", "FILE", struct load, series_path,
		"the interval lines as CSV, written whole"),
	OPT_CB_VALUES('\0', "time", "STYLE", struct load, time_style,
		      cmd_time_cb, 0, CMD_TIME_VALUES,
	       "--series time column: rfc3339 (default), unix,\n"
	       "unixms"),
	OPT_STR('\0', "save-first", "FILE", struct load, first_path,
		"the body of the first response (to check the\n"
		"request before a long run), written whole"),
	OPT_SET_INT('\0', "force", struct load, force, 1,
		    "let --series or --save-first replace FILE"),
	OPT_CB('\0', "cpus", "N", struct load, g, cpus_cb, 0,
	       "accepted for hey, ignored (one thread)"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd load_options = {
	.usage = "usage: leaky load [OPTIONS] URL\n",
	.about =
"Sends HTTP requests to URL and prints hey's summary: latency percentiles,\n"
"a histogram, status codes and errors. hey's flags work as in hey (also in\n"
"Go's spelling: -disable-keepalive, -h2, -n=100); a line per interval goes\n"
"to stderr.\n",
	.opts = options,
	.help_col = 24,
	.short_col = 1,
	.min_operands = 1,
	.no_operands = "no URL",
	.max_operands = 1,
	.extra_pre = "one URL only: ",
	.extra_post = " is extra",
};

/* What the options say together, once all are read. */
static void check_args(struct load *l)
{
	if (loadgen_check_url(l->g.url) < 0)
		exit(LEAKY_USAGE);
	if (l->g.qps > 0 && l->g.rate > 0)
		usage_die("-q (per worker) and --rate (in all) exclude each "
			  "other");
	if (l->data && l->data_file)
		usage_die("-d and -D exclude each other");
	if (l->series_path && !l->every)
		usage_die("--series needs an interval (--every above 0)");
	if (l->g.duration_ns)
		l->g.requests = 0;	/* hey: -z overrides -n */
	else if (!l->n_given)
		l->g.requests = 200;
	l->g.timeout_ms = (long)(l->timeout_s * 1000 + 0.5);
	if (l->timeout_s > 0 && !l->g.timeout_ms)
		l->g.timeout_ms = 1;
}

/* Parses argv, rewritten from hey's Go spellings, into l; may exit. */
static void parse_args(struct load *l, struct loadopt_argv *args, int argc,
		       char **argv)
{
	struct opt_getopt g;
	int first, status;

	opt_getopt_init(&g, &load_options);
	loadopt_argv_init(args, argc, argv, g.shortopts, g.longopts);
	first = opt_parse_with(&load_options, &g, args->argc, args->argv, l,
			       &status);
	opt_getopt_release(&g);
	if (first < 0)
		exit(status);
	l->g.url = args->argv[first];
	check_args(l);
}

static void on_result(void *ctx, const struct load_result *r)
{
	struct load *l = ctx;

	loadstat_add(l->total, r);
	if (l->interval)
		loadstat_add(l->interval, r);
	if (l->csv)
		loadstat_csv_row(&l->rows, r);
	if (r->body && l->first_open) {
		fwrite(r->body, 1, r->body_len, l->first.fp);
		l->first_saved = 1;
	}
}

static void on_tick(void *ctx, int64_t elapsed)
{
	struct load *l = ctx;
	struct loadstat *iv = l->interval;
	int64_t len = elapsed - l->last_tick, rate_len;

	/* the last, partial interval only when something finished in it */
	if (len < l->every && !iv->responses && !iv->errors)
		return;
	/* a rate over a sliver of an interval would only be noise */
	rate_len = len < l->every / 4 && len < 100000000 ? 0 : len;
	loadstat_interval(stderr, iv, elapsed, rate_len);
	if (l->series_path)
		loadstat_series_row(&l->series, iv, l->out.start_wall + elapsed,
				    elapsed, rate_len, l->time_style);
	loadstat_reset(iv);
	l->last_tick = elapsed;
}

/* The request body from -d or -D, into body (which then owns it). */
static int read_body(struct load *l, struct buf *body)
{
	if (l->data) {
		l->g.body = l->data;
		l->g.body_len = strlen(l->data);
	} else if (l->data_file) {
		if (buf_read_file(body, l->data_file, MAX_BODY_FILE, NULL) < 0)
			return -1;
		l->g.body = body->len ? (const char *)body->data : "";
		l->g.body_len = body->len;
	}
	return 0;
}

/* The request's headers, merged as hey merges them; l->g points at them. */
static char **set_headers(struct load *l)
{
	struct loadopt_headers hin;
	char **headers;
	size_t n = 0;

	memset(&hin, 0, sizeof(hin));
	hin.content_type = l->content_type;
	hin.has_body = l->g.body != NULL;
	hin.accept = l->accept;
	hin.host = l->host;
	hin.extra = l->extra;
	hin.nextra = l->nextra;
	headers = loadopt_headers(&hin, &n);
	l->g.headers = (const char *const *)headers;
	l->g.nheaders = n;
	return headers;
}

/* Opens --series and --save-first, and starts -o csv; -1 when one fails. */
static int open_outputs(struct load *l)
{
	if (l->series_path) {
		if (outfile_open(&l->series_out, l->series_path,
				 l->force) < 0)
			return -1;
		l->series_open = 1;
		csvout_init(&l->series, l->series_out.fp);
		loadstat_series_header(&l->series);
	}
	if (l->first_path) {
		if (outfile_open(&l->first, l->first_path, l->force) < 0)
			return -1;
		l->first_open = 1;
		l->g.capture_first = 1;
	}
	if (l->csv) {
		csvout_init(&l->rows, stdout);
		loadstat_csv_header(&l->rows);
	}
	return 0;
}

/* Commits --series and --save-first after a run; -1 when one fails. */
static int commit_outputs(struct load *l)
{
	int ret = 0;

	if (l->series_open) {
		l->series_open = 0;
		csvout_release(&l->series);
		if (outfile_commit(&l->series_out) < 0)
			ret = -1;
	}
	if (l->first_open) {
		l->first_open = 0;
		if (!l->first_saved) {
			error("%s: not written: no response came",
			      l->first_path);
			outfile_abort(&l->first);
			ret = -1;
		} else if (outfile_commit(&l->first) < 0) {
			ret = -1;
		}
	}
	return ret;
}

/* What is left open after a failure, and the run's own storage. */
static void release(struct load *l)
{
	if (l->first_open)
		outfile_abort(&l->first);
	if (l->series_open) {
		csvout_release(&l->series);
		outfile_abort(&l->series_out);
	}
	if (l->csv)
		csvout_release(&l->rows);
	loadstat_free(l->total);
	loadstat_free(l->interval);
	free(l->extra);
	free(l->method);
}

/* hey's summary, on stdout unless -o csv has it. */
static void summary(const struct load *l)
{
	struct loadstat_run run;

	memset(&run, 0, sizeof(run));
	run.elapsed = l->out.elapsed;
	run.rate = l->g.rate;
	run.concurrency = l->g.concurrency;
	run.unfinished = l->out.unfinished;
	run.late = l->out.late;
	run.late_max = l->out.late_max;
	run.interrupted = l->out.interrupted;
	loadstat_summary(l->csv ? stderr : stdout, l->total, &run);
}

/* A run that got no response at all failed: says why; -1 then. */
static int check_responses(const struct load *l)
{
	if (l->total->responses)
		return 0;
	if (l->total->errors)
		error("no response from '%s': %" PRIu64
		      " requests failed%s: %s",
		      l->g.url, l->total->errors,
		      l->out.gave_up ? ", gave up" : "", l->out.first_error);
	else
		error("no response from '%s' in %.1f s", l->g.url,
		      (double)l->out.elapsed / 1e9);
	return -1;
}

int cmd_load(int argc, char **argv)
{
	struct load l;
	struct loadopt_argv args;
	struct loadgen_hooks hooks;
	struct buf body;
	char **headers = NULL;
	int ret = LEAKY_FAIL;

	memset(&l, 0, sizeof(l));
	l.g.concurrency = 50;
	l.g.keepalive = l.g.compression = l.g.redirects = 1;
	l.every = 1000000000;
	l.method = xstrdup("GET");
	l.timeout_s = 20;
	buf_init(&body);
	parse_args(&l, &args, argc, argv);

	if (read_body(&l, &body) < 0)
		goto out;
	headers = set_headers(&l);
	l.g.method = l.method;
	l.g.every_ns = l.every;
	l.g.give_up_after = l.g.concurrency < 10 ? l.g.concurrency : 10;
	if (open_outputs(&l) < 0)
		goto out;
	l.total = loadstat_new();
	if (l.every)
		l.interval = loadstat_new();
	memset(&hooks, 0, sizeof(hooks));
	hooks.result = on_result;
	hooks.tick = l.every ? on_tick : NULL;
	hooks.ctx = &l;
	if (loadgen_run(&l.g, &hooks, &l.out) < 0)
		goto out;

	summary(&l);
	ret = LEAKY_OK;
	if (commit_outputs(&l) < 0)
		ret = LEAKY_FAIL;
	if (check_responses(&l) < 0)
		ret = LEAKY_FAIL;
out:
	release(&l);
	loadopt_headers_free(headers);
	loadopt_argv_release(&args);
	buf_release(&body);
	return ret;
}

/* leaky load: hey-compatible HTTP load, closed or open loop, with a log. */
#include "base/buf.h"
#include "cmd/cmd.h"
#include "out/csvout.h"
#include "base/leaky.h"
#include "load/loadgen.h"
#include "load/loadopt.h"
#include "load/loadstat.h"
#include "out/outfile.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: leaky load [OPTIONS] URL\n"
"\n"
"Sends HTTP requests to URL and prints hey's summary: latency percentiles,\n"
"a histogram, status codes and errors. hey's flags work as in hey (also in\n"
"Go's spelling: -disable-keepalive, -h2, -n=100); a line per interval goes\n"
"to stderr.\n"
"\n"
"  -n, --requests N      requests to send (default 200)\n"
"  -c, --concurrency N   workers, each sending its next request when the\n"
"                        last one is done (default 50); with --rate, the\n"
"                        most requests in flight\n"
"  -q, --qps Q           rate limit per worker, requests/s (hey's -q)\n"
"  -z, --duration D      send for D (10s, 3m, 1h30m) instead of -n\n"
"      --rate R          open loop: R requests/s in all, on schedule\n"
"                        whatever the responses; latency counts from each\n"
"                        request's intended send time\n"
"  -m, --method M        HTTP method (default GET)\n"
"  -H, --header 'N: V'   request header, repeatable\n"
"  -d, --data BODY       request body\n"
"  -D, --data-file FILE  request body from FILE ('-': stdin)\n"
"  -T, --content-type T  Content-Type of the body (default text/html)\n"
"  -A, --accept A        Accept header\n"
"      --host HOST       Host header\n"
"  -a, --auth USER:PASS  basic authentication\n"
"  -x, --proxy HOST:PORT HTTP proxy\n"
"  -t, --timeout SECS    per request, 0 for none (default 20)\n"
"      --h2              HTTP/2 (over TLS)\n"
"      --disable-keepalive    a new connection per request\n"
"      --disable-compression  no Accept-Encoding: gzip\n"
"      --disable-redirects    do not follow redirects\n"
"  -k, --insecure        do not check TLS certificates (hey never does)\n"
"  -o csv                one CSV row per request on stdout instead of the\n"
"                        summary (which then goes to stderr)\n"
"      --every D         interval of the stderr lines and --series rows\n"
"                        (default 1s, 0 for none)\n"
"      --series FILE     the interval lines as CSV, written whole\n"
"      --time STYLE      --series time column: rfc3339 (default), unix,\n"
"                        unixms\n"
"      --save-first FILE the body of the first response (to check the\n"
"                        request before a long run), written whole\n"
"      --force           let --series or --save-first replace FILE\n"
"      --cpus N          accepted for hey, ignored (one thread)\n"
"  -h, --help            this text\n";

enum {
	OPT_HOST = 256, OPT_H2, OPT_NO_KEEPALIVE, OPT_NO_COMPRESSION,
	OPT_NO_REDIRECTS, OPT_CPUS, OPT_RATE, OPT_EVERY, OPT_SERIES,
	OPT_FORCE, OPT_TIME, OPT_SAVE_FIRST,
};

static const char short_opts[] = "n:c:q:z:m:H:d:D:T:A:a:x:t:o:kh";

static const struct option long_opts[] = {
	{ "requests", required_argument, NULL, 'n' },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "qps", required_argument, NULL, 'q' },
	{ "duration", required_argument, NULL, 'z' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "method", required_argument, NULL, 'm' },
	{ "header", required_argument, NULL, 'H' },
	{ "data", required_argument, NULL, 'd' },
	{ "data-file", required_argument, NULL, 'D' },
	{ "content-type", required_argument, NULL, 'T' },
	{ "accept", required_argument, NULL, 'A' },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "auth", required_argument, NULL, 'a' },
	{ "proxy", required_argument, NULL, 'x' },
	{ "timeout", required_argument, NULL, 't' },
	{ "h2", no_argument, NULL, OPT_H2 },
	{ "http2", no_argument, NULL, OPT_H2 },
	{ "disable-keepalive", no_argument, NULL, OPT_NO_KEEPALIVE },
	{ "disable-compression", no_argument, NULL, OPT_NO_COMPRESSION },
	{ "disable-redirects", no_argument, NULL, OPT_NO_REDIRECTS },
	{ "insecure", no_argument, NULL, 'k' },
	{ "output", required_argument, NULL, 'o' },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "save-first", required_argument, NULL, OPT_SAVE_FIRST },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

	/* while running */
	struct loadstat *total, *interval;
	struct csvout rows, series;
	struct loadgen_outcome out;
	int64_t last_tick;
	struct outfile first;
	int first_open, first_saved;
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

static double number_arg(const char *s, const char *opt, int zero_ok)
{
	double v;

	if (loadopt_number(s, &v) < 0 || (!zero_ok && v <= 0))
		usage_die("bad %s '%s' (a number%s)", opt, s,
			  zero_ok ? ", 0 or more" : " above 0");
	return v;
}

static int64_t duration_arg(const char *s, const char *opt, int zero_ok)
{
	int64_t ns;

	if (loadopt_duration(s, &ns) < 0 || (!zero_ok && !ns))
		usage_die("bad %s '%s' (a duration such as 500ms, 10s, 3m, "
			  "1h30m)", opt, s);
	return ns;
}

static void parse_args(struct load *l, int argc, char **argv)
{
	char why[128];
	int c, n_given = 0;
	double t = 20;

	optind = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			l->g.requests = count_arg(optarg, "-n", UINT64_MAX / 2);
			n_given = 1;
			break;
		case 'c':
			l->g.concurrency = (unsigned)count_arg(optarg, "-c",
							       MAX_CONCURRENCY);
			break;
		case 'q':
			l->g.qps = number_arg(optarg, "-q", 1);
			break;
		case 'z':
			l->g.duration_ns = duration_arg(optarg, "-z", 0);
			break;
		case OPT_RATE:
			l->g.rate = number_arg(optarg, "--rate", 0);
			break;
		case 'm':
			free(l->method);
			l->method = loadopt_method(optarg);
			if (!l->method)
				usage_die("bad -m '%s' (an HTTP method such as "
					  "GET or POST)", optarg);
			break;
		case 'H':
			if (loadopt_header_check(optarg, why, sizeof(why)) < 0)
				usage_die("bad -H '%s': %s", optarg, why);
			l->extra = xrealloc(l->extra, (l->nextra + 1) *
					    sizeof(*l->extra));
			l->extra[l->nextra++] = optarg;
			break;
		case 'd':
			l->data = optarg;
			break;
		case 'D':
			l->data_file = optarg;
			break;
		case 'T':
			l->content_type = optarg;
			break;
		case 'A':
			l->accept = optarg;
			break;
		case OPT_HOST:
			l->host = optarg;
			break;
		case 'a':
			if (!strchr(optarg, ':'))
				usage_die("bad -a '%s' (want user:password)",
					  optarg);
			l->g.userpwd = optarg;
			break;
		case 'x':
			l->g.proxy = optarg;
			break;
		case 't':
			t = number_arg(optarg, "-t", 1);
			break;
		case OPT_H2:
			l->g.http2 = 1;
			break;
		case OPT_NO_KEEPALIVE:
			l->g.keepalive = 0;
			break;
		case OPT_NO_COMPRESSION:
			l->g.compression = 0;
			break;
		case OPT_NO_REDIRECTS:
			l->g.redirects = 0;
			break;
		case 'k':
			l->g.insecure = 1;
			break;
		case 'o':
			if (strcmp(optarg, "csv"))
				usage_die("bad -o '%s' (csv is the only output "
					  "type)", optarg);
			l->csv = 1;
			break;
		case OPT_EVERY:
			l->every = duration_arg(optarg, "--every", 1);
			break;
		case OPT_SERIES:
			l->series_path = optarg;
			break;
		case OPT_TIME:
			if (csvout_time_parse(optarg, &l->time_style) < 0)
				usage_die("bad --time '%s' (rfc3339, unix or "
					  "unixms)", optarg);
			break;
		case OPT_SAVE_FIRST:
			l->first_path = optarg;
			break;
		case OPT_FORCE:
			l->force = 1;
			break;
		case OPT_CPUS:
			(void)count_arg(optarg, "--cpus", 4096);
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
		usage_die("no URL");
	}
	if (optind + 1 < argc)
		usage_die("one URL only: '%s' is extra", argv[optind + 1]);
	l->g.url = argv[optind];
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
	else if (!n_given)
		l->g.requests = 200;
	l->g.timeout_ms = (long)(t * 1000 + 0.5);
	if (t > 0 && !l->g.timeout_ms)
		l->g.timeout_ms = 1;
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

int cmd_load(int argc, char **argv)
{
	struct load l;
	struct loadopt_argv args;
	struct loadopt_headers hin;
	struct loadstat_run run;
	struct outfile series_out;
	struct loadgen_hooks hooks;
	struct buf body;
	char **headers = NULL;
	size_t nheaders = 0;
	int ret = LEAKY_FAIL, series_open = 0;

	memset(&l, 0, sizeof(l));
	l.g.concurrency = 50;
	l.g.keepalive = l.g.compression = l.g.redirects = 1;
	l.every = 1000000000;
	l.method = xstrdup("GET");
	buf_init(&body);
	loadopt_argv_init(&args, argc, argv, short_opts, long_opts);
	parse_args(&l, args.argc, args.argv);

	if (read_body(&l, &body) < 0)
		goto out;
	memset(&hin, 0, sizeof(hin));
	hin.content_type = l.content_type;
	hin.has_body = l.g.body != NULL;
	hin.accept = l.accept;
	hin.host = l.host;
	hin.extra = l.extra;
	hin.nextra = l.nextra;
	headers = loadopt_headers(&hin, &nheaders);
	l.g.headers = (const char *const *)headers;
	l.g.nheaders = nheaders;
	l.g.method = l.method;
	l.g.every_ns = l.every;
	l.g.give_up_after = l.g.concurrency < 10 ? l.g.concurrency : 10;

	if (l.series_path) {
		if (outfile_open(&series_out, l.series_path, l.force) < 0)
			goto out;
		series_open = 1;
		csvout_init(&l.series, series_out.fp);
		loadstat_series_header(&l.series);
	}
	if (l.first_path) {
		if (outfile_open(&l.first, l.first_path, l.force) < 0)
			goto out;
		l.first_open = 1;
		l.g.capture_first = 1;
	}
	if (l.csv) {
		csvout_init(&l.rows, stdout);
		loadstat_csv_header(&l.rows);
	}
	l.total = loadstat_new();
	if (l.every)
		l.interval = loadstat_new();
	memset(&hooks, 0, sizeof(hooks));
	hooks.result = on_result;
	hooks.tick = l.every ? on_tick : NULL;
	hooks.ctx = &l;
	if (loadgen_run(&l.g, &hooks, &l.out) < 0)
		goto out;

	memset(&run, 0, sizeof(run));
	run.elapsed = l.out.elapsed;
	run.rate = l.g.rate;
	run.concurrency = l.g.concurrency;
	run.unfinished = l.out.unfinished;
	run.late = l.out.late;
	run.late_max = l.out.late_max;
	run.interrupted = l.out.interrupted;
	loadstat_summary(l.csv ? stderr : stdout, l.total, &run);
	ret = LEAKY_OK;
	if (series_open) {
		series_open = 0;
		csvout_release(&l.series);
		if (outfile_commit(&series_out) < 0)
			ret = LEAKY_FAIL;
	}
	if (l.first_open) {
		l.first_open = 0;
		if (!l.first_saved) {
			error("%s: not written: no response came",
			      l.first_path);
			outfile_abort(&l.first);
			ret = LEAKY_FAIL;
		} else if (outfile_commit(&l.first) < 0) {
			ret = LEAKY_FAIL;
		}
	}
	if (!l.total->responses && l.total->errors) {
		error("no response from '%s': %" PRIu64
		      " requests failed%s: %s",
		      l.g.url, l.total->errors,
		      l.out.gave_up ? ", gave up" : "", l.out.first_error);
		ret = LEAKY_FAIL;
	} else if (!l.total->responses) {
		error("no response from '%s' in %.1f s", l.g.url,
		      (double)l.out.elapsed / 1e9);
		ret = LEAKY_FAIL;
	}
out:
	if (l.first_open)
		outfile_abort(&l.first);
	if (series_open) {
		csvout_release(&l.series);
		outfile_abort(&series_out);
	}
	if (l.csv)
		csvout_release(&l.rows);
	loadstat_free(l.total);
	loadstat_free(l.interval);
	loadopt_headers_free(headers);
	loadopt_argv_release(&args);
	buf_release(&body);
	free(l.extra);
	free(l.method);
	return ret;
}

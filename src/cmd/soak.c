/* SPDX-License-Identifier: Apache-2.0 */
/* leaky soak: start a service, load it, sample it, report on it. */
#include "cmd/cmd.h"
#include "base/buf.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "collect/collect.h"
#include "load/loadgen.h"
#include "load/loadopt.h"
#include "soak/loadspec.h"
#include "soak/service.h"
#include "soak/soakfiles.h"
#include "soak/soakload.h"
#include "soak/soakrun.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEC ((int64_t)1000000000)
#define DEFAULT_DURATION (10 * 60 * SEC)
#define DEFAULT_READY (30 * SEC)
#define DEFAULT_GRACE (5 * SEC)
#define MIN_INTERVAL SEC
#define MAX_INTERVAL (5 * 60 * SEC)
#define MAX_LOAD_FILE ((size_t)1 << 20)
#define MAX_CONCURRENCY 100000

struct args {
	const char *pprof, *pprof_file, *name, *output, *data, *plot;
	const char *profiles, *fail_on, *load_file;
	int64_t duration_ns, interval_ns, warmup_ns, ready_ns, grace_ns;
	struct cmd_list loads, headers;
	double rate, timeout_s;
	unsigned concurrency;
	int gc, force, quiet, allow_no_data;
};

/* The command line and what the run told. */
struct soak {
	struct args a;
	char **argv;			/* the service's command, or NULL */
	const char *data;		/* the collect directory */
	char *log_path;
	struct soakrun r;
};

static void duration_cb(const struct opt *o, void *field, const char *arg)
{
	*(int64_t *)field = cmd_duration(arg, opt_name(o), (int)o->value,
					 &duration_leaky);
}

/* A number; the entry's value: 1 when 0 is one. */
static void number_cb(const struct opt *o, void *field, const char *arg)
{
	double v;

	if (loadopt_number(arg, &v) < 0 || (!o->value && v <= 0))
		usage_die("bad %s '%s' (a number%s)", opt_name(o), arg,
			  o->value ? ", 0 or more" : " above 0");
	*(double *)field = v;
}

static void concurrency_cb(const struct opt *o, void *field,
			   const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || !*arg || arg[0] == '-' || !v || v > MAX_CONCURRENCY)
		usage_die("bad %s '%s' (a whole number, 1 to %d)",
			  opt_name(o), arg, MAX_CONCURRENCY);
	*(unsigned *)field = (unsigned)v;
}

static void fail_on_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (strcmp(arg, "leak") && strcmp(arg, "suspect") &&
	    strcmp(arg, "never"))
		usage_die("bad --fail-on '%s' (leak, suspect or never)", arg);
	*(const char **)field = arg;
}

static const struct opt options[] = {
	OPT_STR('\0', "pprof", "URL", struct args, pprof,
		"where the service serves /debug/pprof/\n"
		"(default " COLLECT_DEFAULT_URL ")"),
	OPT_STR('\0', "pprof-file", "FILE", struct args, pprof_file,
		"the pprof address (URL or HOST:PORT) from the\n"
		"first line of FILE, once the service writes it\n"
		"(for a service listening on port 0)"),
	OPT_STR('\0', "name", "NAME", struct args, name,
		"the target's name in file names (service)"),
	OPT_CB('\0', "duration", "D", struct args, duration_ns, duration_cb,
	       0, "sample and load for D (10m; 30s, 2h, 1d)"),
	OPT_CB('i', "interval", "D", struct args, interval_ns, duration_cb,
	       0, "between sample rounds (the duration / 30, within\n"
	       "1s and 5m)"),
	OPT_CB('\0', "warmup", "D", struct args, warmup_ns, duration_cb, 1,
	       "the first D is sampled, but left out of the\n"
	       "verdict (the report says so)"),
	OPT_SET_INT('\0', "gc", struct args, gc, 1,
		    "run a GC before each heap profile (heap?gc=1)"),
	OPT_STR('p', "profiles", "LIST", struct args, profiles,
		"what to sample, as leaky collect -p (default)"),
	OPT_CB('\0', "load", "SPEC", struct args, loads, cmd_list_cb, 0,
		    "drive '[METHOD] URL [@BODYFILE]' at the service;\n"
		    "a URL that is a /path is on the pprof address;\n"
		    "repeatable (each gets an equal share)"),
	OPT_STR('\0', "load-file", "FILE", struct args, load_file,
		"requests, one a line: '[WEIGHT] [METHOD] URL\n"
		"[@BODYFILE]' (# comments; shares by weight)"),
	OPT_CB('\0', "rate", "R", struct args, rate, number_cb, 0,
	       "open loop: R requests/s in all, on schedule"),
	OPT_CB('c', "concurrency", "N", struct args, concurrency,
	       concurrency_cb, 0,
	       "closed loop: N workers in all (default 4); with\n"
	       "--rate, the most requests in flight"),
	OPT_CB('\0', "load-header", "'N: V'", struct args, headers,
	       cmd_list_cb, 0, "a header on every load request, repeatable"),
	OPT_CB('\0', "load-timeout", "SECS", struct args, timeout_s,
	       number_cb, 1, "per load request, 0 for none (default 20)"),
	OPT_STR('o', "output", "DIR", struct args, output,
		"where everything goes (soak-data); an existing\n"
		"DIR must be empty"),
	OPT_STR('\0', "data", "DIR", struct args, data,
		"the samples (collect's layout) there instead of\n"
		"in the output directory"),
	OPT_STR('\0', "plot", "FILE", struct args, plot,
		"the chart (OUT/soak.png; .png, .svg or .html)"),
	OPT_SET_INT('\0', "force", struct args, force, 1,
		    "write into a DIR that is not empty"),
	OPT_CB('\0', "ready-timeout", "D", struct args, ready_ns, duration_cb,
	       0, "longest wait for the pprof endpoint (30s)"),
	OPT_CB('\0', "grace", "D", struct args, grace_ns, duration_cb, 1,
	       "between SIGTERM and SIGKILL to the service (5s)"),
	OPT_CB('\0', "fail-on", "LEVEL", struct args, fail_on, fail_on_cb,
	       0, "as leaky report: leak (default), suspect, never"),
	OPT_SET_INT('\0', "allow-no-data", struct args, allow_no_data, 1,
		    "as leaky report: no status 4 when a target could\n"
		    "not be judged"),
	OPT_SET_INT('q', "quiet", struct args, quiet, 1, "no line per round"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd soak_options = {
	.usage = "usage: leaky soak [OPTIONS] [-- COMMAND [ARG...]]\n",
	.about =
"Soak-tests a service: starts COMMAND in a process group of its own (its\n"
"output in OUT/service.log), or attaches to one already running, waits\n"
"until its pprof endpoint answers, drives load at it while sampling it as\n"
"leaky collect does, then stops the load and the service and writes\n"
"OUT/report.txt, heap.csv, memstats.csv, goroutines.csv, rss.csv, fds.csv,\n"
"load.csv (per interval), load.txt (summary) and the chart, and prints\n"
"the report. SIGINT or SIGTERM ends the soak early: the load stops, one\n"
"last round is sampled, the report is on what was sampled; a second one\n"
"ends that round too. The service started is stopped in every case\n"
"(SIGTERM to its process group, SIGKILL after --grace).\n",
	.footer =
"Exit status: the report's (0 ok, 3 leak, 4 not judged; --fail-on and\n"
"--allow-no-data as leaky report), except: 1 when the service did not\n"
"come up (no pprof answer in --ready-timeout, or it exited first), and 1\n"
"instead of 0 when the service exited by itself during the soak; 2 for\n"
"bad usage.",
	.opts = options,
	.help_col = 24,
	.short_col = 1,
	.max_operands = -1,
};

/* The operands are COMMAND's only when "--" comes before them. */
static char **service_argv(int argc, char **argv, int first)
{
	int i;

	if (first >= argc)
		return NULL;
	for (i = 1; i < first; i++)
		if (!strcmp(argv[i], "--"))
			break;
	if (i == first && strcmp(argv[first - 1], "--"))
		usage_die("unexpected argument '%s' (the service's command "
			  "goes after --)", argv[first]);
	return argv + first;
}

/* mkdir -p, the last one allowed to exist when empty or --force. */
static void make_output(const char *dir, int force)
{
	char *p = xstrdup(dir), *s;
	struct dirent *e;
	DIR *d;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			die("cannot make %s: %s", p, strerror(errno));
		*s = '/';
	}
	free(p);
	if (mkdir(dir, 0777) == 0 || errno != EEXIST) {
		if (errno != EEXIST && access(dir, F_OK))
			die("cannot make %s: %s", dir, strerror(errno));
		return;
	}
	d = opendir(dir);
	if (!d)
		die("%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			break;
	closedir(d);
	if (e && !force)
		usage_die("%s is not empty (another soak's? --force writes "
			  "into it)", dir);
}

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* --load-file's requests into *more; exits when it is bad. */
static int read_load_file(const char *path, struct loadspec **more)
{
	char err[512], *copy = xstrdup(path);
	struct buf b;
	int k;

	buf_init(&b);
	if (buf_read_file(&b, path, MAX_LOAD_FILE, NULL) < 0) {
		free(copy);
		exit(LEAKY_FAIL);
	}
	k = loadspec_parse_text((const char *)b.data, b.len, path,
				dirname(copy), more, err, sizeof(err));
	buf_release(&b);
	free(copy);
	if (k < 0)
		usage_die("%s", err);
	return k;
}

/*
 * --load and --load-file into one list; exits on bad ones (what it holds
 * freed first, so that leak checkers see a clean exit).
 */
static struct loadspec *load_requests(const struct args *a, size_t *n)
{
	struct loadspec *all, *more = NULL;
	char err[512];
	size_t i;
	int k = a->load_file ? read_load_file(a->load_file, &more) : 0;

	all = xcalloc(a->loads.n + (size_t)k + 1, sizeof(*all));
	for (i = 0; i < (size_t)k; i++)
		all[i] = more[i];
	free(more);
	*n = (size_t)k;
	for (i = 0; i < a->loads.n; i++) {
		if (loadspec_parse(a->loads.v[i], &all[*n], err,
				   sizeof(err)) < 0) {
			loadspec_free_all(all, *n);
			usage_die("bad --load '%s': %s", a->loads.v[i], err);
		}
		(*n)++;
	}
	/* the /paths once the service's address is known */
	for (i = 0; i < *n; i++)
		if (all[i].url[0] != '/' &&
		    loadgen_check_url(all[i].url) < 0) {
			loadspec_free_all(all, *n);
			exit(LEAKY_USAGE);
		}
	return all;
}

/* Runs leaky COMMAND with args in this process; its status. */
static int run_cmd(int (*fn)(int, char **), char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	fflush(stdout);
	return fn(argc, argv);
}

/*
 * One CSV of the samples of a kind, through the command that makes it,
 * when there are any: heaper, goroutines, pmap, fds.
 */
static void one_csv(const struct soak *s, int (*fn)(int, char **),
		    const char *cmd, const char *opt, enum collect_kind k,
		    const char *csv)
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	size_t n, i, at = 0;
	char **files = soakfiles_list(s->data, ki->dir, ki->suffix, 0, &n);
	char **argv, *out;

	if (!n) {
		soakfiles_free(files);
		return;
	}
	out = path_in(s->a.output, csv);
	argv = xcalloc(n + 6, sizeof(*argv));
	argv[at++] = (char *)cmd;
	if (opt)
		argv[at++] = (char *)opt;
	argv[at++] = (char *)"--force";
	argv[at++] = (char *)"-o";
	argv[at++] = out;
	for (i = 0; i < n; i++)
		argv[at++] = files[i];
	if (run_cmd(fn, argv))
		error("%s: not written", out);
	free(argv);
	free(out);
	soakfiles_free(files);
}

static void write_csvs(const struct soak *s)
{
	one_csv(s, cmd_heaper, "heaper", NULL, CK_HEAP, "heap.csv");
	one_csv(s, cmd_heaper, "heaper", "--memstats", CK_HEAP_TEXT,
		"memstats.csv");
	one_csv(s, cmd_goroutines, "goroutines", NULL, CK_GOROUTINE_TEXT,
		"goroutines.csv");
	if (access(s->a.output, F_OK) == 0) {
		char *g = path_in(s->a.output, "goroutines.csv");

		/* the dumps say more; the proto when they were not taken */
		if (access(g, F_OK))
			one_csv(s, cmd_goroutines, "goroutines", NULL,
				CK_GOROUTINE, "goroutines.csv");
		free(g);
	}
	one_csv(s, cmd_pmap, "pmap", NULL, CK_SMAPS_ROLLUP, "rss.csv");
	one_csv(s, cmd_fds, "fds", NULL, CK_FDS, "fds.csv");
}

static void plot(const struct soak *s)
{
	char *out = s->a.plot ? xstrdup(s->a.plot) :
		    path_in(s->a.output, "soak.png");
	char *argv[] = { (char *)"plot", (char *)"--force", (char *)"-o", out,
			 (char *)s->data, NULL };

	if (run_cmd(cmd_plot, argv))
		error("%s: not drawn", out);
	free(out);
}

/*
 * The report, into OUT/report.txt: on the whole directory, or with a
 * warm-up, on the files sampled after it (each file's round time is
 * still its manifest's).
 */
static int report(const struct soak *s, const char *path)
{
	const char *argv_fixed[8];
	char **argv, **files = NULL;
	size_t at = 0, n = 0, i, k;
	int ret;

	argv_fixed[at++] = "report";
	argv_fixed[at++] = "--force";
	argv_fixed[at++] = "-o";
	argv_fixed[at++] = path;
	if (s->a.fail_on) {
		argv_fixed[at++] = "--fail-on";
		argv_fixed[at++] = s->a.fail_on;
	}
	if (s->a.allow_no_data)
		argv_fixed[at++] = "--allow-no-data";
	if (s->a.warmup_ns) {
		int64_t since = (s->r.t0_wall + s->a.warmup_ns) / SEC;

		for (k = 0; k < CK_NKINDS; k++) {
			size_t m;
			char **f = soakfiles_list(s->data, collect_kinds[k].dir,
						  collect_kinds[k].suffix,
						  since, &m);

			files = xrealloc(files, (n + m + 1) * sizeof(*files));
			memcpy(files + n, f, m * sizeof(*f));
			n += m;
			free(f);	/* the paths moved to files */
		}
	}
	argv = xcalloc(at + n + 2, sizeof(*argv));
	for (i = 0; i < at; i++)
		argv[i] = (char *)argv_fixed[i];
	if (s->a.warmup_ns)
		for (i = 0; i < n; i++)
			argv[at++] = files[i];
	if (!s->a.warmup_ns || !n)
		argv[at++] = (char *)s->data;
	ret = run_cmd(cmd_report, argv);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(argv);
	return ret;
}

/* What the soak itself saw, after the report's own text. */
static void notes(const struct soak *s, FILE *fp)
{
	char d[DURATION_TEXT_MAX], how[64];

	fprintf(fp, "\nSoak\n");
	if (s->argv) {
		char *const *p;

		fprintf(fp, "  service:");
		for (p = s->argv; *p; p++)
			fprintf(fp, " %s", *p);
		fprintf(fp, " (pid %ld", (long)s->r.pid);
		if (s->r.sampled)
			fprintf(fp, "; sampled: pid %ld, the listener of its "
				"port", (long)s->r.sampled);
		fprintf(fp, ")\n");
	} else {
		fprintf(fp, "  service: already running (attached)\n");
	}
	fprintf(fp, "  duration: %s", duration_format(s->a.duration_ns, d));
	fprintf(fp, ", interval %s\n", duration_format(s->a.interval_ns, d));
	if (s->a.warmup_ns)
		fprintf(fp, "  warm-up: the first %s was sampled but left "
			"out of the verdict\n",
			duration_format(s->a.warmup_ns, d));
	if (s->r.interrupted)
		fprintf(fp, "  interrupted: the report is on what was "
			"sampled until then\n");
	if (s->r.exited_early) {
		service_describe(s->r.exit_status, how, sizeof(how));
		fprintf(fp, "  the service exited during the soak, after %s: "
			"%s\n", duration_format(s->r.exit_at, d), how);
		soakrun_print_tail(fp, s->log_path);
	}
	if (s->r.killed)
		fprintf(fp, "  the service did not stop within %s of SIGTERM:"
			" killed\n", duration_format(s->a.grace_ns, d));
}

/* Appends the notes to report.txt and prints the whole. */
static void finish_report(const struct soak *s, const char *path)
{
	FILE *fp = fopen(path, "a");
	char chunk[8192];
	size_t k;

	if (fp) {
		notes(s, fp);
		fclose(fp);
	}
	fp = fopen(path, "r");
	if (!fp) {
		error("%s: %s", path, strerror(errno));
		return;
	}
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fwrite(chunk, 1, k, stdout);
	fclose(fp);
}

static void check_args(struct args *a, char **svc)
{
	char why[128];
	size_t i;

	if (!a->duration_ns)
		a->duration_ns = DEFAULT_DURATION;
	if (!a->interval_ns) {
		a->interval_ns = a->duration_ns / 30;
		if (a->interval_ns < MIN_INTERVAL)
			a->interval_ns = MIN_INTERVAL;
		if (a->interval_ns > MAX_INTERVAL)
			a->interval_ns = MAX_INTERVAL;
	}
	if (a->warmup_ns >= a->duration_ns)
		usage_die("--warmup must be shorter than --duration");
	if (!a->ready_ns)
		a->ready_ns = DEFAULT_READY;
	if (a->grace_ns < 0)
		a->grace_ns = DEFAULT_GRACE;
	if (!a->concurrency)
		a->concurrency = 4;
	if (!a->output)
		a->output = "soak-data";
	if (!a->name)
		a->name = "service";
	for (i = 0; i < a->headers.n; i++)
		if (loadopt_header_check(a->headers.v[i], why,
					 sizeof(why)) < 0)
			usage_die("bad --load-header '%s': %s",
				  a->headers.v[i], why);
	if (a->pprof && a->pprof_file)
		usage_die("--pprof and --pprof-file exclude each other");
	if (a->pprof_file && !svc)
		usage_die("--pprof-file is for a service soak starts "
			  "(-- COMMAND)");
	if (!*a->output || (a->data && !*a->data))
		usage_die("empty --output or --data");
}

/* The load's files, and a line when it reached nothing. */
static void write_load(const struct soak *s, struct soakload *l)
{
	char *series = path_in(s->a.output, "load.csv");
	char *summary = path_in(s->a.output, "load.txt");
	FILE *fp = fopen(summary, "w");

	if (soakload_write(l, series, fp) < 0)
		error("%s: not written", series);
	if (fp && fclose(fp))
		error("%s: %s", summary, strerror(errno));
	if (!soakload_responses(l))
		error("the load got no response (see %s)", summary);
	free(series);
	free(summary);
}

/* The run's settings from the command line. */
static void run_opts(const struct soak *s, struct soakrun_opts *o,
		     struct loadspec *reqs, size_t nreqs)
{
	const struct args *a = &s->a;

	memset(o, 0, sizeof(*o));
	o->argv = s->argv;
	o->pprof = a->pprof;
	o->pprof_file = a->pprof_file;
	o->name = a->name;
	o->data = s->data;
	o->log_path = s->log_path;
	o->profiles = a->profiles;
	o->duration_ns = a->duration_ns;
	o->interval_ns = a->interval_ns;
	o->ready_ns = a->ready_ns;
	o->grace_ns = a->grace_ns;
	o->gc = a->gc;
	o->quiet = a->quiet;
	o->reqs = reqs;
	o->nreqs = nreqs;
	o->load.rate = a->rate;
	o->load.concurrency = a->concurrency;
	o->load.timeout_ms = (long)(a->timeout_s * 1000 + 0.5);
	o->load.headers = a->headers.v;
	o->load.nheaders = a->headers.n;
}

int cmd_soak(int argc, char **argv)
{
	struct soak s;
	struct soakrun_opts o;
	struct loadspec *reqs;
	size_t nreqs;
	char *report_path;
	int first, status, ret;

	memset(&s, 0, sizeof(s));
	s.a.grace_ns = -1;
	s.a.timeout_s = 20;
	first = opt_parse(&soak_options, argc, argv, &s.a, &status);
	if (first < 0)
		exit(status);
	s.argv = service_argv(argc, argv, first);
	check_args(&s.a, s.argv);
	reqs = load_requests(&s.a, &nreqs);
	make_output(s.a.output, s.a.force);
	s.data = s.a.data ? s.a.data : s.a.output;
	if (s.a.data)
		make_output(s.a.data, s.a.force);
	s.log_path = path_in(s.a.output, "service.log");
	report_path = path_in(s.a.output, "report.txt");

	run_opts(&s, &o, reqs, nreqs);
	ret = soakrun_run(&o, &s.r);
	if (ret != LEAKY_OK)
		goto out;
	if (s.r.load)
		write_load(&s, s.r.load);
	write_csvs(&s);
	plot(&s);
	ret = report(&s, report_path);
	finish_report(&s, report_path);
	if (s.r.exited_early && ret == LEAKY_OK)
		ret = LEAKY_FAIL;
out:
	soakrun_release(&s.r);
	loadspec_free_all(reqs, nreqs);
	free(report_path);
	free(s.log_path);
	free(s.a.loads.v);
	free(s.a.headers.v);
	return ret;
}

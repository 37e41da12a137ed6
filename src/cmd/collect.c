/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect: sample running services on a fixed schedule. */
#include "cmd/cmd.h"
#include "analyze/fetchhint.h"
#include "base/duration.h"
#include "base/human.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "cmd/promauth.h"
#include "collect/collconf.h"
#include "collect/collect.h"
#include "collect/collrun.h"
#include "collect/manifest.h"
#include "collect/schedule.h"
#include "collect/settings.h"
#include "collect/spec.h"
#include "collect/url.h"
#include "fleet/discover.h"
#include "fleet/exporter.h"
#include "fleet/promscan.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Where `make install` puts configs/leaky.conf, under leaky/. */
#ifndef LEAKY_SYSCONFDIR
#define LEAKY_SYSCONFDIR "/usr/local/etc"
#endif

#define LOCAL_CONFIG "configs/leaky.conf"
#define SYSTEM_CONFIG LEAKY_SYSCONFDIR "/leaky/leaky.conf"

/* The command line, kept apart so that it can override the file. */
struct args {
	const char *config;
	const char **specs;
	size_t nspecs;
	const char *interval, *duration, *rounds, *output, *timeout;
	const char *profiles, *max_body, *max_inflated, *max_conn;
	const char *keep, *max_size;
	const char *listen;
	/* discovery */
	const char *targets_from, *match, *refresh, *pprof_path, *pprof_port;
	struct promauth auth;		/* to --targets-from's Prometheus */
	const char *ca_file;
	const char **file_sd;
	size_t nfile_sd;
	int gc, no_spread, no_fsync, check, no_probe, quiet;
};

/* -t: repeatable, checked when the configuration is built. */
static void spec_cb(const struct opt *o, void *field, const char *arg)
{
	struct args *a = field;

	(void)o;
	a->specs = xrealloc(a->specs, (a->nspecs + 1) * sizeof(*a->specs));
	a->specs[a->nspecs++] = arg;
}

/* --file-sd: repeatable. */
static void file_sd_cb(const struct opt *o, void *field, const char *arg)
{
	struct args *a = field;

	(void)o;
	a->file_sd = xrealloc(a->file_sd,
			      (a->nfile_sd + 1) * sizeof(*a->file_sd));
	a->file_sd[a->nfile_sd++] = arg;
}

/* Values stay text here: build_conf() checks them over the file's. */
static const struct opt options[] = {
	OPT_STR('c', "config", "FILE", struct args, config,
		"settings and targets (libconfig syntax)"),
	OPT_CB_BASE('t', "target", "SPEC", spec_cb, 0,
		    "NAME=URL[,pid=N][,pidfile=F][,process=COMM]\n"
		    "[,profiles=K+K...][,gc][,seconds=N][,interval=D]\n"
		    "[,timeout=D]; repeatable; without -c, replaces\n"
		    "the default configuration's targets. URL:\n"
		    "http://HOST:PORT[/PATH], https://...,\n"
		    "unix:/PATH/TO.sock:http://HOST[/PATH]"),
	OPT_STR('i', "interval", "D", struct args, interval,
		"time between rounds (5m; 500ms, 30s, 2h, 1d)"),
	OPT_STR('d', "duration", "D", struct args, duration, "stop after D"),
	OPT_STR('n', "rounds", "N", struct args, rounds, "stop after N rounds"),
	OPT_STR('o', "output", "DIR", struct args, output,
		"output directory (leaky-data)"),
	OPT_STR('\0', "timeout", "D", struct args, timeout,
		"longest fetch (min(10s, 3/4 of the interval); at\n"
		"most the interval)"),
	OPT_STR_LIST('p', "profiles", "LIST", struct args, profiles,
		     "heap heap.txt allocs goroutine goroutine.txt block mutex "
		     "threadcreate pmap smaps_rollup status fds limits memory "
		     "default all",
		"what to take from targets without their own list:\n"
		"heap, heap.txt, allocs, goroutine, goroutine.txt,\n"
		"block, mutex, threadcreate, pmap, smaps_rollup,\n"
		"status, fds, limits, memory, default, all\n(comma-separated)"),
	OPT_SET_INT('\0', "gc", struct args, gc, 1,
		    "run a GC before each heap profile (heap?gc=1)"),
	OPT_STR('\0', "max-body", "SIZE", struct args, max_body,
		"largest response (64M)"),
	OPT_STR('\0', "max-inflated", "SIZE", struct args, max_inflated,
		"largest a gzipped profile may inflate to while\n"
		"it is checked (256M, at most 16 x --max-body)"),
	OPT_STR('\0', "keep", "D", struct args, keep,
		"remove samples older than D (7d, 12h), oldest\n"
		"first; a manifest row says what went"),
	OPT_STR('\0', "max-size", "SIZE", struct args, max_size,
		"remove the oldest samples while the collection's\n"
		"files are over SIZE (5G, 500M)"),
	OPT_SET_INT('\0', "no-spread", struct args, no_spread, 1,
		    "fetch every target at the start of its interval"),
	OPT_SET_INT('\0', "no-fsync", struct args, no_fsync, 1,
		    "do not fsync files (faster, less safe)"),
	OPT_STR('\0', "max-connections", "N", struct args, max_conn,
		"fetches in flight at once (64)"),
	OPT_STR('\0', "listen", "ADDR", struct args, listen,
		"serve the collector's metrics for Prometheus on\n"
		"ADDR (HOST:PORT, [V6]:PORT, :PORT; port 0: any\n"
		"free one) at /metrics"),
	OPT_STR('\0', "targets-from", "URL", struct args, targets_from,
		"also sample the active targets of the Prometheus\n"
		"at URL (its /api/v1/targets), named JOB_INSTANCE"),
	OPT_STR('\0', "targets-from-token-file", "FILE", struct args,
		auth.token_file, "send its Prometheus 'Authorization:\n"
		"Bearer' with FILE's token"),
	OPT_STR('\0', "targets-from-basic-auth-file", "FILE", struct args,
		auth.basic_file, "basic authentication to it, FILE holding\n"
		"user:password"),
	OPT_STR('\0', "targets-from-ca-file", "FILE", struct args, ca_file,
		"CA certificates for its https"),
	OPT_STR('\0', "match", "SEL", struct args, match,
		"only targets found whose labels match SEL, e.g.\n"
		"'{job=~\"api|billing\"}'"),
	OPT_CB_BASE('\0', "file-sd", "FILES", file_sd_cb, 0,
		    "also sample the targets of Prometheus file_sd\n"
		    "files (a glob of .json, .yml, .yaml), re-read\n"
		    "when they change; repeatable"),
	OPT_STR('\0', "refresh", "D", struct args, refresh,
		"look for targets again this often (3 rounds,\n"
		"within 10s and 5m)"),
	OPT_STR('\0', "pprof-path", "PATH", struct args, pprof_path,
		"where targets found serve pprof (/debug/pprof/)"),
	OPT_STR('\0', "pprof-port", "PORT", struct args, pprof_port,
		"the port targets found serve pprof on (default\n"
		"the one Prometheus scrapes)"),
	OPT_SET_INT('\0', "check", struct args, check, 1,
		    "print the targets and settings, then take one\n"
		    "round of them into a scratch directory and say\n"
		    "what each fetch gave (or why it failed), then\n"
		    "exit; the output directory is not touched"),
	OPT_SET_INT('\0', "no-probe", struct args, no_probe, 1,
		    "with --check, do not fetch: the settings only"),
	OPT_SET_INT('q', "quiet", struct args, quiet, 1, "no line per round"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd collect_options = {
	.usage = "usage: leaky collect [OPTIONS]\n",
	.about =
"Samples running services on a fixed schedule into a directory: pprof\n"
"profiles over HTTP(S) or a unix socket, and their process's memory\n"
"and open descriptors (pmap -x, /proc/PID/smaps_rollup, /proc/PID/fd),\n"
"with one manifest.csv row per fetch.\n"
"Runs until its rounds or duration are done, or SIGINT/SIGTERM. Without\n"
"-c it reads ./" LOCAL_CONFIG ", else " SYSTEM_CONFIG ",\n"
"else the same defaults built in: http://127.0.0.1:6060 every 5m into\n"
"./leaky-data/.\n",
	.opts = options,
	.help_col = 24,
	.short_col = 1,
	.max_operands = 0,
	.extra_pre = "unexpected argument ",
	.extra_post = " (targets are given with -t NAME=URL)",
};

static void parse_args(struct args *a, int argc, char **argv)
{
	int status;

	if (opt_parse(&collect_options, argc, argv, a, &status) < 0)
		exit(status);
}

static int64_t count_arg(const char *s, const char *opt)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*end || end == s || v < 1 || v > INT32_MAX)
		usage_die("bad %s '%s' (a positive whole number)", opt, s);
	return v;
}

/* The configuration file to read when -c is not given, or NULL. */
static const char *default_config(void)
{
	if (!access(LOCAL_CONFIG, F_OK))
		return LOCAL_CONFIG;
	if (!access(SYSTEM_CONFIG, F_OK))
		return SYSTEM_CONFIG;
	return NULL;
}

static void drop_targets(struct collect_conf *conf)
{
	struct collect_conf only;

	/* Release just the targets, through a conf holding nothing else. */
	memset(&only, 0, sizeof(only));
	only.targets = conf->targets;
	only.ntargets = conf->ntargets;
	collect_conf_release(&only);
	conf->targets = NULL;
	conf->ntargets = 0;
}

static void set_text(char **field, const char *v, const char *opt)
{
	if (!*v)
		usage_die("empty %s", opt);
	free(*field);
	*field = xstrdup(v);
}

/* A file_sd pattern names its syntax, as Prometheus's must. */
static void check_file_sd(const char *pattern, const char *where)
{
	static const char *const ends[] = { ".json", ".yml", ".yaml" };
	size_t n = strlen(pattern), i;

	for (i = 0; i < sizeof(ends) / sizeof(*ends); i++)
		if (n > strlen(ends[i]) &&
		    !strcasecmp(pattern + n - strlen(ends[i]), ends[i]))
			return;
	usage_die("%s '%s': file_sd files end in .json, .yml or .yaml",
		  where, pattern);
}

/* Discovery's options, over the configuration's. */
static void apply_discovery(struct collect_conf *conf, const struct args *a)
{
	char why[256];
	size_t i;

	if (a->targets_from)
		set_text(&conf->targets_from, a->targets_from,
			 "--targets-from");
	if (a->match)
		set_text(&conf->match, a->match, "--match");
	if (a->pprof_path)
		set_text(&conf->pprof_path, a->pprof_path, "--pprof-path");
	if (a->refresh)
		conf->refresh_ns = cmd_duration(a->refresh, "--refresh", 0,
						&duration_leaky);
	if (a->pprof_port) {
		conf->pprof_port = count_arg(a->pprof_port, "--pprof-port");
		if (conf->pprof_port > 65535)
			usage_die("bad --pprof-port '%s' (1 to 65535)",
				  a->pprof_port);
	}
	if (a->nfile_sd) {
		while (conf->nfile_sd)
			free(conf->file_sd[--conf->nfile_sd]);
		free(conf->file_sd);
		conf->file_sd = xcalloc(a->nfile_sd + 1,
					sizeof(*conf->file_sd));
		for (i = 0; i < a->nfile_sd; i++)
			conf->file_sd[i] = xstrdup(a->file_sd[i]);
		conf->nfile_sd = a->nfile_sd;
	}
	for (i = 0; i < conf->nfile_sd; i++)
		check_file_sd(conf->file_sd[i], "file-sd");
	if (conf->match && promscan_check_match(conf->match, why,
						sizeof(why)) < 0)
		usage_die("bad match: %s", why);
	if (conf->pprof_path && conf->pprof_path[0] != '/')
		usage_die("bad pprof-path '%s' (an absolute path)",
			  conf->pprof_path);
	if ((a->auth.token_file || a->auth.basic_file || a->ca_file) &&
	    !conf->targets_from)
		usage_die("the --targets-from-* options go with --targets-from");
	if ((conf->match || conf->pprof_path || conf->pprof_port ||
	     conf->refresh_ns) && !collect_discovers(conf))
		usage_die("match, refresh, pprof-path and pprof-port are for "
			  "targets found: give --targets-from or --file-sd");
}

/* The command line's settings, over the configuration's. */
static void apply_options(struct collect_conf *conf, const struct args *a)
{
	char err[COLLECT_ERR];

	if (a->interval)
		conf->interval_ns = cmd_duration(a->interval, "--interval", 0,
						 &duration_leaky);
	if (a->timeout)
		conf->timeout_ns = cmd_duration(a->timeout, "--timeout", 0,
						&duration_leaky);
	if (a->duration)
		conf->duration_ns = cmd_duration(a->duration, "--duration", 1,
						 &duration_leaky);
	if (a->rounds)
		conf->rounds = count_arg(a->rounds, "--rounds");
	if (a->output) {
		if (!*a->output)
			usage_die("empty --output");
		free(conf->output);
		conf->output = xstrdup(a->output);
	}
	if (a->profiles &&
	    collect_parse_kinds(a->profiles, ',', &conf->kinds, err) < 0)
		usage_die("--profiles: %s", err);
	if (a->gc)
		conf->gc = 1;
	if (a->max_body && (parse_size(a->max_body, &conf->max_body) < 0 ||
			    conf->max_body < 1024))
		usage_die("bad --max-body '%s' (e.g. 64M, at least 1k)",
			  a->max_body);
	if (a->max_inflated &&
	    (parse_size(a->max_inflated, &conf->max_inflated) < 0 ||
	     conf->max_inflated < 1024))
		usage_die("bad --max-inflated '%s' (e.g. 256M, at least 1k)",
			  a->max_inflated);
	if (a->keep)
		conf->keep_ns = cmd_duration(a->keep, "--keep", 1,
					     &duration_leaky);
	if (a->max_size && (parse_size(a->max_size, &conf->max_size) < 0 ||
			    conf->max_size < 1024))
		usage_die("bad --max-size '%s' (e.g. 5G, at least 1k)",
			  a->max_size);
	if (a->max_conn)
		conf->max_connections = (size_t)count_arg(a->max_conn,
							  "--max-connections");
	if (a->no_spread)
		conf->spread = 0;
	if (a->no_fsync)
		conf->fsync = 0;
	if (a->quiet)
		conf->quiet = 1;
	if (a->listen) {
		if (!*a->listen)
			usage_die("empty --listen");
		free(conf->listen);
		conf->listen = xstrdup(a->listen);
	}
	apply_discovery(conf, a);
}

static void build_conf(struct collect_conf *conf, const struct args *a)
{
	const char *file = a->config ? a->config : default_config();
	char err[COLLECT_ERR];
	size_t i;

	collect_conf_init(conf);
	if (file && collconf_load(file, conf, err) < 0)
		usage_die("%s", err);
	/* Targets on the command line replace the default file's. */
	if (!a->config && (a->nspecs || a->targets_from || a->nfile_sd))
		drop_targets(conf);
	for (i = 0; i < a->nspecs; i++) {
		struct collect_target *t = collect_conf_add(conf);

		if (collect_parse_spec(t, a->specs[i], err) < 0)
			usage_die("%s", err);
	}
	if (!file && !a->nspecs && !a->targets_from && !a->nfile_sd)
		collect_conf_add_default_target(conf);
	apply_options(conf, a);
	if (collect_conf_finish(conf, err) < 0)
		usage_die("%s", err);
}

static void print_kinds(unsigned kinds)
{
	int k, first = 1;

	for (k = 0; k < CK_NKINDS; k++)
		if (kinds & CK_BIT(k)) {
			printf("%s%s", first ? "" : ",", collect_kinds[k].name);
			first = 0;
		}
	putchar('\n');
}

/* --check: everything the run would use, one setting a line. */
static void print_target(const struct collect_conf *conf,
			 const struct collect_target *t)
{
	int64_t ivl = collect_target_interval(conf, t);
	char a[DURATION_TEXT_MAX], b[DURATION_TEXT_MAX], c[DURATION_TEXT_MAX];
	size_t h;

	printf("target %s (%s)\n", t->name, t->origin);
	printf("  url: %s\n", t->url);
	printf("  endpoints: %s\n", t->base);
	printf("  profiles: ");
	print_kinds(t->kinds);
	printf("  gc: %s\n", t->gc ? "yes" : "no");
	if (t->seconds)
		printf("  seconds: %" PRId64 "\n", t->seconds);
	printf("  interval: %s, timeout %s, offset %s\n",
	       duration_format(ivl, a),
	       duration_format(collect_target_timeout(conf, t), b),
	       duration_format(collect_offset(t->name, ivl,
					      collect_spreads(conf)), c));
	if (t->pid)
		printf("  process: pid %" PRId64 "\n", t->pid);
	else if (t->pidfile)
		printf("  process: pid file %s\n", t->pidfile);
	else if (t->process)
		printf("  process: named %s\n", t->process);
	else if (t->unix_socket)
		printf("  process: the listener of %s\n", t->unix_socket);
	else if (t->local)
		printf("  process: the listener of port %d\n", t->port);
	else
		printf("  process: none (remote)\n");
	for (h = 0; h < t->nheaders; h++)
		printf("  header: %.*s: (value not shown)\n",
		       (int)strcspn(t->headers[h], ":"),
		       t->headers[h]);
	if (*t->labels)
		printf("  labels: %s\n", t->labels);
	if (t->insecure)
		printf("  insecure: yes\n");
	if (t->ca_file)
		printf("  ca-file: %s\n", t->ca_file);
}

static void print_plan(const struct collect_conf *conf)
{
	char a[DURATION_TEXT_MAX];
	size_t i;

	/* where it looked too: the system file's place is the build's
	 * (make install SYSCONFDIR=...), worth seeing when it is missed */
	if (conf->source)
		printf("config: %s\n", conf->source);
	else
		printf("config: built-in defaults (no ./%s or %s)\n",
		       LOCAL_CONFIG, SYSTEM_CONFIG);
	printf("output: %s\n", conf->output);
	printf("interval: %s\n", duration_format(conf->interval_ns, a));
	printf("timeout: %s\n", conf->timeout_ns ?
	       duration_format(conf->timeout_ns, a) :
	       "min(10s, 3/4 of the interval)");
	printf("rounds: %" PRId64 "\n", conf->rounds);
	printf("duration: %s\n", duration_format(conf->duration_ns, a));
	printf("max-body: %zu\n", conf->max_body);
	printf("max-inflated: %zu\n", conf->max_inflated);
	printf("max-connections: %zu\n", conf->max_connections);
	printf("keep: %s\n", conf->keep_ns ?
	       duration_format(conf->keep_ns, a) : "all");
	if (conf->max_size)
		printf("max-size: %zu\n", conf->max_size);
	else
		printf("max-size: none\n");
	printf("spread: %s\n", conf->spread ? "yes" : "no");
	printf("fsync: %s\n", conf->fsync ? "yes" : "no");
	if (conf->listen)
		printf("listen: %s\n", conf->listen);
	if (conf->targets_from) {
		char *shown = collect_redact_url(conf->targets_from);

		printf("targets-from: %s\n", shown);
		free(shown);
	}
	for (i = 0; i < conf->nfile_sd; i++)
		printf("file-sd: %s\n", conf->file_sd[i]);
	if (conf->match)
		printf("match: %s\n", conf->match);
	if (collect_discovers(conf))
		printf("refresh: %s\n",
		       duration_format(collect_refresh(conf), a));
	for (i = 0; i < conf->ntargets; i++)
		print_target(conf, &conf->targets[i]);
}

/* Discovery, with --targets-from's auth read now; dies when it fails. */
static struct discover *start_discovery(const struct collect_conf *conf,
					const struct args *a)
{
	struct discover_auth da = { 0 };
	struct discover *d;
	char err[1024], **hdr;
	size_t nh;

	hdr = promauth_headers(&a->auth, &nh);
	da.headers = hdr;
	da.nheaders = nh;
	da.ca_file = a->ca_file;
	d = discover_new(conf, &da, err, sizeof(err));
	promauth_free(hdr, nh);
	if (!d)
		die("%s", err);
	return d;
}

/* --check with discovery: the targets found now, as the run would. */
static void print_found(const struct collect_conf *conf,
			const struct args *a)
{
	struct collrun_hooks hooks;
	struct collect_target *found = NULL;
	struct discover *d = start_discovery(conf, a);
	char *line = NULL;
	size_t n = 0, i;

	memset(&hooks, 0, sizeof(hooks));
	discover_hooks(d, &hooks);
	hooks.found(hooks.found_data, &found, &n, &line);
	free(line);
	printf("found: %zu target%s now\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		print_target(conf, &found[i]);
		collect_target_release(&found[i]);
	}
	free(found);
	discover_free(d);
}

/* The run, with its exporter when --listen (or listen) asks for one. */
static int run(const struct collect_conf *conf, const struct args *a)
{
	struct collrun_hooks hooks;
	struct exporter *ex = NULL;
	struct discover *d = NULL;
	char err[1024];
	int ret;

	memset(&hooks, 0, sizeof(hooks));
	if (conf->listen) {
		ex = exporter_new(conf->listen, conf, err);
		if (!ex)
			die("--listen %s", err);
		/* The address a port 0 became is needed by whoever
		 * scrapes. */
		fprintf(stderr, "%s: listening on %s\n", leaky_progname,
			exporter_url(ex));
		exporter_hooks(ex, &hooks);
	}
	if (collect_discovers(conf)) {
		d = start_discovery(conf, a);
		discover_hooks(d, &hooks);
	}
	ret = collrun(conf, &hooks);
	discover_free(d);
	exporter_free(ex);
	return ret;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Removes path and all under it. Returns 0, or -1. */
static int remove_tree(const char *path)
{
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The probe's rows: their lines, by target (as given), then kind. */
struct probe_line {
	size_t target;
	int kind;
	char *text;
};

struct probe {
	const struct collect_conf *conf;
	struct probe_line *lines;
	size_t n, cap;
};

static int cmp_probe_line(const void *a, const void *b)
{
	const struct probe_line *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

static void probe_row(void *data, const struct collect_row *row)
{
	struct probe *p = data;
	char line[1400], b[32];
	const char *hint;
	size_t i;

	if (!strcmp(row->result, "ok")) {
		human_size(b, sizeof(b), (double)(row->bytes > 0 ?
						  row->bytes : 0), &human_iec);
		snprintf(line, sizeof(line), "  %s %s: ok, %s, %.0f ms",
			 row->target, row->kind, b,
			 (double)row->duration_ns / 1e6);
	} else if (!strcmp(row->result, "failed")) {
		hint = fetch_hint(row->error);
		snprintf(line, sizeof(line), "  %s %s: failed: %s%s%s",
			 row->target, row->kind, row->error ? row->error : "",
			 hint ? ": " : "", hint ? hint : "");
	} else {
		return;		/* rounds, restarts: not fetches */
	}
	p->lines = xgrow(p->lines, &p->cap, p->n + 1, sizeof(*p->lines));
	for (i = 0; i < p->conf->ntargets; i++)
		if (!strcmp(p->conf->targets[i].name, row->target))
			break;
	p->lines[p->n].target = i;
	p->lines[p->n].kind = collect_kind_by_name(row->kind,
						   strlen(row->kind));
	p->lines[p->n++].text = xstrdup(line);
}

/*
 * --check's probe: one round of the given targets, as the run would take
 * it, into a scratch directory removed after; what each fetch gave. The
 * round's own lines on stderr are left out: the rows say it all.
 */
static void probe(const struct collect_conf *conf)
{
	const char *tmp = getenv("TMPDIR");
	struct collect_conf one = *conf;
	struct collrun_hooks hooks;
	struct probe p = { .conf = conf };
	int saved, null;
	char *dir;
	size_t i;

	if (!conf->ntargets)
		return;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	dir = xmalloc(strlen(tmp) + sizeof("/leaky-check.XXXXXX"));
	sprintf(dir, "%s/leaky-check.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		printf("probe: no scratch directory in %s (%s)\n", tmp,
		       strerror(errno));
		free(dir);
		return;
	}
	one.output = dir;
	one.rounds = 1;
	one.duration_ns = 0;
	one.spread = 0;
	one.fsync = 0;
	one.quiet = 1;
	one.listen = NULL;
	one.targets_from = NULL;
	one.nfile_sd = 0;
	memset(&hooks, 0, sizeof(hooks));
	hooks.row = probe_row;
	hooks.data = &p;
	printf("probe: one round now");
	if (collect_discovers(conf))
		printf(" (of the targets given; those found are not probed)");
	printf(":\n");
	fflush(stdout);
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null >= 0)
		dup2(null, 2);
	collrun(&one, &hooks);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (null >= 0)
		close(null);
	if (p.n)
		qsort(p.lines, p.n, sizeof(*p.lines), cmp_probe_line);
	for (i = 0; i < p.n; i++) {
		printf("%s\n", p.lines[i].text);
		free(p.lines[i].text);
	}
	free(p.lines);
	if (remove_tree(dir) < 0)
		error("%s: cannot remove the probe's directory", dir);
	free(dir);
}

int cmd_collect(int argc, char **argv)
{
	struct args a;
	struct collect_conf conf;
	int ret;

	memset(&a, 0, sizeof(a));
	parse_args(&a, argc, argv);
	build_conf(&conf, &a);
	free(a.specs);
	free(a.file_sd);
	free(a.auth.headers);
	if (a.check) {
		print_plan(&conf);
		if (collect_discovers(&conf)) {
			fflush(stdout);
			print_found(&conf, &a);
		}
		if (!a.no_probe)
			probe(&conf);
		collect_conf_release(&conf);
		return LEAKY_OK;
	}
	ret = run(&conf, &a);
	collect_conf_release(&conf);
	return ret;
}

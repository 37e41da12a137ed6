/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect's settings: defaults, targets, the checks of the whole. */
#include "collect/settings.h"
#include "base/buf.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/url.h"

#include <ctype.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)
/* Shortest interval: below it the schedule is mostly poll latency. */
#define MIN_INTERVAL (10 * NS_PER_MS)
/* Longest duration accepted anywhere: a year. */
#define MAX_DURATION_S (366 * 86400)
#define MAX_DURATION (MAX_DURATION_S * NS_PER_S)
/*
 * Linux's PID_MAX_LIMIT on 64-bit systems (kernel.pid_max can be raised
 * up to it, never beyond): a larger pid names no process.
 */
#define PID_LIMIT 4194304

#define CONF(f) .conf_at = offsetof(struct collect_conf, f)
#define TARGET(f) .target_at = offsetof(struct collect_target, f)
#define BOTH(f) CONF(f), TARGET(f)
#define ALL (CS_ROOT | CS_TARGET | CS_SPEC)

/*
 * Every setting of a run, in configuration files (the top level and
 * target groups) and -t specs. A file's numbers are held to min..max
 * where they are read; a spec's numbers are positive (their checks
 * against the interval come in collect_conf_finish(), for both).
 */
const struct collect_setting collect_settings[] = {
	{ "output", CS_STRING, CS_ROOT, 1, 0, 0, CONF(output),
	  .help = "the output directory" },
	{ "interval", CS_DURATION, ALL, 1, MAX_DURATION_S, 0,
	  BOTH(interval_ns), .help = "time between rounds" },
	/* At the top level "auto" asks for the default, which depends on
	 * each target's interval (collect_target_timeout()). */
	{ "timeout", CS_DURATION, CS_ROOT, 1, MAX_DURATION_S, 1,
	  CONF(timeout_ns), .help = "longest fetch" },
	{ "timeout", CS_DURATION, CS_TARGET | CS_SPEC, 1, MAX_DURATION_S,
	  0, TARGET(timeout_ns), .help = "longest fetch" },
	{ "duration", CS_DURATION, CS_ROOT, 0, MAX_DURATION_S, 0,
	  CONF(duration_ns), .help = "stop after this long; 0: never" },
	{ "rounds", CS_INT, CS_ROOT, 0, INT32_MAX, 0, CONF(rounds),
	  .help = "stop after this many rounds; 0: never" },
	{ "profiles", CS_KINDS, ALL, 0, 0, 0, BOTH(kinds),
	  .set = CT_SET_KINDS, .help = "the kinds of samples to take" },
	{ "gc", CS_BOOL, ALL, 0, 0, 0, BOTH(gc), .set = CT_SET_GC,
	  .help = "run a GC before each heap profile" },
	{ "seconds", CS_INT, ALL, 0, 3600, 0, BOTH(seconds),
	  .set = CT_SET_SECONDS,
	  .help = "delta profiles over this many seconds" },
	{ "headers", CS_HEADERS, CS_ROOT | CS_TARGET, 0, 0, 0,
	  BOTH(headers),
	  .conf_count_at = offsetof(struct collect_conf, nheaders),
	  .target_count_at = offsetof(struct collect_target, nheaders),
	  .set = CT_SET_HEADERS, .help = "HTTP headers, ${VAR} expanded" },
	{ "labels", CS_LABELS, CS_ROOT | CS_TARGET, 0, 0, 0, BOTH(labels),
	  .set = CT_SET_LABELS, .help = "labels for the manifest" },
	{ "max-body", CS_SIZE, CS_ROOT, 0, 0, 0, CONF(max_body),
	  .help = "largest response" },
	{ "max-inflated", CS_SIZE, CS_ROOT, 0, 0, 0, CONF(max_inflated),
	  .help = "largest a gzipped profile may inflate to" },
	{ "keep", CS_DURATION, CS_ROOT, 0, MAX_DURATION_S, 0, CONF(keep_ns),
	  .help = "remove samples older than this; 0: keep them all" },
	{ "max-size", CS_SIZE, CS_ROOT, 0, 0, 0, CONF(max_size),
	  .help = "remove the oldest samples past this many bytes" },
	{ "spread", CS_BOOL, CS_ROOT, 0, 0, 0, CONF(spread),
	  .help = "spread targets over the interval" },
	{ "fsync", CS_BOOL, CS_ROOT, 0, 0, 0, CONF(fsync),
	  .help = "fsync each file before its rename" },
	{ "max-connections", CS_COUNT, CS_ROOT, 1, 4096, 0,
	  CONF(max_connections), .help = "fetches in flight at once" },
	{ "listen", CS_STRING, CS_ROOT, 0, 0, 0, CONF(listen),
	  .help = "serve /metrics on HOST:PORT" },
	{ "targets-from", CS_STRING, CS_ROOT, 1, 0, 0, CONF(targets_from),
	  .help = "a Prometheus whose active targets are sampled" },
	{ "match", CS_STRING, CS_ROOT, 0, 0, 0, CONF(match),
	  .help = "a label selector for the targets found" },
	{ "file-sd", CS_PATHS, CS_ROOT, 0, 0, 0, CONF(file_sd),
	  .conf_count_at = offsetof(struct collect_conf, nfile_sd),
	  .help = "file_sd files (JSON or YAML; globs), re-read on change" },
	{ "refresh", CS_DURATION, CS_ROOT, 1, MAX_DURATION_S, 0,
	  CONF(refresh_ns), .help = "how often targets are found again" },
	{ "pprof-path", CS_STRING, CS_ROOT, 1, 0, 0, CONF(pprof_path),
	  .help = "where found targets serve pprof (/debug/pprof/)" },
	{ "pprof-port", CS_INT, CS_ROOT, 1, 65535, 0, CONF(pprof_port),
	  .help = "the port found targets serve pprof on" },
	{ "targets", CS_TARGETS, CS_ROOT, 0, 0, 0, CONF(targets),
	  .help = "the services to sample" },
	{ "name", CS_NAME, CS_TARGET, 0, 0, 0, TARGET(name),
	  .help = "the target's name, in file names" },
	{ "url", CS_URL, CS_TARGET, 0, 0, 0, TARGET(url),
	  .help = "http://, https:// or unix:/PATH:http://" },
	{ "pid", CS_INT, CS_TARGET | CS_SPEC, 1, PID_LIMIT, 0, TARGET(pid),
	  .help = "the target's process" },
	{ "pidfile", CS_STRING, CS_TARGET | CS_SPEC, 0, 0, 0,
	  TARGET(pidfile), .help = "a file holding the process's pid" },
	{ "process", CS_STRING, CS_TARGET | CS_SPEC, 0, 0, 0,
	  TARGET(process), .help = "the process's command name" },
	{ "insecure", CS_BOOL, CS_TARGET, 0, 0, 0, TARGET(insecure),
	  .help = "https without certificate checks" },
	{ "ca-file", CS_STRING, CS_TARGET, 0, 0, 0, TARGET(ca_file),
	  .help = "certificates to check https with" },
	{ NULL, CS_STRING, 0, 0, 0, 0, .help = NULL },
};

const struct collect_setting *collect_setting_find(const char *name,
						   unsigned where)
{
	const struct collect_setting *s;

	for (s = collect_settings; s->name; s++)
		if ((s->where & where) && !strcmp(s->name, name))
			return s;
	return NULL;
}

const char *collect_setting_names(unsigned where)
{
	/*
	 * As the messages have always listed them, in each place's own
	 * order (tests compare the messages; test_collect.c checks that
	 * each list names its place's rows of the table, no more).
	 */
	switch (where) {
	case CS_ROOT:
		return "output, interval, timeout, duration, rounds, "
		       "profiles, gc, seconds, headers, labels, max-body, "
		       "max-inflated, keep, max-size, spread, fsync, max-connections, listen, "
		       "targets-from, match, file-sd, refresh, pprof-path, "
		       "pprof-port, targets";
	case CS_TARGET:
		return "name, url, profiles, gc, seconds, interval, timeout, "
		       "pid, pidfile, process, headers, labels, insecure, "
		       "ca-file";
	case CS_SPEC:
		return "pid, pidfile, process, profiles, gc, seconds, "
		       "interval, timeout";
	}
	BUG("no settings for place %u", where);
}

void *collect_setting_at(const struct collect_setting *s, unsigned where,
			 struct collect_conf *conf, struct collect_target *t)
{
	BUG_ON(!(s->where & where));
	if (where == CS_ROOT)
		return (char *)conf + s->conf_at;
	t->set |= s->set;
	return (char *)t + s->target_at;
}

size_t *collect_setting_count_at(const struct collect_setting *s,
				 unsigned where, struct collect_conf *conf,
				 struct collect_target *t)
{
	BUG_ON(s->type != CS_HEADERS && s->type != CS_PATHS);
	if (where == CS_ROOT)
		return (size_t *)((char *)conf + s->conf_count_at);
	return (size_t *)((char *)t + s->target_count_at);
}

static char **copy_strv(char **v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof(*c));
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- settings ------------------------------------------------------ */

void collect_conf_init(struct collect_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->output = xstrdup(COLLECT_DEFAULT_OUTPUT);
	conf->interval_ns = COLLECT_DEFAULT_INTERVAL;
	conf->kinds = CK_DEFAULT;
	conf->labels = xstrdup("");
	conf->max_body = COLLECT_DEFAULT_MAX_BODY;
	conf->max_inflated = COLLECT_DEFAULT_MAX_INFLATED;
	conf->spread = 1;
	conf->fsync = 1;
	conf->max_connections = COLLECT_DEFAULT_MAX_CONNECTIONS;
}

void collect_target_release(struct collect_target *t)
{
	free(t->name);
	free(t->url);
	free(t->base);
	free(t->unix_socket);
	free(t->host);
	free(t->pidfile);
	free(t->process);
	free_strv(t->headers, t->nheaders);
	free(t->labels);
	free(t->ca_file);
	free(t->origin);
	memset(t, 0, sizeof(*t));
}

void collect_conf_release(struct collect_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->ntargets; i++)
		collect_target_release(&conf->targets[i]);
	free(conf->targets);
	free(conf->output);
	free_strv(conf->headers, conf->nheaders);
	free(conf->labels);
	free(conf->listen);
	free(conf->targets_from);
	free(conf->match);
	free_strv(conf->file_sd, conf->nfile_sd);
	free(conf->pprof_path);
	free(conf->source);
	memset(conf, 0, sizeof(*conf));
}

struct collect_target *collect_conf_add(struct collect_conf *conf)
{
	struct collect_target *t;

	conf->targets = xrealloc(conf->targets, (conf->ntargets + 1) *
				 sizeof(*conf->targets));
	t = &conf->targets[conf->ntargets++];
	memset(t, 0, sizeof(*t));
	return t;
}

void collect_conf_add_default_target(struct collect_conf *conf)
{
	struct collect_target *t = collect_conf_add(conf);
	char err[COLLECT_ERR];

	t->name = xstrdup(COLLECT_DEFAULT_NAME);
	t->origin = xstrdup("built-in default target");
	if (collect_set_url(t, COLLECT_DEFAULT_URL, err) < 0)
		BUG("the default target URL: %s", err);
}

int64_t collect_target_interval(const struct collect_conf *conf,
				const struct collect_target *t)
{
	return t->interval_ns ? t->interval_ns : conf->interval_ns;
}

int64_t collect_target_timeout(const struct collect_conf *conf,
			       const struct collect_target *t)
{
	int64_t ivl = collect_target_interval(conf, t);

	if (t->timeout_ns)
		return t->timeout_ns;
	if (conf->timeout_ns)
		return conf->timeout_ns;
	/* A delta profile takes its seconds first: what is left. */
	ivl -= t->seconds * NS_PER_S;
	if (ivl <= 0)
		return 0;
	/* A quarter of it is left for the body's check and save: a target
	 * that always times out then still has every round, where a timeout
	 * equal to the interval made it end just as the next round was due,
	 * and every other round was skipped. */
	ivl -= ivl / 4;
	return ivl < COLLECT_MAX_TIMEOUT ? ivl : COLLECT_MAX_TIMEOUT;
}

/* The settings t does not give itself come from the whole (conf). */
static void inherit(const struct collect_conf *conf, struct collect_target *t)
{
	if (!(t->set & CT_SET_KINDS))
		t->kinds = conf->kinds;
	if (!(t->set & CT_SET_GC))
		t->gc = conf->gc;
	if (!(t->set & CT_SET_SECONDS))
		t->seconds = conf->seconds;
	if (!(t->set & CT_SET_HEADERS)) {
		free_strv(t->headers, t->nheaders);
		t->headers = copy_strv(conf->headers, conf->nheaders);
		t->nheaders = conf->nheaders;
	}
	if (!(t->set & CT_SET_LABELS)) {
		free(t->labels);
		t->labels = xstrdup(conf->labels);
	}
}

/*
 * t's times must fit its interval: a round that cannot end before the
 * next is due would skip every other round (see collect_target_timeout).
 */
static int check_times(const struct collect_conf *conf,
		       const struct collect_target *t, char err[COLLECT_ERR])
{
	int64_t ivl = collect_target_interval(conf, t), tmo;
	char a[DURATION_TEXT_MAX], b[DURATION_TEXT_MAX];

	if (ivl < MIN_INTERVAL) {
		collect_seterr(err, "%s: target '%s': interval %s is below the "
			       "minimum of %s", t->origin, t->name,
			       duration_format(ivl, a),
			       duration_format(MIN_INTERVAL, b));
		return -1;
	}
	if (t->seconds * NS_PER_S >= ivl) {
		collect_seterr(err, "%s: target '%s': seconds=%" PRId64 " must "
			       "be below the interval %s", t->origin, t->name,
			       t->seconds, duration_format(ivl, b));
		return -1;
	}
	tmo = collect_target_timeout(conf, t);
	if (tmo > ivl) {
		collect_seterr(err, "%s: target '%s': timeout %s exceeds the "
			       "interval %s", t->origin, t->name,
			       duration_format(tmo, a),
			       duration_format(ivl, b));
		return -1;
	}
	if (t->seconds && t->seconds * NS_PER_S + tmo > ivl) {
		collect_seterr(err, "%s: target '%s': seconds=%" PRId64 " plus "
			       "the timeout %s exceed the interval %s",
			       t->origin, t->name, t->seconds,
			       duration_format(tmo, a),
			       duration_format(ivl, b));
		return -1;
	}
	return 0;
}

int collect_target_finish(const struct collect_conf *conf,
			  struct collect_target *t, char err[COLLECT_ERR])
{
	inherit(conf, t);
	/* Process memory needs a process on this machine. */
	if (!t->local && !t->pid && !t->pidfile && !t->process &&
	    (t->kinds & CK_MEMORY)) {
		if (t->set & CT_SET_KINDS) {
			collect_seterr(err, "%s: target '%s': process memory "
				       "needs a local URL or pid, pidfile or "
				       "process", t->origin, t->name);
			return -1;
		}
		t->kinds &= ~CK_MEMORY;
	}
	if (!t->kinds) {
		collect_seterr(err, "%s: target '%s': no profiles to take",
			       t->origin, t->name);
		return -1;
	}
	return check_times(conf, t, err);
}

int collect_conf_finish(struct collect_conf *conf, char err[COLLECT_ERR])
{
	size_t i, j;

	if (!conf->ntargets && !collect_discovers(conf)) {
		collect_seterr(err, "no targets (give -t NAME=URL, targets "
			       "in the configuration, --targets-from or "
			       "--file-sd)");
		return -1;
	}
	if (!conf->output || !*conf->output) {
		collect_seterr(err, "no output directory");
		return -1;
	}
	for (i = 0; i < conf->ntargets; i++) {
		struct collect_target *t = &conf->targets[i];

		for (j = 0; j < i; j++)
			if (!strcmp(conf->targets[j].name, t->name)) {
				collect_seterr(err, "%s: target '%s' already "
					       "defined at %s", t->origin,
					       t->name,
					       conf->targets[j].origin);
				return -1;
			}
		if (collect_target_finish(conf, t, err) < 0)
			return -1;
	}
	for (i = 0; conf->keep_ns && i <= conf->ntargets; i++) {
		int64_t iv = i < conf->ntargets ? conf->targets[i].interval_ns :
			     conf->interval_ns;
		char k[DURATION_TEXT_MAX], v[DURATION_TEXT_MAX];

		if (iv && conf->keep_ns < 2 * iv) {
			collect_seterr(err, "keep %s is less than two intervals "
				       "(%s): no trend could be read from what "
				       "it keeps",
				       duration_format(conf->keep_ns, k),
				       duration_format(iv, v));
			return -1;
		}
	}
	/* A gzip bomb under --max-body is refused at this cap: checking it
	 * costs time and memory in proportion to the cap, not to the 256M
	 * default, when the body limit is small. */
	if (conf->max_body &&
	    conf->max_inflated / COLLECT_INFLATE_RATIO > conf->max_body)
		conf->max_inflated = conf->max_body * COLLECT_INFLATE_RATIO;
	return 0;
}

int collect_discovers(const struct collect_conf *conf)
{
	return conf->targets_from || conf->nfile_sd;
}

int64_t collect_refresh(const struct collect_conf *conf)
{
	int64_t r = conf->refresh_ns;

	if (r)
		return r;
	r = conf->interval_ns > COLLECT_REFRESH_MAX / 3 ?
		COLLECT_REFRESH_MAX : 3 * conf->interval_ns;
	return r < COLLECT_REFRESH_MIN ? COLLECT_REFRESH_MIN : r;
}

/* ---- durations, kinds, names --------------------------------------- */

int collect_check_name(const char *name, char err[COLLECT_ERR])
{
	size_t i, n = strlen(name);

	if (!n || n > 64 || !isalnum((unsigned char)name[0]))
		goto bad;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			goto bad;
	return 0;
bad:
	collect_seterr(err, "bad target name '%s' (letters, digits, '_' and "
		       "'-', starting with a letter or digit, at most 64)",
		       name);
	return -1;
}

char *collect_expand_env(const char *s, char err[COLLECT_ERR])
{
	struct buf b;
	const char *p = s;

	buf_init(&b);
	while (*p) {
		const char *close, *v;
		char *name;

		if (p[0] != '$' || (p[1] != '{' && p[1] != '$')) {
			buf_add(&b, p++, 1);
			continue;
		}
		if (p[1] == '$') {
			buf_add(&b, "$", 1);
			p += 2;
			continue;
		}
		close = strchr(p + 2, '}');
		if (!close || close == p + 2) {
			collect_seterr(err, "bad ${NAME} in '%s'", s);
			goto fail;
		}
		name = xstrndup(p + 2, (size_t)(close - p - 2));
		v = getenv(name);
		if (!v) {
			collect_seterr(err, "environment variable %s is not "
				       "set", name);
			free(name);
			goto fail;
		}
		free(name);
		buf_addstr(&b, v);
		p = close + 1;
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
fail:
	buf_release(&b);
	return NULL;
}

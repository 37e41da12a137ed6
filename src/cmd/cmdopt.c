/* SPDX-License-Identifier: Apache-2.0 */
/* Options shared by the snapshot commands (command layer: may exit). */
#include "cmd/cmdopt.h"
#include "analyze/rounds.h"
#include "analyze/series.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/parmap.h"
#include "decode/reader.h"
#include "model/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cmd_size_cb(const struct opt *o, void *field, const char *arg)
{
	size_t v;

	if (parse_size(arg, &v) < 0 || !v)
		usage_die("bad size for %s: '%s'", opt_name(o), arg);
	*(size_t *)field = v;
}

void cmd_jobs_cb(const struct opt *o, void *field, const char *arg)
{
	char *end;
	unsigned long v;

	(void)o;
	v = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || v < 1 ||
	    v > PARMAP_MAX_JOBS)
		usage_die("bad -j '%s' (from 1 to %d files at a time)", arg,
			  PARMAP_MAX_JOBS);
	*(unsigned *)field = (unsigned)v;
}

void cmd_list_cb(const struct opt *o, void *field, const char *arg)
{
	struct cmd_list *l = field;

	(void)o;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = arg;
}

void cmd_time_cb(const struct opt *o, void *field, const char *arg)
{
	(void)o;
	if (csvout_time_parse(arg, field) < 0)
		usage_die("bad --time '%s' (rfc3339, unix or unixms)", arg);
}

const struct opt snap_opt_table[] = {
	OPT_CB_VALUES('\0', "time", "STYLE", struct snap_opts, time_style,
		      cmd_time_cb, 0, CMD_TIME_VALUES,
		      "rfc3339 (default), unix or unixms"),
	OPT_STR('\0', "target", "NAME", struct snap_opts, target,
		"target name instead of the one in file names"),
	OPT_STR('o', "output", "FILE", struct snap_opts, output,
		"write FILE whole (temporary name, then rename)"),
	OPT_SET_INT('\0', "force", struct snap_opts, force, 1,
		    "let -o replace an existing FILE"),
	OPT_SET_INT('\0', "csv-raw", struct snap_opts, csv_raw, 1,
		    "names starting with = + - @ tab CR or ' as they\n"
		    "are, without the ' that keeps spreadsheets from\n"
		    "running them as formulas"),
	OPT_CB('\0', "max-input", "SIZE", struct snap_opts, lim.max_input,
	       cmd_size_cb, 0, "largest input file (default 1G)"),
	OPT_CB('j', "jobs", "N", struct snap_opts, jobs, cmd_jobs_cb, 0,
	       "decode N files at a time (default: one per core);\n"
	       "the output is the same whatever N"),
	OPT_END_ENTRY,
};

const struct opt snap_limit_table[] = {
	OPT_CB('\0', "max-inflated", "SIZE", struct snap_opts,
	       lim.max_inflated, cmd_size_cb, 0,
	       "largest inflated profile (default 256M)"),
	OPT_CB('\0', "max-memory", "SIZE", struct snap_opts, lim.max_memory,
	       cmd_size_cb, 0,
	       "memory one profile may take: input, inflated and\n"
	       "decoded (default 1G)"),
	OPT_END_ENTRY,
};

int64_t cmd_duration(const char *s, const char *opt, int zero_ok,
		     const struct duration_syntax *syn)
{
	int64_t v;

	if (duration_parse(s, &v, syn) < 0 || (!zero_ok && !v))
		usage_die("bad %s '%s' (%s)", opt, s, syn->hint);
	return v;
}

void cmd_regex(regex_t *re, const char *pattern, const char *opt)
{
	char msg[256];
	int r = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (r) {
		regerror(r, re, msg, sizeof(msg));
		usage_die("bad %s regular expression '%s': %s", opt, pattern,
			  msg);
	}
}

/*
 * What both input loops hold: the inputs, the collector's rounds (for
 * series_identify(), on the caller's thread only) and the status. First
 * in each loop's own context, which parmap hands to its callbacks.
 */
struct each {
	const struct snap_opts *io;
	char *const *paths;
	void *ctx;
	struct rounds *rounds;
	int ret;
};

/* Runs a loop over n inputs: LEAKY_OK, or LEAKY_FAIL if one failed. */
static int run_each(const struct parmap_ops *ops, size_t n, struct each *e)
{
	e->rounds = rounds_new();
	e->ret = LEAKY_OK;
	parmap_run(ops, n, e->io->jobs, e);
	rounds_free(e->rounds);
	return e->ret;
}

/* One text file read on a worker: its bytes, and parse()'s result. */
struct text_item {
	struct buf b;
	time_t mtime;
	void *parsed;
	int ok;
};

struct each_text {
	struct each e;
	const struct cmd_text_ops *ops;
	size_t nadded;
};

static void *text_work(void *w, size_t i, void *ctx)
{
	struct each_text *e = ctx;
	struct text_item *it = xcalloc(1, sizeof(*it));
	struct file_info info = { 0 };
	struct cmd_text t = { .path = e->e.paths[i] };

	(void)w;
	buf_init(&it->b);
	if (buf_read_file(&it->b, t.path, e->e.io->lim.max_input, &info) < 0)
		return it;
	/* procfs gives its files a meaningless mtime: read = now */
	it->mtime = strncmp(t.path, "/proc/", 6) ? info.mtime : time(NULL);
	it->ok = 1;
	if (e->ops->parse) {
		t.data = (const char *)it->b.data;
		t.len = it->b.len;
		it->parsed = e->ops->parse(&t);
		it->ok = it->parsed != NULL;
	}
	return it;
}

static void text_emit(size_t i, void *result, void *ctx)
{
	struct each_text *e = ctx;
	struct text_item *it = result;
	struct cmd_text t = { .path = e->e.paths[i] };
	char *target = NULL;

	if (!it->ok) {
		e->e.ret = LEAKY_FAIL;
		goto out;
	}
	series_identify(t.path, e->e.io->target, e->e.rounds, 0, 0,
			(int64_t)it->mtime, &target, &t.nanos);
	t.data = (const char *)it->b.data;
	t.len = it->b.len;
	t.target = target;
	if (e->ops->add(&t, it->parsed, e->e.ctx) < 0)
		e->e.ret = LEAKY_FAIL;
	else
		e->nadded++;
	free(target);
out:
	if (it->parsed)
		e->ops->parsed_free(it->parsed);
	buf_release(&it->b);
	free(it);
}

int cmd_each_text(const struct snap_opts *io, char *const *paths, size_t n,
		  const struct cmd_text_ops *ops, void *ctx, size_t *nadded)
{
	static const struct parmap_ops pops = {
		.work = text_work,
		.emit = text_emit,
	};
	struct each_text e = { { io, paths, ctx, NULL, 0 }, ops, 0 };
	int ret = run_each(&pops, n, &e.e);

	*nadded = e.nadded;
	return ret;
}

/* One profile decoded on a worker, and its file's mtime. */
struct profile_item {
	struct profile *p;
	int64_t mtime;
};

struct each_profile {
	struct each e;
	int (*add)(const struct cmd_snap *s, void *ctx);
};

/* A worker's reader: its buffers serve file after file. */
static void *profile_worker_new(void *ctx)
{
	struct each_profile *e = ctx;
	struct prof_reader *r = xmalloc(sizeof(*r));

	prof_reader_init(r, &e->e.io->lim);
	return r;
}

static void profile_worker_free(void *w)
{
	prof_reader_release(w);
	free(w);
}

static void *profile_work(void *w, size_t i, void *ctx)
{
	struct each_profile *e = ctx;
	struct profile_item *it = xcalloc(1, sizeof(*it));

	it->p = prof_reader_load(w, e->e.paths[i], &it->mtime);
	return it;
}

static void profile_emit(size_t i, void *result, void *ctx)
{
	struct each_profile *e = ctx;
	struct profile_item *it = result;
	struct cmd_snap s = { .path = e->e.paths[i], .p = it->p };
	char *target = NULL;

	if (!it->p) {
		e->e.ret = LEAKY_FAIL;
		free(it);
		return;
	}
	series_identify(s.path, e->e.io->target, e->e.rounds,
			it->p->has_time, it->p->time_nanos, it->mtime,
			&target, &s.nanos);
	s.target = target;
	if (e->add(&s, e->e.ctx) < 0)
		e->e.ret = LEAKY_FAIL;
	free(target);
	profile_free(it->p);
	free(it);
}

int cmd_each_profile(const struct snap_opts *io, char *const *paths,
		     size_t n, int (*add)(const struct cmd_snap *s, void *ctx),
		     void *ctx)
{
	static const struct parmap_ops pops = {
		.worker_new = profile_worker_new,
		.worker_free = profile_worker_free,
		.work = profile_work,
		.emit = profile_emit,
	};
	struct each_profile e = { { io, paths, ctx, NULL, 0 }, add };

	return run_each(&pops, n, &e.e);
}

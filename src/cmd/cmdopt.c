/* SPDX-License-Identifier: Apache-2.0 */
/* Options shared by the snapshot commands (command layer: may exit). */
#include "cmd/cmdopt.h"
#include "analyze/rounds.h"
#include "analyze/series.h"
#include "base/buf.h"
#include "base/leaky.h"
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

int cmd_each_text(const struct snap_opts *io, char *const *paths, size_t n,
		  int (*add)(const struct cmd_text *t, void *ctx), void *ctx,
		  size_t *nadded)
{
	struct rounds *rounds = rounds_new();
	int ret = LEAKY_OK;
	struct buf b;
	size_t i;

	buf_init(&b);
	*nadded = 0;
	for (i = 0; i < n; i++) {
		struct file_info info = { 0 };
		struct cmd_text t = { .path = paths[i] };
		char *target = NULL;

		if (buf_read_file(&b, t.path, io->lim.max_input, &info) < 0) {
			ret = LEAKY_FAIL;
			continue;
		}
		/* procfs gives its files a meaningless mtime: read = now */
		if (!strncmp(t.path, "/proc/", 6))
			info.mtime = time(NULL);
		series_identify(t.path, io->target, rounds, 0, 0,
				(int64_t)info.mtime, &target, &t.nanos);
		t.data = (const char *)b.data;
		t.len = b.len;
		t.target = target;
		if (add(&t, ctx) < 0)
			ret = LEAKY_FAIL;
		else
			++*nadded;
		free(target);
	}
	buf_release(&b);
	rounds_free(rounds);
	return ret;
}

int cmd_each_profile(const struct snap_opts *io, char *const *paths,
		     size_t n, int (*add)(const struct cmd_snap *s, void *ctx),
		     void *ctx)
{
	struct prof_reader reader;
	struct rounds *rounds = rounds_new();
	int ret = LEAKY_OK;
	size_t i;

	prof_reader_init(&reader, &io->lim);
	for (i = 0; i < n; i++) {
		struct cmd_snap s = { .path = paths[i] };
		struct profile *p;
		char *target = NULL;
		int64_t mtime = 0;

		p = prof_reader_load(&reader, s.path, &mtime);
		if (!p) {
			ret = LEAKY_FAIL;
			continue;
		}
		series_identify(s.path, io->target, rounds, p->has_time,
				p->time_nanos, mtime, &target, &s.nanos);
		s.p = p;
		s.target = target;
		if (add(&s, ctx) < 0)
			ret = LEAKY_FAIL;
		free(target);
		profile_free(p);
	}
	prof_reader_release(&reader);
	rounds_free(rounds);
	return ret;
}

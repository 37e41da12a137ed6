/* SPDX-License-Identifier: Apache-2.0 */
/* The time of a collector round, from file names and manifests. */
#include "analyze/rounds.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "collect/collstore.h"
#include "out/csvout.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The largest manifest read for times. A week of 1-second rounds of six
 * fetches is some 300 MB; past this the file names' seconds serve.
 */
#define ROUNDS_MAX_MANIFEST ((size_t)1 << 30)

/* One collect directory: its manifest's files and their rounds' times. */
struct rdir {
	char *dir;		/* realpath() of the directory */
	struct strmap *files;	/* the `file` column, as written */
	int64_t *times;		/* by id in files */
	size_t cap;
};

struct rounds {
	struct rdir *dirs;
	size_t n, cap;
};

struct rounds *rounds_new(void)
{
	return xcalloc(1, sizeof(struct rounds));
}

void rounds_free(struct rounds *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->dirs[i].dir);
		strmap_free(r->dirs[i].files);
		free(r->dirs[i].times);
	}
	free(r->dirs);
	free(r);
}

/* Reading one manifest: where its columns are, and where rows go. */
struct mread {
	struct rdir *d;
	long col_time, col_file;
	size_t ncols;
	int header;
};

/* Where the header f[0..n) has name: its index, or -1. */
static long header_column(const char *const *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n && strcmp(f[i], name); i++)
		;
	return i < n ? (long)i : -1;
}

static int manifest_row(const char *const *f, size_t n, void *ctx)
{
	struct mread *m = ctx;
	int64_t when;
	uint32_t id;

	if (!m->header) {
		m->header = 1;
		m->ncols = n;
		m->col_time = header_column(f, n, "time");
		m->col_file = header_column(f, n, "file");
		return 0;
	}
	/* A row cut short or run together: none of its fields is sure. */
	if (n != m->ncols || m->col_time < 0 || m->col_file < 0 ||
	    !f[m->col_file][0] || csv_parse_time(f[m->col_time], &when) < 0)
		return 0;
	id = strmap_intern(m->d->files, f[m->col_file],
			   strlen(f[m->col_file]), NULL);
	m->d->times = xgrow(m->d->times, &m->d->cap, (size_t)id + 1,
			    sizeof(*m->d->times));
	m->d->times[id] = when;
	return 0;
}

/* Drops the messages of a manifest that is read for its times only. */
static void quiet(void *data, const char *msg)
{
	(void)data;
	(void)msg;
}

/*
 * Reads dir/manifest.csv into d, record by record as leaky report does,
 * so that a damaged row costs that row only. Nothing to read: d empty.
 */
static void read_manifest(struct rdir *d, const char *dir)
{
	struct mread m = { .d = d };
	struct error_sink was;
	struct stat st;
	struct buf b;
	size_t len = strlen(dir) + 16, at = 0, rl;
	char *path = xmalloc(len);
	int broken;

	snprintf(path, len, "%s/manifest.csv", dir);
	buf_init(&b);
	was = error_sink_set((struct error_sink){ quiet, NULL });
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    buf_read_file(&b, path, ROUNDS_MAX_MANIFEST, NULL) < 0)
		goto out;
	while (at < b.len) {
		const char *p = (const char *)b.data + at;

		rl = collstore_record(p, b.len - at, &broken);
		if (!rl)
			break;	/* a partial last row: being written */
		if (!broken)
			csv_read(path, p, rl, manifest_row, &m);
		at += rl;
	}
out:
	error_sink_set(was);
	buf_release(&b);
	free(path);
}

/* The directory holding path's kind folder, read when first seen. */
static struct rdir *find_dir(struct rounds *r, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent, *real;
	size_t i, len;
	struct rdir *d;

	/* "KIND/F" or "F": the collect directory is KIND/.. or .. */
	len = slash ? (size_t)(slash - path) : 0;
	parent = xmalloc(len + 8);
	if (slash)
		snprintf(parent, len + 8, "%.*s/..", (int)len, path);
	else
		snprintf(parent, len + 8, "..");
	real = realpath(parent, NULL);
	free(parent);
	if (!real)
		return NULL;
	for (i = 0; i < r->n; i++) {
		if (!strcmp(r->dirs[i].dir, real)) {
			free(real);
			return &r->dirs[i];
		}
	}
	r->dirs = xgrow(r->dirs, &r->cap, r->n + 1, sizeof(*r->dirs));
	d = &r->dirs[r->n++];
	memset(d, 0, sizeof(*d));
	d->dir = real;
	d->files = strmap_new();
	read_manifest(d, real);
	return d;
}

/* "KIND/F" for path ".../KIND/F": the manifest's name of the file. */
static char *manifest_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path, *kind;
	char *dir, *real, *name;
	size_t n;

	dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	/* The kind folder's own name, also for "." or "profiles/." */
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	kind = strrchr(real, '/');
	kind = kind ? kind + 1 : real;
	n = strlen(kind) + strlen(base) + 2;
	name = xmalloc(n);
	snprintf(name, n, "%s/%s", kind, base);
	free(real);
	return name;
}

int64_t rounds_time(struct rounds *r, const char *path, int64_t unix_secs)
{
	int64_t secs = unix_secs * 1000000000, t;
	struct rdir *d;
	char *name;
	long id;

	if (!r || !strcmp(path, "-"))
		return secs;
	d = find_dir(r, path);
	if (!d || !strmap_count(d->files))
		return secs;
	name = manifest_name(path);
	if (!name)
		return secs;
	id = strmap_find(d->files, name, strlen(name));
	free(name);
	if (id < 0)
		return secs;
	t = d->times[id];
	/*
	 * The collector names a round's files after the second its manifest
	 * time falls in; a row that says otherwise is not this file's (a
	 * manifest copied from elsewhere), and the name's second stands.
	 */
	if (t < secs || t >= secs + 1000000000)
		return secs;
	return t;
}

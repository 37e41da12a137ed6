/* SPDX-License-Identifier: Apache-2.0 */
/* Reading collect directories into per-target series. */
#include "report/dataset.h"
#include "analyze/agg.h"
#include "analyze/gorout.h"
#include "analyze/rounds.h"
#include "analyze/series.h"
#include "analyze/stats.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/parmap.h"
#include "base/strmap.h"
#include "collect/collstore.h"
#include "decode/fds.h"
#include "decode/procmem.h"
#include "decode/reader.h"
#include "decode/sniff.h"
#include "model/profile.h"
#include "out/csvout.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct loader {
	struct dataset *ds;
	struct prof_limits lim;
	struct buf raw;		/* the manifests' bytes */
	/* what each worker's aggregators are made with (ds_worker) */
	struct agg_opts flat_opts, cum_opts;
	struct gor_opts gor_opts;
	struct rounds *rounds;	/* the manifests' round times */
	int64_t *by_id;		/* scratch: flat value per function id */
	size_t nby_id, cap_by_id;
};

const char *ds_func_name(const struct dataset *ds, uint32_t id)
{
	return strmap_str(ds->funcs, id);
}

size_t ds_nfuncs(const struct dataset *ds)
{
	return strmap_count(ds->funcs);
}

size_t ds_ngroups(const struct dataset *ds)
{
	return strmap_count(ds->groups);
}

size_t ds_nstats(const struct dataset *ds)
{
	return strmap_count(ds->stats);
}

const char *ds_stat_name(const struct dataset *ds, uint32_t id)
{
	return strmap_str(ds->stats, id);
}

long ds_stat_id(const struct dataset *ds, const char *key)
{
	return strmap_find(ds->stats, key, strlen(key));
}

double ds_stat(const struct ds_stats *s, long id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((long)s->keys[i] == id)
			return s->values[i];
	return NAN;
}

static struct ds_target *target(struct dataset *ds, const char *name)
{
	struct ds_target *t;
	size_t i;

	for (i = 0; i < ds->ntargets; i++)
		if (!strcmp(ds->targets[i].name, name))
			return &ds->targets[i];
	ds->targets = xgrow(ds->targets, &ds->captargets, ds->ntargets + 1,
			    sizeof(*ds->targets));
	t = &ds->targets[ds->ntargets++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	return t;
}

static void add_restart(struct ds_target *t, int64_t when, const char *why)
{
	t->restarts = xgrow(t->restarts, &t->caprestarts, t->nrestarts + 1,
			    sizeof(*t->restarts));
	t->restarts[t->nrestarts].t = when;
	t->restarts[t->nrestarts].why = xstrdup(why);
	t->nrestarts++;
}

/*
 * A new heap snapshot of t at when: among the text dumps (text), which
 * finish_target() keeps only for a target without profile.proto heaps.
 */
static struct ds_heap *new_heap(struct ds_target *t, int64_t when, int text)
{
	struct ds_heap *h;

	if (text) {
		t->textheap = xgrow(t->textheap, &t->captextheap,
				    t->ntextheap + 1, sizeof(*t->textheap));
		h = &t->textheap[t->ntextheap++];
	} else {
		t->heap = xgrow(t->heap, &t->capheap, t->nheap + 1,
				sizeof(*t->heap));
		h = &t->heap[t->nheap++];
	}
	memset(h, 0, sizeof(*h));
	h->t = when;
	return h;
}

/*
 * The whole heap: every sample, whatever its stack. alloc_space counts
 * since the process started, so detect_restarts() reads a drop in it as
 * a restart; -1 when the profile lacks it.
 */
static void heap_totals(struct ds_heap *h, const struct profile *p,
			int space)
{
	int objects = profile_find_type(p, "inuse_objects");
	int alloc = profile_find_type(p, "alloc_space");
	size_t i;

	for (i = 0; i < p->nsamples; i++) {
		h->inuse_space += p->samples[i].values[space];
		if (objects >= 0)
			h->inuse_objects += p->samples[i].values[objects];
		if (alloc >= 0)
			h->alloc_space += p->samples[i].values[alloc];
	}
	if (alloc < 0)
		h->alloc_space = -1;
}

/*
 * A heap profile's functions as a worker aggregated them (decode_file()):
 * rows by flat and by cum in-use bytes, each row's function name beside
 * it (in the worker's aggregator, whose names live until the load ends).
 */
struct heap_rows {
	struct agg_snapshot fs, cs;
	const char **fnames, **cnames;
	int space;		/* inuse_space's column */
};

/* Names rows of s from aggregator g: the caller frees the array. */
static const char **row_names(const struct agg *g,
			      const struct agg_snapshot *s)
{
	const char **names = xcalloc(s->nrows + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < s->nrows; i++)
		names[i] = agg_key(g, s->keys[i]);
	return names;
}

static void heap_rows_release(struct heap_rows *h)
{
	agg_snapshot_release(&h->fs);
	agg_snapshot_release(&h->cs);
	free(h->fnames);
	free(h->cnames);
}

/* l->by_id[id]: the flat in-use bytes of function id in h, else 0. */
static void index_flat(struct loader *l, const struct heap_rows *h,
		       size_t nt)
{
	struct dataset *ds = l->ds;
	size_t j;

	for (j = 0; j < h->fs.nrows; j++) {
		const char *name = h->fnames[j];
		uint32_t id = strmap_intern(ds->funcs, name, strlen(name),
					    NULL);

		l->by_id = xgrow(l->by_id, &l->cap_by_id, (size_t)id + 1,
				 sizeof(*l->by_id));
		while (l->nby_id <= id)
			l->by_id[l->nby_id++] = 0;
		l->by_id[id] = h->fs.values[j * nt + (size_t)h->space];
	}
}

/* Zeroes what index_flat() set: by_id is scratch for the next heap. */
static void clear_flat(struct loader *l, const struct heap_rows *h)
{
	struct dataset *ds = l->ds;
	size_t j;

	for (j = 0; j < h->fs.nrows; j++) {
		const char *name = h->fnames[j];

		l->by_id[strmap_find(ds->funcs, name, strlen(name))] = 0;
	}
}

/*
 * A heap snapshot: totals and per-function in-use bytes, flat and cum,
 * by function name (pprof's default granularity): report.c ranks
 * functions by flat, whose shares add up to the heap's growth, and shows
 * cum in its CSV. One row per function with cum bytes: a function with
 * flat bytes is on its samples' stacks, and in-use bytes are never
 * negative, so it has cum bytes too: the cum keys cover the flat ones.
 * Function ids are given in the order of this profile's cum rows, profile
 * after profile, as one aggregator on one thread would see them.
 */
static struct ds_heap *add_heap(struct loader *l, struct ds_target *t,
				const struct profile *p,
				const struct heap_rows *hr, int64_t when,
				int text)
{
	struct dataset *ds = l->ds;
	const struct agg_snapshot *cs = &hr->cs;
	struct ds_heap *h = new_heap(t, when, text);
	int space = hr->space;
	size_t i, n = 0, nt = p->ntypes;

	heap_totals(h, p, space);
	h->period = p->period > 0 ? p->period : 0;
	/* what the aggregation left out: the profiler's own samples */
	h->profiler = h->inuse_space - hr->fs.totals[space];
	index_flat(l, hr, nt);
	h->keys = xcalloc(cs->nrows + 1, sizeof(*h->keys));
	h->flat = xcalloc(cs->nrows + 1, sizeof(*h->flat));
	h->cum = xcalloc(cs->nrows + 1, sizeof(*h->cum));
	for (i = 0; i < cs->nrows; i++) {
		const char *name = hr->cnames[i];
		int64_t v = cs->values[i * nt + (size_t)space];
		uint32_t id;

		/* Rows are kept for any type; only in-use bytes matter here. */
		if (!v)
			continue;
		id = strmap_intern(ds->funcs, name, strlen(name), NULL);
		h->keys[n] = id;
		h->cum[n] = v;
		h->flat[n] = id < l->nby_id ? l->by_id[id] : 0;
		n++;
	}
	clear_flat(l, hr);
	h->nrows = n;
	return h;
}

static void add_stats(struct loader *l, struct ds_target *t,
		      const struct profile *p, int64_t when)
{
	struct ds_stats *s;
	size_t i;

	t->stats = xgrow(t->stats, &t->capstats, t->nstats + 1,
			 sizeof(*t->stats));
	s = &t->stats[t->nstats++];
	s->t = when;
	s->n = 0;
	s->keys = xcalloc(p->nstats + 1, sizeof(*s->keys));
	s->values = xcalloc(p->nstats + 1, sizeof(*s->values));
	for (i = 0; i < p->nstats; i++) {
		const char *k = p->stats[i].key, *v = p->stats[i].value;
		char *end;
		double d = strtod(v, &end);

		if (end == v || *end)
			continue;
		s->keys[s->n] = strmap_intern(l->ds->stats, k, strlen(k),
					      NULL);
		s->values[s->n++] = d;
	}
}

static char *group_field(const char *s)
{
	return xstrdup(s ? s : "");
}

/*
 * A goroutine snapshot from the groups a worker made of p (snap, whose
 * strings live in the worker's grouper until the load ends).
 */
static void add_goroutines(struct loader *l, struct ds_target *t,
			   const struct profile *p, const char *path,
			   const struct gor_snapshot *s, int64_t when)
{
	struct dataset *ds = l->ds;
	const struct gor_snapshot snap = *s;
	struct buf key;
	struct ds_gor *g;
	size_t i;

	t->gor = xgrow(t->gor, &t->capgor, t->ngor + 1, sizeof(*t->gor));
	g = &t->gor[t->ngor++];
	g->t = when;
	g->fmt = (int)p->format;
	g->path = xstrdup(path);
	/* All of them: the groups may leave the profiler's own out. */
	g->total = 0;
	for (i = 0; i < p->nsamples && p->ntypes; i++)
		g->total += p->samples[i].values[0];
	g->nrows = snap.ngroups;
	g->keys = xcalloc(snap.ngroups + 1, sizeof(*g->keys));
	g->count = xcalloc(snap.ngroups + 1, sizeof(*g->count));
	g->max_wait = xcalloc(snap.ngroups + 1, sizeof(*g->max_wait));
	buf_init(&key);
	for (i = 0; i < snap.ngroups; i++) {
		const struct gor_group *gr = &snap.groups[i];
		int added;
		uint32_t id;

		key.len = 0;
		buf_addstr(&key, gr->stack ? gr->stack : "");
		buf_add(&key, "\x1f", 1);
		buf_addstr(&key, gr->state ? gr->state : "");
		buf_add(&key, "\x1f", 1);
		buf_addstr(&key, gr->labels ? gr->labels : "");
		id = strmap_intern(ds->groups, (const char *)key.data,
				   key.len, &added);
		if (added) {
			struct ds_group *info;

			ds->group_info = xgrow(ds->group_info,
					       &ds->capgroup_info, id + 1,
					       sizeof(*ds->group_info));
			info = &ds->group_info[id];
			info->stack = group_field(gr->stack);
			info->state = group_field(gr->state);
			info->top = group_field(gr->top);
			info->created_by = group_field(gr->created_by);
			info->labels = group_field(gr->labels);
		}
		g->keys[i] = id;
		g->count[i] = gr->goroutines;
		g->max_wait[i] = gr->max_wait_minutes;
	}
	buf_release(&key);
}

static void add_mem(struct ds_target *t, const struct procmem *pm,
		    int64_t when)
{
	struct ds_mem *m;

	t->mem = xgrow(t->mem, &t->capmem, t->nmem + 1, sizeof(*t->mem));
	m = &t->mem[t->nmem++];
	m->t = when;
	m->pid = pm->pid;
	m->rss_kb = pm->kb[PM_RSS];
	m->anon_kb = pm->kb[PM_ANON];
	m->fmt = (int)pm->format;
}

/*
 * Profiles are gzip, a Go text profile leaky reads, or binary (even after
 * a text header); the rest is process memory.
 */
static int is_profile(const uint8_t *p, size_t n)
{
	enum sniff_kind k = sniff(p, n);

	return k == SNIFF_GZIP || k == SNIFF_HEAP_TEXT ||
	       k == SNIFF_GOROUTINE1 || k == SNIFF_GOROUTINE2 ||
	       !sniff_is_text(p, n, SNIFF_HEAD);
}

/*
 * One snapshot file as a worker read it (decode_file()), for add_file()
 * to put into its target's series on the caller's thread.
 */
struct decoded {
	enum { DEC_BAD, DEC_FDS, DEC_LIMITS, DEC_PROFILE, DEC_MEM } kind;
	int64_t mtime;
	struct fds_snapshot fds;
	struct memlimit limits;
	struct profile *p;
	struct procmem *pm;
	/* what p is to the report, and what the worker made of it */
	enum { USE_SKIP, USE_HEAP, USE_HEAP_TEXT, USE_GOR, USE_BAD_GOR } use;
	struct heap_rows heap;
	struct gor_snapshot gor;
};

/*
 * A worker's buffers, kept from one file to the next, and its own
 * aggregators: aggregating is as much of the work as decoding, and the
 * rows of a profile do not depend on the profiles aggregated before it
 * (they are sorted by value, then name), so each worker aggregates the
 * profiles it decodes, and the caller's thread only gives the functions
 * their ids, in input order.
 */
struct ds_worker {
	struct buf raw, inflated;
	struct agg *flat, *cum;
	struct gor *gor;
};

/* What a profile is to the report; heaps and goroutines aggregated. */
static void aggregate(struct ds_worker *w, const char *path,
		      struct decoded *d)
{
	const struct profile *p = d->p;
	struct heap_rows *h = &d->heap;

	if (p->format == PROF_HEAP_TEXT ||
	    (profile_find_type(p, "inuse_space") >= 0 &&
	     strcmp(p->types[p->default_type].type, "alloc_space"))) {
		/* An allocs profile repeats the heap's data: heap only. */
		d->use = p->format == PROF_HEAP_TEXT ? USE_HEAP_TEXT :
			 USE_HEAP;
		h->space = profile_find_type(p, "inuse_space");
		agg_profile(w->flat, p, (size_t)h->space, &h->fs);
		agg_profile(w->cum, p, (size_t)h->space, &h->cs);
		h->fnames = row_names(w->flat, &h->fs);
		h->cnames = row_names(w->cum, &h->cs);
	} else if (p->ntypes == 1 && !strcmp(p->types[0].unit, "count") &&
		   !strcmp(p->types[0].type, "goroutine")) {
		d->use = gor_profile(w->gor, path, p, &d->gor) < 0 ?
			 USE_BAD_GOR : USE_GOR;
	} else {
		d->use = USE_SKIP;
	}
}

/*
 * Reads and decodes one snapshot file, on a worker: what it is comes from
 * its bytes, not its name. Touches nothing of the loader but its limits.
 */
static struct decoded *decode_file(const struct loader *l,
				   struct ds_worker *w, const char *path)
{
	struct decoded *d = xcalloc(1, sizeof(*d));
	struct file_info fi = { 0 };
	const char *text = (const char *)w->raw.data;
	enum sniff_kind kind;

	d->kind = DEC_BAD;
	if (buf_read_file(&w->raw, path, l->lim.max_input, &fi) < 0)
		return d;
	d->mtime = (int64_t)fi.mtime;
	text = (const char *)w->raw.data;
	kind = sniff(w->raw.data, w->raw.len);
	if (kind == SNIFF_FDS) {
		if (fds_parse(path, text, w->raw.len, &d->fds) == 0)
			d->kind = DEC_FDS;
	} else if (kind == SNIFF_LIMITS) {
		if (memlimit_parse(path, text, w->raw.len, &d->limits) == 0)
			d->kind = DEC_LIMITS;
	} else if (is_profile(w->raw.data, w->raw.len)) {
		d->p = profile_decode(path, w->raw.data, w->raw.len, &l->lim,
				      &w->inflated);
		if (d->p) {
			d->kind = DEC_PROFILE;
			aggregate(w, path, d);
		}
	} else {
		d->pm = procmem_parse(path, text, w->raw.len);
		if (d->pm)
			d->kind = DEC_MEM;
	}
	return d;
}

/* A collector's descriptor list: a point of its target's fds series. */
static void add_fds(struct loader *l, const char *path,
		    const struct fds_snapshot *s, int64_t mtime)
{
	struct ds_target *t;
	char *name = NULL;
	int64_t when;

	series_identify(path, NULL, l->rounds, 0, 0, mtime, &name, &when);
	t = target(l->ds, name);
	ds_add_fds_types(t, when, (double)s->open, s->count);
	if (s->threads > 0) {
		t->threads = xgrow(t->threads, &t->capthreads,
				   t->nthreads + 1, sizeof(*t->threads));
		memset(&t->threads[t->nthreads], 0, sizeof(*t->threads));
		t->threads[t->nthreads].t = when;
		t->threads[t->nthreads++].v = (double)s->threads;
	}
	free(name);
}

/* A collector's limits file: a point of its target's limits series. */
static void add_limits(struct loader *l, const char *path,
		       const struct memlimit *m, int64_t mtime)
{
	struct ds_target *t;
	struct ds_limit *p;
	char *name = NULL;
	int64_t when;

	series_identify(path, NULL, l->rounds, 0, 0, mtime, &name, &when);
	t = target(l->ds, name);
	t->limits = xgrow(t->limits, &t->caplimits, t->nlimits + 1,
			  sizeof(*t->limits));
	p = &t->limits[t->nlimits++];
	p->t = when;
	p->limit = m->limit;
	p->usage = m->usage;
	p->oom_kills = m->oom_kills;
	p->gomemlimit = m->gomemlimit;
	memcpy(p->limit_file, m->limit_file, sizeof(p->limit_file));
	memcpy(p->oom_file, m->oom_file, sizeof(p->oom_file));
	free(name);
}

/*
 * One snapshot file decode_file() read, into its target's series; frees
 * d. Who and when come from series_identify(): the target from
 * "NAME_UNIX.kind" in the file name, the time its round's (one for all
 * files of a round), else the profile's, else the mtime. A heap text
 * dump gives its MemStats too; a profile of another kind (allocs, CPU,
 * mutex...) is counted as skipped.
 */
static void add_file(struct loader *l, const char *path, struct decoded *d)
{
	struct dataset *ds = l->ds;
	struct profile *p = d->p;
	struct ds_target *t;
	char *name = NULL;
	int64_t when;

	ds->nfiles++;
	switch (d->kind) {
	case DEC_BAD:
		ds->nbad++;
		goto out;
	case DEC_FDS:
		add_fds(l, path, &d->fds, d->mtime);
		goto out;
	case DEC_LIMITS:
		add_limits(l, path, &d->limits, d->mtime);
		goto out;
	case DEC_MEM:
		series_identify(path, NULL, l->rounds, 0, 0, d->mtime, &name,
				&when);
		add_mem(target(ds, name), d->pm, when);
		goto out;
	case DEC_PROFILE:
		break;
	}
	series_identify(path, NULL, l->rounds, p->has_time, p->time_nanos,
			d->mtime, &name, &when);
	t = target(ds, name);
	switch (d->use) {
	case USE_HEAP_TEXT:
		if (p->nstats)
			add_stats(l, t, p, when);
		add_heap(l, t, p, &d->heap, when, 1)->path = xstrdup(path);
		break;
	case USE_HEAP:
		add_heap(l, t, p, &d->heap, when, 0)->path = xstrdup(path);
		break;
	case USE_GOR:
		add_goroutines(l, t, p, path, &d->gor, when);
		break;
	case USE_BAD_GOR:
		ds->nbad++;
		break;
	case USE_SKIP:
		ds->nskipped++;
		break;
	}
out:
	heap_rows_release(&d->heap);
	gor_snapshot_release(&d->gor);
	free(name);
	profile_free(d->p);
	procmem_free(d->pm);
	free(d);
}

/*
 * manifest.csv: rows whose kind (or result) says "restart". A manifest
 * is read record by record, so that a damaged row (a collector killed
 * mid-write, or an older collector's repair that left a quote open) costs
 * that row only: it is named with its line and the rows after it count.
 */
struct manifest {
	struct dataset *ds;
	long col_time, col_target, col_kind, col_result, col_error;
	size_t ncols;		/* the header's */
	int header;
	size_t bad_fields;	/* a row's field count, when not ncols */
};

/*
 * A fetch of t the manifest records: counted, and a failure's reason by
 * its kind (its digits, which vary, as '#'), so that a report on a
 * directory of failures can say what failed and why.
 */
static void count_fetch(struct ds_target *t, int ok, const char *why)
{
	char *key;
	size_t i;

	if (ok) {
		t->fetch_ok++;
		return;
	}
	t->fetch_failed++;
	key = xstrdup(*why ? why : "(no reason given)");
	for (i = 0; key[i]; i++)
		if (key[i] >= '0' && key[i] <= '9')
			key[i] = '#';
	for (i = 0; i < t->nfails; i++)
		if (!strcmp(t->fails[i].key, key)) {
			t->fails[i].n++;
			free(key);
			return;
		}
	if (t->nfails == DS_MAX_FAILS) {
		t->fail_other++;
		free(key);
		return;
	}
	t->fails[t->nfails].key = key;
	t->fails[t->nfails].example = xstrdup(*why ? why :
					      "(no reason given)");
	t->fails[t->nfails++].n = 1;
}

static int cmp_fail(const void *a, const void *b)
{
	const struct ds_fail *x = a, *y = b;

	return x->n != y->n ? (x->n > y->n ? -1 : 1) : strcmp(x->key, y->key);
}

/* At most this many bad lines are named per manifest; then a count. */
#define MANIFEST_MAX_BAD 10

static int manifest_row(const char *const *f, size_t n, void *ctx)
{
	struct manifest *m = ctx;
	int64_t when;
	size_t i;

	if (!m->header) {
		m->header = 1;
		m->ncols = n;
		for (i = 0; i < n; i++) {
			if (!strcmp(f[i], "time"))
				m->col_time = (long)i;
			else if (!strcmp(f[i], "target"))
				m->col_target = (long)i;
			else if (!strcmp(f[i], "kind"))
				m->col_kind = (long)i;
			else if (!strcmp(f[i], "result"))
				m->col_result = (long)i;
			else if (!strcmp(f[i], "error"))
				m->col_error = (long)i;
		}
		return 0;
	}
	/* A row cut short, or two run together: its columns are not the
	 * header's, and no field of it can be trusted. */
	if (n != m->ncols) {
		m->bad_fields = n;
		return 0;
	}
	if (m->col_time < 0 || m->col_target < 0)
		return 0;
	if (m->col_result >= 0 && (!strcmp(f[m->col_result], "ok") ||
				   !strcmp(f[m->col_result], "failed"))) {
		count_fetch(target(m->ds, f[m->col_target]),
			    !strcmp(f[m->col_result], "ok"),
			    m->col_error >= 0 ? f[m->col_error] : "");
		return 0;
	}
	if (!((m->col_kind >= 0 && !strcmp(f[m->col_kind], "restart")) ||
	      (m->col_result >= 0 && !strcmp(f[m->col_result], "restart"))))
		return 0;
	if (csv_parse_time(f[m->col_time], &when) < 0)
		return 0;
	add_restart(target(m->ds, f[m->col_target]), when,
		    m->col_error >= 0 && f[m->col_error][0] ? f[m->col_error] :
		    "restart recorded by the collector");
	return 0;
}

/* Counts the bad line; names it (printf-style why) while few are named. */
static void manifest_bad(size_t *nbad, const char *path, size_t line,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void manifest_bad(size_t *nbad, const char *path, size_t line,
			 const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (++*nbad > MANIFEST_MAX_BAD)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	error("%s:%zu: %s; row skipped", path, line, why);
}

static size_t count_newlines(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Whether p[0..n) ends inside a quoted field. */
static int ends_quoted(const char *p, size_t n)
{
	size_t i;
	int q = 0;

	for (i = 0; i < n; i++)
		q ^= p[i] == '"';
	return q;
}

/* Keeps the CSV reader's reason for a row instead of printing it. */
static void keep_reason(void *data, const char *msg)
{
	snprintf(data, 256, "%s", msg);
}

static void load_manifest(struct loader *l, const char *path)
{
	struct manifest m = {
		.ds = l->ds, .col_time = -1, .col_target = -1,
		.col_kind = -1, .col_result = -1, .col_error = -1,
	};
	const char *data;
	size_t len, at = 0, line = 1, nbad = 0, rl, namelen;
	char *name, reason[256];
	int broken;

	if (buf_read_file(&l->raw, path, l->lim.max_input, NULL) < 0) {
		l->ds->nbad++;
		return;
	}
	data = (const char *)l->raw.data;
	len = l->raw.len;
	namelen = strlen(path) + 32;
	name = xmalloc(namelen);
	while (at < len) {
		struct error_sink was;
		int last = 0, rc;

		rl = collstore_record(data + at, len - at, &broken);
		if (!rl) {
			/* No newline after it: whole only if it parses. */
			rl = len - at;
			last = 1;
		}
		if (broken) {
			manifest_bad(&nbad, path, line, "a quoted field left "
				     "open (a row cut short)");
		} else if (last && ends_quoted(data + at, rl)) {
			manifest_bad(&nbad, path, line, "partial last row "
				     "(cut short inside a quoted field)");
		} else {
			snprintf(name, namelen, "%s:%zu", path, line);
			m.bad_fields = SIZE_MAX;
			reason[0] = '\0';
			was = error_sink_set((struct error_sink){
				keep_reason, reason });
			rc = csv_read(name, data + at, rl, manifest_row, &m);
			error_sink_set(was);
			if (rc < 0 && ++nbad <= MANIFEST_MAX_BAD)
				error("%s; row skipped", reason);
			else if (rc == 0 && m.bad_fields != SIZE_MAX)
				manifest_bad(&nbad, path, line, "%s%zu fields "
					     "where the header has %zu",
					     last ? "partial last row: " : "",
					     m.bad_fields, m.ncols);
		}
		line += count_newlines(data + at, rl);
		at += rl;
	}
	if (nbad > MANIFEST_MAX_BAD)
		error("%s: %zu more bad lines not named", path,
		      nbad - MANIFEST_MAX_BAD);
	if (nbad)
		l->ds->nbad++;
	free(name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Files a collect directory holds besides snapshots; leaky soak's own
 * (the service's output, the load's summary, the report) among them, so
 * that `leaky report` and `leaky plot` read a soak's directory as it is.
 */
static int skip_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] == '.' || strstr(n, ".tmp") ||
	       !strcmp(n, "service.log") || !strcmp(n, "load.txt") ||
	       !strcmp(n, "report.txt") ||
	       (len > 4 && !strcmp(n + len - 4, ".csv")) ||
	       (len > 12 && !strcmp(n + len - 12, ".csv.partial")) ||
	       (len > 5 && !strcmp(n + len - 5, ".lock")) ||
	       (len > 4 && !strcmp(n + len - 4, ".png")) ||
	       (len > 4 && !strcmp(n + len - 4, ".svg")) ||
	       !strncmp(n, "README", 6) || !strcmp(n, "LOCK");
}

/*
 * What ds_load() reads, in order: snapshot files, manifests, and the
 * errors met on the way, which are printed at their place in the order,
 * as reading them one by one would.
 */
struct item {
	enum { ITEM_FILE, ITEM_MANIFEST, ITEM_ERROR } kind;
	char *text;		/* the path, or the error's message */
};

struct walk {
	struct item *v;
	size_t n, cap;
};

static void walk_add(struct walk *w, int kind, char *text)
{
	w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof(*w->v));
	w->v[w->n].kind = kind;
	w->v[w->n++].text = text;
}

/* An error's message, kept for its place in the order; returns -1. */
static int walk_error(struct walk *w, const char *path, int err)
{
	const char *why = strerror(err);
	size_t len = strlen(path) + strlen(why) + 3;
	char *msg = xmalloc(len);

	snprintf(msg, len, "%s: %s", path, why);
	walk_add(w, ITEM_ERROR, msg);
	return -1;
}

/*
 * A collect directory: its snapshot files (profiles/, goroutines/,
 * pmaps/), from any folder at most two levels down (depth), since
 * decode_file() tells kinds by content, not by folder. Names
 * are sorted so that the order of reading, and of anything that keeps
 * first-seen order, does not depend on readdir(). The manifest's restarts
 * are read last, at the top only.
 */
static int walk_dir(struct walk *w, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (!d)
		return walk_error(w, dir, errno);
	while ((e = readdir(d))) {
		if (skip_name(e->d_name))
			continue;
		names = xgrow(names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = xmalloc(len);
		struct stat st;

		snprintf(path, len, "%s/%s", dir, names[i]);
		free(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < 2)
				walk_dir(w, path, depth + 1);
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			walk_add(w, ITEM_FILE, path);
			continue;
		}
		free(path);
	}
	free(names);
	if (depth == 0) {
		size_t len = strlen(dir) + 16;
		char *m = xmalloc(len);
		struct stat st;

		snprintf(m, len, "%s/manifest.csv", dir);
		if (stat(m, &st) == 0) {
			walk_add(w, ITEM_MANIFEST, m);
			return 0;
		}
		free(m);
	}
	return 0;
}

/* ds_load()'s reading: the walk's items, and the loader to fill. */
struct load_run {
	struct loader *l;
	const struct walk *w;
};

static void *new_worker(void *ctx)
{
	struct load_run *r = ctx;
	struct ds_worker *w = xmalloc(sizeof(*w));

	buf_init(&w->raw);
	buf_init(&w->inflated);
	w->flat = agg_new(&r->l->flat_opts);
	w->cum = agg_new(&r->l->cum_opts);
	w->gor = gor_new(&r->l->gor_opts);
	return w;
}

/* Its grouper's strings are in the dataset's rows no longer: freed. */
static void free_worker(void *p)
{
	struct ds_worker *w = p;

	buf_release(&w->raw);
	buf_release(&w->inflated);
	agg_free(w->flat);
	agg_free(w->cum);
	gor_free(w->gor);
	free(w);
}

/* parmap's work: a snapshot file decoded; the rest waits its turn. */
static void *work_item(void *w, size_t i, void *ctx)
{
	struct load_run *r = ctx;

	if (r->w->v[i].kind != ITEM_FILE)
		return NULL;
	return decode_file(r->l, w, r->w->v[i].text);
}

/* parmap's emit, in the walk's order: what reading item i by itself did. */
static void emit_item(size_t i, void *result, void *ctx)
{
	struct load_run *r = ctx;
	const struct item *it = &r->w->v[i];

	switch (it->kind) {
	case ITEM_FILE:
		add_file(r->l, it->text, result);
		break;
	case ITEM_MANIFEST:
		load_manifest(r->l, it->text);
		break;
	case ITEM_ERROR:
		error("%s", it->text);
		break;
	}
}

static int cmp_heap(const void *a, const void *b)
{
	const struct ds_heap *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_gor(const void *a, const void *b)
{
	const struct ds_gor *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_mem(const void *a, const void *b)
{
	const struct ds_mem *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_stats(const void *a, const void *b)
{
	const struct ds_stats *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_restart(const void *a, const void *b)
{
	const struct ds_restart *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_target(const void *a, const void *b)
{
	const struct ds_target *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void free_heap(struct ds_heap *h)
{
	free(h->path);
	free(h->keys);
	free(h->flat);
	free(h->cum);
}

/*
 * Keeps the goroutine snapshots of the format with the most of them (ties:
 * debug=2, proto, debug=1). Formats give different groups of the same
 * goroutines (state, and so the default group key, only from debug=2):
 * mixed, a group would come and go from one snapshot to the next.
 */
static void choose_gor_format(struct ds_target *t)
{
	static const int pref[] = {
		PROF_GOROUTINE_TEXT2, PROF_PPROF, PROF_GOROUTINE_TEXT1,
	};
	static const char *const names[] = { "debug=2", "proto", "debug=1" };
	size_t counts[3] = { 0 }, i, k, best = 0, n = 0;

	for (i = 0; i < t->ngor; i++)
		for (k = 0; k < 3; k++)
			if (t->gor[i].fmt == pref[k])
				counts[k]++;
	for (k = 1; k < 3; k++)
		if (counts[k] > counts[best])
			best = k;
	for (i = 0; i < t->ngor; i++) {
		if (t->gor[i].fmt == pref[best]) {
			t->gor[n++] = t->gor[i];
			continue;
		}
		free(t->gor[i].keys);
		free(t->gor[i].count);
		free(t->gor[i].max_wait);
		free(t->gor[i].path);
	}
	t->ngor = n;
	t->gor_format = n ? names[best] : NULL;
}

/*
 * As for goroutines: one series, one source. The formats measure apart
 * (smaps adds up its mappings, status gives the kernel's VmRSS), so that
 * a switch between them would be a step that no process took.
 */
static void choose_mem_format(struct ds_target *t)
{
	static const int pref[] = {
		PROCMEM_SMAPS_ROLLUP, PROCMEM_STATUS, PROCMEM_PMAP_X,
		PROCMEM_SMAPS, PROCMEM_PMAP,
	};
	size_t counts[5] = { 0 }, i, k, best = 0, n = 0;

	for (i = 0; i < t->nmem; i++)
		for (k = 0; k < 5; k++)
			if (t->mem[i].fmt == pref[k])
				counts[k]++;
	for (k = 1; k < 5; k++)
		if (counts[k] > counts[best])
			best = k;
	for (i = 0; i < t->nmem; i++)
		if (t->mem[i].fmt == pref[best])
			t->mem[n++] = t->mem[i];
	t->nmem = n;
	t->mem_format = n ? procmem_format_name(
		(enum procmem_format)pref[best]) : NULL;
}

/* Restarts the data shows: counters since process start going back. */
static void detect_restarts(struct ds_target *t)
{
	char why[128];
	size_t i;

	for (i = 1; i < t->nheap; i++) {
		if (t->heap[i].alloc_space >= 0 &&
		    t->heap[i].alloc_space < t->heap[i - 1].alloc_space) {
			snprintf(why, sizeof(why), "allocated bytes since "
				 "start went back (%lld -> %lld)",
				 (long long)t->heap[i - 1].alloc_space,
				 (long long)t->heap[i].alloc_space);
			add_restart(t, t->heap[i].t, why);
		}
	}
	for (i = 1; i < t->nmem; i++) {
		if (t->mem[i].pid >= 0 && t->mem[i - 1].pid >= 0 &&
		    t->mem[i].pid != t->mem[i - 1].pid) {
			snprintf(why, sizeof(why), "pid %lld -> %lld",
				 (long long)t->mem[i - 1].pid,
				 (long long)t->mem[i].pid);
			add_restart(t, t->mem[i].t, why);
		}
	}
}

static int cmp_limit(const void *a, const void *b)
{
	const struct ds_limit *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/*
 * OOM kills the limits files count: each rise between two of them is a
 * restart with its cause, or the cause of a restart already seen between
 * them (the pid changed: the killed process was started again).
 */
static void oom_restarts(struct ds_target *t)
{
	size_t i, j, nold = t->nrestarts;
	char why[160];

	for (i = 1; i < t->nlimits; i++) {
		const struct ds_limit *a = &t->limits[i - 1], *b = &t->limits[i];
		int seen = 0;

		if (a->oom_kills < 0 || b->oom_kills <= a->oom_kills)
			continue;
		snprintf(why, sizeof(why), "OOM kill (%s oom_kill %lld -> %lld)",
			 b->oom_file[0] ? b->oom_file : "oom_kill",
			 (long long)a->oom_kills, (long long)b->oom_kills);
		for (j = 0; j < nold; j++) {
			struct ds_restart *r = &t->restarts[j];
			char *n;
			size_t len;

			if (r->t <= a->t || r->t > b->t)
				continue;
			len = strlen(r->why) + strlen(why) + 3;
			n = xmalloc(len);
			snprintf(n, len, "%s: %s", why, r->why);
			free(r->why);
			r->why = n;
			seen = 1;
		}
		if (!seen)
			add_restart(t, b->t, why);
	}
}

/*
 * Restarts within `gap` of each other are one restart (the earliest): the
 * manifest's record and what the data shows (detect_restarts(): heap
 * counters, pid) are one event seen more than once, at times a little
 * apart.
 */
static void merge_restarts(struct ds_target *t, int64_t gap)
{
	size_t i, n = 0;

	if (t->nrestarts)
		qsort(t->restarts, t->nrestarts, sizeof(*t->restarts),
		      cmp_restart);
	for (i = 0; i < t->nrestarts; i++) {
		if (n && t->restarts[i].t - t->restarts[n - 1].t <= gap) {
			free(t->restarts[i].why);
			continue;
		}
		t->restarts[n++] = t->restarts[i];
	}
	t->nrestarts = n;
}

/*
 * Median spacing of the target's heap (else goroutine, memory) series:
 * the collector's interval. The median, so that a gap (a collector
 * stopped for a while, a snapshot that failed) does not stretch it.
 */
static int64_t median_step(const struct ds_target *t)
{
	size_t n = t->nheap ? t->nheap : t->ngor ? t->ngor : t->nmem, i;
	double *d, m;

	if (n < 2)
		return 0;
	d = xcalloc(n, sizeof(*d));
	for (i = 1; i < n; i++)
		d[i - 1] = (double)(t->nheap ? t->heap[i].t - t->heap[i - 1].t :
				    t->ngor ? t->gor[i].t - t->gor[i - 1].t :
				    t->mem[i].t - t->mem[i - 1].t);
	m = stats_median(d, n - 1);
	free(d);
	return (int64_t)m;
}

static int cmp_point(const void *a, const void *b)
{
	const struct ds_point *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* Each of t's series in time order. */
static void sort_series(struct ds_target *t)
{
	if (t->nheap)
		qsort(t->heap, t->nheap, sizeof(*t->heap), cmp_heap);
	if (t->ngor)
		qsort(t->gor, t->ngor, sizeof(*t->gor), cmp_gor);
	if (t->nmem)
		qsort(t->mem, t->nmem, sizeof(*t->mem), cmp_mem);
	if (t->nstats)
		qsort(t->stats, t->nstats, sizeof(*t->stats), cmp_stats);
	if (t->nfds)
		qsort(t->fds, t->nfds, sizeof(*t->fds), cmp_point);
	if (t->nthreads)
		qsort(t->threads, t->nthreads, sizeof(*t->threads),
		      cmp_point);
	if (t->nlimits)
		qsort(t->limits, t->nlimits, sizeof(*t->limits), cmp_limit);
}

/*
 * A target read from metrics: one source per series already, restarts
 * given at the first point of each new process (a changed start time),
 * so nothing is detected or moved; only sorted.
 */
static void finish_metrics_target(struct ds_target *t)
{
	sort_series(t);
	merge_restarts(t, 0);
	t->gor_format = t->ngor ? "metrics" : NULL;
	t->mem_format = t->nmem ? "metrics" : NULL;
}

/*
 * Makes a target's series: sorted by time, one format each, and the
 * restarts that split them into segments.
 */
static void finish_target(struct ds_target *t)
{
	int64_t step;
	size_t i;

	if (t->from_metrics) {
		finish_metrics_target(t);
		return;
	}

	/*
	 * Text heap dumps only when there is no profile.proto heap: a
	 * collector fetching both has each moment twice, and the text
	 * dump's MemStats (add_stats()) are read either way.
	 */
	if (!t->nheap && t->ntextheap) {
		t->heap = t->textheap;
		t->nheap = t->ntextheap;
		t->capheap = t->captextheap;
		t->textheap = NULL;
		t->ntextheap = t->captextheap = 0;
	}
	for (i = 0; i < t->ntextheap; i++)
		free_heap(&t->textheap[i]);
	free(t->textheap);
	t->textheap = NULL;
	t->ntextheap = 0;
	sort_series(t);
	choose_gor_format(t);
	choose_mem_format(t);
	detect_restarts(t);
	oom_restarts(t);
	step = median_step(t);
	/*
	 * Half an interval, at least 2 s: snapshots an interval apart cannot
	 * tell two restarts closer than that apart.
	 */
	merge_restarts(t, step / 2 > 2000000000 ? step / 2 : 2000000000);
	/* A snapshot a little before the detected time is already new. */
	for (i = 0; i < t->nrestarts; i++)
		t->restarts[i].t -= step / 2;
}

int ds_load(struct dataset *ds, char *const *paths, size_t n,
	    const struct prof_limits *lim, unsigned flags)
{
	return ds_load_jobs(ds, paths, n, lim, flags, 0);
}

int ds_load_jobs(struct dataset *ds, char *const *paths, size_t n,
		 const struct prof_limits *lim, unsigned flags, unsigned jobs)
{
	static const struct parmap_ops ops = {
		.worker_new = new_worker,
		.worker_free = free_worker,
		.work = work_item,
		.emit = emit_item,
	};
	struct loader l = {
		.ds = ds,
		.flat_opts = { .by = AGG_FUNCTION },
		.cum_opts = { .by = AGG_FUNCTION, .cum = 1 },
		.gor_opts = { .by = GOR_DEFAULT },
	};
	struct walk w = { 0 };
	struct load_run run = { &l, &w };
	regex_t profiler;
	int ret = 0;
	size_t i;

	memset(ds, 0, sizeof(*ds));
	ds->flags = flags;
	if (!(flags & DS_KEEP_PROFILER)) {
		if (regcomp(&profiler, DS_PROFILER_FRAMES,
			    REG_EXTENDED | REG_NOSUB))
			BUG("cannot compile %s", DS_PROFILER_FRAMES);
		l.flat_opts.ignore = l.cum_opts.ignore = &profiler;
		l.gor_opts.ignore = &profiler;
	}
	ds->funcs = strmap_new();
	ds->groups = strmap_new();
	ds->stats = strmap_new();
	if (lim)
		l.lim = *lim;
	prof_limits_default(&l.lim);
	buf_init(&l.raw);
	l.rounds = rounds_new();
	for (i = 0; i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st) < 0) {
			ret = walk_error(&w, paths[i], errno);
		} else if (S_ISDIR(st.st_mode)) {
			if (walk_dir(&w, paths[i], 0) < 0)
				ret = -1;
		} else if (strlen(paths[i]) > 13 &&
			   !strcmp(paths[i] + strlen(paths[i]) - 13,
				   "/manifest.csv")) {
			walk_add(&w, ITEM_MANIFEST, xstrdup(paths[i]));
		} else {
			walk_add(&w, ITEM_FILE, xstrdup(paths[i]));
		}
	}
	parmap_run(&ops, w.n, jobs, &run);
	for (i = 0; i < w.n; i++)
		free(w.v[i].text);
	free(w.v);
	for (i = 0; i < ds->ntargets; i++) {
		finish_target(&ds->targets[i]);
		qsort(ds->targets[i].fails, ds->targets[i].nfails,
		      sizeof(*ds->targets[i].fails), cmp_fail);
	}
	if (ds->ntargets)
		qsort(ds->targets, ds->ntargets, sizeof(*ds->targets),
		      cmp_target);
	if (!(flags & DS_KEEP_PROFILER))
		regfree(&profiler);
	rounds_free(l.rounds);
	free(l.by_id);
	buf_release(&l.raw);
	return ret;
}

void ds_init(struct dataset *ds, const char *source)
{
	memset(ds, 0, sizeof(*ds));
	ds->funcs = strmap_new();
	ds->groups = strmap_new();
	ds->stats = strmap_new();
	ds->source = source ? xstrdup(source) : NULL;
}

struct ds_target *ds_target_get(struct dataset *ds, const char *name)
{
	struct ds_target *t = target(ds, name);

	t->from_metrics = 1;
	return t;
}

void ds_add_heap_inuse(struct ds_target *t, int64_t when, int64_t bytes)
{
	struct ds_heap *h = new_heap(t, when, 0);

	h->inuse_space = bytes;
	h->alloc_space = -1;
}

void ds_add_goroutines(struct ds_target *t, int64_t when, int64_t n)
{
	struct ds_gor *g;

	t->gor = xgrow(t->gor, &t->capgor, t->ngor + 1, sizeof(*t->gor));
	g = &t->gor[t->ngor++];
	memset(g, 0, sizeof(*g));
	g->t = when;
	g->total = n;
}

/* RSS in bytes, kept in kB as process memory is; no pid, no anon. */
void ds_add_rss(struct ds_target *t, int64_t when, int64_t bytes)
{
	struct ds_mem *m;

	t->mem = xgrow(t->mem, &t->capmem, t->nmem + 1, sizeof(*t->mem));
	m = &t->mem[t->nmem++];
	m->t = when;
	m->pid = -1;
	m->rss_kb = bytes / 1024;
	m->anon_kb = -1;
	m->fmt = -1;
}

void ds_add_fds_types(struct ds_target *t, int64_t when, double n,
		      const int64_t *types)
{
	struct ds_point *p;
	int k;

	t->fds = xgrow(t->fds, &t->capfds, t->nfds + 1, sizeof(*t->fds));
	p = &t->fds[t->nfds++];
	p->t = when;
	p->v = n;
	for (k = 0; k < FDS_NTYPES; k++)
		p->types[k] = types ? types[k] : -1;
}

void ds_add_fds(struct ds_target *t, int64_t when, double n)
{
	ds_add_fds_types(t, when, n, NULL);
}

void ds_add_restart(struct ds_target *t, int64_t when, const char *why)
{
	add_restart(t, when, why);
}

void ds_finish(struct dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->ntargets; i++)
		finish_target(&ds->targets[i]);
	if (ds->ntargets)
		qsort(ds->targets, ds->ntargets, sizeof(*ds->targets),
		      cmp_target);
}

void ds_release(struct dataset *ds)
{
	size_t i, j;

	for (i = 0; i < ds->ntargets; i++) {
		struct ds_target *t = &ds->targets[i];

		for (j = 0; j < t->nheap; j++)
			free_heap(&t->heap[j]);
		for (j = 0; j < t->ngor; j++) {
			free(t->gor[j].keys);
			free(t->gor[j].count);
			free(t->gor[j].max_wait);
			free(t->gor[j].path);
		}
		for (j = 0; j < t->nstats; j++) {
			free(t->stats[j].keys);
			free(t->stats[j].values);
		}
		for (j = 0; j < t->nrestarts; j++)
			free(t->restarts[j].why);
		free(t->heap);
		free(t->gor);
		free(t->mem);
		free(t->stats);
		free(t->restarts);
		free(t->fds);
		free(t->threads);
		free(t->limits);
		free(t->name);
		for (j = 0; j < t->nfails; j++) {
			free(t->fails[j].key);
			free(t->fails[j].example);
		}
	}
	for (i = 0; i < strmap_count(ds->groups); i++) {
		struct ds_group *g = &ds->group_info[i];

		free(g->stack);
		free(g->state);
		free(g->top);
		free(g->created_by);
		free(g->labels);
	}
	free(ds->group_info);
	free(ds->targets);
	strmap_free(ds->funcs);
	strmap_free(ds->groups);
	strmap_free(ds->stats);
	free(ds->source);
	memset(ds, 0, sizeof(*ds));
}

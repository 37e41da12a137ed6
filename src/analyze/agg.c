/* SPDX-License-Identifier: Apache-2.0 */
/* Flat and cumulative sums per key, following pprof's graph semantics. */
#include "analyze/agg.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "model/profile.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct agg {
	struct agg_opts opts;
	struct strmap *keys;
	/* Scratch reused across profiles. */
	uint32_t *func_key;	/* per function */
	size_t cap_func_key;
	uint32_t *loc_key_off;	/* per location: first index in loc_keys */
	size_t cap_loc_key_off;
	uint32_t *loc_keys;	/* keys of each location, innermost first */
	size_t cap_loc_keys;
	unsigned char *loc_match;	/* bit 0 focus, bit 1 ignore */
	size_t cap_loc_match;
	/*
	 * What --focus and --ignore said of each name met (function and
	 * file names, mappings' files), by its id in matched: bit 0 focus,
	 * bit 1 ignore. A series repeats the same names profile after
	 * profile; a hash lookup costs a fraction of a regexec (which was a
	 * seventh of leaky report's time).
	 */
	struct strmap *matched;
	unsigned char *name_match;
	size_t cap_name_match;
	unsigned char *func_match;	/* per function of the profile */
	size_t cap_func_match;
	int64_t *acc;		/* per key * ntypes */
	size_t cap_acc;
	uint64_t *stamp;	/* per key: last sample that counted it */
	size_t cap_stamp;
	uint64_t sample_seq;
	uint32_t *touched;
	size_t ntouched, cap_touched;
	struct buf scratch;
	const char **names;	/* stack building */
	size_t cap_names;
	/* For sorting. */
	size_t sort_type, ntypes;
	const int64_t *sort_values;
};

static const char *const by_names[] = { "function", "file", "line", "stack" };

const char *agg_by_name(enum agg_by by)
{
	return by_names[by];
}

int agg_by_parse(const char *s, enum agg_by *by)
{
	size_t i;

	for (i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++) {
		if (!strcmp(s, by_names[i])) {
			*by = (enum agg_by)i;
			return 0;
		}
	}
	return -1;
}

struct agg *agg_new(const struct agg_opts *opts)
{
	struct agg *g = xcalloc(1, sizeof(*g));

	g->opts = *opts;
	g->keys = strmap_new();
	buf_init(&g->scratch);
	return g;
}

void agg_free(struct agg *g)
{
	if (!g)
		return;
	strmap_free(g->keys);
	free(g->func_key);
	free(g->loc_key_off);
	free(g->loc_keys);
	free(g->loc_match);
	strmap_free(g->matched);
	free(g->name_match);
	free(g->func_match);
	free(g->acc);
	free(g->stamp);
	free(g->touched);
	free(g->names);
	buf_release(&g->scratch);
	free(g);
}

void agg_snapshot_release(struct agg_snapshot *s)
{
	free(s->keys);
	free(s->values);
	free(s->totals);
	memset(s, 0, sizeof(*s));
}

const char *agg_key(const struct agg *g, uint32_t id)
{
	return strmap_str(g->keys, id);
}

size_t agg_nkeys(const struct agg *g)
{
	return strmap_count(g->keys);
}

/* The text naming one frame (location line) under granularity by. */
static void frame_text(struct buf *b, const struct profile *p,
		       const struct prof_location *l,
		       const struct prof_line *ln, enum agg_by by)
{
	const struct prof_function *f =
		ln && ln->func != UINT32_MAX ? &p->functions[ln->func] : NULL;
	char num[32];

	b->len = 0;
	switch (by) {
	case AGG_FILE:
		if (f && f->filename[0])
			buf_addstr(b, f->filename);
		else
			profile_unnamed_frame(p, l, b);
		break;
	case AGG_LINE:
		if (f && f->name[0]) {
			buf_addstr(b, f->name);
			buf_addstr(b, " ");
			buf_addstr(b, f->filename);
			snprintf(num, sizeof(num), ":%lld",
				 (long long)ln->line);
			buf_addstr(b, num);
		} else {
			profile_unnamed_frame(p, l, b);
		}
		break;
	case AGG_FUNCTION:
	case AGG_STACK:
		if (f && f->name[0])
			buf_addstr(b, f->name);
		else
			profile_unnamed_frame(p, l, b);
		break;
	}
}

static uint32_t intern_buf(struct agg *g, struct buf *b)
{
	return strmap_intern(g->keys, (const char *)b->data, b->len, NULL);
}

/*
 * Key ids of every location's frames (innermost first); for --by stack.
 * An inlined call is a frame of its own, as in pprof: a location with
 * lines main.inner, main.outer gives two keys, so that cum credits both
 * functions and flat the innermost one. A location without lines (an
 * unsymbolized address) is one frame named by its address or mapping.
 */
static void index_locations(struct agg *g, const struct profile *p)
{
	size_t i, j, total = 0;
	enum agg_by by = g->opts.by == AGG_STACK ? AGG_FUNCTION : g->opts.by;

	g->func_key = xgrow(g->func_key, &g->cap_func_key,
			    p->nfunctions + 1, sizeof(*g->func_key));
	for (i = 0; i < p->nfunctions; i++)
		g->func_key[i] = UINT32_MAX;
	g->loc_key_off = xgrow(g->loc_key_off, &g->cap_loc_key_off,
			       p->nlocations + 1, sizeof(*g->loc_key_off));
	for (i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	g->loc_keys = xgrow(g->loc_keys, &g->cap_loc_keys, total + 1,
			    sizeof(*g->loc_keys));
	total = 0;
	for (i = 0; i < p->nlocations; i++) {
		const struct prof_location *l = &p->locations[i];

		g->loc_key_off[i] = (uint32_t)total;
		if (!l->nlines) {
			frame_text(&g->scratch, p, l, NULL, by);
			g->loc_keys[total++] = intern_buf(g, &g->scratch);
			continue;
		}
		for (j = 0; j < l->nlines; j++) {
			const struct prof_line *ln = &l->lines[j];
			uint32_t k;

			/*
			 * Function-level keys repeat a lot: cache them. Not
			 * for a nameless function (or file, --by file): its
			 * key comes from the location's mapping, which
			 * differs from one location to the next.
			 */
			if (by != AGG_LINE && ln->func != UINT32_MAX &&
			    g->func_key[ln->func] != UINT32_MAX) {
				g->loc_keys[total++] = g->func_key[ln->func];
				continue;
			}
			frame_text(&g->scratch, p, l, ln, by);
			k = intern_buf(g, &g->scratch);
			if (by != AGG_LINE && ln->func != UINT32_MAX &&
			    (by == AGG_FUNCTION ?
			     p->functions[ln->func].name[0] :
			     p->functions[ln->func].filename[0]))
				g->func_key[ln->func] = k;
			g->loc_keys[total++] = k;
		}
	}
	g->loc_key_off[p->nlocations] = (uint32_t)total;
}

/* What the filters say of name s: bit 0 focus, bit 1 ignore matches. */
static unsigned char name_match(struct agg *g, const char *s)
{
	int added;
	uint32_t id = strmap_intern(g->matched, s, strlen(s), &added);

	if (added) {
		unsigned char m = 0;

		if (g->opts.focus && !regexec(g->opts.focus, s, 0, NULL, 0))
			m |= 1;
		if (g->opts.ignore && !regexec(g->opts.ignore, s, 0, NULL, 0))
			m |= 2;
		g->name_match = xgrow(g->name_match, &g->cap_name_match,
				      (size_t)id + 1, 1);
		g->name_match[id] = m;
	}
	return g->name_match[id];
}

/*
 * pprof's -focus/-ignore: sample filters on any frame of the stack. A
 * location matches when a function name or file name of its lines, or
 * its mapping's file, does (profile_location_matches(), by name).
 */
static void index_filters(struct agg *g, const struct profile *p)
{
	size_t i;
	uint32_t j;

	if (!g->opts.focus && !g->opts.ignore)
		return;
	if (!g->matched)
		g->matched = strmap_new();
	/* Functions first: locations share them. */
	g->func_match = xgrow(g->func_match, &g->cap_func_match,
			      p->nfunctions + 1, 1);
	for (i = 0; i < p->nfunctions; i++)
		g->func_match[i] = name_match(g, p->functions[i].name) |
				   name_match(g, p->functions[i].filename);
	g->loc_match = xgrow(g->loc_match, &g->cap_loc_match,
			     p->nlocations + 1, 1);
	for (i = 0; i < p->nlocations; i++) {
		const struct prof_location *l = &p->locations[i];
		unsigned char m = 0;

		for (j = 0; j < l->nlines; j++)
			if (l->lines[j].func != UINT32_MAX)
				m |= g->func_match[l->lines[j].func];
		if (l->mapping >= 0)
			m |= name_match(g, p->mappings[l->mapping].filename);
		g->loc_match[i] = m;
	}
}

static int sample_kept(const struct agg *g, const struct prof_sample *s)
{
	unsigned char any = 0;
	uint32_t i;

	if (!g->opts.focus && !g->opts.ignore)
		return 1;
	for (i = 0; i < s->nlocs; i++)
		any |= g->loc_match[s->locs[i]];
	if (g->opts.focus && !(any & 1))
		return 0;
	if (g->opts.ignore && (any & 2))
		return 0;
	return 1;
}

static void ensure_keys(struct agg *g, size_t ntypes)
{
	size_t nkeys = strmap_count(g->keys), old = g->cap_stamp;

	if (nkeys <= old && nkeys * ntypes <= g->cap_acc)
		return;
	g->stamp = xgrow(g->stamp, &g->cap_stamp, nkeys, sizeof(*g->stamp));
	memset(g->stamp + old, 0, (g->cap_stamp - old) * sizeof(*g->stamp));
	old = g->cap_acc;
	g->acc = xgrow(g->acc, &g->cap_acc, g->cap_stamp * ntypes,
		       sizeof(*g->acc));
	memset(g->acc + old, 0, (g->cap_acc - old) * sizeof(*g->acc));
}

static void add_to(struct agg *g, uint32_t k, const int64_t *v, size_t nt)
{
	int64_t *a = g->acc + (size_t)k * nt;
	size_t t;

	/* Stamps start at 1: 0 is a key this profile has not touched. */
	if (g->stamp[k] == 0) {
		g->touched = xgrow(g->touched, &g->cap_touched,
				   g->ntouched + 1, sizeof(*g->touched));
		g->touched[g->ntouched++] = k;
	}
	g->stamp[k] = g->sample_seq;
	for (t = 0; t < nt; t++)
		a[t] += v[t];
}

static uint32_t stack_key(struct agg *g, const struct profile *p,
			  const struct prof_sample *s)
{
	struct buf *b = &g->scratch;
	uint32_t i;

	b->len = 0;
	for (i = s->nlocs; i-- > 0;) {
		uint32_t l = s->locs[i];
		uint32_t j = g->loc_key_off[l + 1];

		/*
		 * Root first, as folded stacks (flame graphs) read: the
		 * locations from the last (the root) and, within one, its
		 * outermost line (the last) first.
		 */
		while (j-- > g->loc_key_off[l]) {
			uint32_t k = g->loc_keys[j];

			if (b->len)
				buf_add(b, ";", 1);
			buf_add(b, strmap_str(g->keys, k),
				strmap_strlen(g->keys, k));
		}
	}
	(void)p;
	return intern_buf(g, b);
}

/* qsort_r's: aggregators may run on several threads at once (parmap). */
static int cmp_rows(const void *a, const void *b, void *ctx)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct agg *g = ctx;
	int64_t vx = g->acc[(size_t)x * g->ntypes + g->sort_type];
	int64_t vy = g->acc[(size_t)y * g->ntypes + g->sort_type];

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(strmap_str(g->keys, x), strmap_str(g->keys, y));
}

/*
 * Credits one kept sample's values to its keys: its whole stack (--by
 * stack), the leaf (flat) or every distinct key on the stack (cum).
 */
static void credit_sample(struct agg *g, const struct profile *p,
			  const struct prof_sample *s, size_t nt)
{
	uint32_t l, j;

	/* A new stamp: no key is credited yet in this sample. */
	g->sample_seq++;
	if (g->opts.by == AGG_STACK) {
		uint32_t k = stack_key(g, p, s);

		ensure_keys(g, nt);
		add_to(g, k, s->values, nt);
		return;
	}
	ensure_keys(g, nt);
	if (!g->opts.cum) {
		/*
		 * Flat: the innermost frame of the leaf location, the
		 * function that was running (or allocating): locs[0] is the
		 * leaf, its line 0 the innermost inlined call. A caller
		 * inlined into it, though in the same location, gets nothing.
		 */
		add_to(g, g->loc_keys[g->loc_key_off[s->locs[0]]], s->values,
		       nt);
		return;
	}
	/*
	 * Cum: the sample's value once for every distinct key on its stack,
	 * inlined frames included. The stamp marks keys already credited in
	 * this sample, so that recursion (f calling f) or two inlined copies
	 * of one function count once, as in pprof; else a recursive
	 * function's cum could exceed the total.
	 */
	for (l = 0; l < s->nlocs; l++) {
		uint32_t loc = s->locs[l];

		for (j = g->loc_key_off[loc]; j < g->loc_key_off[loc + 1];
		     j++) {
			uint32_t k = g->loc_keys[j];

			if (g->stamp[k] != g->sample_seq)
				add_to(g, k, s->values, nt);
		}
	}
}

/*
 * The keys this profile touched whose values are not all zero (a key can
 * be touched and sum to zero: a sample of zeros, or values that cancel),
 * sorted by the sort type, with their values copied out.
 */
static void collect_rows(struct agg *g, size_t nt, size_t sort_type,
			 struct agg_snapshot *out)
{
	size_t i, t, n = 0;

	out->keys = xcalloc(g->ntouched + 1, sizeof(*out->keys));
	for (i = 0; i < g->ntouched; i++) {
		const int64_t *a = g->acc + (size_t)g->touched[i] * nt;

		for (t = 0; t < nt; t++)
			if (a[t])
				break;
		if (t < nt)
			out->keys[n++] = g->touched[i];
	}
	g->ntypes = nt;
	g->sort_type = sort_type;
	if (nt)
		qsort_r(out->keys, n, sizeof(*out->keys), cmp_rows, g);
	out->nrows = n;
	out->values = xcalloc(n * nt + 1, sizeof(*out->values));
	for (i = 0; i < n; i++)
		memcpy(out->values + i * nt, g->acc + (size_t)out->keys[i] * nt,
		       nt * sizeof(*out->values));
}

/*
 * Zeroes what this profile touched, and only that: the accumulators are
 * sized for every key seen so far, which grows over a long series, while
 * one profile may touch few of them.
 */
static void reset_touched(struct agg *g, size_t nt)
{
	size_t i;

	for (i = 0; i < g->ntouched; i++) {
		uint32_t k = g->touched[i];

		memset(g->acc + (size_t)k * nt, 0, nt * sizeof(*g->acc));
		g->stamp[k] = 0;
	}
	g->ntouched = 0;
}

int agg_profile(struct agg *g, const struct profile *p, size_t sort_type,
		struct agg_snapshot *out)
{
	size_t nt = p->ntypes, i, t;

	memset(out, 0, sizeof(*out));
	if (nt && sort_type >= nt) {
		error("sort type %zu out of range", sort_type);
		return -1;
	}
	index_locations(g, p);
	index_filters(g, p);
	out->ntypes = nt;
	out->totals = xcalloc(nt ? nt : 1, sizeof(*out->totals));
	g->ntouched = 0;
	for (i = 0; i < p->nsamples; i++) {
		const struct prof_sample *s = &p->samples[i];

		/*
		 * A sample without a stack has no frame to credit, and
		 * -focus/-ignore drop whole samples, as pprof's
		 * FilterSamplesByName does: neither counts in the totals,
		 * which stay the sum of what the rows could show.
		 */
		if (!s->nlocs || !sample_kept(g, s))
			continue;
		for (t = 0; t < nt; t++)
			out->totals[t] += s->values[t];
		credit_sample(g, p, s, nt);
	}
	collect_rows(g, nt, sort_type, out);
	reset_touched(g, nt);
	return 0;
}

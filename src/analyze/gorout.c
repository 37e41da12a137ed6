/* SPDX-License-Identifier: Apache-2.0 */
/* Goroutine grouping for `leaky goroutines`, and its CSV rows. */
#include "analyze/gorout.h"
#include "analyze/series.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "model/profile.h"
#include "out/csvout.h"
#include "out/table.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per group while grouping: string ids, or MIXED once they differ. */
#define NONE UINT32_MAX
#define MIXED (UINT32_MAX - 1)

struct acc {
	int64_t goroutines;
	int64_t max_wait;
	uint32_t key, state, created_by, top, stack, labels;
	uint32_t creator_path, created_at;
};

struct gor {
	struct gor_opts opts;
	struct strmap *strs;	/* every string handed out */
	struct strmap *groups;	/* key -> group index this snapshot */
	struct acc *accs;
	size_t naccs, capaccs;
	struct buf b;
	uint32_t *frame_key;	/* per location: its name, innermost */
	size_t cap_frame_key;
};

static const char *const by_names[] = {
	"", "stack", "top", "created_by", "state",
};

int gor_by_parse(const char *s, enum gor_by *by)
{
	size_t i;

	for (i = 1; i < sizeof(by_names) / sizeof(by_names[0]); i++) {
		if (!strcmp(s, by_names[i])) {
			*by = (enum gor_by)i;
			return 0;
		}
	}
	return -1;
}

struct gor *gor_new(const struct gor_opts *opts)
{
	struct gor *g = xcalloc(1, sizeof(*g));

	g->opts = *opts;
	g->strs = strmap_new();
	buf_init(&g->b);
	return g;
}

void gor_free(struct gor *g)
{
	if (!g)
		return;
	strmap_free(g->strs);
	strmap_free(g->groups);
	free(g->accs);
	free(g->frame_key);
	buf_release(&g->b);
	free(g);
}

void gor_snapshot_release(struct gor_snapshot *s)
{
	free(s->groups);
	free(s->states);
	free(s->state_counts);
	memset(s, 0, sizeof(*s));
}

/* The package path of "path/pkg.Func" or "pkg.(*T).m": up to the dot. */
static size_t package_len(const char *f)
{
	const char *slash = strrchr(f, '/'), *dot;

	dot = strchr(slash ? slash : f, '.');
	return dot ? (size_t)(dot - f) : strlen(f);
}

int gor_is_runtime_frame(const char *f)
{
	size_t n = package_len(f);

	if ((n == 7 && !memcmp(f, "runtime", 7)) ||
	    (n == 4 && !memcmp(f, "sync", 4)) ||
	    (n == 11 && !memcmp(f, "sync/atomic", 11)))
		return 1;
	return (n > 8 && !memcmp(f, "runtime/", 8)) ||
	       (n > 9 && !memcmp(f, "internal/", 9));
}

static uint32_t intern(struct gor *g, const char *s, size_t n)
{
	return strmap_intern(g->strs, s, n, NULL);
}

/* The name pprof gives a frame without a function name, in b. */
static const char *unnamed(const struct profile *p,
			   const struct prof_location *l, struct buf *b)
{
	b->len = 0;
	profile_unnamed_frame(p, l, b);
	b->data[b->len] = '\0';
	return (const char *)b->data;
}

/* Name ids of every frame, as pprof names them (see agg.c). */
static uint32_t *frame_names(struct gor *g, const struct profile *p,
			     size_t *total_out, uint32_t **off_out)
{
	size_t i, j, total = 0;
	uint32_t *off = xcalloc(p->nlocations + 1, sizeof(*off));
	uint32_t *names;
	struct buf tmp;

	for (i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	names = xcalloc(total + 1, sizeof(*names));
	buf_init(&tmp);
	total = 0;
	for (i = 0; i < p->nlocations; i++) {
		const struct prof_location *l = &p->locations[i];

		off[i] = (uint32_t)total;
		if (!l->nlines) {
			const char *s = unnamed(p, l, &tmp);

			names[total++] = intern(g, s, strlen(s));
			continue;
		}
		for (j = 0; j < l->nlines; j++) {
			uint32_t f = l->lines[j].func;
			const char *s = f != UINT32_MAX ?
				p->functions[f].name : "";

			if (!s[0])
				s = unnamed(p, l, &tmp);
			names[total++] = intern(g, s, strlen(s));
		}
	}
	off[p->nlocations] = (uint32_t)total;
	buf_release(&tmp);
	*total_out = total;
	*off_out = off;
	return names;
}

static int kept(const struct gor *g, const struct profile *p,
		const struct prof_sample *s)
{
	uint32_t i;
	int focus = !g->opts.focus;

	/* As pprof's filters: a goroutine without frames matches nothing. */
	if ((g->opts.focus || g->opts.ignore) && !s->nlocs)
		return 0;
	for (i = 0; i < s->nlocs; i++) {
		const struct prof_location *l = &p->locations[s->locs[i]];

		if (!focus && profile_location_matches(g->opts.focus, p, l))
			focus = 1;
		if (g->opts.ignore &&
		    profile_location_matches(g->opts.ignore, p, l))
			return 0;
	}
	return focus;
}

static int cmp_label(const void *a, const void *b)
{
	const struct prof_label *x = *(const struct prof_label *const *)a;
	const struct prof_label *y = *(const struct prof_label *const *)b;

	return strcmp(x->key, y->key);
}

/* "k=v;k=v" sorted by key, escaped by buf_add_label(); numbers as k=N. */
static uint32_t labels_id(struct gor *g, const struct prof_sample *s)
{
	const struct prof_label **ls;
	char num[32];
	uint32_t i;
	uint32_t id;

	if (!s->nlabels)
		return NONE;
	ls = xcalloc(s->nlabels, sizeof(*ls));
	for (i = 0; i < s->nlabels; i++)
		ls[i] = &s->labels[i];
	qsort(ls, s->nlabels, sizeof(*ls), cmp_label);
	g->b.len = 0;
	for (i = 0; i < s->nlabels; i++) {
		if (i)
			buf_add(&g->b, ";", 1);
		buf_add_label(&g->b, ls[i]->key);
		buf_add(&g->b, "=", 1);
		if (ls[i]->str) {
			buf_add_label(&g->b, ls[i]->str);
		} else {
			snprintf(num, sizeof(num), "%lld",
				 (long long)ls[i]->num);
			buf_addstr(&g->b, num);
		}
	}
	free(ls);
	id = intern(g, (const char *)g->b.data, g->b.len);
	return id;
}

static void merge(uint32_t *into, uint32_t v)
{
	if (*into != v)
		*into = MIXED;
}

static const char *str_or_null(const struct gor *g, uint32_t id)
{
	return id >= MIXED ? NULL : strmap_str(g->strs, id);
}

static const char *key_str(const struct gor *g, uint32_t id)
{
	return id >= MIXED ? "" : strmap_str(g->strs, id);
}

/* qsort_r's: aggregators may run on several threads at once (parmap). */
static int cmp_groups(const void *a, const void *b, void *ctx)
{
	const struct acc *x = a, *y = b;
	const struct gor *g = ctx;

	if (x->goroutines != y->goroutines)
		return x->goroutines > y->goroutines ? -1 : 1;
	return strcmp(key_str(g, x->key), key_str(g, y->key));
}

/*
 * Group key text for a goroutine, by the --by option. By default stack,
 * state and labels together: goroutines parked at one place for one
 * reason, with the same labels, are one population, whose count a leak
 * makes grow; the same stack in another state is another. The fields are
 * joined with 0x1f (unit separator) so that "a;b" + "c" and "a" + "b;c"
 * stay apart.
 */
static uint32_t group_key(struct gor *g, const struct acc *a)
{
	static const char sep = '\x1f';

	switch (g->opts.by) {
	case GOR_STACK:
		return a->stack;
	case GOR_TOP:
		return a->top;
	case GOR_CREATED_BY:
		return a->created_by;
	case GOR_STATE:
		return a->state;
	case GOR_DEFAULT:
	case GOR_SITE:
		break;
	}
	g->b.len = 0;
	buf_addstr(&g->b, str_or_null(g, a->stack) ?
		   str_or_null(g, a->stack) : "");
	buf_add(&g->b, &sep, 1);
	if (a->state != NONE)
		buf_addstr(&g->b, strmap_str(g->strs, a->state));
	buf_add(&g->b, &sep, 1);
	if (a->labels != NONE)
		buf_addstr(&g->b, strmap_str(g->strs, a->labels));
	if (g->opts.by == GOR_SITE) {
		buf_add(&g->b, &sep, 1);
		if (a->creator_path != NONE)
			buf_addstr(&g->b, strmap_str(g->strs, a->creator_path));
		buf_add(&g->b, &sep, 1);
		if (a->created_at != NONE)
			buf_addstr(&g->b, strmap_str(g->strs, a->created_at));
	}
	return intern(g, (const char *)g->b.data, g->b.len);
}

/*
 * Describes one sample as a group of its own: a debug=2 record is one
 * goroutine, a profile.proto or debug=1 sample the count of goroutines
 * that share a stack (values[0]). The stack is written root first, as
 * folded stacks are; the top is the first frame from the leaf outside the
 * runtime, sync and internal packages (where a blocked goroutine's leaf
 * frames are), else the leaf. State, wait and creator ("created by F in
 * goroutine N": F) only debug=2 dumps give, per goroutine.
 */
static void describe(struct gor *g, const struct profile *p, size_t i,
		     const uint32_t *names, const uint32_t *off,
		     struct acc *a)
{
	const struct prof_sample *s = &p->samples[i];
	uint32_t l, j, top = NONE, leaf = NONE;

	memset(a, 0, sizeof(*a));
	a->goroutines = s->values[0];
	a->max_wait = -1;
	a->state = a->created_by = a->creator_path = a->created_at = NONE;
	g->b.len = 0;
	for (l = s->nlocs; l-- > 0;) {
		uint32_t loc = s->locs[l];

		for (j = off[loc + 1]; j-- > off[loc];) {
			if (g->b.len)
				buf_add(&g->b, ";", 1);
			buf_addstr(&g->b, strmap_str(g->strs, names[j]));
		}
	}
	a->stack = intern(g, (const char *)g->b.data, g->b.len);
	for (l = 0; l < s->nlocs && top == NONE; l++) {
		uint32_t loc = s->locs[l];

		for (j = off[loc]; j < off[loc + 1]; j++) {
			if (leaf == NONE)
				leaf = names[j];
			if (!gor_is_runtime_frame(strmap_str(g->strs,
							     names[j]))) {
				top = names[j];
				break;
			}
		}
	}
	a->top = top != NONE ? top : leaf;
	a->labels = labels_id(g, s);
	if (p->goroutines) {
		const struct prof_goroutine *gr = &p->goroutines[i];

		if (gr->state[0])
			a->state = intern(g, gr->state, strlen(gr->state));
		if (gr->created_by[0])
			a->created_by = intern(g, gr->created_by,
					       strlen(gr->created_by));
		if (gr->creator_stack && gr->creator_stack[0])
			a->creator_path = intern(g, gr->creator_stack,
						 strlen(gr->creator_stack));
		else
			a->creator_path = a->created_by;
		if (gr->created_at && gr->created_at[0])
			a->created_at = intern(g, gr->created_at,
					       strlen(gr->created_at));
		a->max_wait = gr->wait_minutes;
	}
	a->key = group_key(g, a);
}

static void count_states(struct gor_snapshot *out, const char *state,
			 int64_t n)
{
	size_t k;

	for (k = 0; k < out->nstates; k++) {
		if (!strcmp(out->states[k], state)) {
			out->state_counts[k] += n;
			return;
		}
	}
	out->states = xrealloc(out->states, (k + 1) * sizeof(*out->states));
	out->state_counts = xrealloc(out->state_counts,
				     (k + 1) * sizeof(*out->state_counts));
	out->states[k] = state;
	out->state_counts[k] = n;
	out->nstates++;
}

/*
 * Counts one goroutine description into the snapshot's totals. Ages are
 * the wait a debug=2 dump prints ("[chan receive, 75 minutes]"); a
 * goroutine it shows no wait for (under a minute) is in no bucket.
 */
static void count_totals(struct gor *g, struct gor_snapshot *out,
			 const struct acc *a)
{
	out->total += a->goroutines;
	if (a->max_wait >= 1)
		out->age_1m += a->goroutines;
	if (a->max_wait >= 10)
		out->age_10m += a->goroutines;
	if (a->max_wait >= 60)
		out->age_60m += a->goroutines;
	if (a->state != NONE)
		count_states(out, strmap_str(g->strs, a->state),
			     a->goroutines);
}

/*
 * Adds a goroutine (or a sample of many alike) to its group. Goroutines
 * of one group share the key; any other field they do not all share
 * becomes MIXED, shown empty, so that no row claims a state, creator or
 * stack only some of its goroutines have. The group's wait is its
 * longest: report.c reads a growing group whose goroutines wait a minute
 * or more as ageing (started, never finished).
 */
static void add_to_group(struct gor *g, const struct acc *a)
{
	struct acc *dst;
	int added;
	uint32_t gi;

	gi = strmap_intern(g->groups, (const char *)&a->key, sizeof(a->key),
			   &added);
	if (added) {
		g->accs = xgrow(g->accs, &g->capaccs, g->naccs + 1,
				sizeof(*g->accs));
		g->accs[g->naccs++] = *a;
		return;
	}
	dst = &g->accs[gi];
	dst->goroutines += a->goroutines;
	if (a->max_wait > dst->max_wait)
		dst->max_wait = a->max_wait;
	merge(&dst->state, a->state);
	merge(&dst->created_by, a->created_by);
	merge(&dst->top, a->top);
	merge(&dst->stack, a->stack);
	merge(&dst->labels, a->labels);
	merge(&dst->creator_path, a->creator_path);
	merge(&dst->created_at, a->created_at);
}

/* The groups, largest first, as out's rows; those under --min dropped. */
static void emit_groups(struct gor *g, struct gor_snapshot *out)
{
	size_t i, n = 0;

	/* No samples: accs is still NULL, which qsort may not be given. */
	if (g->naccs)
		qsort_r(g->accs, g->naccs, sizeof(*g->accs), cmp_groups, g);
	out->groups = xcalloc(g->naccs + 1, sizeof(*out->groups));
	for (i = 0; i < g->naccs; i++) {
		const struct acc *a = &g->accs[i];
		struct gor_group *gr = &out->groups[n];

		if (a->goroutines < g->opts.min)
			continue;
		gr->goroutines = a->goroutines;
		gr->max_wait_minutes = a->max_wait;
		gr->state = str_or_null(g, a->state);
		gr->created_by = str_or_null(g, a->created_by);
		gr->top = str_or_null(g, a->top);
		gr->stack = str_or_null(g, a->stack);
		gr->labels = str_or_null(g, a->labels);
		gr->creator_path = str_or_null(g, a->creator_path);
		gr->created_at = str_or_null(g, a->created_at);
		n++;
	}
	out->ngroups = n;
}

int gor_profile(struct gor *g, const char *name, const struct profile *p,
		struct gor_snapshot *out)
{
	uint32_t *names, *off;
	size_t total, i;

	memset(out, 0, sizeof(*out));
	if (p->ntypes != 1 || strcmp(p->types[0].unit, "count")) {
		error("%s: not a goroutine profile (sample types differ from "
		      "one count)", name);
		return -1;
	}
	names = frame_names(g, p, &total, &off);
	/* Groups are per snapshot; the strings they name outlive it. */
	strmap_free(g->groups);
	g->groups = strmap_new();
	g->naccs = 0;
	/* Only debug=2 dumps say how long goroutines wait: else no ages. */
	out->age_1m = out->age_10m = out->age_60m = p->goroutines ? 0 : -1;
	for (i = 0; i < p->nsamples; i++) {
		struct acc a;

		if (!kept(g, p, &p->samples[i]))
			continue;
		describe(g, p, i, names, off, &a);
		count_totals(g, out, &a);
		add_to_group(g, &a);
	}
	emit_groups(g, out);
	free(names);
	free(off);
	return 0;
}

/* ---- CSV rows ---- */

const char *const gor_columns[GOR_NCOLUMNS] = {
	[GOR_COL_GOROUTINES] = "goroutines",
	[GOR_COL_STATE] = "state",
	[GOR_COL_MAX_WAIT] = "max_wait_minutes",
	[GOR_COL_CREATED_BY] = "created_by",
	[GOR_COL_TOP] = "top",
	[GOR_COL_STACK] = "stack",
	[GOR_COL_LABELS] = "labels",
};

const char *const gor_total_columns[GOR_NTOTAL_COLUMNS] = {
	[GOR_TOT_GOROUTINES] = "goroutines",
	[GOR_TOT_1M] = ">=1m",
	[GOR_TOT_10M] = ">=10m",
	[GOR_TOT_60M] = ">=60m",
};

int gor_total_is_age(const char *column)
{
	return !strncmp(column, ">=", 2);
}

/* A field the group's goroutines do not share (NULL) is left empty. */
static void opt_str(struct csvout *c, const char *s)
{
	if (s)
		csvout_text(c, s);
	else
		csvout_empty(c);
}

int gor_write_groups(struct series *s, int64_t nanos, const char *target,
		     const struct gor_snapshot *snap)
{
	struct csvout *c = series_rows_begin(s, nanos, target);
	size_t i;

	if (!c)
		return -1;
	for (i = 0; i < snap->ngroups; i++) {
		const struct gor_group *g = &snap->groups[i];

		series_row_prefix(s);
		csvout_i64(c, g->goroutines);
		opt_str(c, g->state);
		/* No wait shown is not a wait of 0 minutes: empty. */
		if (g->max_wait_minutes >= 0)
			csvout_i64(c, g->max_wait_minutes);
		else
			csvout_empty(c);
		opt_str(c, g->created_by);
		opt_str(c, g->top);
		opt_str(c, g->stack);
		opt_str(c, g->labels);
		series_row_end(s);
	}
	return series_rows_end(s);
}

int gor_add_totals(struct table *t, int64_t nanos, const char *target,
		   const struct gor_snapshot *snap)
{
	size_t n = snap->nstates + GOR_NTOTAL_COLUMNS, k = 0, i;
	int ret;
	const char **keys = xcalloc(n, sizeof(*keys));
	char **vals = xcalloc(n, sizeof(*vals));
	const int64_t nums[GOR_NTOTAL_COLUMNS] = {
		[GOR_TOT_GOROUTINES] = snap->total,
		[GOR_TOT_1M] = snap->age_1m,
		[GOR_TOT_10M] = snap->age_10m,
		[GOR_TOT_60M] = snap->age_60m,
	};

	/* Ages a format does not give (-1) stay empty in the table. */
	for (i = 0; i < GOR_NTOTAL_COLUMNS; i++) {
		if (nums[i] < 0)
			continue;
		keys[k] = gor_total_columns[i];
		vals[k] = xmalloc(24);
		snprintf(vals[k], 24, "%" PRId64, nums[i]);
		k++;
	}
	for (i = 0; i < snap->nstates; i++) {
		keys[k] = snap->states[i];
		vals[k] = xmalloc(24);
		snprintf(vals[k], 24, "%" PRId64, snap->state_counts[i]);
		k++;
	}
	ret = table_add(t, nanos, target, k, keys, (const char *const *)vals);
	for (i = 0; i < k; i++)
		free(vals[i]);
	free(vals);
	free(keys);
	return ret;
}

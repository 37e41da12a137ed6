/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's charts: series ranked by growth, cut to lines to draw. */
#include "report/plot.h"
#include "base/human.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "report/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_pt(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * A sorted copy of p without twins (the same key at the same time: the
 * same file read twice, or two formats of one snapshot): the first wins.
 */
static struct pt *dedup(const struct pts *p, size_t *n)
{
	struct pt *q = xcalloc(p->n + 1, sizeof(*q));
	size_t i, m = 0;

	if (p->n)
		memcpy(q, p->p, p->n * sizeof(*q));
	if (p->n)
		qsort(q, p->n, sizeof(*q), cmp_pt);
	for (i = 0; i < p->n; i++) {
		if (m && q[m - 1].t == q[i].t && q[m - 1].key == q[i].key)
			continue;
		q[m++] = q[i];
	}
	*n = m;
	return q;
}

static struct line *new_line(struct chart *c, const char *title,
			     enum style st, size_t n)
{
	struct line *l;

	c->l = xgrow(c->l, &c->cap, c->n + 1, sizeof(*c->l));
	l = &c->l[c->n++];
	memset(l, 0, sizeof(*l));
	l->title = xstrdup(title);
	l->style = st;
	l->t = xcalloc(n + 1, sizeof(*l->t));
	l->y = xcalloc(n + 1, sizeof(*l->y));
	return l;
}

void plot_chart_release(struct chart *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->l[i].title);
		free(c->l[i].t);
		free(c->l[i].y);
	}
	free(c->l);
	memset(c, 0, sizeof(*c));
}

static void chart_bounds(struct chart *c)
{
	size_t i, j;

	c->ymax = 0;
	c->tmin = INT64_MAX;
	c->tmax = INT64_MIN;
	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->l[i].n; j++) {
			if (c->l[i].y[j] > c->ymax)
				c->ymax = c->l[i].y[j];
			if (c->l[i].t[j] < c->tmin)
				c->tmin = c->l[i].t[j];
			if (c->l[i].t[j] > c->tmax)
				c->tmax = c->l[i].t[j];
		}
	}
}

struct cand {
	uint32_t label;
	double growth, peak;
	const char *name;
	const struct pmark *mark;	/* the report names it */
	size_t order;		/* its place among the report's names */
};

/*
 * The ranking rule. What leaky report names as leaking or suspect comes
 * first, in its order (steepest first), so that the chart shows what the
 * report says. Then the keys that grew: a leak is what the last
 * snapshot holds that the first did not, so they rank by that growth,
 * most first. A key that shrank or stayed flat is no suspect, however
 * large, and has no line of its own: "(other)" holds it. Names break the
 * last ties: the same input always draws the same lines in the same
 * colours.
 */
static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (!x->mark != !y->mark)
		return x->mark ? -1 : 1;
	if (x->mark && x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void growth_text(char *buf, size_t n, double g, int bytes)
{
	char h[32];

	if (g == 0) {
		snprintf(buf, n, "+0");
	} else if (bytes) {
		human_size(h, sizeof(h), fabs(g), &human_iec_legend);
		snprintf(buf, n, "%s%s", g < 0 ? "-" : "+", h);
	} else {
		snprintf(buf, n, "%+.0f", g);
	}
}

void plot_rate_text(char *buf, size_t n, double per_s, int bytes)
{
	char g[48];

	growth_text(g, sizeof(g), per_s * 3600, bytes);
	snprintf(buf, n, "%s/h", g);
}

const struct pmark *plot_whole_mark(const struct ptarget *t,
				    enum report_part part)
{
	const struct pmark *best = NULL;
	size_t i;

	for (i = 0; i < t->nmarks; i++)
		if (t->marks[i].part == part &&
		    (!best || t->marks[i].v >= best->v))
			best = &t->marks[i];
	return best;
}

/*
 * The report's mark of label in a chart of series s (functions of the
 * heap, groups of goroutines), suspect or worse, the worst of its
 * segments; its place among the marks in *order. NULL when the report
 * names it not.
 */
static const struct pmark *key_mark(const struct ptarget *t, enum ser s,
				    uint32_t label, size_t *order)
{
	enum report_part part = s == S_HEAP ? REPORT_PART_FUNCTION :
				REPORT_PART_GROUP;
	const struct pmark *best = NULL;
	size_t i;

	if (s != S_HEAP && s != S_GOR)
		return NULL;
	for (i = 0; i < t->nmarks; i++) {
		const struct pmark *m = &t->marks[i];

		if (m->part != part || m->label != label ||
		    m->v < VERDICT_SUSPECT || (best && m->v <= best->v))
			continue;
		if (!best)
			*order = i;
		best = m;
	}
	return best;
}

/*
 * src's points by legend label, sorted by time then label. Twins of one
 * key are dropped first (dedup()); then keys that share a label (groups
 * that differ only in what the legend leaves out) are summed, as the
 * legend can show them only as one line.
 */
static struct pt *by_label(const struct plot_data *pd, enum ser s,
			   const struct pts *src, size_t *np)
{
	size_t n, i, j;
	struct pt *p = dedup(src, &n);

	for (i = 0; i < n; i++)
		p[i].key = pd->label_of[s][p[i].key];
	if (n)
		qsort(p, n, sizeof(*p), cmp_pt);
	for (i = 0, j = 0; i < n; i++) {
		if (j && p[j - 1].t == p[i].t && p[j - 1].key == p[i].key) {
			p[j - 1].v += p[i].v;
			continue;
		}
		p[j++] = p[i];
	}
	*np = j;
	return p;
}

/*
 * The times of p and of tp (both sorted by time), each once, ascending,
 * into times (room for n + ntot); returns how many.
 */
static size_t merge_times(const struct pt *p, size_t n, const struct pt *tp,
			  size_t ntot, int64_t *times)
{
	size_t i, j, nt = 0;

	for (i = 0, j = 0; i < n || j < ntot;) {
		int64_t t = j >= ntot || (i < n && p[i].t < tp[j].t) ?
			    p[i].t : tp[j].t;

		if (!nt || times[nt - 1] != t)
			times[nt++] = t;
		if (i < n && p[i].t == t)
			i++;
		else
			j++;
	}
	return nt;
}

/*
 * The labels that may have a line, best first (cmp_cand()): those the
 * report names, and those that grew. Growth runs from the chart's first
 * time to its last (times[0], times[nt - 1]), a label absent at either
 * end counting 0 there: it appeared, or went away. An "(other)" the input
 * summed already (heaper --top writes one) has no line. Returns them
 * (caller frees), *ncand their number, *nkeys that of every label with a
 * point above zero.
 */
static struct cand *rank_labels(const struct plot_data *pd,
				const struct ptarget *t, enum ser s,
				const struct pt *p, size_t n,
				const int64_t *times, size_t nt, size_t *ncand,
				size_t *nkeys)
{
	struct strmap *labels = pd->label[s];
	size_t nl = strmap_count(labels), i, nc = 0, nk = 0;
	double *first = xcalloc(nl + 1, sizeof(*first));
	double *last = xcalloc(nl + 1, sizeof(*last));
	double *peak = xcalloc(nl + 1, sizeof(*peak));
	unsigned char *seen = xcalloc(nl + 1, 1);
	struct cand *cd = xcalloc(nl + 1, sizeof(*cd));
	long other_label = strmap_find(labels, "(other)", 7);

	for (i = 0; i < n; i++) {
		uint32_t l = p[i].key;

		seen[l] = 1;
		if (p[i].t == times[0])
			first[l] = p[i].v;
		if (p[i].t == times[nt - 1])
			last[l] = p[i].v;
		if (p[i].v > peak[l])
			peak[l] = p[i].v;
	}
	for (i = 0; i < nl; i++) {
		const struct pmark *m;
		size_t order = 0;

		if (!seen[i] || (long)i == other_label || !(peak[i] > 0))
			continue;
		nk++;
		m = key_mark(t, s, (uint32_t)i, &order);
		if (!m && !(last[i] - first[i] > 0))
			continue;
		cd[nc].label = (uint32_t)i;
		cd[nc].growth = last[i] - first[i];
		cd[nc].peak = peak[i];
		cd[nc].name = strmap_str(labels, (uint32_t)i);
		cd[nc].mark = m;
		cd[nc].order = order;
		nc++;
	}
	if (nc)
		qsort(cd, nc, sizeof(*cd), cmp_cand);
	free(first);
	free(last);
	free(peak);
	free(seen);
	*ncand = nc;
	*nkeys = nk;
	return cd;
}

/*
 * A top line's legend name: pprof's short form, unless another top line
 * shortens to the same (two packages of one name): then the full name.
 */
static void line_name(char *buf, size_t n, const struct cand *cd,
		      size_t ntop, size_t k)
{
	char other[512];
	size_t j;

	plot_short_name(cd[k].name, buf, n);
	for (j = 0; j < ntop; j++) {
		if (j == k)
			continue;
		plot_short_name(cd[j].name, other, sizeof(other));
		if (!strcmp(buf, other)) {
			snprintf(buf, n, "%s", cd[k].name);
			return;
		}
	}
}

/*
 * The lines of a keyed chart, nt points each: the total (line 0), the
 * ntop best candidates (lines 1 to ntop, legend "name (growth)", with
 * the report's verdict and rate for those it names), and when other
 * "(other)" (line ntop + 1) for the nkeys - ntop others. rank[label] is
 * a top label's line less one, -1 for the others (nl labels).
 */
static void add_lines(struct chart *c, const struct cand *cd, size_t nkeys,
		      size_t ntop, size_t nt, const char *total_title,
		      const char *what, int other, long *rank, size_t nl)
{
	char title[1100], name[512], g[48], rate[64];
	size_t k;

	for (k = 0; k < nl; k++)
		rank[k] = -1;
	new_line(c, total_title, ST_TOTAL, nt);
	for (k = 0; k < ntop; k++) {
		struct line *l;

		growth_text(g, sizeof(g), cd[k].growth, c->bytes);
		line_name(name, sizeof(name), cd, ntop, k);
		/* Name and growth apart: legend() cuts only the name. */
		if (cd[k].mark) {
			plot_rate_text(rate, sizeof(rate), cd[k].mark->slope,
				       c->bytes);
			snprintf(title, sizeof(title), "%s\x1f (%s; %s %s)",
				 name, g, verdict_name(cd[k].mark->v), rate);
		} else {
			snprintf(title, sizeof(title), "%s\x1f (%s)", name,
				 g);
		}
		l = new_line(c, title, ST_LINE, nt);
		l->color = k;
		l->mark = cd[k].mark;
		rank[cd[k].label] = (long)k;
	}
	if (!other)
		return;
	if (nkeys > ntop)
		snprintf(title, sizeof(title), "(other) %zu more %s%s",
			 nkeys - ntop, what, nkeys - ntop == 1 ? "" : "s");
	else
		snprintf(title, sizeof(title), "(other)");
	new_line(c, title, ST_OTHER, nt);
}

/*
 * One row per time: the total the input gave (else the sum of every
 * key), each top key's value (0 when it is absent then), and "(other)":
 * the total less the top keys. A total the input gave is read apart from
 * its keys and need not be their sum (negative values, twins dropped on
 * one side only): "(other)" is held at 0 rather than drawn below the
 * axis, where it would mean nothing.
 */
static void fill_rows(struct chart *c, const struct pt *p, size_t n,
		      const struct pt *tp, size_t ntot, const int64_t *times,
		      size_t nt, const long *rank, size_t ntop, int other)
{
	struct line *lt = &c->l[0], *lo = other ? &c->l[ntop + 1] : NULL;
	size_t i, j, k, r;

	for (k = 0, i = 0, j = 0; k < nt; k++) {
		double sum = 0, kept = 0;
		int have_tot = 0;

		for (; j < ntot && tp[j].t == times[k]; j++) {
			lt->y[k] = tp[j].v;
			have_tot = 1;
		}
		for (r = 0; r < ntop; r++) {
			c->l[1 + r].t[k] = times[k];
			c->l[1 + r].y[k] = 0;
		}
		for (; i < n && p[i].t == times[k]; i++) {
			sum += p[i].v;
			if (rank[p[i].key] >= 0) {
				c->l[1 + rank[p[i].key]].y[k] = p[i].v;
				kept += p[i].v;
			}
		}
		if (!have_tot)
			lt->y[k] = sum;
		lt->t[k] = times[k];
		if (lo) {
			lo->t[k] = times[k];
			lo->y[k] = lt->y[k] - kept;
			if (lo->y[k] < 0)
				lo->y[k] = 0;
		}
	}
	for (i = 0; i < c->n; i++)
		c->l[i].n = nt;
}

/* An "(other)" line (the last) that is zero throughout says nothing. */
static void drop_empty_other(struct chart *c)
{
	struct line *lo = &c->l[c->n - 1];
	size_t k;

	for (k = 0; k < lo->n && !(lo->y[k] > 0); k++)
		;
	if (k < lo->n)
		return;
	free(lo->title);
	free(lo->t);
	free(lo->y);
	c->n--;
}

/*
 * Lines of a keyed series: the total, the top keys by the ranking rule
 * (cmp_cand()) and, when other, the rest summed as "(other)".
 */
void plot_keyed_chart(const struct plot_data *pd, const struct ptarget *t,
		      enum ser s, const struct pts *src,
		      const struct pts *tot, const char *total_title,
		      const char *what, int other, int bytes,
		      struct chart *c)
{
	size_t nl = strmap_count(pd->label[s]), n, ntot, nt, ncand, ntop;
	size_t nkeys;
	char title[256];
	struct pt *p = by_label(pd, s, src, &n), *tp = dedup(tot, &ntot);
	int64_t *times = xcalloc(n + ntot + 1, sizeof(*times));
	long *rank = xcalloc(nl + 1, sizeof(*rank));
	struct cand *cd;

	memset(c, 0, sizeof(*c));
	c->bytes = bytes;
	nt = merge_times(p, n, tp, ntot, times);
	ncand = nkeys = 0;
	cd = nt ? rank_labels(pd, t, s, p, n, times, nt, &ncand, &nkeys) :
		  xcalloc(1, sizeof(*cd));
	ntop = ncand < pd->o.top ? ncand : pd->o.top;
	/*
	 * Nothing grew: "(other)" would be the total again, drawn over it;
	 * the total says so instead.
	 */
	if (other && !ntop && nkeys) {
		snprintf(title, sizeof(title), "%s; no %s grew", total_title,
			 what);
		total_title = title;
		other = 0;
	}
	add_lines(c, cd, nkeys, ntop, nt, total_title, what, other, rank,
		  nl);
	fill_rows(c, p, n, tp, ntot, times, nt, rank, ntop, other);
	if (other)
		drop_empty_other(c);
	if (!nt)
		plot_chart_release(c);
	else
		chart_bounds(c);
	free(p);
	free(tp);
	free(times);
	free(rank);
	free(cd);
}

/*
 * A memory line's legend: its name, and for RSS the report's verdict
 * and rate when it is suspect or worse.
 */
static const char *mem_title(const struct ptarget *t, int key, char *buf,
			     size_t n)
{
	const struct pmark *m = key == MEM_RSS ?
				plot_whole_mark(t, REPORT_PART_RSS) :
				key == MEM_ANON ?
				plot_whole_mark(t, REPORT_PART_ANON) : NULL;
	char rate[64];

	if (key == MEM_HEAPINUSE) {
		snprintf(buf, n, "MemStats HeapInuse (spans in use)");
		return buf;
	}
	if (!m || m->v < VERDICT_SUSPECT)
		return plot_mem_names[key];
	plot_rate_text(rate, sizeof(rate), m->slope, 1);
	snprintf(buf, n, "%s\x1f (%s %s)", plot_mem_names[key],
		 verdict_name(m->v), rate);
	return buf;
}

/* RSS, anonymous RSS, the heap in use (heap profile), HeapInuse. */
void plot_mem_chart(const struct ptarget *t, const struct chart *heap,
		      struct chart *c)
{
	/* -1: the heap profile's total, between anon and MemStats. */
	static const int order[] = { MEM_RSS, MEM_ANON, -1, MEM_HEAPINUSE };
	size_t n, i, k;
	struct pt *p = dedup(&t->s[S_MEM], &n);
	int has_rss = 0;
	char title[128];

	memset(c, 0, sizeof(*c));
	c->bytes = 1;
	for (i = 0; i < n; i++)
		if (p[i].key == MEM_RSS || p[i].key == MEM_ANON)
			has_rss = 1;
	for (k = 0; has_rss && k < 4; k++) {
		struct line *l;
		size_t m = 0;

		if (order[k] < 0) {
			const struct line *h;

			if (!heap || !heap->n)
				continue;
			h = &heap->l[0];
			l = new_line(c, "Go heap in use (heap profile)",
				     ST_HEAPP, h->n);
			memcpy(l->t, h->t, h->n * sizeof(*l->t));
			memcpy(l->y, h->y, h->n * sizeof(*l->y));
			l->n = h->n;
			continue;
		}
		for (i = 0; i < n; i++)
			m += p[i].key == (uint32_t)order[k];
		if (!m)
			continue;
		l = new_line(c, mem_title(t, order[k], title,
					  sizeof(title)), ST_LINE, m);
		l->color = (size_t)order[k];
		l->mark = order[k] == MEM_RSS ?
			  plot_whole_mark(t, REPORT_PART_RSS) :
			  order[k] == MEM_ANON ?
			  plot_whole_mark(t, REPORT_PART_ANON) : NULL;
		for (i = 0; i < n; i++) {
			if (p[i].key != (uint32_t)order[k])
				continue;
			l->t[l->n] = p[i].t;
			l->y[l->n++] = p[i].v;
		}
	}
	free(p);
	if (c->n)
		chart_bounds(c);
}

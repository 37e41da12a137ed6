/* Charts through gnuplot: series per target, a script, gnuplot run on it. */
#include "report/plot.h"
#include "out/csvout.h"
#include "report/dataset.h"
#include "base/leaky.h"
#include "base/strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The series a target can hold; S_GSTATE: goroutines --totals by state. */
enum ser { S_HEAP, S_GOR, S_GSTATE, S_MEM, NSER };

/* Fixed keys of S_MEM, interned first so that their ids are these. */
enum { MEM_RSS, MEM_ANON, MEM_HEAPINUSE };
static const char *const mem_names[] = { "RSS", "anonymous RSS",
					 "MemStats HeapInuse" };

struct pt {
	int64_t t;		/* nanoseconds since the epoch */
	uint32_t key;		/* ident id, later label id */
	uint32_t seq;		/* arrival order: the first twin wins */
	double v;
};

struct pts {
	struct pt *p;
	size_t n, cap;
};

struct ptarget {
	char *name;
	struct pts s[NSER];
	struct pts tot[NSER];	/* totals given by the input (key 0) */
	int64_t *restarts;
	size_t nrestarts, caprestarts;
};

struct plot_data {
	struct plot_opts o;
	struct strmap *tnames;	/* target name -> index in t */
	struct ptarget *t;
	size_t cap;
	int *keep;		/* per target: drawn */
	/* Per series: what makes a key distinct, and what a legend shows. */
	struct strmap *ident[NSER], *label[NSER];
	uint32_t *label_of[NSER];
	size_t caplabel[NSER];
	uint32_t seq;
};

void plot_opts_default(struct plot_opts *o)
{
	o->top = PLOT_TOP;
	o->type = PLOT_TYPE;
	o->width = PLOT_WIDTH;
	o->height = PLOT_HEIGHT;
	o->format = PLOT_PNG;
}

struct plot_data *plot_data_new(const struct plot_opts *o)
{
	struct plot_data *pd = xcalloc(1, sizeof(*pd));
	size_t i;

	pd->o = *o;
	pd->tnames = strmap_new();
	for (i = 0; i < NSER; i++) {
		pd->ident[i] = strmap_new();
		pd->label[i] = strmap_new();
	}
	for (i = 0; i < 3; i++) {
		strmap_intern(pd->ident[S_MEM], mem_names[i],
			      strlen(mem_names[i]), NULL);
		strmap_intern(pd->label[S_MEM], mem_names[i],
			      strlen(mem_names[i]), NULL);
	}
	pd->label_of[S_MEM] = xcalloc(3, sizeof(*pd->label_of[S_MEM]));
	pd->caplabel[S_MEM] = 3;
	for (i = 0; i < 3; i++)
		pd->label_of[S_MEM][i] = (uint32_t)i;
	return pd;
}

void plot_data_free(struct plot_data *pd)
{
	size_t i, k;

	if (!pd)
		return;
	for (i = 0; i < strmap_count(pd->tnames); i++) {
		struct ptarget *t = &pd->t[i];

		for (k = 0; k < NSER; k++) {
			free(t->s[k].p);
			free(t->tot[k].p);
		}
		free(t->restarts);
		free(t->name);
	}
	for (k = 0; k < NSER; k++) {
		strmap_free(pd->ident[k]);
		strmap_free(pd->label[k]);
		free(pd->label_of[k]);
	}
	strmap_free(pd->tnames);
	free(pd->t);
	free(pd->keep);
	free(pd);
}

static struct ptarget *target(struct plot_data *pd, const char *name)
{
	int added;
	uint32_t id = strmap_intern(pd->tnames, name, strlen(name), &added);
	struct ptarget *t;

	if (!added)
		return &pd->t[id];
	pd->t = xgrow(pd->t, &pd->cap, (size_t)id + 1, sizeof(*pd->t));
	t = &pd->t[id];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	return t;
}

/* The id of a key distinct by ident, shown as label. */
static uint32_t key(struct plot_data *pd, enum ser s, const char *ident,
		    size_t n, const char *label)
{
	int added;
	uint32_t id = strmap_intern(pd->ident[s], ident, n, &added);

	if (added) {
		pd->label_of[s] = xgrow(pd->label_of[s], &pd->caplabel[s],
					(size_t)id + 1,
					sizeof(*pd->label_of[s]));
		pd->label_of[s][id] = strmap_intern(pd->label[s], label,
						    strlen(label), NULL);
	}
	return id;
}

static void add(struct plot_data *pd, struct pts *p, int64_t t,
		uint32_t k, double v)
{
	p->p = xgrow(p->p, &p->cap, p->n + 1, sizeof(*p->p));
	p->p[p->n].t = t;
	p->p[p->n].key = k;
	p->p[p->n].seq = pd->seq++;
	p->p[p->n].v = v;
	p->n++;
}

/* The legend name of a goroutine group, from what the input says of it. */
static void group_label(char *buf, size_t n, const char *top,
			const char *state, const char *labels,
			const char *created_by, const char *stack)
{
	const char *name = top && *top ? top : NULL;
	size_t len;

	if (!name && stack && *stack) {
		name = strrchr(stack, ';');
		name = name ? name + 1 : stack;
	}
	if (name)
		snprintf(buf, n, "%s", name);
	else if (created_by && *created_by)
		snprintf(buf, n, "created by %s", created_by);
	else
		buf[0] = '\0';
	len = strlen(buf);
	if (state && *state)
		snprintf(buf + len, n - len, len ? " [%s]" : "%s", state);
	len = strlen(buf);
	if (labels && *labels)
		snprintf(buf + len, n - len, len ? " {%s}" : "{%s}", labels);
	if (!buf[0])
		snprintf(buf, n, "(no stack)");
}

/* What makes a group distinct: all its describing fields. */
static char *group_ident(const char *top, const char *state,
			 const char *labels, const char *created_by,
			 const char *stack, size_t *len)
{
	const char *f[5] = { stack, state, labels, top, created_by };
	size_t n = 5, i;
	char *s;

	for (i = 0; i < 5; i++) {
		if (!f[i])
			f[i] = "";
		n += strlen(f[i]);
	}
	s = xmalloc(n);
	s[0] = '\0';
	for (i = 0; i < 5; i++) {
		strcat(s, f[i]);
		if (i < 4)
			strcat(s, "\x1f");
	}
	*len = strlen(s);
	return s;
}

void plot_add_dataset(struct plot_data *pd, const struct dataset *ds)
{
	long heapinuse = ds_stat_id(ds, "HeapInuse");
	char label[512];
	size_t i, j, k;

	for (i = 0; i < ds->ntargets; i++) {
		const struct ds_target *dt = &ds->targets[i];
		struct ptarget *t = target(pd, dt->name);

		for (j = 0; j < dt->nheap; j++) {
			const struct ds_heap *h = &dt->heap[j];

			add(pd, &t->tot[S_HEAP], h->t, 0,
			    (double)h->inuse_space);
			for (k = 0; k < h->nrows; k++) {
				const char *f = ds_func_name(ds, h->keys[k]);

				if (!h->flat[k])
					continue;
				add(pd, &t->s[S_HEAP], h->t,
				    key(pd, S_HEAP, f, strlen(f), f),
				    (double)h->flat[k]);
			}
		}
		for (j = 0; j < dt->ngor; j++) {
			const struct ds_gor *g = &dt->gor[j];

			add(pd, &t->tot[S_GOR], g->t, 0, (double)g->total);
			for (k = 0; k < g->nrows; k++) {
				const struct ds_group *gi =
					&ds->group_info[g->keys[k]];
				size_t n;
				char *id = group_ident(gi->top, gi->state,
						       gi->labels,
						       gi->created_by,
						       gi->stack, &n);

				group_label(label, sizeof(label), gi->top,
					    gi->state, gi->labels,
					    gi->created_by, gi->stack);
				add(pd, &t->s[S_GOR], g->t,
				    key(pd, S_GOR, id, n, label),
				    (double)g->count[k]);
				free(id);
			}
		}
		for (j = 0; j < dt->nmem; j++) {
			const struct ds_mem *m = &dt->mem[j];

			if (m->rss_kb >= 0)
				add(pd, &t->s[S_MEM], m->t, MEM_RSS,
				    (double)m->rss_kb * 1024);
			if (m->anon_kb >= 0)
				add(pd, &t->s[S_MEM], m->t, MEM_ANON,
				    (double)m->anon_kb * 1024);
		}
		for (j = 0; heapinuse >= 0 && j < dt->nstats; j++) {
			double v = ds_stat(&dt->stats[j], heapinuse);

			if (!isnan(v))
				add(pd, &t->s[S_MEM], dt->stats[j].t,
				    MEM_HEAPINUSE, v);
		}
		for (j = 0; j < dt->nrestarts; j++) {
			t->restarts = xgrow(t->restarts, &t->caprestarts,
					    t->nrestarts + 1,
					    sizeof(*t->restarts));
			t->restarts[t->nrestarts++] = dt->restarts[j].t;
		}
	}
}

/* ---- CSV input ---- */

static long column(const char *const *f, size_t nf, const char *name)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (!strcmp(f[i], name))
			return (long)i;
	return -1;
}

enum plot_csv_kind plot_csv_detect(const char *const *f, size_t nf)
{
	static const char *const keys[] = { "function", "file", "line",
					    "stack" };
	size_t i;

	if (nf < 3 || strcmp(f[0], "time") || strcmp(f[1], "target"))
		return PLOT_CSV_UNKNOWN;
	for (i = 0; i < 4; i++)
		if (!strcmp(f[2], keys[i]))
			return nf > 3 ? PLOT_CSV_HEAP : PLOT_CSV_UNKNOWN;
	if (!strcmp(f[2], "goroutines"))
		return column(f, nf, "stack") >= 0 &&
		       column(f, nf, "state") >= 0 ?
		       PLOT_CSV_GOROUTINES : PLOT_CSV_GOROUTINE_TOTALS;
	if (!strcmp(f[2], "pid")) {
		if (column(f, nf, "address") >= 0 &&
		    column(f, nf, "mapping") >= 0)
			return PLOT_CSV_PMAP_MAPPINGS;
		if (column(f, nf, "rss_kb") >= 0)
			return PLOT_CSV_PMAP;
	}
	return PLOT_CSV_UNKNOWN;
}

/*
 * RFC 3339, epoch seconds or epoch milliseconds (heaper --time unixms):
 * a number of 12 digits or more is milliseconds, as no sample is from
 * beyond the year 5000.
 */
static int parse_time(const char *s, int64_t *ns)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '-')
		p++;
	if (*p >= '0' && *p <= '9' && strspn(p, "0123456789") == strlen(p)) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || *end)
			return -1;
		if (llabs(v) >= 100000000000LL) {
			if (llabs(v) > INT64_MAX / 1000000)
				return -1;
			*ns = (int64_t)v * 1000000;
		} else {
			*ns = (int64_t)v * 1000000000;
		}
		return 0;
	}
	return csv_parse_time(s, ns);
}

struct csvctx {
	struct plot_data *pd;
	const char *name;
	int adding;		/* second pass: rows were all good */
	enum plot_csv_kind kind;
	size_t nf, row;
	int bad;		/* reported; the file adds nothing */
	long value, state, top, stack, labels, created_by, rss, anon;
	char **hdr;		/* --totals: the state columns */
};

static int bad_row(struct csvctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad_row(struct csvctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s: row %zu: %s", c->name, c->row, msg);
	c->bad = 1;
	return 1;
}

/* A value field: empty (absent, *ok 0), or a finite number. */
static int number(struct csvctx *c, const char *s, double *v, int *ok)
{
	char *end;

	*ok = 0;
	if (!*s)
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(*v))
		return bad_row(c, "bad number '%s'", s);
	*ok = 1;
	return 0;
}

static const char *opt_field(const char *const *f, long col)
{
	return col >= 0 ? f[col] : "";
}

static void describe_header(const char *const *f, size_t nf, char *buf,
			    size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nf && len + 1 < n; i++) {
		snprintf(buf + len, n - len, "%s%s", i ? "," : "", f[i]);
		len = strlen(buf);
	}
	if (len > 60)
		strcpy(buf + 57, "...");
}

static int csv_header(struct csvctx *c, const char *const *f, size_t nf)
{
	char h[128];
	size_t i;

	c->kind = plot_csv_detect(f, nf);
	c->nf = nf;
	describe_header(f, nf, h, sizeof(h));
	switch (c->kind) {
	case PLOT_CSV_UNKNOWN:
		error("%s: not a CSV of leaky heaper (long layout), "
		      "goroutines or pmap: header '%s'", c->name, h);
		c->bad = 1;
		return 1;
	case PLOT_CSV_PMAP_MAPPINGS:
		error("%s: a per-mapping CSV (leaky pmap --mappings); plot "
		      "reads leaky pmap's totals", c->name);
		c->bad = 1;
		return 1;
	case PLOT_CSV_HEAP:
		c->value = column(f, nf, c->pd->o.type);
		if (c->value < 3) {
			error("%s: no '%s' column (header '%s'): choose "
			      "one with --type", c->name, c->pd->o.type, h);
			c->bad = 1;
			return 1;
		}
		break;
	case PLOT_CSV_GOROUTINES:
		c->state = column(f, nf, "state");
		c->top = column(f, nf, "top");
		c->stack = column(f, nf, "stack");
		c->labels = column(f, nf, "labels");
		c->created_by = column(f, nf, "created_by");
		break;
	case PLOT_CSV_GOROUTINE_TOTALS:
		if (!c->adding)
			break;
		c->hdr = xcalloc(nf, sizeof(*c->hdr));
		for (i = 3; i < nf; i++)
			if (strncmp(f[i], ">=", 2))
				c->hdr[i] = xstrdup(f[i]);
		break;
	case PLOT_CSV_PMAP:
		c->rss = column(f, nf, "rss_kb");
		c->anon = column(f, nf, "anon_kb");
		break;
	}
	return 0;
}

static int csv_fields(const char *const *f, size_t nf, void *ctx)
{
	struct csvctx *c = ctx;
	struct plot_data *pd = c->pd;
	struct ptarget *t = NULL;
	char label[512];
	double v;
	int64_t when;
	size_t i;
	int ok;

	c->row++;
	if (c->row == 1)
		return csv_header(c, f, nf);
	if (nf == 1 && !f[0][0])
		return 0;
	if (nf != c->nf)
		return bad_row(c, "%zu fields, the header %zu", nf, c->nf);
	if (parse_time(f[0], &when) < 0)
		return bad_row(c, "bad time '%s'", f[0]);
	if (!f[1][0])
		return bad_row(c, "empty target");
	if (c->adding)
		t = target(pd, f[1]);
	switch (c->kind) {
	case PLOT_CSV_HEAP:
		if (number(c, f[c->value], &v, &ok))
			return 1;
		if (ok && t)
			add(pd, &t->s[S_HEAP], when,
			    key(pd, S_HEAP, f[2], strlen(f[2]), f[2]), v);
		break;
	case PLOT_CSV_GOROUTINES:
		if (number(c, f[2], &v, &ok))
			return 1;
		if (ok && t) {
			size_t n;
			char *id = group_ident(
				opt_field(f, c->top), f[c->state],
				opt_field(f, c->labels),
				opt_field(f, c->created_by), f[c->stack], &n);

			group_label(label, sizeof(label),
				    opt_field(f, c->top), f[c->state],
				    opt_field(f, c->labels),
				    opt_field(f, c->created_by),
				    f[c->stack]);
			add(pd, &t->s[S_GOR], when,
			    key(pd, S_GOR, id, n, label), v);
			free(id);
		}
		break;
	case PLOT_CSV_GOROUTINE_TOTALS:
		for (i = 2; i < nf; i++) {
			if (number(c, f[i], &v, &ok))
				return 1;
			if (!ok || !t)
				continue;
			if (i == 2)
				add(pd, &t->tot[S_GSTATE], when, 0, v);
			else if (c->hdr[i])
				add(pd, &t->s[S_GSTATE], when,
				    key(pd, S_GSTATE, c->hdr[i],
					strlen(c->hdr[i]), c->hdr[i]), v);
		}
		break;
	case PLOT_CSV_PMAP:
		if (number(c, f[c->rss], &v, &ok))
			return 1;
		if (ok && t)
			add(pd, &t->s[S_MEM], when, MEM_RSS, v * 1024);
		if (c->anon >= 0) {
			if (number(c, f[c->anon], &v, &ok))
				return 1;
			if (ok && t)
				add(pd, &t->s[S_MEM], when, MEM_ANON,
				    v * 1024);
		}
		break;
	default:
		c->bad = 1;
		return 1;
	}
	return 0;
}

/* Names as they were: the ' csvout_text() puts before a formula undone. */
static int csv_row(const char *const *f, size_t nf, void *ctx)
{
	const char *small[32] = { NULL }, **g = small;
	size_t i;
	int r;

	if (nf > sizeof(small) / sizeof(small[0]))
		g = xcalloc(nf, sizeof(*g));
	for (i = 0; i < nf; i++)
		g[i] = csv_text_unprefix(f[i]);
	r = csv_fields(g, nf, ctx);
	if (g != small)
		free(g);
	return r;
}

int plot_add_csv(struct plot_data *pd, const char *name, const char *data,
		 size_t len)
{
	struct csvctx c = { .pd = pd, .name = name };
	size_t i;
	int ret;

	/* A first pass checks every row, so that a bad file adds nothing. */
	if (csv_read(name, data, len, csv_row, &c) < 0)
		return -1;
	if (c.row == 0) {
		error("%s: empty file", name);
		return -1;
	}
	if (c.bad)
		return -1;
	c.row = 0;
	c.adding = 1;
	ret = csv_read(name, data, len, csv_row, &c) < 0 || c.bad ? -1 : 0;
	if (c.hdr)
		for (i = 0; i < c.nf; i++)
			free(c.hdr[i]);
	free(c.hdr);
	return ret;
}

size_t plot_keep_targets(struct plot_data *pd, char *const *names, size_t n)
{
	size_t nt = strmap_count(pd->tnames), i, j, kept = 0;

	free(pd->keep);
	pd->keep = xcalloc(nt + 1, sizeof(*pd->keep));
	for (i = 0; i < nt; i++)
		for (j = 0; j < n; j++)
			if (!strcmp(pd->t[i].name, names[j]))
				pd->keep[i] = 1;
	for (i = 0; i < nt; i++)
		kept += (size_t)pd->keep[i];
	return kept;
}

/* ---- from points to lines ---- */

enum style { ST_TOTAL, ST_OTHER, ST_HEAPP, ST_LINE };

struct line {
	char *title;
	enum style style;
	size_t color;		/* ST_LINE: rank */
	int64_t *t;
	double *y;
	size_t n;
};

struct chart {
	struct line *l;
	size_t n, cap;
	double ymax;
	int64_t tmin, tmax;
	int bytes;
};

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

static void chart_release(struct chart *c)
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
};

/* Growers first, most first; then the largest at their peak; then name. */
static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int gx = x->growth > 0, gy = y->growth > 0;

	if (gx != gy)
		return gy - gx;
	if (gx && x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	if (x->peak != y->peak)
		return x->peak > y->peak ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void growth_text(char *buf, size_t n, double g, int bytes)
{
	char h[32];

	if (g == 0) {
		snprintf(buf, n, "+0");
	} else if (bytes) {
		plot_human_bytes(fabs(g), h, sizeof(h));
		snprintf(buf, n, "%s%s", g < 0 ? "-" : "+", h);
	} else {
		snprintf(buf, n, "%+.0f", g);
	}
}

/*
 * Lines of a keyed series: the total, the top growers (growth from the
 * first snapshot to the last; when fewer grew, the largest at their peak)
 * and, when other, the rest summed as "(other)".
 */
static void keyed_chart(const struct plot_data *pd, enum ser s,
			const struct pts *src, const struct pts *tot,
			const char *total_title, const char *what, int other,
			int bytes, struct chart *c)
{
	struct strmap *labels = pd->label[s];
	size_t nl = strmap_count(labels), n, ntot, nt = 0, i, j, k, r;
	size_t ncand = 0, ntop;
	struct pt *p = dedup(src, &n), *tp = dedup(tot, &ntot);
	int64_t *times = xcalloc(n + ntot + 1, sizeof(*times));
	double *first = xcalloc(nl + 1, sizeof(*first));
	double *last = xcalloc(nl + 1, sizeof(*last));
	double *peak = xcalloc(nl + 1, sizeof(*peak));
	unsigned char *seen = xcalloc(nl + 1, 1);
	long *rank = xcalloc(nl + 1, sizeof(*rank));
	struct cand *cd = xcalloc(nl + 1, sizeof(*cd));
	long other_label = strmap_find(labels, "(other)", 7);
	struct line *lt, *lo = NULL, **top;
	char title[640], g[48];

	memset(c, 0, sizeof(*c));
	c->bytes = bytes;
	/* Keys to labels (twins with one label add up), then the times. */
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
	n = j;
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
		rank[i] = -1;
		if (!seen[i] || (long)i == other_label || !(peak[i] > 0))
			continue;
		cd[ncand].label = (uint32_t)i;
		cd[ncand].growth = last[i] - first[i];
		cd[ncand].peak = peak[i];
		cd[ncand].name = strmap_str(labels, (uint32_t)i);
		ncand++;
	}
	if (ncand)
		qsort(cd, ncand, sizeof(*cd), cmp_cand);
	ntop = ncand < pd->o.top ? ncand : pd->o.top;
	lt = new_line(c, total_title, ST_TOTAL, nt);
	top = xcalloc(ntop + 1, sizeof(*top));
	for (k = 0; k < ntop; k++) {
		growth_text(g, sizeof(g), cd[k].growth, bytes);
		snprintf(title, sizeof(title), "%s\x1f (%s)", cd[k].name, g);
		top[k] = new_line(c, title, ST_LINE, nt);
		top[k]->color = k;
		rank[cd[k].label] = (long)k;
	}
	/* The rest, and what the total holds besides the keys. */
	if (other) {
		if (ncand > ntop)
			snprintf(title, sizeof(title), "(other) %zu more %s%s",
				 ncand - ntop, what,
				 ncand - ntop == 1 ? "" : "s");
		else
			snprintf(title, sizeof(title), "(other)");
		lo = new_line(c, title, ST_OTHER, nt);
	}
	/* One row per time: the total, the top keys, the rest. */
	for (k = 0, i = 0, j = 0; k < nt; k++) {
		double sum = 0, kept = 0;
		int have_tot = 0;

		for (; j < ntot && tp[j].t == times[k]; j++) {
			lt->y[k] = tp[j].v;
			have_tot = 1;
		}
		for (r = 0; r < ntop; r++) {
			top[r]->t[k] = times[k];
			top[r]->y[k] = 0;
		}
		for (; i < n && p[i].t == times[k]; i++) {
			sum += p[i].v;
			if (rank[p[i].key] >= 0) {
				top[rank[p[i].key]]->y[k] = p[i].v;
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
	/* An "(other)" that is zero throughout says nothing. */
	if (lo) {
		for (k = 0; k < nt && !(lo->y[k] > 0); k++)
			;
		if (k == nt) {
			free(lo->title);
			free(lo->t);
			free(lo->y);
			c->n--;
		}
	}
	if (!nt)
		chart_release(c);
	else
		chart_bounds(c);
	free(top);
	free(p);
	free(tp);
	free(times);
	free(first);
	free(last);
	free(peak);
	free(seen);
	free(rank);
	free(cd);
}

/* RSS, anonymous RSS, the heap in use (heap profile), HeapInuse. */
static void mem_chart(const struct ptarget *t, const struct chart *heap,
		      struct chart *c)
{
	/* -1: the heap profile's total, between anon and MemStats. */
	static const int order[] = { MEM_RSS, MEM_ANON, -1, MEM_HEAPINUSE };
	size_t n, i, k;
	struct pt *p = dedup(&t->s[S_MEM], &n);
	int has_rss = 0;

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
		l = new_line(c, mem_names[order[k]], ST_LINE, m);
		l->color = (size_t)order[k];
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

/* ---- helpers ---- */

int plot_format_parse(const char *s, enum plot_format *f)
{
	if (!strcmp(s, "png"))
		*f = PLOT_PNG;
	else if (!strcmp(s, "svg"))
		*f = PLOT_SVG;
	else
		return -1;
	return 0;
}

int plot_format_from_path(const char *path, enum plot_format *f)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	char ext[8];
	size_t i;

	if (!dot || (slash && dot < slash) || strlen(dot + 1) >= sizeof(ext))
		return -1;
	for (i = 0; dot[1 + i]; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ?
				dot[1 + i] - 'A' + 'a' : dot[1 + i]);
	ext[i] = '\0';
	return plot_format_parse(ext, f);
}

int plot_parse_size(const char *s, unsigned *w, unsigned *h)
{
	unsigned long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != 'x' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || a < PLOT_MIN_SIZE || a > PLOT_MAX_SIZE ||
	    b < PLOT_MIN_SIZE || b > PLOT_MAX_SIZE)
		return -1;
	*w = (unsigned)a;
	*h = (unsigned)b;
	return 0;
}

const char *plot_byte_unit(double max, double *div)
{
	static const char *const names[] = { "bytes", "KiB", "MiB", "GiB",
					     "TiB" };
	size_t i = 0;

	*div = 1;
	while (i + 1 < 5 && max >= *div * 1024) {
		*div *= 1024;
		i++;
	}
	return names[i];
}

const char *plot_count_unit(double max, double *div)
{
	if (max >= 1e8) {
		*div = 1e6;
		return "millions";
	}
	if (max >= 1e5) {
		*div = 1e3;
		return "thousands";
	}
	*div = 1;
	return "";
}

void plot_human_bytes(double v, char *buf, size_t n)
{
	double div;
	const char *u = plot_byte_unit(fabs(v), &div);

	if (div == 1)
		snprintf(buf, n, "%.0f %s", v, u);
	else
		snprintf(buf, n, "%.3g %s", v / div, u);
}

char *plot_gp_string(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, chars = 0, o = 0;
	char *q = xmalloc(2 * n + 8);

	q[o++] = '\'';
	while (i < n) {
		size_t len = utf8_seq(u + i, n - i);

		if (max && chars + 1 == max && i + (len ? len : 1) < n) {
			memcpy(q + o, "\xe2\x80\xa6", 3);	/* ... */
			o += 3;
			break;
		}
		if (!len) {
			q[o++] = '?';
			i++;
		} else if (len == 1 && (u[i] < 0x20 || u[i] == 0x7f)) {
			q[o++] = ' ';
			i++;
		} else if (u[i] == '\'') {
			q[o++] = '\'';
			q[o++] = '\'';
			i++;
		} else {
			memcpy(q + o, s + i, len);
			o += len;
			i += len;
		}
		chars++;
	}
	q[o++] = '\'';
	q[o] = '\0';
	return q;
}

double plot_time_step(double span, unsigned width, const char **fmt)
{
	static const double steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
		7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400,
		14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400,
	};
	size_t i, n = sizeof(steps) / sizeof(steps[0]);
	double ticks = width / 110.0, step = steps[n - 1];

	if (ticks < 2)
		ticks = 2;
	for (i = 0; i < n; i++) {
		if (span / steps[i] <= ticks) {
			step = steps[i];
			break;
		}
	}
	if (step < 60)
		*fmt = "%H:%M:%S";
	else if (step < 86400 && span < 86400)
		*fmt = "%H:%M";
	else if (step < 86400)
		*fmt = "%m-%d %H:%M";
	else if (span < 365 * 86400.0)
		*fmt = "%m-%d";
	else
		*fmt = "%Y-%m-%d";
	return step;
}

/* ---- the script ---- */

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};
#define NCOLORS (sizeof(colors) / sizeof(colors[0]))
static const char *const mem_colors[] = { "#d62728", "#ff7f0e",
					  "#2ca02c" };

struct panel {
	const char *what;	/* "heap", "goroutines", "memory" */
	struct chart c;
	int has;
};

/* A line's legend entry: its name cut to length, then its growth. */
static char *legend(const char *title)
{
	const char *sep = strchr(title, '\x1f');
	char *name, *q, *r;
	size_t n;

	if (!sep)
		return plot_gp_string(title, PLOT_LABEL_MAX);
	name = xstrndup(title, (size_t)(sep - title));
	q = plot_gp_string(name, PLOT_LABEL_MAX);
	n = strlen(q);
	r = plot_gp_string(sep + 1, 0);
	q = xrealloc(q, n + strlen(r));
	/* Join 'name' and ' (+1 MiB)' into one quoted string. */
	memcpy(q + n - 1, r + 1, strlen(r));
	free(name);
	free(r);
	return q;
}

/* Characters a quoted legend entry shows (a doubled quote shows one). */
static size_t shown_chars(const char *q)
{
	size_t n = 0, i;

	for (i = 1; q[i] && q[i + 1]; i++) {
		if (((unsigned char)q[i] & 0xc0) == 0x80)
			continue;
		if (q[i] == '\'' && q[i + 1] == '\'')
			i++;
		n++;
	}
	return n;
}

/*
 * Rows of a chart's legend below it: as many columns as fit the chart's
 * width (at about 7.2 pixels a character, sans 10), at most 3.
 */
static size_t key_rows(const struct plot_data *pd, const struct chart *c)
{
	size_t i, chars = 1, cols;
	double colw;

	for (i = 0; i < c->n; i++) {
		char *q = legend(c->l[i].title);
		size_t n = shown_chars(q);

		if (n > chars)
			chars = n;
		free(q);
	}
	colw = 7.2 * (double)chars + 60;
	cols = (size_t)((pd->o.width - 40) / colw);
	if (cols < 1)
		cols = 1;
	if (cols > 3)
		cols = 3;
	return (c->n + cols - 1) / cols;
}

static void write_block(FILE *out, const char *name, const struct chart *c,
			double div)
{
	size_t i, j;

	fprintf(out, "%s << EOD\n", name);
	for (i = 0; i < c->n; i++) {
		if (i)
			fputs("\n\n", out);
		for (j = 0; j < c->l[i].n; j++)
			fprintf(out, "%.3f %.10g\n",
				(double)c->l[i].t[j] / 1e9, c->l[i].y[j] / div);
	}
	fputs("EOD\n", out);
}

static void line_style(FILE *out, const struct line *l, int mem, int points)
{
	const char *with = points ? "linespoints" : "lines";
	/* A lone snapshot is only a point: make it one a person sees. */
	double ps = l->n <= 2 ? 1.3 : 0.6;

	switch (l->style) {
	case ST_TOTAL:
		fprintf(out, "with %s lc rgb '#000000' lw 2.5 pt 7 ps %g",
			with, ps);
		break;
	case ST_OTHER:
		fprintf(out, "with %s lc rgb '#888888' lw 1.5 dt 2 pt 6 ps %g",
			with, ps);
		break;
	case ST_HEAPP:
		fprintf(out, "with %s lc rgb '#1f77b4' lw 2 pt 7 ps %g", with,
			ps);
		break;
	case ST_LINE:
		if (mem)
			fprintf(out, "with %s lc rgb '%s' lw 2 dt %d pt 7 "
				"ps %g", with, mem_colors[l->color % 3],
				l->color == MEM_ANON ? 2 :
				l->color == MEM_HEAPINUSE ? 4 : 1, ps);
		else
			fprintf(out, "with %s lc rgb '%s' lw 2 dt %zu pt %zu "
				"ps %g", with, colors[l->color % NCOLORS],
				1 + l->color / NCOLORS % 4,
				5 + 2 * (l->color / NCOLORS % 3), ps);
		break;
	}
}

/* A time as a date ("2026-11-22"), or date and time (UTC). */
static void clock_text(int64_t ns, int with_time, char *buf, size_t n)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	if (with_time)
		strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	else
		strftime(buf, n, "%Y-%m-%d", &tm);
}

static void write_empty_panel(FILE *out, const char *tname, const char *msg)
{
	char text[512];
	char *q;

	snprintf(text, sizeof(text), "%s: %s", tname, msg);
	q = plot_gp_string(text, 0);
	fputs("set xdata\nunset title\nunset xlabel\nunset ylabel\n"
	      "unset key\nunset border\nunset xtics\nunset ytics\n"
	      "unset grid\nset xrange [0:1]\nset yrange [0:1]\n", out);
	fprintf(out, "set label 1 %s at graph 0.5, graph 0.5 center "
		"noenhanced tc rgb '#666666'\n", q);
	fputs("plot 2 notitle\n", out);
	free(q);
}

/*
 * One chart. x0 and x1 bound the times of the target's row, so that its
 * charts share one time axis.
 */
static void write_panel(FILE *out, const struct plot_data *pd,
			const struct ptarget *t, size_t ti, size_t pi,
			const struct panel *p, const char *title,
			const char *ylabel, int64_t x0, int64_t x1,
			size_t bmargin)
{
	const struct chart *c = &p->c;
	double div, span = (double)(x1 - x0) / 1e9, step, pad;
	const char *unit, *fmt;
	char name[32], text[640], d0[16], d1[16];
	char *q;
	size_t i, maxn = 0;
	int points;

	unit = c->bytes ? plot_byte_unit(c->ymax, &div) :
			  plot_count_unit(c->ymax, &div);
	snprintf(name, sizeof(name), "$T%zu_%zu", ti, pi);
	write_block(out, name, c, div);
	/* Every setting a chart makes, each chart makes again. */
	fputs("unset arrow\nunset label\nset border\nset xtics\n"
	      "set ytics autofreq\nset grid xtics ytics lc rgb '#e0e0e0'\n"
	      "set xdata time\nset timefmt '%s'\n"
	      "set offsets 0, 0, graph 0.05, 0\n", out);
	/* The same bottom margin for a row's charts keeps them aligned. */
	fprintf(out, "set key outside below left Left reverse vertical "
		"maxrows %zu noenhanced samplen 3 spacing 1.1\n"
		"set bmargin %zu\n", key_rows(pd, c), bmargin);
	snprintf(text, sizeof(text), "%s: %s", t->name, title);
	q = plot_gp_string(text, 0);
	fprintf(out, "set title %s font ',11' noenhanced\n", q);
	free(q);
	if (*unit)
		snprintf(text, sizeof(text), "%s (%s)", ylabel, unit);
	else
		snprintf(text, sizeof(text), "%s", ylabel);
	q = plot_gp_string(text, 0);
	fprintf(out, "set ylabel %s noenhanced\n", q);
	free(q);
	step = plot_time_step(span, pd->o.width, &fmt);
	clock_text(x0, 0, d0, sizeof(d0));
	clock_text(x1, 0, d1, sizeof(d1));
	if (!strcmp(d0, d1) && span < 86400)
		fprintf(out, "set xlabel 'time (UTC, %s)'\n", d0);
	else
		fputs("set xlabel 'time (UTC)'\n", out);
	fprintf(out, "set format x \"%s\"\nset xtics %.0f\n", fmt, step);
	pad = x0 == x1 ? 3 * step : span / 50;
	fprintf(out, "set xrange ['%.3f':'%.3f']\n", (double)x0 / 1e9 - pad,
		(double)x1 / 1e9 + pad);
	if (c->ymax > 0)
		fputs("set yrange [0:*]\n", out);
	else
		fputs("set yrange [0:1]\n", out);
	if (!c->bytes && c->ymax / div <= 10)
		fputs("set ytics 1\n", out);
	fputs("set format y '%g'\n", out);
	for (i = 0; i < t->nrestarts; i++) {
		double x = (double)t->restarts[i] / 1e9;

		if (t->restarts[i] < x0 || t->restarts[i] > x1)
			continue;
		fprintf(out, "set arrow from '%.3f', graph 0 to '%.3f', "
			"graph 1 nohead dt 3 lw 1.5 lc rgb '#aa0000' back\n",
			x, x);
		fprintf(out, "set label 'restart' at '%.3f', graph 1 "
			"offset 0.3,-1 tc rgb '#aa0000' noenhanced\n", x);
	}
	for (i = 0; i < c->n; i++)
		if (c->l[i].n > maxn)
			maxn = c->l[i].n;
	points = maxn <= 60;
	fputs("plot ", out);
	for (i = 0; i < c->n; i++) {
		q = legend(c->l[i].title);
		fprintf(out, "%s%s index %zu using 1:2 ", i ? ", \\\n     " :
			"", name, i);
		line_style(out, &c->l[i], !strcmp(p->what, "memory"),
			   points);
		fprintf(out, " title %s noenhanced", q);
		free(q);
	}
	fputs("\n", out);
}

static const char *heap_title(const char *type, int *bytes)
{
	*bytes = strlen(type) > 6 &&
		 (!strcmp(type + strlen(type) - 6, "_space") ||
		  !strcmp(type + strlen(type) - 6, "_bytes"));
	if (!strcmp(type, "inuse_space"))
		return "in-use heap";
	if (!strcmp(type, "alloc_space"))
		return "allocated since start";
	if (!strcmp(type, "inuse_objects"))
		return "in-use objects";
	if (!strcmp(type, "alloc_objects"))
		return "objects allocated since start";
	return type;
}

int plot_write_script(struct plot_data *pd, FILE *out)
{
	size_t nt = strmap_count(pd->tnames), i, k, rows = 0, cols = 0;
	size_t *order = xcalloc(nt + 1, sizeof(*order));
	struct panel (*pan)[3] = xcalloc(nt + 1, sizeof(*pan));
	int any[3] = { 0, 0, 0 }, heap_bytes, ret = 0, by_state;
	const char *htitle = heap_title(pd->o.type, &heap_bytes);
	int64_t tmin = INT64_MAX, tmax = INT64_MIN;
	char buf[256], d0[32], d1[32], *q;
	unsigned long w, h;

	for (i = 0; i < nt; i++) {
		struct ptarget *t = &pd->t[i];

		if (pd->keep && !pd->keep[i])
			continue;
		pan[i][0].what = "heap";
		pan[i][1].what = "goroutines";
		pan[i][2].what = "memory";
		snprintf(buf, sizeof(buf), "%s (total)", htitle);
		keyed_chart(pd, S_HEAP, &t->s[S_HEAP], &t->tot[S_HEAP],
			    buf, "function", 1, heap_bytes, &pan[i][0].c);
		by_state = !t->s[S_GOR].n && !t->tot[S_GOR].n;
		if (by_state)
			keyed_chart(pd, S_GSTATE, &t->s[S_GSTATE],
				    &t->tot[S_GSTATE], "all goroutines",
				    "state", 0, 0, &pan[i][1].c);
		else
			keyed_chart(pd, S_GOR, &t->s[S_GOR], &t->tot[S_GOR],
				    "all goroutines", "group", 1, 0,
				    &pan[i][1].c);
		mem_chart(t, strcmp(pd->o.type, "inuse_space") ? NULL :
			  &pan[i][0].c, &pan[i][2].c);
		for (k = 0; k < 3; k++) {
			struct chart *c = &pan[i][k].c;

			pan[i][k].has = c->n > 0;
			if (!c->n)
				continue;
			any[k] = 1;
			if (c->tmin < tmin)
				tmin = c->tmin;
			if (c->tmax > tmax)
				tmax = c->tmax;
		}
		if (pan[i][0].has || pan[i][1].has || pan[i][2].has)
			order[rows++] = i;
	}
	for (k = 0; k < 3; k++)
		cols += (size_t)any[k];
	if (!rows) {
		error("nothing to plot: no heap, goroutine or memory "
		      "snapshots in the input");
		ret = -1;
		goto out;
	}
	w = (unsigned long)pd->o.width * cols;
	h = (unsigned long)pd->o.height * rows;
	if (w > PLOT_MAX_IMAGE || h > PLOT_MAX_IMAGE) {
		error("an image of %lux%lu pixels (%zu targets) is too "
		      "large; choose targets with --target or a smaller "
		      "--size", w, h, rows);
		ret = -1;
		goto out;
	}
	/* Targets by name; rows in that order. */
	for (i = 1; i < rows; i++) {
		size_t v = order[i], j = i;

		while (j && strcmp(pd->t[order[j - 1]].name,
				   pd->t[v].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	fprintf(out, "# leaky plot: %zu target%s; "
		"gnuplot THIS-FILE > IMAGE\n", rows, rows == 1 ? "" : "s");
	/*
	 * cairo and svg take text as UTF-8 as it is; "set encoding utf8"
	 * would warn in a C locale. libgd's png needs it.
	 */
	fputs("reset session\n", out);
	if (pd->o.format == PLOT_PNG)
		fprintf(out, "if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > "
			"0) {\n\tset terminal pngcairo size %lu,%lu "
			"noenhanced font 'sans,10' background rgb 'white'\n"
			"} else {\n\tset encoding utf8\n"
			"\tset terminal png size %lu,%lu "
			"noenhanced background rgb 'white'\n}\n", w, h, w,
			h);
	else
		fprintf(out, "set terminal svg size %lu,%lu noenhanced "
			"font 'sans,10' background rgb 'white'\n", w, h);
	fputs("set termoption noenhanced\nset datafile separator "
	      "whitespace\n", out);
	clock_text(tmin, 1, d0, sizeof(d0));
	clock_text(tmax, 1, d1, sizeof(d1));
	if (!strncmp(d0, d1, 11))
		memmove(d1, d1 + 11, strlen(d1 + 11) + 1);
	snprintf(buf, sizeof(buf), "leaky plot: %zu target%s, %s to %s UTC",
		 rows, rows == 1 ? "" : "s", d0, d1);
	q = plot_gp_string(buf, 0);
	fprintf(out, "set multiplot layout %zu,%zu title %s font ',13' "
		"noenhanced\n", rows, cols, q);
	free(q);
	for (i = 0; i < rows; i++) {
		const struct ptarget *t = &pd->t[order[i]];
		int64_t x0 = INT64_MAX, x1 = INT64_MIN;
		size_t col = 0, bmargin = 0;

		for (k = 0; k < 3; k++) {
			const struct chart *c = &pan[order[i]][k].c;

			if (!pan[order[i]][k].has)
				continue;
			x0 = c->tmin < x0 ? c->tmin : x0;
			x1 = c->tmax > x1 ? c->tmax : x1;
			if (key_rows(pd, c) > bmargin)
				bmargin = key_rows(pd, c);
		}
		/* Tic labels and the axis label, then the legend. */
		bmargin = 4 + (bmargin * 11 + 9) / 10;
		by_state = !t->s[S_GOR].n && !t->tot[S_GOR].n;
		for (k = 0; k < 3; k++) {
			const struct panel *p = &pan[order[i]][k];

			if (!any[k])
				continue;
			if (!p->has) {
				write_empty_panel(out, t->name,
					k == 0 ? "no heap profiles" :
					k == 1 ? "no goroutine snapshots" :
					"no process memory snapshots");
			} else if (k == 0) {
				snprintf(buf, sizeof(buf), "%s by function "
					 "(top %zu by growth)", htitle,
					 pd->o.top);
				write_panel(out, pd, t, i, col, p, buf,
					    htitle, x0, x1, bmargin);
			} else if (k == 1) {
				snprintf(buf, sizeof(buf), "goroutines by %s "
					 "(top %zu by growth)",
					 by_state ? "state" : "group",
					 pd->o.top);
				write_panel(out, pd, t, i, col, p, buf,
					    "goroutines", x0, x1, bmargin);
			} else {
				write_panel(out, pd, t, i, col, p,
					    "RSS against the Go heap",
					    "memory", x0, x1, bmargin);
			}
			col++;
		}
	}
	fputs("unset multiplot\n", out);
	if (fflush(out) || ferror(out))
		ret = -1;
out:
	for (i = 0; i < nt; i++)
		for (k = 0; k < 3; k++)
			chart_release(&pan[i][k].c);
	free(pan);
	free(order);
	return ret;
}

size_t plot_ntargets(const struct plot_data *pd)
{
	size_t nt = strmap_count(pd->tnames), i, k, n = 0;

	for (i = 0; i < nt; i++) {
		if (pd->keep && !pd->keep[i])
			continue;
		for (k = 0; k < NSER; k++) {
			if (pd->t[i].s[k].n || pd->t[i].tot[k].n) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* ---- running gnuplot ---- */

char *plot_find_gnuplot(const char *path)
{
	const char *dirs = getenv("PATH"), *p, *end;
	char *full;
	size_t n;

	if (strchr(path, '/'))
		return access(path, X_OK) ? NULL : xstrdup(path);
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (p = dirs; ; p = end + 1) {
		struct stat st;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		full = xmalloc(n + strlen(path) + 3);
		if (n)
			snprintf(full, n + strlen(path) + 3, "%.*s/%s",
				 (int)n, p, path);
		else
			snprintf(full, strlen(path) + 3, "./%s", path);
		if (!stat(full, &st) && S_ISREG(st.st_mode) &&
		    !access(full, X_OK))
			return full;
		free(full);
		if (!*end)
			break;
	}
	return NULL;
}

/* Passes on what gnuplot said, one "gnuplot: ..." line at a time. */
static void pass_on(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		/* gnuplot marks the error column with a caret line. */
		if (n && strspn(p, " \t^") < n)
			error("gnuplot: %.*s", (int)n, p);
		p += n + 1;
	}
}

int plot_render(struct plot_data *pd, const char *gnuplot, int out_fd)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *script, *errpath, *argv[3], err[8192];
	size_t n;
	ssize_t got;
	int ret = -1, efd = -1, nullfd = -1, status;
	pid_t pid;
	FILE *fp;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = strlen(tmp) + 32;
	dir = xmalloc(n);
	snprintf(dir, n, "%s/leaky-plot.XXXXXX", tmp);
	script = xmalloc(n + 16);
	errpath = xmalloc(n + 16);
	if (!mkdtemp(dir)) {
		error("cannot make a temporary directory in %s: %s", tmp,
		      strerror(errno));
		free(dir);
		free(script);
		free(errpath);
		return -1;
	}
	snprintf(script, n + 16, "%s/plot.gp", dir);
	snprintf(errpath, n + 16, "%s/stderr", dir);
	fp = fopen(script, "w");
	if (!fp) {
		error("%s: %s", script, strerror(errno));
		goto out;
	}
	if (plot_write_script(pd, fp) < 0) {
		fclose(fp);
		goto out;
	}
	if (fclose(fp)) {
		error("%s: %s", script, strerror(errno));
		goto out;
	}
	efd = open(errpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (efd < 0 || nullfd < 0) {
		error("%s: %s", errpath, strerror(errno));
		goto out;
	}
	argv[0] = (char *)"gnuplot";
	argv[1] = script;
	argv[2] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		error("cannot run gnuplot: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		static const char msg[] = "cannot execute gnuplot\n";

		if (dup2(nullfd, 0) < 0 || dup2(out_fd, 1) < 0 ||
		    dup2(efd, 2) < 0)
			_exit(127);
		execv(gnuplot, argv);
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			error("waiting for gnuplot: %s", strerror(errno));
			goto out;
		}
	}
	got = pread(efd, err, sizeof(err) - 1, 0);
	if (got < 0)
		got = 0;
	err[got] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		pass_on(err, (size_t)got);
		ret = 0;
	} else {
		if (WIFSIGNALED(status))
			error("gnuplot was killed by signal %d",
			      WTERMSIG(status));
		else
			error("gnuplot failed (exit %d); what it said:",
			      WEXITSTATUS(status));
		pass_on(err, (size_t)got);
		error("(--script FILE writes the script it was given)");
	}
out:
	if (efd >= 0)
		close(efd);
	if (nullfd >= 0)
		close(nullfd);
	unlink(script);
	unlink(errpath);
	if (rmdir(dir))
		error("%s: %s", dir, strerror(errno));
	free(dir);
	free(script);
	free(errpath);
	return ret;
}

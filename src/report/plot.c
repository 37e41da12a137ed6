/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's data: series per target, its options, a dataset's input. */
#include "report/plot.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "report/dataset.h"
#include "report/plot_int.h"
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const plot_mem_names[3] = { "RSS", "anonymous RSS",
				       "MemStats HeapInuse" };

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
		strmap_intern(pd->ident[S_MEM], plot_mem_names[i],
			      strlen(plot_mem_names[i]), NULL);
		strmap_intern(pd->label[S_MEM], plot_mem_names[i],
			      strlen(plot_mem_names[i]), NULL);
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
		free(t->marks);
		free(t->name);
	}
	for (k = 0; k < NSER; k++) {
		strmap_free(pd->ident[k]);
		strmap_free(pd->label[k]);
		free(pd->label_of[k]);
	}
	plot_html_reset(pd);
	free(pd->html);
	strmap_free(pd->tnames);
	free(pd->t);
	free(pd->keep);
	free(pd);
}

void plot_html_reset(struct plot_data *pd)
{
	size_t i;

	for (i = 0; i < pd->nhtml; i++) {
		free(pd->html[i].target);
		free(pd->html[i].name);
	}
	pd->nhtml = 0;
}

void plot_html_panel(struct plot_data *pd, const char *target,
		     const char *name)
{
	pd->html = xgrow(pd->html, &pd->caphtml, pd->nhtml + 1,
			 sizeof(*pd->html));
	pd->html[pd->nhtml].target = xstrdup(target);
	pd->html[pd->nhtml].name = xstrdup(name);
	pd->nhtml++;
}

struct ptarget *plot_target(struct plot_data *pd, const char *name)
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
uint32_t plot_key(struct plot_data *pd, enum ser s, const char *ident,
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

void plot_add(struct plot_data *pd, struct pts *p, int64_t t,
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
void plot_group_label(char *buf, size_t n, const char *top,
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

/*
 * pprof's short form of a Go name: the import path's directories go, the
 * package's own name, the receiver and the function stay
 * ("github.com/p/tsdb/chunkenc.(*bstream).writeBit" is
 * "chunkenc.(*bstream).writeBit"). The path ends at the last '/' before
 * the first '(', '[', '{' or space: a receiver, type arguments or a
 * group's state and labels (route=/upload) may hold slashes of their own.
 * A group's "created by " stays in front.
 */
void plot_short_name(const char *name, char *buf, size_t n)
{
	static const char by[] = "created by ";
	const char *p = name, *cut;
	size_t len;

	if (!strncmp(p, by, sizeof(by) - 1))
		p += sizeof(by) - 1;
	len = strcspn(p, "([{ ");
	cut = p + len;
	while (cut > p && cut[-1] != '/')
		cut--;
	snprintf(buf, n, "%.*s%s", (int)(p - name), name, cut);
}

/* What makes a group distinct: all its describing fields. */
char *plot_group_ident(const char *top, const char *state,
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

/*
 * The heap's total and each function's in-use bytes, flat: the bytes a
 * function allocated itself, so that the lines do not count a byte twice.
 */
static void add_heap(struct plot_data *pd, struct ptarget *t,
		     const struct dataset *ds, const struct ds_target *dt)
{
	size_t j, k;

	for (j = 0; j < dt->nheap; j++) {
		const struct ds_heap *h = &dt->heap[j];

		plot_add(pd, &t->tot[S_HEAP], h->t, 0, (double)h->inuse_space);
		for (k = 0; k < h->nrows; k++) {
			const char *f = ds_func_name(ds, h->keys[k]);

			if (!h->flat[k])
				continue;
			plot_add(pd, &t->s[S_HEAP], h->t,
				 plot_key(pd, S_HEAP, f, strlen(f), f),
				 (double)h->flat[k]);
		}
	}
}

/* The goroutines' total and each group's count. */
static void add_goroutines(struct plot_data *pd, struct ptarget *t,
			   const struct dataset *ds,
			   const struct ds_target *dt)
{
	char label[512];
	size_t j, k;

	for (j = 0; j < dt->ngor; j++) {
		const struct ds_gor *g = &dt->gor[j];

		plot_add(pd, &t->tot[S_GOR], g->t, 0, (double)g->total);
		for (k = 0; k < g->nrows; k++) {
			const struct ds_group *gi = &ds->group_info[g->keys[k]];
			size_t n;
			char *id = plot_group_ident(gi->top, gi->state,
						    gi->labels, gi->created_by,
						    gi->stack, &n);

			plot_group_label(label, sizeof(label), gi->top,
					 gi->state, gi->labels, gi->created_by,
					 gi->stack);
			plot_add(pd, &t->s[S_GOR], g->t,
				 plot_key(pd, S_GOR, id, n, label),
				 (double)g->count[k]);
			free(id);
		}
	}
}

/* RSS and anonymous RSS (kB in the dataset), and MemStats HeapInuse. */
static void add_memory(struct plot_data *pd, struct ptarget *t,
		       const struct ds_target *dt, long heapinuse)
{
	size_t j;

	for (j = 0; j < dt->nmem; j++) {
		const struct ds_mem *m = &dt->mem[j];

		if (m->rss_kb >= 0)
			plot_add(pd, &t->s[S_MEM], m->t, MEM_RSS,
				 (double)m->rss_kb * 1024);
		if (m->anon_kb >= 0)
			plot_add(pd, &t->s[S_MEM], m->t, MEM_ANON,
				 (double)m->anon_kb * 1024);
	}
	for (j = 0; heapinuse >= 0 && j < dt->nstats; j++) {
		double v = ds_stat(&dt->stats[j], heapinuse);

		if (!isnan(v))
			plot_add(pd, &t->s[S_MEM], dt->stats[j].t,
				 MEM_HEAPINUSE, v);
	}
}

/*
 * The label id of what a report mark names: a function's name as
 * add_heap() keys it, a group's fields as add_goroutines() does.
 */
static uint32_t mark_label(struct plot_data *pd, const struct dataset *ds,
			   const struct report_mark *m)
{
	const struct ds_group *gi;
	char label[512], *id;
	const char *f;
	uint32_t k;
	size_t n;

	if (m->part == REPORT_PART_FUNCTION) {
		f = ds_func_name(ds, m->id);
		k = plot_key(pd, S_HEAP, f, strlen(f), f);
		return pd->label_of[S_HEAP][k];
	}
	if (m->part != REPORT_PART_GROUP)
		return 0;
	gi = &ds->group_info[m->id];
	id = plot_group_ident(gi->top, gi->state, gi->labels, gi->created_by,
			      gi->stack, &n);
	plot_group_label(label, sizeof(label), gi->top, gi->state, gi->labels,
			 gi->created_by, gi->stack);
	k = plot_key(pd, S_GOR, id, n, label);
	free(id);
	return pd->label_of[S_GOR][k];
}

/*
 * leaky report's judgement of each target, as `leaky report DIR` with its
 * defaults gives it, so that the chart says what the report says.
 */
static void add_verdicts(struct plot_data *pd, const struct dataset *ds)
{
	struct report_opts ro;
	struct report *r;
	size_t i, j;

	report_opts_default(&ro);
	r = report_new(ds, &ro);
	for (i = 0; i < ds->ntargets; i++) {
		struct ptarget *t = plot_target(pd, ds->targets[i].name);
		struct report_mark *m;
		size_t n = report_marks(r, i, &m);
		enum verdict v = report_target_verdict(r, i);

		if (!t->judged || v > t->v)
			t->v = v;
		t->judged = 1;
		for (j = 0; j < n; j++) {
			struct pmark *p;

			t->marks = xgrow(t->marks, &t->capmarks,
					 t->nmarks + 1, sizeof(*t->marks));
			p = &t->marks[t->nmarks++];
			p->part = m[j].part;
			p->label = mark_label(pd, ds, &m[j]);
			p->v = m[j].v;
			p->slope = m[j].slope;
			p->t0 = (int64_t)(m[j].t0 * 1e9);
			p->t1 = (int64_t)(m[j].t1 * 1e9);
		}
		free(m);
	}
	report_free(r);
}

void plot_add_dataset(struct plot_data *pd, const struct dataset *ds)
{
	long heapinuse = ds_stat_id(ds, "HeapInuse");
	size_t i, j;

	for (i = 0; i < ds->ntargets; i++) {
		const struct ds_target *dt = &ds->targets[i];
		struct ptarget *t = plot_target(pd, dt->name);

		add_heap(pd, t, ds, dt);
		add_goroutines(pd, t, ds, dt);
		add_memory(pd, t, dt, heapinuse);
		for (j = 0; j < dt->nrestarts; j++) {
			t->restarts = xgrow(t->restarts, &t->caprestarts,
					    t->nrestarts + 1,
					    sizeof(*t->restarts));
			t->restarts[t->nrestarts++] = dt->restarts[j].t;
		}
	}
	add_verdicts(pd, ds);
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

int plot_format_parse(const char *s, enum plot_format *f)
{
	if (!strcmp(s, "png"))
		*f = PLOT_PNG;
	else if (!strcmp(s, "svg"))
		*f = PLOT_SVG;
	else if (!strcmp(s, "html"))
		*f = PLOT_HTML;
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

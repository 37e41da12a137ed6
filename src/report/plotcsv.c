/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's CSV input: the CSVs of leaky heaper, goroutines and pmap. */
#include "report/plot.h"
#include "analyze/agg.h"
#include "analyze/gorout.h"
#include "analyze/series.h"
#include "base/leaky.h"
#include "out/csvout.h"
#include "out/memcsv.h"
#include "report/plot_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * The CSVs are read through their writers' definitions of their layouts
 * (series.h, agg.h, gorout.h, memcsv.h), never through names of their
 * own: a column renamed there is renamed here.
 */

/* Field i of a layout's columns, which come after time and target. */
#define COL(i) (SERIES_NPREFIX + (size_t)(i))

static long column(const char *const *f, size_t nf, const char *name)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (!strcmp(f[i], name))
			return (long)i;
	return -1;
}

/* 1 when the header f has the column of a layout named name. */
static int has(const char *const *f, size_t nf, const char *name)
{
	return column(f, nf, name) >= 0;
}

/*
 * Told apart by the column after time and target: heaper's key column
 * (agg_by_name()), then a value per sample type; goroutines' count, then
 * stack and state for groups, ages and states for --totals; pmap's pid,
 * then the measures, or a mapping's address and name.
 */
enum plot_csv_kind plot_csv_detect(const char *const *f, size_t nf)
{
	const char *first;
	enum agg_by by;

	if (nf < COL(1) || strcmp(f[SERIES_COL_TIME],
				  series_prefix_columns[SERIES_COL_TIME]) ||
	    strcmp(f[SERIES_COL_TARGET],
		   series_prefix_columns[SERIES_COL_TARGET]))
		return PLOT_CSV_UNKNOWN;
	first = f[COL(0)];
	if (!agg_by_parse(first, &by))
		return nf > COL(1) ? PLOT_CSV_HEAP : PLOT_CSV_UNKNOWN;
	if (!strcmp(first, gor_columns[GOR_COL_GOROUTINES]) &&
	    has(f, nf, gor_columns[GOR_COL_STACK]) &&
	    has(f, nf, gor_columns[GOR_COL_STATE]))
		return PLOT_CSV_GOROUTINES;
	if (!strcmp(first, gor_total_columns[GOR_TOT_GOROUTINES]))
		return PLOT_CSV_GOROUTINE_TOTALS;
	if (!strcmp(first, memcsv_mapping_columns[MEMCSV_MAP_PID]) &&
	    has(f, nf, memcsv_mapping_columns[MEMCSV_MAP_ADDRESS]) &&
	    has(f, nf, memcsv_mapping_columns[MEMCSV_MAP_NAME]))
		return PLOT_CSV_PMAP_MAPPINGS;
	if (!strcmp(first, memcsv_columns[MEMCSV_PID]) &&
	    has(f, nf, memcsv_columns[MEMCSV_MEASURE(PM_RSS)]))
		return PLOT_CSV_PMAP;
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
		/* A value column: past the key, not the key itself. */
		c->value = column(f, nf, c->pd->o.type);
		if (c->value < (long)COL(1)) {
			error("%s: no '%s' column (header '%s'): choose "
			      "one with --type", c->name, c->pd->o.type, h);
			c->bad = 1;
			return 1;
		}
		break;
	case PLOT_CSV_GOROUTINES:
		c->state = column(f, nf, gor_columns[GOR_COL_STATE]);
		c->top = column(f, nf, gor_columns[GOR_COL_TOP]);
		c->stack = column(f, nf, gor_columns[GOR_COL_STACK]);
		c->labels = column(f, nf, gor_columns[GOR_COL_LABELS]);
		c->created_by = column(f, nf,
				       gor_columns[GOR_COL_CREATED_BY]);
		break;
	case PLOT_CSV_GOROUTINE_TOTALS:
		if (!c->adding)
			break;
		c->hdr = xcalloc(nf, sizeof(*c->hdr));
		/* The states: the columns past the total but the ages. */
		for (i = COL(GOR_TOT_GOROUTINES) + 1; i < nf; i++)
			if (!gor_total_is_age(f[i]))
				c->hdr[i] = xstrdup(f[i]);
		break;
	case PLOT_CSV_PMAP:
		c->rss = column(f, nf, memcsv_columns[MEMCSV_MEASURE(PM_RSS)]);
		c->anon = column(f, nf,
				 memcsv_columns[MEMCSV_MEASURE(PM_ANON)]);
		break;
	}
	return 0;
}

/* A heaper row: the value of the --type column for its key. */
static int heap_row(struct csvctx *c, const char *const *f,
		    struct ptarget *t, int64_t when)
{
	struct plot_data *pd = c->pd;
	double v;
	int ok;

	if (number(c, f[c->value], &v, &ok))
		return 1;
	if (ok && t)
		plot_add(pd, &t->s[S_HEAP], when,
			 plot_key(pd, S_HEAP, f[COL(0)], strlen(f[COL(0)]),
				  f[COL(0)]), v);
	return 0;
}

/* A goroutines row: one group's count, keyed as the dataset keys it. */
static int group_row(struct csvctx *c, const char *const *f,
		     struct ptarget *t, int64_t when)
{
	struct plot_data *pd = c->pd;
	char label[512];
	double v;
	size_t n;
	char *id;
	int ok;

	if (number(c, f[COL(GOR_COL_GOROUTINES)], &v, &ok))
		return 1;
	if (!ok || !t)
		return 0;
	id = plot_group_ident(opt_field(f, c->top), f[c->state],
			      opt_field(f, c->labels),
			      opt_field(f, c->created_by), f[c->stack], &n);
	plot_group_label(label, sizeof(label), opt_field(f, c->top),
			 f[c->state], opt_field(f, c->labels),
			 opt_field(f, c->created_by), f[c->stack]);
	plot_add(pd, &t->s[S_GOR], when, plot_key(pd, S_GOR, id, n, label),
		 v);
	free(id);
	return 0;
}

/*
 * A goroutines --totals row: the total (its first value) and a count per
 * state column; the age buckets (c->hdr NULL there) are not drawn.
 */
static int totals_row(struct csvctx *c, const char *const *f, size_t nf,
		      struct ptarget *t, int64_t when)
{
	struct plot_data *pd = c->pd;
	double v;
	size_t i;
	int ok;

	for (i = COL(0); i < nf; i++) {
		if (number(c, f[i], &v, &ok))
			return 1;
		if (!ok || !t)
			continue;
		if (i == COL(GOR_TOT_GOROUTINES))
			plot_add(pd, &t->tot[S_GSTATE], when, 0, v);
		else if (c->hdr[i])
			plot_add(pd, &t->s[S_GSTATE], when,
				 plot_key(pd, S_GSTATE, c->hdr[i],
					  strlen(c->hdr[i]), c->hdr[i]), v);
	}
	return 0;
}

/* A pmap row: RSS and, when the CSV has it, anonymous RSS (kB). */
static int pmap_row(struct csvctx *c, const char *const *f,
		    struct ptarget *t, int64_t when)
{
	struct plot_data *pd = c->pd;
	double v;
	int ok;

	if (number(c, f[c->rss], &v, &ok))
		return 1;
	if (ok && t)
		plot_add(pd, &t->s[S_MEM], when, MEM_RSS, v * 1024);
	if (c->anon >= 0) {
		if (number(c, f[c->anon], &v, &ok))
			return 1;
		if (ok && t)
			plot_add(pd, &t->s[S_MEM], when, MEM_ANON, v * 1024);
	}
	return 0;
}

/*
 * One record: the header first, then rows checked (time, target, values)
 * and, on the second pass (c->adding), added.
 */
static int csv_fields(const char *const *f, size_t nf, void *ctx)
{
	struct csvctx *c = ctx;
	struct ptarget *t = NULL;
	int64_t when;

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
		t = plot_target(c->pd, f[1]);
	switch (c->kind) {
	case PLOT_CSV_HEAP:
		return heap_row(c, f, t, when);
	case PLOT_CSV_GOROUTINES:
		return group_row(c, f, t, when);
	case PLOT_CSV_GOROUTINE_TOTALS:
		return totals_row(c, f, nf, t, when);
	case PLOT_CSV_PMAP:
		return pmap_row(c, f, t, when);
	default:
		c->bad = 1;
		return 1;
	}
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

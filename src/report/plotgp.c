/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's gnuplot script: one row of charts per target, data inline. */
#include "report/plot.h"
#include "base/clock.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "report/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/*
 * Names come from the profiled program, and a script is code: inside
 * gnuplot's single quotes nothing is an escape but a doubled quote (no
 * backslash, no format), so that is the one thing to double. A newline
 * would end the command and run the rest of a name as gnuplot commands:
 * control characters become spaces. cairo drops, and an SVG viewer
 * refuses, text that is not UTF-8: such bytes become '?'. The ellipsis
 * of a cut name is one of its max characters. Room: each byte doubled at
 * worst, the quotes, the ellipsis and the NUL.
 */
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

/*
 * gnuplot puts "set xtics STEP" tics at multiples of STEP from the epoch,
 * so steps of whole clock units (seconds, minutes, hours, days, weeks,
 * about a month, a quarter, a year) put them on round UTC times. The
 * widest label ("%m-%d %H:%M") needs about 110 pixels with its gap; at
 * least 2 tics even on a narrow chart. Labels show only what changes
 * within the span: the day goes to the axis label when the chart spans
 * less than one (write_time_axis()), the year only past a year.
 */
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

/*
 * A line's legend entry: its name cut to PLOT_LABEL_MAX characters, then
 * its growth whole (the part of the title after \x1f), so that a long
 * function name never hides the number the chart is about.
 */
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
 * width, at most 3. gnuplot sizes the key itself but needs "maxrows" to
 * lay it out in columns, and the row's bottom margin must hold it, so the
 * layout is reckoned here: about 7.2 pixels a character in sans 10, 60
 * for the line sample (samplen 3) and the gap, 40 for the chart's
 * borders. More than 3 columns would crowd names cut at PLOT_LABEL_MAX.
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
static void clock_text(int64_t ns, int with_time, char buf[CLOCK_TEXT_MAX])
{
	clock_format(buf, ns / 1000000000, 0,
		     with_time ? CLOCK_DATETIME : CLOCK_DATE);
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
 * The time axis of a chart spanning x0 to x1 (ns): tics by
 * plot_time_step(), the day in the axis label when one day holds it all.
 */
static void write_time_axis(FILE *out, const struct plot_data *pd,
			    int64_t x0, int64_t x1)
{
	double span = (double)(x1 - x0) / 1e9, step, pad;
	const char *fmt;
	char d0[CLOCK_TEXT_MAX], d1[CLOCK_TEXT_MAX];

	step = plot_time_step(span, pd->o.width, &fmt);
	clock_text(x0, 0, d0);
	clock_text(x1, 0, d1);
	if (!strcmp(d0, d1) && span < 86400)
		fprintf(out, "set xlabel 'time (UTC, %s)'\n", d0);
	else
		fputs("set xlabel 'time (UTC)'\n", out);
	fprintf(out, "set format x \"%s\"\nset xtics %.0f\n", fmt, step);
	/*
	 * A margin on both sides keeps the first and last points off the
	 * border; a lone snapshot (no span) gets a few tics around it.
	 */
	pad = x0 == x1 ? 3 * step : span / 50;
	fprintf(out, "set xrange ['%.3f':'%.3f']\n", (double)x0 / 1e9 - pad,
		(double)x1 / 1e9 + pad);
}

/* A dotted line and a label at each restart of t between x0 and x1. */
static void write_restarts(FILE *out, const struct ptarget *t, int64_t x0,
			   int64_t x1)
{
	size_t i;

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
}

/* The plot command: one entry per line of c, from data block name. */
static void write_plot(FILE *out, const char *name, const struct chart *c,
		       int mem)
{
	size_t i, maxn = 0;
	int points;
	char *q;

	for (i = 0; i < c->n; i++)
		if (c->l[i].n > maxn)
			maxn = c->l[i].n;
	/* Points on lines of many snapshots would only blur them. */
	points = maxn <= 60;
	fputs("plot ", out);
	for (i = 0; i < c->n; i++) {
		q = legend(c->l[i].title);
		fprintf(out, "%s%s index %zu using 1:2 ", i ? ", \\\n     " :
			"", name, i);
		line_style(out, &c->l[i], mem, points);
		fprintf(out, " title %s noenhanced", q);
		free(q);
	}
	fputs("\n", out);
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
	double div;
	const char *unit;
	char name[32], text[640];
	char *q;

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
	write_time_axis(out, pd, x0, x1);
	if (c->ymax > 0)
		fputs("set yrange [0:*]\n", out);
	else
		fputs("set yrange [0:1]\n", out);
	/* Counts of ten or less: whole tics, not 0.5 goroutines. */
	if (!c->bytes && c->ymax / div <= 10)
		fputs("set ytics 1\n", out);
	fputs("set format y '%g'\n", out);
	write_restarts(out, t, x0, x1);
	write_plot(out, name, c, !strcmp(p->what, "memory"));
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

/*
 * Goroutines by state when the target has no groups: its only goroutine
 * input was a goroutines --totals CSV.
 */
static int by_state(const struct ptarget *t)
{
	return !t->s[S_GOR].n && !t->tot[S_GOR].n;
}

/* The heap, goroutine and memory charts of t into p[0..2]. */
static void target_panels(const struct plot_data *pd, const struct ptarget *t,
			  const char *htitle, int heap_bytes,
			  struct panel p[3])
{
	char buf[256];
	size_t k;

	p[0].what = "heap";
	p[1].what = "goroutines";
	p[2].what = "memory";
	snprintf(buf, sizeof(buf), "%s (total)", htitle);
	plot_keyed_chart(pd, S_HEAP, &t->s[S_HEAP], &t->tot[S_HEAP], buf,
			 "function", 1, heap_bytes, &p[0].c);
	if (by_state(t))
		plot_keyed_chart(pd, S_GSTATE, &t->s[S_GSTATE],
				 &t->tot[S_GSTATE], "all goroutines", "state",
				 0, 0, &p[1].c);
	else
		plot_keyed_chart(pd, S_GOR, &t->s[S_GOR], &t->tot[S_GOR],
				 "all goroutines", "group", 1, 0, &p[1].c);
	/*
	 * The heap profile's total is in-use bytes only for inuse_space;
	 * another --type would put another quantity beside RSS.
	 */
	plot_mem_chart(t, strcmp(pd->o.type, "inuse_space") ? NULL : &p[0].c,
		       &p[2].c);
	for (k = 0; k < 3; k++)
		p[k].has = p[k].c.n > 0;
}

/*
 * Every kept target's charts into pan[target][0..2]; the targets with a
 * chart into order (their number returned), any[k] set when some target
 * has chart k (a column of the image), and their time span widened into
 * *tmin and *tmax.
 */
static size_t all_panels(const struct plot_data *pd, const char *htitle,
			 int heap_bytes, struct panel (*pan)[3],
			 size_t *order, int any[3], int64_t *tmin,
			 int64_t *tmax)
{
	size_t nt = strmap_count(pd->tnames), i, k, rows = 0;

	for (i = 0; i < nt; i++) {
		if (pd->keep && !pd->keep[i])
			continue;
		target_panels(pd, &pd->t[i], htitle, heap_bytes, pan[i]);
		for (k = 0; k < 3; k++) {
			const struct chart *c = &pan[i][k].c;

			if (!c->n)
				continue;
			any[k] = 1;
			if (c->tmin < *tmin)
				*tmin = c->tmin;
			if (c->tmax > *tmax)
				*tmax = c->tmax;
		}
		if (pan[i][0].has || pan[i][1].has || pan[i][2].has)
			order[rows++] = i;
	}
	return rows;
}

/* Rows in the order of their targets' names (insertion sort: stable). */
static void sort_rows(const struct plot_data *pd, size_t *order, size_t rows)
{
	size_t i;

	for (i = 1; i < rows; i++) {
		size_t v = order[i], j = i;

		while (j && strcmp(pd->t[order[j - 1]].name,
				   pd->t[v].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
}

/* The terminal of a w x h image, and the title over all charts. */
static void write_preamble(FILE *out, const struct plot_data *pd,
			   size_t rows, size_t cols, unsigned long w,
			   unsigned long h, int64_t tmin, int64_t tmax)
{
	char buf[256], d0[CLOCK_TEXT_MAX], d1[CLOCK_TEXT_MAX], *q;

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
	clock_text(tmin, 1, d0);
	clock_text(tmax, 1, d1);
	/* One day: its date once ("2026-11-22 01:00:00 to 03:00:00"). */
	if (!strncmp(d0, d1, 11))
		memmove(d1, d1 + 11, strlen(d1 + 11) + 1);
	snprintf(buf, sizeof(buf), "leaky plot: %zu target%s, %s to %s UTC",
		 rows, rows == 1 ? "" : "s", d0, d1);
	q = plot_gp_string(buf, 0);
	fprintf(out, "set multiplot layout %zu,%zu title %s font ',13' "
		"noenhanced\n", rows, cols, q);
	free(q);
}

/*
 * Row row of the image: t's charts p[0..2], a column for each chart some
 * target has (any), a placeholder where t lacks one.
 */
static void write_row(FILE *out, const struct plot_data *pd,
		      const struct ptarget *t, const struct panel p[3],
		      const int any[3], size_t row, const char *htitle)
{
	int64_t x0 = INT64_MAX, x1 = INT64_MIN;
	size_t col = 0, bmargin = 0, k;
	char buf[256];

	for (k = 0; k < 3; k++) {
		if (!p[k].has)
			continue;
		x0 = p[k].c.tmin < x0 ? p[k].c.tmin : x0;
		x1 = p[k].c.tmax > x1 ? p[k].c.tmax : x1;
		if (key_rows(pd, &p[k].c) > bmargin)
			bmargin = key_rows(pd, &p[k].c);
	}
	/*
	 * In character heights: 4 for the tic labels and the axis label,
	 * then the legend's rows at its spacing of 1.1, rounded up.
	 */
	bmargin = 4 + (bmargin * 11 + 9) / 10;
	for (k = 0; k < 3; k++) {
		if (!any[k])
			continue;
		if (!p[k].has) {
			write_empty_panel(out, t->name,
				k == 0 ? "no heap profiles" :
				k == 1 ? "no goroutine snapshots" :
				"no process memory snapshots");
		} else if (k == 0) {
			snprintf(buf, sizeof(buf), "%s by function "
				 "(top %zu by growth)", htitle, pd->o.top);
			write_panel(out, pd, t, row, col, &p[k], buf, htitle,
				    x0, x1, bmargin);
		} else if (k == 1) {
			snprintf(buf, sizeof(buf), "goroutines by %s "
				 "(top %zu by growth)",
				 by_state(t) ? "state" : "group", pd->o.top);
			write_panel(out, pd, t, row, col, &p[k], buf,
				    "goroutines", x0, x1, bmargin);
		} else {
			write_panel(out, pd, t, row, col, &p[k],
				    "RSS against the Go heap", "memory", x0,
				    x1, bmargin);
		}
		col++;
	}
}

int plot_write_script(struct plot_data *pd, FILE *out)
{
	size_t nt = strmap_count(pd->tnames), i, k, rows, cols = 0;
	size_t *order = xcalloc(nt + 1, sizeof(*order));
	struct panel (*pan)[3] = xcalloc(nt + 1, sizeof(*pan));
	int any[3] = { 0, 0, 0 }, heap_bytes, ret = 0;
	const char *htitle = heap_title(pd->o.type, &heap_bytes);
	int64_t tmin = INT64_MAX, tmax = INT64_MIN;
	unsigned long w, h;

	rows = all_panels(pd, htitle, heap_bytes, pan, order, any, &tmin,
			  &tmax);
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
	sort_rows(pd, order, rows);
	write_preamble(out, pd, rows, cols, w, h, tmin, tmax);
	for (i = 0; i < rows; i++)
		write_row(out, pd, &pd->t[order[i]], pan[order[i]], any, i,
			  htitle);
	fputs("unset multiplot\n", out);
	if (fflush(out) || ferror(out))
		ret = -1;
out:
	for (i = 0; i < nt; i++)
		for (k = 0; k < 3; k++)
			plot_chart_release(&pan[i][k].c);
	free(pan);
	free(order);
	return ret;
}

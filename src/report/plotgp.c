/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's gnuplot script: one row of charts per target, data inline. */
#include "report/plot.h"
#include "base/clock.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "report/plot_int.h"
#include "report/report.h"
#include "base/human.h"

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
 * The layout, in pixels of the image, y from its top. Each target is a
 * column of panels (heap, goroutines, memory) stacked on one time axis;
 * targets go left to right, PLOT_COLS at most a band, bands downwards.
 * In a panel: the title above the plot, tic labels and the axis label
 * below it, the y tics left of it, and the legend right of it, outside,
 * in a strip as wide as the column's longest entry needs.
 */
#define TITLE_PX 36		/* the image's title (PNG, SVG) */
#define PANEL_TOP_PX 30		/* a panel's title */
#define PANEL_BOTTOM_PX 44	/* tic labels and the axis label */
#define PANEL_LEFT_PX 72	/* tic labels and the axis label */
#define KEY_GAP_PX 14		/* between the plot and its legend */
#define KEY_CHAR_PX 6.6		/* a character of the legend (sans 9) */
#define KEY_SAMPLE_PX 56	/* a legend entry's line sample and gap */
/* A legend entry's height (spacing 1.1). gnuplot lays a legend out in
 * as many columns as its entries need to fit the plot's height. */
#define KEY_ROW_PX 16
#define KEY_MIN_PX 290		/* the memory panel's note needs this */
#define PLOT_COLS 3

struct geom {
	unsigned long iw, ih;	/* the image (one panel's for html) */
	double x0, y0, w, h;	/* the panel */
	double keyw;		/* its legend's strip */
};

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};
#define NCOLORS (sizeof(colors) / sizeof(colors[0]))
static const char *const mem_colors[] = { "#d62728", "#ff7f0e",
					  "#2ca02c" };

/* A verdict's colour: red a leak, orange a suspect, green ok. */
static const char *verdict_color(enum verdict v)
{
	return v == VERDICT_LEAK ? "#c00000" : v == VERDICT_SUSPECT ?
	       "#c86400" : v == VERDICT_OK ? "#2a7d2a" : "#666666";
}

struct panel {
	const char *what;	/* "heap", "goroutines", "memory" */
	struct chart c;
	int has;
};

/*
 * The last max characters of s, "..." and its end when longer: a Go name
 * says what it is at its end (the function), not at its start (the
 * path). The caller frees it.
 */
static char *left_cut(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, i, len = strlen(s);
	char *r;

	for (i = 0; i < len; i++)
		n += (u[i] & 0xc0) != 0x80;
	if (n <= max || max < 4)
		return xstrdup(s);
	for (i = 0; i < len && n > max - 3; i++)
		n -= (u[i] & 0xc0) != 0x80;
	while (i < len && (u[i] & 0xc0) == 0x80)
		i++;
	r = xmalloc(len - i + 4);
	snprintf(r, len - i + 4, "...%s", s + i);
	return r;
}

/*
 * A line's legend entry, quoted for gnuplot: its name cut from the left
 * to max characters, then what follows \x1f whole (the growth, the
 * report's verdict and rate), so that a long function name never hides
 * the number the chart is about.
 */
static char *legend(const char *title, size_t max)
{
	const char *sep = strchr(title, '\x1f');
	char *name, *cut, *q;
	size_t n;

	if (!sep)
		return plot_gp_string(title, PLOT_LABEL_MAX);
	name = xstrndup(title, (size_t)(sep - title));
	cut = left_cut(name, max);
	n = strlen(cut) + strlen(sep + 1) + 1;
	free(name);
	name = xmalloc(n);
	snprintf(name, n, "%s%s", cut, sep + 1);
	q = plot_gp_string(name, 0);
	free(name);
	free(cut);
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

/* The pixels the widest legend entry of c needs. */
static double key_width(const struct chart *c)
{
	size_t i, chars = 1;

	for (i = 0; i < c->n; i++) {
		char *q = legend(c->l[i].title, PLOT_KEY_NAME);
		size_t n = shown_chars(q);

		if (n > chars)
			chars = n;
		free(q);
	}
	return KEY_CHAR_PX * (double)chars + KEY_SAMPLE_PX;
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
	/* What the report names stands out. */
	double lw = l->mark && l->mark->v >= VERDICT_SUSPECT ? 4 : 2;

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
			fprintf(out, "with %s lc rgb '%s' lw %g dt %d pt 7 "
				"ps %g", with, mem_colors[l->color % 3], lw,
				l->color == MEM_ANON ? 2 :
				l->color == MEM_HEAPINUSE ? 4 : 1, ps);
		else
			fprintf(out, "with %s lc rgb '%s' lw %g dt %zu pt %zu "
				"ps %g", with, colors[l->color % NCOLORS], lw,
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

/* Screen coordinates of pixel x (from the left) and y (from the top). */
static double sx(const struct geom *g, double x)
{
	return x / (double)g->iw;
}

static double sy(const struct geom *g, double y)
{
	return 1 - y / (double)g->ih;
}

/*
 * The plot's area in the panel g: fixed margins, so that the panels of a
 * column line up whatever their tic labels and legends.
 */
static void write_margins(FILE *out, const struct geom *g)
{
	fprintf(out, "set lmargin at screen %.5f\nset rmargin at screen "
		"%.5f\nset tmargin at screen %.5f\nset bmargin at screen "
		"%.5f\n", sx(g, g->x0 + PANEL_LEFT_PX),
		sx(g, g->x0 + g->w - g->keyw - KEY_GAP_PX),
		sy(g, g->y0 + PANEL_TOP_PX),
		sy(g, g->y0 + g->h - PANEL_BOTTOM_PX));
}

static void write_empty_panel(FILE *out, const struct geom *g,
			      const char *tname, const char *msg)
{
	char text[512];
	char *q;

	snprintf(text, sizeof(text), "%s: %s", tname, msg);
	q = plot_gp_string(text, 0);
	fputs("set xdata\nunset title\nunset xlabel\nunset ylabel\n"
	      "unset key\nunset border\nunset xtics\nunset ytics\n"
	      "unset grid\nunset arrow\nunset label\nset xrange [0:1]\n"
	      "set yrange [0:1]\n", out);
	write_margins(out, g);
	fprintf(out, "set label 1 %s at graph 0.5, graph 0.5 center "
		"noenhanced tc rgb '#666666'\n", q);
	fputs("plot 2 notitle\n", out);
	free(q);
}

/* The width in pixels of a time label of format fmt, with its gap. */
static double time_label_px(const char *fmt)
{
	return 7.0 * (double)strlen(fmt) + 30;
}

/*
 * gnuplot puts "set xtics STEP" tics at multiples of STEP from the epoch,
 * so steps of whole clock units (seconds, minutes, hours, days, weeks,
 * about a month, a quarter, a year) put them on round UTC times. As many
 * tics as their labels leave room for (time_label_px()), at least 2 even
 * on a narrow chart. Labels show only what changes within the span: the
 * day goes to the axis label when the chart spans less than one
 * (write_time_axis()), the year only past a year.
 */
double plot_time_step(double span, unsigned width, const char **fmt)
{
	static const double steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
		7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400,
		14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400,
	};
	size_t i, n = sizeof(steps) / sizeof(steps[0]);
	double step = steps[n - 1], ticks;
	const char *f = "%Y-%m-%d";

	for (i = 0; i < n; i++) {
		if (steps[i] < 60)
			f = "%H:%M:%S";
		else if (steps[i] < 86400 && span < 86400)
			f = "%H:%M";
		else if (steps[i] < 86400)
			f = "%m-%d %H:%M";
		else if (span < 365 * 86400.0)
			f = "%m-%d";
		else
			f = "%Y-%m-%d";
		ticks = width / time_label_px(f);
		if (ticks < 2)
			ticks = 2;
		if (span / steps[i] <= ticks) {
			step = steps[i];
			break;
		}
	}
	*fmt = f;
	return step;
}

/*
 * The time axis of a chart spanning x0 to x1 (ns), px pixels wide: tics
 * by plot_time_step(), the day in the axis label when one day holds it.
 */
static void write_time_axis(FILE *out, double px, int64_t x0, int64_t x1)
{
	double span = (double)(x1 - x0) / 1e9, step, pad;
	const char *fmt;
	char d0[CLOCK_TEXT_MAX], d1[CLOCK_TEXT_MAX];

	step = plot_time_step(span, px > 0 ? (unsigned)px : 1, &fmt);
	clock_text(x0, 0, d0);
	clock_text(x1, 0, d1);
	if (!strcmp(d0, d1) && span < 86400)
		fprintf(out, "set xlabel 'time (UTC, %s)' offset 0,0.2\n", d0);
	else
		fputs("set xlabel 'time (UTC)' offset 0,0.2\n", out);
	fprintf(out, "set format x \"%s\"\nset xtics %.0f\nset mxtics\n", fmt,
		step);
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

/*
 * Each line the report names, marked where it ends: its verdict in its
 * colour, so that the leak is found on the chart and not only in the
 * legend.
 */
static void write_line_marks(FILE *out, const struct chart *c, double div,
			     int mem)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct line *l = &c->l[i];

		if (!l->mark || l->mark->v < VERDICT_SUSPECT || !l->n)
			continue;
		fprintf(out, "set label '%s' at '%.3f', %.10g right offset "
			"-0.5,0.8 tc rgb '%s' font ',10' front noenhanced\n",
			verdict_name(l->mark->v),
			(double)l->t[l->n - 1] / 1e9, l->y[l->n - 1] / div,
			mem ? mem_colors[l->color % 3] :
			      colors[l->color % NCOLORS]);
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
		q = legend(c->l[i].title, PLOT_KEY_NAME);
		fprintf(out, "%s%s index %zu using 1:2 ", i ? ", \\\n     " :
			"", name, i);
		line_style(out, &c->l[i], mem, points);
		fprintf(out, " title %s noenhanced", q);
		free(q);
	}
	fputs("\n", out);
}

/*
 * The report's word on a panel's whole, above its legend: "report on
 * the heap: leak, +2.1 MiB/h" (Theil-Sen) in the verdict's colour.
 * Nothing for CSV input, which no report judged.
 */
static void write_verdict(FILE *out, const struct geom *g,
			  const struct ptarget *t, const struct panel *p)
{
	const struct pmark *m;
	const char *what;
	char text[160], rate[64];

	if (!t->judged)
		return;
	if (!strcmp(p->what, "heap")) {
		m = plot_whole_mark(t, REPORT_PART_HEAP);
		what = "heap";
	} else if (!strcmp(p->what, "goroutines")) {
		m = plot_whole_mark(t, REPORT_PART_GOROUTINES);
		what = "goroutines";
	} else {
		m = plot_whole_mark(t, REPORT_PART_RSS);
		what = "RSS";
	}
	if (!m)
		return;
	if (m->v == VERDICT_NODATA) {
		snprintf(text, sizeof(text), "report on the %s: %s", what,
			 verdict_name(m->v));
	} else {
		plot_rate_text(rate, sizeof(rate), m->slope,
			       strcmp(what, "goroutines") != 0);
		snprintf(text, sizeof(text), "report on the %s: %s, %s",
			 what, verdict_name(m->v), rate);
	}
	/* Above the legend, whose strip is wide enough for it. */
	fprintf(out, "set label '%s' at screen %.5f, screen %.5f left "
		"tc rgb '%s' font ',10' noenhanced\n", text,
		sx(g, g->x0 + g->w - g->keyw), sy(g, g->y0 + PANEL_TOP_PX - 10),
		verdict_color(m->v));
}

/*
 * Why the heap profile and MemStats HeapInuse differ, beneath the memory
 * panel's legend, with the gap at the last time both were taken: the
 * profile counts the objects live at the last completed GC (sampled,
 * scaled up), HeapInuse the bytes of every span holding any object:
 * their free slots, and what was allocated since that GC.
 */
static void write_gap_note(FILE *out, const struct geom *g,
			   const struct chart *c)
{
	static const char *const why[] = {
		"the heap profile: objects live at the last GC;",
		"HeapInuse: whole spans in use, with their free",
		"slots and what was allocated since that GC",
	};
	const struct line *hp = NULL, *hi = NULL;
	double x = g->x0 + g->w - g->keyw, y, gap;
	char h[32];
	size_t i, j, k;

	for (i = 0; i < c->n; i++) {
		if (c->l[i].style == ST_HEAPP)
			hp = &c->l[i];
		else if (c->l[i].style == ST_LINE &&
			 c->l[i].color == MEM_HEAPINUSE)
			hi = &c->l[i];
	}
	if (!hp || !hi || !hp->n || !hi->n)
		return;
	/*
	 * The last HeapInuse and the profile nearest it: MemStats come from
	 * heap?debug=1, a fetch of its own, a moment apart from the
	 * profile's; more than a round apart, they are not one moment.
	 */
	i = hi->n - 1;
	for (j = 0, k = 0; k < hp->n; k++)
		if (llabs(hp->t[k] - hi->t[i]) < llabs(hp->t[j] - hi->t[i]))
			j = k;
	if (hp->n > 1 && llabs(hp->t[j] - hi->t[i]) >
	    (hp->t[hp->n - 1] - hp->t[0]) / (int64_t)(hp->n - 1))
		return;
	gap = hi->y[i] - hp->y[j];
	human_size(h, sizeof(h), fabs(gap), &human_iec_legend);
	y = g->y0 + g->h - PANEL_BOTTOM_PX - 4 * 13;
	fprintf(out, "set label 'HeapInuse - heap profile, last: %s%s' "
		"at screen %.5f, screen %.5f left font ',9' "
		"tc rgb '#333333' noenhanced\n", gap < 0 ? "-" : "+", h,
		sx(g, x), sy(g, y));
	for (i = 0; i < 3; i++)
		fprintf(out, "set label '%s' at screen %.5f, screen %.5f "
			"left font ',9' tc rgb '#555555' noenhanced\n", why[i],
			sx(g, x), sy(g, y + 13 * (double)(i + 1)));
}

/*
 * One chart in the panel g. x0 and x1 bound the times of the target's
 * panels, so that they share one time axis.
 */
static void write_panel(FILE *out, const struct geom *g,
			const struct ptarget *t, const char *name,
			const struct panel *p, const char *title,
			const char *ylabel, int64_t x0, int64_t x1)
{
	const struct chart *c = &p->c;
	int mem = !strcmp(p->what, "memory");
	double div;
	const char *unit;
	char text[640];
	char *q;

	unit = c->bytes ? plot_byte_unit(c->ymax, &div) :
			  plot_count_unit(c->ymax, &div);
	write_block(out, name, c, div);
	/* Every setting a chart makes, each chart makes again. */
	fputs("unset arrow\nunset label\nunset title\nset border\nset xtics\n"
	      "set ytics autofreq\nset mytics\n"
	      "set grid xtics ytics mxtics lc rgb '#dcdcdc', "
	      "lc rgb '#f0f0f0'\nset xdata time\nset timefmt '%s'\n"
	      "set offsets 0, 0, graph 0.05, 0\n", out);
	write_margins(out, g);
	/*
	 * One column: gnuplot would start another when the plot is not as
	 * tall as the legend, right of the strip and off the image;
	 * panel_height() made the plot that tall.
	 */
	fprintf(out, "set key at screen %.5f, screen %.5f left top Left "
		"reverse vertical noenhanced samplen 2 spacing 1.1 "
		"font ',9' nobox opaque maxrows %zu\n",
		sx(g, g->x0 + g->w - g->keyw), sy(g, g->y0 + PANEL_TOP_PX),
		c->n + 1);
	snprintf(text, sizeof(text), "%s: %s", t->name, title);
	q = plot_gp_string(text, 0);
	fprintf(out, "set label %s at screen %.5f, screen %.5f left "
		"font ',11' noenhanced\n", q, sx(g, g->x0 + PANEL_LEFT_PX),
		sy(g, g->y0 + PANEL_TOP_PX - 10));
	free(q);
	write_verdict(out, g, t, p);
	if (*unit)
		snprintf(text, sizeof(text), "%s (%s)", ylabel, unit);
	else
		snprintf(text, sizeof(text), "%s", ylabel);
	q = plot_gp_string(text, 0);
	fprintf(out, "set ylabel %s noenhanced\n", q);
	free(q);
	write_time_axis(out, g->w - g->keyw - KEY_GAP_PX - PANEL_LEFT_PX, x0,
			x1);
	if (c->ymax > 0)
		fputs("set yrange [0:*]\n", out);
	else
		fputs("set yrange [0:1]\n", out);
	/* Counts of ten or less: whole tics, not 0.5 goroutines. */
	if (!c->bytes && c->ymax / div <= 10)
		fputs("set ytics 1\nset mytics 1\n", out);
	fputs("set format y '%g'\n", out);
	write_restarts(out, t, x0, x1);
	write_line_marks(out, c, div, mem);
	if (mem)
		write_gap_note(out, g, c);
	write_plot(out, name, c, mem);
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
	plot_keyed_chart(pd, t, S_HEAP, &t->s[S_HEAP], &t->tot[S_HEAP], buf,
			 "function", 1, heap_bytes, &p[0].c);
	if (by_state(t))
		plot_keyed_chart(pd, t, S_GSTATE, &t->s[S_GSTATE],
				 &t->tot[S_GSTATE], "all goroutines", "state",
				 0, 0, &p[1].c);
	else
		plot_keyed_chart(pd, t, S_GOR, &t->s[S_GOR], &t->tot[S_GOR],
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
 * has chart k (a panel of each column), and their time span widened into
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

/* Targets in the order of their names (insertion sort: stable). */
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

/*
 * What leaky report says of the targets drawn, for the image's title:
 * "api leak, web ok"; past 4 targets, how many leak.
 */
static void verdicts_text(char *buf, size_t n, const struct plot_data *pd,
			  const size_t *order, size_t ntargets)
{
	size_t i, len, judged = 0, leak = 0;

	buf[0] = '\0';
	for (i = 0; i < ntargets; i++) {
		const struct ptarget *t = &pd->t[order[i]];

		judged += (size_t)t->judged;
		leak += t->judged && t->v == VERDICT_LEAK;
	}
	if (!judged)
		return;
	if (ntargets > 4) {
		snprintf(buf, n, "; leaky report: %zu of %zu targets leak",
			 leak, ntargets);
		return;
	}
	snprintf(buf, n, "; leaky report:");
	for (i = 0; i < ntargets; i++) {
		const struct ptarget *t = &pd->t[order[i]];

		if (!t->judged)
			continue;
		len = strlen(buf);
		snprintf(buf + len, n - len, "%s %s %s", judged && i ? "," :
			 "", t->name, verdict_name(t->v));
	}
}

/* The terminal of a w x h image, and the title over all charts. */
static void write_preamble(FILE *out, const struct plot_data *pd,
			   const size_t *order, size_t ntargets,
			   unsigned long w, unsigned long h, int64_t tmin,
			   int64_t tmax)
{
	char buf[512], d0[CLOCK_TEXT_MAX], d1[CLOCK_TEXT_MAX], vt[256];
	char *q;

	fprintf(out, "# leaky plot: %zu target%s; "
		"gnuplot THIS-FILE > IMAGE\n", ntargets,
		ntargets == 1 ? "" : "s");
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
	verdicts_text(vt, sizeof(vt), pd, order, ntargets);
	snprintf(buf, sizeof(buf), "leaky plot: %zu target%s, %s to %s "
		 "UTC%s", ntargets, ntargets == 1 ? "" : "s", d0, d1, vt);
	q = plot_gp_string(buf, 0);
	fprintf(out, "set multiplot title %s font ',13' noenhanced\n", q);
	free(q);
}

/* The grid of the image: columns of targets, bands of columns. */
struct grid {
	size_t cols, bands, npanels;
	double *keyw;		/* per column */
};

/*
 * Panel k of target t (the pos-th drawn): its title and y label, and its
 * place; a placeholder where t lacks it.
 */
static void write_target_panel(FILE *out, const struct plot_data *pd,
			       const struct ptarget *t, const struct panel *p,
			       size_t k, const struct geom *g,
			       const char *name, const char *htitle,
			       int64_t x0, int64_t x1)
{
	char buf[256];

	if (!p->has) {
		write_empty_panel(out, g, t->name,
				  k == 0 ? "no heap profiles" :
				  k == 1 ? "no goroutine snapshots" :
				  "no process memory snapshots");
	} else if (k == 0) {
		snprintf(buf, sizeof(buf), "%s by function "
			 "(top %zu by growth)", htitle, pd->o.top);
		write_panel(out, g, t, name, p, buf, htitle, x0, x1);
	} else if (k == 1) {
		snprintf(buf, sizeof(buf), "goroutines by %s "
			 "(top %zu by growth)",
			 by_state(t) ? "state" : "group", pd->o.top);
		write_panel(out, g, t, name, p, buf, "goroutines", x0, x1);
	} else {
		write_panel(out, g, t, name, p, "RSS against the Go heap",
			    "memory", x0, x1);
	}
}

/* The time span of t's panels, which share one axis. */
static void target_span(const struct panel p[3], int64_t *x0, int64_t *x1)
{
	size_t k;

	*x0 = INT64_MAX;
	*x1 = INT64_MIN;
	for (k = 0; k < 3; k++) {
		if (!p[k].has)
			continue;
		*x0 = p[k].c.tmin < *x0 ? p[k].c.tmin : *x0;
		*x1 = p[k].c.tmax > *x1 ? p[k].c.tmax : *x1;
	}
}

/*
 * The legend strip of column col: its widest entry, within KEY_MIN_PX
 * (the memory note) and half the panel.
 */
static double column_keyw(const struct plot_data *pd, struct panel (*pan)[3],
			  const size_t *order, size_t ntargets,
			  const struct grid *gr, size_t col)
{
	double w = KEY_MIN_PX;
	size_t i, k;

	for (i = col; i < ntargets; i += gr->cols)
		for (k = 0; k < 3; k++)
			if (pan[order[i]][k].has &&
			    key_width(&pan[order[i]][k].c) > w)
				w = key_width(&pan[order[i]][k].c);
	if (w > pd->o.width / 2.0)
		w = pd->o.width / 2.0;
	return w;
}

/*
 * The height of every panel: --size's, or more when a legend needs it
 * (--top 30 has 32 entries), so that no legend runs into the panel below
 * or off the image.
 */
static unsigned panel_height(const struct plot_data *pd,
			     struct panel (*pan)[3], const size_t *order,
			     size_t ntargets)
{
	double need = pd->o.height;
	size_t i, k;

	for (i = 0; i < ntargets; i++) {
		for (k = 0; k < 3; k++) {
			const struct chart *c = &pan[order[i]][k].c;
			double h = PANEL_TOP_PX + PANEL_BOTTOM_PX +
				   KEY_ROW_PX * (double)(c->n + 1) +
				   (k == 2 ? 5 * 13 : 0);

			if (pan[order[i]][k].has && h > need)
				need = h;
		}
	}
	return (unsigned)ceil(need);
}

/* The name of target pos's panel k: a gnuplot datablock, a JS function. */
static void panel_name(char *buf, size_t n, size_t pos, size_t k)
{
	snprintf(buf, n, "leaky_%zu_%zu", pos, k);
}

/*
 * The page's panels, one canvas each: gnuplot's canvas terminal draws
 * each into a JavaScript function named after it, its own mousing
 * (zoom, the values under the mouse) working on it alone.
 */
static void write_html_panels(FILE *out, struct plot_data *pd,
			      struct panel (*pan)[3], const size_t *order,
			      size_t ntargets, const int any[3],
			      const char *htitle, double keyw)
{
	struct geom g = { pd->o.width, pd->panel_h, 0, 0, pd->o.width,
			  pd->panel_h, keyw };
	char name[64];
	size_t i, k;
	int64_t x0, x1;

	/*
	 * First a throwaway standalone page, in the directory gnuplot runs
	 * in (plot_render()): it names the directory of the canvas
	 * terminal's scripts, which the page puts inline.
	 */
	fputs("reset session\nset terminal canvas standalone mousing\n"
	      "set output '" PLOT_HTML_PROBE "'\nset yrange [0:1]\n"
	      "plot 0 notitle\nset output\nreset session\n"
	      "set datafile separator whitespace\n", out);
	for (i = 0; i < ntargets; i++) {
		const struct ptarget *t = &pd->t[order[i]];

		target_span(pan[order[i]], &x0, &x1);
		for (k = 0; k < 3; k++) {
			if (!any[k])
				continue;
			panel_name(name, sizeof(name), i, k);
			fprintf(out, "set terminal canvas size %u,%u mousing "
				"noenhanced fsize 10 name '%s'\nset output\n",
				pd->o.width, pd->panel_h, name);
			plot_html_panel(pd, t->name, name);
			name[0] = '$';
			panel_name(name + 1, sizeof(name) - 1, i, k);
			write_target_panel(out, pd, t, &pan[order[i]][k], k,
					   &g, name, htitle, x0, x1);
		}
	}
}

int plot_write_script(struct plot_data *pd, FILE *out)
{
	size_t nt = strmap_count(pd->tnames), i, k, ntargets, col, band, pk;
	size_t *order = xcalloc(nt + 1, sizeof(*order));
	struct panel (*pan)[3] = xcalloc(nt + 1, sizeof(*pan));
	int any[3] = { 0, 0, 0 }, heap_bytes, ret = 0;
	const char *htitle = heap_title(pd->o.type, &heap_bytes);
	int64_t tmin = INT64_MAX, tmax = INT64_MIN, x0, x1;
	struct grid gr = { 0, 0, 0, NULL };
	unsigned long w, h;
	char name[64];

	ntargets = all_panels(pd, htitle, heap_bytes, pan, order, any, &tmin,
			      &tmax);
	for (k = 0; k < 3; k++)
		gr.npanels += (size_t)any[k];
	if (!ntargets) {
		error("nothing to plot: no heap, goroutine or memory "
		      "snapshots in the input");
		ret = -1;
		goto out;
	}
	gr.cols = ntargets < PLOT_COLS ? ntargets : PLOT_COLS;
	gr.bands = (ntargets + gr.cols - 1) / gr.cols;
	w = (unsigned long)pd->o.width * gr.cols;
	pd->panel_h = panel_height(pd, pan, order, ntargets);
	h = (unsigned long)pd->panel_h * gr.npanels * gr.bands + TITLE_PX;
	if (pd->o.format != PLOT_HTML &&
	    (w > PLOT_MAX_IMAGE || h > PLOT_MAX_IMAGE)) {
		error("an image of %lux%lu pixels (%zu targets) is too "
		      "large; choose targets with --target or a smaller "
		      "--size", w, h, ntargets);
		ret = -1;
		goto out;
	}
	sort_rows(pd, order, ntargets);
	gr.keyw = xcalloc(gr.cols, sizeof(*gr.keyw));
	for (col = 0; col < gr.cols; col++)
		gr.keyw[col] = column_keyw(pd, pan, order, ntargets, &gr, col);
	plot_html_reset(pd);
	if (pd->o.format == PLOT_HTML) {
		double kw = 0;

		for (col = 0; col < gr.cols; col++)
			kw = gr.keyw[col] > kw ? gr.keyw[col] : kw;
		write_html_panels(out, pd, pan, order, ntargets, any, htitle,
				  kw);
		goto done;
	}
	write_preamble(out, pd, order, ntargets, w, h, tmin, tmax);
	for (i = 0; i < ntargets; i++) {
		const struct ptarget *t = &pd->t[order[i]];
		struct geom g;

		col = i % gr.cols;
		band = i / gr.cols;
		target_span(pan[order[i]], &x0, &x1);
		for (k = 0, pk = 0; k < 3; k++) {
			if (!any[k])
				continue;
			g.iw = w;
			g.ih = h;
			g.x0 = (double)col * pd->o.width;
			g.y0 = TITLE_PX + (double)(band * gr.npanels + pk) *
				pd->panel_h;
			g.w = pd->o.width;
			g.h = pd->panel_h;
			g.keyw = gr.keyw[col];
			name[0] = '$';
			panel_name(name + 1, sizeof(name) - 1, i, k);
			write_target_panel(out, pd, t, &pan[order[i]][k], k,
					   &g, name, htitle, x0, x1);
			pk++;
		}
	}
	fputs("unset multiplot\n", out);
done:
	if (fflush(out) || ferror(out))
		ret = -1;
out:
	for (i = 0; i < nt; i++)
		for (k = 0; k < 3; k++)
			plot_chart_release(&pan[i][k].c);
	free(gr.keyw);
	free(pan);
	free(order);
	return ret;
}

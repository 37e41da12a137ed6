/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky plot's insides, shared by its files and by no one else: only
 * src/report/plot*.c include this header (commands and tests use
 * report/plot.h). plot.c holds the data model and its dataset input,
 * plotcsv.c the CSV input, plotchart.c the ranking that turns series into
 * charts, plotgp.c the gnuplot script, plotrun.c the gnuplot run,
 * plothtml.c the interactive page.
 */
#ifndef LEAKY_PLOT_INT_H
#define LEAKY_PLOT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/plot.h"
#include "report/report.h"

/* The series a target can hold; S_GSTATE: goroutines --totals by state. */
enum ser { S_HEAP, S_GOR, S_GSTATE, S_MEM, NSER };

/* Fixed keys of S_MEM, interned first so that their ids are these. */
enum { MEM_RSS, MEM_ANON, MEM_HEAPINUSE };
/* Their legend names, by those ids. */
extern const char *const plot_mem_names[3];

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

/*
 * A series leaky report judged (report_marks()): a whole (heap,
 * goroutines, RSS) or a function or group it names, by legend label.
 */
struct pmark {
	enum report_part part;
	uint32_t label;		/* functions, groups: label id */
	enum verdict v;
	double slope;		/* a second */
	int64_t t0, t1;		/* ns */
};

struct ptarget {
	char *name;
	struct pts s[NSER];
	struct pts tot[NSER];	/* totals given by the input (key 0) */
	int64_t *restarts;
	size_t nrestarts, caprestarts;
	int judged;		/* a report judged it: snapshots, not CSVs */
	enum verdict v;
	struct pmark *marks;
	size_t nmarks, capmarks;
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
	unsigned panel_h;	/* a panel's height (plot_write_script()) */
	/* html: the page's panels, in order (plot_html_panel()). */
	struct hpanel {
		char *target, *name;
	} *html;
	size_t nhtml, caphtml;
};

/*
 * The panels of an html page: plot_write_script() names each, and the
 * page is put together from them (plotrun.c). Reset forgets them.
 */
void plot_html_reset(struct plot_data *pd);
void plot_html_panel(struct plot_data *pd, const char *target,
		     const char *name);
/*
 * Writes the page: gnuplot's canvas scripts, from the directory its
 * standalone page probe names (probe_len bytes), put inline; a canvas
 * per panel of pd->html; the panels' drawing functions gnuplot wrote
 * (panels, panels_len bytes). Returns 0, or -1 when the scripts cannot be
 * read (reported) or on a write error.
 */
int plot_html_write(const struct plot_data *pd, const char *probe,
		    size_t probe_len, const char *panels, size_t panels_len,
		    FILE *out);

/* The target named name, added (empty) when new; owned by pd. */
struct ptarget *plot_target(struct plot_data *pd, const char *name);
/*
 * The id of a key of series s distinct by the n bytes of ident, shown in
 * a legend as label (copied).
 */
uint32_t plot_key(struct plot_data *pd, enum ser s, const char *ident,
		  size_t n, const char *label);
/* Appends the point (t, k, v) to p, in arrival order. */
void plot_add(struct plot_data *pd, struct pts *p, int64_t t, uint32_t k,
	      double v);

/*
 * A goroutine group's legend name into buf, from the fields the input
 * gives (any may be NULL or empty).
 */
void plot_group_label(char *buf, size_t n, const char *top,
		      const char *state, const char *labels,
		      const char *created_by, const char *stack);
/*
 * What makes a goroutine group distinct: its fields joined by US (0x1f);
 * *len its length. The caller frees it.
 */
char *plot_group_ident(const char *top, const char *state,
		       const char *labels, const char *created_by,
		       const char *stack, size_t *len);

/* How a line is drawn: the total, "(other)", the heap profile, a key. */
enum style { ST_TOTAL, ST_OTHER, ST_HEAPP, ST_LINE };

struct line {
	char *title;		/* "name\x1f (growth)" or the name alone */
	enum style style;
	size_t color;		/* ST_LINE: rank */
	const struct pmark *mark;	/* the report names it; or NULL */
	int64_t *t;
	double *y;
	size_t n;
};

/* The lines of one chart and their bounds. */
struct chart {
	struct line *l;
	size_t n, cap;
	double ymax;
	int64_t tmin, tmax;
	int bytes;		/* values are bytes (else counts) */
};

/*
 * The chart of a keyed series src of s of target t, with the totals the
 * input gave in tot: the total (titled total_title), the keys the report
 * names (t's marks), then the keys that grew most, pd->o.top lines in
 * all, and, when other, the rest summed as "(other) N more whats".
 * *c is overwritten; plot_chart_release() it. No lines when no points.
 */
void plot_keyed_chart(const struct plot_data *pd, const struct ptarget *t,
		      enum ser s, const struct pts *src,
		      const struct pts *tot, const char *total_title,
		      const char *what, int other, int bytes,
		      struct chart *c);
/*
 * The report's mark of t's whole series part: the worst verdict over its
 * segments (the latest of equals); NULL when it judged none.
 */
const struct pmark *plot_whole_mark(const struct ptarget *t,
				    enum report_part part);
/*
 * t's memory chart: RSS, anonymous RSS, heap's first line (the heap
 * profile's total; heap may be NULL) and HeapInuse, when there is RSS.
 */
void plot_mem_chart(const struct ptarget *t, const struct chart *heap,
		    struct chart *c);
void plot_chart_release(struct chart *c);

#endif

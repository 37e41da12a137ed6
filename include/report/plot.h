/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Charts through gnuplot: per-target series gathered from a dataset or
 * from leaky's CSVs (heaper, goroutines, pmap), one row of panels per
 * target (heap by function, goroutines by group, RSS against the heap),
 * written as one gnuplot script with its data inline and run by gnuplot.
 * The face of src/report/plot*.c to commands and tests; those files share
 * report/plot_int.h among themselves.
 */
#ifndef LEAKY_PLOT_H
#define LEAKY_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dataset;

enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_HTML };

struct plot_opts {
	size_t top;		/* lines besides the total and (other) */
	const char *type;	/* heaper CSV value column */
	unsigned width, height;	/* one panel, pixels */
	enum plot_format format;
};

#define PLOT_TOP 8
#define PLOT_TYPE "inuse_space"
#define PLOT_WIDTH 1100
#define PLOT_HEIGHT 380
#define PLOT_MIN_SIZE 200
#define PLOT_MAX_SIZE 10000
/* Larger images are refused (cairo and viewers have limits near it). */
#define PLOT_MAX_IMAGE 32000
#define PLOT_LABEL_MAX 60	/* characters of a legend entry's name */
/* Characters of a function's or group's name in a legend, cut from the
 * left past them: the function is at the end. */
#define PLOT_KEY_NAME 56

void plot_opts_default(struct plot_opts *o);

/*
 * An html page's script writes this file in its working directory (the
 * canvas terminal's standalone page, which names its scripts' directory):
 * only plot_render() runs it, in a directory of its own.
 */
#define PLOT_HTML_PROBE "probe.html"

struct plot_data;

/* An empty collection; free with plot_data_free() (NULL is a no-op). */
struct plot_data *plot_data_new(const struct plot_opts *o);
void plot_data_free(struct plot_data *pd);

/*
 * Adds every target of ds: per-function in-use bytes (flat), goroutine
 * groups, RSS and anonymous RSS, MemStats HeapInuse and restarts. ds may
 * be released afterwards.
 */
void plot_add_dataset(struct plot_data *pd, const struct dataset *ds);

/*
 * Adds the len bytes at data, a CSV written by leaky heaper (long layout),
 * leaky goroutines (groups or --totals) or leaky pmap (totals), told apart
 * by the header. A file with a bad header, row or value adds nothing: it
 * is reported as "NAME: reason" and -1 returned.
 */
int plot_add_csv(struct plot_data *pd, const char *name, const char *data,
		 size_t len);

/* Keeps only the targets named in names[0..n-1]; returns how many. */
size_t plot_keep_targets(struct plot_data *pd, char *const *names, size_t n);
/* Targets with something to draw. */
size_t plot_ntargets(const struct plot_data *pd);

/*
 * Writes the gnuplot script that draws pd, data inline, image on gnuplot's
 * standard output (html: each panel's drawing function, see
 * PLOT_HTML_PROBE). Returns 0, or -1 when pd has nothing to draw or the
 * image would be too large (reported), or on a write error.
 */
int plot_write_script(struct plot_data *pd, FILE *out);

/*
 * The full path of an executable gnuplot on PATH (or path itself when it
 * has a '/'), or NULL when there is none. The caller frees it.
 */
char *plot_find_gnuplot(const char *path);

/*
 * Writes the script into a private temporary directory, runs gnuplot on it
 * there (fork and exec, no shell) with its standard output on out_fd (an
 * html page: put together from gnuplot's output, then written to out_fd),
 * and removes the directory. Returns 0; or reports gnuplot's own messages (or
 * why it could not run) and returns -1. Warnings gnuplot prints on a
 * successful run are passed on as "gnuplot: ..." lines.
 */
int plot_render(struct plot_data *pd, const char *gnuplot, int out_fd);

/* Helpers, exported for the tests. */

/* The format an output name's extension asks for; -1 when none known. */
int plot_format_from_path(const char *path, enum plot_format *f);
int plot_format_parse(const char *s, enum plot_format *f);
/* Parses "WxH" within PLOT_MIN_SIZE..PLOT_MAX_SIZE; -1 when malformed. */
int plot_parse_size(const char *s, unsigned *w, unsigned *h);

/*
 * The unit bytes up to max read best in: "bytes", "KiB", "MiB", "GiB" or
 * "TiB", and its size in bytes in *div.
 */
const char *plot_byte_unit(double max, double *div);
/* Same for counts: "" (as is), "thousands" or "millions". */
const char *plot_count_unit(double max, double *div);
/* A rate per second as an hour's growth: "+2.1 MiB/h", "+40/h". */
void plot_rate_text(char *buf, size_t n, double per_s, int bytes);

/*
 * pprof's short form of a function or goroutine group's name into buf (n
 * bytes): the import path's directories dropped, the package's name, the
 * receiver and the function kept: "github.com/a/b.(*T).m" is "b.(*T).m".
 */
void plot_short_name(const char *name, char *buf, size_t n);

/*
 * s as a gnuplot single-quoted string, quotes included: a ' doubled,
 * control characters as spaces, bytes that are not UTF-8 as '?'. At most
 * max characters of s (0: all), the cut marked with an ellipsis. The
 * caller frees the result.
 */
char *plot_gp_string(const char *s, size_t max);

enum plot_csv_kind {
	PLOT_CSV_UNKNOWN,
	PLOT_CSV_HEAP,		/* heaper, long layout */
	PLOT_CSV_GOROUTINES,	/* goroutines, one row per group */
	PLOT_CSV_GOROUTINE_TOTALS,	/* goroutines --totals */
	PLOT_CSV_PMAP,		/* pmap, one row per file */
	PLOT_CSV_PMAP_MAPPINGS,	/* pmap --mappings: not drawn */
};

/* Which of leaky's CSVs a header row (nf fields) starts. */
enum plot_csv_kind plot_csv_detect(const char *const *f, size_t nf);

/*
 * Time axis for a span of seconds drawn about width pixels wide: the tic
 * step in seconds and the strftime format of its labels.
 */
double plot_time_step(double span, unsigned width, const char **fmt);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot: charts of heap, goroutines and RSS over time, by gnuplot. */
#include "cmd/cmd.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "cmd/cmdopt.h"
#include "cmd/opttab.h"
#include "decode/limits.h"
#include "decode/sniff.h"
#include "model/profile.h"
#include "out/outfile.h"
#include "report/dataset.h"
#include "report/plot.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TOP 30

struct plotcmd {
	struct plot_opts o;
	const char *output, *script;
	int force, format_set, type_set;
	char **targets;
	size_t ntargets;
	size_t max_input;
	int keep_profiler;
};

static void format_cb(const struct opt *o, void *field, const char *arg)
{
	struct plotcmd *p = field;

	(void)o;
	if (plot_format_parse(arg, &p->o.format) < 0)
		usage_die("bad --format '%s' (png, svg or html)", arg);
	p->format_set = 1;
}

static void top_cb(const struct opt *o, void *field, const char *arg)
{
	unsigned long v;
	char *end;

	(void)o;
	v = strtoul(arg, &end, 10);
	if (*end || end == arg || arg[0] == '-' || !v || v > MAX_TOP)
		usage_die("bad --top '%s' (1 to %d)", arg, MAX_TOP);
	*(size_t *)field = v;
}

static void type_cb(const struct opt *o, void *field, const char *arg)
{
	struct plotcmd *p = field;

	(void)o;
	if (!*arg)
		usage_die("empty --type");
	p->o.type = arg;
	p->type_set = 1;
}

static void size_cb(const struct opt *o, void *field, const char *arg)
{
	struct plotcmd *p = field;

	(void)o;
	if (plot_parse_size(arg, &p->o.width, &p->o.height) < 0)
		usage_die("bad --size '%s' (WxH, each %d to %d, e.g. 800x600)",
			  arg, PLOT_MIN_SIZE, PLOT_MAX_SIZE);
}

/* --target: repeatable. */
static void target_cb(const struct opt *o, void *field, const char *arg)
{
	struct plotcmd *p = field;

	(void)o;
	p->targets = xrealloc(p->targets,
			      (p->ntargets + 1) * sizeof(*p->targets));
	/* getopt's argv outlives the command; plot_keep_targets reads it */
	p->targets[p->ntargets++] = (char *)arg;
}

static const struct opt options[] = {
	OPT_STR('o', "output", "FILE", struct plotcmd, output,
		"the image; .png, .svg or .html says which (temporary\n"
		"name, then rename); .html: one self-contained page,\n"
		"zoom, pan and the values under the mouse"),
	OPT_SET_INT('\0', "force", struct plotcmd, force, 1,
		    "let -o replace an existing FILE"),
	OPT_CB_BASE_VALUES('\0', "format", "FMT", format_cb, 0,
			   "png svg html",
			   "png, svg or html, whatever FILE's name (for -o -)"),
	OPT_CB('\0', "top", "N", struct plotcmd, o.top, top_cb, 0,
	       "lines per chart besides the total and (other): what\n"
	       "leaky report names, then the N that grew most, first\n"
	       "to last; never one that did not grow (default 8)"),
	OPT_CB_BASE('\0', "type", "TYPE", type_cb, 0,
		    "heaper CSV column to draw (default inuse_space)"),
	OPT_CB_BASE('\0', "size", "WxH", size_cb, 0,
		    "size of one chart and its legend in pixels\n"
		    "(default 1100x380)"),
	OPT_CB_BASE('\0', "target", "NAME", target_cb, 0,
		    "draw only this target (repeatable)"),
	OPT_STR('\0', "script", "FILE", struct plotcmd, script,
		"write the gnuplot script, data inline, instead of\n"
		"drawing ('gnuplot FILE > IMAGE' draws it)"),
	OPT_CB('\0', "max-input", "SIZE", struct plotcmd, max_input,
	       cmd_size_cb, 0, "largest input file (default 1G)"),
	OPT_SET_INT('\0', "keep-profiler", struct plotcmd, keep_profiler, 1,
		    "keep the profiler's own allocations and goroutines\n"
		    "(net/http/pprof, runtime/pprof: the collector's\n"
		    "footprint), left out of the lines by default"),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

const struct opt_cmd plot_options = {
	.usage = "usage: leaky plot [OPTIONS] -o IMAGE DIR|FILE...\n",
	.about =
"Draws, with gnuplot, a column of charts per target: the heap in use with\n"
"the functions that grew most, goroutines by group, and RSS against the\n"
"Go heap, legends on the right, names in pprof's short form. From\n"
"snapshots, leaky report's verdicts are on the charts: each whole's with\n"
"its rate, and the functions and groups it names, drawn bold and marked.\n"
"Reads leaky collect directories, loose snapshot files, and the CSVs of\n"
"leaky heaper (long layout), goroutines and pmap ('-' is a CSV on stdin),\n"
"each told by its content.\n",
	.footer = "Needs gnuplot (Debian: apt-get install gnuplot-nox); .html "
		  "also gnuplot's\ncanvas scripts (gnuplot-data).\n",
	.opts = options,
	.help_col = 22,
	.min_operands = 1,
	.no_operands = "no input directory or files",
	.max_operands = -1,
};

static void parse_args(struct plotcmd *p, int argc, char **argv)
{
	int status;

	if (opt_parse(&plot_options, argc, argv, p, &status) < 0)
		exit(status);
	if (!p->output && !p->script)
		usage_die("no image to write: give -o FILE.png or -o "
			  "FILE.svg");
	if (p->output && p->script)
		usage_die("--script writes a script instead of the image: "
			  "give one of -o and --script");
	if (p->output && !strcmp(p->output, "-") && isatty(STDOUT_FILENO))
		usage_die("standard output is a terminal: write the image "
			  "with -o FILE, or redirect");
	if (!p->format_set && p->output &&
	    plot_format_from_path(p->output, &p->o.format) < 0)
		usage_die("cannot tell the image format of '%s': name it "
			  ".png, .svg or .html, or give --format", p->output);
	if (p->script && p->o.format == PLOT_HTML)
		usage_die("--script: an html page is put together from "
			  "gnuplot's output by leaky; give -o FILE.html");
}

/*
 * The inputs that are snapshots, in command-line order: collect
 * directories (isdir) and loose snapshot files. Their paths are argv's.
 */
struct snaps {
	char **path;
	int *isdir;
	size_t n;
};

static void add_snap(struct snaps *s, char *path, int dir)
{
	s->path = xrealloc(s->path, (s->n + 1) * sizeof(*s->path));
	s->isdir = xrealloc(s->isdir, (s->n + 1) * sizeof(*s->isdir));
	s->path[s->n] = path;
	s->isdir[s->n] = dir;
	s->n++;
}

static void snaps_release(struct snaps *s)
{
	free(s->path);
	free(s->isdir);
}

/* Loose snapshot files from i on, up to the next directory. */
static size_t nloose(const int *isdir, size_t i, size_t n)
{
	size_t j = i;

	while (j < n && !isdir[j])
		j++;
	return j - i;
}

/*
 * Reads a collect directory, or a run of loose snapshot files, through
 * the dataset reader. Returns -1 when something could not be read.
 */
static int load(struct plot_data *pd, char **paths, size_t n,
		size_t max_input, int dir, unsigned flags)
{
	struct prof_limits lim = { .max_input = max_input };
	struct dataset ds;
	int ret = 0;

	if (ds_load(&ds, paths, n, &lim, flags) < 0 || ds.nbad)
		ret = -1;
	if (dir && !ds.nfiles) {
		error("%s: no snapshot files (a leaky collect directory "
		      "holds profiles/, goroutines/, pmaps/, fds/)", paths[0]);
		ret = -1;
	}
	plot_add_dataset(pd, &ds);
	ds_release(&ds);
	return ret;
}

/*
 * Sorts the operands by their content: CSVs (and '-', always a CSV) are
 * read into pd now; directories and snapshot files go to *sn, to be read
 * once all are known. Returns LEAKY_OK, or LEAKY_FAIL when an input could
 * not be read (reported).
 */
static int read_operands(struct plot_data *pd, const struct plotcmd *p,
			 char **operands, size_t n, struct snaps *sn)
{
	struct buf b;
	int ret = LEAKY_OK;
	size_t a;

	buf_init(&b);
	for (a = 0; a < n; a++) {
		const char *path = operands[a];
		struct stat st;
		int dir = strcmp(path, "-") && stat(path, &st) == 0 &&
			  S_ISDIR(st.st_mode);

		if (!dir && buf_read_file(&b, path, p->max_input, NULL) < 0) {
			ret = LEAKY_FAIL;
			continue;
		}
		if (!dir && !b.len) {
			error("%s: empty file", path);
			ret = LEAKY_FAIL;
			continue;
		}
		if (dir) {
			add_snap(sn, operands[a], 1);
			continue;
		}
		if (sniff(b.data, b.len) == SNIFF_CSV || !strcmp(path, "-")) {
			if (plot_add_csv(pd, strcmp(path, "-") ? path :
					 "stdin", (const char *)b.data,
					 b.len) < 0)
				ret = LEAKY_FAIL;
			continue;
		}
		add_snap(sn, operands[a], 0);
	}
	buf_release(&b);
	return ret;
}

/*
 * Reads the snapshots: each directory alone, each run of loose files
 * between them as one set (the dataset groups them by target).
 */
static int load_snaps(struct plot_data *pd, const struct snaps *sn,
		      size_t max_input, unsigned flags)
{
	int ret = LEAKY_OK;
	size_t i, n;

	for (i = 0; i < sn->n; i += n) {
		n = sn->isdir[i] ? 1 : nloose(sn->isdir, i, sn->n);
		if (load(pd, sn->path + i, n, max_input, sn->isdir[i],
			 flags) < 0)
			ret = LEAKY_FAIL;
	}
	return ret;
}

/* --target: each must name a target of the input; then keep only them. */
static int keep_targets(struct plot_data *pd, const struct plotcmd *p)
{
	int ret = LEAKY_OK;
	size_t i;

	for (i = 0; i < p->ntargets; i++) {
		if (!plot_keep_targets(pd, p->targets + i, 1)) {
			error("no target '%s' in the input", p->targets[i]);
			ret = LEAKY_FAIL;
		}
	}
	if (p->ntargets)
		plot_keep_targets(pd, p->targets, p->ntargets);
	return ret;
}

/*
 * Writes the script, or has gnuplot draw into out (after what stdio holds
 * is flushed, as gnuplot writes to its descriptor); on failure the output
 * is dropped, not left half written.
 */
static int write_output(struct plot_data *pd, const struct plotcmd *p,
			struct outfile *out, const char *gnuplot)
{
	int failed;

	if (p->script)
		failed = plot_write_script(pd, out->fp) < 0;
	else
		failed = fflush(out->fp) ||
			 plot_render(pd, gnuplot, fileno(out->fp)) < 0;
	if (failed) {
		outfile_abort(out);
		return LEAKY_FAIL;
	}
	return outfile_commit(out) < 0 ? LEAKY_FAIL : LEAKY_OK;
}

int cmd_plot(int argc, char **argv)
{
	struct plotcmd p = { .max_input = (size_t)1 << 30 };
	struct snaps sn = { 0 };
	struct plot_data *pd;
	struct outfile out;
	char *gnuplot = NULL;
	int ret = LEAKY_OK;

	plot_opts_default(&p.o);
	parse_args(&p, argc, argv);
	if (!p.script) {
		gnuplot = plot_find_gnuplot("gnuplot");
		if (!gnuplot)
			die("gnuplot not found: apt-get install gnuplot-nox");
	}
	if (outfile_open(&out, p.script ? p.script : p.output, p.force) < 0) {
		free(gnuplot);
		free(p.targets);
		return LEAKY_FAIL;
	}
	pd = plot_data_new(&p.o);
	if (read_operands(pd, &p, argv + optind, (size_t)(argc - optind),
			  &sn) != LEAKY_OK)
		ret = LEAKY_FAIL;
	/* Known only now: whether any input is a snapshot, not a CSV. */
	if (sn.n && p.type_set && strcmp(p.o.type, "inuse_space")) {
		snaps_release(&sn);
		outfile_abort(&out);
		plot_data_free(pd);
		free(gnuplot);
		free(p.targets);
		usage_die("--type %s: snapshots give inuse_space only; other "
			  "types come from leaky heaper CSVs", p.o.type);
	}
	if (load_snaps(pd, &sn, p.max_input,
		       p.keep_profiler ? DS_KEEP_PROFILER : 0) != LEAKY_OK)
		ret = LEAKY_FAIL;
	snaps_release(&sn);
	if (keep_targets(pd, &p) != LEAKY_OK)
		ret = LEAKY_FAIL;
	if (write_output(pd, &p, &out, gnuplot) != LEAKY_OK)
		ret = LEAKY_FAIL;
	plot_data_free(pd);
	free(gnuplot);
	free(p.targets);
	return ret;
}

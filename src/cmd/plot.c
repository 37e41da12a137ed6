/* leaky plot: charts of heap, goroutines and RSS over time, by gnuplot. */
#include "base/buf.h"
#include "cmd/cmd.h"
#include "report/dataset.h"
#include "base/leaky.h"
#include "out/outfile.h"
#include "report/plot.h"
#include "decode/limits.h"
#include "decode/sniff.h"
#include "model/profile.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
"usage: leaky plot [OPTIONS] -o IMAGE DIR|FILE...\n"
"\n"
"Draws, with gnuplot, one row of charts per target: the heap in use with\n"
"the functions that grew most, goroutines by group, and RSS against the\n"
"Go heap. Reads leaky collect directories, loose snapshot files, and the\n"
"CSVs of leaky heaper (long layout), goroutines and pmap ('-' is a CSV on\n"
"stdin), each told by its content.\n"
"\n"
"  -o, --output FILE   the image; .png or .svg says which (temporary name,\n"
"                      then rename)\n"
"  --force             let -o replace an existing FILE\n"
"  --format FMT        png or svg, whatever FILE's name (for -o -)\n"
"  --top N             lines per chart besides the total and (other): the\n"
"                      N that grew most, first to last (default 8)\n"
"  --type TYPE         heaper CSV column to draw (default inuse_space)\n"
"  --size WxH          size of one chart in pixels (default 800x600)\n"
"  --target NAME       draw only this target (repeatable)\n"
"  --script FILE       write the gnuplot script, data inline, instead of\n"
"                      drawing ('gnuplot FILE > IMAGE' draws it)\n"
"  --max-input SIZE    largest input file (default 1G)\n"
"  -h, --help          this text\n"
"\n"
"Needs gnuplot (Debian: apt-get install gnuplot-nox).\n";

enum {
	OPT_FORCE = 256, OPT_FORMAT, OPT_TOP, OPT_TYPE, OPT_SIZE, OPT_TARGET,
	OPT_SCRIPT, OPT_MAX_INPUT,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "max-input", required_argument, NULL, OPT_MAX_INPUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define MAX_TOP 30

struct plotcmd {
	struct plot_opts o;
	const char *output, *script;
	int force, format_set, type_set;
	char **targets;
	size_t ntargets;
	size_t max_input;
};

static void parse_args(struct plotcmd *p, int argc, char **argv)
{
	unsigned long v;
	char *end;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			p->output = optarg;
			break;
		case OPT_FORCE:
			p->force = 1;
			break;
		case OPT_FORMAT:
			if (plot_format_parse(optarg, &p->o.format) < 0)
				usage_die("bad --format '%s' (png or svg)",
					  optarg);
			p->format_set = 1;
			break;
		case OPT_TOP:
			v = strtoul(optarg, &end, 10);
			if (*end || end == optarg || optarg[0] == '-' || !v ||
			    v > MAX_TOP)
				usage_die("bad --top '%s' (1 to %d)", optarg,
					  MAX_TOP);
			p->o.top = v;
			break;
		case OPT_TYPE:
			if (!*optarg)
				usage_die("empty --type");
			p->o.type = optarg;
			p->type_set = 1;
			break;
		case OPT_SIZE:
			if (plot_parse_size(optarg, &p->o.width,
					    &p->o.height) < 0)
				usage_die("bad --size '%s' (WxH, each %d to "
					  "%d, e.g. 800x600)", optarg,
					  PLOT_MIN_SIZE, PLOT_MAX_SIZE);
			break;
		case OPT_TARGET:
			p->targets = xrealloc(p->targets,
					      (p->ntargets + 1) *
					      sizeof(*p->targets));
			p->targets[p->ntargets++] = optarg;
			break;
		case OPT_SCRIPT:
			p->script = optarg;
			break;
		case OPT_MAX_INPUT:
			if (parse_size(optarg, &p->max_input) < 0 ||
			    !p->max_input)
				usage_die("bad size for --max-input: '%s'",
					  optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(LEAKY_OK);
		default:
			fputs(usage_text, stderr);
			exit(LEAKY_USAGE);
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		usage_die("no input directory or files");
	}
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
			  ".png or .svg, or give --format", p->output);
}

static void add_snap(char ***snap, int **isdir, size_t *n, char *path,
		     int dir)
{
	*snap = xrealloc(*snap, (*n + 1) * sizeof(**snap));
	*isdir = xrealloc(*isdir, (*n + 1) * sizeof(**isdir));
	(*snap)[*n] = path;
	(*isdir)[*n] = dir;
	(*n)++;
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
		size_t max_input, int dir)
{
	struct prof_limits lim = { .max_input = max_input };
	struct dataset ds;
	int ret = 0;

	if (ds_load(&ds, paths, n, &lim) < 0 || ds.nbad)
		ret = -1;
	if (dir && !ds.nfiles) {
		error("%s: no snapshot files (a leaky collect directory "
		      "holds profiles/, goroutines/, pmaps/)", paths[0]);
		ret = -1;
	}
	plot_add_dataset(pd, &ds);
	ds_release(&ds);
	return ret;
}

int cmd_plot(int argc, char **argv)
{
	struct plotcmd p = { .max_input = (size_t)1 << 30 };
	struct plot_data *pd;
	struct outfile out;
	struct buf b;
	char **snap = NULL, *gnuplot = NULL;
	int *snapdir = NULL;
	size_t nsnap = 0, i, n;
	int ret = LEAKY_OK, a, bad_type = 0;

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
	buf_init(&b);
	for (a = optind; a < argc; a++) {
		const char *path = argv[a];
		struct stat st;
		int dir = strcmp(path, "-") && stat(path, &st) == 0 &&
			  S_ISDIR(st.st_mode);

		if (!dir && buf_read_file(&b, path, p.max_input, NULL) < 0) {
			ret = LEAKY_FAIL;
			continue;
		}
		if (!dir && !b.len) {
			error("%s: empty file", path);
			ret = LEAKY_FAIL;
			continue;
		}
		if (dir) {
			add_snap(&snap, &snapdir, &nsnap, argv[a], 1);
			continue;
		}
		if (sniff(b.data, b.len) == SNIFF_CSV || !strcmp(path, "-")) {
			if (plot_add_csv(pd, strcmp(path, "-") ? path :
					 "stdin", (const char *)b.data,
					 b.len) < 0)
				ret = LEAKY_FAIL;
			continue;
		}
		add_snap(&snap, &snapdir, &nsnap, argv[a], 0);
	}
	buf_release(&b);
	if (nsnap && p.type_set && strcmp(p.o.type, "inuse_space"))
		bad_type = 1;
	for (i = 0; i < nsnap && !bad_type; i += n) {
		n = snapdir[i] ? 1 : nloose(snapdir, i, nsnap);
		if (load(pd, snap + i, n, p.max_input, snapdir[i]) < 0)
			ret = LEAKY_FAIL;
	}
	free(snap);
	free(snapdir);
	if (bad_type) {
		outfile_abort(&out);
		plot_data_free(pd);
		free(gnuplot);
		free(p.targets);
		usage_die("--type %s: snapshots give inuse_space only; other "
			  "types come from leaky heaper CSVs", p.o.type);
	}
	for (i = 0; i < p.ntargets; i++) {
		if (!plot_keep_targets(pd, p.targets + i, 1)) {
			error("no target '%s' in the input", p.targets[i]);
			ret = LEAKY_FAIL;
		}
	}
	if (p.ntargets)
		plot_keep_targets(pd, p.targets, p.ntargets);
	if (p.script) {
		if (plot_write_script(pd, out.fp) < 0) {
			outfile_abort(&out);
			ret = LEAKY_FAIL;
		} else if (outfile_commit(&out) < 0) {
			ret = LEAKY_FAIL;
		}
	} else if (fflush(out.fp) ||
		   plot_render(pd, gnuplot, fileno(out.fp)) < 0) {
		outfile_abort(&out);
		ret = LEAKY_FAIL;
	} else if (outfile_commit(&out) < 0) {
		ret = LEAKY_FAIL;
	}
	plot_data_free(pd);
	free(gnuplot);
	free(p.targets);
	return ret;
}

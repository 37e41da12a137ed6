/* SPDX-License-Identifier: Apache-2.0 */
/* Options as data: getopt arrays, the parsing loop and --help from a table. */
#include "cmd/opttab.h"
#include "base/leaky.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls fn for each entry of t (includes flattened), in table order. */
struct walk {
	void (*fn)(struct walk *w, const struct opt *o, size_t off,
		   int hidden);
	void *data;
};

static void walk_table(struct walk *w, const struct opt *t, size_t off,
		       int hidden)
{
	for (; t->type != OPT_END; t++) {
		int h = hidden || (t->flags & OPTF_HIDDEN);

		if (t->type == OPT_INCLUDE)
			walk_table(w, t->include, off + t->off, h);
		else
			w->fn(w, t, off + t->off, h);
	}
}

/* Adds one entry to the arrays: its letter to shortopts, its long name. */
static void add_entry(struct walk *w, const struct opt *o, size_t off,
		      int hidden)
{
	struct opt_getopt *g = w->data;
	int arg = o->type == OPT_STRING || o->argh;
	int val = o->short_name ? o->short_name :
		  OPT_LONG_ONLY_BASE + (int)g->n;
	size_t len = strlen(g->shortopts);

	(void)hidden;
	g->entry = xrealloc(g->entry, (g->n + 1) * sizeof(*g->entry));
	g->off = xrealloc(g->off, (g->n + 1) * sizeof(*g->off));
	g->entry[g->n] = o;
	g->off[g->n] = off;
	if (o->short_name) {
		g->shortopts = xrealloc(g->shortopts, len + 3);
		g->shortopts[len++] = (char)o->short_name;
		if (arg)
			g->shortopts[len++] = ':';
		g->shortopts[len] = '\0';
	}
	if (o->long_name) {
		size_t i = 0;

		while (g->longopts[i].name)
			i++;
		g->longopts = xrealloc(g->longopts,
				       (i + 2) * sizeof(*g->longopts));
		g->longopts[i].name = o->long_name;
		g->longopts[i].has_arg = arg ? required_argument :
					 no_argument;
		g->longopts[i].flag = NULL;
		g->longopts[i].val = val;
		memset(&g->longopts[i + 1], 0, sizeof(g->longopts[i + 1]));
	}
	g->n++;
}

void opt_getopt_init(struct opt_getopt *g, const struct opt_cmd *c)
{
	struct walk w = { add_entry, g };

	memset(g, 0, sizeof(*g));
	g->shortopts = xcalloc(1, 1);
	g->longopts = xcalloc(1, sizeof(*g->longopts));
	walk_table(&w, c->opts, 0, 0);
}

void opt_getopt_release(struct opt_getopt *g)
{
	free(g->shortopts);
	free(g->longopts);
	free(g->entry);
	free(g->off);
	memset(g, 0, sizeof(*g));
}

/* The entry getopt_long's value c stands for, its index in *i; or NULL. */
static const struct opt *find_entry(const struct opt_getopt *g, int c,
				    size_t *i)
{
	size_t k;

	if (c >= OPT_LONG_ONLY_BASE) {
		k = (size_t)(c - OPT_LONG_ONLY_BASE);
		if (k >= g->n)
			return NULL;
		*i = k;
		return g->entry[k];
	}
	for (k = 0; k < g->n; k++)
		if (g->entry[k]->short_name == c) {
			*i = k;
			return g->entry[k];
		}
	return NULL;
}

/* Stores one option found on the command line; 1 after --help. */
static int apply(const struct opt *o, void *field, const char *arg)
{
	switch (o->type) {
	case OPT_SET:
		*(int *)field = (int)o->value;
		return 0;
	case OPT_STRING:
		*(const char **)field = arg;
		return 0;
	case OPT_CALLBACK:
		o->cb(o, field, arg);
		return 0;
	case OPT_HELP:
		return 1;
	default:
		BUG("option entry of type %d in a parsed table", o->type);
	}
}

void opt_try_help(void)
{
	fprintf(stderr, "Try '%s --help'.\n", leaky_progname);
}

/* The check every command made after getopt: how many operands remain. */
static void check_operands(const struct opt_cmd *c, int argc, char **argv)
{
	size_t n = (size_t)(argc - optind);

	if (n < c->min_operands) {
		error("%s", c->no_operands);
		opt_try_help();
		exit(LEAKY_USAGE);
	}
	if (c->max_operands >= 0 && n > (size_t)c->max_operands)
		usage_die("%s'%s'%s", c->extra_pre,
			  argv[optind + c->max_operands], c->extra_post);
}

int opt_parse_with(const struct opt_cmd *c, const struct opt_getopt *g,
		   int argc, char **argv, void *base, int *status)
{
	const struct opt *o;
	char *argv0 = argv[0];
	size_t i;
	int ch;

	/*
	 * getopt_long names the program by argv[0], which is the command's
	 * bare name here ("heaper"): its messages should start as every
	 * other one does, "leaky heaper: unrecognized option '--bogus'".
	 * Put back before anything else (a callback, the caller) sees argv.
	 */
	/* 0, not 1: getopt_long then starts over on a new argv */
	optind = 0;
	for (;;) {
		argv[0] = (char *)leaky_progname;
		ch = getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
		argv[0] = argv0;
		if (ch == -1)
			break;
		o = find_entry(g, ch, &i);
		if (!o) {
			/* getopt_long has said what is wrong, in one line:
			 * the GNU way, a pointer to --help, not all of it */
			opt_try_help();
			*status = LEAKY_USAGE;
			return -1;
		}
		if (apply(o, (char *)base + g->off[i], optarg)) {
			opt_help(c, stdout);
			*status = LEAKY_OK;
			return -1;
		}
	}
	check_operands(c, argc, argv);
	return optind;
}

int opt_parse(const struct opt_cmd *c, int argc, char **argv, void *base,
	      int *status)
{
	struct opt_getopt g;
	int ret;

	opt_getopt_init(&g, c);
	ret = opt_parse_with(c, &g, argc, argv, base, status);
	opt_getopt_release(&g);
	return ret;
}

/* Columns --help fits in. */
#define HELP_WIDTH 80

/* Writes the spaces that bring a line of len characters to col. */
static void pad(FILE *fp, size_t len, size_t col)
{
	/* a left part that reaches the column keeps two spaces from it */
	size_t n = len < col ? col - len : 2;

	fprintf(fp, "%*s", (int)n, "");
}

struct help_ctx {
	const struct opt_cmd *c;
	FILE *fp;
};

/* One option's lines: "  -x, --name ARG", then its help in a column. */
static void help_entry(struct walk *w, const struct opt *o, size_t off,
		       int hidden)
{
	struct help_ctx *h = w->data;
	size_t col = (size_t)(o->col ? o->col : h->c->help_col);
	const char *p, *nl;
	int len;

	(void)off;
	if (hidden || !o->help)
		return;
	if (o->short_name && o->long_name)
		len = fprintf(h->fp, "  -%c, --%s", o->short_name,
			      o->long_name);
	else if (o->short_name)
		len = fprintf(h->fp, "  -%c", o->short_name);
	else
		len = fprintf(h->fp, "%s--%s", h->c->short_col ? "      " :
			      "  ", o->long_name);
	if (o->argh)
		len += fprintf(h->fp, " %s", o->argh);
	/* A left part too long for its help to fit beside it in 80
	 * columns: the help starts on the next line, in its column. */
	if ((size_t)len + 2 > col &&
	    (size_t)len + 2 + strcspn(o->help, "\n") > HELP_WIDTH) {
		fputc('\n', h->fp);
		len = 0;
	}
	for (p = o->help; ; p = nl + 1) {
		nl = strchr(p, '\n');
		pad(h->fp, (size_t)len, col);
		fprintf(h->fp, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p),
			p);
		if (!nl)
			break;
		len = 0;
	}
}

void opt_help(const struct opt_cmd *c, FILE *fp)
{
	struct help_ctx h = { c, fp };
	struct walk w = { help_entry, &h };

	fputs(c->usage, fp);
	fputs("\n", fp);
	fputs(c->about, fp);
	fputs("\n", fp);
	walk_table(&w, c->opts, 0, 0);
	if (c->footer) {
		fputs("\n", fp);
		fputs(c->footer, fp);
	}
}

struct each_ctx {
	void (*fn)(const struct opt *o, void *data);
	void *data;
};

static void each_entry(struct walk *w, const struct opt *o, size_t off,
		       int hidden)
{
	struct each_ctx *e = w->data;

	(void)off;
	/* the same test as help_entry()'s: a page lists what --help does */
	if (hidden || !o->help)
		return;
	e->fn(o, e->data);
}

void opt_each(const struct opt_cmd *c,
	      void (*fn)(const struct opt *o, void *data), void *data)
{
	struct each_ctx e = { fn, data };
	struct walk w = { each_entry, &e };

	walk_table(&w, c->opts, 0, 0);
}

const char *opt_name(const struct opt *o)
{
	static char name[64];

	if (o->short_name)
		snprintf(name, sizeof(name), "-%c", o->short_name);
	else
		snprintf(name, sizeof(name), "--%s", o->long_name);
	return name;
}

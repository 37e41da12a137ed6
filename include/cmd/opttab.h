/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Options as data: one table per command (name, letter, argument, help,
 * where the value lands), from which the getopt_long arrays, the parsing
 * loop with its epilogue, and the --help text all follow, as git's
 * parse_options and tmux's cmd_entry do. The tables are static data, so
 * that man pages and shell completion can be made from them too. Part of
 * the command layer: parsing may exit with a usage error.
 */
#ifndef LEAKY_OPTTAB_H
#define LEAKY_OPTTAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct option;

enum opt_type {
	OPT_END = 0,		/* closes a table */
	OPT_SET,		/* no argument: int field = value */
	OPT_STRING,		/* const char * field = the argument */
	OPT_CALLBACK,		/* cb(opt, field, argument or NULL) */
	OPT_HELP,		/* -h, --help: the help on stdout, status 0 */
	OPT_INCLUDE,		/* the options of another table, in place */
};

/* Not in --help (aliases, undocumented options); inherited by includes. */
#define OPTF_HIDDEN 1
/* The argument is a comma-separated list of the entry's values. */
#define OPTF_LIST 2

struct opt {
	enum opt_type type;
	int short_name;		/* the letter of -x, or 0 */
	const char *long_name;	/* the name of --name, or NULL */
	/* the argument's name in --help, NULL for none; an argument is
	 * required exactly when it is set (OPT_STRING always has one) */
	const char *argh;
	/* the help, '\n' between its lines; NULL leaves the option out of
	 * --help as OPTF_HIDDEN does */
	const char *help;
	size_t off;		/* field: base + off */
	int flags;
	int col;		/* help column for this line; 0: the table's */
	intptr_t value;		/* OPT_SET: what is stored; else cb's own */
	void (*cb)(const struct opt *o, void *field, const char *arg);
	const struct opt *include;	/* OPT_INCLUDE's table */
	/* the words the argument may be, space-separated, or NULL: what
	 * shell completion offers (the parser, a callback, still decides) */
	const char *values;
};

#define OPT_SET_INT(s, l, type, field, v, h) \
	{ OPT_SET, (s), (l), NULL, (h), offsetof(type, field), 0, 0, (v), \
	  NULL, NULL, NULL }
#define OPT_STR(s, l, a, type, field, h) \
	{ OPT_STRING, (s), (l), (a), (h), offsetof(type, field), 0, 0, 0, \
	  NULL, NULL, NULL }
/* The same, the argument a comma-separated list of the words vals. */
#define OPT_STR_LIST(s, l, a, type, field, vals, h) \
	{ OPT_STRING, (s), (l), (a), (h), offsetof(type, field), OPTF_LIST, \
	  0, 0, NULL, NULL, (vals) }
/* cb gets base + off(type, field); a = NULL: the option takes none. */
#define OPT_CB(s, l, a, type, field, fn, v, h) \
	{ OPT_CALLBACK, (s), (l), (a), (h), offsetof(type, field), 0, 0, \
	  (v), (fn), NULL, NULL }
/* The same, the argument one of the words vals (for completion). */
#define OPT_CB_VALUES(s, l, a, type, field, fn, v, vals, h) \
	{ OPT_CALLBACK, (s), (l), (a), (h), offsetof(type, field), 0, 0, \
	  (v), (fn), NULL, (vals) }
/* cb gets the whole structure the table describes. */
#define OPT_CB_BASE(s, l, a, fn, v, h) \
	{ OPT_CALLBACK, (s), (l), (a), (h), 0, 0, 0, (v), (fn), NULL, NULL }
#define OPT_CB_BASE_VALUES(s, l, a, fn, v, vals, h) \
	{ OPT_CALLBACK, (s), (l), (a), (h), 0, 0, 0, (v), (fn), NULL, (vals) }
#define OPT_HELP_ENTRY(h) \
	{ OPT_HELP, 'h', "help", NULL, (h), 0, 0, 0, 0, NULL, NULL, NULL }
/* Table t's options, their fields at base + off(type, field) + theirs. */
#define OPT_INCLUDE_AT(t, type, field, fl) \
	{ OPT_INCLUDE, 0, NULL, NULL, NULL, offsetof(type, field), (fl), 0, \
	  0, NULL, (t), NULL }
#define OPT_END_ENTRY \
	{ OPT_END, 0, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL }

/* A command's command line: its options and what surrounds their help. */
struct opt_cmd {
	const char *usage;	/* "usage: leaky heaper [OPTIONS] FILE...\n" */
	const char *about;	/* paragraphs between usage and options */
	const char *footer;	/* then a blank line and this, or NULL */
	const struct opt *opts;
	int help_col;		/* where help starts; a longer left part gets
				 * two spaces */
	/* 1: a column of short letters, long-only options indented under
	 * the long names ("  -c, --config" above "      --gc") */
	int short_col;
	size_t min_operands;	/* fewer: the usage, then no_operands */
	const char *no_operands;
	/* most operands, -1 for any; more: "PRE'ARG'POST", no usage */
	int max_operands;
	const char *extra_pre, *extra_post;
};

/* Writes c's --help text to fp. */
void opt_help(const struct opt_cmd *c, FILE *fp);

/*
 * Calls fn(o, data) for each option --help shows, in its order (includes
 * flattened, hidden ones left out): what man pages and completion are made
 * from, so that they list what --help does.
 */
void opt_each(const struct opt_cmd *c,
	      void (*fn)(const struct opt *o, void *data), void *data);

/*
 * The getopt_long arrays of a table, as getopt_long and loadopt_argv_init
 * take them, in the table's order (which getopt's messages about ambiguous
 * abbreviations follow). Caller-owned: opt_getopt_release() them.
 */
struct opt_getopt {
	char *shortopts;
	struct option *longopts;
	/* the entry behind each getopt value and its field's offset */
	const struct opt **entry;
	size_t *off;
	size_t n;
};
void opt_getopt_init(struct opt_getopt *g, const struct opt_cmd *c);
void opt_getopt_release(struct opt_getopt *g);

/*
 * Parses argv's options into the structure at base, as c's table says,
 * from argv[1] (optind is reset). --help writes the help to stdout; an
 * option getopt refuses gets its one line from getopt ("leaky heaper:
 * unrecognized option '--bogus'") and opt_try_help()'s: both return -1
 * with the exit status in *status (LEAKY_OK, LEAKY_USAGE) for the command
 * to return or exit with. Too few operands (no_operands, then the Try
 * line) or too many exit with LEAKY_USAGE. Else returns the index of the
 * first operand (optind too). Callbacks may exit with a usage error.
 */
int opt_parse(const struct opt_cmd *c, int argc, char **argv, void *base,
	      int *status);
/* The same with arrays from opt_getopt_init(c). */
int opt_parse_with(const struct opt_cmd *c, const struct opt_getopt *g,
		   int argc, char **argv, void *base, int *status);

/* After a usage error's line: "Try 'leaky CMD --help'." on stderr. */
void opt_try_help(void);

/*
 * The option's name as messages spell it: "-x" when it has a letter, else
 * "--name". Returns static storage, overwritten by the next call.
 */
const char *opt_name(const struct opt *o);

/*
 * getopt_long's value for an entry without a letter: above every char,
 * so that it never meets one, and the entry's index in the flat list
 * plus this base.
 */
#define OPT_LONG_ONLY_BASE 256

#endif

/*
 * Options shared by the commands that read snapshots (heaper, goroutines,
 * pmap): --time, --target, -o, --force, --csv-raw and the input limits.
 * Part of the command layer: a bad value exits with a usage error, as in
 * cmd_*.c.
 */
#ifndef LEAKY_CMDOPT_H
#define LEAKY_CMDOPT_H

#include <regex.h>
#include <stddef.h>

#include "out/csvout.h"
#include "decode/limits.h"

struct snap_opts {
	enum csv_time time_style;
	const char *target;
	const char *output;
	int force;
	int csv_raw;		/* no formula prefix on input text */
	struct prof_limits lim;
};

enum {
	SNAP_OPT_TIME = 1000,
	SNAP_OPT_TARGET,
	SNAP_OPT_FORCE,
	SNAP_OPT_MAX_INPUT,
	SNAP_OPT_MAX_INFLATED,
	SNAP_OPT_MAX_MEMORY,
	SNAP_OPT_CSV_RAW,
};

/* getopt_long entries for the options above (and -o, --output). */
#define SNAP_LONG_OPTS \
	{ "time", required_argument, NULL, SNAP_OPT_TIME }, \
	{ "target", required_argument, NULL, SNAP_OPT_TARGET }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "force", no_argument, NULL, SNAP_OPT_FORCE }, \
	{ "csv-raw", no_argument, NULL, SNAP_OPT_CSV_RAW }, \
	{ "max-input", required_argument, NULL, SNAP_OPT_MAX_INPUT }, \
	{ "max-inflated", required_argument, NULL, SNAP_OPT_MAX_INFLATED }, \
	{ "max-memory", required_argument, NULL, SNAP_OPT_MAX_MEMORY }

/* The lines of --help that describe them (without, with profile limits). */
#define SNAP_OPTS_HELP_BASE \
"  --time STYLE        rfc3339 (default), unix or unixms\n" \
"  --target NAME       target name instead of the one in file names\n" \
"  -o, --output FILE   write FILE whole (temporary name, then rename)\n" \
"  --force             let -o replace an existing FILE\n" \
"  --csv-raw           names starting with = + - @ tab CR or ' as they\n" \
"                      are, without the ' that keeps spreadsheets from\n" \
"                      running them as formulas\n" \
"  --max-input SIZE    largest input file (default 1G)\n"
#define SNAP_OPTS_HELP SNAP_OPTS_HELP_BASE \
"  --max-inflated SIZE largest inflated profile (default 256M)\n" \
"  --max-memory SIZE   memory one profile may take: input, inflated and\n" \
"                      decoded (default 1G)\n"

/*
 * Handles getopt_long's result c with its argument when it is one of the
 * options above: returns 1; otherwise 0. Exits with LEAKY_USAGE on a bad
 * value.
 */
int snap_opt(struct snap_opts *o, int c, const char *arg);

/* Compiles an extended regex for option opt, or exits with LEAKY_USAGE. */
void cmd_regex(regex_t *re, const char *pattern, const char *opt);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command registry's entries, and the man pages (roff) made from them
 * and the option tables (completion: cmd/complete.h).
 * Everything here walks the registry main() passes, so a new command
 * (one row in src/leaky.c) gets its page and completion with no list to
 * keep elsewhere. Part of the command layer.
 */
#ifndef LEAKY_HELP_H
#define LEAKY_HELP_H

#include <stddef.h>
#include <stdio.h>

struct opt_cmd;

/* One subcommand: src/leaky.c's table holds one per src/cmd/NAME.c. */
struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;		/* one line, lowercase, no period */
	const struct opt_cmd *options;	/* its table (cmd/opttab.h) */
};

/* The registry and what the pages say about the build they describe. */
struct cmd_registry {
	const struct cmd_entry *cmds;
	size_t n;
	const char *version;		/* "0.9.0 (g1a2b3c)" */
	const char *sysconfdir;		/* where collect looks: /etc */
};

/*
 * Writes the man page leaky-NAME(1) of command c in roff (man(7)): NAME
 * from its summary, SYNOPSIS from the table's usage, DESCRIPTION from its
 * about, OPTIONS with --help's own text, EXIT STATUS when the footer
 * starts "Exit status:" (else the footer is NOTES), SEE ALSO the others.
 * The date is $SOURCE_DATE_EPOCH's, else today's.
 */
void man_command(const struct cmd_registry *r, const struct cmd_entry *c,
		 FILE *fp);
/* Writes leaky(1): the commands, the exit statuses, the files. */
void man_leaky(const struct cmd_registry *r, FILE *fp);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Output files that appear whole or not at all: temp name, then rename. */
#ifndef LEAKY_OUTFILE_H
#define LEAKY_OUTFILE_H

#include <stdio.h>

/* Caller-owned storage filled by outfile_open(). */
struct outfile {
	FILE *fp;
	char *path;		/* NULL for stdout */
	char *tmp;		/* NULL for stdout, a device or a FIFO */
	int force;		/* replace an existing path */
};

/*
 * Opens path for writing under a temporary name beside it; path NULL or
 * "-" means stdout; an existing device or FIFO is written to directly.
 * An existing regular path is refused unless force. Returns 0, or
 * reports and returns -1. Until outfile_commit() or outfile_abort(), the
 * temporary file is removed if the process exits (die(), usage_die(), out
 * of memory) or is killed by SIGINT, SIGTERM or SIGHUP (where the command
 * has no handler of its own).
 */
int outfile_open(struct outfile *o, const char *path, int force);
/*
 * Flushes, checks for write errors, fsyncs and renames into place; without
 * force, a file that appeared at path since outfile_open() is not replaced
 * (RENAME_NOREPLACE, else link()). Returns 0, or reports "PATH: reason",
 * removes the temporary file and returns -1;
 * for stdout it only flushes and returns -1 on error, which main() reports.
 */
int outfile_commit(struct outfile *o);
/* Drops the temporary file, if any, leaving any existing file alone. */
void outfile_abort(struct outfile *o);

#endif

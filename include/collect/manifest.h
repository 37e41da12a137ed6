/* SPDX-License-Identifier: Apache-2.0 */
/* manifest.csv's rows. */
#ifndef LEAKY_COLLECT_MANIFEST_H
#define LEAKY_COLLECT_MANIFEST_H

#include <stdint.h>

struct csvout;

/* One manifest row: a fetch (ok or failed), a skipped slot, a restart. */
struct collect_row {
	int64_t time_ns;	/* wall clock at the fetch's start */
	int64_t round;		/* 1-based slot number */
	const char *target;
	const char *kind;	/* a kind name, "round", "restart", "target",
				 * "retention" */
	const char *result;	/* "ok", "failed", "skipped", "restart",
				 * "found", "gone", "removed" */
	const char *url;	/* fetched URL, or what was read */
	long status;		/* HTTP status; 0: none */
	int64_t bytes;		/* -1: none */
	int64_t duration_ns;	/* -1: none */
	const char *file;	/* relative to the output dir; NULL */
	int64_t pid;		/* 0: none */
	const char *error;	/* reason or detail; NULL */
	const char *labels;	/* NULL */
	/* Not a column: the size of file, for the run's hooks (bytes is the
	 * body's as fetched, and a text dump is kept gzipped). */
	int64_t file_bytes;
};

/* The manifest's header line, without its newline. */
extern const char collect_manifest_header[];
/* Writes the header row, then rows, to c. */
void collect_manifest_write_header(struct csvout *c);
void collect_manifest_write_row(struct csvout *c, const struct collect_row *r);

/* Formats nanoseconds since the epoch as RFC 3339 UTC with milliseconds. */
char *collect_format_time(int64_t ns, char buf[40]);

/*
 * The largest round in the manifest of dir, 0 when it has none (or no
 * manifest): a collector started again on dir numbers its rounds on from
 * there.
 */
int64_t collect_manifest_last_round(const char *dir);

#endif

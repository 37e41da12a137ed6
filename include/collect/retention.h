/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A collection's retention (--keep, --max-size): which sample files go,
 * oldest second first. The list and the policy only: the run removes the
 * files through its store and writes the manifest rows that say so.
 */
#ifndef LEAKY_COLLECT_RETENTION_H
#define LEAKY_COLLECT_RETENTION_H

#include <stddef.h>
#include <stdint.h>

struct retention;

/* Why files went: older than --keep, or the collection over --max-size. */
enum { RETENTION_AGE = 1, RETENTION_SIZE = 2 };

/* One target's files removed in one pass. */
struct retention_group {
	char *target;		/* from the file names */
	size_t files;
	int64_t bytes;
	int64_t first, last;	/* the oldest and newest second removed */
	unsigned why;		/* RETENTION_AGE | RETENTION_SIZE */
};

/* keep_secs 0: no age limit; max_size 0: no size limit. */
struct retention *retention_new(int64_t keep_secs, uint64_t max_size);
void retention_free(struct retention *rt);

/*
 * A sample file of the collection: rel, its path relative to the
 * directory ("profiles/api_1700000000.heap.pb.gz"), and its size. A name
 * that is not NAME_UNIX.KIND is never removed, and not counted.
 */
void retention_add(struct retention *rt, const char *rel, int64_t size);

/* The bytes of the files listed and not removed. */
uint64_t retention_total(const struct retention *rt);

/*
 * The files to remove at now_secs: those of seconds older than keep_secs,
 * then the oldest seconds while the total is over max_size, never the
 * newest second's (*over_size set when that still leaves the total over
 * max_size). Each file's rel goes to remove(ctx, rel), and the removed
 * files are summed per target into *groups (*ngroups of them, in the
 * order of their first file; free with retention_groups_free()).
 */
void retention_prune(struct retention *rt, int64_t now_secs,
		     void (*remove)(void *ctx, const char *rel), void *ctx,
		     struct retention_group **groups, size_t *ngroups,
		     int *over_size);
void retention_groups_free(struct retention_group *g, size_t n);

#endif

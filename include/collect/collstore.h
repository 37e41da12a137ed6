/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's output directory: its lock, the sample files (written
 * whole under a temporary name, never over an existing file) and
 * manifest.csv. Survives the directory vanishing: it is made again.
 * Nothing inside the directory is reached through a symbolic link, and
 * only a directory of this user that no one else may write to is used.
 */
#ifndef LEAKY_COLLSTORE_H
#define LEAKY_COLLSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"
#include "collect/manifest.h"

struct collstore;

/*
 * Creates dir and its subdirectories as needed, takes the directory's
 * lock (another collector on it is an error) and opens manifest.csv for
 * appending, with its header when new. dir itself may be a symbolic link
 * of this user's (or root's); a link inside it (lock, manifest, kind
 * directory) is an error, as is a directory owned by another user or
 * writable by others without the sticky bit. A partial last row (a
 * collector killed mid-write) is cut off into manifest.csv.partial, and
 * the temporaries a killed collector left are removed (both said by
 * collstore_notice()). Returns the store, or NULL with the reason in err.
 */
struct collstore *collstore_open(const char *dir, int fsync_files,
				 char err[COLLECT_ERR]);
/* Closes the manifest and releases the lock; NULL is a no-op. */
void collstore_close(struct collstore *st);

/*
 * Saves len bytes of data as the sample of target name, second unix_secs,
 * kind k: under collect_file_name()'s name, or the next free .SEQ name
 * when it is taken. On success returns 0 and the path relative to the
 * directory in *rel (the caller frees it); else -1 with the reason in err
 * and no file left behind.
 */
int collstore_save(struct collstore *st, const char *name, int64_t unix_secs,
		   enum collect_kind k, const uint8_t *data, size_t len,
		   char **rel, char err[COLLECT_ERR]);

/*
 * Appends one row to manifest.csv and flushes it; reopens the manifest
 * when it vanished. Returns 0, or -1 with the reason in err.
 */
int collstore_row(struct collstore *st, const struct collect_row *r,
		  char err[COLLECT_ERR]);

/*
 * Removes a file collstore_save() saved (rel, its path relative to the
 * directory): one whose manifest row could not be written.
 */
void collstore_discard(struct collstore *st, const char *rel);

/*
 * Calls fn(ctx, rel, size) for each sample file in the kind directories
 * (rel relative to the directory, as collstore_save() gives it): regular
 * files whose names do not start with '.' (the temporaries), each seen
 * through its directory's fd without following links.
 */
void collstore_list(struct collstore *st,
		    void (*fn)(void *ctx, const char *rel, int64_t size),
		    void *ctx);

/*
 * A message about something the store did on its own (made a vanished
 * directory again), once, or NULL. Valid until the next call.
 */
const char *collstore_notice(struct collstore *st);

/* fsyncs the directories that got new names since the last call. */
void collstore_sync(struct collstore *st);

/*
 * Whether p[0..n) starts a manifest row as the collector writes them: its
 * RFC 3339 UTC time and a comma. For resynchronising after a damaged row.
 */
int collstore_row_start(const char *p, size_t n);

/*
 * The length of the manifest record at p[0..n), through the newline that
 * ends it outside quotes, or 0 when p[0..n) holds no whole record (a
 * partial last row). A quoted field left open by a row cut short ends at
 * the newline before the next row start, with *broken set: the rows after
 * it are not swallowed.
 */
size_t collstore_record(const char *p, size_t n, int *broken);

/*
 * For a signal handler: removes the temporary file being written, if any.
 * Async-signal-safe.
 */
void collstore_signal_cleanup(void);

#endif

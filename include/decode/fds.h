/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process's open file descriptors, as leaky collect writes them
 * (NAME_UNIX.fds): the format, its writer's pieces and its decoder.
 *
 *   # leaky fds: pid 4242, open 17, listed 17, socket 5, pipe 2,
 *     anon_inode 1, file 8, other 1          (one line)
 *   0 /dev/null
 *   3 socket:[67890]
 *   ...
 *
 * The header counts every descriptor the process had, by type; the lines
 * after it ("FD TARGET", the link's text escaped by fds_escape()) are the
 * first "listed" of them, so that a process with a million descriptors
 * makes a small file and its counts are still whole.
 */
#ifndef LEAKY_FDS_H
#define LEAKY_FDS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The header line's first bytes, by which the file is recognised. */
#define FDS_MAGIC "# leaky fds:"

/* What a descriptor is, from the text of its /proc/PID/fd link. */
enum fds_type {
	FDS_SOCKET,		/* "socket:[INODE]" */
	FDS_PIPE,		/* "pipe:[INODE]" */
	FDS_ANON_INODE,		/* "anon_inode:[eventpoll]", eventfd... */
	FDS_FILE,		/* "/path": files, devices, directories */
	FDS_OTHER,		/* "net:[...]", anything else */
	FDS_NTYPES
};

/* One snapshot's counts. */
struct fds_snapshot {
	int64_t pid;
	int64_t open;			/* every descriptor */
	int64_t listed;			/* lines after the header */
	int64_t count[FDS_NTYPES];	/* by type; they add up to open */
	int64_t threads;		/* its threads; -1 (or 0): not given */
};

/* The type of a link's text (n bytes at link, not NUL-terminated). */
enum fds_type fds_type_of(const char *link, size_t n);
/* "socket", "pipe", "anon_inode", "file" or "other": the header's keys. */
const char *fds_type_name(enum fds_type t);

/*
 * Appends the n bytes at s to b so that they fit on one line of text:
 * each control byte (below 0x20, and DEL) and the backslash become
 * "\xHH" with two lower-case hex digits; other bytes, UTF-8 included,
 * are copied.
 */
void fds_escape(struct buf *b, const char *s, size_t n);

/* Appends the header line of s (with its newline) to b. */
void fds_header(struct buf *b, const struct fds_snapshot *s);

/*
 * Decodes len bytes of data (need not be NUL-terminated) into *s. Returns
 * 0, or reports "NAME[:LINE]: reason" through error() (not a fds file, a
 * header without its counts, counts that do not add up, a line that is
 * not "FD TARGET", fewer or more lines than listed: a file cut short)
 * and returns -1.
 */
int fds_parse(const char *name, const char *data, size_t len,
	      struct fds_snapshot *s);

#endif

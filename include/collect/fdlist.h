/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process's open file descriptors, listed from /proc/PID/fd into the
 * text leaky collect keeps as NAME_UNIX.fds (the format: decode/fds.h).
 */
#ifndef LEAKY_FDLIST_H
#define LEAKY_FDLIST_H

#include "collect/collect.h"

#include <stdint.h>

struct buf;

/* Descriptors listed one a line at most; the rest are counted only. */
#define FDLIST_MAX_LISTED 1000
/* Bytes of those lines at most (a path is up to 4 KiB, 16 escaped). */
#define FDLIST_MAX_BYTES ((size_t)256 << 10)

/*
 * Lists the descriptors of process pid into b (emptied first): the header
 * with every descriptor counted by type, then the first ones one a line,
 * within the two caps above. A descriptor closed while listed is left
 * out. Returns 0, or -1 with the reason in err: the process is gone, or
 * its descriptors cannot be read (another user's process).
 */
int fdlist_read(int64_t pid, struct buf *b, char err[COLLECT_ERR]);

#endif

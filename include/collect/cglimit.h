/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process's memory limits read from its cgroup (/proc/PID/cgroup, then
 * the cgroup's files under the cgroup mount) and its environment's
 * $GOMEMLIMIT, into the text leaky collect keeps as NAME_UNIX.limits (the
 * format: decode/memlimit.h).
 */
#ifndef LEAKY_CGLIMIT_H
#define LEAKY_CGLIMIT_H

#include "collect/collect.h"

#include <stdint.h>

struct buf;

/*
 * Reads the limits of process pid into b (emptied first). A process in
 * no memory cgroup, or in one without a limit, is recorded as having no
 * limit; an environment that cannot be read gives gomemlimit unknown.
 * Returns 0, or -1 with the reason in err (the process is gone, its
 * /proc/PID/cgroup cannot be read).
 */
int cglimit_read(int64_t pid, struct buf *b, char err[COLLECT_ERR]);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The time of a collector round: one time for every file of one round
 * (heap proto and text, goroutine proto and dump, pmap, smaps_rollup), so
 * that the commands reading them put one round at one time (README,
 * "One snapshot, one time").
 */
#ifndef LEAKY_ROUNDS_H
#define LEAKY_ROUNDS_H

#include <stdint.h>

/*
 * What the manifests of the collect directories seen so far say, read
 * once per directory. One per reader (a command run, a report's load):
 * a manifest that grows meanwhile is read again by the next reader.
 */
struct rounds;

/* Returns a new, empty cache; rounds_free(NULL) is a no-op. */
struct rounds *rounds_new(void);
void rounds_free(struct rounds *r);

/*
 * The round time of path, a "DIR/KIND/NAME_UNIX.kind..." file whose name
 * gave unix_secs: the `time` column (the round's start, milliseconds) of
 * the row of DIR/manifest.csv whose `file` is "KIND/NAME_UNIX.kind...",
 * when there is one and it falls in second unix_secs; else unix_secs
 * itself, the round's start second, which the file name always carries.
 * r NULL: the second. Never fails: a manifest that is missing, unreadable
 * or damaged gives the seconds, silently (leaky report names a damaged
 * manifest's rows; the other commands do not read it for anything else).
 */
int64_t rounds_time(struct rounds *r, const char *path, int64_t unix_secs);

#endif

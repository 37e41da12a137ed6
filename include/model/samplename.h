/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name of a sample file, "NAME_UNIX.KIND...": the collector writes it
 * and the readers take a snapshot's target and time from it (design.md,
 * "Time series"). One definition for both sides.
 */
#ifndef LEAKY_SAMPLENAME_H
#define LEAKY_SAMPLENAME_H

#include <stdint.h>

/*
 * "DIR/NAME_UNIX.SUFFIX", or "DIR/NAME_UNIX.SEQ.SUFFIX" for seq > 0 (a
 * second sample of one target and kind in the same second). NAME must
 * hold no '.', or readers would cut it there (the collector's names
 * cannot). The caller frees the result.
 */
char *samplename_format(const char *dir, const char *name,
			int64_t unix_secs, unsigned seq, const char *suffix);

/*
 * Splits the file name of path, "NAME_UNIX.kind...", into NAME and the
 * UNIX seconds: NAME is what comes before the last '_' of the part
 * before the first dot, UNIX the digits after it. Returns 1 when the
 * name has that form, else 0 with *target_out set to the part before the
 * first dot. *target_out is heap memory the caller frees.
 */
int samplename_parse(const char *path, char **target_out, int64_t *unix_out);

#endif

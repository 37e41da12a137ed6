/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sample files of a soak's collect directory, by kind, for the CSV
 * commands and the report it runs when the soak ends.
 */
#ifndef LEAKY_SOAK_SOAKFILES_H
#define LEAKY_SOAK_SOAKFILES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The files DIR/SUB/NAME_UNIX...SUFFIX (the collector's names: the name
 * ends in "." SUFFIX) with UNIX >= since (0: all), sorted by name, which
 * for one target is by time. Returns a NULL-terminated array of n paths
 * (soakfiles_free() it); none, or a SUB that is missing, gives n 0.
 */
char **soakfiles_list(const char *dir, const char *sub, const char *suffix,
		      int64_t since, size_t *n);
void soakfiles_free(char **list);

#endif

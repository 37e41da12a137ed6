/* SPDX-License-Identifier: Apache-2.0 */
/* Bash completion made from the command registry and the option tables. */
#ifndef LEAKY_COMPLETE_H
#define LEAKY_COMPLETE_H

#include <stdio.h>

struct cmd_registry;

/*
 * Writes a bash completion script (a _leaky function, `complete -F`) for
 * every command of r: the command names after `leaky` and `leaky help`;
 * a command's options (what its --help lists) after a dash; for an option
 * whose table entry lists values (struct opt's values) those, one or a
 * comma-separated list (OPTF_LIST); for an argument named FILE, FILES or
 * DIR, and for operands, paths; for any other argument, nothing.
 */
void complete_bash(const struct cmd_registry *r, FILE *fp);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding limits: what reading and decoding one profile may cost, their
 * defaults, and the one message every decoder gives for going over them.
 */
#ifndef LEAKY_LIMITS_H
#define LEAKY_LIMITS_H

#include <stddef.h>

/* Decoding limits; a zero field means the built-in default. */
struct prof_limits {
	size_t max_input;	/* bytes read from one file */
	size_t max_inflated;	/* bytes after gunzip */
	size_t max_memory;	/* bytes one decoded profile may occupy */
	/*
	 * The --max-memory to name in messages when max_memory is only what
	 * the input and inflated bytes left of it: profile_decode() sets it
	 * for the decoders it calls. Leave it 0 (then max_memory is named).
	 */
	size_t shown_memory;
};

#define PROF_DEFAULT_MAX_INPUT ((size_t)1 << 30)
#define PROF_DEFAULT_MAX_INFLATED ((size_t)256 << 20)
#define PROF_DEFAULT_MAX_MEMORY ((size_t)1 << 30)

/*
 * Gives each zero limit of *lim its built-in default (PROF_DEFAULT_*); the
 * others are kept. The one place the defaults are applied.
 */
void prof_limits_default(struct prof_limits *lim);

/*
 * Reports "NAME: decoded profile exceeds the memory limit ..." for a
 * decoder whose arena ran out of budget: one wording for every format.
 */
void profile_report_too_big(const char *name, const struct prof_limits *lim);

#endif

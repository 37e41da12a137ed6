/* SPDX-License-Identifier: Apache-2.0 */
/* The goroutine?debug=1 and ?debug=2 text decoder. */
#ifndef LEAKY_GORTEXT_H
#define LEAKY_GORTEXT_H

#include <stddef.h>

struct prof_limits;

/*
 * Decodes a goroutine?debug=1 or ?debug=2 dump, told apart by sniff()
 * (SNIFF_GOROUTINE1, SNIFF_GOROUTINE2), into a new profile the caller
 * frees; same contract as pprof_decode(). Reports "NAME: not a goroutine
 * dump" for any other text.
 */
struct profile *gortext_decode(const char *name, const char *text,
			       size_t len, const struct prof_limits *lim);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The heap?debug=1 text decoder (legacy heap profiles, pprof-scaled). */
#ifndef LEAKY_HEAPTEXT_H
#define LEAKY_HEAPTEXT_H

#include <stddef.h>

struct prof_limits;

/*
 * Decodes a heap?debug=1 dump (text need not be NUL-terminated) into a
 * new profile the caller frees, with its runtime.MemStats trailer as
 * stats; same contract as pprof_decode(). sniff() says SNIFF_HEAP_TEXT for
 * the texts it reads.
 */
struct profile *heaptext_decode(const char *name, const char *text,
				size_t len, const struct prof_limits *lim);

#endif

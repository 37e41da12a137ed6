/* SPDX-License-Identifier: Apache-2.0 */
/* The profile.proto decoder (the only user of protobuf-c). */
#ifndef LEAKY_PPROF_H
#define LEAKY_PPROF_H

#include <stddef.h>
#include <stdint.h>

struct prof_limits;

/*
 * Decodes raw (not gzipped) profile.proto bytes into a new profile the
 * caller frees; lim->max_memory bounds the decoded model. name is for
 * messages only. Reports "NAME: reason" and returns NULL on bad input or
 * over the limit. profile_decode() is the front door that calls it.
 */
struct profile *pprof_decode(const char *name, const uint8_t *data,
			     size_t len, const struct prof_limits *lim);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* gzip detection, bounded decompression, and compression (the only user
 * of zlib). */
#ifndef LEAKY_GUNZIP_H
#define LEAKY_GUNZIP_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Returns 1 when p starts with the gzip magic 1f 8b. */
int gunzip_is_gzip(const uint8_t *p, size_t n);

/*
 * Inflates the gzip stream in (one or more members, as zcat does) into out,
 * replacing its contents, never growing it past cap bytes. Returns 0, or
 * reports "NAME: reason" (truncated, corrupt, trailing garbage, inflated
 * size over cap) and returns -1.
 */
int gunzip(const char *name, const uint8_t *in, size_t n, struct buf *out,
	   size_t cap);

/*
 * Compresses in[0..n) into out, replacing its contents, as one gzip member
 * (at level 3: most of the size, at twice the speed of gzip's default). Returns 0, or -1 (out of memory in zlib, or an
 * input over 4 GiB) with out empty; reports nothing, so that it may run on
 * any thread.
 */
int gzip_bytes(const uint8_t *in, size_t n, struct buf *out);

#endif

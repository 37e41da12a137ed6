/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The decoders' front door: bytes or files of any profile format, told
 * apart by sniff(), gunzipped when they are gzip, decoded within the
 * limits, into the one profile model.
 */
#ifndef LEAKY_READER_H
#define LEAKY_READER_H

#include <stddef.h>
#include <stdint.h>

#include "decode/limits.h"

struct buf;
struct profile;

/*
 * Decodes bytes of any supported format, detected from the bytes: gzip is
 * inflated first, then profile.proto, legacy heap text or goroutine text.
 * lim (may be NULL: the defaults) ->max_memory bounds the input bytes, the
 * inflated bytes and the decoded model together. name is used in messages
 * only. Returns a new profile the caller frees, or reports "NAME: reason"
 * and returns NULL. scratch is a reusable buffer for the inflated bytes
 * (may be NULL).
 */
struct profile *profile_decode(const char *name, const uint8_t *data,
			       size_t len, const struct prof_limits *lim,
			       struct buf *scratch);

/*
 * Reads files into profiles, reusing its buffers from one file to the next.
 * Caller-owned storage: prof_reader_init() it, prof_reader_release() it.
 */
struct prof_reader {
	struct prof_limits lim;
	struct buf *raw;
	struct buf *inflated;
};

/* lim may be NULL (the defaults); its zero fields take their default. */
void prof_reader_init(struct prof_reader *r, const struct prof_limits *lim);
void prof_reader_release(struct prof_reader *r);
/*
 * Reads and decodes path ("-" is stdin); see profile_decode(). *mtime (may
 * be NULL) gets the file's modification time in seconds.
 */
struct profile *prof_reader_load(struct prof_reader *r, const char *path,
				 int64_t *mtime);

#endif

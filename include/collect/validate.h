/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a fetched body is worth keeping as its kind of sample. */
#ifndef LEAKY_COLLECT_VALIDATE_H
#define LEAKY_COLLECT_VALIDATE_H

#include "collect/collect.h"

/* What validation learned from a body. */
struct collect_body_info {
	int has_time;
	int64_t time_nanos;	/* the profile's own time */
	int has_alloc;
	int64_t alloc_total;	/* alloc_space total or MemStats TotalAlloc */
	int64_t pid;		/* from pmap's first line, or -1 */
};

/*
 * Decides whether a fetched body is worth keeping as kind k: HTTP 200
 * (status 0 for process memory), not empty, not HTML or an error text,
 * gzip magic and a decodable profile with the kind's sample type for
 * protos, the right text dump for text kinds, a decodable pmap, smaps_rollup
 * or status for process memory. max_inflated bounds the decoding. Returns
 * 0 with *info filled, or -1 with a one-line reason in err.
 */
int collect_validate(enum collect_kind k, long status, const uint8_t *data,
		     size_t len, size_t max_inflated,
		     struct collect_body_info *info, char err[COLLECT_ERR]);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What leaky's fuzz targets share: the decoding limits that turn bombs and
 * amplification into findings rather than OOMs, and the consumers that run
 * a decoded profile through the analyses and a CSV writer so that the
 * fuzzer reaches the code behind the decoders too.
 */
#ifndef LEAKY_FUZZ_H
#define LEAKY_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_INFLATED ((size_t)8 << 20)
#define FUZZ_MAX_MEMORY ((size_t)64 << 20)

struct profile;
struct prof_limits;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harnesses' limits (max_input is the input itself). */
const struct prof_limits *fuzz_limits(void);
/* A /dev/null stream for CSV output, opened once. */
void *fuzz_sink(void);
/*
 * Runs p through agg_profile (by function, flat and cumulative) and, for a
 * goroutine profile, gor_profile; writes their rows to the sink. Frees p.
 */
void fuzz_consume_profile(struct profile *p);

#endif

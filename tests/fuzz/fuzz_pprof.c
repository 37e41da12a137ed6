/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: profile_decode on arbitrary bytes (gunzip, protobuf-c,
 * validation, model, format sniffing), then the analyses on the result.
 */
#include "fuzz.h"
#include "base/buf.h"
#include "decode/reader.h"
#include "model/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p;

	p = profile_decode("fuzz", data, size, fuzz_limits(), NULL);
	fuzz_consume_profile(p);
	return 0;
}

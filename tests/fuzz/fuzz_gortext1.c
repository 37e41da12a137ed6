/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: goroutine?debug=1 text through gortext_decode, grouped. */
#include "fuzz.h"
#include "decode/gortext.h"
#include "decode/limits.h"
#include "model/profile.h"
#include "textfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *s = fuzz_prefixed("goroutine profile: total ", data, size,
				&len);

	fuzz_consume_profile(gortext_decode("fuzz", s, len, fuzz_limits()));
	free(s);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: heap?debug=1 text through heaptext_decode, then analyses. */
#include "fuzz.h"
#include "decode/heaptext.h"
#include "decode/limits.h"
#include "decode/sniff.h"
#include "model/profile.h"
#include "textfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *s = fuzz_prefixed("heap profile: ", data, size, &len);

	sniff(s, len);
	fuzz_consume_profile(heaptext_decode("fuzz", s, len, fuzz_limits()));
	free(s);
	return 0;
}

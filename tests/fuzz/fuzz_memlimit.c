/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: memlimit_parse (leaky collect's limits files), then sniff. */
#include "fuzz.h"
#include "decode/memlimit.h"
#include "decode/sniff.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memlimit m;

	/* What the sniffer calls a limits file is what the decoder reads. */
	if (memlimit_parse("fuzz", (const char *)data, size, &m) < 0)
		return 0;
	if (sniff(data, size) != SNIFF_LIMITS)
		abort();
	if (m.pid <= 0 || (m.limit < 0 && m.limit != MEMLIMIT_NONE &&
			   m.limit != MEMLIMIT_UNKNOWN) ||
	    (m.usage < 0 && m.usage != MEMLIMIT_UNKNOWN) ||
	    (m.oom_kills < 0 && m.oom_kills != MEMLIMIT_UNKNOWN))
		abort();
	return 0;
}

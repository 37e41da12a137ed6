/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: fds_parse (leaky collect's descriptor lists), then sniff. */
#include "fuzz.h"
#include "decode/fds.h"
#include "decode/sniff.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fds_snapshot s;
	int64_t sum = 0;
	int k;

	/* What the sniffer calls an fds list is what the decoder reads. */
	if (fds_parse("fuzz", (const char *)data, size, &s) < 0)
		return 0;
	if (sniff(data, size) != SNIFF_FDS)
		abort();
	for (k = 0; k < FDS_NTYPES; k++)
		sum += s.count[k];
	if (s.pid <= 0 || sum != s.open || s.listed > s.open)
		abort();
	return 0;
}

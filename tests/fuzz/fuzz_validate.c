/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: collect_validate, the collector's sniffing of fetched bodies,
 * for the kind the first byte picks.
 */
#include "fuzz.h"
#include "collect/collect.h"
#include "collect/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_body_info info;
	char err[COLLECT_ERR];
	enum collect_kind k;

	if (!size)
		return 0;
	k = (enum collect_kind)(data[0] % CK_NKINDS);
	collect_validate(k, CK_IS_HTTP(k) ? 200 : 0, data + 1, size - 1,
			 FUZZ_MAX_INFLATED, &info, err);
	return 0;
}

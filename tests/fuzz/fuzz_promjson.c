/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: promjson_decode, Prometheus HTTP API answers, then a walk. */
#include "fuzz.h"
#include "decode/promjson.h"

#include <string.h>

/* The walk reads every point into this, so no read is optimised away. */
double fuzz_promjson_sum;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct promjson_answer a;
	char err[256];
	size_t i, j;

	if (promjson_decode((const char *)data, size, &a, err,
			    sizeof(err)) < 0) {
		/* the reason is one line of text */
		if (!memchr(err, '\0', sizeof(err)) || strchr(err, '\n'))
			__builtin_trap();
		promjson_release(&a);
		return 0;
	}
	for (i = 0; i < a.nseries; i++) {
		(void)promjson_label(&a.series[i], "job");
		for (j = 0; j < a.series[i].n; j++)
			fuzz_promjson_sum += a.series[i].t[j];
	}
	for (i = 0; i < a.ntargets; i++)
		(void)promjson_target_label(&a.targets[i], "instance");
	/* what goes into messages is one line */
	for (i = 0; i < a.nwarnings; i++)
		if (strchr(a.warnings[i], '\n'))
			__builtin_trap();
	if (a.error && strchr(a.error, '\n'))
		__builtin_trap();
	promjson_release(&a);
	return 0;
}

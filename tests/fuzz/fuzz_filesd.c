/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: filesd_decode, Prometheus file_sd files. The first byte
 * picks the syntax (odd: YAML, 'y'; even: JSON, 'j'), the rest is the
 * file. A decoded file is walked and held to what the decoder promises.
 */
#include "fuzz.h"
#include "decode/filesd.h"

#include <string.h>

/* A label name as filesd promises them: [a-zA-Z_][a-zA-Z0-9_]*. */
static int name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		      (i && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filesd f;
	size_t i, j, targets = 0;
	char err[256];

	if (!size)
		return 0;
	if (filesd_decode((const char *)data + 1, size - 1,
			  data[0] & 1 ? FILESD_YAML : FILESD_JSON, &f, err,
			  sizeof(err)) < 0) {
		/* the reason is one line of text, and nothing is kept */
		if (!memchr(err, '\0', sizeof(err)) || strchr(err, '\n') ||
		    f.groups || f.ngroups)
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < f.ngroups; i++) {
		const struct filesd_group *g = &f.groups[i];

		targets += g->ntargets;
		for (j = 0; j < g->ntargets; j++)
			if (!g->targets[j][0])
				__builtin_trap();
		for (j = 0; j < g->nlabels; j++)
			if (!name_ok(g->names[j]) || !g->values[j] ||
			    filesd_label(g, g->names[j]) == NULL)
				__builtin_trap();
	}
	if (targets > FILESD_MAX_TARGETS || f.ngroups > FILESD_MAX_GROUPS)
		__builtin_trap();
	filesd_release(&f);
	return 0;
}

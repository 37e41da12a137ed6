/* SPDX-License-Identifier: Apache-2.0 */
/* The "NAME_UNIX.KIND" name of a sample file: written, and read back. */
#include "model/samplename.h"
#include "base/leaky.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

char *samplename_format(const char *dir, const char *name,
			int64_t unix_secs, unsigned seq, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 48;
	char *s = xmalloc(n);

	if (seq)
		snprintf(s, n, "%s/%s_%" PRId64 ".%u.%s", dir, name,
			 unix_secs, seq, suffix);
	else
		snprintf(s, n, "%s/%s_%" PRId64 ".%s", dir, name, unix_secs,
			 suffix);
	return s;
}

int samplename_parse(const char *path, char **target_out, int64_t *unix_out)
{
	const char *base = strrchr(path, '/'), *dot, *us, *p;
	size_t stem;
	int64_t v = 0;

	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	stem = dot ? (size_t)(dot - base) : strlen(base);
	/* The last '_': a target's name may hold '_' itself ("my_svc"). */
	us = NULL;
	for (p = base; p < base + stem; p++)
		if (*p == '_')
			us = p;
	if (us && us > base && us + 1 < base + stem) {
		/* Seconds that would overflow as nanoseconds are no time. */
		for (p = us + 1; p < base + stem; p++) {
			if (!isdigit((unsigned char)*p) ||
			    v > (INT64_MAX / 1000000000 - 9) / 10)
				break;
			v = v * 10 + (*p - '0');
		}
		if (p == base + stem) {
			*target_out = xstrndup(base, (size_t)(us - base));
			*unix_out = v;
			return 1;
		}
	}
	*target_out = xstrndup(base, stem);
	return 0;
}

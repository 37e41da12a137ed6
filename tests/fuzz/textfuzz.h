/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text targets: the input, with a format's first line prepended when it
 * does not start with it, so that the fuzzer spends its time past the
 * sniffing. Returns a new NUL-terminated copy (freed by the caller).
 */
#ifndef LEAKY_TEXTFUZZ_H
#define LEAKY_TEXTFUZZ_H

#include <stdlib.h>
#include <string.h>

static char *fuzz_prefixed(const char *prefix, const uint8_t *data,
			   size_t size, size_t *len)
{
	size_t pl = strlen(prefix);
	char *s;

	if (size >= pl && !memcmp(data, prefix, pl))
		pl = 0;
	s = malloc(pl + size + 1);
	if (!s)
		abort();
	memcpy(s, prefix, pl);
	if (size)
		memcpy(s + pl, data, size);
	s[pl + size] = '\0';
	*len = pl + size;
	return s;
}

#endif

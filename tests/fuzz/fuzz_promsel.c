/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: promsel_parse, Prometheus label selectors, then matches
 * against a few label sets (one holds the input's first bytes as a value,
 * so that regexes meet text they were written from).
 */
#include "fuzz.h"
#include "decode/promsel.h"

#include <stdlib.h>
#include <string.h>

/* The matches read into this, so that none is optimised away. */
int fuzz_promsel_hits;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *names[] = { "job", "instance", "env", "v", "job" };
	char *values[] = { "api", "10.0.3.7:8080", "", NULL, "db" };
	char err[256], *text, value[128];
	struct promsel *s;
	size_t n;

	/* the selector is a C string: it ends at the first NUL */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	s = promsel_parse(text, err, sizeof(err));
	if (!s) {
		/* the reason is one line of text */
		if (!memchr(err, '\0', sizeof(err)) || strchr(err, '\n'))
			__builtin_trap();
		free(text);
		return 0;
	}
	if (promsel_count(s) > PROMSEL_MAX_MATCHERS)
		__builtin_trap();
	/* a value up to 127 bytes: regexec's time grows with it */
	n = strnlen(text, sizeof(value) - 1);
	memcpy(value, text, n);
	value[n] = '\0';
	values[3] = value;
	fuzz_promsel_hits += promsel_match(s, names, values, 5);
	fuzz_promsel_hits += promsel_match(s, names, values, 0);
	fuzz_promsel_hits += promsel_match(s, names + 3, values + 3, 1);
	promsel_free(s);
	free(text);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Common includes for the cmocka unit tests. */
#ifndef LEAKY_UNIT_H
#define LEAKY_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Reads a whole stream written by the code under test into a string. */
static inline char *slurp(FILE *fp)
{
	long n;
	char *s;

	fflush(fp);
	n = ftell(fp);
	rewind(fp);
	s = calloc(1, (size_t)n + 1);
	if (n && fread(s, 1, (size_t)n, fp) != (size_t)n)
		s[0] = '\0';
	return s;
}

/*
 * The path of tests/fixtures/REL in the repository this file is in, in a
 * static buffer (found from __FILE__, so tests run from any directory).
 */
static inline const char *unit_fixture(const char *rel)
{
	static char path[4096];
	const char *f = __FILE__, *cut = strstr(f, "tests/unit/");
	int n = cut ? (int)(cut - f) : 0;

	snprintf(path, sizeof(path), "%.*stests/fixtures/%s", n, f, rel);
	return path;
}

#endif

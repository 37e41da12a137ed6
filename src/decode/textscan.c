/* SPDX-License-Identifier: Apache-2.0 */
/* Reading text line by line, and the scanners the text decoders share. */
#include "decode/textscan.h"
#include "base/leaky.h"

#include <ctype.h>
#include <string.h>

int text_next_line(struct text_cursor *c, const char **line, size_t *n)
{
	const char *nl;

	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*line = c->p;
	*n = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	c->p = nl ? nl + 1 : c->end;
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	c->lineno++;
	return 1;
}

int text_cut_short(const struct text_cursor *c)
{
	/* lineno > 0: at least one line was read, so end[-1] is text. */
	return c->lineno && c->p >= c->end && c->end[-1] != '\n';
}

void text_report_truncated(const char *name, const char *what,
			   const char *why, const struct text_cursor *c)
{
	error("%s: truncated %s: %s (cut at line %zu)", name, what, why,
	      c->lineno);
}

void text_skip_spaces(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

int text_parse_i64(const char **s, const char *end, int64_t *v)
{
	int64_t r = 0;
	const char *p = *s;

	if (p >= end || !isdigit((unsigned char)*p))
		return -1;
	while (p < end && isdigit((unsigned char)*p)) {
		if (r > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		r = r * 10 + (*p - '0');
		p++;
	}
	*s = p;
	*v = r;
	return 0;
}

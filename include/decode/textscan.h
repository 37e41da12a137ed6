/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading text line by line, and the small scanners the text decoders
 * share: one line cursor for Go's text profiles and dumps and for process
 * memory maps.
 */
#ifndef LEAKY_TEXTSCAN_H
#define LEAKY_TEXTSCAN_H

#include <stddef.h>
#include <stdint.h>

/* A line cursor over text; lines exclude the newline and a trailing CR. */
struct text_cursor {
	const char *p, *end;
	size_t lineno;
};

/* Sets *line and *n to the next line and returns 1, or returns 0 at the end. */
int text_next_line(struct text_cursor *c, const char **line, size_t *n);
/*
 * 1 when c has read the text's last line and that line has no newline:
 * Go's runtime ends every line it writes of a text profile or dump with
 * '\n', so such a text was cut (a timeout, a dropped connection, a full
 * disk) inside its last line.
 */
int text_cut_short(const struct text_cursor *c);
/*
 * Reports "NAME: truncated WHAT: WHY (cut at line N)", N being the last
 * line c has read: the one wording the text decoders use for a text that
 * ends where Go never ends one.
 */
void text_report_truncated(const char *name, const char *what,
			   const char *why, const struct text_cursor *c);

/* Parses a decimal int64 at *s (advanced); -1 on no digits or overflow. */
int text_parse_i64(const char **s, const char *end, int64_t *v);
void text_skip_spaces(const char **s, const char *end);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* CSV rows to a stream, quoted by libcsv where a field needs it. */
#ifndef LEAKY_CSVOUT_H
#define LEAKY_CSVOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Caller-owned storage; csvout_init() it, csvout_release() it. */
struct csvout {
	FILE *fp;
	int first;		/* no field written yet on this row */
	char *quoted;		/* scratch for libcsv */
	size_t cap;
	char *clean;		/* scratch for csvout_text() */
	size_t clean_cap;
	int raw;		/* csvout_text() without the formula prefix */
	int failed;		/* a field could not be written */
	int time_valid;		/* time_text holds time_secs formatted */
	int64_t time_secs;
	char time_text[64];
};

void csvout_init(struct csvout *c, FILE *fp);
void csvout_release(struct csvout *c);
/*
 * Appends one field of leaky's own text (headers, numbers, times) as it
 * is; a string with , " CR LF or edge spaces is quoted. A field too long
 * to quote is reported, left empty (the row keeps its shape) and marks c
 * failed, as a write error marks a stream: see csvout_failed().
 */
void csvout_str(struct csvout *c, const char *s);
void csvout_strn(struct csvout *c, const char *s, size_t n);
/* 1 when a field could not be written since csvout_init(), else 0. */
int csvout_failed(const struct csvout *c);
/*
 * Appends one field of text from the input (function, file and label
 * names, states, targets): made safe with text_safe(TEXT_CSV), then,
 * unless raw, prefixed with ' when it starts with = + - @ tab CR or '
 * and is not a whole number (OWASP's advice against CSV injection;
 * README, "Output"). Quoted as csvout_str() quotes, and fails as it does.
 */
void csvout_text(struct csvout *c, const char *s);
void csvout_textn(struct csvout *c, const char *s, size_t n);
/* 1 when csvout_text() prefixes the n bytes at s (unless raw). */
int csvout_text_needs_prefix(const char *s, size_t n);
/*
 * A cell read back as the name csvout_text() was given: s past its
 * leading ' when csvout_text() would have put one there, else s.
 */
const char *csv_text_unprefix(const char *s);
/* Raw: csvout_text() leaves the formula prefix out (--csv-raw). */
void csvout_set_raw(struct csvout *c, int raw);
void csvout_i64(struct csvout *c, int64_t v);
/* Appends an empty field. */
void csvout_empty(struct csvout *c);
/* Ends the row. */
void csvout_end(struct csvout *c);
/*
 * Appends a time in nanoseconds since the epoch in the given style:
 * "rfc3339" (UTC, seconds), "unix" (seconds) or "unixms".
 */
enum csv_time { CSV_TIME_RFC3339, CSV_TIME_UNIX, CSV_TIME_UNIXMS };
void csvout_time(struct csvout *c, int64_t nanos, enum csv_time style);
/* Parses a --time style name; -1 when unknown. */
int csvout_time_parse(const char *s, enum csv_time *style);


/*
 * Reading CSV (libcsv's parser, so the quoting rules are the writer's):
 * calls row(fields, nfields, ctx) for each record of the len bytes at
 * data; fields are NUL-terminated and valid during the call. A row
 * callback returning nonzero stops the parse. Returns 0, or -1 on
 * malformed CSV (strict mode, reported as "NAME: reason").
 */
typedef int (*csv_row_fn)(const char *const *fields, size_t nfields,
			  void *ctx);
int csv_read(const char *name, const char *data, size_t len, csv_row_fn row,
	     void *ctx);
/*
 * Parses RFC 3339 UTC ("2026-11-22T01:02:03Z", optional fraction) or
 * epoch seconds into nanoseconds; -1 when neither.
 */
int csv_parse_time(const char *s, int64_t *nanos);

#endif

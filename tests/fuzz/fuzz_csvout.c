/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property target: hostile names through the CSV writer read back
 * identical. The input's NUL bytes separate fields (a C string cannot hold
 * one); a constant first field keeps a row of one empty field, which CSV
 * cannot tell from a blank line, out of the property. Through csvout_text()
 * they read back as text_safe() makes them, after one leading quote when
 * csvout_text_needs_prefix() says so, and safe for a CSV reader.
 */
#include "fuzz.h"
#include "out/csvout.h"
#include "base/leaky.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct want {
	char **fields;
	size_t n;
	size_t rows;
};

static int check_row(const char *const *fields, size_t n, void *ctx)
{
	struct want *w = ctx;
	size_t i;

	if (w->rows++ || n != w->n)
		abort();
	for (i = 0; i < n; i++)
		if (strcmp(fields[i], w->fields[i]))
			abort();
	return 0;
}

static int check_text(const char *const *fields, size_t n, void *ctx)
{
	struct want *w = ctx;
	size_t i;

	if (w->rows++ || n != w->n)
		abort();
	for (i = 0; i < n; i++) {
		size_t k = strlen(w->fields[i]);
		char *safe = malloc(3 * k + 2);
		const char *got = fields[i];
		size_t m;

		if (!safe)
			abort();
		m = text_safe(safe, w->fields[i], k, TEXT_CSV);
		safe[m] = '\0';
		if (csvout_text_needs_prefix(safe, m)) {
			if (got[0] != '\'')
				abort();
			got++;
		}
		if (strcmp(got, safe) || !text_is_safe(got, m, TEXT_CSV))
			abort();
		free(safe);
	}
	return 0;
}

/* Writes w's fields as one row, each with put, and reads it back. */
static void round_trip(struct want *w, void (*put)(struct csvout *,
						     const char *),
		       csv_row_fn check)
{
	struct csvout c;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		abort();
	csvout_init(&c, fp);
	for (i = 0; i < w->n; i++)
		put(&c, w->fields[i]);
	csvout_end(&c);
	csvout_release(&c);
	fclose(fp);
	w->rows = 0;
	if (csv_read("fuzz", buf, len, check, w) < 0 || w->rows != 1)
		abort();
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct want w = { NULL, 0, 0 };
	char *copy, *p, *end;

	copy = malloc(size + 1);
	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	copy[size] = '\0';
	w.fields = calloc(size + 2, sizeof(*w.fields));
	if (!w.fields)
		abort();
	w.fields[w.n++] = "row";
	for (p = copy, end = copy + size; ; p += strlen(p) + 1) {
		w.fields[w.n++] = p;
		if (p + strlen(p) >= end)
			break;
	}
	round_trip(&w, csvout_str, check_row);
	round_trip(&w, csvout_text, check_text);
	free(w.fields);
	free(copy);
	return 0;
}

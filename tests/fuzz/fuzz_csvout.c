/*
 * Property target: hostile names through the CSV writer read back
 * identical. The input's NUL bytes separate fields (a C string cannot hold
 * one); a constant first field keeps a row of one empty field, which CSV
 * cannot tell from a blank line, out of the property.
 */
#include "fuzz.h"
#include "csvout.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct want w = { NULL, 0, 0 };
	struct csvout c;
	char *buf = NULL, *copy, *p, *end;
	size_t len = 0;
	FILE *fp;

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
	fp = open_memstream(&buf, &len);
	if (!fp)
		abort();
	csvout_init(&c, fp);
	for (size_t i = 0; i < w.n; i++)
		csvout_str(&c, w.fields[i]);
	csvout_end(&c);
	csvout_release(&c);
	fclose(fp);
	if (csv_read("fuzz", buf, len, check_row, &w) < 0 || w.rows != 1)
		abort();
	free(buf);
	free(w.fields);
	free(copy);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Union-of-keys tables behind --memstats and goroutines --totals. */
#include "out/table.h"
#include "base/leaky.h"
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

struct row {
	int64_t nanos;
	size_t seq;
	char *target;
	size_t n;
	uint32_t *cols;
	char **values;
};

struct table {
	struct strmap *cols;
	struct row *rows;
	size_t n, cap;
};

struct table *table_new(size_t nfixed, const char *const *fixed)
{
	struct table *t = xcalloc(1, sizeof(*t));
	uint32_t id;
	size_t i;

	t->cols = strmap_new();
	/* the program's own few names: an empty map holds them all */
	for (i = 0; i < nfixed; i++)
		BUG_ON(strmap_add(t->cols, fixed[i], strlen(fixed[i]), &id,
				  NULL) < 0);
	return t;
}

void table_free(struct table *t)
{
	size_t i, j;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->rows[i].n; j++)
			free(t->rows[i].values[j]);
		free(t->rows[i].values);
		free(t->rows[i].cols);
		free(t->rows[i].target);
	}
	free(t->rows);
	strmap_free(t->cols);
	free(t);
}

int table_add(struct table *t, int64_t nanos, const char *target, size_t n,
	      const char *const *keys, const char *const *values)
{
	uint32_t *cols = xcalloc(n + 1, sizeof(*cols));
	struct row *r;
	size_t i;

	/* the keys come from the input: a row is added whole or not at all */
	for (i = 0; i < n; i++)
		if (strmap_add(t->cols, keys[i], strlen(keys[i]), &cols[i],
			       NULL) < 0) {
			free(cols);
			return -1;
		}
	t->rows = xgrow(t->rows, &t->cap, t->n + 1, sizeof(*t->rows));
	r = &t->rows[t->n];
	r->nanos = nanos;
	r->seq = t->n++;
	r->target = xstrdup(target);
	r->n = n;
	r->cols = cols;
	r->values = xcalloc(n + 1, sizeof(*r->values));
	for (i = 0; i < n; i++)
		r->values[i] = xstrdup(values[i]);
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	if (x->nanos != y->nanos)
		return x->nanos < y->nanos ? -1 : 1;
	c = strcmp(x->target, y->target);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int table_write(struct table *t, FILE *out, enum csv_time style, int raw)
{
	size_t ncols = strmap_count(t->cols), i, j;
	const char **line = xcalloc(ncols + 1, sizeof(*line));
	struct csvout c;
	int bad;

	if (t->n)
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_rows);
	csvout_init(&c, out);
	csvout_set_raw(&c, raw);
	csvout_str(&c, "time");
	csvout_str(&c, "target");
	/* Keys and values come from the input (MemStats, states). */
	for (i = 0; i < ncols; i++)
		csvout_textn(&c, strmap_str(t->cols, (uint32_t)i),
			     strmap_strlen(t->cols, (uint32_t)i));
	csvout_end(&c);
	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];

		memset(line, 0, ncols * sizeof(*line));
		for (j = 0; j < r->n; j++)
			line[r->cols[j]] = r->values[j];
		csvout_time(&c, r->nanos, style);
		csvout_text(&c, r->target);
		for (j = 0; j < ncols; j++) {
			if (line[j])
				csvout_text(&c, line[j]);
			else
				csvout_empty(&c);
		}
		csvout_end(&c);
	}
	bad = csvout_failed(&c);
	csvout_release(&c);
	free(line);
	return fflush(out) || ferror(out) || bad ? -1 : 0;
}

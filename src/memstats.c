/* The MemStats table behind `leaky heaper --memstats`. */
#include "memstats.h"
#include "leaky.h"
#include "profile.h"
#include "strmap.h"

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

struct memstats {
	struct strmap *cols;
	struct row *rows;
	size_t n, cap;
};

struct memstats *memstats_new(void)
{
	struct memstats *m = xcalloc(1, sizeof(*m));

	m->cols = strmap_new();
	return m;
}

void memstats_free(struct memstats *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		for (j = 0; j < m->rows[i].n; j++)
			free(m->rows[i].values[j]);
		free(m->rows[i].values);
		free(m->rows[i].cols);
		free(m->rows[i].target);
	}
	free(m->rows);
	strmap_free(m->cols);
	free(m);
}

int memstats_add(struct memstats *m, const char *name,
		 const struct profile *p, int64_t nanos, const char *target)
{
	struct row *r;
	size_t i;

	if (p->format != PROF_HEAP_TEXT || !p->nstats) {
		error("%s: no runtime.MemStats (--memstats reads "
		      "heap?debug=1 dumps)", name);
		return -1;
	}
	m->rows = xgrow(m->rows, &m->cap, m->n + 1, sizeof(*m->rows));
	r = &m->rows[m->n];
	r->nanos = nanos;
	r->seq = m->n++;
	r->target = xstrdup(target);
	r->n = p->nstats;
	r->cols = xcalloc(p->nstats, sizeof(*r->cols));
	r->values = xcalloc(p->nstats, sizeof(*r->values));
	for (i = 0; i < p->nstats; i++) {
		const char *k = p->stats[i].key;

		r->cols[i] = strmap_intern(m->cols, k, strlen(k), NULL);
		r->values[i] = xstrdup(p->stats[i].value);
	}
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

int memstats_write(struct memstats *m, FILE *out, enum csv_time style)
{
	size_t ncols = strmap_count(m->cols), i, j;
	const char **line = xcalloc(ncols + 1, sizeof(*line));
	struct csvout c;

	qsort(m->rows, m->n, sizeof(*m->rows), cmp_rows);
	csvout_init(&c, out);
	csvout_str(&c, "time");
	csvout_str(&c, "target");
	for (i = 0; i < ncols; i++)
		csvout_str(&c, strmap_str(m->cols, (uint32_t)i));
	csvout_end(&c);
	for (i = 0; i < m->n; i++) {
		const struct row *r = &m->rows[i];

		memset(line, 0, ncols * sizeof(*line));
		for (j = 0; j < r->n; j++)
			line[r->cols[j]] = r->values[j];
		csvout_time(&c, r->nanos, style);
		csvout_str(&c, r->target);
		for (j = 0; j < ncols; j++) {
			if (line[j])
				csvout_str(&c, line[j]);
			else
				csvout_empty(&c);
		}
		csvout_end(&c);
	}
	csvout_release(&c);
	free(line);
	return fflush(out) || ferror(out) ? -1 : 0;
}

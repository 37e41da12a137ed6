/* SPDX-License-Identifier: Apache-2.0 */
/* One snapshot minus another, per key, ordered as pprof orders a diff. */
#include "analyze/aggdiff.h"
#include "analyze/agg.h"
#include "base/leaky.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* qsort_r's context: no static state, as aggregators may run on threads. */
struct change_sort {
	const struct agg *g;
	const struct agg_snapshot *snap;
	size_t col;
};

static uint64_t magnitude(int64_t v)
{
	/* INT64_MIN has no positive int64_t: unsigned arithmetic has it. */
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static int cmp_change(const void *a, const void *b, void *ctx)
{
	const struct change_sort *c = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t nt = c->snap->ntypes;
	uint64_t mx = magnitude(c->snap->values[x * nt + c->col]);
	uint64_t my = magnitude(c->snap->values[y * nt + c->col]);

	if (mx != my)
		return mx > my ? -1 : 1;
	return strcmp(agg_key(c->g, c->snap->keys[x]),
		      agg_key(c->g, c->snap->keys[y]));
}

int agg_diff(const struct agg *g, const struct agg_snapshot *base,
	     const struct agg_snapshot *cur, size_t sort_type,
	     struct agg_snapshot *out)
{
	size_t nt = cur->ntypes, nkeys = agg_nkeys(g), i, t, n = 0;
	size_t *slot, *order;
	struct agg_snapshot raw = { 0 };

	memset(out, 0, sizeof(*out));
	if (base->ntypes != nt) {
		error("cannot subtract a profile of %zu sample types from one "
		      "of %zu", base->ntypes, nt);
		return -1;
	}
	if (nt && sort_type >= nt) {
		error("sort type %zu out of range", sort_type);
		return -1;
	}
	/* slot[key] = its row + 1 in raw (0: no row yet) */
	slot = xcalloc(nkeys + 1, sizeof(*slot));
	raw.ntypes = nt;
	raw.keys = xcalloc(base->nrows + cur->nrows + 1, sizeof(*raw.keys));
	raw.values = xcalloc((base->nrows + cur->nrows) * nt + 1,
			     sizeof(*raw.values));
	for (i = 0; i < cur->nrows; i++) {
		raw.keys[n] = cur->keys[i];
		slot[cur->keys[i]] = ++n;
		memcpy(raw.values + (n - 1) * nt, cur->values + i * nt,
		       nt * sizeof(*raw.values));
	}
	for (i = 0; i < base->nrows; i++) {
		uint32_t k = base->keys[i];

		if (!slot[k]) {
			raw.keys[n] = k;
			slot[k] = ++n;
		}
		for (t = 0; t < nt; t++)
			raw.values[(slot[k] - 1) * nt + t] -=
				base->values[i * nt + t];
	}
	free(slot);
	/* order: the rows with some change, sorted */
	order = xcalloc(n + 1, sizeof(*order));
	raw.nrows = 0;
	for (i = 0; i < n; i++) {
		for (t = 0; t < nt; t++)
			if (raw.values[i * nt + t])
				break;
		if (t < nt)
			order[raw.nrows++] = i;
	}
	if (nt) {
		struct change_sort c = { g, &raw, sort_type };

		qsort_r(order, raw.nrows, sizeof(*order), cmp_change, &c);
	}
	out->ntypes = nt;
	out->nrows = raw.nrows;
	out->keys = xcalloc(raw.nrows + 1, sizeof(*out->keys));
	out->values = xcalloc(raw.nrows * nt + 1, sizeof(*out->values));
	for (i = 0; i < raw.nrows; i++) {
		out->keys[i] = raw.keys[order[i]];
		memcpy(out->values + i * nt, raw.values + order[i] * nt,
		       nt * sizeof(*out->values));
	}
	out->totals = xcalloc(nt + 1, sizeof(*out->totals));
	for (t = 0; t < nt; t++)
		out->totals[t] = (cur->totals ? cur->totals[t] : 0) -
				 (base->totals ? base->totals[t] : 0);
	free(order);
	free(raw.keys);
	free(raw.values);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Call paths of a function's growth, from a per-stack diff. */
#include "analyze/callpath.h"
#include "analyze/agg.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

/* Length of the package path of a Go function name: "net/http" of
 * "net/http.(*conn).serve", "main" of "main.f"; 0 when it has none. */
static size_t package_len(const char *f, size_t n)
{
	const char *slash = NULL, *p, *dot;

	/* The path ends before a receiver or type arguments, which may name
	 * other packages: "main.F[github.com/x.T]". */
	for (p = f; p < f + n && *p != '(' && *p != '['; p++)
		if (*p == '/')
			slash = p;
	n = (size_t)(p - f);
	p = slash ? slash + 1 : f;
	dot = memchr(p, '.', (size_t)(f + n - p));
	return dot ? (size_t)(dot - f) : 0;
}

/* The standard library (runtime included): a package whose first
 * element has no dot, and that is not main. */
static int is_std(const char *f, size_t n)
{
	size_t k = package_len(f, n);
	const char *first_end;

	if (!k || (k == 4 && !memcmp(f, "main", 4)))
		return 0;
	first_end = memchr(f, '/', k);
	return !memchr(f, '.', first_end ? (size_t)(first_end - f) : k);
}

static int is_runtime(const char *f, size_t n)
{
	return package_len(f, n) == 7 && !memcmp(f, "runtime", 7);
}

char *callpath_trim(const char *folded)
{
	const char *start = folded, *p = folded, *own = NULL, *past_rt = NULL;
	struct buf b;

	/* The first frame of the program's own, and the first past the
	 * runtime's, from the root. */
	for (;;) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (!own && !is_std(p, n))
			own = p;
		if (!past_rt && !is_runtime(p, n))
			past_rt = p;
		if (!e || own)
			break;
		p = e + 1;
	}
	if (own)
		start = own;
	else if (past_rt)
		start = past_rt;
	buf_init(&b);
	for (p = start; *p; p++)
		if (*p == ';')
			buf_addstr(&b, " > ");
		else
			buf_add(&b, p, 1);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

const char *callpath_leaf(const char *folded)
{
	const char *s = strrchr(folded, ';');

	return s ? s + 1 : folded;
}

static int cmp_path(const void *a, const void *b)
{
	const struct callpath *x = a, *y = b;

	if (x->change != y->change)
		return x->change > y->change ? -1 : 1;
	return strcmp(x->frames, y->frames);
}

void callpath_acc_init(struct callpath_acc *a)
{
	memset(a, 0, sizeof(*a));
	a->seen = strmap_new();
}

void callpath_acc_add(struct callpath_acc *a, char *text, int64_t change)
{
	int added;
	uint32_t j = strmap_intern(a->seen, text, strlen(text), &added);

	a->change += change;
	if (!added) {
		a->v[j].change += change;
		free(text);
		return;
	}
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	a->v[a->n].frames = text;
	a->v[a->n].change = change;
	a->v[a->n].share = 0;
	a->n++;
}

size_t callpath_acc_keep(struct callpath_acc *a, size_t max,
			 double min_share, struct callpaths *out)
{
	struct callpath *v = a->v;
	size_t i, kept = 0;

	out->v = NULL;
	out->n = 0;
	out->change = a->change;
	if (a->n)
		qsort(v, a->n, sizeof(*v), cmp_path);
	for (i = 0; i < a->n; i++) {
		if (out->change > 0)
			v[i].share = (double)v[i].change / (double)out->change;
		if (kept < max && v[i].change > 0 && out->change > 0 &&
		    (!kept || v[i].share >= min_share))
			v[kept++] = v[i];
		else
			free(v[i].frames);
	}
	if (kept) {
		out->v = v;
		out->n = kept;
	} else {
		free(v);
	}
	strmap_free(a->seen);
	memset(a, 0, sizeof(*a));
	return kept;
}

size_t callpaths_of(const struct agg *g, const struct agg_snapshot *d,
		    size_t type, const char *func, size_t max,
		    double min_share, struct callpaths *out)
{
	struct callpath_acc a;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (type >= d->ntypes)
		return 0;
	/* Stacks that differ only in frames left out merge. */
	callpath_acc_init(&a);
	for (i = 0; i < d->nrows; i++) {
		const char *key = agg_key(g, d->keys[i]);

		if (strcmp(callpath_leaf(key), func))
			continue;
		out->nstacks++;
		callpath_acc_add(&a, callpath_trim(key),
				 d->values[i * d->ntypes + type]);
	}
	return callpath_acc_keep(&a, max, min_share, out);
}

void callpaths_release(struct callpaths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].frames);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

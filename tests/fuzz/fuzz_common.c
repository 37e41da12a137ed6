/* SPDX-License-Identifier: Apache-2.0 */
/* Limits, sink and consumers shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"
#include "analyze/agg.h"
#include "out/csvout.h"
#include "analyze/gorout.h"
#include "decode/reader.h"
#include "model/profile.h"
#include <stdio.h>
#include <stdlib.h>

const struct prof_limits *fuzz_limits(void)
{
	static const struct prof_limits lim = {
		.max_input = FUZZ_MAX_INFLATED,
		.max_inflated = FUZZ_MAX_INFLATED,
		.max_memory = FUZZ_MAX_MEMORY,
	};
	return &lim;
}

void *fuzz_sink(void)
{
	static FILE *fp;

	if (!fp)
		fp = fopen("/dev/null", "w");
	if (!fp)
		abort();
	return fp;
}

static void consume_agg(const struct profile *p, int cum)
{
	struct agg_opts o = { AGG_FUNCTION, cum, NULL, NULL };
	struct agg_snapshot s = { 0 };
	struct csvout c;
	struct agg *g;
	size_t i, j;

	if (!p->ntypes)
		return;
	o.by = cum ? AGG_STACK : AGG_FUNCTION;
	g = agg_new(&o);
	csvout_init(&c, fuzz_sink());
	if (agg_profile(g, p, p->default_type < p->ntypes ?
			p->default_type : 0, &s) == 0) {
		for (i = 0; i < s.nrows; i++) {
			csvout_str(&c, agg_key(g, s.keys[i]));
			for (j = 0; j < s.ntypes; j++)
				csvout_i64(&c, s.values[i * s.ntypes + j]);
			csvout_end(&c);
		}
	}
	agg_snapshot_release(&s);
	csvout_release(&c);
	agg_free(g);
}

static void opt_str(struct csvout *c, const char *s)
{
	if (s)
		csvout_str(c, s);
	else
		csvout_empty(c);
}

static void consume_gor(const struct profile *p, enum gor_by by)
{
	struct gor_opts o = { by, 0, NULL, NULL };
	struct gor_snapshot s = { 0 };
	struct csvout c;
	struct gor *g;
	size_t i;

	g = gor_new(&o);
	csvout_init(&c, fuzz_sink());
	if (gor_profile(g, "fuzz", p, &s) == 0) {
		for (i = 0; i < s.ngroups; i++) {
			const struct gor_group *r = &s.groups[i];

			csvout_i64(&c, r->goroutines);
			opt_str(&c, r->state);
			csvout_i64(&c, r->max_wait_minutes);
			opt_str(&c, r->created_by);
			opt_str(&c, r->top);
			opt_str(&c, r->stack);
			opt_str(&c, r->labels);
			csvout_end(&c);
		}
	}
	gor_snapshot_release(&s);
	csvout_release(&c);
	gor_free(g);
}

void fuzz_consume_profile(struct profile *p)
{
	size_t i;

	if (!p)
		return;
	consume_agg(p, 0);
	consume_agg(p, 1);
	if (p->format != PROF_HEAP_TEXT) {
		consume_gor(p, GOR_DEFAULT);
		consume_gor(p, GOR_CREATED_BY);
	}
	for (i = 0; i < p->nstats; i++)
		fprintf(fuzz_sink(), "%s=%s\n", p->stats[i].key,
			p->stats[i].value);
	profile_free(p);
}

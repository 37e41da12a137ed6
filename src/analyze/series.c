/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot series: ordering, top-N selection and the CSV layouts. */
#include "analyze/series.h"
#include "analyze/agg.h"
#include "analyze/rounds.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "model/samplename.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	int64_t nanos;
	uint32_t target;	/* id in targets */
	size_t seq;
	/* the origin columns */
	const char *source;
	int has_ptime;
	int64_t ptime;
	/* long mode: where its rows sit in the spool */
	long offset;
	size_t length;
	/* top/wide modes: the snapshot itself */
	size_t nrows;
	uint32_t *keys;
	int64_t *values;
};

struct series {
	struct series_opts opts;
	const struct agg *g;
	struct strmap *targets;
	struct entry *entries;
	size_t n, cap;
	FILE *spool;
	struct csvout csv;
	int open;		/* a series_rows_begin() snapshot is open */
	/* series_set_origin(): what the next entry gets */
	const char *source;
	int has_ptime;
	int64_t ptime;
};

static const char other_name[] = "(other)";

const char *const series_prefix_columns[SERIES_NPREFIX] = {
	[SERIES_COL_TIME] = "time",
	[SERIES_COL_TARGET] = "target",
};

const char *const series_origin_columns[2] = { "source", "profile_time" };

struct series *series_new(const struct series_opts *opts,
			  const struct agg *g)
{
	struct series *s = xcalloc(1, sizeof(*s));

	s->opts = *opts;
	s->g = g;
	s->targets = strmap_new();
	return s;
}

void series_free(struct series *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->entries[i].keys);
		free(s->entries[i].values);
	}
	free(s->entries);
	strmap_free(s->targets);
	if (s->spool)
		fclose(s->spool);
	csvout_release(&s->csv);
	free(s);
}

static int keeps_snapshots(const struct series *s)
{
	return s->opts.top || s->opts.wide;
}

static void write_prefix(struct series *s, struct csvout *c,
			 const struct entry *e)
{
	csvout_time(c, e->nanos, s->opts.time_style);
	csvout_text(c, strmap_str(s->targets, e->target));
}

/* The origin columns of entry e's rows, when the layout has them. */
static void write_origin(const struct series *s, struct csvout *c,
			 const struct entry *e)
{
	if (s->opts.wide)
		return;
	if (s->opts.origin & SERIES_SOURCE)
		csvout_str(c, e->source ? e->source : "");
	if (s->opts.origin & SERIES_PROFILE_TIME) {
		if (e->has_ptime)
			csvout_time(c, e->ptime, s->opts.time_style);
		else
			csvout_empty(c);
	}
}

static void write_row(const struct series *s, struct csvout *c,
		      const struct entry *e, const char *key,
		      const int64_t *v, size_t nt)
{
	size_t t;

	csvout_text(c, key);
	for (t = 0; t < nt; t++)
		csvout_i64(c, v[t]);
	write_origin(s, c, e);
	csvout_end(c);
}

void series_set_origin(struct series *s, const char *source, int has_time,
		       int64_t nanos)
{
	s->source = source;
	s->has_ptime = has_time;
	s->ptime = nanos;
}

static struct entry *new_entry(struct series *s, int64_t nanos,
				const char *target)
{
	struct entry *e;

	s->entries = xgrow(s->entries, &s->cap, s->n + 1, sizeof(*s->entries));
	e = &s->entries[s->n];
	memset(e, 0, sizeof(*e));
	e->nanos = nanos;
	e->target = strmap_intern(s->targets, target, strlen(target), NULL);
	e->seq = s->n;
	e->source = s->source;
	e->has_ptime = s->has_ptime;
	e->ptime = s->ptime;
	return e;
}

struct csvout *series_rows_begin(struct series *s, int64_t nanos,
				 const char *target)
{
	struct entry *e;

	if (!s->spool) {
		s->spool = tmpfile();
		if (!s->spool) {
			error("cannot create a temporary file: %s",
			      strerror(errno));
			return NULL;
		}
		csvout_init(&s->csv, s->spool);
		csvout_set_raw(&s->csv, s->opts.csv_raw);
	}
	e = new_entry(s, nanos, target);
	e->offset = ftell(s->spool);
	s->open = 1;
	return &s->csv;
}

void series_row_prefix(struct series *s)
{
	/* A caller's bug, not bad input: rows belong to an open snapshot. */
	if (!s->open)
		BUG("series_row_prefix() outside a snapshot");
	write_prefix(s, &s->csv, &s->entries[s->n]);
}

void series_row_end(struct series *s)
{
	if (!s->open)
		BUG("series_row_end() outside a snapshot");
	write_origin(s, &s->csv, &s->entries[s->n]);
	csvout_end(&s->csv);
}

int series_rows_end(struct series *s)
{
	struct entry *e = &s->entries[s->n];

	if (!s->open)
		BUG("series_rows_end() outside a snapshot");
	s->open = 0;
	e->length = (size_t)(ftell(s->spool) - e->offset);
	if (ferror(s->spool)) {
		error("cannot write the temporary file: %s", strerror(errno));
		return -1;
	}
	s->n++;
	return 0;
}

int series_add(struct series *s, int64_t nanos, const char *target,
	       struct agg_snapshot *snap)
{
	struct entry *e;
	struct csvout *c;
	size_t i, nt = snap->ntypes;

	if (keeps_snapshots(s)) {
		e = new_entry(s, nanos, target);
		e->nrows = snap->nrows;
		e->keys = snap->keys;
		e->values = snap->values;
		snap->keys = NULL;
		snap->values = NULL;
		agg_snapshot_release(snap);
		s->n++;
		return 0;
	}
	c = series_rows_begin(s, nanos, target);
	if (!c) {
		agg_snapshot_release(snap);
		return -1;
	}
	for (i = 0; i < snap->nrows; i++) {
		series_row_prefix(s);
		write_row(s, c, &s->entries[s->n],
			  agg_key(s->g, snap->keys[i]), snap->values + i * nt,
			  nt);
	}
	agg_snapshot_release(snap);
	return series_rows_end(s);
}

static const struct series *cmp_ctx;

static int cmp_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (x->nanos != y->nanos)
		return x->nanos < y->nanos ? -1 : 1;
	c = strcmp(strmap_str(cmp_ctx->targets, x->target),
		   strmap_str(cmp_ctx->targets, y->target));
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void write_header(struct series *s, struct csvout *c,
			 const uint32_t *cols, size_t ncols, int other)
{
	size_t i;

	for (i = 0; i < SERIES_NPREFIX; i++)
		csvout_str(c, series_prefix_columns[i]);
	if (s->opts.wide) {
		for (i = 0; i < ncols; i++)
			csvout_text(c, agg_key(s->g, cols[i]));
		if (other)
			csvout_str(c, other_name);
	} else {
		if (s->opts.key_column)
			csvout_str(c, s->opts.key_column);
		for (i = 0; i < s->opts.ncolumns; i++)
			csvout_text(c, s->opts.columns[i]);
		if (s->opts.origin & SERIES_SOURCE)
			csvout_str(c, series_origin_columns[0]);
		if (s->opts.origin & SERIES_PROFILE_TIME)
			csvout_str(c, series_origin_columns[1]);
	}
	csvout_end(c);
}

static int copy_spool(struct series *s, FILE *out)
{
	char buf[65536];
	size_t i;

	if (!s->spool)
		return 0;
	if (fflush(s->spool) || ferror(s->spool))
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->entries[i];
		size_t left = e->length;

		if (fseek(s->spool, e->offset, SEEK_SET))
			return -1;
		while (left) {
			size_t k = left < sizeof(buf) ? left : sizeof(buf);

			if (fread(buf, 1, k, s->spool) != k)
				return -1;
			fwrite(buf, 1, k, out);
			left -= k;
		}
	}
	return 0;
}

/*
 * Per key: its largest value of the sort column across the series (its
 * largest absolute value under rank_abs).
 */
struct peak {
	uint32_t key;
	int64_t peak;
};

static int cmp_peaks(const void *a, const void *b)
{
	const struct peak *x = a, *y = b;

	if (x->peak != y->peak)
		return x->peak > y->peak ? -1 : 1;
	return strcmp(agg_key(cmp_ctx->g, x->key), agg_key(cmp_ctx->g, y->key));
}

/*
 * Ranks every key seen by its peak; returns the ranking (caller frees),
 * *n its length and rank[key] = position + 1 (0 = never seen).
 */
static struct peak *rank_keys(struct series *s, size_t *n, size_t **rank)
{
	size_t nkeys = agg_nkeys(s->g), i, j, col;
	struct peak *pk = xcalloc(nkeys + 1, sizeof(*pk));
	unsigned char *seen = xcalloc(nkeys + 1, 1);
	size_t count = 0;

	col = s->opts.wide ? s->opts.wide_column : s->opts.sort_column;
	for (i = 0; i < nkeys; i++)
		pk[i].key = (uint32_t)i;
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->entries[i];

		for (j = 0; j < e->nrows; j++) {
			int64_t v = e->values[j * s->opts.ncolumns + col];
			uint32_t k = e->keys[j];

			/* a change's size; INT64_MIN's saturates */
			if (s->opts.rank_abs && v < 0)
				v = v == INT64_MIN ? INT64_MAX : -v;

			if (!seen[k] || v > pk[k].peak)
				pk[k].peak = v;
			seen[k] = 1;
		}
	}
	for (i = 0; i < nkeys; i++)
		if (seen[i])
			pk[count++] = pk[i];
	free(seen);
	cmp_ctx = s;
	qsort(pk, count, sizeof(*pk), cmp_peaks);
	*rank = xcalloc(nkeys + 1, sizeof(**rank));
	for (i = 0; i < count; i++)
		(*rank)[pk[i].key] = i + 1;
	*n = count;
	return pk;
}

static void write_kept(struct series *s, struct csvout *c)
{
	size_t nt = s->opts.ncolumns, nranked, ncols, i, j, t, *rank;
	struct peak *pk = rank_keys(s, &nranked, &rank);
	uint32_t *cols;
	int64_t *other = xcalloc(nt + 1, sizeof(*other));
	int64_t *wide;
	int has_other;

	ncols = s->opts.top && s->opts.top < nranked ? s->opts.top : nranked;
	has_other = s->opts.other && s->opts.top && nranked > ncols;
	cols = xcalloc(ncols + 1, sizeof(*cols));
	for (i = 0; i < ncols; i++)
		cols[i] = pk[i].key;
	wide = xcalloc(ncols + 1, sizeof(*wide));
	write_header(s, c, cols, ncols, has_other);
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->entries[i];
		int any_other = 0;

		memset(other, 0, nt * sizeof(*other));
		memset(wide, 0, (ncols + 1) * sizeof(*wide));
		for (j = 0; j < e->nrows; j++) {
			const int64_t *v = e->values + j * nt;
			size_t r = rank[e->keys[j]];

			if (r && r <= ncols) {
				if (s->opts.wide) {
					wide[r - 1] = v[s->opts.wide_column];
					continue;
				}
				if (c->first)
					write_prefix(s, c, e);
				write_row(s, c, e, agg_key(s->g, e->keys[j]),
					  v, nt);
				continue;
			}
			any_other = 1;
			for (t = 0; t < nt; t++)
				other[t] += v[t];
		}
		if (s->opts.wide) {
			write_prefix(s, c, e);
			for (j = 0; j < ncols; j++)
				csvout_i64(c, wide[j]);
			if (has_other)
				csvout_i64(c, other[s->opts.wide_column]);
			csvout_end(c);
		} else if (has_other && any_other) {
			if (c->first)
				write_prefix(s, c, e);
			write_row(s, c, e, other_name, other, nt);
		}
	}
	free(pk);
	free(rank);
	free(cols);
	free(other);
	free(wide);
}

int series_write(struct series *s, FILE *out)
{
	struct csvout c;
	int ret = 0;

	cmp_ctx = s;
	if (s->n)
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entries);
	csvout_init(&c, out);
	csvout_set_raw(&c, s->opts.csv_raw);
	if (keeps_snapshots(s)) {
		write_kept(s, &c);
	} else {
		write_header(s, &c, NULL, 0, 0);
		if (copy_spool(s, out) < 0)
			ret = -1;
	}
	csvout_release(&c);
	if (fflush(out) || ferror(out))
		ret = -1;
	return ret;
}

int series_parse_name(const char *path, char **target_out, int64_t *unix_out)
{
	return samplename_parse(path, target_out, unix_out);
}

void series_identify(const char *path, const char *target_opt,
		     struct rounds *rounds, int has_time, int64_t time_nanos,
		     int64_t mtime, char **target, int64_t *nanos)
{
	int64_t unix_secs = 0;
	int named = 0;

	if (!strcmp(path, "-"))
		*target = xstrdup("stdin");
	else
		named = series_parse_name(path, target, &unix_secs);
	if (target_opt) {
		free(*target);
		*target = xstrdup(target_opt);
	}
	/*
	 * The round before the profile: a proto's time_nanos is when Go
	 * wrote it, up to a second into the round, and a text dump or a pmap
	 * has none, so only the round's time puts them side by side.
	 */
	if (named)
		*nanos = rounds_time(rounds, path, unix_secs);
	else if (has_time)
		*nanos = time_nanos;
	else
		*nanos = mtime * 1000000000;
}

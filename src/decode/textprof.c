/* SPDX-License-Identifier: Apache-2.0 */
/* Building profiles from text dumps; shared by the text decoders. */
#include "decode/textprof.h"
#include "base/arena.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "decode/textscan.h"
#include "model/profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tframe {
	uint64_t pc;
	long func;		/* index in funcs, -1 unsymbolized */
	int64_t line;
};

struct tsample {
	size_t frame0, nframes;
	size_t value0;
	size_t label0, nlabels;
	long gor;		/* index in gors, -1 none */
};

struct tlabel {
	uint32_t key, val;	/* ids in strs */
};

struct tgor {
	struct prof_goroutine g;
	uint32_t state, created_by, created_at, creator_stack;	/* in strs */
};

struct tstat {
	uint32_t key, val;
};

struct textprof {
	struct profile *p;
	struct strmap *funcs;	/* "name\0file" */
	struct strmap *strs;
	struct tframe *frames;
	size_t nframes, capframes;
	struct tsample *samples;
	size_t nsamples, capsamples;
	int64_t *values;
	size_t nvalues, capvalues;
	struct tlabel *labels;
	size_t nlabels, caplabels;
	struct tgor *gors;
	size_t ngors, capgors;
	struct tstat *stats;
	size_t nstats, capstats;
};

struct textprof *textprof_new(struct profile *p)
{
	struct textprof *t = xcalloc(1, sizeof(*t));

	t->p = p;
	t->funcs = strmap_new();
	t->strs = strmap_new();
	return t;
}

void textprof_free(struct textprof *t)
{
	if (!t)
		return;
	strmap_free(t->funcs);
	strmap_free(t->strs);
	free(t->frames);
	free(t->samples);
	free(t->values);
	free(t->labels);
	free(t->gors);
	free(t->stats);
	free(t);
}

static uint32_t str_id(struct textprof *t, const char *s, size_t n)
{
	/* The model's strings are C strings: no NUL inside (util.c). */
	char *copy = text_nul_free(s, n, &n);
	uint32_t id = strmap_intern(t->strs, copy ? copy : s, n, NULL);

	free(copy);
	return id;
}

void textprof_sample(struct textprof *t, const int64_t *values)
{
	struct tsample *s;
	size_t nt = t->p->ntypes;

	t->samples = xgrow(t->samples, &t->capsamples, t->nsamples + 1,
			   sizeof(*t->samples));
	s = &t->samples[t->nsamples++];
	s->frame0 = t->nframes;
	s->nframes = 0;
	s->value0 = t->nvalues;
	s->label0 = t->nlabels;
	s->nlabels = 0;
	s->gor = -1;
	t->values = xgrow(t->values, &t->capvalues, t->nvalues + nt + 1,
			  sizeof(*t->values));
	memcpy(t->values + t->nvalues, values, nt * sizeof(*values));
	t->nvalues += nt;
}

static void add_frame(struct textprof *t, uint64_t pc, long func,
		      int64_t line)
{
	struct tframe *f;

	if (!t->nsamples)
		return;
	t->frames = xgrow(t->frames, &t->capframes, t->nframes + 1,
			  sizeof(*t->frames));
	f = &t->frames[t->nframes++];
	f->pc = pc;
	f->func = func;
	f->line = line;
	t->samples[t->nsamples - 1].nframes++;
}

void textprof_frame(struct textprof *t, uint64_t pc, const char *fn,
		    size_t fnlen, const char *file, size_t filelen,
		    int64_t line)
{
	char small[512], *key = small;
	char *fn_copy = text_nul_free(fn, fnlen, &fnlen);
	char *file_copy = text_nul_free(file, filelen, &filelen);
	size_t klen;
	uint32_t id;

	/* The key is "name NUL file": no NUL inside either (util.c). */
	if (fn_copy)
		fn = fn_copy;
	if (file_copy)
		file = file_copy;
	klen = fnlen + 1 + filelen;
	if (klen > sizeof(small))
		key = xmalloc(klen);
	memcpy(key, fn, fnlen);
	key[fnlen] = '\0';
	memcpy(key + fnlen + 1, file, filelen);
	id = strmap_intern(t->funcs, key, klen, NULL);
	if (key != small)
		free(key);
	free(fn_copy);
	free(file_copy);
	add_frame(t, pc, (long)id, line);
}

void textprof_addr(struct textprof *t, uint64_t pc)
{
	add_frame(t, pc, -1, 0);
}

size_t textprof_depth(const struct textprof *t)
{
	return t->nsamples ? t->samples[t->nsamples - 1].nframes : 0;
}

void textprof_label(struct textprof *t, const char *key, size_t keylen,
		    const char *val, size_t vallen)
{
	struct tlabel *l;

	if (!t->nsamples)
		return;
	t->labels = xgrow(t->labels, &t->caplabels, t->nlabels + 1,
			  sizeof(*t->labels));
	l = &t->labels[t->nlabels++];
	l->key = str_id(t, key, keylen);
	l->val = str_id(t, val, vallen);
	t->samples[t->nsamples - 1].nlabels++;
}

void textprof_goroutine(struct textprof *t, const struct prof_goroutine *g)
{
	struct tgor *tg;

	if (!t->nsamples)
		return;
	t->gors = xgrow(t->gors, &t->capgors, t->ngors + 1, sizeof(*t->gors));
	tg = &t->gors[t->ngors];
	tg->g = *g;
	tg->state = str_id(t, g->state, strlen(g->state));
	tg->created_by = str_id(t, g->created_by, strlen(g->created_by));
	tg->created_at = str_id(t, g->created_at, strlen(g->created_at));
	tg->creator_stack = str_id(t, g->creator_stack,
				   strlen(g->creator_stack));
	t->samples[t->nsamples - 1].gor = (long)t->ngors++;
}

void textprof_stat(struct textprof *t, const char *key, size_t keylen,
		   const char *val, size_t vallen)
{
	struct tstat *s;

	t->stats = xgrow(t->stats, &t->capstats, t->nstats + 1,
			 sizeof(*t->stats));
	s = &t->stats[t->nstats++];
	s->key = str_id(t, key, keylen);
	s->val = str_id(t, val, vallen);
}

/* Copies the interned strings into the arena, indexed by id. */
static const char **arena_strings(struct textprof *t, struct arena *a)
{
	size_t i, n = strmap_count(t->strs);
	const char **out = arena_calloc(a, n + 1, sizeof(*out));

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		out[i] = arena_strndup(a, strmap_str(t->strs, (uint32_t)i),
				       strmap_strlen(t->strs, (uint32_t)i));
		if (!out[i])
			return NULL;
	}
	return out;
}

static int finish_functions(struct textprof *t, struct arena *a)
{
	struct profile *p = t->p;
	size_t i, nf = strmap_count(t->funcs);

	p->nfunctions = nf;
	p->functions = arena_calloc(a, nf, sizeof(*p->functions));
	if (!p->functions)
		return -2;
	for (i = 0; i < nf; i++) {
		const char *key = strmap_str(t->funcs, (uint32_t)i);
		size_t kn = strmap_strlen(t->funcs, (uint32_t)i);
		size_t nn = strlen(key);
		struct prof_function *f = &p->functions[i];

		f->name = arena_strndup(a, key, nn);
		f->system_name = f->name;
		f->filename = arena_strndup(a, key + nn + 1, kn - nn - 1);
		if (!f->name || !f->filename)
			return -2;
	}
	return 0;
}

/* One location per frame: text dumps name each frame once. */
static int finish_locations(struct textprof *t, struct arena *a)
{
	struct profile *p = t->p;
	struct prof_line *lines;
	size_t i;

	p->nlocations = t->nframes;
	p->locations = arena_calloc(a, t->nframes, sizeof(*p->locations));
	lines = arena_calloc(a, t->nframes, sizeof(*lines));
	if (!p->locations || !lines)
		return -2;
	for (i = 0; i < t->nframes; i++) {
		struct prof_location *l = &p->locations[i];

		l->address = t->frames[i].pc;
		l->mapping = -1;
		if (t->frames[i].func < 0)
			continue;
		lines[i].func = (uint32_t)t->frames[i].func;
		lines[i].line = t->frames[i].line;
		l->lines = &lines[i];
		l->nlines = 1;
	}
	return 0;
}

static int finish_samples(struct textprof *t, struct arena *a,
			  const char **strs)
{
	struct profile *p = t->p;
	size_t i, j, nt = p->ntypes;

	p->nsamples = t->nsamples;
	p->samples = arena_calloc(a, t->nsamples, sizeof(*p->samples));
	if (!p->samples)
		return -2;
	if (t->ngors) {
		p->goroutines = arena_calloc(a, t->nsamples,
					     sizeof(*p->goroutines));
		if (!p->goroutines)
			return -2;
	}
	for (i = 0; i < t->nsamples; i++) {
		const struct tsample *ts = &t->samples[i];
		struct prof_sample *s = &p->samples[i];

		if (ts->nframes > UINT32_MAX || ts->nlabels > UINT32_MAX)
			return -2;
		s->nlocs = (uint32_t)ts->nframes;
		s->locs = arena_calloc(a, ts->nframes, sizeof(*s->locs));
		s->values = arena_calloc(a, nt, sizeof(*s->values));
		s->nlabels = (uint32_t)ts->nlabels;
		s->labels = arena_calloc(a, ts->nlabels, sizeof(*s->labels));
		if (!s->locs || !s->values || !s->labels)
			return -2;
		for (j = 0; j < ts->nframes; j++)
			s->locs[j] = (uint32_t)(ts->frame0 + j);
		if (nt)
			memcpy(s->values, t->values + ts->value0,
			       nt * sizeof(*s->values));
		for (j = 0; j < ts->nlabels; j++) {
			const struct tlabel *tl = &t->labels[ts->label0 + j];

			s->labels[j].key = strs[tl->key];
			s->labels[j].str = strs[tl->val];
			s->labels[j].num_unit = "";
		}
		if (p->goroutines) {
			struct prof_goroutine *g = &p->goroutines[i];

			if (ts->gor < 0) {
				g->id = -1;
				g->state = "";
				g->wait_minutes = -1;
				g->created_by = "";
				g->creator_id = -1;
				g->created_at = g->creator_stack = "";
				continue;
			}
			*g = t->gors[ts->gor].g;
			g->state = strs[t->gors[ts->gor].state];
			g->created_by = strs[t->gors[ts->gor].created_by];
			g->created_at = strs[t->gors[ts->gor].created_at];
			g->creator_stack =
				strs[t->gors[ts->gor].creator_stack];
		}
	}
	return 0;
}

int textprof_finish(struct textprof *t)
{
	struct profile *p = t->p;
	struct arena *a = p->arena;
	const char **strs = arena_strings(t, a);
	size_t i;
	int r;

	if (!strs)
		return -2;
	r = finish_functions(t, a);
	if (!r)
		r = finish_locations(t, a);
	if (!r)
		r = finish_samples(t, a, strs);
	if (r)
		return r;
	p->nstats = t->nstats;
	p->stats = arena_calloc(a, t->nstats, sizeof(*p->stats));
	if (!p->stats)
		return -2;
	for (i = 0; i < t->nstats; i++) {
		p->stats[i].key = strs[t->stats[i].key];
		p->stats[i].value = strs[t->stats[i].val];
	}
	return 0;
}

/*
 * Splits s at runs of tabs into at most 4 fields (Go pads its frame lines
 * with a tabwriter, so fields are separated by one tab or more). Returns
 * the number of fields; the last one runs to the end of s.
 */
static size_t tab_fields(const char *s, size_t n, const char *f[4])
{
	size_t nf = 0, i;

	f[nf++] = s;
	for (i = 0; i < n && nf < 4; i++) {
		if (s[i] != '\t')
			continue;
		while (i + 1 < n && s[i + 1] == '\t')
			i++;
		f[nf++] = s + i + 1;
	}
	return nf;
}

/*
 * The end of "name+0xOFF" without its offset from the function's entry.
 * The last '+' counts only when "0x" and more follow it: else it is part
 * of the name (C++'s "operator+").
 */
static const char *strip_offset(const char *name, const char *name_end)
{
	size_t i;

	for (i = (size_t)(name_end - name); i > 0; i--) {
		if (name[i - 1] != '+')
			continue;
		if (name_end - (name + i) > 2 && name[i] == '0' &&
		    name[i + 1] == 'x')
			return name + i - 1;
		break;
	}
	return name_end;
}

/*
 * "file:line" split at its last ':' (a path may hold colons), when all
 * after it is a line number; else the whole field is the file, line 0.
 */
static const char *split_line(const char *file, const char *end,
			      int64_t *lineno)
{
	const char *colon = NULL, *q;
	size_t i;

	*lineno = 0;
	for (i = (size_t)(end - file); i > 0; i--) {
		if (file[i - 1] == ':') {
			colon = file + i - 1;
			break;
		}
	}
	if (!colon)
		return end;
	q = colon + 1;
	if (text_parse_i64(&q, end, lineno) == 0 && q == end)
		return colon;
	*lineno = 0;
	return end;
}

int textprof_hash_frame(struct textprof *t, const char *s, size_t n)
{
	const char *end = s + n, *f[4];
	const char *name, *name_end, *file_end;
	size_t nf = tab_fields(s, n, f);
	char *num_end;
	unsigned long long pc;
	int64_t lineno;

	if (nf < 2 || f[1] >= end || !isxdigit((unsigned char)*f[1]))
		return -1;
	errno = 0;
	pc = strtoull(f[1], &num_end, 16);
	if (errno || num_end == f[1])
		return -1;
	if (nf < 4) {
		/* "#\t0xPC" alone: Go found no function at PC. */
		textprof_addr(t, pc);
		return 0;
	}
	name = f[2];
	name_end = f[3] - 1;
	while (name_end > name && name_end[-1] == '\t')
		name_end--;
	name_end = strip_offset(name, name_end);
	file_end = split_line(f[3], end, &lineno);
	textprof_frame(t, pc, name, (size_t)(name_end - name), f[3],
		       (size_t)(file_end - f[3]), lineno);
	return 0;
}

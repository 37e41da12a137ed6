/* SPDX-License-Identifier: Apache-2.0 */
/* profile.proto decoder: protobuf-c into the model, with pprof's rules. */
#include "decode/pprof.h"
#include "decode/limits.h"
#include "model/profile.h"
#include "base/arena.h"
#include "base/leaky.h"

#include <stdlib.h>
#include <string.h>

#include "proto/profile.pb-c.h"

typedef Perftools__Profiles__Profile PbProfile;

static void *arena_pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void arena_pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

/*
 * Walks the top-level fields of the wire format without decoding them:
 * catches two profiles appended in one file (a second time_nanos) and
 * non-protobuf bytes early, with a clearer message than protobuf-c gives.
 * On the way it sets the samples (field 2) apart from the rest (struct
 * split): protobuf-c unpacks the rest whole, and each sample on its own
 * into scratch memory, converted and then forgotten. Unpacked all at
 * once, the samples' message structs and 64-bit location ids took eight
 * times the profile's bytes, alive together with the model made of them.
 */
static int read_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;
	unsigned shift = 0;

	while (p < end && shift < 64) {
		uint8_t b = *p++;

		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*v = r;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

struct split {
	uint8_t *rest;		/* every field but the samples, in order */
	size_t nrest;
	struct range {
		const uint8_t *p;	/* a sample's encoded message */
		size_t len;
	} *samples;
	size_t nsamples, cap;
};

static void split_release(struct split *sp)
{
	free(sp->rest);
	free(sp->samples);
}

static int prescan(const char *name, const uint8_t *p, size_t len,
		   struct split *sp)
{
	const uint8_t *end = p + len;
	int ntime = 0;

	sp->rest = xmalloc(len + 1);
	while (p < end) {
		const uint8_t *field = p;
		uint64_t key, v = 0;

		if (read_varint(&p, end, &key) < 0 || (key >> 3) == 0)
			goto bad;
		switch (key & 7) {
		case 0:
			if (read_varint(&p, end, &v) < 0)
				goto bad;
			break;
		case 1:
			if (end - p < 8)
				goto bad;
			p += 8;
			break;
		case 2:
			if (read_varint(&p, end, &v) < 0 ||
			    v > (uint64_t)(end - p))
				goto bad;
			p += v;
			break;
		case 5:
			if (end - p < 4)
				goto bad;
			p += 4;
			break;
		default:
			goto bad;
		}
		if ((key >> 3) == 9 && ++ntime > 1) {
			error("%s: two profiles concatenated in one file "
			      "(second time_nanos)", name);
			return -1;
		}
		if (key == (2 << 3 | 2)) {
			sp->samples = xgrow(sp->samples, &sp->cap,
					    sp->nsamples + 1,
					    sizeof(*sp->samples));
			sp->samples[sp->nsamples].p = p - v;
			sp->samples[sp->nsamples++].len = (size_t)v;
		} else {
			memcpy(sp->rest + sp->nrest, field, (size_t)(p - field));
			sp->nrest += (size_t)(p - field);
		}
	}
	return 0;
bad:
	error("%s: not a pprof profile (malformed protobuf)", name);
	return -1;
}

/*
 * protobuf-c hands strings over NUL-terminated, so a name with a NUL inside
 * ("main.a\0one", "main.a\0two") would end at it, and two functions merge.
 * Walks the string_table entries (field 6) of the wire bytes prescan()
 * accepted and gives each that holds a NUL its whole length back, a NUL
 * becoming U+FFFD (as leaky's output shows a NUL). Returns 0, or -2 when
 * the arena is out of budget.
 */
static int keep_nuls(PbProfile *pb, struct arena *a, const uint8_t *p,
		     size_t len)
{
	const uint8_t *end = p + len;
	size_t k = 0;

	while (p < end) {
		uint64_t key, v = 0;

		if (read_varint(&p, end, &key) < 0)
			return 0;
		switch (key & 7) {
		case 0:
			read_varint(&p, end, &v);
			continue;
		case 1:
			p += 8;
			continue;
		case 5:
			p += 4;
			continue;
		}
		read_varint(&p, end, &v);
		if ((key >> 3) == 6 && k < pb->n_string_table) {
			if (memchr(p, 0, (size_t)v)) {
				char *q = arena_alloc(a, 3 * (size_t)v + 1);
				size_t i, o = 0;

				if (!q)
					return -2;
				for (i = 0; i < v; i++) {
					if (p[i]) {
						q[o++] = (char)p[i];
						continue;
					}
					memcpy(q + o, "\xef\xbf\xbd", 3);
					o += 3;
				}
				q[o] = '\0';
				pb->string_table[k] = q;
			}
			k++;
		}
		p += v;
	}
	return 0;
}

/* Maps arbitrary nonzero ids to array indexes: dense array or sorted. */
struct idpair {
	uint64_t id;
	uint32_t idx;
};

struct idmap {
	uint64_t maxid;
	uint32_t *dense;	/* idx + 1; 0 = absent */
	struct idpair *sorted;
	size_t n;
};

static int cmp_idpair(const void *a, const void *b)
{
	const struct idpair *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* ids[i*stride] style access would be overkill: callers pass a flat array. */
static int idmap_build(struct idmap *m, struct arena *a, const uint64_t *ids,
		       size_t n, const char *name, const char *what)
{
	size_t i;
	uint64_t maxid = 0;

	memset(m, 0, sizeof(*m));
	m->n = n;
	for (i = 0; i < n; i++) {
		if (ids[i] == 0) {
			error("%s: invalid profile: %s id 0", name, what);
			return -1;
		}
		if (ids[i] > maxid)
			maxid = ids[i];
	}
	m->maxid = maxid;
	if (maxid <= 2 * (uint64_t)n + 64) {
		m->dense = arena_calloc(a, (size_t)maxid + 1,
					sizeof(*m->dense));
		if (!m->dense)
			return -2;
		for (i = 0; i < n; i++) {
			if (m->dense[ids[i]]) {
				error("%s: invalid profile: duplicate %s id "
				      "%llu", name, what,
				      (unsigned long long)ids[i]);
				return -1;
			}
			m->dense[ids[i]] = (uint32_t)i + 1;
		}
		return 0;
	}
	m->sorted = arena_calloc(a, n, sizeof(*m->sorted));
	if (!m->sorted)
		return -2;
	for (i = 0; i < n; i++) {
		m->sorted[i].id = ids[i];
		m->sorted[i].idx = (uint32_t)i;
	}
	qsort(m->sorted, n, sizeof(*m->sorted), cmp_idpair);
	for (i = 1; i < n; i++) {
		if (m->sorted[i].id == m->sorted[i - 1].id) {
			error("%s: invalid profile: duplicate %s id %llu", name,
			      what, (unsigned long long)m->sorted[i].id);
			return -1;
		}
	}
	return 0;
}

static long idmap_get(const struct idmap *m, uint64_t id)
{
	size_t lo = 0, hi = m->n;

	if (id == 0 || id > m->maxid)
		return -1;
	if (m->dense)
		return (long)m->dense[id] - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->sorted[mid].id < id)
			lo = mid + 1;
		else if (m->sorted[mid].id > id)
			hi = mid;
		else
			return m->sorted[mid].idx;
	}
	return -1;
}

struct conv {
	const char *name;
	const PbProfile *pb;
	struct profile *p;
	struct arena *a;
	const struct split *sp;
	struct arena *scratch;	/* the samples' messages, a batch at a time */
	size_t budget;		/* --max-memory's share of p and scratch */
};

/* Resolves a string table index; NULL (after a report) when invalid. */
static const char *str_at(struct conv *c, int64_t idx, const char *field)
{
	if (idx < 0 || (uint64_t)idx >= c->pb->n_string_table) {
		error("%s: invalid profile: %s string index %lld out of range "
		      "(table has %zu)", c->name, field, (long long)idx,
		      c->pb->n_string_table);
		return NULL;
	}
	return c->pb->string_table[idx];
}

static int conv_types(struct conv *c)
{
	const PbProfile *pb = c->pb;
	struct profile *p = c->p;
	size_t i;

	p->ntypes = pb->n_sample_type;
	p->types = arena_calloc(c->a, p->ntypes, sizeof(*p->types));
	if (!p->types)
		return -2;
	for (i = 0; i < p->ntypes; i++) {
		p->types[i].type = str_at(c, pb->sample_type[i]->type,
					  "sample_type.type");
		p->types[i].unit = str_at(c, pb->sample_type[i]->unit,
					  "sample_type.unit");
		if (!p->types[i].type || !p->types[i].unit)
			return -1;
	}
	/* pprof shows the last type unless default_sample_type names one. */
	p->default_type = p->ntypes ? p->ntypes - 1 : 0;
	if (pb->default_sample_type) {
		const char *def = str_at(c, pb->default_sample_type,
					 "default_sample_type");

		if (!def)
			return -1;
		for (i = 0; i < p->ntypes; i++)
			if (!strcmp(p->types[i].type, def))
				p->default_type = i;
	}
	if (pb->period_type) {
		p->period_type.type = str_at(c, pb->period_type->type,
					     "period_type.type");
		p->period_type.unit = str_at(c, pb->period_type->unit,
					     "period_type.unit");
		if (!p->period_type.type || !p->period_type.unit)
			return -1;
	} else {
		p->period_type.type = "";
		p->period_type.unit = "";
	}
	p->period = pb->period;
	p->time_nanos = pb->time_nanos;
	p->has_time = pb->time_nanos != 0;
	p->duration_nanos = pb->duration_nanos;
	p->ncomments = pb->n_comment;
	p->comments = arena_calloc(c->a, pb->n_comment, sizeof(char *));
	if (!p->comments)
		return -2;
	for (i = 0; i < pb->n_comment; i++) {
		p->comments[i] = str_at(c, pb->comment[i], "comment");
		if (!p->comments[i])
			return -1;
	}
	/* Applied later, by profile_prune_frames() (reader.c calls it). */
	p->drop_frames = str_at(c, pb->drop_frames, "drop_frames");
	p->keep_frames = str_at(c, pb->keep_frames, "keep_frames");
	if (!p->drop_frames || !p->keep_frames ||
	    !str_at(c, pb->doc_url, "doc_url"))
		return -1;
	return 0;
}

static uint64_t *id_array(struct arena *a, size_t n)
{
	return arena_calloc(a, n, sizeof(uint64_t));
}

static int conv_functions(struct conv *c, struct idmap *fm)
{
	const PbProfile *pb = c->pb;
	struct profile *p = c->p;
	uint64_t *ids = id_array(c->a, pb->n_function);
	size_t i;
	int r;

	p->nfunctions = pb->n_function;
	p->functions = arena_calloc(c->a, p->nfunctions,
				    sizeof(*p->functions));
	if (!ids || !p->functions)
		return -2;
	for (i = 0; i < pb->n_function; i++) {
		const Perftools__Profiles__Function *f = pb->function[i];
		struct prof_function *pf = &p->functions[i];

		ids[i] = f->id;
		pf->name = str_at(c, f->name, "function.name");
		pf->system_name = str_at(c, f->system_name,
					 "function.system_name");
		pf->filename = str_at(c, f->filename, "function.filename");
		pf->start_line = f->start_line;
		if (!pf->name || !pf->system_name || !pf->filename)
			return -1;
	}
	r = idmap_build(fm, c->a, ids, pb->n_function, c->name, "function");
	return r;
}

static int conv_mappings(struct conv *c, struct idmap *mm)
{
	const PbProfile *pb = c->pb;
	struct profile *p = c->p;
	uint64_t *ids = id_array(c->a, pb->n_mapping);
	size_t i;

	p->nmappings = pb->n_mapping;
	p->mappings = arena_calloc(c->a, p->nmappings, sizeof(*p->mappings));
	if (!ids || !p->mappings)
		return -2;
	for (i = 0; i < pb->n_mapping; i++) {
		const Perftools__Profiles__Mapping *m = pb->mapping[i];
		struct prof_mapping *pm = &p->mappings[i];

		ids[i] = m->id;
		pm->start = m->memory_start;
		pm->limit = m->memory_limit;
		pm->offset = m->file_offset;
		pm->filename = str_at(c, m->filename, "mapping.filename");
		pm->build_id = str_at(c, m->build_id, "mapping.build_id");
		if (!pm->filename || !pm->build_id)
			return -1;
	}
	return idmap_build(mm, c->a, ids, pb->n_mapping, c->name, "mapping");
}

/*
 * A location's lines. They stay in wire order: with inlining, line[0] is
 * the innermost function and the last line the one the address really
 * is in. Flat value goes to line[0] of a sample's first location, and a
 * stack reads leaf first across locations and, within one, across its
 * lines.
 */
static int conv_lines(struct conv *c, const struct idmap *fm,
		      const Perftools__Profiles__Location *l,
		      struct prof_location *pl)
{
	size_t j;

	pl->nlines = (uint32_t)l->n_line;
	pl->lines = arena_calloc(c->a, l->n_line, sizeof(*pl->lines));
	if (!pl->lines)
		return -2;
	for (j = 0; j < l->n_line; j++) {
		const Perftools__Profiles__Line *ln = l->line[j];
		long f = -1;

		if (ln->function_id) {
			f = idmap_get(fm, ln->function_id);
			if (f < 0) {
				error("%s: invalid profile: location %llu "
				      "names missing function %llu", c->name,
				      (unsigned long long)l->id,
				      (unsigned long long)ln->function_id);
				return -1;
			}
		}
		/*
		 * function_id 0 is a line without a function (an
		 * unsymbolized frame): pprof names it after the mapping
		 * (profile_unnamed_frame), so keep it.
		 */
		pl->lines[j].func = f < 0 ? UINT32_MAX : (uint32_t)f;
		pl->lines[j].line = ln->line;
	}
	return 0;
}

/*
 * A location without lines is an unsymbolized address; mapping_id 0
 * means no mapping.
 */
static int conv_locations(struct conv *c, const struct idmap *fm,
			  const struct idmap *mm, struct idmap *lm)
{
	const PbProfile *pb = c->pb;
	struct profile *p = c->p;
	uint64_t *ids = id_array(c->a, pb->n_location);
	size_t i;
	int r;

	p->nlocations = pb->n_location;
	p->locations = arena_calloc(c->a, p->nlocations,
				    sizeof(*p->locations));
	if (!ids || !p->locations)
		return -2;
	for (i = 0; i < pb->n_location; i++) {
		const Perftools__Profiles__Location *l = pb->location[i];
		struct prof_location *pl = &p->locations[i];

		ids[i] = l->id;
		pl->address = l->address;
		pl->mapping = -1;
		if (l->mapping_id) {
			long m = idmap_get(mm, l->mapping_id);

			if (m < 0) {
				error("%s: invalid profile: location %llu "
				      "names missing mapping %llu", c->name,
				      (unsigned long long)l->id,
				      (unsigned long long)l->mapping_id);
				return -1;
			}
			pl->mapping = (int32_t)m;
		}
		r = conv_lines(c, fm, l, pl);
		if (r < 0)
			return r;
	}
	return idmap_build(lm, c->a, ids, pb->n_location, c->name,
			   "location");
}

/*
 * A sample's location ids into indexes. location_id is leaf first, as the
 * producer wrote it: kept so, for flat (the leaf) and cum (every distinct
 * function on the stack) in agg.c to read it the way pprof does.
 */
static int conv_sample_locs(struct conv *c, const struct idmap *lm,
			    size_t i, const Perftools__Profiles__Sample *s,
			    struct prof_sample *ps)
{
	size_t j;

	ps->nlocs = (uint32_t)s->n_location_id;
	ps->locs = arena_calloc(c->a, s->n_location_id, sizeof(*ps->locs));
	if (!ps->locs)
		return -2;
	for (j = 0; j < s->n_location_id; j++) {
		long l = idmap_get(lm, s->location_id[j]);

		if (l < 0) {
			error("%s: invalid profile: sample %zu names missing "
			      "location %llu", c->name, i,
			      (unsigned long long)s->location_id[j]);
			return -1;
		}
		ps->locs[j] = (uint32_t)l;
	}
	return 0;
}

/*
 * A sample's labels. A label is a string (str) or a number (num, in
 * num_unit); str index 0, the empty string, is how the format says "no
 * string", so str stays NULL then and the label is a numeric one. Every
 * index is checked before the label is refused, so that each bad one is
 * reported.
 */
static int conv_labels(struct conv *c, const Perftools__Profiles__Sample *s,
		       struct prof_sample *ps)
{
	size_t j;

	ps->nlabels = (uint32_t)s->n_label;
	ps->labels = arena_calloc(c->a, s->n_label, sizeof(*ps->labels));
	if (!ps->labels)
		return -2;
	for (j = 0; j < s->n_label; j++) {
		const Perftools__Profiles__Label *lb = s->label[j];
		struct prof_label *pl = &ps->labels[j];

		pl->key = str_at(c, lb->key, "label.key");
		pl->num = lb->num;
		pl->num_unit = str_at(c, lb->num_unit, "label.num_unit");
		pl->str = NULL;
		if (lb->str) {
			pl->str = str_at(c, lb->str, "label.str");
			if (!pl->str)
				return -1;
		}
		if (!pl->key || !pl->num_unit)
			return -1;
	}
	return 0;
}

/* Samples unpacked between two resets of the scratch arena. */
#define SAMPLE_BATCH 256

/*
 * Sample i unpacked by protobuf-c into the scratch arena, which is reset
 * every SAMPLE_BATCH samples (the model keeps nothing of it); NULL with
 * -2 in *r when out of --max-memory, -1 when it does not decode.
 */
static const Perftools__Profiles__Sample *unpack_sample(struct conv *c,
							size_t i, int *r)
{
	ProtobufCAllocator alloc = {
		.alloc = arena_pb_alloc,
		.free = arena_pb_free,
		.allocator_data = c->scratch,
	};
	const Perftools__Profiles__Sample *s;
	size_t used = arena_used(c->a);

	if (i % SAMPLE_BATCH == 0) {
		arena_reset(c->scratch);
		/* What the model leaves of the budget. */
		arena_set_budget(c->scratch, used < c->budget ?
				 c->budget - used : 1);
	}
	s = perftools__profiles__sample__unpack(&alloc, c->sp->samples[i].len,
						 c->sp->samples[i].p);
	if (!s) {
		*r = arena_exhausted(c->scratch) ? -2 : -1;
		if (*r == -1)
			error("%s: not a pprof profile (protobuf decoding "
			      "failed)", c->name);
	}
	return s;
}

static int conv_samples(struct conv *c, const struct idmap *lm)
{
	const PbProfile *pb = c->pb;
	struct profile *p = c->p;
	size_t i;
	int r;

	if (c->sp->nsamples && !pb->n_sample_type) {
		error("%s: invalid profile: samples without sample types",
		      c->name);
		return -1;
	}
	p->nsamples = c->sp->nsamples;
	p->samples = arena_calloc(c->a, p->nsamples, sizeof(*p->samples));
	if (!p->samples)
		return -2;
	for (i = 0; i < p->nsamples; i++) {
		const Perftools__Profiles__Sample *s = unpack_sample(c, i, &r);
		struct prof_sample *ps = &p->samples[i];

		if (!s)
			return r;
		/* Value k is of sample_type k: one per type, no fewer. */
		if (s->n_value != pb->n_sample_type) {
			error("%s: invalid profile: sample %zu has %zu values "
			      "for %zu sample types", c->name, i, s->n_value,
			      pb->n_sample_type);
			return -1;
		}
		/* The model counts locations and labels in 32 bits. */
		if (s->n_location_id > UINT32_MAX || s->n_label > UINT32_MAX) {
			error("%s: invalid profile: sample %zu too large",
			      c->name, i);
			return -1;
		}
		/* Out of the scratch arena, which the next batch reuses. */
		ps->values = arena_alloc(c->a, s->n_value * sizeof(*ps->values));
		if (!ps->values)
			return -2;
		if (s->n_value)
			memcpy(ps->values, s->value,
			       s->n_value * sizeof(*ps->values));
		r = conv_sample_locs(c, lm, i, s, ps);
		if (!r)
			r = conv_labels(c, s, ps);
		if (r < 0)
			return r;
	}
	return 0;
}

struct profile *pprof_decode(const char *name, const uint8_t *data,
			     size_t len, const struct prof_limits *lim)
{
	struct profile *p = profile_new(lim->max_memory);
	ProtobufCAllocator alloc = {
		.alloc = arena_pb_alloc,
		.free = arena_pb_free,
		.allocator_data = p->arena,
	};
	struct split sp = { 0 };
	struct conv c = {
		.name = name, .p = p, .a = p->arena, .sp = &sp,
		.scratch = arena_new(lim->max_memory),
		.budget = lim->max_memory,
	};
	struct idmap fm, mm, lm;
	PbProfile *pb;
	int r;

	p->format = PROF_PPROF;
	if (len == 0) {
		error("%s: empty profile", name);
		goto fail;
	}
	if (prescan(name, data, len, &sp) < 0)
		goto fail;
	/*
	 * The model and the unpacked rest take 3.5 to 7 times the encoded
	 * bytes (the 40k-sample profile: 3.5x): a large profile's memory in
	 * one piece, huge pages, instead of a dozen growing blocks.
	 */
	if (len < SIZE_MAX / 4)
		arena_reserve(p->arena, 4 * len);
	/* Every field but the samples: these are unpacked one by one. */
	pb = perftools__profiles__profile__unpack(&alloc, sp.nrest, sp.rest);
	c.pb = pb;
	if (!pb) {
		if (arena_exhausted(p->arena))
			goto toobig;
		error("%s: not a pprof profile (protobuf decoding failed)",
		      name);
		goto fail;
	}
	if (keep_nuls(pb, p->arena, sp.rest, sp.nrest) < 0)
		goto toobig;
	/*
	 * The format fixes string_table[0] as "": index 0 stands for "no
	 * string" in every field, so a table without it is not a profile.
	 */
	if (c.pb->n_string_table == 0 || c.pb->string_table[0][0] != '\0') {
		error("%s: invalid profile: string_table[0] must be empty",
		      name);
		goto fail;
	}
	r = conv_types(&c);
	if (!r)
		r = conv_functions(&c, &fm);
	if (!r)
		r = conv_mappings(&c, &mm);
	if (!r)
		r = conv_locations(&c, &fm, &mm, &lm);
	if (!r)
		r = conv_samples(&c, &lm);
	if (r == -2)
		goto toobig;
	if (r < 0)
		goto fail;
	arena_free(c.scratch);
	split_release(&sp);
	return profile_checked(p, name);
toobig:
	profile_report_too_big(name, lim);
fail:
	arena_free(c.scratch);
	split_release(&sp);
	profile_free(p);
	return NULL;
}

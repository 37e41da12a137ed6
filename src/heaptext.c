/* Legacy heap?debug=1 text: records, their '#' frames, runtime.MemStats. */
#include "profile.h"
#include "arena.h"
#include "leaky.h"
#include "strmap.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char header_prefix[] = "heap profile:";

int heaptext_sniff(const char *text, size_t len)
{
	size_t k = sizeof(header_prefix) - 1;

	return len >= k && !strncasecmp(text, header_prefix, k);
}

/* Line cursor over the text; lines exclude the newline. */
struct cursor {
	const char *p, *end;
	size_t lineno;
};

static int next_line(struct cursor *c, const char **line, size_t *n)
{
	const char *nl;

	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*line = c->p;
	*n = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	c->p = nl ? nl + 1 : c->end;
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	c->lineno++;
	return 1;
}

static void skip_spaces(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

static int parse_i64(const char **s, const char *end, int64_t *v)
{
	int64_t r = 0;
	const char *p = *s;

	if (p >= end || !isdigit((unsigned char)*p))
		return -1;
	while (p < end && isdigit((unsigned char)*p)) {
		if (r > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		r = r * 10 + (*p - '0');
		p++;
	}
	*s = p;
	*v = r;
	return 0;
}

static int expect(const char **s, const char *end, char ch)
{
	skip_spaces(s, end);
	if (*s >= end || **s != ch)
		return -1;
	(*s)++;
	skip_spaces(s, end);
	return 0;
}

/* "A: B [C: D]" as in both the header and each record. */
static int parse_counts(const char **s, const char *end, int64_t v[4])
{
	skip_spaces(s, end);
	if (parse_i64(s, end, &v[0]) || expect(s, end, ':') ||
	    parse_i64(s, end, &v[1]) || expect(s, end, '[') ||
	    parse_i64(s, end, &v[2]) || expect(s, end, ':') ||
	    parse_i64(s, end, &v[3]) || expect(s, end, ']') ||
	    expect(s, end, '@'))
		return -1;
	return 0;
}

/*
 * Go's scaling of sampled heap records (pprof's scaleHeapSample): the
 * estimate of what a record with count objects of size bytes stands for.
 */
static void scale_heap(int64_t *count, int64_t *size, int64_t rate)
{
	double avg, scale;

	if (*count == 0 || *size == 0) {
		*count = 0;
		*size = 0;
		return;
	}
	if (rate <= 1)
		return;
	avg = (double)*size / (double)*count;
	scale = 1 / (1 - exp(-avg / (double)rate));
	*count = (int64_t)((double)*count * scale);
	*size = (int64_t)((double)*size * scale);
}

/* Growable arrays used while parsing, copied into the arena at the end. */
struct parse {
	const char *name;
	struct profile *p;
	struct strmap *funcs;	/* "name\0file" */
	struct prof_location *locs;
	size_t nlocs, caplocs;
	struct prof_sample *samples;
	size_t nsamples, capsamples;
	uint32_t *stack;	/* all samples' location indexes */
	size_t nstack, capstack;
	int64_t *values;
	size_t nvalues, capvalues;
	struct prof_stat *stats;
	size_t nstats, capstats;
	size_t sample_stack_start;
};

/*
 * Adds a location of at most one line. Until finish() the function index
 * rides in .mapping (-1 for an unsymbolized frame) and the line number in
 * the separate lines array.
 */
static uint32_t add_location(struct parse *ps, uint64_t addr, long func)
{
	struct prof_location *l;

	if (ps->nlocs >= UINT32_MAX - 1)
		die("too many locations");
	ps->locs = xgrow(ps->locs, &ps->caplocs, ps->nlocs + 1,
			 sizeof(*ps->locs));
	l = &ps->locs[ps->nlocs];
	l->address = addr;
	l->lines = NULL;
	l->nlines = func < 0 ? 0 : 1;
	l->mapping = func < 0 ? -1 : (int32_t)func;
	return (uint32_t)ps->nlocs++;
}

static void push_stack(struct parse *ps, uint32_t loc)
{
	ps->stack = xgrow(ps->stack, &ps->capstack, ps->nstack + 1,
			  sizeof(*ps->stack));
	ps->stack[ps->nstack++] = loc;
}

/* Parses "#\t0xPC\tname+0xOFF\tfile:line"; returns 0, or -1 if malformed. */
static int parse_frame(struct parse *ps, const char *s, size_t n,
		       size_t *nlines_cap, int64_t **lines)
{
	const char *end = s + n, *f[4];
	size_t nf = 0, i;
	const char *name, *name_end, *file, *file_end, *colon;
	char *num_end;
	unsigned long long pc;
	int64_t lineno = 0;
	char key[8192];
	size_t klen;
	uint32_t fid;
	int added;

	/* Fields are separated by runs of tabs (Go pads with a tabwriter). */
	f[nf++] = s;
	for (i = 0; i < n && nf < 4; i++) {
		if (s[i] != '\t')
			continue;
		while (i + 1 < n && s[i + 1] == '\t')
			i++;
		f[nf++] = s + i + 1;
	}
	if (nf < 2)
		return -1;
	errno = 0;
	pc = strtoull(f[1], &num_end, 16);
	if (errno || num_end == f[1])
		return -1;
	if (nf < 4) {
		/* "#\t0xPC" alone: an unsymbolized frame. */
		push_stack(ps, add_location(ps, pc, -1));
		return 0;
	}
	name = f[2];
	name_end = f[3] - 1;
	while (name_end > name && name_end[-1] == '\t')
		name_end--;
	/* Strip the "+0xOFF" suffix, found from the right. */
	for (i = (size_t)(name_end - name); i > 0; i--) {
		if (name[i - 1] == '+') {
			if (name_end - (name + i) > 2 && name[i] == '0' &&
			    name[i + 1] == 'x')
				name_end = name + i - 1;
			break;
		}
	}
	file = f[3];
	file_end = end;
	colon = NULL;
	for (i = (size_t)(file_end - file); i > 0; i--) {
		if (file[i - 1] == ':') {
			colon = file + i - 1;
			break;
		}
	}
	if (colon) {
		const char *q = colon + 1;

		if (parse_i64(&q, end, &lineno) == 0 && q == end)
			file_end = colon;
		else
			lineno = 0;
	}
	klen = (size_t)(name_end - name) + 1 + (size_t)(file_end - file);
	if (klen > sizeof(key))
		return -1;
	memcpy(key, name, (size_t)(name_end - name));
	key[name_end - name] = '\0';
	memcpy(key + (name_end - name) + 1, file, (size_t)(file_end - file));
	fid = strmap_intern(ps->funcs, key, klen, &added);
	*lines = xgrow(*lines, nlines_cap, ps->nlocs + 1, sizeof(**lines));
	(*lines)[ps->nlocs] = lineno;
	push_stack(ps, add_location(ps, pc, (long)fid));
	return 0;
}

static void add_stat(struct parse *ps, const char *k, size_t kn,
		     const char *suffix, const char *v, size_t vn)
{
	struct arena *a = ps->p->arena;
	size_t sn = strlen(suffix);
	char *key = arena_alloc(a, kn + sn + 1);

	if (!key)
		return;
	memcpy(key, k, kn);
	memcpy(key + kn, suffix, sn + 1);
	ps->stats = xgrow(ps->stats, &ps->capstats, ps->nstats + 1,
			  sizeof(*ps->stats));
	ps->stats[ps->nstats].key = key;
	ps->stats[ps->nstats].value = arena_strndup(a, v, vn);
	if (ps->stats[ps->nstats].value)
		ps->nstats++;
}

/* "# Key = value": scalars kept, "a / b" split into Inuse/Sys, arrays left. */
static void parse_stat(struct parse *ps, const char *s, size_t n)
{
	const char *end = s + n, *k, *eq, *v, *slash;
	size_t kn;

	if (n < 2 || s[0] != '#')
		return;
	k = s + 1;
	skip_spaces(&k, end);
	eq = memchr(k, '=', (size_t)(end - k));
	if (!eq)
		return;
	kn = (size_t)(eq - k);
	while (kn && (k[kn - 1] == ' ' || k[kn - 1] == '\t'))
		kn--;
	if (!kn)
		return;
	v = eq + 1;
	skip_spaces(&v, end);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (v < end && *v == '[')
		return;
	slash = memchr(v, '/', (size_t)(end - v));
	if (slash) {
		const char *a_end = slash, *b = slash + 1;

		while (a_end > v && a_end[-1] == ' ')
			a_end--;
		skip_spaces(&b, end);
		add_stat(ps, k, kn, "Inuse", v, (size_t)(a_end - v));
		add_stat(ps, k, kn, "Sys", b, (size_t)(end - b));
		return;
	}
	add_stat(ps, k, kn, "", v, (size_t)(end - v));
}

static int finish(struct parse *ps, const int64_t *lines)
{
	struct profile *p = ps->p;
	struct arena *a = p->arena;
	size_t i, nf = strmap_count(ps->funcs), off = 0;
	struct prof_line *plines;

	p->nfunctions = nf;
	p->functions = arena_calloc(a, nf, sizeof(*p->functions));
	p->nlocations = ps->nlocs;
	p->locations = arena_calloc(a, ps->nlocs, sizeof(*p->locations));
	plines = arena_calloc(a, ps->nlocs, sizeof(*plines));
	p->nsamples = ps->nsamples;
	p->samples = arena_calloc(a, ps->nsamples, sizeof(*p->samples));
	p->stats = arena_calloc(a, ps->nstats, sizeof(*p->stats));
	if (!p->functions || !p->locations || !plines || !p->samples ||
	    !p->stats)
		return -2;
	for (i = 0; i < nf; i++) {
		const char *key = strmap_str(ps->funcs, (uint32_t)i);
		size_t kn = strmap_strlen(ps->funcs, (uint32_t)i);
		size_t nn = strlen(key);

		p->functions[i].name = arena_strndup(a, key, nn);
		p->functions[i].system_name = p->functions[i].name;
		p->functions[i].filename =
			arena_strndup(a, key + nn + 1, kn - nn - 1);
		if (!p->functions[i].name || !p->functions[i].filename)
			return -2;
	}
	for (i = 0; i < ps->nlocs; i++) {
		struct prof_location *l = &p->locations[i];

		*l = ps->locs[i];
		if (l->nlines) {
			plines[i].func = (uint32_t)ps->locs[i].mapping;
			plines[i].line = lines[i];
			l->lines = &plines[i];
		}
		l->mapping = -1;
	}
	for (i = 0; i < ps->nsamples; i++) {
		struct prof_sample *s = &p->samples[i];

		*s = ps->samples[i];
		s->locs = arena_calloc(a, s->nlocs, sizeof(*s->locs));
		s->values = arena_calloc(a, 4, sizeof(*s->values));
		if (!s->locs || !s->values)
			return -2;
		if (s->nlocs)
			memcpy(s->locs, ps->stack + off,
			       s->nlocs * sizeof(*s->locs));
		memcpy(s->values, ps->values + 4 * i, 4 * sizeof(*s->values));
		off += s->nlocs;
	}
	if (ps->nstats)
		memcpy(p->stats, ps->stats, ps->nstats * sizeof(*p->stats));
	p->nstats = ps->nstats;
	return 0;
}

/* Opens a sample; its frames follow as '#' lines (or its addresses). */
static void open_sample(struct parse *ps, const int64_t v[4])
{
	struct prof_sample *s;

	ps->samples = xgrow(ps->samples, &ps->capsamples, ps->nsamples + 1,
			    sizeof(*ps->samples));
	s = &ps->samples[ps->nsamples++];
	memset(s, 0, sizeof(*s));
	ps->values = xgrow(ps->values, &ps->capvalues, ps->nvalues + 4,
			   sizeof(*ps->values));
	memcpy(ps->values + ps->nvalues, v, 4 * sizeof(*v));
	ps->nvalues += 4;
	ps->sample_stack_start = ps->nstack;
}

static void close_sample(struct parse *ps, const char *addrs,
			 const char *addrs_end)
{
	struct prof_sample *s;

	if (!ps->nsamples)
		return;
	s = &ps->samples[ps->nsamples - 1];
	if (ps->nstack == ps->sample_stack_start && addrs) {
		/* No '#' frames: keep the bare addresses. */
		const char *q = addrs;

		while (q < addrs_end) {
			char *e;
			unsigned long long pc;

			skip_spaces(&q, addrs_end);
			if (q >= addrs_end)
				break;
			pc = strtoull(q, &e, 16);
			if (e == q)
				break;
			push_stack(ps, add_location(ps, pc, -1));
			q = e;
		}
	}
	s->nlocs = (uint32_t)(ps->nstack - ps->sample_stack_start);
}

struct profile *heaptext_decode(const char *name, const char *text,
				size_t len, const struct prof_limits *lim)
{
	struct parse ps = { .name = name };
	struct cursor c = { .p = text, .end = text + len };
	const char *line, *s, *end, *rec_addrs = NULL, *rec_addrs_end = NULL;
	size_t n, nlines_cap = 0;
	int64_t hv[4], rate = 0, *lines = NULL;
	int in_stats = 0, in_record = 0, r;
	struct profile *p;
	static const struct prof_value_type heap_types[4] = {
		{ "alloc_objects", "count" },
		{ "alloc_space", "bytes" },
		{ "inuse_objects", "count" },
		{ "inuse_space", "bytes" },
	};

	p = profile_new(lim->max_memory);
	ps.p = p;
	ps.funcs = strmap_new();
	p->format = PROF_HEAP_TEXT;
	if (!next_line(&c, &line, &n))
		goto bad_header;
	s = line + sizeof(header_prefix) - 1;
	end = line + n;
	if (parse_counts(&s, end, hv) < 0)
		goto bad_header;
	skip_spaces(&s, end);
	{
		/* heap/N (rate N/2), heap_v2/N (rate N), heapprofile (none) */
		const char *kind = s, *slash;
		size_t kn;

		slash = memchr(s, '/', (size_t)(end - s));
		kn = slash ? (size_t)(slash - kind) : (size_t)(end - kind);
		if (slash) {
			const char *q = slash + 1;

			if (parse_i64(&q, end, &rate) < 0)
				goto bad_header;
		}
		if (kn == 4 && !memcmp(kind, "heap", 4))
			rate /= 2;
		else if (kn == 11 && !memcmp(kind, "heapprofile", 11))
			rate = 1;
		else if (!((kn == 7 && !memcmp(kind, "heap_v2", 7)) ||
			   (kn == 8 && !memcmp(kind, "heapz_v2", 8))))
			goto bad_header;
	}
	p->ntypes = 4;
	p->types = arena_calloc(p->arena, 4, sizeof(*p->types));
	if (!p->types)
		goto toobig;
	memcpy(p->types, heap_types, sizeof(heap_types));
	p->default_type = 3;
	p->period_type.type = "space";
	p->period_type.unit = "bytes";
	p->period = rate;

	while (next_line(&c, &line, &n)) {
		end = line + n;
		if (in_stats) {
			parse_stat(&ps, line, n);
			continue;
		}
		if (n == 0) {
			if (in_record)
				close_sample(&ps, rec_addrs, rec_addrs_end);
			in_record = 0;
			continue;
		}
		if (line[0] == '#') {
			if (n >= 2 && line[1] == '\t' && in_record) {
				if (parse_frame(&ps, line + 1, n - 1,
						&nlines_cap, &lines) < 0)
					goto bad_line;
				continue;
			}
			if (n >= 18 && !memcmp(line, "# runtime.MemStats", 18)) {
				if (in_record)
					close_sample(&ps, rec_addrs,
						     rec_addrs_end);
				in_record = 0;
				in_stats = 1;
			}
			continue;
		}
		if (isdigit((unsigned char)line[0])) {
			int64_t v[4], out[4];

			if (in_record)
				close_sample(&ps, rec_addrs, rec_addrs_end);
			s = line;
			if (parse_counts(&s, end, v) < 0)
				goto bad_line;
			if ((v[0] == 0 && v[1] != 0) ||
			    (v[2] == 0 && v[3] != 0)) {
				error("%s:%zu: record with bytes but no "
				      "objects", name, c.lineno);
				goto fail;
			}
			scale_heap(&v[0], &v[1], rate);
			scale_heap(&v[2], &v[3], rate);
			/* Proto order: alloc_objects, alloc_space, inuse_... */
			out[0] = v[2];
			out[1] = v[3];
			out[2] = v[0];
			out[3] = v[1];
			open_sample(&ps, out);
			rec_addrs = s;
			rec_addrs_end = end;
			in_record = 1;
			continue;
		}
		goto bad_line;
	}
	if (in_record)
		close_sample(&ps, rec_addrs, rec_addrs_end);
	r = finish(&ps, lines);
	if (r == -2)
		goto toobig;
	goto out;
bad_header:
	error("%s: malformed heap profile header", name);
	goto fail;
bad_line:
	error("%s:%zu: malformed heap profile line", name, c.lineno);
	goto fail;
toobig:
	error("%s: decoded profile exceeds the memory limit of %zu bytes "
	      "(see --max-memory)", name, lim->max_memory);
fail:
	profile_free(p);
	p = NULL;
out:
	strmap_free(ps.funcs);
	free(ps.locs);
	free(ps.samples);
	free(ps.stack);
	free(ps.values);
	free(ps.stats);
	free(lines);
	return p;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Legacy heap?debug=1 text: records, their '#' frames, runtime.MemStats. */
#include "decode/heaptext.h"
#include "base/arena.h"
#include "base/leaky.h"
#include "decode/limits.h"
#include "decode/textprof.h"
#include "decode/textscan.h"
#include "model/profile.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The header the sniffer knew the text by; its totals follow. */
#define HEADER_PREFIX "heap profile:"

static int expect(const char **s, const char *end, char ch)
{
	text_skip_spaces(s, end);
	if (*s >= end || **s != ch)
		return -1;
	(*s)++;
	text_skip_spaces(s, end);
	return 0;
}

/* "A: B [C: D] @" as in both the header and each record. */
static int parse_counts(const char **s, const char *end, int64_t v[4])
{
	text_skip_spaces(s, end);
	if (text_parse_i64(s, end, &v[0]) || expect(s, end, ':') ||
	    text_parse_i64(s, end, &v[1]) || expect(s, end, '[') ||
	    text_parse_i64(s, end, &v[2]) || expect(s, end, ':') ||
	    text_parse_i64(s, end, &v[3]) || expect(s, end, ']') ||
	    expect(s, end, '@'))
		return -1;
	return 0;
}

/*
 * v times scale, held to int64 (a huge rate makes scale infinite). The
 * cast truncates toward zero, as Go's int64(float64) does in pprof, so
 * that the estimates match its to the unit.
 */
static int64_t scaled(int64_t v, double scale)
{
	double d = (double)v * scale;

	if (!(d < 0x1p63))
		return INT64_MAX;
	if (!(d >= -0x1p63))
		return INT64_MIN;
	return (int64_t)d;
}

/*
 * Go's scaling of sampled heap records (pprof's scaleHeapSample): the
 * estimate of what a record with count objects of size bytes stands for.
 * The runtime samples an allocation of s bytes with probability
 * 1 - exp(-s/rate) (one sample per rate bytes on average, a Poisson
 * process), so dividing by that probability, taken at the record's
 * average object size, gives an unbiased estimate. The proto form holds
 * these estimates already; the text holds the raw samples.
 */
static void scale_heap(int64_t *count, int64_t *size, int64_t rate)
{
	double avg, scale;

	/* Nothing to average over: pprof zeroes both, and so do we. */
	if (*count == 0 || *size == 0) {
		*count = 0;
		*size = 0;
		return;
	}
	/* Rate 1: every allocation was recorded; below: unknown. */
	if (rate <= 1)
		return;
	avg = (double)*size / (double)*count;
	scale = 1 / (1 - exp(-avg / (double)rate));
	*count = scaled(*count, scale);
	*size = scaled(*size, scale);
}

/*
 * The sampling rate from the header's "@ kind/N": heap/N is Go's (N is
 * twice the rate), heap_v2/N and heapz_v2/N give it as is, heapprofile
 * means unsampled. Sets *go for Go's own "heap" (the C++ profilers' kinds
 * have no MemStats trailer). Returns -1 for anything else.
 */
static int parse_rate(const char *s, const char *end, int64_t *rate, int *go)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));
	size_t kn = slash ? (size_t)(slash - s) : (size_t)(end - s);

	*rate = 0;
	*go = 0;
	if (slash) {
		const char *q = slash + 1;

		if (text_parse_i64(&q, end, rate) < 0)
			return -1;
	}
	if (kn == 4 && !memcmp(s, "heap", 4)) {
		/* runtime/pprof writes 2*MemProfileRate; pprof halves it. */
		*rate /= 2;
		*go = 1;
	} else if (kn == 11 && !memcmp(s, "heapprofile", 11))
		*rate = 1;
	else if (!((kn == 7 && !memcmp(s, "heap_v2", 7)) ||
		   (kn == 8 && !memcmp(s, "heapz_v2", 8))))
		return -1;
	return 0;
}

/*
 * Why a heap text that ended here is not whole, or NULL when it is.
 *
 * Go's runtime/pprof (writeHeapInternal) writes the header, the records
 * with their '#' frame lines, then a blank line and the runtime.MemStats
 * trailer, whose last line has been "# DebugGC = ..." since Go 1 (only
 * "# MaxRSS = ..." follows it, on Unix since Go 1.16), and ends every line
 * with a newline. So a Go heap text (header "@ heap/N") without the
 * trailer, or whose trailer stops before DebugGC, or whose last line has
 * no newline, was cut: a record, a frame or a MemStats line is missing.
 * The C++ profilers' kinds (heap_v2, heapz_v2, heapprofile) have no
 * trailer; only their last newline is asked for.
 */
static const char *heap_unfinished(const struct text_cursor *c, int go,
				   int in_stats, int debuggc)
{
	if (go && !in_stats)
		return "no runtime.MemStats section";
	if (go && !debuggc)
		return "its runtime.MemStats section stops before DebugGC";
	if (text_cut_short(c))
		return "its last line is cut short";
	return NULL;
}

/* "# Key = value": scalars kept, "a / b" split into Inuse/Sys, arrays left. */
static void parse_stat(struct textprof *t, const char *s, size_t n)
{
	const char *end = s + n, *k, *eq, *v, *slash;
	char key[256];
	size_t kn;

	if (n < 2 || s[0] != '#')
		return;
	k = s + 1;
	text_skip_spaces(&k, end);
	eq = memchr(k, '=', (size_t)(end - k));
	if (!eq)
		return;
	kn = (size_t)(eq - k);
	while (kn && (k[kn - 1] == ' ' || k[kn - 1] == '\t'))
		kn--;
	if (!kn || kn + 6 > sizeof(key))
		return;
	v = eq + 1;
	text_skip_spaces(&v, end);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (v < end && *v == '[')
		return;
	slash = memchr(v, '/', (size_t)(end - v));
	if (!slash) {
		textprof_stat(t, k, kn, v, (size_t)(end - v));
		return;
	}
	{
		const char *a_end = slash, *b = slash + 1;

		while (a_end > v && a_end[-1] == ' ')
			a_end--;
		text_skip_spaces(&b, end);
		memcpy(key, k, kn);
		memcpy(key + kn, "Inuse", 5);
		textprof_stat(t, key, kn + 5, v, (size_t)(a_end - v));
		memcpy(key + kn, "Sys", 3);
		textprof_stat(t, key, kn + 3, b, (size_t)(end - b));
	}
}

/* A record without '#' frames keeps its bare addresses. */
static void add_addresses(struct textprof *t, const char *s, const char *end)
{
	while (s < end) {
		char *e;
		unsigned long long pc;

		text_skip_spaces(&s, end);
		if (s >= end)
			break;
		pc = strtoull(s, &e, 16);
		if (e == s)
			break;
		textprof_addr(t, pc);
		s = e;
	}
}

/* The state of one heap text while its lines are read. */
struct heap_parse {
	const char *name;
	struct text_cursor c;
	struct textprof *t;
	int64_t rate;
	int go;			/* Go's own "heap" kind: a MemStats trailer */
	int in_record;		/* a record line read, no blank line since */
	int in_stats;		/* inside the "# runtime.MemStats" trailer */
	int debuggc;		/* the trailer's "# DebugGC" line was seen */
	const char *addrs, *addrs_end;	/* the open record's "@ 0x.." */
};

/*
 * Ends the open record. Go follows each record with its '#' frame lines
 * (the runtime's own frames at the leaf end left out, and runtime.goexit)
 * and a blank line; a record that got no '#' line (the C++ profilers
 * write none) keeps the addresses after its '@' instead, so that its
 * value still lands on a stack, a nameless one.
 */
static void close_record(struct heap_parse *h)
{
	if (h->in_record && !textprof_depth(h->t))
		add_addresses(h->t, h->addrs, h->addrs_end);
	h->in_record = 0;
}

/*
 * The first line, "heap profile: A: B [C: D] @ kind/N", into p's sample
 * types and period. Its totals (the sums of the records) are checked for
 * shape only. Returns 0, -1 when malformed, -2 when over budget.
 */
static int heap_header(struct heap_parse *h, struct profile *p,
		       const char *line, size_t n)
{
	static const struct prof_value_type heap_types[4] = {
		{ "alloc_objects", "count" },
		{ "alloc_space", "bytes" },
		{ "inuse_objects", "count" },
		{ "inuse_space", "bytes" },
	};
	const char *s = line + sizeof(HEADER_PREFIX) - 1, *end = line + n;
	int64_t totals[4];

	if (parse_counts(&s, end, totals) < 0)
		return -1;
	text_skip_spaces(&s, end);
	if (parse_rate(s, end, &h->rate, &h->go) < 0)
		return -1;
	/*
	 * pprof's order: alloc before inuse, so that inuse_space, the last
	 * type, is the one shown by default.
	 */
	p->ntypes = 4;
	p->types = arena_calloc(p->arena, 4, sizeof(*p->types));
	if (!p->types)
		return -2;
	memcpy(p->types, heap_types, sizeof(heap_types));
	p->default_type = 3;
	p->period_type.type = "space";
	p->period_type.unit = "bytes";
	p->period = h->rate;
	return 0;
}

/*
 * A record, "A: B [C: D] @ 0x1 0x2 ...": A objects of B bytes in use
 * (as of the last GC) and C objects of D bytes allocated since the program
 * started, at the stack whose return addresses follow the '@' (leaf
 * first). Returns 0, -1 when malformed, -2 after reporting a record no
 * count can scale.
 */
static int heap_record(struct heap_parse *h, const char *line, size_t n)
{
	const char *s = line;
	int64_t v[4], out[4];

	close_record(h);
	if (parse_counts(&s, line + n, v) < 0)
		return -1;
	/* Bytes without objects have no average size to scale by. */
	if ((v[0] == 0 && v[1] != 0) || (v[2] == 0 && v[3] != 0)) {
		error("%s:%zu: record with bytes but no objects", h->name,
		      h->c.lineno);
		return -2;
	}
	/*
	 * Each pair on its own: in-use and allocated objects of one site
	 * can differ in average size.
	 */
	scale_heap(&v[0], &v[1], h->rate);
	scale_heap(&v[2], &v[3], h->rate);
	/* Proto order: alloc_objects, alloc_space, inuse_... */
	out[0] = v[2];
	out[1] = v[3];
	out[2] = v[0];
	out[3] = v[1];
	textprof_sample(h->t, out);
	h->addrs = s;
	h->addrs_end = line + n;
	h->in_record = 1;
	return 0;
}

/*
 * One line after the header. Each record line opens a sample, its
 * "#\t0x.." frame lines follow (leaf first), a blank line closes it;
 * "# runtime.MemStats" opens the trailer, whose every line is a
 * statistic. Other '#' lines are skipped. Returns 0, -1 when malformed,
 * -2 when reported.
 */
static int heap_line(struct heap_parse *h, const char *line, size_t n)
{
	if (h->in_stats) {
		if (n > 10 && !memcmp(line, "# DebugGC", 9) &&
		    (line[9] == ' ' || line[9] == '='))
			h->debuggc = 1;
		parse_stat(h->t, line, n);
		return 0;
	}
	if (n == 0 || (line[0] == '#' && n >= 18 &&
		       !memcmp(line, "# runtime.MemStats", 18))) {
		close_record(h);
		h->in_stats = n != 0;
		return 0;
	}
	if (line[0] == '#') {
		/* A frame line outside a record names no sample: skipped. */
		if (n >= 2 && line[1] == '\t' && h->in_record &&
		    textprof_hash_frame(h->t, line + 1, n - 1) < 0)
			return -1;
		return 0;
	}
	if (isdigit((unsigned char)line[0]))
		return heap_record(h, line, n);
	return -1;
}

/*
 * Reads the whole text into p. Returns 0, -1 when reported, -2 when over
 * budget (not yet reported).
 */
static int heap_parse(struct heap_parse *h, struct profile *p)
{
	const char *line, *why;
	size_t n;
	int r;

	if (!text_next_line(&h->c, &line, &n))
		goto bad_header;
	r = heap_header(h, p, line, n);
	if (r == -1)
		goto bad_header;
	if (r < 0)
		return r;
	h->t = textprof_new(p);
	while (text_next_line(&h->c, &line, &n)) {
		r = heap_line(h, line, n);
		if (r == -1)
			goto bad_line;
		if (r < 0)
			return -1;
	}
	why = heap_unfinished(&h->c, h->go, h->in_stats, h->debuggc);
	if (why)
		goto truncated;
	close_record(h);
	return textprof_finish(h->t) < 0 ? -2 : 0;
bad_header:
	/* A header cut short is a truncated text, not a malformed one. */
	if (text_cut_short(&h->c)) {
		why = "its header line is cut short";
		goto truncated;
	}
	error("%s: malformed heap profile header", h->name);
	return -1;
bad_line:
	/* So is a last line that fails only for being cut. */
	if (text_cut_short(&h->c)) {
		why = heap_unfinished(&h->c, h->go, h->in_stats, h->debuggc);
		goto truncated;
	}
	error("%s:%zu: malformed heap profile line", h->name, h->c.lineno);
	return -1;
truncated:
	text_report_truncated(h->name, "heap profile", why, &h->c);
	return -1;
}

struct profile *heaptext_decode(const char *name, const char *text,
				size_t len, const struct prof_limits *lim)
{
	struct heap_parse h = {
		.name = name,
		.c = { .p = text, .end = text + len },
	};
	struct profile *p = profile_new(lim->max_memory);
	int r;

	p->format = PROF_HEAP_TEXT;
	r = heap_parse(&h, p);
	if (r == -2)
		profile_report_too_big(name, lim);
	if (r < 0) {
		profile_free(p);
		p = NULL;
	}
	textprof_free(h.t);
	return profile_checked(p, name);
}

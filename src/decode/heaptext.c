/* Legacy heap?debug=1 text: records, their '#' frames, runtime.MemStats. */
#include "decode/heaptext.h"
#include "decode/limits.h"
#include "model/profile.h"
#include "base/arena.h"
#include "base/leaky.h"
#include "decode/textprof.h"
#include "decode/textscan.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char header_prefix[] = "heap profile:";

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

struct profile *heaptext_decode(const char *name, const char *text,
				size_t len, const struct prof_limits *lim)
{
	static const struct prof_value_type heap_types[4] = {
		{ "alloc_objects", "count" },
		{ "alloc_space", "bytes" },
		{ "inuse_objects", "count" },
		{ "inuse_space", "bytes" },
	};
	struct text_cursor c = { .p = text, .end = text + len };
	const char *line, *s, *end, *addrs = NULL, *addrs_end = NULL;
	struct profile *p = profile_new(lim->max_memory);
	struct textprof *t = NULL;
	int64_t hv[4], rate = 0;
	int in_stats = 0, in_record = 0, go = 0, debuggc = 0;
	const char *why;
	size_t n;

	p->format = PROF_HEAP_TEXT;
	if (!text_next_line(&c, &line, &n))
		goto bad_header;
	s = line + sizeof(header_prefix) - 1;
	end = line + n;
	if (parse_counts(&s, end, hv) < 0)
		goto bad_header;
	text_skip_spaces(&s, end);
	if (parse_rate(s, end, &rate, &go) < 0)
		goto bad_header;
	p->ntypes = 4;
	p->types = arena_calloc(p->arena, 4, sizeof(*p->types));
	if (!p->types)
		goto toobig;
	memcpy(p->types, heap_types, sizeof(heap_types));
	p->default_type = 3;
	p->period_type.type = "space";
	p->period_type.unit = "bytes";
	p->period = rate;
	t = textprof_new(p);

	while (text_next_line(&c, &line, &n)) {
		end = line + n;
		if (in_stats) {
			if (n > 10 && !memcmp(line, "# DebugGC", 9) &&
			    (line[9] == ' ' || line[9] == '='))
				debuggc = 1;
			parse_stat(t, line, n);
			continue;
		}
		if (n == 0 || (line[0] == '#' && n >= 18 &&
			       !memcmp(line, "# runtime.MemStats", 18))) {
			if (in_record && !textprof_depth(t))
				add_addresses(t, addrs, addrs_end);
			in_record = 0;
			in_stats = n != 0;
			continue;
		}
		if (line[0] == '#') {
			if (n >= 2 && line[1] == '\t' && in_record &&
			    textprof_hash_frame(t, line + 1, n - 1) < 0)
				goto bad_line;
			continue;
		}
		if (isdigit((unsigned char)line[0])) {
			int64_t v[4], out[4];

			if (in_record && !textprof_depth(t))
				add_addresses(t, addrs, addrs_end);
			s = line;
			if (parse_counts(&s, end, v) < 0)
				goto bad_line;
			if ((v[0] == 0 && v[1] != 0) ||
			    (v[2] == 0 && v[3] != 0)) {
				error("%s:%zu: record with bytes but no "
				      "objects", name, c.lineno);
				goto fail;
			}
			/*
			 * Each pair on its own: in-use and allocated objects
			 * of one site can differ in average size.
			 */
			scale_heap(&v[0], &v[1], rate);
			scale_heap(&v[2], &v[3], rate);
			/* Proto order: alloc_objects, alloc_space, inuse_... */
			out[0] = v[2];
			out[1] = v[3];
			out[2] = v[0];
			out[3] = v[1];
			textprof_sample(t, out);
			addrs = s;
			addrs_end = end;
			in_record = 1;
			continue;
		}
		goto bad_line;
	}
	why = heap_unfinished(&c, go, in_stats, debuggc);
	if (why)
		goto truncated;
	if (in_record && !textprof_depth(t))
		add_addresses(t, addrs, addrs_end);
	if (textprof_finish(t) < 0)
		goto toobig;
	goto out;
bad_header:
	/* A header cut short is a truncated text, not a malformed one. */
	if (text_cut_short(&c)) {
		why = "its header line is cut short";
		goto truncated;
	}
	error("%s: malformed heap profile header", name);
	goto fail;
bad_line:
	/* So is a last line that fails only for being cut. */
	if (text_cut_short(&c)) {
		why = heap_unfinished(&c, go, in_stats, debuggc);
		goto truncated;
	}
	error("%s:%zu: malformed heap profile line", name, c.lineno);
	goto fail;
truncated:
	text_report_truncated(name, "heap profile", why, &c);
	goto fail;
toobig:
	profile_report_too_big(name, lim);
fail:
	profile_free(p);
	p = NULL;
out:
	textprof_free(t);
	return profile_checked(p, name);
}

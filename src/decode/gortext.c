/* SPDX-License-Identifier: Apache-2.0 */
/* goroutine?debug=1 (counts per stack) and ?debug=2 (full dumps) text. */
#include "decode/gortext.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/limits.h"
#include "decode/sniff.h"
#include "decode/textprof.h"
#include "decode/textscan.h"
#include "model/profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header the sniffer knew the text by; its counts follow. */
#define D1_PREFIX "goroutine profile:"

/* Decodes a Go %q string at *s (advanced past it) into out (size cap). */
static int unquote(const char **s, const char *end, char *out, size_t cap,
		   size_t *outlen)
{
	const char *p = *s;
	size_t n = 0;

	if (p >= end || *p != '"')
		return -1;
	p++;
	while (p < end && *p != '"') {
		char ch = *p++;

		if (ch == '\\') {
			if (p >= end)
				return -1;
			ch = *p++;
			switch (ch) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'x':
				if (end - p < 2 ||
				    !isxdigit((unsigned char)p[0]) ||
				    !isxdigit((unsigned char)p[1]))
					return -1;
				ch = (char)strtol((char[]){ p[0], p[1], 0 },
						  NULL, 16);
				p += 2;
				break;
			case '"': case '\\': case '\'':
				break;
			default:
				/* \u and friends: keep them as written. */
				if (n + 2 > cap)
					return -1;
				out[n++] = '\\';
				break;
			}
		}
		if (n + 1 > cap)
			return -1;
		out[n++] = ch;
	}
	if (p >= end)
		return -1;
	*s = p + 1;
	*outlen = n;
	return 0;
}

/* "# labels: {"k":"v", "k2":"v2"}" */
static int parse_labels(struct textprof *t, const char *s, const char *end)
{
	char key[1024], val[4096];
	size_t kn, vn;

	text_skip_spaces(&s, end);
	if (s >= end || *s != '{')
		return -1;
	s++;
	for (;;) {
		text_skip_spaces(&s, end);
		if (s < end && *s == '}')
			return 0;
		if (unquote(&s, end, key, sizeof(key), &kn) < 0)
			return -1;
		text_skip_spaces(&s, end);
		if (s >= end || *s != ':')
			return -1;
		s++;
		text_skip_spaces(&s, end);
		if (unquote(&s, end, val, sizeof(val), &vn) < 0)
			return -1;
		textprof_label(t, key, kn, val, vn);
		text_skip_spaces(&s, end);
		if (s < end && *s == ',')
			s++;
		else if (s >= end || *s != '}')
			return -1;
	}
}

static int set_count_type(struct profile *p)
{
	p->ntypes = 1;
	p->types = arena_calloc(p->arena, 1, sizeof(*p->types));
	if (!p->types)
		return -1;
	p->types[0].type = "goroutine";
	p->types[0].unit = "count";
	p->period_type = p->types[0];
	p->period = 1;
	return 0;
}

/* The state of a debug=1 profile while its lines are read. */
struct d1 {
	struct textprof *t;
	int64_t total;		/* the header's */
	int64_t counted;	/* the records' sum, held to total */
	int in_record;		/* a count line read, no blank line since */
	int terminated;		/* a "---" line was read */
};

/* "goroutine profile: total N"; -1 when it is not that. */
static int d1_header(const char *line, size_t n, int64_t *total)
{
	const char *s = line + sizeof(D1_PREFIX) - 1, *end = line + n;

	text_skip_spaces(&s, end);
	if (end - s < 6 || memcmp(s, "total ", 6))
		return -1;
	s += 6;
	if (text_parse_i64(&s, end, total) < 0 || s != end)
		return -1;
	return 0;
}

/*
 * One line after the header. A record is "N @ 0x1 0x2 ..." (N goroutines
 * with that stack), "# labels: {...}" when they carry pprof labels, then
 * its "#\t0x.." frame lines, leaf first; a blank line ends it. Returns 0,
 * or -1 when malformed.
 */
static int d1_line(struct d1 *d, const char *line, size_t n)
{
	const char *s, *end = line + n;
	int64_t count;

	if (n == 0) {
		d->in_record = 0;
		return 0;
	}
	if (n == 3 && !memcmp(line, "---", 3)) {
		d->terminated = 1;
		return 0;
	}
	if (line[0] == '#') {
		/* A '#' line outside a record belongs to nothing. */
		if (!d->in_record)
			return -1;
		if (n >= 2 && line[1] == '\t')
			return textprof_hash_frame(d->t, line + 1, n - 1);
		if (n > 9 && !memcmp(line, "# labels:", 9))
			return parse_labels(d->t, line + 9, end);
		return 0;
	}
	if (!isdigit((unsigned char)line[0]))
		return -1;
	/* The addresses after '@' are left: the '#' lines name the frames. */
	s = line;
	if (text_parse_i64(&s, end, &count) < 0)
		return -1;
	text_skip_spaces(&s, end);
	if (s >= end || *s != '@')
		return -1;
	/* Held to total: only to compare it with the header. */
	if (count > d->total - d->counted)
		d->counted = d->total;
	else
		d->counted += count;
	textprof_sample(d->t, &count);
	d->in_record = 1;
	return 0;
}

/*
 * Why a debug=1 profile that ended here is not whole, or NULL.
 *
 * Go's printCountProfile ends every record with a blank line and counts
 * each goroutine once: a dump whose last record lacks it, or whose counts
 * fall short of the header's total, was cut (at a record's end in the
 * second case). "---" (pprof's old terminator) ends one too.
 */
static const char *d1_unfinished(const struct text_cursor *c,
				 const struct d1 *d)
{
	if (!d->terminated && text_cut_short(c))
		return "its last line is cut short";
	if (!d->terminated && d->in_record)
		return "its last record does not end with a blank line";
	if (d->counted < d->total)
		return "its records count fewer goroutines than its header's "
		       "total";
	return NULL;
}

static struct profile *decode_debug1(const char *name, const char *text,
				     size_t len, const struct prof_limits *lim)
{
	struct text_cursor c = { .p = text, .end = text + len };
	struct profile *p = profile_new(lim->max_memory);
	struct d1 d = { 0 };
	const char *line, *why;
	size_t n;

	p->format = PROF_GOROUTINE_TEXT1;
	/* gortext_decode() sniffed the header: there is a first line. */
	text_next_line(&c, &line, &n);
	if (d1_header(line, n, &d.total) < 0)
		goto bad_header;
	if (set_count_type(p) < 0)
		goto toobig;
	d.t = textprof_new(p);
	while (!d.terminated && text_next_line(&c, &line, &n))
		if (d1_line(&d, line, n) < 0)
			goto bad_line;
	why = d1_unfinished(&c, &d);
	if (why)
		goto truncated;
	if (textprof_finish(d.t) < 0)
		goto toobig;
	goto out;
bad_header:
	if (text_cut_short(&c)) {
		why = "its header line is cut short";
		goto truncated;
	}
	error("%s: malformed goroutine profile header", name);
	goto fail;
bad_line:
	if (text_cut_short(&c)) {
		why = "its last line is cut short";
		goto truncated;
	}
	error("%s:%zu: malformed goroutine profile line", name, c.lineno);
	goto fail;
truncated:
	text_report_truncated(name, "goroutine profile", why, &c);
	goto fail;
toobig:
	profile_report_too_big(name, lim);
fail:
	profile_free(p);
	p = NULL;
out:
	textprof_free(d.t);
	return p;
}

/*
 * A state or creator into its fixed buffer, cut at cap: these end up as C
 * strings, so a NUL inside one (the dump is the profiled program's text)
 * becomes U+FFFD, as in function names, rather than cutting it short and
 * merging groups that differ after it.
 */
static void copy_text(char *dst, size_t cap, const char *s, size_t n)
{
	char *clean = text_nul_free(s, n, &n);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, clean ? clean : s, n);
	dst[n] = '\0';
	free(clean);
}

/*
 * The bracket of "goroutine 18 [chan receive, 15 minutes]:": status or
 * wait reason (without " (scan)"), minutes, "locked to thread"; other
 * markers are ignored. Go writes ", N minutes" only for a goroutine
 * waiting (or in a syscall) a whole minute or more, "minutes" for 1 too:
 * no minutes part means not waiting, or for under a minute.
 */
static void parse_status(const char *s, const char *end,
			 struct prof_goroutine *g, char *state, size_t cap)
{
	size_t part = 0;

	state[0] = '\0';
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *pe = comma ? comma : end, *q = s;
		int64_t v;

		text_skip_spaces(&s, pe);
		q = s;
		if (part == 0) {
			size_t n = (size_t)(pe - s);

			if (n >= 7 && !memcmp(pe - 7, " (scan)", 7))
				n -= 7;
			copy_text(state, cap, s, n);
		} else if (text_parse_i64(&q, pe, &v) == 0 &&
			   pe - q == 8 && !memcmp(q, " minutes", 8)) {
			g->wait_minutes = v;
		} else if (pe - s == 16 && !memcmp(s, "locked to thread", 16)) {
			g->locked = 1;
		}
		part++;
		s = comma ? comma + 1 : end;
	}
}

/* "pkg.f(args)" to "pkg.f": cuts the balanced argument list at the end. */
static size_t strip_args(const char *s, size_t n)
{
	size_t i = n;
	int depth = 0;

	if (!n || s[n - 1] != ')')
		return n;
	while (i-- > 0) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0)
			return i;
	}
	return n;
}

/* "\tfile:line +0x1f" or "\tfile:line"; -1 when not such a line. */
static int parse_file_line(const char *s, const char *end, const char **file,
			   size_t *filelen, int64_t *line)
{
	const char *e = end, *colon = NULL, *q;
	const char *p;

	if (s >= end || *s != '\t')
		return -1;
	s++;
	for (p = end; p > s; p--) {
		if (p[-1] == ' ' && end - p > 1 && p[0] == '+') {
			e = p - 1;
			break;
		}
	}
	for (p = e; p > s; p--) {
		if (p[-1] == ':') {
			colon = p - 1;
			break;
		}
	}
	if (!colon)
		return -1;
	q = colon + 1;
	if (text_parse_i64(&q, e, line) < 0 || q != e)
		return -1;
	*file = s;
	*filelen = (size_t)(colon - s);
	return 0;
}

struct d2 {
	struct textprof *t;
	struct prof_goroutine g;
	char state[256];
	char created[1024];
	char created_at[1024];	/* the go statement's file:line */
	/* The first ancestor's frames, leaf first, '\n'-terminated, while
	 * in_anc; root first and ';'-joined in anc_stack at close. */
	struct buf anc, anc_stack;
	int in_anc, anc_seen;
	int open;		/* a goroutine's sample is open */
	const char *fn;		/* a function line waiting for its file line */
	size_t fnlen;
	int skipping;		/* in an ancestor's frames, up to a blank */
	int in_created;		/* the next file line is "created by"'s */
	const char *last;	/* the last non-blank line, and its length */
	size_t lastn;
};

/* The ancestor's frames (leaf first, each ending in '\n') root first,
 * ';'-joined, into d->anc_stack. */
static void d2_ancestor_stack(struct d2 *d)
{
	const char *s = (const char *)d->anc.data, *e = s, *p;

	d->anc_stack.len = 0;
	if (d->anc.len)		/* no ancestor: data may be NULL */
		e = s + d->anc.len;
	while (e > s) {
		for (p = e - 1; p > s && p[-1] != '\n'; p--)
			;
		if (d->anc_stack.len)
			buf_add(&d->anc_stack, ";", 1);
		buf_add(&d->anc_stack, p, (size_t)(e - 1 - p));
		e = p;
	}
	buf_add(&d->anc_stack, "", 1);
}

static void d2_close(struct d2 *d)
{
	if (!d->open)
		return;
	d->g.state = d->state;
	d->g.created_by = d->created;
	d->g.created_at = d->created_at;
	d2_ancestor_stack(d);
	d->g.creator_stack = (const char *)d->anc_stack.data;
	textprof_goroutine(d->t, &d->g);
	d->open = 0;
}

/* Parses a goroutine header line into a new sample. */
static int d2_header(struct d2 *d, const char *line, size_t n)
{
	const char *end = line + n, *s = line + 10, *lb, *rb;
	static const int64_t one = 1;

	d2_close(d);
	memset(&d->g, 0, sizeof(d->g));
	d->g.wait_minutes = -1;
	d->g.creator_id = -1;
	d->created[0] = '\0';
	d->created_at[0] = '\0';
	d->anc.len = 0;
	d->in_anc = d->anc_seen = 0;
	if (text_parse_i64(&s, end, &d->g.id) < 0)
		return -1;
	lb = memchr(s, '[', (size_t)(end - s));
	rb = end - 2;
	if (!lb || rb <= lb || *rb != ']')
		return -1;
	parse_status(lb + 1, rb, &d->g, d->state, sizeof(d->state));
	textprof_sample(d->t, &one);
	d->open = 1;
	return 0;
}

/* "created by F" or "created by F in goroutine N" */
static void d2_created(struct d2 *d, const char *s, const char *end)
{
	const char *in = NULL, *p;

	for (p = s; p + 14 <= end; p++)
		if (!memcmp(p, " in goroutine ", 14))
			in = p;
	if (in) {
		const char *q = in + 14;
		int64_t id;

		if (text_parse_i64(&q, end, &id) == 0 && q == end) {
			d->g.creator_id = id;
			end = in;
		}
	}
	copy_text(d->created, sizeof(d->created), s, (size_t)(end - s));
}

/*
 * Why a debug=2 dump whose last non-blank line is line cannot be whole, or
 * NULL when Go may end one there.
 *
 * Go's traceback (runtime.Stack(buf, true), traceback.go) writes each
 * goroutine as its header, then its frames, each a function line followed
 * by its tab-indented "file:line +0x.." line, then "created by F" and its
 * own file line; "...additional frames elided..." after the 100th frame,
 * "goroutine running on other thread; stack unavailable" instead of
 * frames, and tracebackancestors' "[originating from goroutine N]:" with
 * frames of its own; a blank line before the next header. So the last
 * line of a whole dump is a tab-indented line (a frame's file:line, or
 * the other-thread note), the elision note, or that note without its tab.
 * A header, a function or "created by" line, or an ancestor's header last
 * is a dump cut between two lines. A trailing blank line is taken as a
 * whole dump's: it loses nothing that a cut after a whole frame would not,
 * and that cut cannot be told from the end of a goroutine anyway.
 */
static const char *d2_unfinished(const char *line, size_t n)
{
	if (line[0] == '\t' || (n >= 3 && !memcmp(line, "...", 3)) ||
	    (n >= 33 && !memcmp(line, "goroutine running on other thread",
				33)))
		return NULL;
	if (sniff_goroutine_header(line, n))
		return "its last goroutine has no stack";
	if (line[0] == '[')
		return "its last ancestor has no stack";
	if (n > 11 && !memcmp(line, "created by ", 11))
		return "its last 'created by' line has no file:line after it";
	return "its last function has no file:line after it";
}

/*
 * A frame's file line, "\tfile:line +0x1f": completes the function line
 * before it into a frame, or, after "created by F", is where the go
 * statement was, which is no frame of this goroutine. Returns 0, or -1
 * when malformed or when no function line came first.
 */
static int d2_file_line(struct d2 *d, const char *line, const char *end)
{
	const char *file;
	size_t filelen;
	int64_t lineno;

	if (parse_file_line(line, end, &file, &filelen, &lineno) < 0)
		return -1;
	if (d->in_created) {
		d->in_created = 0;
		if (!d->created_at[0] && !d->skipping)
			snprintf(d->created_at, sizeof(d->created_at),
				 "%.*s:%lld", (int)filelen, file,
				 (long long)lineno);
		return 0;
	}
	if (!d->fn)
		return -1;
	textprof_frame(d->t, 0, d->fn, d->fnlen, file, filelen, lineno);
	d->fn = NULL;
	return 0;
}

/*
 * A line in the ancestors' frames: the first ancestor's function lines
 * are kept, up to its own "created by", an elision or the next ancestor.
 */
static void d2_ancestor_line(struct d2 *d, const char *line, size_t n)
{
	if (!d->in_anc || line[0] == '\t')
		return;
	if (line[0] == '[' || (n >= 11 && !memcmp(line, "created by ", 11)) ||
	    (n >= 3 && !memcmp(line, "...", 3))) {
		d->in_anc = 0;
		return;
	}
	buf_add(&d->anc, line, strip_args(line, n));
	buf_add(&d->anc, "\n", 1);
}

/*
 * One line of a debug=2 dump (see d2_unfinished() for its grammar). Each
 * goroutine is one sample of value 1; its frames come leaf first, a
 * function line ("pkg.f(0x1, ...)", "(...)" when inlined) then its file
 * line. Returns 0, or -1 when malformed.
 */
static int d2_line(struct d2 *d, const char *line, size_t n)
{
	if (n) {
		d->last = line;
		d->lastn = n;
	}
	if (n == 0) {
		d2_close(d);
		d->skipping = 0;
		d->fn = NULL;
		return 0;
	}
	if (sniff_goroutine_header(line, n)) {
		if (d2_header(d, line, n) < 0)
			return -1;
		d->skipping = 0;
		d->fn = NULL;
		d->in_created = 0;
		return 0;
	}
	/* Before the first header. */
	if (!d->open)
		return 0;
	if (d->skipping) {
		d2_ancestor_line(d, line, n);
		return 0;
	}
	/*
	 * "[originating from goroutine N]:" (GODEBUG=tracebackancestors)
	 * opens the stack a creator had when it made this goroutine, up to
	 * the blank line: history, not frames this goroutine is in. The
	 * first one (the creator's) is kept as its creator's stack.
	 */
	if (line[0] == '[') {
		d->skipping = 1;
		d->in_anc = !d->anc_seen;
		d->anc_seen = 1;
		return 0;
	}
	/* Running elsewhere, so no frames: still one goroutine, a sample. */
	if (n >= 34 && !memcmp(line + (line[0] == '\t'),
			       "goroutine running on other thread", 33))
		return 0;
	if (line[0] == '\t')
		return d2_file_line(d, line, line + n);
	if (d->fn)
		return -1;	/* a function without its file line */
	if (n > 11 && !memcmp(line, "created by ", 11)) {
		d2_created(d, line + 11, line + n);
		d->in_created = 1;
		return 0;
	}
	/* "...additional frames elided...": the stack goes on unseen. */
	if (n >= 3 && !memcmp(line, "...", 3))
		return 0;
	d->fn = line;
	d->fnlen = strip_args(line, n);
	return 0;
}

static struct profile *decode_debug2(const char *name, const char *text,
				     size_t len, const struct prof_limits *lim)
{
	struct text_cursor c = { .p = text, .end = text + len };
	struct profile *p = profile_new(lim->max_memory);
	struct d2 d = { 0 };
	const char *line, *why;
	size_t n;

	p->format = PROF_GOROUTINE_TEXT2;
	buf_init(&d.anc);
	buf_init(&d.anc_stack);
	if (set_count_type(p) < 0)
		goto toobig;
	d.t = textprof_new(p);
	while (text_next_line(&c, &line, &n))
		if (d2_line(&d, line, n) < 0)
			goto bad_line;
	if (text_cut_short(&c))
		why = "its last line is cut short";
	else
		why = d.last ? d2_unfinished(d.last, d.lastn) : NULL;
	if (why)
		goto truncated;
	d2_close(&d);
	if (textprof_finish(d.t) < 0)
		goto toobig;
	goto out;
bad_line:
	/* A line that fails only for being cut, such as "\t/src/a.go:1"
	 * cut to "\t/src/a.g", is a truncated dump. */
	if (text_cut_short(&c)) {
		why = "its last line is cut short";
		goto truncated;
	}
	error("%s:%zu: malformed goroutine dump line", name, c.lineno);
	goto fail;
truncated:
	text_report_truncated(name, "goroutine dump", why, &c);
	goto fail;
toobig:
	profile_report_too_big(name, lim);
fail:
	profile_free(p);
	p = NULL;
out:
	textprof_free(d.t);
	buf_release(&d.anc);
	buf_release(&d.anc_stack);
	return p;
}

struct profile *gortext_decode(const char *name, const char *text,
			       size_t len, const struct prof_limits *lim)
{
	struct profile *p;

	switch (sniff(text, len)) {
	case SNIFF_GOROUTINE1:
		p = decode_debug1(name, text, len, lim);
		break;
	case SNIFF_GOROUTINE2:
		p = decode_debug2(name, text, len, lim);
		break;
	default:
		error("%s: not a goroutine dump", name);
		return NULL;
	}
	return profile_checked(p, name);
}

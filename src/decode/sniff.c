/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of formats: what bytes are, told from their first bytes. */
#include "decode/sniff.h"
#include "decode/fds.h"
#include "decode/memlimit.h"
#include "decode/textscan.h"

#include <string.h>
#include <strings.h>

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

static int starts_with_icase(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !strncasecmp(s, prefix, k);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int sniff_goroutine_header(const char *s, size_t n)
{
	const char *end = s + n;
	int64_t id;

	if (n < 12 || memcmp(s, "goroutine ", 10))
		return 0;
	s += 10;
	if (text_parse_i64(&s, end, &id) < 0 || s >= end || *s != ' ')
		return 0;
	/* Status in brackets, then ':'; newer runtimes put gp= m= first. */
	return memchr(s, '[', (size_t)(end - s)) != NULL && end[-1] == ':';
}

int sniff_is_text(const void *data, size_t len, size_t head)
{
	const unsigned char *p = data;
	size_t i, n = len < head ? len : head;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r')
			return 0;
	return 1;
}

/* ---- the rows' tests ----------------------------------------------- */

/*
 * Each test sees the bytes and, for the line-shaped formats, the first
 * line and the first non-blank line (without LF or CRLF).
 */
struct head {
	const unsigned char *b;
	const char *s;
	size_t n;
	const char *line;	/* the first line */
	size_t linen;
	int line_ends;		/* the first line has its newline */
	const char *first;	/* the first non-blank line, NULL for none */
	size_t firstn;
};

static int is_empty(const struct head *h)
{
	return h->n == 0;
}

static int is_gzip(const struct head *h)
{
	/* RFC 1952's magic; what is inside is sniffed once inflated. */
	return h->n >= 2 && h->b[0] == 0x1f && h->b[1] == 0x8b;
}

static int is_heap_text(const struct head *h)
{
	/*
	 * Go writes it in lower case; any case is taken so that a re-cased
	 * header reaches the heap decoder, whose message on it is clearer
	 * than "not a profile".
	 */
	return starts_with_icase(h->s, h->n, "heap profile:");
}

static int is_goroutine1(const struct head *h)
{
	return starts_with(h->s, h->n, "goroutine profile:");
}

static int is_goroutine2(const struct head *h)
{
	if (sniff_goroutine_header(h->line, h->linen))
		return 1;
	/*
	 * A text of one unfinished line such as "goroutine 7 [chan" is a
	 * debug=2 dump cut inside its first header: its decoder names it
	 * truncated rather than leave it unrecognized.
	 */
	return !h->line_ends && h->linen > 10 &&
	       !memcmp(h->line, "goroutine ", 10) &&
	       h->line[10] >= '0' && h->line[10] <= '9';
}

/* Go's other debug=1 pages: named, so that a wrong URL says which. */
static int is_contention(const struct head *h)
{
	return starts_with(h->s, h->n, "--- contention:");
}

static int is_mutex(const struct head *h)
{
	return starts_with(h->s, h->n, "--- mutex:");
}

static int is_threadcreate(const struct head *h)
{
	return starts_with(h->s, h->n, "threadcreate profile:");
}

static int is_html(const struct head *h)
{
	const unsigned char *s = (const unsigned char *)h->s;
	size_t n = h->n;

	/*
	 * What a proxy, a load balancer or a login redirect answers in
	 * place of a profile: templated pages start with blank lines or a
	 * UTF-8 byte order mark, tags vary in case, and some start with
	 * <head>, <body> or <?xml. No format leaky reads begins with '<', so
	 * any markup is taken for a page, whatever its first tag.
	 */
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		s += 3;
		n -= 3;
	}
	while (n && (*s == '\n' || *s == '\r' || *s == '\v' ||
		     *s == '\f' || is_blank((char)*s))) {
		s++;
		n--;
	}
	return n && *s == '<';
}

static int is_csv(const struct head *h)
{
	/* leaky's CSVs all start with their header, whose first column is
	 * time. */
	return starts_with(h->s, h->n, "time,");
}

static int is_fds(const struct head *h)
{
	/* The header leaky collect writes first (decode/fds.h). */
	return starts_with(h->s, h->n, FDS_MAGIC);
}

static int is_limits(const struct head *h)
{
	/* The header leaky collect writes first (decode/memlimit.h). */
	return starts_with(h->s, h->n, MEMLIMIT_MAGIC);
}

static int is_binary(const struct head *h)
{
	/*
	 * profile.proto has no magic number, but its first bytes are field
	 * keys and lengths, nearly always control bytes; a text has none
	 * but tab, LF and CR. Only the pprof decoder can tell a profile
	 * from other binary.
	 */
	return !sniff_is_text(h->b, h->n, SNIFF_HEAD);
}

/* Leading decimal digits of s, at most 18 (so they fit an int64_t). */
static size_t pid_digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i <= 18 ? i : 0;
}

static int is_pmap(const struct head *h)
{
	/* pmap, with or without -x, first prints "PID:   command". */
	const char *s = h->first;
	size_t n = h->firstn, i;

	if (!s)
		return 0;
	i = pid_digits(s, n);
	return i && i < n && s[i] == ':' && (i + 1 == n || is_blank(s[i + 1]));
}

static int hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return n >= 1 && n <= 16;
}

/* "START-END ..." at the very start of the line, as maps and smaps. */
static int range_line(const char *s, size_t n)
{
	size_t tok = 0;
	const char *dash;

	if (!s)
		return 0;
	while (tok < n && !is_blank(s[tok]))
		tok++;
	dash = memchr(s, '-', tok);
	return dash && hex_run(s, (size_t)(dash - s)) &&
	       hex_run(dash + 1, (size_t)(s + tok - dash - 1));
}

static int is_smaps_rollup(const struct head *h)
{
	const char *s = h->first;
	size_t n = h->firstn;

	/* smaps_rollup is one range line named "[rollup]", then keys. */
	if (!range_line(s, n))
		return 0;
	while (n && is_blank(s[n - 1]))
		n--;
	return n >= 8 && !memcmp(s + n - 8, "[rollup]", 8);
}

static int is_smaps(const struct head *h)
{
	return range_line(h->first, h->firstn);
}

static int is_status(const struct head *h)
{
	/* /proc/PID/status opens with the command's name. */
	return h->first && starts_with(h->first, h->firstn, "Name:");
}

static int is_text(const struct head *h)
{
	(void)h;
	return 1;
}

/*
 * The table, in the order of its tests. gzip first: its bytes are
 * anything. Then the formats a fixed header names at byte 0, the Go text
 * formats leaky reads before those it does not, then HTML and CSV; a
 * header names a text even if binary follows it. Then binary: whatever is
 * left with control bytes. Last the text formats known by the shape of
 * their first non-blank line, and any other text.
 */
static const struct {
	enum sniff_kind kind;
	int (*test)(const struct head *h);
	const char *name;
} formats[] = {
	{ SNIFF_EMPTY, is_empty, "empty" },
	{ SNIFF_GZIP, is_gzip, "gzip data" },
	{ SNIFF_HEAP_TEXT, is_heap_text, "a heap?debug=1 dump" },
	{ SNIFF_GOROUTINE1, is_goroutine1, "a goroutine?debug=1 dump" },
	{ SNIFF_GOROUTINE2, is_goroutine2, "a goroutine?debug=2 dump" },
	{ SNIFF_CONTENTION, is_contention, "a contention profile in text" },
	{ SNIFF_MUTEX, is_mutex, "a mutex profile in text" },
	{ SNIFF_THREADCREATE, is_threadcreate,
	  "a threadcreate profile in text" },
	{ SNIFF_HTML, is_html, "an HTML page" },
	{ SNIFF_CSV, is_csv, "a leaky CSV" },
	{ SNIFF_FDS, is_fds, "a leaky fds list" },
	{ SNIFF_LIMITS, is_limits, "a leaky limits file" },
	{ SNIFF_BINARY, is_binary, "binary data" },
	{ SNIFF_PMAP, is_pmap, "pmap output" },
	{ SNIFF_SMAPS_ROLLUP, is_smaps_rollup, "smaps_rollup" },
	{ SNIFF_SMAPS, is_smaps, "smaps" },
	{ SNIFF_STATUS, is_status, "a /proc status file" },
	{ SNIFF_TEXT, is_text, "text" },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* 1 when the line has something but spaces and tabs. */
static int non_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_blank(s[i]))
			return 1;
	return 0;
}

enum sniff_kind sniff(const void *data, size_t len)
{
	struct text_cursor c = { data, (const char *)data + len, 0 };
	struct head h = { data, data, len, "", 0, 0, NULL, 0 };
	const char *line;
	size_t i, n;

	if (text_next_line(&c, &h.line, &h.linen))
		h.line_ends = c.p[-1] == '\n';
	/* Blank lines hold only spaces and tabs, as procmem reads them. */
	if (non_blank(h.line, h.linen)) {
		h.first = h.line;
		h.firstn = h.linen;
	}
	while (!h.first && text_next_line(&c, &line, &n)) {
		if (non_blank(line, n)) {
			h.first = line;
			h.firstn = n;
		}
	}
	for (i = 0; i < NFORMATS; i++)
		if (formats[i].test(&h))
			return formats[i].kind;
	return SNIFF_TEXT;
}

const char *sniff_name(enum sniff_kind kind)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].kind == kind)
			return formats[i].name;
	return "?";
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Open file descriptor lists (NAME_UNIX.fds): types, escaping, decoding. */
#include "decode/fds.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/textscan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[FDS_NTYPES] = {
	[FDS_SOCKET] = "socket",
	[FDS_PIPE] = "pipe",
	[FDS_ANON_INODE] = "anon_inode",
	[FDS_FILE] = "file",
	[FDS_OTHER] = "other",
};

static int has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

enum fds_type fds_type_of(const char *link, size_t n)
{
	/*
	 * The kernel names what has no path by its filesystem: sockfs and
	 * pipefs as "socket:[inode]" and "pipe:[inode]", anonymous inodes
	 * (epoll, eventfd, timerfd, signalfd...) as "anon_inode:NAME". A
	 * path is anything opened by name, a deleted file (" (deleted)")
	 * and a memfd ("/memfd:x") included.
	 */
	if (has_prefix(link, n, "socket:"))
		return FDS_SOCKET;
	if (has_prefix(link, n, "pipe:"))
		return FDS_PIPE;
	if (has_prefix(link, n, "anon_inode:"))
		return FDS_ANON_INODE;
	if (n && link[0] == '/')
		return FDS_FILE;
	return FDS_OTHER;
}

const char *fds_type_name(enum fds_type t)
{
	if ((unsigned)t >= FDS_NTYPES)
		BUG("fds type %d", (int)t);
	return type_names[t];
}

void fds_escape(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	/* Copies runs of plain bytes at once; a path is mostly one run. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];

		if (c >= 0x20 && c != 0x7f && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		e[0] = '\\';
		e[1] = 'x';
		e[2] = hex[c >> 4];
		e[3] = hex[c & 15];
		buf_add(b, e, 4);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

void fds_header(struct buf *b, const struct fds_snapshot *s)
{
	char line[64 + FDS_NTYPES * 32];
	int n, t;

	n = snprintf(line, sizeof(line), FDS_MAGIC " pid %" PRId64 ", open %"
		     PRId64 ", listed %" PRId64, s->pid, s->open, s->listed);
	for (t = 0; t < FDS_NTYPES; t++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ", %s %"
			      PRId64, type_names[t], s->count[t]);
	if (s->threads > 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ", threads %"
			      PRId64, s->threads);
	buf_add(b, line, (size_t)n);
	buf_add(b, "\n", 1);
}

/* ---- decoding ------------------------------------------------------ */

/* The header's keys: pid, open, listed, then the types in their order. */
enum { KEY_PID = FDS_NTYPES, KEY_OPEN, KEY_LISTED, NKEYS };

static int key_of(const char *s, size_t n)
{
	static const char *const extra[] = { "pid", "open", "listed" };
	int k;

	for (k = 0; k < FDS_NTYPES; k++)
		if (strlen(type_names[k]) == n && !memcmp(type_names[k], s, n))
			return k;
	for (k = 0; k < 3; k++)
		if (strlen(extra[k]) == n && !memcmp(extra[k], s, n))
			return FDS_NTYPES + k;
	return -1;
}

/*
 * "# leaky fds: key N, key N, ..." into v[NKEYS]. Keys it does not know
 * are passed over (a later collector may add some); each known one must
 * be there once. "threads", which older collectors did not write, goes
 * into *threads when there (else -1).
 */
static int parse_header(const char *name, const char *s, size_t n,
			int64_t v[NKEYS], int64_t *threads)
{
	const char *p = s + strlen(FDS_MAGIC), *end = s + n;
	int seen[NKEYS] = { 0 };
	int k;

	for (;;) {
		const char *key;
		size_t keyn;
		int64_t x;

		text_skip_spaces(&p, end);
		key = p;
		while (p < end && *p != ' ' && *p != ',')
			p++;
		if (p == key || p >= end || *p != ' ') {
			error("%s:1: a fds header must be '" FDS_MAGIC
			      " pid N, open N, listed N, socket N, ...'",
			      name);
			return -1;
		}
		keyn = (size_t)(p - key);
		k = key_of(key, keyn);
		text_skip_spaces(&p, end);
		if (text_parse_i64(&p, end, &x) < 0) {
			error("%s:1: '%.*s' in the fds header has no number",
			      name, (int)keyn, key);
			return -1;
		}
		if (k >= 0 && seen[k]++) {
			error("%s:1: '%s' twice in the fds header", name,
			      k < FDS_NTYPES ? type_names[k] :
			      k == KEY_PID ? "pid" : k == KEY_OPEN ? "open" :
			      "listed");
			return -1;
		}
		if (k >= 0)
			v[k] = x;
		if (keyn == 7 && !memcmp(key, "threads", 7))
			*threads = x;
		text_skip_spaces(&p, end);
		if (p == end)
			break;
		if (*p != ',') {
			error("%s:1: the fds header's fields must be separated "
			      "by ','", name);
			return -1;
		}
		p++;
	}
	for (k = 0; k < NKEYS; k++)
		if (!seen[k]) {
			error("%s:1: the fds header has no '%s' count", name,
			      k < FDS_NTYPES ? type_names[k] :
			      k == KEY_PID ? "pid" : k == KEY_OPEN ? "open" :
			      "listed");
			return -1;
		}
	return 0;
}

/* "FD TARGET": the target escaped, so no control byte in it. */
static int list_line(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int64_t fd;
	size_t i;

	if (text_parse_i64(&p, end, &fd) < 0 || p >= end || *p != ' ' ||
	    p + 1 >= end)
		return -1;
	for (i = (size_t)(p + 1 - s); i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
	return 0;
}

int fds_parse(const char *name, const char *data, size_t len,
	      struct fds_snapshot *s)
{
	struct text_cursor c = { data, data + len, 0 };
	int64_t v[NKEYS], sum = 0, lines = 0;
	const char *line;
	size_t n;
	int k;

	memset(s, 0, sizeof(*s));
	if (!len) {
		error("%s: empty file", name);
		return -1;
	}
	if (!text_next_line(&c, &line, &n) ||
	    !has_prefix(line, n, FDS_MAGIC)) {
		error("%s: not a leaky fds list (no '" FDS_MAGIC "' line "
		      "first)", name);
		return -1;
	}
	if (text_cut_short(&c)) {
		text_report_truncated(name, "fds list", "no end to its header",
				      &c);
		return -1;
	}
	s->threads = -1;
	if (parse_header(name, line, n, v, &s->threads) < 0)
		return -1;
	if (s->threads < -1 || s->threads == 0) {
		error("%s:1: threads %" PRId64 " is not a process's", name,
		      s->threads);
		return -1;
	}
	for (k = 0; k < FDS_NTYPES; k++) {
		if (v[k] > INT64_MAX - sum) {
			error("%s:1: the fds counts add up beyond 2^63", name);
			return -1;
		}
		sum += v[k];
	}
	if (v[KEY_PID] <= 0) {
		error("%s:1: pid %" PRId64 " is not a process", name,
		      v[KEY_PID]);
		return -1;
	}
	if (sum != v[KEY_OPEN]) {
		error("%s:1: the counts by type add up to %" PRId64 ", not "
		      "the %" PRId64 " open", name, sum, v[KEY_OPEN]);
		return -1;
	}
	if (v[KEY_LISTED] > v[KEY_OPEN]) {
		error("%s:1: %" PRId64 " listed of %" PRId64 " open", name,
		      v[KEY_LISTED], v[KEY_OPEN]);
		return -1;
	}
	while (text_next_line(&c, &line, &n)) {
		if (text_cut_short(&c)) {
			text_report_truncated(name, "fds list", "its last line "
					      "has no end", &c);
			return -1;
		}
		if (list_line(line, n) < 0) {
			error("%s:%zu: not a descriptor line 'FD TARGET'",
			      name, c.lineno);
			return -1;
		}
		if (++lines > v[KEY_LISTED]) {
			error("%s:%zu: more lines than the %" PRId64 " the "
			      "header lists", name, c.lineno, v[KEY_LISTED]);
			return -1;
		}
	}
	if (lines < v[KEY_LISTED]) {
		char why[96];

		snprintf(why, sizeof(why), "%" PRId64 " of the %" PRId64
			 " descriptors listed", lines, v[KEY_LISTED]);
		text_report_truncated(name, "fds list", why, &c);
		return -1;
	}
	s->pid = v[KEY_PID];
	s->open = v[KEY_OPEN];
	s->listed = v[KEY_LISTED];
	for (k = 0; k < FDS_NTYPES; k++)
		s->count[k] = v[k];
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* A process's memory limits (NAME_UNIX.limits): writing and decoding. */
#include "decode/memlimit.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/fds.h"
#include "decode/textscan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void add_value(struct buf *b, int64_t v)
{
	char num[32];

	if (v == MEMLIMIT_NONE)
		buf_addstr(b, "none");
	else if (v < 0)
		buf_addstr(b, "unknown");
	else {
		snprintf(num, sizeof(num), "%" PRId64, v);
		buf_addstr(b, num);
	}
}

/* " SOURCE" when known, then " PATH" (escaped: one line) when given. */
static void add_source(struct buf *b, const char *file, const char *path)
{
	if (!*file)
		return;
	buf_add(b, " ", 1);
	buf_addstr(b, file);
	if (path && *path) {
		buf_add(b, " ", 1);
		fds_escape(b, path, strlen(path));
	}
}

void memlimit_format(struct buf *b, const struct memlimit *m,
		     const char *cgroup_path, const char *limit_path)
{
	char line[64];

	snprintf(line, sizeof(line), MEMLIMIT_MAGIC " pid %" PRId64 "\n",
		 m->pid);
	buf_addstr(b, line);
	buf_addstr(b, m->cgroup == 1 ? "cgroup v1" : m->cgroup == 2 ?
		   "cgroup v2" : "cgroup none");
	if (m->cgroup && *cgroup_path) {
		buf_add(b, " ", 1);
		fds_escape(b, cgroup_path, strlen(cgroup_path));
	}
	buf_addstr(b, "\nlimit ");
	add_value(b, m->limit);
	add_source(b, m->limit_file, m->limit >= 0 ? limit_path : NULL);
	buf_addstr(b, "\nusage ");
	add_value(b, m->usage < 0 ? MEMLIMIT_UNKNOWN : m->usage);
	add_source(b, m->usage >= 0 ? (m->cgroup == 2 ? "memory.current" :
				       "memory.usage_in_bytes") : "", NULL);
	buf_addstr(b, "\noom_kill ");
	add_value(b, m->oom_kills < 0 ? MEMLIMIT_UNKNOWN : m->oom_kills);
	add_source(b, m->oom_kills >= 0 ? m->oom_file : "", NULL);
	buf_addstr(b, "\ngomemlimit ");
	add_value(b, m->gomemlimit);
	buf_add(b, "\n", 1);
}

int memlimit_parse_go(const char *s, size_t n, int64_t *v)
{
	static const struct {
		const char *unit;
		int shift;
	} units[] = {
		{ "", 0 }, { "B", 0 }, { "KiB", 10 }, { "MiB", 20 },
		{ "GiB", 30 }, { "TiB", 40 },
	};
	const char *p = s, *end = s + n;
	int64_t x;
	size_t i, k;

	if (n == 3 && !memcmp(s, "off", 3)) {
		*v = MEMLIMIT_NONE;
		return 0;
	}
	if (!n || *p < '0' || *p > '9' || text_parse_i64(&p, end, &x) < 0)
		return -1;
	k = (size_t)(end - p);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].unit) != k || memcmp(units[i].unit, p, k))
			continue;
		if (x > (INT64_MAX >> units[i].shift))
			return -1;
		*v = x << units[i].shift;
		return 0;
	}
	return -1;
}

/* ---- decoding ------------------------------------------------------ */

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* The next space-separated word of [*p, end): its start and length. */
static size_t next_word(const char **p, const char *end, const char **w)
{
	text_skip_spaces(p, end);
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	return (size_t)(*p - *w);
}

/* A value: bytes, "none" (when none_ok) or "unknown". */
static int value(const char *w, size_t n, int none_ok, int64_t *v)
{
	const char *p = w;

	if (none_ok && word_is(w, n, "none")) {
		*v = MEMLIMIT_NONE;
		return 0;
	}
	if (word_is(w, n, "unknown")) {
		*v = MEMLIMIT_UNKNOWN;
		return 0;
	}
	if (!n || *w < '0' || *w > '9' || text_parse_i64(&p, w + n, v) < 0 ||
	    p != w + n)
		return -1;
	return 0;
}

static void source(char out[MEMLIMIT_SOURCE_MAX], const char **p,
		   const char *end)
{
	const char *w;
	size_t n = next_word(p, end, &w);

	if (n >= MEMLIMIT_SOURCE_MAX)
		n = MEMLIMIT_SOURCE_MAX - 1;
	memcpy(out, w, n);
	out[n] = '\0';
}

int memlimit_parse(const char *name, const char *data, size_t len,
		   struct memlimit *m)
{
	struct text_cursor c = { data, data + len, 0 };
	const char *line, *p, *end, *w;
	size_t n, wn;
	int have_limit = 0;
	int64_t pid;

	memset(m, 0, sizeof(*m));
	m->limit = m->usage = m->oom_kills = m->gomemlimit = MEMLIMIT_UNKNOWN;
	if (!len) {
		error("%s: empty file", name);
		return -1;
	}
	if (!text_next_line(&c, &line, &n) || n < strlen(MEMLIMIT_MAGIC) ||
	    memcmp(line, MEMLIMIT_MAGIC, strlen(MEMLIMIT_MAGIC))) {
		error("%s: not a leaky limits file (no '" MEMLIMIT_MAGIC
		      "' line first)", name);
		return -1;
	}
	p = line + strlen(MEMLIMIT_MAGIC);
	end = line + n;
	wn = next_word(&p, end, &w);
	text_skip_spaces(&p, end);
	if (!word_is(w, wn, "pid") || text_parse_i64(&p, end, &pid) < 0 ||
	    pid <= 0) {
		error("%s:1: a limits header must be '" MEMLIMIT_MAGIC
		      " pid N'", name);
		return -1;
	}
	m->pid = pid;
	for (;;) {
		int64_t v;

		if (text_cut_short(&c)) {
			text_report_truncated(name, "limits file",
					      "a line has no end", &c);
			return -1;
		}
		if (!text_next_line(&c, &line, &n))
			break;
		p = line;
		end = line + n;
		wn = next_word(&p, end, &w);
		if (word_is(w, wn, "cgroup")) {
			wn = next_word(&p, end, &w);
			if (word_is(w, wn, "v1"))
				m->cgroup = 1;
			else if (word_is(w, wn, "v2"))
				m->cgroup = 2;
			else if (word_is(w, wn, "none"))
				m->cgroup = 0;
			else {
				error("%s:%zu: cgroup must be v1, v2 or none",
				      name, c.lineno);
				return -1;
			}
			continue;
		}
		if (!word_is(w, wn, "limit") && !word_is(w, wn, "usage") &&
		    !word_is(w, wn, "oom_kill") &&
		    !word_is(w, wn, "gomemlimit")) {
			if (!wn) {
				error("%s:%zu: an empty line", name, c.lineno);
				return -1;
			}
			continue;	/* a later collector's key */
		}
		{
			const char *k = w;
			size_t kn = wn;
			int none_ok = word_is(k, kn, "limit") ||
				      word_is(k, kn, "gomemlimit");

			wn = next_word(&p, end, &w);
			if (value(w, wn, none_ok, &v) < 0) {
				error("%s:%zu: '%.*s' must be followed by a "
				      "number of bytes%s", name, c.lineno,
				      (int)kn, k, none_ok ? ", none or unknown"
				      : " or unknown");
				return -1;
			}
			if (word_is(k, kn, "limit")) {
				m->limit = v;
				source(m->limit_file, &p, end);
				have_limit = 1;
			} else if (word_is(k, kn, "usage")) {
				m->usage = v;
			} else if (word_is(k, kn, "oom_kill")) {
				m->oom_kills = v;
				source(m->oom_file, &p, end);
			} else {
				m->gomemlimit = v;
			}
		}
	}
	if (!have_limit) {
		error("%s: no 'limit' line", name);
		return -1;
	}
	return 0;
}

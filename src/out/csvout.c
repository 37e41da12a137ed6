/* SPDX-License-Identifier: Apache-2.0 */
/* The CSV writer: the only user of libcsv. */
#include "out/csvout.h"
#include "base/clock.h"
#include "base/leaky.h"

#include <stdlib.h>
#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

void csvout_init(struct csvout *c, FILE *fp)
{
	c->fp = fp;
	c->first = 1;
	c->quoted = NULL;
	c->cap = 0;
	c->clean = NULL;
	c->clean_cap = 0;
	c->raw = 0;
	c->time_valid = 0;
	c->failed = 0;
}

void csvout_set_raw(struct csvout *c, int raw)
{
	c->raw = raw;
}

void csvout_release(struct csvout *c)
{
	free(c->quoted);
	free(c->clean);
	c->quoted = NULL;
	c->clean = NULL;
	c->cap = 0;
	c->clean_cap = 0;
}

static void sep(struct csvout *c)
{
	if (!c->first)
		putc(',', c->fp);
	c->first = 0;
}

static int needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' ||
		  s[n - 1] == '\t'))
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

void csvout_strn(struct csvout *c, const char *s, size_t n)
{
	size_t need;

	sep(c);
	if (!needs_quotes(s, n)) {
		fwrite(s, 1, n, c->fp);
		return;
	}
	/* csv_write() needs at most 2n + 2 bytes: every quote doubled. */
	if (n > (SIZE_MAX - 2) / 2) {
		error("field too long");
		c->failed = 1;
		return;
	}
	need = 2 * n + 2;
	c->quoted = xgrow(c->quoted, &c->cap, need, 1);
	need = csv_write(c->quoted, c->cap, s, n);
	fwrite(c->quoted, 1, need, c->fp);
}

void csvout_str(struct csvout *c, const char *s)
{
	csvout_strn(c, s, strlen(s));
}

int csvout_failed(const struct csvout *c)
{
	return c->failed;
}

/* A whole decimal number: -123, +5, 1.5e-3 (what a spreadsheet reads). */
static int is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

int csvout_text_needs_prefix(const char *s, size_t n)
{
	/*
	 * OWASP's CSV injection advice: spreadsheets run a cell starting
	 * with = + - @ (and, after tab or CR, the rest) as a formula. A
	 * leading quote is escaped too, so that a reader undoes the prefix
	 * by dropping one leading quote whatever the name.
	 */
	return n && s[0] && strchr("=+-@\t\r'", s[0]) && !is_number(s, n);
}

void csvout_textn(struct csvout *c, const char *s, size_t n)
{
	size_t o = 0;

	if (text_is_safe(s, n, TEXT_CSV) &&
	    (c->raw || !csvout_text_needs_prefix(s, n))) {
		csvout_strn(c, s, n);
		return;
	}
	/* text_safe() writes up to 3 bytes a byte, the prefix one more */
	if (n > (SIZE_MAX - 1) / 3) {
		csvout_empty(c);
		error("field too long");
		c->failed = 1;
		return;
	}
	c->clean = xgrow(c->clean, &c->clean_cap, 3 * n + 1, 1);
	if (!c->raw && csvout_text_needs_prefix(s, n))
		c->clean[o++] = '\'';
	o += text_safe(c->clean + o, s, n, TEXT_CSV);
	csvout_strn(c, c->clean, o);
}

void csvout_text(struct csvout *c, const char *s)
{
	csvout_textn(c, s, strlen(s));
}

const char *csv_text_unprefix(const char *s)
{
	if (s[0] == '\'' && csvout_text_needs_prefix(s + 1, strlen(s + 1)))
		return s + 1;
	return s;
}

void csvout_i64(struct csvout *c, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	/* Hot path: most of leaky's output is numbers. */
	sep(c);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), c->fp);
}

void csvout_empty(struct csvout *c)
{
	sep(c);
}

void csvout_end(struct csvout *c)
{
	putc('\n', c->fp);
	c->first = 1;
}

void csvout_time(struct csvout *c, int64_t nanos, enum csv_time style)
{
	int64_t secs = nanos / 1000000000;
	char out[CLOCK_TEXT_MAX];

	if (nanos < 0 && nanos % 1000000000)
		secs--;
	switch (style) {
	case CSV_TIME_UNIX:
		csvout_i64(c, secs);
		return;
	case CSV_TIME_UNIXMS:
		csvout_i64(c, nanos / 1000000);
		return;
	case CSV_TIME_RFC3339:
		break;
	}
	/* Rows of one snapshot share their time: format it once. */
	if (c->time_valid && c->time_secs == secs) {
		csvout_str(c, c->time_text);
		return;
	}
	if (!clock_format(out, secs, 0, CLOCK_RFC3339)) {
		csvout_i64(c, secs);
		return;
	}
	memcpy(c->time_text, out, sizeof(out));
	c->time_secs = secs;
	c->time_valid = 1;
	csvout_str(c, out);
}

int csvout_time_parse(const char *s, enum csv_time *style)
{
	if (!strcmp(s, "rfc3339"))
		*style = CSV_TIME_RFC3339;
	else if (!strcmp(s, "unix"))
		*style = CSV_TIME_UNIX;
	else if (!strcmp(s, "unixms"))
		*style = CSV_TIME_UNIXMS;
	else
		return -1;
	return 0;
}

struct reader {
	char **fields;
	size_t n, cap;
	csv_row_fn row;
	void *ctx;
	int stop;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;

	r->fields = xgrow(r->fields, &r->cap, r->n + 1, sizeof(*r->fields));
	r->fields[r->n++] = xstrndup(s ? s : "", s ? len : 0);
}

static void on_row(int ch, void *data)
{
	struct reader *r = data;
	size_t i;

	(void)ch;
	if (!r->stop && r->row((const char *const *)r->fields, r->n, r->ctx))
		r->stop = 1;
	for (i = 0; i < r->n; i++)
		free(r->fields[i]);
	r->n = 0;
}

int csv_read(const char *name, const char *data, size_t len, csv_row_fn row,
	     void *ctx)
{
	struct csv_parser p;
	struct reader r = { .row = row, .ctx = ctx };
	int ret = 0;
	size_t i;

	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI)) {
		error("%s: cannot start the CSV parser", name);
		return -1;
	}
	if (csv_parse(&p, data, len, on_field, on_row, &r) != len ||
	    csv_fini(&p, on_field, on_row, &r)) {
		error("%s: malformed CSV: %s", name,
		      csv_strerror(csv_error(&p)));
		ret = -1;
	}
	for (i = 0; i < r.n; i++)
		free(r.fields[i]);
	free(r.fields);
	csv_free(&p);
	return ret;
}

int csv_parse_time(const char *s, int64_t *nanos)
{
	struct tm tm = { 0 };
	const char *p;
	char *end;
	int64_t frac = 0, scale = 100000000;
	long long v;

	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (end == s || *end || errno || v > INT64_MAX / 1000000000 ||
		    v < INT64_MIN / 1000000000)
			return -1;
		*nanos = (int64_t)v * 1000000000;
		return 0;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != 'Z' || p[1])
		return -1;
	*nanos = (int64_t)timegm(&tm) * 1000000000 + frac;
	return 0;
}

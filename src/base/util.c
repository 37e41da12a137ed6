/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostics and allocation helpers used everywhere. */
#include "base/leaky.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *leaky_progname = "leaky";

/* Per thread: the collector checks bodies on worker threads, each with
 * its own capture of the decoders' messages. */
static _Thread_local struct error_sink sink;

struct error_sink error_sink_set(struct error_sink s)
{
	struct error_sink old = sink;

	sink = s;
	return old;
}

/* Formats one message; to the sink when there is one and may_sink. */
static void vreport(int may_sink, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vreport(int may_sink, const char *fmt, va_list ap)
{
	char raw[4096], msg[3 * sizeof(raw)];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);

	/*
	 * Messages name functions, sample types and files from the input:
	 * one place keeps their escape sequences off the terminal (and, via
	 * the sink, out of the collector's manifest).
	 */
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(raw))
		n = sizeof(raw) - 1;
	msg[text_safe(msg, raw, (size_t)n, TEXT_TERMINAL)] = '\0';
	if (may_sink && sink.fn)
		sink.fn(sink.data, msg);
	else
		fprintf(stderr, "%s: %s\n", leaky_progname, msg);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(1, fmt, ap);
	va_end(ap);
}

void error_pass(const char *msg)
{
	if (sink.fn)
		sink.fn(sink.data, msg);
	else
		fprintf(stderr, "%s: %s\n", leaky_progname, msg);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	exit(LEAKY_FAIL);
}

void usage_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	exit(LEAKY_USAGE);
}

int failf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: BUG: %s:%d: ", leaky_progname, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void oom(size_t n)
{
	fprintf(stderr, "%s: out of memory allocating %zu bytes\n",
		leaky_progname, n);
	exit(LEAKY_FAIL);
}

void exhausted(void)
{
	exit(LEAKY_FAIL);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap;

	if (need <= n)
		return p;
	if (n < 16)
		n = 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			oom(SIZE_MAX);
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		oom(SIZE_MAX);
	*cap = n;
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (*end) {
		end++;
		if (tolower((unsigned char)*end) == 'i')
			end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (*end)
		return -1;
	if (shift && v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)(v << shift);
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0: no
 * overlong forms, no surrogates, nothing above U+10FFFF (what strict
 * readers such as Python's and Go's utf8.Valid accept).
 */
size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* A control character the use does not keep: C0, DEL, C1. */
static int unsafe_control(const unsigned char *s, size_t len,
			  enum text_use use)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	if (len != 1 || (s[0] >= 0x20 && s[0] != 0x7f))
		return 0;
	return use == TEXT_TERMINAL ||
	       (s[0] != '\t' && s[0] != '\n' && s[0] != '\r');
}

size_t text_safe(char *out, const char *s, size_t n, enum text_use use)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;

	while (i < n) {
		size_t len;

		/* Printable ASCII, nearly all of it: copied as it is. */
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			out[o++] = s[i++];
			continue;
		}
		len = u[i] ? utf8_seq(u + i, n - i) : 0;
		if (!len) {
			/* U+FFFD for a NUL or each byte of a bad sequence */
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else if (unsafe_control(u + i, len, use)) {
			out[o++] = '?';
			i += len;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	return o;
}

int text_is_safe(const char *s, size_t n, enum text_use use)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t len;

		if (u[i] >= 0x20 && u[i] < 0x7f) {
			i++;
			continue;
		}
		len = u[i] ? utf8_seq(u + i, n - i) : 0;
		if (!len || unsafe_control(u + i, len, use))
			return 0;
		i += len;
	}
	return 1;
}

char *text_dup_safe(const char *s, enum text_use use)
{
	size_t n = strlen(s);
	char *out;

	if (n > (SIZE_MAX - 1) / 3)
		oom(SIZE_MAX);
	out = xmalloc(3 * n + 1);
	out[text_safe(out, s, n, use)] = '\0';
	return out;
}

char *text_nul_free(const char *s, size_t n, size_t *out_len)
{
	size_t i, o = 0, nuls = 0;
	char *out;

	for (i = 0; i < n; i++)
		nuls += !s[i];
	if (!nuls)
		return NULL;
	if (n > (SIZE_MAX - 1) / 3)
		oom(SIZE_MAX);
	out = xmalloc(n + 2 * nuls + 1);
	for (i = 0; i < n; i++) {
		if (s[i]) {
			out[o++] = s[i];
			continue;
		}
		memcpy(out + o, "\xef\xbf\xbd", 3);
		o += 3;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

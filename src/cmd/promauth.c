/* SPDX-License-Identifier: Apache-2.0 */
/* Authentication to a Prometheus's API, from the command line. */
#include "cmd/promauth.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "load/loadopt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void promauth_add_header(struct promauth *a, const char *header)
{
	char why[128];

	if (loadopt_header_check(header, why, sizeof(why)) < 0)
		usage_die("bad -H '%s': %s", header, why);
	a->headers = xrealloc(a->headers,
			      (a->nheaders + 1) * sizeof(*a->headers));
	a->headers[a->nheaders++] = header;
}

/* Base64 of s, for basic authentication; the caller frees it. */
static char *base64(const char *s)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(4 * (n / 3 + 1) + 1);

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = i + 1 < n ? al[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? al[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/*
 * The first line of a secret file, without its line end: tokens and
 * passwords are written by editors and `echo`, which add one. The caller
 * frees it; dies naming the file (never its contents) when it is
 * unreadable or empty.
 */
static char *read_secret(const char *path, const char *what)
{
	struct buf b;
	char *s;

	buf_init(&b);
	if (buf_read_file(&b, path, 64 << 10, NULL) < 0)
		die("cannot read the %s", what);
	s = xmalloc(b.len + 1);
	memcpy(s, b.data, b.len);
	s[b.len] = '\0';
	s[strcspn(s, "\r\n")] = '\0';
	buf_release(&b);
	if (!*s)
		die("%s: the %s is empty", path, what);
	return s;
}

char **promauth_headers(const struct promauth *a, size_t *n)
{
	char **hdr = xcalloc(a->nheaders + 3, sizeof(*hdr)), *secret;
	size_t nh = 0, i;

	for (i = 0; i < a->nheaders; i++)
		hdr[nh++] = xstrdup(a->headers[i]);
	if (a->token_file) {
		secret = read_secret(a->token_file, "bearer token");
		hdr[nh] = xmalloc(strlen(secret) + 32);
		sprintf(hdr[nh++], "Authorization: Bearer %s", secret);
		free(secret);
	}
	if (a->basic_file) {
		char *b64;

		secret = read_secret(a->basic_file, "user:password");
		if (!strchr(secret, ':'))
			die("%s: not user:password", a->basic_file);
		b64 = base64(secret);
		hdr[nh] = xmalloc(strlen(b64) + 32);
		sprintf(hdr[nh++], "Authorization: Basic %s", b64);
		free(b64);
		free(secret);
	}
	*n = nh;
	return hdr;
}

void promauth_free(char **headers, size_t n)
{
	while (n)
		free(headers[--n]);
	free(headers);
}

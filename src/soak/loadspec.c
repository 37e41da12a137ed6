/* SPDX-License-Identifier: Apache-2.0 */
/* leaky soak's load requests: --load SPEC and the lines of --load-file. */
#include "soak/loadspec.h"
#include "base/leaky.h"
#include "load/loadopt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 4

/* Splits s at blanks into at most MAX_WORDS words; -1 when more. */
static int split(char *s, char **w, size_t *n)
{
	char *p = s;

	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			return 0;
		if (*n == MAX_WORDS)
			return -1;
		w[(*n)++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
}

/*
 * A URL needs its scheme, or to be a path ("/ingest": on the service's
 * pprof address, which may be known only once the service runs).
 */
static int is_url(const char *w)
{
	return !strncmp(w, "http://", 7) || !strncmp(w, "https://", 8) ||
	       w[0] == '/';
}

/* The words after the weight: [METHOD] URL [@BODYFILE]. */
static int parse_words(char **w, size_t n, const char *dir,
		       struct loadspec *r, char *err, size_t size)
{
	size_t i = 0;

	memset(r, 0, sizeof(*r));
	r->weight = 1;
	if (n && !is_url(w[0]) && w[0][0] != '@') {
		r->method = loadopt_method(w[0]);
		if (!r->method)
			return failf(err, size, "bad method '%s' (an HTTP "
				     "method such as GET or POST)", w[0]);
		i++;
	}
	if (i == n || !is_url(w[i])) {
		free(r->method);
		r->method = NULL;
		if (i == n)
			return failf(err, size, "no URL");
		return failf(err, size, "bad URL '%s' (want http://, "
			     "https:// or a /path)", w[i]);
	}
	if (!r->method)
		r->method = xstrdup("GET");
	r->url = xstrdup(w[i++]);
	if (i < n) {
		const char *f = w[i] + 1;

		if (w[i][0] != '@' || !*f) {
			loadspec_release(r);
			return failf(err, size, "unexpected '%s' after the URL "
				     "(a body file is @FILE)", w[i]);
		}
		if (dir && f[0] != '/') {
			size_t len = strlen(dir) + strlen(f) + 2;

			r->body_file = xmalloc(len);
			snprintf(r->body_file, len, "%s/%s", dir, f);
		} else {
			r->body_file = xstrdup(f);
		}
		i++;
	}
	if (i < n) {
		loadspec_release(r);
		return failf(err, size, "unexpected '%s' after the body file",
			     w[i]);
	}
	return 0;
}

int loadspec_parse(const char *spec, struct loadspec *r, char *err,
		   size_t size)
{
	char *copy = xstrdup(spec), *w[MAX_WORDS];
	size_t n;
	int ret;

	if (split(copy, w, &n) < 0)
		ret = failf(err, size, "too many words (want '[METHOD] URL "
			    "[@BODYFILE]')");
	else
		ret = parse_words(w, n, NULL, r, err, size);
	free(copy);
	return ret;
}

/*
 * A leading word that looks like a number is the weight ("-1" too, which
 * as a method would be a token, but surely meant a weight).
 */
static int parse_weight(const char *w, double *v)
{
	char *end;

	if (!((w[0] >= '0' && w[0] <= '9') || w[0] == '.' || w[0] == '-' ||
	      w[0] == '+'))
		return 0;
	*v = strtod(w, &end);
	if (*end || !(*v > 0) || *v > LOADSPEC_MAX_WEIGHT)
		return -1;
	return 1;
}

static int parse_line(char *line, const char *dir, struct loadspec *r,
		      char *err, size_t size)
{
	char *w[MAX_WORDS];
	double weight = 1;
	size_t n;
	int k;

	if (split(line, w, &n) < 0)
		return failf(err, size, "too many words (want '[WEIGHT] "
			     "[METHOD] URL [@BODYFILE]')");
	k = parse_weight(w[0], &weight);
	if (k < 0)
		return failf(err, size, "bad weight '%s' (a number above 0, "
			     "at most %g)", w[0], LOADSPEC_MAX_WEIGHT);
	if (parse_words(w + k, n - (size_t)k, dir, r, err, size) < 0)
		return -1;
	r->weight = weight;
	return 0;
}

int loadspec_parse_text(const char *text, size_t len, const char *name,
			const char *dir, struct loadspec **out, char *err,
			size_t size)
{
	struct loadspec *all = NULL;
	size_t n = 0, cap = 0, lineno = 0, at = 0;
	char why[256];

	*out = NULL;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		char *line = xstrndup(text + at, end - at);
		const char *p = line;

		at = end + 1;
		lineno++;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#') {
			free(line);
			continue;
		}
		all = xgrow(all, &cap, n + 1, sizeof(*all));
		if (parse_line(line, dir, &all[n], why, sizeof(why)) < 0) {
			free(line);
			loadspec_free_all(all, n);
			return failf(err, size, "%s:%zu: %s", name, lineno,
				     why);
		}
		free(line);
		n++;
	}
	if (!n)
		return failf(err, size, "%s: no request in it (lines of "
			     "'[WEIGHT] [METHOD] URL [@BODYFILE]')", name);
	*out = all;
	return (int)n;
}

void loadspec_release(struct loadspec *r)
{
	free(r->method);
	free(r->url);
	free(r->body_file);
	memset(r, 0, sizeof(*r));
}

void loadspec_free_all(struct loadspec *r, size_t n)
{
	size_t i;

	for (i = 0; r && i < n; i++)
		loadspec_release(&r[i]);
	free(r);
}

int loadspec_resolve(struct loadspec *r, const char *base)
{
	const char *host = strstr(base, "://"), *end;
	size_t n;
	char *url;

	if (r->url[0] != '/')
		return 0;
	if (!host)
		return -1;
	end = strchr(host + 3, '/');
	n = end ? (size_t)(end - base) : strlen(base);
	url = xmalloc(n + strlen(r->url) + 1);
	memcpy(url, base, n);
	strcpy(url + n, r->url);
	free(r->url);
	r->url = url;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky load's command-line helpers: Go flag spellings, numbers, headers. */
#include "load/loadopt.h"

#include "base/leaky.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option *find_long(const struct option *lo,
				      const char *name, size_t len)
{
	for (; lo && lo->name; lo++)
		if (strlen(lo->name) == len && !strncmp(lo->name, name, len))
			return lo;
	return NULL;
}

/*
 * Whether name (len bytes) reads as a misspelt long option of a family
 * such as disable-*: its first word, of two letters or more, followed by a
 * dash, begins a long option too. Then getopt should report it rather than
 * read "-disable-nothing" as -d with the body "isable-nothing".
 */
static int long_family(const struct option *lo, const char *name,
		       size_t len)
{
	const char *dash = memchr(name, '-', len);
	size_t w;

	if (!dash || dash - name < 2)
		return 0;
	w = (size_t)(dash - name) + 1;
	for (; lo && lo->name; lo++)
		if (!strncmp(lo->name, name, w))
			return 1;
	return 0;
}

/* Whether short option c takes an argument: 1, 0; -1 when unknown. */
static int short_arg(const char *optstring, int c)
{
	const char *p;

	if (c == ':' || !optstring)
		return -1;
	p = strchr(optstring, c);
	if (!p)
		return -1;
	return p[1] == ':';
}

static char *keep(struct loadopt_argv *a, char *s)
{
	a->owned = xrealloc(a->owned, (a->nowned + 1) * sizeof(*a->owned));
	a->owned[a->nowned++] = s;
	return s;
}

static char *concat(const char *x, const char *y, size_t ylen)
{
	size_t xl = strlen(x);
	char *s = xmalloc(xl + ylen + 1);

	memcpy(s, x, xl);
	memcpy(s + xl, y, ylen);
	s[xl + ylen] = '\0';
	return s;
}

static int is_true(const char *v)
{
	return !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "TRUE") ||
	       !strcmp(v, "t") || !strcmp(v, "T") || !strcmp(v, "True");
}

static int is_false(const char *v)
{
	return !strcmp(v, "false") || !strcmp(v, "0") ||
	       !strcmp(v, "FALSE") || !strcmp(v, "f") || !strcmp(v, "F") ||
	       !strcmp(v, "False");
}

/*
 * Rewrites one "-word" or "--word" argument; returns it (or NULL to drop
 * it) and sets *takes_next when the next argument is its value.
 */
static char *rewrite(struct loadopt_argv *a, char *arg, const char *optstring,
		     const struct option *longopts, int *takes_next)
{
	const char *name = arg + 1 + (arg[1] == '-');
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option *lo = find_long(longopts, name, len);
	const char *p;
	int r;

	*takes_next = 0;
	if (lo) {
		if (eq && lo->has_arg == no_argument) {
			if (is_true(eq + 1))
				return keep(a, concat("--", name, len));
			if (is_false(eq + 1))
				return NULL;
		}
		if (!eq && lo->has_arg == required_argument)
			*takes_next = 1;
		return arg[1] == '-' ? arg :
		       keep(a, concat("-", arg, strlen(arg)));
	}
	if (arg[1] == '-')
		return arg;	/* unknown or abbreviated: getopt reports */
	if (long_family(longopts, name, len))
		return keep(a, concat("-", arg, strlen(arg)));
	/* a cluster of short options, e.g. -n100, -kc 5, -n=100 */
	for (p = arg + 1; *p; p++) {
		r = short_arg(optstring, *p);
		if (r < 0)
			return arg;
		if (r == 0)
			continue;
		if (!p[1]) {
			*takes_next = 1;
		} else if (p[1] == '=' && p == arg + 1) {
			/* Go's -n=100: getopt would take "=100" */
			char *o = xmalloc(strlen(arg));

			o[0] = '-';
			o[1] = *p;
			strcpy(o + 2, p + 2);
			return keep(a, o);
		}
		return arg;
	}
	return arg;
}

void loadopt_argv_init(struct loadopt_argv *a, int argc, char **argv,
		       const char *optstring, const struct option *longopts)
{
	int i, n = 0, takes_next, literal = 0;

	memset(a, 0, sizeof(*a));
	a->argv = xcalloc((size_t)argc + 1, sizeof(*a->argv));
	for (i = 0; i < argc; i++) {
		char *arg = argv[i], *out;

		if (i == 0 || literal || arg[0] != '-' || !arg[1]) {
			a->argv[n++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			literal = 1;
			a->argv[n++] = arg;
			continue;
		}
		out = rewrite(a, arg, optstring, longopts, &takes_next);
		if (out)
			a->argv[n++] = out;
		if (takes_next && i + 1 < argc)
			a->argv[n++] = argv[++i];
	}
	a->argv[n] = NULL;
	a->argc = n;
}

void loadopt_argv_release(struct loadopt_argv *a)
{
	size_t i;

	for (i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->argv);
	memset(a, 0, sizeof(*a));
}

int loadopt_number(const char *s, double *v)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || errno || !isfinite(*v) || *v < 0)
		return -1;
	return 0;
}

/* RFC 9110 token characters. */
static int is_tchar(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

int loadopt_header_check(const char *h, char *why, size_t size)
{
	const char *p = h;

	while (is_tchar((unsigned char)*p))
		p++;
	if (!strchr(h, ':')) {
		snprintf(why, size, "want 'Name: value'");
		return -1;
	}
	if (*p != ':' || p == h) {
		snprintf(why, size, p == h ? "empty name" :
			 "bad character in the name");
		return -1;
	}
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		snprintf(why, size, "empty value");
		return -1;
	}
	if (strpbrk(p, "\r\n")) {
		snprintf(why, size, "line break in the value");
		return -1;
	}
	return 0;
}

char *loadopt_method(const char *m)
{
	char *u;
	size_t i;

	if (!*m)
		return NULL;
	for (i = 0; m[i]; i++)
		if (!is_tchar((unsigned char)m[i]))
			return NULL;
	u = xstrdup(m);
	for (i = 0; u[i]; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return u;
}

static size_t name_len(const char *h)
{
	const char *c = strchr(h, ':');

	return c ? (size_t)(c - h) : strlen(h);
}

/* Adds "name: value" (or the line h) to list, replacing a same-name one. */
static void put(char **list, size_t *n, char *line)
{
	size_t i, l = name_len(line);

	for (i = 0; i < *n; i++) {
		if (name_len(list[i]) == l && !strncasecmp(list[i], line, l)) {
			free(list[i]);
			list[i] = line;
			return;
		}
	}
	list[(*n)++] = line;
}

static char *header(const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *s = xmalloc(nl + vl + 3);

	memcpy(s, name, nl);
	memcpy(s + nl, ": ", 2);
	memcpy(s + nl + 2, value, vl + 1);
	return s;
}

char **loadopt_headers(const struct loadopt_headers *in, size_t *n)
{
	char **list = xcalloc(in->nextra + 4, sizeof(*list));
	size_t i;

	*n = 0;
	if (in->content_type)
		put(list, n, header("Content-Type", in->content_type));
	else if (in->has_body)
		put(list, n, header("Content-Type", "text/html"));
	if (in->accept)
		put(list, n, header("Accept", in->accept));
	if (in->host)
		put(list, n, header("Host", in->host));
	for (i = 0; i < in->nextra; i++)
		put(list, n, xstrdup(in->extra[i]));
	list[*n] = NULL;
	return list;
}

void loadopt_headers_free(char **h)
{
	size_t i;

	for (i = 0; h && h[i]; i++)
		free(h[i]);
	free(h);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus's text format 0.0.4 and OpenMetrics 1.0.0, written. */
#include "fleet/exporter_text.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Labels a sample may carry: its own and a target's, few in practice. */
#define MAX_EXTRA 32

int expo_wants_openmetrics(const char *accept)
{
	static const char om[] = "application/openmetrics-text";
	const char *p = accept;

	/*
	 * Each media range is "type/subtype;param=...;q=...", comma
	 * separated. Only the one naming OpenMetrics matters, and only
	 * whether its q is 0 ("not acceptable"): the text format is what
	 * every scraper takes, so it is the answer to anything else.
	 */
	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *q;

		while (*p == ' ' || *p == '\t') {
			p++;
			n--;
		}
		if (n >= sizeof(om) - 1 &&
		    !strncasecmp(p, om, sizeof(om) - 1)) {
			for (q = p; q < p + n; q++)
				if (*q == ';') {
					const char *v = q + 1;

					while (*v == ' ')
						v++;
					if (!strncmp(v, "q=", 2) &&
					    strtod(v + 2, NULL) <= 0.0)
						return 0;
				}
			return 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

void expo_init(struct expo *x, struct buf *b, int openmetrics)
{
	memset(x, 0, sizeof(*x));
	x->b = b;
	x->openmetrics = openmetrics;
}

void expo_escape(struct buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			buf_addstr(b, "\\\\");
		else if (*v == '"')
			buf_addstr(b, "\\\"");
		else if (*v == '\n')
			buf_addstr(b, "\\n");
		else
			buf_add(b, v, 1);
	}
}

/*
 * HELP text: the text format escapes backslash and line feed there,
 * OpenMetrics the double quote too (its HELP is a quoted-string's
 * escapes without the quotes).
 */
static void add_help(struct expo *x, const char *h)
{
	for (; *h; h++) {
		if (*h == '\\')
			buf_addstr(x->b, "\\\\");
		else if (*h == '\n')
			buf_addstr(x->b, "\\n");
		else if (*h == '"' && x->openmetrics)
			buf_addstr(x->b, "\\\"");
		else
			buf_add(x->b, h, 1);
	}
}

static void add_name(struct expo *x)
{
	buf_addstr(x->b, x->name);
	if (x->type == EXPO_COUNTER)
		buf_addstr(x->b, "_total");
}

void expo_family(struct expo *x, const char *name, enum expo_type type,
		 const char *help)
{
	x->name = name;
	x->type = type;
	/* OpenMetrics names the family, whose counter samples add _total;
	 * the text format names the samples. */
	buf_addstr(x->b, "# HELP ");
	if (x->openmetrics)
		buf_addstr(x->b, name);
	else
		add_name(x);
	buf_addstr(x->b, " ");
	add_help(x, help);
	buf_addstr(x->b, "\n# TYPE ");
	if (x->openmetrics)
		buf_addstr(x->b, name);
	else
		add_name(x);
	buf_addstr(x->b, type == EXPO_COUNTER ? " counter\n" : " gauge\n");
}

static int valid_label_name(const char *s)
{
	const char *p;

	if (!*s || (*s >= '0' && *s <= '9') || !strncmp(s, "__", 2))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/*
 * Splits the "k=v;k=v" form into out, as every writer of it makes it
 * (buf_add_label()): '\', ';' and '=' escaped with a backslash, LF and
 * CR written "\n" and "\r"; a backslash before anything else is itself
 * (manifests written before configuration labels were escaped too have
 * them bare). Pairs go into out,
 * NUL-separated: each pair's key then value, n pairs at most.
 * Returns the pairs found.
 */
static size_t split_labels(const char *s, struct buf *out,
			   size_t start[][2], size_t n)
{
	size_t found = 0;
	int in_value = 0;

	if (!s || !*s)
		return 0;
	start[0][0] = out->len;
	for (; *s; s++) {
		char c = *s;

		/* buf_add_label()'s escapes undone */
		if (c == '\\' && s[1] && strchr("\\;=nr", s[1])) {
			c = *++s;
			c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
		} else if (c == '=' && !in_value) {
			buf_add(out, "", 1);
			start[found][1] = out->len;
			in_value = 1;
			continue;
		} else if (c == ';') {
			buf_add(out, "", 1);
			if (in_value && ++found == n)
				return found;
			in_value = 0;
			start[found][0] = out->len;
			continue;
		}
		buf_add(out, &c, 1);
	}
	buf_add(out, "", 1);
	if (in_value)
		found++;
	return found;
}

static void add_label(struct expo *x, int *first, const char *k,
		      const char *v)
{
	buf_addstr(x->b, *first ? "{" : ",");
	*first = 0;
	buf_addstr(x->b, k);
	buf_addstr(x->b, "=\"");
	expo_escape(x->b, v);
	buf_addstr(x->b, "\"");
}

/* Shortest of %.15g and %.17g that reads back as v; NaN and infinities
 * as both formats spell them. */
static void add_value(struct buf *b, double v)
{
	char s[40];

	if (isnan(v)) {
		buf_addstr(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_addstr(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	snprintf(s, sizeof(s), "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof(s), "%.17g", v);
	buf_addstr(b, s);
}

void expo_sample(struct expo *x, const char *const *labels,
		 const char *extra, double value)
{
	size_t pos[MAX_EXTRA][2], n, i, j;
	struct buf kv;
	int first = 1;

	BUG_ON(!x->name);
	add_name(x);
	for (i = 0; labels && labels[i]; i += 2)
		add_label(x, &first, labels[i], labels[i + 1]);
	buf_init(&kv);
	n = split_labels(extra, &kv, pos, MAX_EXTRA);
	for (j = 0; j < n; j++) {
		const char *k = (const char *)kv.data + pos[j][0];
		const char *v = (const char *)kv.data + pos[j][1];
		int dup = 0;

		if (!valid_label_name(k))
			continue;
		for (i = 0; labels && labels[i]; i += 2)
			dup |= !strcmp(labels[i], k);
		if (!dup)
			add_label(x, &first, k, v);
	}
	buf_release(&kv);
	if (!first)
		buf_addstr(x->b, "}");
	buf_addstr(x->b, " ");
	add_value(x->b, value);
	buf_addstr(x->b, "\n");
}

void expo_end(struct expo *x)
{
	if (x->openmetrics)
		buf_addstr(x->b, "# EOF\n");
}

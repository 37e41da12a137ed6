/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect's configuration files: the only user of libconfig. */
#include "collect/collconf.h"
#include "base/buf.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/settings.h"
#include "collect/url.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loader {
	const char *path;
	char *err;
};

static int fail(struct loader *l, const config_setting_t *s,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reports "FILE:LINE: message" for setting s; returns -1. */
static int fail(struct loader *l, const config_setting_t *s,
		const char *fmt, ...)
{
	char msg[COLLECT_ERR - 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s && config_setting_source_line(s))
		snprintf(l->err, COLLECT_ERR, "%s:%u: %s", l->path,
			 config_setting_source_line(s), msg);
	else
		snprintf(l->err, COLLECT_ERR, "%s: %s", l->path, msg);
	return -1;
}

static const char *type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "a number";
	case CONFIG_TYPE_FLOAT:
		return "a decimal number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "true or false";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	}
	return "something else";
}

static int want_string(struct loader *l, const config_setting_t *s,
		       const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(l, s, "'%s' must be a string, not %s",
			    config_setting_name(s),
			    type_name(config_setting_type(s)));
	*out = config_setting_get_string(s);
	return 0;
}

static int want_bool(struct loader *l, const config_setting_t *s, int *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(l, s, "'%s' must be true or false, not %s",
			    config_setting_name(s),
			    type_name(config_setting_type(s)));
	*out = config_setting_get_bool(s);
	return 0;
}

static int want_int(struct loader *l, const config_setting_t *s,
		    int64_t min, int64_t max, int64_t *out)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(l, s, "'%s' must be a whole number, not %s",
			    config_setting_name(s),
			    type_name(config_setting_type(s)));
	/*
	 * config_setting_get_int64 gives the literal's true value: one
	 * beyond int's range was read as 64-bit (see widen_ints).
	 */
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return fail(l, s, "%s: %lld is out of range (%lld..%lld)",
			    config_setting_name(s), v, (long long)min,
			    (long long)max);
	*out = v;
	return 0;
}

/*
 * A duration: "30s", "5m", ... or a number of seconds, min..max (min 0:
 * zero is allowed, min 1: it is not).
 */
static int want_duration(struct loader *l, const config_setting_t *s,
			 int64_t min, int64_t max, int64_t *out)
{
	const char *str = NULL;
	char num[32];
	int64_t v;

	if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) {
		long long secs = config_setting_get_int64(s);

		/* Seconds: held to collect's longest duration here, so
		 * that the message shows the number as written. */
		if (secs < 0 || secs > max)
			return fail(l, s, "%s: %lld is out of range "
				    "(%lld..%lld seconds)",
				    config_setting_name(s), secs,
				    (long long)min, (long long)max);
		snprintf(num, sizeof(num), "%lld", secs);
		str = num;
	} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
	} else {
		return fail(l, s, "'%s' must be a duration such as \"30s\" "
			    "or \"5m\", not %s", config_setting_name(s),
			    type_name(config_setting_type(s)));
	}
	if (duration_parse(str, &v, &duration_leaky) < 0 || (min > 0 && !v))
		return fail(l, s, "bad duration '%s' for '%s' (e.g. \"500ms\","
			    " \"30s\", \"5m\", \"2h\"%s)", str,
			    config_setting_name(s),
			    min > 0 ? "" : ", \"0\" for none");
	*out = v;
	return 0;
}

static int want_size(struct loader *l, const config_setting_t *s,
		     size_t *out)
{
	const char *str = NULL;
	char num[32];

	if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) {
		long long bytes = config_setting_get_int64(s);

		if (bytes < 1024)
			return fail(l, s, "%s: %lld is out of range (at least "
				    "1024 bytes)", config_setting_name(s),
				    bytes);
		snprintf(num, sizeof(num), "%lld", bytes);
		str = num;
	} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
	} else {
		return fail(l, s, "'%s' must be a size such as \"64M\", not %s",
			    config_setting_name(s),
			    type_name(config_setting_type(s)));
	}
	if (parse_size(str, out) < 0 || *out < 1024)
		return fail(l, s, "bad size '%s' for '%s' (e.g. \"64M\", at "
			    "least 1k)", str, config_setting_name(s));
	return 0;
}

/* profiles = ["heap", "goroutine"] or "heap,goroutine". */
static int want_kinds(struct loader *l, const config_setting_t *s,
		      unsigned *out)
{
	char err[COLLECT_ERR];
	unsigned m = 0, one;
	int i, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (collect_parse_kinds(config_setting_get_string(s), ',',
					out, err) < 0)
			return fail(l, s, "%s", err);
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(l, s, "'profiles' must be an array of names such "
			    "as [\"heap\", \"goroutine\"]");
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s,
							(unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return fail(l, s, "'profiles' must hold strings");
		if (collect_parse_kinds(config_setting_get_string(e), ',',
					&one, err) < 0)
			return fail(l, e, "%s", err);
		m |= one;
	}
	if (!m)
		return fail(l, s, "'profiles' is empty");
	*out = m;
	return 0;
}

/* headers = ["Name: value ${ENV}", ...], expanded now. */
static int want_headers(struct loader *l, const config_setting_t *s,
			char ***out, size_t *nout)
{
	char err[COLLECT_ERR];
	char **v;
	int i, n;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(l, s, "'headers' must be an array of strings "
			    "such as [\"Authorization: Bearer ${TOKEN}\"]");
	n = config_setting_length(s);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s,
							(unsigned)i);
		const char *str, *colon;

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			fail(l, s, "'headers' must hold strings");
			goto bad;
		}
		str = config_setting_get_string(e);
		colon = strchr(str, ':');
		if (!colon || colon == str || strpbrk(str, "\r\n") ||
		    strcspn(str, " \t") < (size_t)(colon - str)) {
			fail(l, e, "bad header '%s' (expected \"Name: value\")",
			     str);
			goto bad;
		}
		v[i] = collect_expand_env(str, err);
		if (!v[i]) {
			fail(l, e, "header %.*s: %s", (int)(colon - str), str,
			     err);
			goto bad;
		}
		if (strpbrk(v[i], "\r\n")) {
			fail(l, e, "header %.*s: a line break in its value",
			     (int)(colon - str), str);
			goto bad;
		}
	}
	while (*nout)
		free((*out)[--*nout]);
	free(*out);
	*out = v;
	*nout = (size_t)n;
	return 0;
bad:
	while (i >= 0)
		free(v[i--]);
	free(v);
	return -1;
}

/* One path: a relative one is taken from the file's folder. */
static char *file_relative(const struct loader *l, const char *path)
{
	const char *slash = strrchr(l->path, '/');
	size_t n;
	char *p;

	if (path[0] == '/' || !slash)
		return xstrdup(path);
	n = (size_t)(slash - l->path) + 1;
	p = xmalloc(n + strlen(path) + 1);
	memcpy(p, l->path, n);
	strcpy(p + n, path);
	return p;
}

/* file-sd = "targets/NAME.json" or ["a.json", "b/GLOB.yml"]. */
static int want_paths(struct loader *l, const config_setting_t *s,
		      char ***out, size_t *nout)
{
	int single = config_setting_type(s) == CONFIG_TYPE_STRING;
	int i, n = single ? 1 : config_setting_length(s);
	char **v;

	if (!single && config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(l, s, "'%s' must be a path or an array of paths "
			    "such as [\"targets/*.json\"]",
			    config_setting_name(s));
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const config_setting_t *e = single ? s :
			config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING ||
		    !*config_setting_get_string(e)) {
			while (i > 0)
				free(v[--i]);
			free(v);
			return fail(l, e, "'%s' must hold paths (strings, not "
				    "empty)", config_setting_name(s));
		}
		v[i] = file_relative(l, config_setting_get_string(e));
	}
	while (*nout)
		free((*out)[--*nout]);
	free(*out);
	*out = v;
	*nout = (size_t)n;
	return 0;
}

/* labels = { env = "staging"; zone = "a"; } as "env=staging;zone=a". */
static int want_labels(struct loader *l, const config_setting_t *s,
		       char **out)
{
	struct buf b;
	int i, n;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return fail(l, s, "'labels' must be a group such as "
			    "{ env = \"staging\"; }");
	buf_init(&b);
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s,
							(unsigned)i);
		char num[32];
		const char *v;

		switch (config_setting_type(e)) {
		case CONFIG_TYPE_STRING:
			v = config_setting_get_string(e);
			break;
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			snprintf(num, sizeof(num), "%lld",
				 config_setting_get_int64(e));
			v = num;
			break;
		default:
			buf_release(&b);
			return fail(l, e, "label '%s' must be a string",
				    config_setting_name(e));
		}
		if (strpbrk(v, ";=\r\n")) {
			buf_release(&b);
			return fail(l, e, "label '%s': no ';', '=' or line "
				    "breaks in values", config_setting_name(e));
		}
		if (i)
			buf_add(&b, ";", 1);
		buf_addstr(&b, config_setting_name(e));
		buf_add(&b, "=", 1);
		/* a backslash escaped, as every writer of the form does */
		buf_add_label(&b, v);
	}
	buf_add(&b, "", 1);
	free(*out);
	*out = (char *)b.data;
	return 0;
}

static int load_targets(struct loader *l, const config_setting_t *s,
			struct collect_conf *conf);

/* A string setting: min is its shortest length (an empty output). */
static int want_text(struct loader *l, const config_setting_t *s,
		     const struct collect_setting *cs, char **out)
{
	const char *str = NULL;

	if (want_string(l, s, &str) < 0)
		return -1;
	if (strlen(str) < (size_t)cs->min)
		return fail(l, s, "'%s' is empty", cs->name);
	free(*out);
	*out = xstrdup(str);
	return 0;
}

/* A target's name or URL, checked as they are wherever they are given. */
static int want_target_id(struct loader *l, const config_setting_t *s,
			  const struct collect_setting *cs,
			  struct collect_target *t, char **name)
{
	char err[COLLECT_ERR];
	const char *str = NULL;

	if (want_string(l, s, &str) < 0)
		return -1;
	if (cs->type == CS_URL) {
		if (collect_set_url(t, str, err) < 0)
			return fail(l, s, "%s", err);
		return 0;
	}
	if (collect_check_name(str, err) < 0)
		return fail(l, s, "%s", err);
	free(*name);
	*name = xstrdup(str);
	return 0;
}

/*
 * Reads setting s, found as cs in the table, into where it lands: conf
 * at the top level, t in a target group. The table says the type, the
 * range and the place; this says how a file writes each type.
 */
static int want_setting(struct loader *l, const config_setting_t *s,
			const struct collect_setting *cs, unsigned where,
			struct collect_conf *conf, struct collect_target *t)
{
	void *at = collect_setting_at(cs, where, conf, t);
	int64_t v;

	switch (cs->type) {
	case CS_STRING:
		return want_text(l, s, cs, at);
	case CS_BOOL:
		return want_bool(l, s, at);
	case CS_INT:
		return want_int(l, s, cs->min, cs->max, at);
	case CS_COUNT:
		if (want_int(l, s, cs->min, cs->max, &v) < 0)
			return -1;
		*(size_t *)at = (size_t)v;
		return 0;
	case CS_DURATION:
		if (cs->auto_zero &&
		    config_setting_type(s) == CONFIG_TYPE_STRING &&
		    !strcmp(config_setting_get_string(s), "auto")) {
			*(int64_t *)at = 0;
			return 0;
		}
		return want_duration(l, s, cs->min, cs->max, at);
	case CS_SIZE:
		return want_size(l, s, at);
	case CS_KINDS:
		return want_kinds(l, s, at);
	case CS_HEADERS:
		return want_headers(l, s, at, collect_setting_count_at(cs,
							where, conf, t));
	case CS_PATHS:
		return want_paths(l, s, at, collect_setting_count_at(cs,
							where, conf, t));
	case CS_LABELS:
		return want_labels(l, s, at);
	case CS_NAME:
	case CS_URL:
		return want_target_id(l, s, cs, t, at);
	case CS_TARGETS:
		return load_targets(l, s, conf);
	}
	BUG("setting %s of type %d", cs->name, cs->type);
}

static int load_target(struct loader *l, const config_setting_t *g,
		       struct collect_conf *conf)
{
	struct collect_target *t;
	const config_setting_t *url = NULL, *name = NULL;
	int i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(l, g, "each target must be a group "
			    "{ name = ...; url = ...; }");
	t = collect_conf_add(conf);
	t->origin = xmalloc(strlen(l->path) + 16);
	sprintf(t->origin, "%s:%u", l->path, config_setting_source_line(g));
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g,
							(unsigned)i);
		const char *key = config_setting_name(s);
		const struct collect_setting *cs =
			collect_setting_find(key, CS_TARGET);

		if (!cs)
			return fail(l, s, "unknown target setting '%s' (%s)",
				    key, collect_setting_names(CS_TARGET));
		if (cs->type == CS_NAME)
			name = s;
		else if (cs->type == CS_URL)
			url = s;
		if (want_setting(l, s, cs, CS_TARGET, conf, t) < 0)
			return -1;
	}
	if (!name)
		return fail(l, g, "target without a name");
	if (!url)
		return fail(l, g, "target '%s' without a url", t->name);
	return 0;
}

static int load_targets(struct loader *l, const config_setting_t *s,
			struct collect_conf *conf)
{
	int j, m;

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(l, s, "'targets' must be a list "
			    "( { name = ...; url = ...; }, ... )");
	m = config_setting_length(s);
	for (j = 0; j < m; j++)
		if (load_target(l, config_setting_get_elem(s, (unsigned)j),
				conf) < 0)
			return -1;
	return 0;
}

static int load_root(struct loader *l, const config_setting_t *root,
		     struct collect_conf *conf)
{
	int i, n;

	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root,
							(unsigned)i);
		const char *key = config_setting_name(s);
		const struct collect_setting *cs =
			collect_setting_find(key, CS_ROOT);

		if (!cs)
			return fail(l, s, "unknown setting '%s' (%s)", key,
				    collect_setting_names(CS_ROOT));
		if (want_setting(l, s, cs, CS_ROOT, conf, NULL) < 0)
			return -1;
	}
	return 0;
}

/* Configuration files are small: anything larger is not one. */
#define MAX_CONF_BYTES ((size_t)1 << 20)

/* Reads path whole into b, NUL-terminated; -1 with "FILE: reason". */
static int read_conf(const char *path, struct buf *b, char err[COLLECT_ERR])
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp) {
		snprintf(err, COLLECT_ERR, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		buf_reserve(b, 4096);
		n = fread(b->data + b->len, 1, b->cap - b->len, fp);
		b->len += n;
		if (b->len > MAX_CONF_BYTES) {
			snprintf(err, COLLECT_ERR, "%s: larger than %zu bytes, "
				 "not a configuration file", path,
				 MAX_CONF_BYTES);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, COLLECT_ERR, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(fp);
	buf_add(b, "", 1);
	return 0;
fail:
	fclose(fp);
	return -1;
}

/* An integer literal as libconfig's scanner sees it. */
struct literal {
	uint64_t mag;		/* magnitude, when not over */
	int neg, hex, over;	/* over: more than 64 bits of magnitude */
	int is_float;		/* "1.5", "1e3", "2e-3": not an integer */
	int has_l;		/* already read as 64-bit */
};

/*
 * Scans the number at p (a digit, or a sign then a digit) into lit;
 * returns the end of its digits (before any 'L').
 */
static const char *scan_number(const char *p, const char *end,
			       struct literal *lit)
{
	unsigned base = 10;

	memset(lit, 0, sizeof(*lit));
	if (*p == '-' || *p == '+')
		lit->neg = *p++ == '-';
	else if (*p == '0' && end - p > 2 && (p[1] == 'x' || p[1] == 'X') &&
		 isxdigit((unsigned char)p[2])) {
		/* libconfig's hex literals take no sign. */
		lit->hex = 1;
		base = 16;
		p += 2;
	}
	for (; p < end && (lit->hex ? isxdigit((unsigned char)*p) :
			   isdigit((unsigned char)*p)); p++) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0') :
			     (unsigned)(tolower((unsigned char)*p) - 'a' + 10);

		if (lit->mag > (UINT64_MAX - d) / base)
			lit->over = 1;
		else
			lit->mag = lit->mag * base + d;
	}
	if (!lit->hex && p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
		const char *q = p + 1;

		if (*p != '.' && q < end && (*q == '-' || *q == '+'))
			q++;
		if (*p == '.' || (q < end && isdigit((unsigned char)*q))) {
			lit->is_float = 1;
			while (p < end && (isdigit((unsigned char)*p) ||
			       *p == '.' || *p == 'e' || *p == 'E' ||
			       ((*p == '-' || *p == '+') &&
				(p[-1] == 'e' || p[-1] == 'E'))))
				p++;
			return p;
		}
	}
	lit->has_l = p < end && *p == 'L';
	return p;
}

/* 1 when libconfig 1.5 reads lit without 'L' as what it says. */
static int fits_int(const struct literal *lit)
{
	if (lit->hex)
		return lit->mag <= (uint64_t)INT_MAX;
	return lit->mag <= (uint64_t)INT_MAX + (uint64_t)lit->neg;
}

/*
 * Adds an 'L' to every integer literal of text that int cannot hold.
 *
 * Why: libconfig 1.5 (Debian 12's) scans a literal without the 'L' suffix
 * into an int, silently keeping the low 32 bits: "pid = 4294967297;"
 * reads as 1, "rounds = 8589934592;" as 0 (run forever),
 * 9223372036854775807 as -1, and the setting's type is then plain INT, so
 * not even config_setting_get_int64 sees the true value. With the 'L' it
 * reads the literal as 64-bit, and the range checks above see what the
 * user wrote. A literal beyond 64 bits is an error here, at its line,
 * named after the setting name written last before it.
 *
 * The text is tokenized as libconfig's scanner does (comments '#', '//'
 * and C's, strings with escapes, names, hex and decimal integers,
 * floats), so digits in a name, a string or a comment are left alone;
 * inserting a letter within a line keeps every line number. Files pulled
 * in by @include are read by libconfig itself and not widened.
 */
/* Where widen_ints() is in the text, and on which line. */
struct scan {
	const char *p, *end;
	unsigned lineno;
};

/*
 * Skips the comment or string at sc->p, counting its lines; returns 0
 * when sc->p starts neither.
 */
static int skip_comment_or_string(struct scan *sc)
{
	const char *p = sc->p, *end = sc->end;

	if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
		while (p < end && *p != '\n')
			p++;
	} else if (*p == '/' && p + 1 < end && p[1] == '*') {
		for (p += 2; p < end; p++) {
			if (*p == '\n')
				sc->lineno++;
			if (*p == '*' && p + 1 < end && p[1] == '/') {
				p += 2;
				break;
			}
		}
	} else if (*p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (*p == '\n')
				sc->lineno++;
		}
		p += p < end;
	} else {
		return 0;
	}
	sc->p = p;
	return 1;
}

static int starts_number(const struct scan *sc)
{
	const char *p = sc->p;

	return isdigit((unsigned char)*p) ||
	       ((*p == '-' || *p == '+') && p + 1 < sc->end &&
		isdigit((unsigned char)p[1]));
}

static int widen_ints(const char *path, const char *text, size_t len,
		      struct buf *out, char err[COLLECT_ERR])
{
	struct scan sc = { text, text + len, 1 };
	const char *copied = text, *name = "", *name_end = name;

	while (sc.p < sc.end) {
		const char *tok = sc.p;
		struct literal lit;

		if (*sc.p == '\n') {
			sc.lineno++;
			sc.p++;
		} else if (skip_comment_or_string(&sc)) {
			continue;
		} else if (isalpha((unsigned char)*sc.p) || *sc.p == '*') {
			while (sc.p < sc.end &&
			       (isalnum((unsigned char)*sc.p) || *sc.p == '-' ||
				*sc.p == '_' || *sc.p == '*'))
				sc.p++;
			name = tok;
			name_end = sc.p;
		} else if (*sc.p == '.' && sc.p + 1 < sc.end &&
			   isdigit((unsigned char)sc.p[1])) {
			/* A float such as .5: skip its digits. */
			for (sc.p++; sc.p < sc.end &&
			     isdigit((unsigned char)*sc.p); sc.p++)
				;
		} else if (starts_number(&sc)) {
			sc.p = scan_number(sc.p, sc.end, &lit);
			if (lit.is_float)
				continue;
			if (lit.over ||
			    lit.mag > (uint64_t)INT64_MAX + (uint64_t)lit.neg) {
				snprintf(err, COLLECT_ERR, "%s:%u: %.*s%s%.*s "
					 "is out of range (more than 64 bits)",
					 path, sc.lineno,
					 (int)(name_end - name), name,
					 name_end > name ? ": " : "",
					 (int)(sc.p - tok), tok);
				return -1;
			}
			if (!lit.has_l && !fits_int(&lit)) {
				buf_add(out, copied, (size_t)(sc.p - copied));
				buf_add(out, "L", 1);
				copied = sc.p;
			}
		} else {
			sc.p++;
		}
	}
	buf_add(out, copied, (size_t)(sc.end - copied));
	buf_add(out, "", 1);
	return 0;
}

int collconf_load(const char *path, struct collect_conf *conf,
		  char err[COLLECT_ERR])
{
	struct loader l = { path, err };
	struct buf raw, text;
	config_t cfg;
	int ret = -1;

	buf_init(&raw);
	buf_init(&text);
	config_init(&cfg);
	if (read_conf(path, &raw, err) < 0)
		goto out;
	/* libconfig reads a string up to its NUL: a NUL byte would hide
	 * the rest of the file. */
	if (memchr(raw.data, '\0', raw.len - 1)) {
		snprintf(err, COLLECT_ERR, "%s: a NUL byte: not a text file",
			 path);
		goto out;
	}
	if (widen_ints(path, (const char *)raw.data, raw.len - 1, &text,
		       err) < 0)
		goto out;
	if (!config_read_string(&cfg, (const char *)text.data)) {
		snprintf(err, COLLECT_ERR, "%s:%d: %s", path,
			 config_error_line(&cfg), config_error_text(&cfg));
		goto out;
	}
	ret = load_root(&l, config_root_setting(&cfg), conf);
	if (!ret) {
		free(conf->source);
		conf->source = xstrdup(path);
	}
out:
	config_destroy(&cfg);
	buf_release(&raw);
	buf_release(&text);
	return ret;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The -t NAME=URL[,key=value...] target spec. */
#include "collect/spec.h"
#include "base/buf.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/settings.h"
#include "collect/url.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int spec_i64(const char *key, const char *v, int64_t *out,
		    char err[COLLECT_ERR])
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end || errno || n <= 0 ||
	    n > INT32_MAX) {
		collect_seterr(err, "bad %s '%s' (a positive whole number)",
			       key, v);
		return -1;
	}
	*out = n;
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "0") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

/*
 * A spec's value for s: its rules are the spec's own (numbers positive,
 * durations not zero, profiles joined by '+'), the setting and where it
 * lands the table's.
 */
static int spec_value(const struct collect_setting *s, void *at,
		      const char *v, char err[COLLECT_ERR])
{
	int64_t d;

	switch (s->type) {
	case CS_STRING:
		free(*(char **)at);
		*(char **)at = xstrdup(v);
		return 0;
	case CS_KINDS:
		return collect_parse_kinds(v, '+', at, err);
	case CS_DURATION:
		if (duration_parse(v, &d, &duration_leaky) < 0 || d <= 0) {
			collect_seterr(err, "bad %s '%s' (e.g. 30s, 5m, 1h)",
				       s->name, v);
			return -1;
		}
		*(int64_t *)at = d;
		return 0;
	default:
		BUG("setting %s of type %d in a spec", s->name, s->type);
	}
}

static int spec_option(struct collect_target *t, const char *key,
		       const char *v, char err[COLLECT_ERR])
{
	const struct collect_setting *s = collect_setting_find(key, CS_SPEC);
	void *at = s ? collect_setting_at(s, CS_SPEC, NULL, t) : NULL;

	/* Numbers and yes/no come first: "pid" without a value is a bad
	 * number, "gc" alone is yes. */
	if (s && s->type == CS_INT)
		return spec_i64(key, v ? v : "", at, err);
	if (s && s->type == CS_BOOL) {
		if (!v) {
			*(int *)at = 1;
			return 0;
		}
		if (parse_bool(v, at) < 0) {
			collect_seterr(err, "bad %s '%s' (yes or no)", key, v);
			return -1;
		}
		return 0;
	}
	if (!v || !*v) {
		collect_seterr(err, "'%s' needs a value (%s=...)", key, key);
		return -1;
	}
	if (!s) {
		collect_seterr(err, "unknown target option '%s' (%s)", key,
			       collect_setting_names(CS_SPEC));
		return -1;
	}
	return spec_value(s, at, v, err);
}

/* A spec NAME=URL[,OPTION...] as messages may quote it: the URL redacted. */
static char *redact_spec(const char *spec)
{
	const char *eq = strchr(spec, '='), *end;
	char *url, *shown;
	struct buf b;

	if (!eq)
		return collect_redact_url(spec);
	end = eq + 1 + strcspn(eq + 1, ",");
	url = xstrndup(eq + 1, (size_t)(end - eq - 1));
	shown = collect_redact_url(url);
	buf_init(&b);
	buf_add(&b, spec, (size_t)(eq + 1 - spec));
	buf_addstr(&b, shown);
	buf_addstr(&b, end);
	buf_add(&b, "", 1);
	free(url);
	free(shown);
	return (char *)b.data;
}

int collect_parse_spec(struct collect_target *t, const char *spec,
		       char err[COLLECT_ERR])
{
	const char *eq = strchr(spec, '='), *url, *comma;
	char *name, *urlcopy;
	char sub[COLLECT_ERR];
	/* Messages quote the spec with any password hidden. */
	char *shown = redact_spec(spec);
	int ret = -1;

	free(t->origin);
	t->origin = xmalloc(strlen(shown) + 8);
	sprintf(t->origin, "-t '%s'", shown);
	if (!eq || eq == spec) {
		collect_seterr(err, "-t '%s': expected "
			       "NAME=URL[,pid=N][,pidfile=F][,process=COMM]...",
			       shown);
		goto out;
	}
	name = xstrndup(spec, (size_t)(eq - spec));
	if (collect_check_name(name, sub) < 0) {
		collect_seterr(err, "-t '%s': %s", shown, sub);
		free(name);
		goto out;
	}
	free(t->name);
	t->name = name;
	url = eq + 1;
	comma = strchr(url, ',');
	urlcopy = comma ? xstrndup(url, (size_t)(comma - url)) : xstrdup(url);
	ret = collect_set_url(t, urlcopy, sub);
	free(urlcopy);
	if (ret < 0) {
		collect_seterr(err, "-t '%s': %s", shown, sub);
		goto out;
	}
	while (comma) {
		const char *opt = comma + 1, *veq;
		char *key, *val = NULL;
		size_t n;

		comma = strchr(opt, ',');
		n = comma ? (size_t)(comma - opt) : strlen(opt);
		veq = memchr(opt, '=', n);
		if (veq) {
			key = xstrndup(opt, (size_t)(veq - opt));
			val = xstrndup(veq + 1, n - (size_t)(veq - opt) - 1);
		} else {
			key = xstrndup(opt, n);
		}
		ret = spec_option(t, key, val, sub);
		free(key);
		free(val);
		if (ret < 0) {
			collect_seterr(err, "-t '%s': %s", shown, sub);
			goto out;
		}
	}
	ret = 0;
out:
	free(shown);
	return ret;
}

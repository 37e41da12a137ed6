/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus HTTP API answers decoded with jansson (its one owner here). */
#include "decode/promjson.h"
#include "base/leaky.h"
#include "decode/filesd.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A copy of member key of o when it is a string; NULL otherwise. */
static char *opt_string(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/*
 * Member key of o as text for a message (error, warnings): a server's
 * words go to a terminal, so control bytes (a newline that would forge a
 * line, ESC) are made safe; NULL when it is not a string.
 */
static char *msg_string(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ?
	       text_dup_safe(json_string_value(v), TEXT_TERMINAL) : NULL;
}

/* Labels of an object of string values into names and values. */
static int labels(json_t *o, char ***names, char ***values, size_t *n)
{
	const char *k;
	json_t *v;
	size_t i = 0;

	*n = json_object_size(o);
	*names = xcalloc(*n + 1, sizeof(**names));
	*values = xcalloc(*n + 1, sizeof(**values));
	json_object_foreach(o, k, v) {
		if (!json_is_string(v))
			return -1;
		(*names)[i] = xstrdup(k);
		(*values)[i++] = xstrdup(json_string_value(v));
	}
	return 0;
}

/* A string member of o, "" when absent; the caller frees it. */
static char *string_or_empty(json_t *o, const char *key)
{
	char *s = opt_string(o, key);

	return s ? s : xstrdup("");
}

/*
 * A sample value: the API sends values as strings ("12.5", "NaN",
 * "+Inf", "-Inf") because JSON numbers have no NaN or infinities; the
 * time is a JSON number of seconds, with up to millisecond decimals.
 * Returns 0, or -1 with what is wrong with the pair in why (a server
 * that sends numbers unquoted, or words, is told so in those words).
 */
static int point(json_t *pair, double *t, double *v, char *why,
		 size_t whylen)
{
	const char *s;
	char *end, *shown;

	if (!json_is_array(pair) || json_array_size(pair) != 2)
		return failf(why, whylen, "not a [time, \"value\"] pair");
	if (!json_is_number(json_array_get(pair, 0)))
		return failf(why, whylen, "the time is not a number");
	if (!json_is_string(json_array_get(pair, 1)))
		return failf(why, whylen, "the value is not a string (the "
			     "API quotes values: [time, \"value\"])");
	*t = json_number_value(json_array_get(pair, 0));
	s = json_string_value(json_array_get(pair, 1));
	*v = strtod(s, &end);
	if (end == s || *end) {
		shown = text_dup_safe(s, TEXT_TERMINAL);
		failf(why, whylen, "the value \"%.40s\" is not a number",
		      shown);
		free(shown);
		return -1;
	}
	return 0;
}

static int decode_series(json_t *item, int matrix, size_t idx,
			 struct promjson_series *s, char *err, size_t errlen)
{
	json_t *metric, *values;
	char why[128];
	size_t i, n;

	metric = json_object_get(item, "metric");
	if (!json_is_object(item) || !json_is_object(metric))
		return failf(err, errlen, "result %zu has no \"metric\" object",
			    idx);
	if (labels(metric, &s->names, &s->values, &s->nlabels) < 0)
		return failf(err, errlen, "result %zu: a label is not a string",
			    idx);
	if (!matrix) {
		s->t = xcalloc(1, sizeof(*s->t));
		s->v = xcalloc(1, sizeof(*s->v));
		if (point(json_object_get(item, "value"), s->t, s->v, why,
			  sizeof(why)) < 0)
			return failf(err, errlen, "result %zu: \"value\": %s",
				     idx, why);
		s->n = 1;
		return 0;
	}
	values = json_object_get(item, "values");
	/* A native histogram series has "histograms" instead: skipped. */
	if (!values && json_object_get(item, "histograms"))
		return 0;
	if (!json_is_array(values))
		return failf(err, errlen, "result %zu has no \"values\" array",
			    idx);
	n = json_array_size(values);
	s->t = xcalloc(n + 1, sizeof(*s->t));
	s->v = xcalloc(n + 1, sizeof(*s->v));
	for (i = 0; i < n; i++)
		if (point(json_array_get(values, i), &s->t[i], &s->v[i], why,
			  sizeof(why)) < 0)
			return failf(err, errlen, "result %zu, point %zu: %s",
				     idx, i, why);
	s->n = n;
	return 0;
}

/*
 * /api/v1/targets: the active targets, their labels and scrape settings.
 * Dropped targets are not read: nothing scrapes them.
 */
static int decode_targets(json_t *list, struct promjson_answer *a,
			  char *err, size_t errlen)
{
	size_t i, n;

	a->result_type = xstrdup("targets");
	if (!json_is_array(list))
		return failf(err, errlen, "\"activeTargets\" is not an array");
	n = json_array_size(list);
	a->targets = xcalloc(n + 1, sizeof(*a->targets));
	for (i = 0; i < n; i++) {
		json_t *o = json_array_get(list, i);
		struct promjson_target *t = &a->targets[i];

		a->ntargets = i + 1;
		if (!json_is_object(o) ||
		    !json_is_object(json_object_get(o, "labels")))
			return failf(err, errlen, "target %zu has no \"labels\""
				    " object", i);
		if (labels(json_object_get(o, "labels"), &t->names, &t->values,
			   &t->nlabels) < 0)
			return failf(err, errlen, "target %zu: a label is not "
				     "a string", i);
		t->scrape_url = string_or_empty(o, "scrapeUrl");
		t->scrape_interval = string_or_empty(o, "scrapeInterval");
		t->health = string_or_empty(o, "health");
	}
	return 0;
}

static int decode_data(json_t *data, struct promjson_answer *a, char *err,
		       size_t errlen)
{
	json_t *result;
	size_t i, n;
	int matrix;

	if (!json_is_object(data))
		return failf(err, errlen, "no \"data\" object");
	if (json_object_get(data, "activeTargets"))
		return decode_targets(json_object_get(data, "activeTargets"), a,
				      err, errlen);
	a->result_type = msg_string(data, "resultType");
	if (!a->result_type)
		return failf(err, errlen, "no \"resultType\" in \"data\"");
	matrix = !strcmp(a->result_type, "matrix");
	if (!matrix && strcmp(a->result_type, "vector"))
		return 0;	/* scalar, string: nothing the scan reads */
	result = json_object_get(data, "result");
	if (!json_is_array(result))
		return failf(err, errlen, "no \"result\" array in \"data\"");
	n = json_array_size(result);
	a->series = xcalloc(n + 1, sizeof(*a->series));
	for (i = 0; i < n; i++) {
		/* Counted first, so that release frees a half-made series. */
		a->nseries = i + 1;
		if (decode_series(json_array_get(result, i), matrix, i,
				  &a->series[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

/*
 * Why p[0..n-1] is not the API's JSON, in the words a user needs: what
 * answers instead of the API is most often a login or error page of a
 * proxy (HTML, named by its title), a proxy's or load balancer's line of
 * text (quoted), or an answer cut short; jansson's own reason for the
 * rest. Whatever is quoted is made safe for a terminal.
 */
static int not_json(const char *p, size_t n, const json_error_t *je,
		    char *err, size_t errlen)
{
	char text[3 * 80 + 1];
	const char *s = p, *e = p + n, *t, *te;
	size_t len;

	while (s < e && strchr(" \t\r\n", *s))
		s++;
	if (s < e && *s == '<') {
		/* <title> in any case, up to its closing tag */
		for (t = s; t + 7 <= e && strncasecmp(t, "<title>", 7); t++)
			;
		if (t + 7 > e)
			return failf(err, errlen, "not JSON but an HTML page");
		t += 7;
		for (te = t; te < e && *te != '<' && te - t < 80; te++)
			;
		text[text_safe(text, t, (size_t)(te - t),
			       TEXT_TERMINAL)] = '\0';
		return failf(err, errlen, "not JSON but an HTML page "
			     "(\"%s\")", text);
	}
	if (s < e && *s != '{' && *s != '[') {
		/* a line of text: its first line, as far as 80 bytes */
		for (len = 0; s + len < e && len < 80 && s[len] != '\n' &&
			      s[len] != '\r'; len++)
			;
		text[text_safe(text, s, len, TEXT_TERMINAL)] = '\0';
		return failf(err, errlen, "not JSON: \"%s\"%s", text,
			     s + len < e && len == 80 ? "..." : "");
	}
	if (json_error_code(je) == json_error_premature_end_of_input)
		return failf(err, errlen, "not JSON: cut short after %zu "
			     "bytes", n);
	/* jansson quotes the input it stopped at: make it safe */
	len = strnlen(je->text, sizeof(je->text));
	if (len > 80)
		len = 80;
	text[text_safe(text, je->text, len, TEXT_TERMINAL)] = '\0';
	return failf(err, errlen, "not JSON (line %d, column %d: %s)",
		     je->line, je->column, text);
}

int promjson_decode(const char *p, size_t n, struct promjson_answer *a,
		    char *err, size_t errlen)
{
	json_error_t je;
	json_t *root, *status, *w;
	int ret = -1;
	size_t i;

	memset(a, 0, sizeof(*a));
	if (!n)
		return failf(err, errlen, "not JSON: an empty body");
	root = json_loadb(p, n, 0, &je);
	if (!root)
		return not_json(p, n, &je, err, errlen);
	status = json_object_get(root, "status");
	if (!json_is_object(root) || !json_is_string(status)) {
		failf(err, errlen, "JSON without the API's \"status\"");
		goto out;
	}
	a->success = !strcmp(json_string_value(status), "success");
	if (!a->success && strcmp(json_string_value(status), "error")) {
		char *shown = text_dup_safe(json_string_value(status),
					    TEXT_TERMINAL);

		failf(err, errlen, "unknown status \"%.40s\"", shown);
		free(shown);
		goto out;
	}
	a->error_type = msg_string(root, "errorType");
	a->error = msg_string(root, "error");
	w = json_object_get(root, "warnings");
	if (json_is_array(w) && json_array_size(w)) {
		a->warnings = xcalloc(json_array_size(w), sizeof(*a->warnings));
		for (i = 0; i < json_array_size(w); i++) {
			json_t *s = json_array_get(w, i);

			a->warnings[a->nwarnings++] = text_dup_safe(
				json_is_string(s) ? json_string_value(s) : "?",
				TEXT_TERMINAL);
		}
	}
	if (a->success && decode_data(json_object_get(root, "data"), a, err,
				      errlen) < 0)
		goto out;
	ret = 0;
out:
	json_decref(root);
	if (ret < 0)
		promjson_release(a);
	return ret;
}

/* One file_sd group, object o, the idx-th (from 1), into *g. */
static int file_sd_group(json_t *o, size_t idx, struct filesd_group *g,
			 char *err, size_t errlen)
{
	json_t *targets, *lab;
	size_t i;

	if (json_is_null(o))
		return failf(err, errlen, "group %zu is null", idx);
	if (!json_is_object(o))
		return failf(err, errlen, "group %zu is not an object", idx);
	targets = json_object_get(o, "targets");
	if (!targets || json_is_null(targets))
		return failf(err, errlen, "group %zu has no \"targets\"", idx);
	if (!json_is_array(targets))
		return failf(err, errlen, "group %zu: \"targets\" is not a "
			     "list", idx);
	g->targets = xcalloc(json_array_size(targets) + 1,
			     sizeof(*g->targets));
	for (i = 0; i < json_array_size(targets); i++) {
		json_t *t = json_array_get(targets, i);

		if (!json_is_string(t))
			return failf(err, errlen, "group %zu: target %zu is "
				     "not a string", idx, i + 1);
		g->targets[g->ntargets++] = xstrdup(json_string_value(t));
	}
	lab = json_object_get(o, "labels");
	if (!lab || json_is_null(lab))
		return 0;
	if (!json_is_object(lab))
		return failf(err, errlen, "group %zu: \"labels\" is not an "
			     "object", idx);
	if (labels(lab, &g->names, &g->values, &g->nlabels) < 0) {
		/* labels() stopped at the first value not a string */
		const char *k;
		json_t *v;

		json_object_foreach(lab, k, v)
			if (!json_is_string(v)) {
				char *shown = text_dup_safe(k, TEXT_TERMINAL);

				failf(err, errlen, "group %zu: label \"%.60s\" "
				      "is not a string", idx, shown);
				free(shown);
				break;
			}
		return -1;
	}
	return 0;
}

int promjson_file_sd(const char *p, size_t n, struct filesd *out,
		     char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!n)
		return failf(err, errlen, "not JSON: an empty file");
	/* JSON_DECODE_ANY: a bare null is no groups, as in Go */
	root = json_loadb(p, n, JSON_DECODE_ANY, &je);
	if (!root)
		return not_json(p, n, &je, err, errlen);
	if (json_is_null(root)) {
		ret = 0;
		goto out;
	}
	if (!json_is_array(root)) {
		failf(err, errlen, "not a list of groups");
		goto out;
	}
	out->groups = xcalloc(json_array_size(root) + 1, sizeof(*out->groups));
	for (i = 0; i < json_array_size(root); i++) {
		/* counted first, so that release frees a half-made group */
		out->ngroups = i + 1;
		if (file_sd_group(json_array_get(root, i), i + 1,
				  &out->groups[i], err, errlen) < 0)
			goto out;
	}
	ret = 0;
out:
	json_decref(root);
	if (ret < 0)
		filesd_release(out);
	return ret;
}

/* Labels made by labels(), perhaps half made (NULL entries). */
static void free_labels(char **names, char **values, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		free(names ? names[j] : NULL);
		free(values ? values[j] : NULL);
	}
	free(names);
	free(values);
}

void promjson_release(struct promjson_answer *a)
{
	size_t i;

	for (i = 0; i < a->nseries; i++) {
		struct promjson_series *s = &a->series[i];

		free_labels(s->names, s->values, s->nlabels);
		free(s->t);
		free(s->v);
	}
	for (i = 0; i < a->ntargets; i++) {
		struct promjson_target *t = &a->targets[i];

		free_labels(t->names, t->values, t->nlabels);
		free(t->scrape_url);
		free(t->scrape_interval);
		free(t->health);
	}
	free(a->targets);
	for (i = 0; i < a->nwarnings; i++)
		free(a->warnings[i]);
	free(a->warnings);
	free(a->series);
	free(a->error_type);
	free(a->error);
	free(a->result_type);
	memset(a, 0, sizeof(*a));
}

static const char *find_label(char *const *names, char *const *values,
			      size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return values[i];
	return NULL;
}

const char *promjson_label(const struct promjson_series *s,
			   const char *name)
{
	return find_label(s->names, s->values, s->nlabels, name);
}

const char *promjson_target_label(const struct promjson_target *t,
				  const char *name)
{
	return find_label(t->names, t->values, t->nlabels, name);
}

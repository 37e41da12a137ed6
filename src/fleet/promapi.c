/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus's HTTP API: range queries split by time, answers checked. */
#include "fleet/promapi.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "collect/scrape.h"
#include "collect/url.h"
#include "decode/promjson.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct promapi {
	char *base;		/* the URL without its trailing slashes */
	char *shown;		/* redacted, for messages */
	char **headers;
	size_t nheaders;
	char *ca_file;
	int insecure;
	int64_t timeout_ns;
	size_t max_body;
	struct scrape *s;
	size_t nrequests;
	/* What no message may show: -H values, the URL's password. */
	char **secrets;
	size_t nsecrets;
};

/* Adds the n bytes at v to p's secrets, if long enough to be one. */
static void add_secret(struct promapi *p, const char *v, size_t n)
{
	/*
	 * A value of a few bytes ("1", a tenant "42") is no credential, and
	 * hiding it everywhere would garble every message.
	 */
	if (n < 4)
		return;
	p->secrets = xrealloc(p->secrets,
			      (p->nsecrets + 1) * sizeof(*p->secrets));
	p->secrets[p->nsecrets] = xmalloc(n + 1);
	memcpy(p->secrets[p->nsecrets], v, n);
	p->secrets[p->nsecrets++][n] = '\0';
}

/*
 * The secrets of the headers and of the URL: each header's value, and
 * its last word too ("Bearer TOKEN", "Basic BASE64": a server may quote
 * the credential alone); the password of http://user:password@host.
 */
static void find_secrets(struct promapi *p)
{
	const char *v, *w, *host, *at, *colon;
	size_t i, n;

	for (i = 0; i < p->nheaders; i++) {
		v = strchr(p->headers[i], ':');
		if (!v)
			continue;
		v += strspn(v + 1, " \t") + 1;
		n = strlen(v);
		while (n && strchr(" \t", v[n - 1]))
			n--;
		add_secret(p, v, n);
		for (w = v + n; w > v && !strchr(" \t", w[-1]); w--)
			;
		if (w > v)
			add_secret(p, w, (size_t)(v + n - w));
	}
	host = strstr(p->base, "://");
	if (!host)
		return;
	host += 3;
	n = strcspn(host, "/?#");
	at = memrchr(host, '@', n);
	colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
	if (colon)
		add_secret(p, colon + 1, (size_t)(at - colon - 1));
}

/*
 * err with each of p's secrets replaced by "***": a server's words
 * (an error that quotes the request, a proxy's page) may hold them. The
 * URL that starts err is left as it is (already redacted): a -H value
 * such as a Host header may be part of it, and is no secret there.
 */
static void hide_secrets(const struct promapi *p, char *err)
{
	size_t i, n = strlen(p->shown);
	char *at;

	if (!strncmp(err, p->shown, n))
		err += n;
	for (i = 0; i < p->nsecrets; i++) {
		n = strlen(p->secrets[i]);
		while ((at = strstr(err, p->secrets[i])) != NULL) {
			/* n >= 4: the line only gets shorter */
			size_t tail = strlen(at + n) + 1;

			memmove(at + 3, at + n, tail);
			memcpy(at, "***", 3);
		}
	}
}

struct promapi *promapi_new(const struct promapi_opts *o, char *err,
			    size_t errlen)
{
	struct promapi *p;
	size_t i, n;

	if (strncmp(o->url, "http://", 7) && strncmp(o->url, "https://", 8)) {
		char *shown = collect_redact_url(o->url);

		failf(err, errlen, "%s: not an http:// or https:// URL", shown);
		free(shown);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->base = xstrdup(o->url);
	n = strlen(p->base);
	while (n > 8 && p->base[n - 1] == '/')
		p->base[--n] = '\0';
	p->shown = collect_redact_url(p->base);
	p->headers = xcalloc(o->nheaders + 1, sizeof(*p->headers));
	for (i = 0; i < o->nheaders; i++)
		p->headers[i] = xstrdup(o->headers[i]);
	p->nheaders = o->nheaders;
	p->ca_file = o->ca_file ? xstrdup(o->ca_file) : NULL;
	p->insecure = o->insecure;
	p->timeout_ns = o->timeout_ns > 0 ? o->timeout_ns : 60000000000LL;
	p->max_body = o->max_body ? o->max_body : PROMAPI_DEFAULT_MAX_BODY;
	find_secrets(p);
	p->s = scrape_new(1);
	if (!p->s) {
		failf(err, errlen, "%s: cannot start the HTTP client",
		      p->shown);
		promapi_free(p);
		return NULL;
	}
	return p;
}

void promapi_free(struct promapi *p)
{
	size_t i;

	if (!p)
		return;
	scrape_free(p->s);
	for (i = 0; i < p->nheaders; i++)
		free(p->headers[i]);
	free(p->headers);
	for (i = 0; i < p->nsecrets; i++)
		free(p->secrets[i]);
	free(p->secrets);
	free(p->ca_file);
	free(p->base);
	free(p->shown);
	free(p);
}

const char *promapi_shown(const struct promapi *p)
{
	return p->shown;
}

size_t promapi_requests(const struct promapi *p)
{
	return p->nrequests;
}

/* s percent-encoded as a query parameter's value into b. */
static void add_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3];

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			buf_add(b, s, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		buf_add(b, e, 3);
	}
}

/* Seconds with milliseconds, as the API reads times and steps. */
static void add_ms(struct buf *b, int64_t ms)
{
	char t[48];

	snprintf(t, sizeof(t), "%" PRId64 ".%03d", ms / 1000,
		 (int)(ms % 1000));
	buf_addstr(b, t);
}

/*
 * GETs url and decodes its answer into *a. The API answers its errors
 * with JSON too (400 bad_data, 422 execution, 503 timeout or
 * unavailable), so the body is read whatever the status; a body that is
 * not the API's JSON is named with the status that came with it.
 */
static int get(struct promapi *p, const char *url, const char *want,
	       struct promjson_answer *a, int *transport, char *err,
	       size_t errlen)
{
	struct scrape_req req = {
		.url = url,
		.headers = p->headers,
		.nheaders = p->nheaders,
		.timeout_ns = p->timeout_ns,
		.max_body = p->max_body,
		.insecure = p->insecure,
		.ca_file = p->ca_file,
	};
	struct scrape_result res;
	char why[256];
	int ret = -1;

	memset(a, 0, sizeof(*a));
	*transport = 0;
	scrape_add(p->s, &req);
	p->nrequests++;
	/* A failed wait (EINTR) is only tried again: the transfer's own
	 * timeout bounds the loop. */
	while (!scrape_next(p->s, &res))
		(void)scrape_wait(p->s, 1000, NULL, 0);
	/*
	 * An answer that began and stopped (the connection closed early, a
	 * timeout mid-body) says so with its status; the scraper's reason
	 * alone reads like a failure to connect.
	 */
	if (!res.ok && res.status && res.body.len &&
	    strncmp(res.err, "body larger", 11)) {
		*transport = 1;
		failf(err, errlen, "%s: HTTP %ld, the answer stopped after %zu "
		     "bytes: %s", p->shown, res.status, res.body.len, res.err);
		goto out;
	}
	if (!res.ok) {
		*transport = 1;
		failf(err, errlen, "%s: %s", p->shown, res.err);
		goto out;
	}
	/*
	 * The API answers no GET with a redirect: one comes from a proxy in
	 * front (a login page, http to https, a moved prefix). It is not
	 * followed: the headers carry the credentials, and a Location on
	 * another host would receive them; the user gives the right URL.
	 */
	if (res.status >= 300 && res.status < 400) {
		failf(err, errlen, "%s: HTTP %ld, a redirect, which leaky does "
		     "not follow: give the URL it leads to (unless that is a "
		     "login page)", p->shown, res.status);
		goto out;
	}
	if (promjson_decode((const char *)res.body.data, res.body.len, a, why,
			    sizeof(why)) < 0) {
		failf(err, errlen, "%s: HTTP %ld, not a Prometheus API answer: "
		     "%s", p->shown, res.status, why);
		goto out;
	}
	if (!a->success) {
		failf(err, errlen, "%s: %s: %s (HTTP %ld)", p->shown,
		     a->error_type ? a->error_type : "error",
		     a->error ? a->error : "no reason given", res.status);
		goto out;
	}
	if (res.status != 200) {
		failf(err, errlen, "%s: HTTP %ld", p->shown, res.status);
		goto out;
	}
	/* Thanos or Mimir missing a store still answers, with warnings. */
	if (a->nwarnings) {
		failf(err, errlen, "%s: partial answer: %s%s", p->shown,
		     a->warnings[0], a->nwarnings > 1 ? " (and more)" : "");
		goto out;
	}
	if (!a->result_type || strcmp(a->result_type, want)) {
		failf(err, errlen, "%s: a %s answer where %s was asked for",
		     p->shown, a->result_type ? a->result_type : "?", want);
		goto out;
	}
	ret = 0;
out:
	buf_release(&res.body);
	if (ret < 0) {
		promjson_release(a);
		hide_secrets(p, err);
	}
	return ret;
}

static int cmp_label(const void *a, const void *b, void *names)
{
	char **n = names;

	return strcmp(n[*(const size_t *)a], n[*(const size_t *)b]);
}

/*
 * A series' labels as one string, to join the chunks of a series: sorted
 * by name, since a label set is a set (Prometheus sends it sorted, a
 * proxy that decodes and encodes JSON again need not).
 */
static void label_key(struct buf *b, const struct promjson_series *s)
{
	size_t i, *order = xcalloc(s->nlabels + 1, sizeof(*order));

	for (i = 0; i < s->nlabels; i++)
		order[i] = i;
	qsort_r(order, s->nlabels, sizeof(*order), cmp_label, s->names);
	b->len = 0;
	for (i = 0; i < s->nlabels; i++) {
		buf_addstr(b, s->names[order[i]]);
		buf_add(b, "\0", 1);
		buf_addstr(b, s->values[order[i]]);
		buf_add(b, "\0", 1);
	}
	free(order);
}

/* Appends the points of chunk series from to series into (same labels). */
static void append_points(struct promjson_series *into,
			  const struct promjson_series *from)
{
	into->t = xrealloc(into->t, (into->n + from->n + 1) *
			   sizeof(*into->t));
	into->v = xrealloc(into->v, (into->n + from->n + 1) *
			   sizeof(*into->v));
	memcpy(into->t + into->n, from->t, from->n * sizeof(*from->t));
	memcpy(into->v + into->n, from->v, from->n * sizeof(*from->v));
	into->n += from->n;
}

/* Steps for the next part, nseries series expected (0: unknown). */
static int64_t part_steps(size_t nseries)
{
	size_t steps;

	if (!nseries)
		return PROMAPI_FIRST_STEPS;
	steps = PROMAPI_ANSWER_POINTS / nseries;
	if (steps < 1)
		steps = 1;
	if (steps > PROMAPI_CHUNK_POINTS)
		steps = PROMAPI_CHUNK_POINTS;
	return (int64_t)steps;
}

int promapi_query_range(struct promapi *p, const char *expr, int64_t start,
			int64_t end, int64_t step_ms, size_t *nseries,
			struct promjson_answer *out, char *err, size_t errlen)
{
	struct strmap *keys = strmap_new();
	struct buf url, key;
	size_t cap = 0, i;
	int64_t from, to, last = end * 1000;
	int ret = -1;

	BUG_ON(step_ms < 1 || end < start);
	memset(out, 0, sizeof(*out));
	out->success = 1;
	out->result_type = xstrdup("matrix");
	buf_init(&url);
	buf_init(&key);
	/*
	 * Parts sized by part_steps(), each starting a step after the last
	 * one ended, so that no point is fetched twice.
	 */
	for (from = start * 1000; from <= last; from = to + step_ms) {
		struct promjson_answer a;
		int transport;

		to = from + (part_steps(*nseries) - 1) * step_ms;
		if (to > last)
			to = last;
		url.len = 0;
		buf_addstr(&url, p->base);
		buf_addstr(&url, "/api/v1/query_range?query=");
		add_escaped(&url, expr);
		buf_addstr(&url, "&start=");
		add_ms(&url, from);
		buf_addstr(&url, "&end=");
		add_ms(&url, to);
		buf_addstr(&url, "&step=");
		add_ms(&url, step_ms);
		buf_add(&url, "\0", 1);
		if (get(p, (const char *)url.data, "matrix", &a, &transport,
			err, errlen) < 0)
			goto out;
		if (a.nseries > *nseries)
			*nseries = a.nseries;
		for (i = 0; i < a.nseries; i++) {
			struct promjson_series *s = &a.series[i];
			int added;
			uint32_t id;

			label_key(&key, s);
			id = strmap_intern(keys, (const char *)key.data,
					   key.len, &added);
			if (!added) {
				append_points(&out->series[id], s);
				continue;
			}
			/* A new series: moved whole into out. */
			out->series = xgrow(out->series, &cap,
					    out->nseries + 1,
					    sizeof(*out->series));
			out->series[out->nseries++] = *s;
			memset(s, 0, sizeof(*s));
		}
		promjson_release(&a);
	}
	ret = 0;
out:
	if (ret < 0)
		promjson_release(out);
	strmap_free(keys);
	buf_release(&url);
	buf_release(&key);
	return ret;
}

int promapi_targets(struct promapi *p, struct promjson_answer *out,
		    int *transport, char *err, size_t errlen)
{
	struct buf url;
	int ret;

	buf_init(&url);
	buf_addstr(&url, p->base);
	buf_addstr(&url, "/api/v1/targets?state=active");
	buf_add(&url, "\0", 1);
	ret = get(p, (const char *)url.data, "targets", out, transport, err,
		  errlen);
	buf_release(&url);
	return ret;
}

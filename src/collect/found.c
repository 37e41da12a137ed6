/* SPDX-License-Identifier: Apache-2.0 */
/* Targets found by discovery made collect targets. */
#include "collect/found.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "collect/settings.h"
#include "collect/url.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* collect_check_name()'s longest name. */
#define NAME_MAX_LEN 64
/* What a cut name keeps of its text, before "-" and 8 hex digits. */
#define NAME_KEEP (NAME_MAX_LEN - 9)

static void add_safe(struct buf *b, const char *s)
{
	for (; *s; s++) {
		char c = isalnum((unsigned char)*s) || *s == '-' ? *s : '-';

		buf_add(b, &c, 1);
	}
}

/* FNV-1a, 32 bits: a short mark of the whole name. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

char *found_name(const char *job, const char *instance)
{
	struct buf b;
	char *whole, *name;

	buf_init(&b);
	if (job && *job) {
		add_safe(&b, job);
		buf_add(&b, "_", 1);
	}
	add_safe(&b, instance && *instance ? instance : "unnamed");
	buf_add(&b, "", 1);
	name = (char *)b.data;
	/* A name starts with a letter or digit. */
	if (!isalnum((unsigned char)name[0]))
		name[0] = 'x';
	if (strlen(name) <= NAME_MAX_LEN)
		return name;
	whole = xmalloc(strlen(job ? job : "") + strlen(instance) + 2);
	sprintf(whole, "%s/%s", job ? job : "", instance);
	snprintf(name + NAME_KEEP, NAME_MAX_LEN - NAME_KEEP + 1, "-%08x",
		 (unsigned)fnv1a(whole));
	free(whole);
	return name;
}

static const char *label(const struct found *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nlabels; i++)
		if (!strcmp(f->names[i], name))
			return f->values[i];
	return NULL;
}

/* "k=v;k=v": conf's labels, then f's, written as every writer does. */
static char *labels_of(const struct collect_conf *conf, const struct found *f)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addstr(&b, conf->labels ? conf->labels : "");
	for (i = 0; i < f->nlabels; i++) {
		if (b.len)
			buf_add(&b, ";", 1);
		buf_add_label(&b, f->names[i]);
		buf_add(&b, "=", 1);
		buf_add_label(&b, f->values[i]);
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
}

/* The host of "HOST:PORT" or "[V6]:PORT", with its brackets. */
static size_t host_len(const char *address)
{
	const char *colon;

	if (address[0] == '[') {
		const char *close = strchr(address, ']');

		return close ? (size_t)(close - address) + 1 : strlen(address);
	}
	colon = strrchr(address, ':');
	return colon ? (size_t)(colon - address) : strlen(address);
}

/* The port the labels or conf name, "" for the address's own; -1: bad. */
static int port_of(const struct collect_conf *conf, const struct found *f,
		   char out[16])
{
	const char *p = label(f, FOUND_LABEL_PORT);
	char *end;
	long v;

	out[0] = '\0';
	if (!p || !*p) {
		if (conf->pprof_port)
			snprintf(out, 16, "%d", (int)conf->pprof_port);
		return 0;
	}
	v = strtol(p, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -1;
	snprintf(out, 16, "%ld", v);
	return 0;
}

int collect_target_found(const struct collect_conf *conf,
			 const struct found *f, struct collect_target *t,
			 char err[COLLECT_ERR])
{
	const char *scheme = f->scheme && *f->scheme ? f->scheme : "http";
	const char *path = label(f, FOUND_LABEL_PATH);
	char port[16], *url;
	size_t n, hl = host_len(f->address);
	struct buf b;

	memset(t, 0, sizeof(*t));
	t->origin = xstrdup(f->origin);
	if (strcmp(scheme, "http") && strcmp(scheme, "https")) {
		collect_seterr(err, "%s: target %s: scheme '%s' (http or https "
			       "only)", f->origin, f->address, scheme);
		goto fail;
	}
	if (port_of(conf, f, port) < 0) {
		collect_seterr(err, "%s: target %s: bad %s '%s'", f->origin,
			       f->address, FOUND_LABEL_PORT,
			       label(f, FOUND_LABEL_PORT));
		goto fail;
	}
	if (!path || !*path)
		path = conf->pprof_path ? conf->pprof_path : FOUND_PPROF_PATH;
	if (path[0] != '/' || strpbrk(path, "?# \t\r\n")) {
		collect_seterr(err, "%s: target %s: bad pprof path '%s' (an "
			       "absolute path)", f->origin, f->address, path);
		goto fail;
	}
	buf_init(&b);
	buf_addstr(&b, scheme);
	buf_addstr(&b, "://");
	if (*port) {
		buf_add(&b, f->address, hl);
		buf_add(&b, ":", 1);
		buf_addstr(&b, port);
	} else {
		buf_addstr(&b, f->address);
	}
	buf_add(&b, "", 1);
	url = (char *)b.data;
	if (collect_set_url(t, url, err) < 0) {
		char why[COLLECT_ERR];

		snprintf(why, sizeof(why), "%s: %s", f->origin, err);
		memcpy(err, why, COLLECT_ERR);
		free(url);
		goto fail;
	}
	/* The endpoints are right under the path given. */
	n = strlen(url) + strlen(path) + 2;
	free(t->base);
	t->base = xmalloc(n);
	snprintf(t->base, n, "%s%s%s", url, path,
		 path[strlen(path) - 1] == '/' ? "" : "/");
	free(t->url);
	t->url = url;
	t->name = found_name(f->job, f->instance ? f->instance : f->address);
	t->labels = labels_of(conf, f);
	t->set |= CT_SET_LABELS;
	return collect_target_finish(conf, t, err);
fail:
	collect_target_release(t);
	return -1;
}

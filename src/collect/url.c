/* SPDX-License-Identifier: Apache-2.0 */
/* Target URLs: parsing, the endpoints of each kind, redaction of secrets. */
#include "collect/url.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- URLs and specs ------------------------------------------------ */

char *collect_redact(const char *s)
{
	struct buf b;
	const char *p = s, *scheme;

	buf_init(&b);
	while ((scheme = strstr(p, "://")) != NULL) {
		const char *auth = scheme + 3;
		size_t n = strcspn(auth, "/,?# \t\r\n'\"");
		const char *at = NULL, *q, *colon;

		/* The last '@' before the host's end ends the userinfo. */
		for (q = auth; q < auth + n; q++)
			if (*q == '@')
				at = q;
		buf_add(&b, p, (size_t)(auth - p));
		p = auth;
		if (!at)
			continue;
		colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon)
			buf_add(&b, auth, (size_t)(colon + 1 - auth));
		buf_addstr(&b, "***");
		p = at;
	}
	buf_addstr(&b, p);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

/*
 * collect_redact() for a URL as given: one without "://" ("admin:secret@h",
 * refused for its missing scheme) still carries a userinfo before its '@'.
 * Only here, where the whole text is a URL: in a message a bare '@' is not.
 */
char *collect_redact_url(const char *url)
{
	size_t n = strcspn(url, "/");
	const char *at = NULL, *colon, *q;
	struct buf b;

	if (strstr(url, "://"))
		return collect_redact(url);
	for (q = url; q < url + n; q++)
		if (*q == '@')
			at = q;
	if (!at)
		return xstrdup(url);
	buf_init(&b);
	colon = memchr(url, ':', (size_t)(at - url));
	if (colon)
		buf_add(&b, url, (size_t)(colon + 1 - url));
	buf_addstr(&b, "***");
	buf_addstr(&b, at);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

static int is_loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strcmp(host, "::1") ||
	       !strncmp(host, "127.", 4);
}

/*
 * Splits the authority auth..path, "HOST[:PORT]" or "[V6ADDR][:PORT]",
 * into *host (the caller frees it) and *port (defport when none is
 * given). Returns 0, -1 for a bad host or -2 for a bad port.
 */
static int split_authority(const char *auth, const char *path, long defport,
			   char **host, long *port)
{
	const char *hend, *ps = NULL;
	char *end;

	if (*auth == '[') {
		hend = memchr(auth, ']', (size_t)(path - auth));
		if (!hend || hend == auth + 1)
			return -1;
		hend++;
		if (hend < path && *hend != ':')
			return -1;
		*host = xstrndup(auth + 1, (size_t)(hend - 1 - auth - 1));
	} else {
		hend = memchr(auth, ':', (size_t)(path - auth));
		if (!hend)
			hend = path;
		if (hend == auth)
			return -1;
		*host = xstrndup(auth, (size_t)(hend - auth));
	}
	if (hend < path)
		ps = hend + 1;
	*port = defport;
	if (!ps)
		return 0;
	if (ps == path || !isdigit((unsigned char)*ps))
		return -2;
	*port = strtol(ps, &end, 10);
	if (end != path || *port < 1 || *port > 65535)
		return -2;
	return 0;
}

/* The endpoints' base: u's scheme and authority, PATH/debug/pprof/. */
static char *endpoints(const char *u, const char *path)
{
	size_t plen = strlen(path);
	struct buf b;

	while (plen && path[plen - 1] == '/')
		plen--;
	buf_init(&b);
	buf_add(&b, u, (size_t)(path - u));
	buf_add(&b, path, plen);
	if (!(plen >= 12 && !memcmp(path + plen - 12, "/debug/pprof", 12)))
		buf_addstr(&b, "/debug/pprof");
	buf_add(&b, "/", 2);
	return (char *)b.data;
}

/*
 * The unix socket of "unix:/PATH:http://..." into *sock, with *u moved
 * to its http URL; nothing for another URL. -1 when it is malformed.
 */
static int split_unix(const char **u, char **sock)
{
	const char *m;

	if (strncmp(*u, "unix:", 5))
		return 0;
	m = strstr(*u + 5, ":http://");
	if (!m)
		m = strstr(*u + 5, ":https://");
	if (!m || m == *u + 5)
		return -1;
	*sock = xstrndup(*u + 5, (size_t)(m - (*u + 5)));
	*u = m + 1;
	return 0;
}

int collect_set_url(struct collect_target *t, const char *url,
		    char err[COLLECT_ERR])
{
	const char *u = url, *auth, *path;
	char *sock = NULL, *host = NULL, *p;
	long portnum;
	int https, rc;
	/* What messages quote: a password given anyway is never shown. */
	char *shown = collect_redact_url(url);

	if (strpbrk(url, "?# \t\r\n")) {
		collect_seterr(err, "URL '%s': no query, fragment or spaces "
			       "allowed (the profiles' paths and queries are "
			       "added)", shown);
		goto fail;
	}
	if (split_unix(&u, &sock) < 0) {
		collect_seterr(err, "URL '%s': a unix socket is written "
			       "unix:/PATH/TO.sock:http://HOST[/PATH]", shown);
		goto fail;
	}
	if (!strncmp(u, "http://", 7)) {
		https = 0;
		auth = u + 7;
	} else if (!strncmp(u, "https://", 8)) {
		https = 1;
		auth = u + 8;
	} else {
		collect_seterr(err, "URL '%s': http://, https:// or unix: only",
			       shown);
		goto fail;
	}
	path = auth + strcspn(auth, "/");
	if (memchr(auth, '@', (size_t)(path - auth))) {
		collect_seterr(err, "URL '%s': no credentials in URLs (they "
			       "would be logged); use a header", shown);
		goto fail;
	}
	rc = split_authority(auth, path, https ? 443 : 80, &host, &portnum);
	if (rc < 0) {
		collect_seterr(err, "URL '%s': bad %s", shown,
			       rc == -1 ? "host" : "port");
		goto fail;
	}
	free(t->url);
	free(t->base);
	free(t->unix_socket);
	free(t->host);
	t->url = xstrdup(url);
	t->base = endpoints(u, path);
	t->unix_socket = sock;
	t->host = host;
	for (p = t->host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	t->port = (int)portnum;
	t->local = sock || is_loopback(t->host);
	free(shown);
	return 0;
fail:
	free(sock);
	free(host);
	free(shown);
	return -1;
}

char *collect_kind_url(const struct collect_target *t, enum collect_kind k)
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	struct buf b;
	char num[32];
	char sep = '?';

	buf_init(&b);
	buf_addstr(&b, t->base);
	buf_addstr(&b, ki->endpoint);
	if (ki->query) {
		buf_add(&b, &sep, 1);
		buf_addstr(&b, ki->query);
		sep = '&';
	}
	if (t->gc && !strcmp(ki->endpoint, "heap")) {
		buf_add(&b, &sep, 1);
		buf_addstr(&b, "gc=1");
		sep = '&';
	}
	if (t->seconds && ki->takes_seconds) {
		snprintf(num, sizeof(num), "seconds=%" PRId64, t->seconds);
		buf_add(&b, &sep, 1);
		buf_addstr(&b, num);
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
}

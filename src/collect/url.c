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

int collect_set_url(struct collect_target *t, const char *url,
		    char err[COLLECT_ERR])
{
	const char *u = url, *auth, *path, *hend, *port = NULL;
	char *sock = NULL, *host = NULL, *p;
	struct buf b;
	size_t plen;
	long portnum;
	int https;
	/* What messages quote: a password given anyway is never shown. */
	char *shown = collect_redact_url(url);

	if (strpbrk(url, "?# \t\r\n")) {
		collect_seterr(err, "URL '%s': no query, fragment or spaces "
			       "allowed (the profiles' paths and queries are "
			       "added)", shown);
		goto fail;
	}
	if (!strncmp(u, "unix:", 5)) {
		const char *m = strstr(u + 5, ":http://");

		if (!m)
			m = strstr(u + 5, ":https://");
		if (!m || m == u + 5) {
			collect_seterr(err, "URL '%s': a unix socket is "
				       "written "
				       "unix:/PATH/TO.sock:http://HOST[/PATH]",
				       shown);
			goto fail;
		}
		sock = xstrndup(u + 5, (size_t)(m - (u + 5)));
		u = m + 1;
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
	if (*auth == '[') {
		hend = memchr(auth, ']', (size_t)(path - auth));
		if (!hend || hend == auth + 1)
			goto badhost;
		host = xstrndup(auth + 1, (size_t)(hend - auth - 1));
		hend++;
		if (hend < path && *hend != ':')
			goto badhost;
		if (hend < path)
			port = hend + 1;
	} else {
		hend = memchr(auth, ':', (size_t)(path - auth));
		if (!hend)
			hend = path;
		if (hend == auth)
			goto badhost;
		host = xstrndup(auth, (size_t)(hend - auth));
		if (hend < path)
			port = hend + 1;
	}
	portnum = https ? 443 : 80;
	if (port) {
		char *end;

		if (port == path || !isdigit((unsigned char)*port))
			goto badport;
		portnum = strtol(port, &end, 10);
		if (end != path || portnum < 1 || portnum > 65535)
			goto badport;
	}
	plen = strlen(path);
	while (plen && path[plen - 1] == '/')
		plen--;
	buf_init(&b);
	buf_add(&b, u, (size_t)(path - u));
	buf_add(&b, path, plen);
	if (!(plen >= 12 && !memcmp(path + plen - 12, "/debug/pprof", 12)))
		buf_addstr(&b, "/debug/pprof");
	buf_add(&b, "/", 2);
	free(t->url);
	free(t->base);
	free(t->unix_socket);
	free(t->host);
	t->url = xstrdup(url);
	t->base = (char *)b.data;
	t->unix_socket = sock;
	t->host = host;
	for (p = t->host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	t->port = (int)portnum;
	t->local = sock || is_loopback(t->host);
	free(shown);
	return 0;
badhost:
	collect_seterr(err, "URL '%s': bad host", shown);
	goto fail;
badport:
	collect_seterr(err, "URL '%s': bad port", shown);
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

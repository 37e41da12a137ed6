/* SPDX-License-Identifier: Apache-2.0 */
/* Target URLs: parsing, the endpoints of each kind, redaction. */
#ifndef LEAKY_COLLECT_URL_H
#define LEAKY_COLLECT_URL_H

#include "collect/collect.h"

/*
 * Sets t->url, base, unix_socket, host, port and local from url:
 * "http://HOST[:PORT][/PATH]", "https://...", or
 * "unix:/SOCKET/PATH:http://HOST[/PATH]" for a unix socket. The pprof
 * endpoints are under PATH when it ends in /debug/pprof, else under
 * PATH/debug/pprof/. Credentials, queries and fragments are refused.
 * Returns 0, or -1 with the reason in err.
 */
int collect_set_url(struct collect_target *t, const char *url,
		    char err[COLLECT_ERR]);

/*
 * s (a URL, a -t spec, a message) with the password of each URL's
 * userinfo as "***" ("http://admin:***@host"), and a userinfo without a
 * password wholly as "***", so that messages never show a credential.
 * The caller frees it.
 */
char *collect_redact(const char *s);
/*
 * collect_redact() for a URL as given, also when it has no scheme
 * ("admin:secret@host", refused for that): the part before its '@' is a
 * userinfo. The caller frees it.
 */
char *collect_redact_url(const char *url);

/* The URL of kind k for t; the caller frees it. */
char *collect_kind_url(const struct collect_target *t, enum collect_kind k);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How the commands that ask a Prometheus's API (report --prometheus,
 * collect --targets-from) authenticate: -H headers, a bearer token file,
 * a basic auth file, read when the command starts. Part of the command
 * layer: a file that cannot be read exits, naming it (never its bytes).
 */
#ifndef LEAKY_CMD_PROMAUTH_H
#define LEAKY_CMD_PROMAUTH_H

#include <stddef.h>

struct promauth {
	const char **headers;		/* "Name: value", as given */
	size_t nheaders;
	const char *token_file;		/* NULL: none */
	const char *basic_file;		/* user:password; NULL: none */
};

/* Adds a -H header (checked: dies with a usage error when bad). */
void promauth_add_header(struct promauth *a, const char *header);

/*
 * The headers to send: the -H ones, then "Authorization: Bearer TOKEN"
 * and "Authorization: Basic ..." from the files. *n is their number; the
 * caller frees them with promauth_free().
 */
char **promauth_headers(const struct promauth *a, size_t *n);
void promauth_free(char **headers, size_t n);

#endif

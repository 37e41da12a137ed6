/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky load's command line: hey's Go-style flags made GNU, numbers,
 * request headers and methods checked and merged as hey does.
 */
#ifndef LEAKY_LOADOPT_H
#define LEAKY_LOADOPT_H

#include <stddef.h>
#include <stdint.h>

struct option;

/* A rewritten argument vector; caller-owned, loadopt_argv_release() it. */
struct loadopt_argv {
	int argc;
	char **argv;		/* argc entries and a NULL */
	char **owned;		/* strings made by the rewrite */
	size_t nowned;
};

/*
 * Copies argv (argv[0] kept), rewriting Go flag spellings that getopt_long
 * would misread, up to a "--": "-name" and "-name=value", where name is a
 * long option of longopts, become "--name" and "--name=value" (so hey's
 * -disable-keepalive, -h2 and -host work), and so does "-name" when name's
 * first word begins a long option (-disable-nothing: getopt reports it,
 * rather than reading -d with a body); "-x=value" for a short option x
 * of optstring that takes an argument becomes "-xvalue"; a boolean long
 * option given "=true" or "=1" loses the value, "=false" or "=0" drops the
 * option. Option arguments (the word after "-H", "--header" ...) are never
 * rewritten.
 */
void loadopt_argv_init(struct loadopt_argv *a, int argc, char **argv,
		       const char *optstring, const struct option *longopts);
void loadopt_argv_release(struct loadopt_argv *a);

/* Parses a finite number >= 0 into *v. Returns 0 or -1. */
int loadopt_number(const char *s, double *v);

/*
 * Checks a "Name: value" header (hey's -H): a token name, a colon, a value
 * that is not empty and has no CR or LF. Returns 0, or -1 with the reason
 * in why.
 */
int loadopt_header_check(const char *h, char *why, size_t size);

/*
 * Returns an upper-case copy of an HTTP method (hey upper-cases -m), or
 * NULL when m is not a token. The caller frees it.
 */
char *loadopt_method(const char *m);

/* The headers hey sends besides Go's own, before merging. */
struct loadopt_headers {
	const char *content_type;	/* -T, or NULL */
	int has_body;			/* -d or -D given */
	const char *accept;		/* -A, or NULL */
	const char *host;		/* -host, or NULL */
	const char *const *extra;	/* -H, in order */
	size_t nextra;
};

/*
 * Merges the headers into one list, as hey does: Content-Type from -T (by
 * default text/html, sent only with a body), Accept from -A, Host from
 * -host, then every -H; a later header replaces an earlier one of the same
 * name (case-insensitive) in its place. Returns a NULL-terminated array
 * with *n entries; loadopt_headers_free() it.
 */
char **loadopt_headers(const struct loadopt_headers *in, size_t *n);
void loadopt_headers_free(char **h);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky soak's load requests: one --load SPEC ('[METHOD] URL [@BODYFILE]')
 * or the lines of a --load-file, each a request with a weight, parsed
 * without touching the network or reading the bodies.
 */
#ifndef LEAKY_SOAK_LOADSPEC_H
#define LEAKY_SOAK_LOADSPEC_H

#include <stddef.h>

/* One kind of request the load sends. Caller-owned: loadspec_release(). */
struct loadspec {
	double weight;		/* its share of the rate or the workers */
	char *method;		/* upper case, "GET" by default */
	char *url;		/* http:// or https://, or a /path */
	char *body_file;	/* NULL: no body; relative paths resolved */
};

/* The largest weight a line may give (the shares are weight / sum). */
#define LOADSPEC_MAX_WEIGHT 1e6

/*
 * Parses "[METHOD] URL [@BODYFILE]" (words separated by blanks; METHOD
 * an HTTP token, upper-cased; URL with a scheme, or a path starting with
 * '/' that loadspec_resolve() completes) into *r, weight 1.
 * Returns 0, or -1 with the reason in err (size bytes); *r then holds
 * nothing to release.
 */
int loadspec_parse(const char *spec, struct loadspec *r, char *err,
		   size_t size);

/*
 * Parses a load file's text (len bytes, named name in messages): one
 * request a line, "[WEIGHT] [METHOD] URL [@BODYFILE]", WEIGHT a number
 * above 0 (1 when left out); blank lines and lines starting with '#' are
 * skipped. A relative BODYFILE is taken from dir (NULL: as it is), the
 * load file's directory. Returns the number of requests (at least 1) with
 * the array in *out (loadspec_free_all() it), or -1 with
 * "NAME:LINE: reason" in err.
 */
int loadspec_parse_text(const char *text, size_t len, const char *name,
			const char *dir, struct loadspec **out, char *err,
			size_t size);

/*
 * Completes a /path URL with base's scheme, host and port ("http://h:p"
 * of "http://h:p/x"); other URLs stay. Returns 0, or -1 when base has no
 * scheme.
 */
int loadspec_resolve(struct loadspec *r, const char *base);

void loadspec_release(struct loadspec *r);
void loadspec_free_all(struct loadspec *r, size_t n);

#endif

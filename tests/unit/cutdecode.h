/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding a text cut short, for the text decoders' truncation tests. */
#ifndef LEAKY_TEST_CUTDECODE_H
#define LEAKY_TEST_CUTDECODE_H

#include "base/leaky.h"
#include "decode/reader.h"
#include "model/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char last_error[512];

static void keep_error(void *data, const char *msg)
{
	(void)data;
	snprintf(last_error, sizeof(last_error), "%s", msg);
}

/* Decodes text's first n bytes from a buffer of exactly n (ASan sees
 * any read past the cut); the message, if any, is in last_error. */
static struct profile *decode_cut(const char *text, size_t n,
				  const struct prof_limits *lim)
{
	struct error_sink old = error_sink_set(
		(struct error_sink){ keep_error, NULL });
	char *copy = malloc(n ? n : 1);
	struct profile *p;

	memcpy(copy, text, n);
	last_error[0] = '\0';
	p = profile_decode("cut", (const uint8_t *)copy, n, lim, NULL);
	free(copy);
	error_sink_set(old);
	return p;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one table of the formats leaky meets, told apart from their first
 * bytes, never from a file name: every reader and the collector's checks
 * ask here what a body or file is.
 */
#ifndef LEAKY_SNIFF_H
#define LEAKY_SNIFF_H

#include <stddef.h>

/* How many leading bytes the text-or-binary test of sniff() looks at. */
#define SNIFF_HEAD 512

/*
 * What bytes are, in the order sniff() tries them: the first that matches
 * wins (see sniff.c for why this order).
 */
enum sniff_kind {
	SNIFF_EMPTY,		/* no bytes at all */
	SNIFF_GZIP,		/* gzip magic 1f 8b; inside is sniffed apart */
	SNIFF_HEAP_TEXT,	/* heap?debug=1 */
	SNIFF_GOROUTINE1,	/* goroutine?debug=1 */
	SNIFF_GOROUTINE2,	/* goroutine?debug=2 (or its cut first line) */
	SNIFF_CONTENTION,	/* Go's other debug=1 pages, which leaky */
	SNIFF_MUTEX,		/* does not read */
	SNIFF_THREADCREATE,
	SNIFF_HTML,		/* an HTML page: an error or login page */
	SNIFF_CSV,		/* a CSV leaky wrote: "time,..." */
	SNIFF_FDS,		/* leaky collect's fds list: "# leaky fds:" */
	SNIFF_LIMITS,		/* leaky collect's limits: "# leaky limits:" */
	SNIFF_BINARY,		/* profile.proto or other binary (no magic) */
	SNIFF_PMAP,		/* pmap or pmap -x: a "PID:" line first */
	SNIFF_SMAPS_ROLLUP,	/* /proc/PID/smaps_rollup */
	SNIFF_SMAPS,		/* /proc/PID/smaps */
	SNIFF_STATUS,		/* /proc/PID/status */
	SNIFF_TEXT,		/* any other text */
};

/*
 * The kind of len bytes at data (need not be NUL-terminated). Looks at the
 * first line, the first non-blank line and the first SNIFF_HEAD bytes at
 * most; never fails.
 */
enum sniff_kind sniff(const void *data, size_t len);

/*
 * The kind as messages name it: "gzip data", "binary data", "an HTML
 * page", "a heap?debug=1 dump", "a mutex profile in text"... A static
 * string.
 */
const char *sniff_name(enum sniff_kind kind);

/*
 * 1 when the first head bytes of data (all of them when len is smaller)
 * hold no control byte but tab, LF and CR: bytes a text never has, and
 * protobuf nearly always has within its first keys and lengths.
 */
int sniff_is_text(const void *data, size_t len, size_t head);

/*
 * 1 when the line (without its newline) is a goroutine?debug=2 header:
 * "goroutine 18 [...]:", newer runtimes' "goroutine 18 gp=... m=... [...]:"
 * included. The dump's decoder splits goroutines at it.
 */
int sniff_goroutine_header(const char *line, size_t n);

#endif

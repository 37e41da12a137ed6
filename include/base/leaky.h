/* SPDX-License-Identifier: Apache-2.0 */
/* Shared basics: exit codes, diagnostics, allocation that dies on OOM. */
#ifndef LEAKY_H
#define LEAKY_H

#include <stddef.h>
#include <stdint.h>

/* Exit status of every command; documented in README.md. */
enum leaky_exit {
	LEAKY_OK = 0,
	LEAKY_FAIL = 1,
	LEAKY_USAGE = 2,
	LEAKY_LEAK = 3,
	LEAKY_NODATA = 4,	/* leaky report judged nothing it was asked to */
};

/* Set by main() to "leaky CMD" for messages; never NULL. */
extern const char *leaky_progname;

/*
 * The error rule. Library code (every folder but src/cmd/ and leaky.c)
 * never exits on input, a target or a limit: it returns a status (-1 or
 * NULL) and a reason, through error() or, where the caller records
 * reasons (the collector's manifest), into a buffer the caller passes.
 * Commands decide: they print, count, go on, or die(). A broken invariant
 * is BUG(), never die().
 *
 * error() prints "PROG: FMT\n" to stderr (or to the thread's sink).
 */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Where error() sends its messages instead of stderr while fn is set: fn
 * gets each message without the "PROG: " prefix. error_sink_set()
 * returns the sink it replaces, for the caller to put back; {NULL, NULL}
 * is stderr. die() and usage_die() always write to stderr. One sink per
 * thread: the collector keeps a decoder's reason for its manifest this
 * way, on the threads that check bodies.
 */
struct error_sink {
	void (*fn)(void *data, const char *msg);
	void *data;
};
struct error_sink error_sink_set(struct error_sink sink);
/*
 * Passes on a message a sink caught (made safe already, no prefix): to
 * this thread's sink, else to stderr as error() prints it. How messages
 * caught on a worker thread are printed later, in their input's order.
 */
void error_pass(const char *msg);

/* Prints like error() and exits with LEAKY_FAIL. */
void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/* Prints like error() and exits with LEAKY_USAGE. */
void usage_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * A broken invariant: the program's own mistake, never the user's. Prints
 * "PROG: BUG: FILE:LINE: FMT" to stderr and aborts (a core, a sanitizer
 * trace), where die() would exit as if the input were at fault. Bad input,
 * unreachable targets and exhausted limits are errors, not bugs.
 */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
/* BUG() unless cond holds; cond is evaluated in every build. */
#define BUG_ON(cond) \
	do { \
		if (cond) \
			bug_at(__FILE__, __LINE__, "%s", #cond); \
	} while (0)
void bug_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/*
 * Writes a reason into err (errlen bytes, cut if longer) for a caller that
 * records it, and returns -1: `return failf(err, n, "...", ...);`.
 */
int failf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Allocation wrappers: die on exhaustion, never return NULL. */
void *xmalloc(size_t n);
/*
 * Ends the process as a failed allocation does (LEAKY_FAIL), after the
 * caller has said with error() what ran out. For resources that memory
 * exhausts first (the 2^32 ids of a string map need some 100 GB of
 * strings): the one exit library code takes besides die()'s callers.
 */
void exhausted(void) __attribute__((noreturn));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (holding *cap elements of size) to fit at least need elements. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Parses a size such as "256M", "1G", "4096" or "64k" (binary units) into
 * *out. Returns 0, or -1 on a malformed or overflowing size.
 */
int parse_size(const char *s, size_t *out);

/* The value of hexadecimal digit c (either case), or -1. */
int hex_value(int c);

/*
 * Text from the profiled program (function, file and label names, states,
 * targets) made safe where it is shown. Both uses replace a NUL and each
 * byte of an invalid UTF-8 sequence with U+FFFD, so that strict readers
 * accept the output and names differing after a NUL stay different;
 * TEXT_TERMINAL replaces every C0 and C1 control character and DEL
 * (ESC sequences that clear the screen or set its title) with '?';
 * TEXT_CSV keeps tab, CR and LF, which CSV quotes, and replaces the rest
 * as well (CSV goes to terminals too).
 */
enum text_use { TEXT_CSV, TEXT_TERMINAL };
/*
 * Length of the valid UTF-8 sequence at s (n >= 1 bytes left), or 0 when
 * it is not one: no overlong forms, no surrogates, nothing above U+10FFFF
 * (what strict readers such as Python's and Go's utf8.Valid accept).
 */
size_t utf8_seq(const unsigned char *s, size_t n);

/*
 * Writes the n bytes at s, made safe, to out, which has room for 3 * n
 * bytes; returns the length written (no NUL added).
 */
size_t text_safe(char *out, const char *s, size_t n, enum text_use use);
/* 1 when text_safe() would copy the n bytes at s unchanged. */
int text_is_safe(const char *s, size_t n, enum text_use use);
/* The string s made safe, in heap memory the caller frees. */
char *text_dup_safe(const char *s, enum text_use use);
/*
 * For decoders that turn input bytes into C strings, where a NUL would cut
 * a name short (and merge two names that differ after it): NULL when the
 * n bytes at s hold no NUL; else a copy with each NUL as U+FFFD, its
 * length in *out_len, in heap memory the caller frees.
 */
char *text_nul_free(const char *s, size_t n, size_t *out_len);

#endif

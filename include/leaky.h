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
};

/* Set by main() to "leaky CMD" for messages; never NULL. */
extern const char *leaky_progname;

/*
 * Prints "PROG: FMT\n" to stderr. Module code reports with error() and
 * returns -1 or NULL; only commands call die().
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

/* Prints like error() and exits with LEAKY_FAIL. */
void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/* Prints like error() and exits with LEAKY_USAGE. */
void usage_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Allocation wrappers: die on exhaustion, never return NULL. */
void *xmalloc(size_t n);
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

#endif

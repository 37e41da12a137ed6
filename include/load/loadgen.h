/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP load generation on one libcurl multi handle: closed loop (hey's
 * workers, each sending its next request when the last one is done) or
 * open loop (a fixed total rate, latency measured from the intended send
 * time). Results go to a callback one by one; nothing is kept per request.
 */
#ifndef LEAKY_LOADGEN_H
#define LEAKY_LOADGEN_H

#include <stddef.h>
#include <stdint.h>

/* What the engine sends and how; every string stays the caller's. */
struct loadgen_opts {
	const char *url;		/* http:// or https:// */
	const char *method;		/* upper case, e.g. "GET" */
	const char *const *headers;	/* "Name: value", sent as given */
	size_t nheaders;
	const char *body;		/* NULL: no body */
	size_t body_len;
	const char *userpwd;		/* basic auth "user:pass", or NULL */
	const char *proxy;		/* or NULL: none (the environment's
					 * *_proxy variables are ignored) */
	long timeout_ms;		/* per request; 0: none */
	int keepalive;			/* reuse connections */
	int compression;		/* Accept-Encoding: gzip, decoded */
	int redirects;			/* follow up to 10 */
	int http2;			/* HTTP/2 over TLS (ALPN) */
	int insecure;			/* skip TLS certificate checks */

	unsigned concurrency;		/* closed loop: workers; open loop:
					 * most requests in flight */
	uint64_t requests;		/* stop after this many; 0: no limit */
	int64_t duration_ns;		/* stop after this long; 0: none */
	double qps;			/* closed loop: per worker; 0: none */
	double rate;			/* > 0: open loop, requests/s total */
	int64_t every_ns;		/* tick() period; 0: no ticks */
	/*
	 * Give up when this many requests have failed before any response
	 * came (the target is unreachable); 0: never.
	 */
	unsigned give_up_after;
	/* keep the first response's body (up to 1 MiB), whichever request */
	int capture_first;
	/*
	 * Above 0: a descriptor that, once readable, stops the run as a
	 * signal would (without setting interrupted), for a caller running
	 * the engine on a thread of its own (leaky soak), which then keeps
	 * SIGINT and SIGTERM to itself (the run leaves them alone); 0: none.
	 */
	int stop_fd;
};

/* One finished request. Times are nanoseconds since the run started. */
struct load_result {
	int64_t intended;	/* when it should have been sent */
	int64_t start;		/* when it was handed to libcurl */
	int64_t end;
	int status;		/* HTTP status of the last response; 0: error */
	uint64_t bytes;		/* response body bytes, after decoding */
	/* phases from libcurl's timers, ns; see README (-o csv) */
	int64_t dns, conn, write, delay, read;
	const char *error;	/* NULL for a response, else why it failed */
	/* capture_first: the first response's body, once; else NULL */
	const char *body;
	size_t body_len;
};

struct loadgen_hooks {
	/* Called for every finished request; r is valid during the call. */
	void (*result)(void *ctx, const struct load_result *r);
	/*
	 * Called every every_ns, and once at the end when the run stopped
	 * between ticks; elapsed is the tick's (or the end's) time since
	 * the start.
	 */
	void (*tick)(void *ctx, int64_t elapsed);
	void *ctx;
};

/* How a run went, filled by loadgen_run(). */
struct loadgen_outcome {
	int64_t start_wall;	/* CLOCK_REALTIME at the start, ns */
	int64_t elapsed;	/* length of the run, ns */
	uint64_t unfinished;	/* in flight when the run stopped: not
				 * counted, not reported to result() */
	uint64_t late;		/* open loop: sent >= 1 ms after their time */
	int64_t late_max;	/* the largest such delay, ns */
	int interrupted;	/* SIGINT or SIGTERM stopped it */
	int gave_up;		/* give_up_after failures, no response */
	char first_error[256];	/* the first failure's message, or "" */
};

/*
 * Checks that url is an absolute http:// or https:// URL with a host, as
 * the engine will parse it. Returns 0, or reports why and returns -1.
 */
int loadgen_check_url(const char *url);

/*
 * Runs the load described by o, calling h as requests finish, until the
 * request count or duration is reached, SIGINT or SIGTERM arrives (they are
 * blocked during the run and read through a signalfd, so they stop the run
 * instead of the process), or the target looks unreachable. Fills *out.
 * Returns 0, or reports and returns -1 when the run could not be set up
 * (libcurl or the event loop failed).
 */
int loadgen_run(const struct loadgen_opts *o, const struct loadgen_hooks *h,
		struct loadgen_outcome *out);

#endif

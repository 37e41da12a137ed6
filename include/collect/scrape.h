/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Concurrent HTTP(S) GETs through one libcurl multi handle: bounded bodies,
 * per-request timeouts, unix sockets, a cap on transfers in flight, and a
 * wait that also watches the caller's descriptors.
 */
#ifndef LEAKY_SCRAPE_H
#define LEAKY_SCRAPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* One GET; scrape_add() copies what it needs. */
struct scrape_req {
	const char *url;
	const char *unix_socket;	/* NULL: TCP */
	char *const *headers;		/* "Name: value" */
	size_t nheaders;
	int64_t timeout_ns;		/* whole transfer */
	size_t max_body;		/* larger bodies fail */
	int insecure;			/* https without checks */
	int fresh;			/* a new connection, closed after */
	int direct;			/* never through a proxy */
	const char *ca_file;		/* NULL: the system's */
	void *ctx;			/* the caller's, handed back */
};

/* How a GET ended, for callers that tell the causes apart. */
enum scrape_end {
	SCRAPE_DONE,		/* a complete response, whatever its status */
	SCRAPE_FAILED,		/* the transfer failed: err says why */
	SCRAPE_ABORTED,		/* scrape_abort() ended it: err is its reason */
};

/* How one GET ended. Owned by the caller: buf_release(&r->body). */
struct scrape_result {
	void *ctx;
	enum scrape_end end;
	int ok;			/* end == SCRAPE_DONE */
	long status;		/* HTTP status, 0 without a response */
	struct buf body;
	int64_t duration_ns;	/* from its start to its end */
	char err[256];		/* why, when !ok */
};

/* A descriptor the wait also watches. */
struct scrape_fd {
	int fd;
	int readable;		/* set by scrape_wait() */
};

struct scrape;

/*
 * Returns a new scraper running at most max_active transfers at once (the
 * others wait in order), or NULL after a report when libcurl cannot start.
 */
struct scrape *scrape_new(size_t max_active);
/* Aborts whatever is in flight and frees s; NULL is a no-op. */
void scrape_free(struct scrape *s);
/* Queues a GET; it starts at once when fewer than max_active run. */
void scrape_add(struct scrape *s, const struct scrape_req *r);
/* Transfers queued or running. */
size_t scrape_busy(const struct scrape *s);
/*
 * Waits at most timeout_ms for network activity or a readable fds[i],
 * then moves transfers along. Returns 0, or -1 when waiting failed.
 */
int scrape_wait(struct scrape *s, int timeout_ms, struct scrape_fd *fds,
		size_t nfds);
/* Takes the next finished GET into *r: returns 1, or 0 when none. */
int scrape_next(struct scrape *s, struct scrape_result *r);
/*
 * Ends the GETs still queued, and the running ones too when running_too:
 * each comes out of scrape_next() as SCRAPE_ABORTED with reason.
 */
void scrape_abort(struct scrape *s, int running_too, const char *reason);

#endif

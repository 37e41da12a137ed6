/* SPDX-License-Identifier: Apache-2.0 */
/* Concurrent GETs on one libcurl multi handle: the collector's libcurl user. */
#include "collect/scrape.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/leaky.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

/* One GET, queued or running. */
struct xfer {
	struct xfer *next;	/* in the queue, or in the done list */
	struct scrape_req req;	/* strings below are our copies */
	char *url, *unix_socket, *ca_file;
	struct curl_slist *headers;
	CURL *easy;
	struct buf body;
	size_t max_body;
	int over;		/* the body passed max_body */
	int got_header;		/* a response began (its status line) */
	int64_t start;
	long status;
	int ok;
	int aborted;		/* by scrape_abort() */
	char errbuf[CURL_ERROR_SIZE];
	char err[256];
	int64_t duration;
};

struct scrape {
	CURLM *multi;
	size_t max_active, active;
	struct xfer *queue, *queue_tail;
	size_t queued;		/* in the queue: a fleet's round is thousands */
	struct xfer *done, *done_tail;
	struct xfer **running;	/* for abort, max_active slots */
};

/* Notes that a response began; its headers go nowhere else. */
static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;

	(void)p;
	x->got_header = 1;
	return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = size * n;

	if (len > x->max_body - x->body.len) {
		x->over = 1;
		/* libcurl ends the transfer with CURLE_WRITE_ERROR. */
		return 0;
	}
	buf_add(&x->body, p, len);
	return len;
}

struct scrape *scrape_new(size_t max_active)
{
	struct scrape *s;

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		error("cannot initialize libcurl");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->multi = curl_multi_init();
	if (!s->multi) {
		error("cannot initialize libcurl");
		curl_global_cleanup();
		free(s);
		return NULL;
	}
	s->max_active = max_active ? max_active : 1;
	s->running = xcalloc(s->max_active, sizeof(*s->running));
	return s;
}

static void xfer_free(struct xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	buf_release(&x->body);
	free(x->url);
	free(x->unix_socket);
	free(x->ca_file);
	free(x);
}

static void push_done(struct scrape *s, struct xfer *x)
{
	x->next = NULL;
	if (s->done_tail)
		s->done_tail->next = x;
	else
		s->done = x;
	s->done_tail = x;
}

static void fail_xfer(struct xfer *x, const char *why)
{
	x->ok = 0;
	snprintf(x->err, sizeof(x->err), "%s", why);
}

/* Starts x on the multi handle; on failure it goes straight to done. */
static void start(struct scrape *s, struct xfer *x)
{
	const struct scrape_req *r = &x->req;
	long ms = (long)(r->timeout_ns / 1000000);
	size_t i;

	x->start = clock_mono_ns();
	x->easy = curl_easy_init();
	if (!x->easy) {
		fail_xfer(x, "cannot create a libcurl handle");
		push_done(s, x);
		return;
	}
	if (ms < 1)
		ms = 1;
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "leaky-collect");
	if (x->unix_socket)
		curl_easy_setopt(x->easy, CURLOPT_UNIX_SOCKET_PATH,
				 x->unix_socket);
	if (r->fresh)
		curl_easy_setopt(x->easy, CURLOPT_FORBID_REUSE, 1L);
	if (r->direct)
		curl_easy_setopt(x->easy, CURLOPT_NOPROXY, "*");
	if (r->insecure) {
		curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (x->ca_file)
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, x->ca_file);
	if (x->headers)
		curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	if (curl_multi_add_handle(s->multi, x->easy) != CURLM_OK) {
		fail_xfer(x, "cannot start the transfer");
		push_done(s, x);
		return;
	}
	for (i = 0; i < s->max_active; i++)
		if (!s->running[i]) {
			s->running[i] = x;
			break;
		}
	s->active++;
}

static void start_queued(struct scrape *s)
{
	while (s->queue && s->active < s->max_active) {
		struct xfer *x = s->queue;

		s->queue = x->next;
		s->queued--;
		if (!s->queue)
			s->queue_tail = NULL;
		x->next = NULL;
		start(s, x);
	}
}

void scrape_add(struct scrape *s, const struct scrape_req *r)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	size_t i;

	x->req = *r;
	x->url = xstrdup(r->url);
	x->unix_socket = r->unix_socket ? xstrdup(r->unix_socket) : NULL;
	x->ca_file = r->ca_file ? xstrdup(r->ca_file) : NULL;
	x->req.url = x->url;
	x->req.unix_socket = x->unix_socket;
	x->req.ca_file = x->ca_file;
	x->req.headers = NULL;
	x->req.nheaders = 0;
	x->max_body = r->max_body;
	buf_init(&x->body);
	for (i = 0; i < r->nheaders; i++) {
		struct curl_slist *h = curl_slist_append(x->headers,
							 r->headers[i]);

		if (!h) {
			fail_xfer(x, "out of memory for headers");
			push_done(s, x);
			return;
		}
		x->headers = h;
	}
	s->queued++;
	if (s->queue_tail)
		s->queue_tail->next = x;
	else
		s->queue = x;
	s->queue_tail = x;
	start_queued(s);
}

size_t scrape_busy(const struct scrape *s)
{
	return s->active + s->queued;
}

static void unrun(struct scrape *s, struct xfer *x)
{
	size_t i;

	for (i = 0; i < s->max_active; i++)
		if (s->running[i] == x)
			s->running[i] = NULL;
	curl_multi_remove_handle(s->multi, x->easy);
	s->active--;
}

/*
 * Why a unix socket could not be connected to, in leaky's words: libcurl
 * says "Failed to connect to localhost port 80", naming a host and port
 * that were never used.
 */
static void unix_socket_error(struct xfer *x)
{
	long oserr = 0;
	struct stat st;
	const char *why;

	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	if (stat(x->unix_socket, &st) < 0)
		why = errno == ENOENT ? "no such file" : strerror(errno);
	else if (!S_ISSOCK(st.st_mode))
		why = "not a socket";
	else if (oserr == ECONNREFUSED)
		why = "connection refused (nothing listens on it)";
	else if (oserr == EACCES)
		why = "permission denied";
	else if (oserr)
		why = strerror((int)oserr);
	else
		why = "cannot connect";
	snprintf(x->err, sizeof(x->err), "unix socket %s: %s", x->unix_socket,
		 why);
}

static void finish(struct scrape *s, struct xfer *x, CURLcode code)
{
	unrun(s, x);
	x->duration = clock_mono_ns() - x->start;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
	if (code == CURLE_OK) {
		x->ok = 1;
	} else if (x->over) {
		x->ok = 0;
		snprintf(x->err, sizeof(x->err), "body larger than the limit "
			 "of %zu bytes", x->max_body);
	} else if (code == CURLE_COULDNT_CONNECT && x->unix_socket) {
		x->ok = 0;
		unix_socket_error(x);
	} else if (code == CURLE_OUT_OF_MEMORY && x->got_header) {
		/* What libcurl 7.88 answers for one header line over its
		 * 100 kB (CURL_MAX_HTTP_HEADER): not our memory. */
		x->ok = 0;
		snprintf(x->err, sizeof(x->err), "response header too large "
			 "(libcurl takes at most 100 kB)");
	} else {
		x->ok = 0;
		snprintf(x->err, sizeof(x->err), "%s",
			 x->errbuf[0] ? x->errbuf : curl_easy_strerror(code));
	}
	push_done(s, x);
}

static void harvest(struct scrape *s)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(s->multi, &left)) != NULL) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
				  (char **)&x);
		finish(s, x, m->data.result);
	}
}

int scrape_wait(struct scrape *s, int timeout_ms, struct scrape_fd *fds,
		size_t nfds)
{
	struct curl_waitfd extra[16];
	int running, n = 0;
	size_t i;
	CURLMcode rc;

	if (nfds > sizeof(extra) / sizeof(extra[0]))
		nfds = sizeof(extra) / sizeof(extra[0]);
	for (i = 0; i < nfds; i++) {
		extra[i].fd = fds[i].fd;
		extra[i].events = CURL_WAIT_POLLIN;
		extra[i].revents = 0;
		fds[i].readable = 0;
	}
	rc = curl_multi_poll(s->multi, extra, (unsigned)nfds, timeout_ms, &n);
	for (i = 0; i < nfds; i++)
		fds[i].readable = extra[i].revents != 0;
	curl_multi_perform(s->multi, &running);
	harvest(s);
	start_queued(s);
	if (s->active)
		curl_multi_perform(s->multi, &running);
	harvest(s);
	if (rc != CURLM_OK) {
		error("waiting for transfers: %s", curl_multi_strerror(rc));
		return -1;
	}
	return 0;
}

int scrape_next(struct scrape *s, struct scrape_result *r)
{
	struct xfer *x = s->done;

	if (!x)
		return 0;
	s->done = x->next;
	if (!s->done)
		s->done_tail = NULL;
	memset(r, 0, sizeof(*r));
	r->ctx = x->req.ctx;
	r->ok = x->ok;
	r->end = x->ok ? SCRAPE_DONE : x->aborted ? SCRAPE_ABORTED :
		 SCRAPE_FAILED;
	r->status = x->status;
	r->body = x->body;
	buf_init(&x->body);
	r->duration_ns = x->duration;
	snprintf(r->err, sizeof(r->err), "%s", x->err);
	xfer_free(x);
	return 1;
}

void scrape_abort(struct scrape *s, int running_too, const char *reason)
{
	size_t i;

	for (i = 0; running_too && i < s->max_active; i++) {
		struct xfer *x = s->running[i];

		if (!x)
			continue;
		unrun(s, x);
		x->duration = clock_mono_ns() - x->start;
		fail_xfer(x, reason);
		x->aborted = 1;
		push_done(s, x);
	}
	while (s->queue) {
		struct xfer *x = s->queue;

		s->queue = x->next;
		x->start = clock_mono_ns();
		fail_xfer(x, reason);
		x->aborted = 1;
		push_done(s, x);
	}
	s->queue_tail = NULL;
	s->queued = 0;
}

void scrape_free(struct scrape *s)
{
	struct xfer *x;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->max_active; i++)
		if (s->running[i]) {
			x = s->running[i];
			unrun(s, x);
			xfer_free(x);
		}
	while (s->queue) {
		x = s->queue;
		s->queue = x->next;
		xfer_free(x);
	}
	while (s->done) {
		x = s->done;
		s->done = x->next;
		xfer_free(x);
	}
	curl_multi_cleanup(s->multi);
	curl_global_cleanup();
	free(s->running);
	free(s);
}

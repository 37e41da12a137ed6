/* SPDX-License-Identifier: Apache-2.0 */
/* The load engine: one libcurl multi handle on epoll, a timerfd, a signalfd. */
#include "load/loadgen.h"

#include "base/clock.h"
#include "base/leaky.h"

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NEVER INT64_MAX
#define LATE_NS 1000000		/* an open-loop send this late is "late" */
#define MAX_EVENTS 256
#define MAX_CAPTURE ((size_t)1 << 20)
#define MAX_CAPTURING 8		/* requests keeping a body at once */

/* One easy handle: a closed-loop worker, or an open-loop request slot. */
struct slot {
	struct loadgen *g;
	CURL *easy;
	int64_t intended, start;
	int64_t next_allowed;	/* -q: earliest next send */
	uint64_t bytes;
	int capturing;		/* keeping this response's body */
	char *body;
	size_t body_len;
};

struct loadgen {
	const struct loadgen_opts *o;
	const struct loadgen_hooks *h;
	struct loadgen_outcome *out;
	CURLM *multi;
	struct curl_slist *headers;
	struct slot *slots;
	unsigned nslots;
	unsigned *idle;		/* stack of idle slot indexes */
	unsigned nidle;
	int epfd, tfd, sfd;
	sigset_t sigs, oldmask;
	int sigs_blocked;
	int64_t t0;		/* CLOCK_MONOTONIC at the start */
	int64_t deadline;	/* absolute, or NEVER */
	int64_t next_tick;	/* absolute, or NEVER */
	int64_t curl_due;	/* libcurl's timeout, absolute, or NEVER */
	int64_t armed;		/* the timerfd's expiry, or NEVER */
	double period;		/* open loop: ns between intended sends */
	int64_t qperiod;	/* -q: ns between one worker's sends */
	uint64_t issued, responses, failures;
	unsigned capturing;	/* requests keeping their body now */
	int captured;		/* the first response's body is delivered */
	int stopping;
	int broken;		/* libcurl or the event loop failed */
};

static int global_init(void)
{
	static int done;
	CURLcode rc;

	if (done)
		return 0;
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		error("cannot initialise libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	done = 1;
	return 0;
}

int loadgen_check_url(const char *url)
{
	CURLU *u;
	CURLUcode rc;
	char *scheme = NULL, *host = NULL;
	int ret = -1;

	if (!strstr(url, "://")) {
		error("bad URL '%s': not http:// or https://", url);
		return -1;
	}
	if (global_init() < 0)
		return -1;
	u = curl_url();
	if (!u) {
		error("out of memory parsing a URL");
		return -1;
	}
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc != CURLUE_OK) {
		error("bad URL '%s': %s", url, curl_url_strerror(rc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		error("bad URL '%s': not http:// or https://", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    !*host) {
		error("bad URL '%s': no host", url);
		goto out;
	}
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ret;
}

/* libcurl wants fd watched for what (or no longer). */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
		     void *socketp)
{
	struct loadgen *g = userp;
	struct epoll_event ev;
	int op;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		/* ENOENT/EBADF: already gone with a closed socket */
		epoll_ctl(g->epfd, EPOLL_CTL_DEL, fd, NULL);
		curl_multi_assign(g->multi, fd, NULL);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) |
		    (what & CURL_POLL_OUT ? EPOLLOUT : 0);
	ev.data.fd = fd;
	op = socketp ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(g->epfd, op, fd, &ev) < 0) {
		/* a reused descriptor number, or one closed behind our back */
		op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
		if (epoll_ctl(g->epfd, op, fd, &ev) < 0) {
			error("epoll_ctl: %s", strerror(errno));
			g->broken = 1;
			return -1;
		}
	}
	if (!socketp)
		curl_multi_assign(g->multi, fd, g);
	return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct loadgen *g = userp;

	(void)multi;
	g->curl_due = timeout_ms < 0 ? NEVER :
		      clock_mono_ns() + (int64_t)timeout_ms * 1000000;
	return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *userp)
{
	struct slot *s = userp;

	size_t len = size * n, room;

	s->bytes += len;
	if (s->capturing && s->body_len < MAX_CAPTURE) {
		room = MAX_CAPTURE - s->body_len;
		if (len < room)
			room = len;
		s->body = xrealloc(s->body, s->body_len + room + 1);
		memcpy(s->body + s->body_len, p, room);
		s->body_len += room;
		s->body[s->body_len] = '\0';
	}
	return len;
}

static int append(struct curl_slist **l, const char *line)
{
	struct curl_slist *t = curl_slist_append(*l, line);

	if (!t)
		return -1;
	*l = t;
	return 0;
}

/* The request headers: the caller's, plus what keeps libcurl's out. */
static int make_headers(struct loadgen *g)
{
	const struct loadgen_opts *o = g->o;
	int accept = 0, conn = 0, bad = 0;
	size_t i;

	for (i = 0; i < o->nheaders; i++) {
		if (!strncasecmp(o->headers[i], "Accept:", 7))
			accept = 1;
		if (!strncasecmp(o->headers[i], "Connection:", 11))
			conn = 1;
	}
	/* hey (Go) sends no Accept and never waits for 100-continue */
	if (!accept)
		bad |= append(&g->headers, "Accept:");
	bad |= append(&g->headers, "Expect:");
	if (!o->keepalive && !conn)
		bad |= append(&g->headers, "Connection: close");
	for (i = 0; i < o->nheaders; i++)
		bad |= append(&g->headers, o->headers[i]);
	if (bad) {
		error("out of memory building request headers");
		return -1;
	}
	return 0;
}

static int is_method(const char *m, const char *want)
{
	return !strcmp(m, want);
}

#define SETOPT(e, opt, val) \
	do { \
		CURLcode rc_ = curl_easy_setopt((e), (opt), (val)); \
		if (rc_ != CURLE_OK) { \
			error("libcurl refuses %s: %s", #opt, \
			      curl_easy_strerror(rc_)); \
			return -1; \
		} \
	} while (0)

static int setup_easy(struct loadgen *g, struct slot *s)
{
	const struct loadgen_opts *o = g->o;
	CURL *e = curl_easy_init();

	if (!e) {
		error("cannot create a libcurl handle");
		return -1;
	}
	s->easy = e;
	s->g = g;
	SETOPT(e, CURLOPT_URL, o->url);
	SETOPT(e, CURLOPT_PRIVATE, (void *)s);
	SETOPT(e, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(e, CURLOPT_WRITEDATA, (void *)s);
	SETOPT(e, CURLOPT_NOSIGNAL, 1L);
	SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SETOPT(e, CURLOPT_HTTPHEADER, g->headers);
	SETOPT(e, CURLOPT_USERAGENT, "leaky-load");
	SETOPT(e, CURLOPT_HTTP_VERSION, o->http2 ?
	       (long)CURL_HTTP_VERSION_2TLS : (long)CURL_HTTP_VERSION_1_1);
	if (o->http2)
		SETOPT(e, CURLOPT_PIPEWAIT, 1L);
	SETOPT(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	/* "" also turns off the environment's http_proxy and friends */
	SETOPT(e, CURLOPT_PROXY, o->proxy ? o->proxy : "");
	if (o->redirects) {
		SETOPT(e, CURLOPT_FOLLOWLOCATION, 1L);
		SETOPT(e, CURLOPT_MAXREDIRS, 10L);
	}
	if (o->compression)
		SETOPT(e, CURLOPT_ACCEPT_ENCODING, "gzip");
	if (!o->keepalive) {
		SETOPT(e, CURLOPT_FORBID_REUSE, 1L);
		SETOPT(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	if (o->userpwd) {
		SETOPT(e, CURLOPT_USERPWD, o->userpwd);
		SETOPT(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	if (o->insecure) {
		SETOPT(e, CURLOPT_SSL_VERIFYPEER, 0L);
		SETOPT(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (is_method(o->method, "HEAD")) {
		SETOPT(e, CURLOPT_NOBODY, 1L);
	} else if (o->body || is_method(o->method, "POST") ||
		   is_method(o->method, "PUT") ||
		   is_method(o->method, "PATCH")) {
		/* a body, or Content-Length: 0 as Go sends for these */
		SETOPT(e, CURLOPT_POSTFIELDS, o->body ? o->body : "");
		SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
		       (curl_off_t)(o->body ? o->body_len : 0));
		if (!is_method(o->method, "POST"))
			SETOPT(e, CURLOPT_CUSTOMREQUEST, o->method);
	} else if (!is_method(o->method, "GET")) {
		SETOPT(e, CURLOPT_CUSTOMREQUEST, o->method);
	}
	return 0;
}

static int raise_fd_limit(unsigned need)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)need + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		error("%u connections need %lu open files; the limit is %lu "
		      "(ulimit -n)", need, (unsigned long)want,
		      (unsigned long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		error("cannot raise the open-file limit to %lu: %s",
		      (unsigned long)want, strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGINT and SIGTERM, unless inherited as ignored, go to a signalfd. */
static int catch_signals(struct loadgen *g)
{
	static const int which[] = { SIGINT, SIGTERM };
	struct epoll_event ev;
	struct sigaction sa;
	size_t i;

	sigemptyset(&g->sigs);
	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		if (sigaction(which[i], NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_IGN)
			sigaddset(&g->sigs, which[i]);
	if (sigprocmask(SIG_BLOCK, &g->sigs, &g->oldmask) < 0)
		goto fail;
	g->sigs_blocked = 1;
	g->sfd = signalfd(-1, &g->sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (g->sfd < 0)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = g->sfd;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->sfd, &ev) < 0)
		goto fail;
	return 0;
fail:
	error("cannot watch for signals: %s", strerror(errno));
	return -1;
}

static void release_signals(struct loadgen *g)
{
	struct signalfd_siginfo si;

	if (g->sfd >= 0) {
		/* a late Ctrl-C must not kill us once unblocked */
		while (read(g->sfd, &si, sizeof(si)) == sizeof(si))
			;
		close(g->sfd);
	}
	if (g->sigs_blocked)
		sigprocmask(SIG_SETMASK, &g->oldmask, NULL);
}

static int setup(struct loadgen *g)
{
	const struct loadgen_opts *o = g->o;
	struct epoll_event ev;
	curl_version_info_data *info;
	unsigned i;

	if (global_init() < 0)
		return -1;
	info = curl_version_info(CURLVERSION_NOW);
	if (o->http2 && !(info->features & CURL_VERSION_HTTP2)) {
		error("this libcurl has no HTTP/2 (-h2)");
		return -1;
	}
	g->nslots = o->concurrency ? o->concurrency : 1;
	if (o->rate <= 0 && o->requests && o->requests < g->nslots)
		g->nslots = (unsigned)o->requests;
	if (raise_fd_limit(g->nslots) < 0)
		return -1;
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	g->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (g->epfd < 0 || g->tfd < 0) {
		error("cannot create the event loop: %s", strerror(errno));
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = g->tfd;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->tfd, &ev) < 0) {
		error("epoll_ctl: %s", strerror(errno));
		return -1;
	}
	/*
	 * With a stop_fd the caller owns the signals: a signalfd here would
	 * take a Ctrl-C meant for the caller's thread from the process's
	 * queue whenever that thread was busy at the time.
	 */
	if (o->stop_fd <= 0 && catch_signals(g) < 0)
		return -1;
	if (o->stop_fd > 0) {
		ev.data.fd = o->stop_fd;
		if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, o->stop_fd, &ev) < 0) {
			error("epoll_ctl: %s", strerror(errno));
			return -1;
		}
	}
	g->multi = curl_multi_init();
	if (!g->multi) {
		error("cannot create a libcurl multi handle");
		return -1;
	}
	curl_multi_setopt(g->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(g->multi, CURLMOPT_SOCKETDATA, (void *)g);
	curl_multi_setopt(g->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(g->multi, CURLMOPT_TIMERDATA, (void *)g);
	curl_multi_setopt(g->multi, CURLMOPT_MAXCONNECTS, (long)g->nslots);
	if (make_headers(g) < 0)
		return -1;
	g->slots = xcalloc(g->nslots, sizeof(*g->slots));
	g->idle = xcalloc(g->nslots, sizeof(*g->idle));
	for (i = 0; i < g->nslots; i++) {
		if (setup_easy(g, &g->slots[i]) < 0)
			return -1;
		g->idle[g->nidle++] = g->nslots - 1 - i;
	}
	return 0;
}

static void teardown(struct loadgen *g)
{
	unsigned i;

	for (i = 0; g->slots && i < g->nslots; i++) {
		free(g->slots[i].body);
		if (!g->slots[i].easy)
			continue;
		if (g->multi)
			curl_multi_remove_handle(g->multi, g->slots[i].easy);
		curl_easy_cleanup(g->slots[i].easy);
	}
	if (g->multi)
		curl_multi_cleanup(g->multi);
	curl_slist_free_all(g->headers);
	free(g->slots);
	free(g->idle);
	release_signals(g);
	if (g->tfd >= 0)
		close(g->tfd);
	if (g->epfd >= 0)
		close(g->epfd);
}

static int can_issue(const struct loadgen *g)
{
	return !g->stopping && !g->broken &&
	       (!g->o->requests || g->issued < g->o->requests);
}

static void start(struct loadgen *g, unsigned idx, int64_t intended,
		  int64_t now)
{
	struct slot *s = &g->slots[idx];
	CURLMcode rc;

	s->intended = intended;
	s->start = now;
	s->bytes = 0;
	/* until a response came: its body is the one --save-first wants */
	s->capturing = g->o->capture_first && !g->captured &&
		       g->capturing < MAX_CAPTURING;
	g->capturing += (unsigned)s->capturing;
	if (g->qperiod) {
		/* like a Go ticker: missed ticks are dropped, not made up */
		s->next_allowed += g->qperiod;
		if (s->next_allowed < now)
			s->next_allowed = now;
	}
	rc = curl_multi_add_handle(g->multi, s->easy);
	if (rc != CURLM_OK) {
		error("libcurl cannot start a request: %s",
		      curl_multi_strerror(rc));
		g->broken = 1;
		g->idle[g->nidle++] = idx;
		return;
	}
	g->issued++;
	if (now - intended >= LATE_NS) {
		g->out->late++;
		if (now - intended > g->out->late_max)
			g->out->late_max = now - intended;
	}
}

static unsigned drain(struct loadgen *g);

/*
 * Starts what is due at now; returns when the next send is due (NEVER when
 * only a finished request can free a slot, or nothing is left to send).
 */
static int64_t issue(struct loadgen *g, int64_t now)
{
	int64_t wake = NEVER;
	unsigned i, started = 0;
	int running;

	if (g->period > 0) {
		while (g->nidle && can_issue(g)) {
			int64_t due = g->t0 +
				      (int64_t)((double)g->issued * g->period);

			if (due > now) {
				wake = due;
				break;
			}
			start(g, g->idle[--g->nidle], due, now);
			started++;
		}
	} else if (g->qperiod) {
		for (i = 0; i < g->nidle && can_issue(g);) {
			unsigned idx = g->idle[i];

			if (g->slots[idx].next_allowed > now) {
				if (g->slots[idx].next_allowed < wake)
					wake = g->slots[idx].next_allowed;
				i++;
				continue;
			}
			g->idle[i] = g->idle[--g->nidle];
			start(g, idx, now, now);
			started++;
		}
	} else {
		while (g->nidle && can_issue(g)) {
			start(g, g->idle[--g->nidle], now, now);
			started++;
		}
	}
	if (started) {
		/* let libcurl send at once rather than on the next turn */
		curl_multi_socket_action(g->multi, CURL_SOCKET_TIMEOUT, 0,
					 &running);
		/*
		 * What finished meanwhile freed a slot that no socket event
		 * will ever report: come straight back to refill it.
		 */
		if (drain(g))
			wake = now;
	}
	return wake;
}

static int64_t us_to_ns(curl_off_t us)
{
	return us > 0 ? (int64_t)us * 1000 : 0;
}

static int64_t span(int64_t from, int64_t to)
{
	return to > from ? to - from : 0;
}

static void describe_error(CURL *easy, CURLcode code,
			   const struct loadgen_opts *o, char *msg, size_t size)
{
	long oserr = 0;

	if (code == CURLE_OPERATION_TIMEDOUT) {
		snprintf(msg, size, "timeout: no complete response within "
			 "%g s (-t)", (double)o->timeout_ms / 1000);
		return;
	}
	if (code == CURLE_HTTP2_STREAM && o->body_len) {
		/* libcurl 7.88 drops a response sent before the request
		 * body was read, when the server then resets the stream */
		snprintf(msg, size, "%s (or the server answered before "
			 "reading the body: see README)",
			 curl_easy_strerror(code));
		return;
	}
	if (code == CURLE_PEER_FAILED_VERIFICATION) {
		snprintf(msg, size, "TLS certificate not trusted (-k skips "
			 "the check)");
		return;
	}
	curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr);
	if (oserr)
		snprintf(msg, size, "%s: %s", curl_easy_strerror(code),
			 strerror((int)oserr));
	else
		snprintf(msg, size, "%s", curl_easy_strerror(code));
}

/* A transfer's phases from libcurl's timers, as hey splits them. */
static void phases(CURL *easy, struct load_result *r)
{
	curl_off_t nl = 0, conn = 0, app = 0, pre = 0, first = 0, total = 0;
	long connects = 0;
	int64_t connected;

	curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &nl);
	curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &conn);
	curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &app);
	curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
	curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
	curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
	if (connects) {
		/* hey's DNS+dialup: resolving, connecting and TLS */
		connected = us_to_ns(app > conn ? app : conn);
		r->dns = us_to_ns(nl);
	} else {
		/* a reused connection: no lookup, no dial */
		connected = 0;
	}
	r->conn = connected;
	r->write = span(connected, us_to_ns(pre));
	r->delay = span(us_to_ns(pre), us_to_ns(first));
	r->read = span(us_to_ns(first), us_to_ns(total));
}

/* Counts a failed transfer; enough of them before any response stop. */
static void failed(struct loadgen *g, const char *msg)
{
	if (!g->failures)
		snprintf(g->out->first_error, sizeof(g->out->first_error),
			 "%s", msg);
	g->failures++;
	if (!g->responses && g->o->give_up_after &&
	    g->failures >= g->o->give_up_after) {
		g->out->gave_up = 1;
		g->stopping = 1;
	}
}

static void finish(struct loadgen *g, CURL *easy, CURLcode code)
{
	struct load_result r;
	struct slot *s = NULL;
	char msg[256];
	long status = 0;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&s);
	memset(&r, 0, sizeof(r));
	r.end = clock_mono_ns() - g->t0;
	r.intended = s->intended - g->t0;
	r.start = s->start - g->t0;
	r.bytes = s->bytes;
	phases(easy, &r);
	if (code == CURLE_OK) {
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
		r.status = (int)status;
		g->responses++;
		if (s->capturing && !g->captured) {
			r.body = s->body ? s->body : "";
			r.body_len = s->body_len;
			g->captured = 1;
		}
	} else {
		describe_error(easy, code, g->o, msg, sizeof(msg));
		r.error = msg;
		failed(g, msg);
	}
	curl_multi_remove_handle(g->multi, easy);
	g->idle[g->nidle++] = (unsigned)(s - g->slots);
	if (g->h->result)
		g->h->result(g->h->ctx, &r);
	if (s->capturing) {
		free(s->body);
		s->body = NULL;
		s->body_len = 0;
		s->capturing = 0;
		g->capturing--;
	}
}

/* Reports every finished transfer; returns how many there were. */
static unsigned drain(struct loadgen *g)
{
	CURLMsg *m;
	unsigned n = 0;
	int left;

	while ((m = curl_multi_info_read(g->multi, &left))) {
		if (m->msg == CURLMSG_DONE) {
			finish(g, m->easy_handle, m->data.result);
			n++;
		}
	}
	return n;
}

/* Abandons whatever is in flight; it is counted as unfinished. */
static void abandon(struct loadgen *g)
{
	unsigned i;
	char *idle = xcalloc(g->nslots, 1);

	for (i = 0; i < g->nidle; i++)
		idle[g->idle[i]] = 1;
	for (i = 0; i < g->nslots; i++) {
		if (idle[i])
			continue;
		curl_multi_remove_handle(g->multi, g->slots[i].easy);
		g->idle[g->nidle++] = i;
		g->out->unfinished++;
	}
	free(idle);
}

static void ticks_until(struct loadgen *g, int64_t now)
{
	while (g->next_tick <= now) {
		if (g->h->tick)
			g->h->tick(g->h->ctx, g->next_tick - g->t0);
		g->next_tick += g->o->every_ns;
	}
}

static int arm(struct loadgen *g, int64_t when)
{
	struct itimerspec its;

	if (when == g->armed)
		return 0;
	memset(&its, 0, sizeof(its));
	if (when != NEVER) {
		its.it_value.tv_sec = when / 1000000000;
		its.it_value.tv_nsec = when % 1000000000;
	}
	if (timerfd_settime(g->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		error("timerfd_settime: %s", strerror(errno));
		return -1;
	}
	g->armed = when;
	return 0;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* Waits for sockets, the timer or a signal, and hands sockets to libcurl. */
static void wait_events(struct loadgen *g, int64_t wake, int64_t now)
{
	struct epoll_event ev[MAX_EVENTS];
	int n, i, running, timeout = -1;
	uint64_t expirations;
	struct signalfd_siginfo si;

	if (wake <= now)
		timeout = 0;
	else if (arm(g, wake) < 0) {
		g->broken = 1;
		return;
	}
	n = epoll_wait(g->epfd, ev, MAX_EVENTS, timeout);
	if (n < 0) {
		if (errno == EINTR)
			return;
		error("epoll_wait: %s", strerror(errno));
		g->broken = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		int fd = ev[i].data.fd, mask = 0;

		if (fd == g->tfd) {
			if (read(g->tfd, &expirations, sizeof(expirations)) < 0)
				(void)0;	/* EAGAIN: re-armed meanwhile */
			g->armed = NEVER;
			continue;
		}
		if (g->o->stop_fd > 0 && fd == g->o->stop_fd) {
			/* the caller's to drain: it may stop other runs too */
			g->stopping = 1;
			continue;
		}
		if (fd == g->sfd) {
			if (read(g->sfd, &si, sizeof(si)) == sizeof(si)) {
				g->out->interrupted = 1;
				g->stopping = 1;
			}
			continue;
		}
		if (ev[i].events & EPOLLIN)
			mask |= CURL_CSELECT_IN;
		if (ev[i].events & EPOLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (ev[i].events & (EPOLLERR | EPOLLHUP))
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(g->multi, fd, mask, &running);
	}
}

static void loop(struct loadgen *g)
{
	int64_t now, wake;
	int running;

	for (;;) {
		now = clock_mono_ns();
		if (now >= g->deadline) {
			/* what finished after the deadline is not counted */
			ticks_until(g, g->deadline);
			g->stopping = 1;
			now = g->deadline;
			goto stopped;
		}
		ticks_until(g, now);
		if (g->curl_due <= now) {
			g->curl_due = NEVER;
			curl_multi_socket_action(g->multi, CURL_SOCKET_TIMEOUT,
						 0, &running);
		}
		drain(g);
		if (g->stopping || g->broken)
			break;
		wake = issue(g, now);
		if (g->stopping || g->broken)
			break;
		if (!can_issue(g) && g->nidle == g->nslots)
			break;
		wake = min64(wake, min64(g->curl_due, g->next_tick));
		wake = min64(wake, g->deadline);
		wait_events(g, wake, now);
	}
	now = clock_mono_ns();
stopped:
	if (g->nidle < g->nslots)
		abandon(g);
	g->out->elapsed = now - g->t0;
	if (g->o->every_ns && g->h->tick &&
	    g->next_tick - g->o->every_ns < now)
		g->h->tick(g->h->ctx, now - g->t0);
}

int loadgen_run(const struct loadgen_opts *o, const struct loadgen_hooks *h,
		struct loadgen_outcome *out)
{
	struct loadgen g;
	int ret = -1;

	memset(&g, 0, sizeof(g));
	memset(out, 0, sizeof(*out));
	g.o = o;
	g.h = h;
	g.out = out;
	g.epfd = g.tfd = g.sfd = -1;
	g.curl_due = g.armed = NEVER;
	if (setup(&g) < 0)
		goto out;
	if (o->rate > 0)
		g.period = 1e9 / o->rate;
	else if (o->qps > 0)
		g.qperiod = (int64_t)(1e9 / o->qps);
	out->start_wall = clock_real_ns();
	g.t0 = clock_mono_ns();
	g.deadline = o->duration_ns ? g.t0 + o->duration_ns : NEVER;
	g.next_tick = o->every_ns ? g.t0 + o->every_ns : NEVER;
	if (g.qperiod) {
		unsigned i;

		/* first sends at once, then one per period per worker */
		for (i = 0; i < g.nslots; i++)
			g.slots[i].next_allowed = g.t0;
	}
	loop(&g);
	ret = g.broken ? -1 : 0;
out:
	teardown(&g);
	return ret;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky soak's load: a load generator per request kind, one series. */
#include "soak/soakload.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/leaky.h"
#include "load/loadgen.h"
#include "load/loadopt.h"
#include "load/loadstat.h"
#include "out/csvout.h"
#include "out/outfile.h"
#include "soak/loadspec.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BODY_FILE ((size_t)1 << 30)

/* One request kind's generator and thread. */
struct gen {
	struct soakload *l;
	const struct loadspec *req;
	struct loadgen_opts o;
	struct loadgen_outcome out;
	struct loadstat *total;		/* this kind's own */
	struct buf body;
	char **headers;
	pthread_t thread;
	int started, failed;
};

struct soakload {
	struct gen *g;
	size_t n;
	int stop_pipe[2];
	pthread_mutex_t lock;		/* the counts below, the series */
	struct loadstat *total, *interval;
	FILE *series;			/* rows so far, a scratch file */
	struct csvout csv;
	int csv_open;
	int64_t every_ns, last_tick;
	int64_t start_wall;
	double rate;
	unsigned concurrency;
};

/*
 * Results come from every thread; one lock keeps the totals and the
 * interval whole. A result is counted in a few microseconds, far below
 * the pace of any soak's load.
 */
static void on_result(void *ctx, const struct load_result *r)
{
	struct gen *g = ctx;
	struct soakload *l = g->l;

	pthread_mutex_lock(&l->lock);
	loadstat_add(l->total, r);
	loadstat_add(l->interval, r);
	loadstat_add(g->total, r);
	pthread_mutex_unlock(&l->lock);
}

/* The first generator's ticks close the intervals of them all. */
static void on_tick(void *ctx, int64_t elapsed)
{
	struct gen *g = ctx;
	struct soakload *l = g->l;
	int64_t len, rate_len;

	pthread_mutex_lock(&l->lock);
	len = elapsed - l->last_tick;
	/* as leaky load: a last sliver only when something happened */
	if (len >= l->every_ns || l->interval->responses ||
	    l->interval->errors) {
		rate_len = len < l->every_ns / 4 && len < 100000000 ? 0 : len;
		loadstat_series_row(&l->csv, l->interval,
				    l->start_wall + elapsed, elapsed, rate_len,
				    CSV_TIME_RFC3339);
		loadstat_reset(l->interval);
		l->last_tick = elapsed;
	}
	pthread_mutex_unlock(&l->lock);
}

static void *run(void *arg)
{
	struct gen *g = arg;
	struct loadgen_hooks h;

	memset(&h, 0, sizeof(h));
	h.result = on_result;
	h.tick = g == g->l->g ? on_tick : NULL;
	h.ctx = g;
	if (loadgen_run(&g->o, &h, &g->out) < 0)
		g->failed = 1;
	return NULL;
}

/* A share of total by weight, at least min. */
static double share(double total, double w, double sum, double min)
{
	double v = total * w / sum;

	return v < min ? min : v;
}

static int setup_gen(struct soakload *l, struct gen *g,
		     const struct loadspec *req, double wsum,
		     const struct soakload_opts *o, char *err, size_t size)
{
	struct loadopt_headers hin;
	size_t nh = 0;

	g->l = l;
	g->req = req;
	buf_init(&g->body);
	g->total = loadstat_new();
	if (req->body_file) {
		if (buf_read_file(&g->body, req->body_file, MAX_BODY_FILE,
				  NULL) < 0)
			return failf(err, size, "cannot read the body file "
				     "%s", req->body_file);
		g->o.body = g->body.len ? (const char *)g->body.data : "";
		g->o.body_len = g->body.len;
	}
	memset(&hin, 0, sizeof(hin));
	hin.has_body = req->body_file != NULL;
	hin.extra = o->headers;
	hin.nextra = o->nheaders;
	g->headers = loadopt_headers(&hin, &nh);
	g->o.headers = (const char *const *)g->headers;
	g->o.nheaders = nh;
	g->o.url = req->url;
	g->o.method = req->method;
	g->o.timeout_ms = o->timeout_ms;
	g->o.keepalive = g->o.compression = g->o.redirects = 1;
	g->o.concurrency = (unsigned)(share(o->concurrency, req->weight,
					    wsum, 1) + 0.5);
	if (o->rate > 0)
		g->o.rate = share(o->rate, req->weight, wsum, 0.001);
	g->o.duration_ns = o->duration_ns;
	g->o.every_ns = o->every_ns;
	/* a service slow to open its port must not end the load early */
	g->o.give_up_after = 0;
	g->o.stop_fd = l->stop_pipe[0];
	return 0;
}

struct soakload *soakload_start(const struct loadspec *reqs, size_t n,
				const struct soakload_opts *o, char *err,
				size_t size)
{
	struct soakload *l = xcalloc(1, sizeof(*l));
	double wsum = 0;
	sigset_t all, old;
	size_t i;
	int e;

	l->stop_pipe[0] = l->stop_pipe[1] = -1;
	pthread_mutex_init(&l->lock, NULL);
	l->total = loadstat_new();
	l->interval = loadstat_new();
	l->every_ns = o->every_ns;
	l->rate = o->rate;
	l->concurrency = o->concurrency;
	l->series = tmpfile();
	if (!l->series) {
		failf(err, size, "cannot make a scratch file: %s",
		      strerror(errno));
		goto fail;
	}
	csvout_init(&l->csv, l->series);
	l->csv_open = 1;
	loadstat_series_header(&l->csv);
	/* fd 0 is stdin's: stop_fd 0 means none to the engine */
	if (pipe2(l->stop_pipe, O_CLOEXEC) < 0 || l->stop_pipe[0] == 0) {
		failf(err, size, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < n; i++)
		wsum += reqs[i].weight;
	l->g = xcalloc(n, sizeof(*l->g));
	l->n = n;
	for (i = 0; i < n; i++)
		if (setup_gen(l, &l->g[i], &reqs[i], wsum, o, err, size) < 0)
			goto fail;
	l->start_wall = clock_real_ns();
	/*
	 * The threads start with every signal blocked: the process's are
	 * the soak's, on its main thread.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < n; i++) {
		e = pthread_create(&l->g[i].thread, NULL, run, &l->g[i]);
		if (e) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			failf(err, size, "cannot start a thread: %s",
			      strerror(e));
			goto fail;
		}
		l->g[i].started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return l;
fail:
	soakload_stop(l);
	soakload_free(l);
	return NULL;
}

void soakload_stop(struct soakload *l)
{
	size_t i;

	if (!l)
		return;
	if (l->stop_pipe[1] >= 0 && write(l->stop_pipe[1], "", 1) < 0) {
		/* a full pipe is readable already */
	}
	for (i = 0; i < l->n; i++)
		if (l->g[i].started) {
			pthread_join(l->g[i].thread, NULL);
			l->g[i].started = 0;
		}
}

uint64_t soakload_responses(const struct soakload *l)
{
	return l ? l->total->responses : 0;
}

/* Copies the scratch series into path, whole. */
static int copy_series(struct soakload *l, const char *path)
{
	struct outfile of;
	char chunk[8192];
	size_t k;

	csvout_release(&l->csv);
	l->csv_open = 0;
	if (fflush(l->series) || outfile_open(&of, path, 1) < 0)
		return -1;
	rewind(l->series);
	while ((k = fread(chunk, 1, sizeof(chunk), l->series)) > 0)
		fwrite(chunk, 1, k, of.fp);
	return outfile_commit(&of);
}

int soakload_write(struct soakload *l, const char *path, FILE *summary_fp)
{
	struct loadstat_run run;
	int64_t elapsed = 0;
	size_t i;

	memset(&run, 0, sizeof(run));
	for (i = 0; i < l->n; i++) {
		const struct loadgen_outcome *out = &l->g[i].out;

		if (out->elapsed > elapsed)
			elapsed = out->elapsed;
		run.unfinished += out->unfinished;
		run.late += out->late;
		if (out->late_max > run.late_max)
			run.late_max = out->late_max;
	}
	run.elapsed = elapsed;
	run.rate = l->rate;
	run.concurrency = l->concurrency;
	if (summary_fp) {
		loadstat_summary(summary_fp, l->total, &run);
		fprintf(summary_fp, "\nRequests:\n");
		for (i = 0; i < l->n; i++) {
			const struct gen *g = &l->g[i];

			fprintf(summary_fp, "  %s %s: %" PRIu64 " responses, %"
				PRIu64 " errors%s%s\n", g->req->method,
				g->req->url, g->total->responses,
				g->total->errors,
				*g->out.first_error ? "; first: " : "",
				g->out.first_error);
		}
	}
	return copy_series(l, path);
}

void soakload_free(struct soakload *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; l->g && i < l->n; i++) {
		buf_release(&l->g[i].body);
		loadopt_headers_free(l->g[i].headers);
		loadstat_free(l->g[i].total);
	}
	free(l->g);
	if (l->csv_open)
		csvout_release(&l->csv);
	if (l->series)
		fclose(l->series);
	if (l->stop_pipe[0] >= 0)
		close(l->stop_pipe[0]);
	if (l->stop_pipe[1] >= 0)
		close(l->stop_pipe[1]);
	loadstat_free(l->total);
	loadstat_free(l->interval);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

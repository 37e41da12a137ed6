/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet scan: per-instance series from Prometheus into a dataset. */
#include "fleet/promscan.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "decode/promjson.h"
#include "fleet/promapi.h"
#include "report/dataset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void promscan_opts_default(struct promscan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->heap = PROMSCAN_HEAP;
	o->goroutines = PROMSCAN_GOROUTINES;
	o->rss = PROMSCAN_RSS;
	o->fds = PROMSCAN_FDS;
	o->start = PROMSCAN_START;
}

int promscan_check_match(const char *match, char *err, size_t errlen)
{
	size_t n = strlen(match), i;
	char quote = 0;

	if (n < 2 || match[0] != '{' || match[n - 1] != '}') {
		snprintf(err, errlen, "'%s' is not a label selector in braces, "
			 "e.g. '{job=\"api\"}'", match);
		return -1;
	}
	/* A quote left open would swallow the brace the scan adds after. */
	for (i = 1; i + 1 < n; i++) {
		if (quote && match[i] == '\\' && i + 2 < n)
			i++;
		else if (quote && match[i] == quote)
			quote = 0;
		else if (!quote && strchr("\"'`", match[i]))
			quote = match[i];
	}
	if (quote) {
		snprintf(err, errlen, "'%s': a quote is not closed", match);
		return -1;
	}
	return 0;
}

/* The scan's state: the window and the instances seen so far. */
struct scan {
	struct promapi *p;
	const struct promscan_opts *o;
	struct dataset *ds;
	int64_t start, end, step_ms;	/* seconds, seconds, ms */
	struct strmap *names;		/* targets with data */
	size_t nseries;			/* the most a query had so far */
	size_t npoints;
};

enum which { W_HEAP, W_GOROUTINES, W_RSS, W_FDS, W_START };

/* JOB/INSTANCE of a series of the "max by (job, instance)" answer. */
static void target_name(struct buf *b, const struct promjson_series *s)
{
	const char *job = promjson_label(s, "job");
	const char *inst = promjson_label(s, "instance");

	b->len = 0;
	buf_addstr(b, job ? job : "");
	buf_addstr(b, "/");
	buf_addstr(b, inst ? inst : "");
	buf_add(b, "\0", 1);
}

static int64_t ns_of(double secs)
{
	return (int64_t)llround(secs * 1e9);
}

/*
 * Restarts of one instance: process_start_time_seconds is constant over
 * a process's life, so a new value is a new process, exactly as a new
 * pid is in a collect directory. The restart is placed at the first
 * point that shows the new start time, which report's segments count as
 * the new process's. A change under a second is the same process seen
 * with another rounding (the value is a float of /proc's start ticks).
 */
static void add_restarts(struct ds_target *t, const struct promjson_series *s)
{
	char why[160], a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
	double prev = NAN;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!isfinite(s->v[i]))
			continue;
		if (!isnan(prev) && fabs(s->v[i] - prev) >= 1) {
			snprintf(why, sizeof(why),
				 "process start time %s -> %s",
				 clock_format(a, (int64_t)prev, 0,
					      CLOCK_RFC3339),
				 clock_format(b, (int64_t)s->v[i], 0,
					      CLOCK_RFC3339));
			ds_add_restart(t, ns_of(s->t[i]), why);
		}
		prev = s->v[i];
	}
}

static void add_points(struct scan *sc, enum which w,
		       const struct promjson_series *s, const char *name)
{
	struct ds_target *t = ds_target_get(sc->ds, name);
	size_t i;

	for (i = 0; i < s->n; i++) {
		int64_t when = ns_of(s->t[i]);
		double v = s->v[i];

		/* NaN marks a stale series in some exporters: no sample. */
		if (!isfinite(v))
			continue;
		sc->npoints++;
		switch (w) {
		case W_HEAP:
			ds_add_heap_inuse(t, when, (int64_t)v);
			break;
		case W_GOROUTINES:
			ds_add_goroutines(t, when, (int64_t)v);
			break;
		case W_RSS:
			ds_add_rss(t, when, (int64_t)v);
			break;
		case W_FDS:
			ds_add_fds(t, when, v);
			break;
		case W_START:
			BUG("start times are restarts, not points");
		}
	}
}

static int query(struct scan *sc, enum which w, const char *metric,
		 char *err, size_t errlen)
{
	struct promjson_answer a;
	struct buf expr, name;
	size_t i;
	int ret = -1;

	if (!metric || !*metric)
		return 0;
	buf_init(&expr);
	buf_init(&name);
	/*
	 * One series per instance whatever other labels the metric has
	 * (several containers of a pod, a version label that changed): the
	 * largest, which is the one a leak shows in.
	 */
	buf_addstr(&expr, "max by (job, instance) (");
	buf_addstr(&expr, metric);
	if (sc->o->match)
		buf_addstr(&expr, sc->o->match);
	buf_addstr(&expr, ")");
	buf_add(&expr, "\0", 1);
	if (promapi_query_range(sc->p, (const char *)expr.data, sc->start,
				sc->end, sc->step_ms, &sc->nseries, &a, err,
				errlen) < 0)
		goto out;
	for (i = 0; i < a.nseries; i++) {
		const struct promjson_series *s = &a.series[i];
		const char *n;
		int added;

		target_name(&name, s);
		n = (const char *)name.data;
		if (w != W_START) {
			strmap_intern(sc->names, n, strlen(n), &added);
			add_points(sc, w, s, n);
		} else if (strmap_find(sc->names, n, strlen(n)) >= 0) {
			/* Instances with a start time and nothing else
			 * (not a Go service) are left out. */
			add_restarts(ds_target_get(sc->ds, n), s);
		}
	}
	ret = 0;
	promjson_release(&a);
out:
	buf_release(&expr);
	buf_release(&name);
	return ret;
}

/*
 * The shortest scrape interval of the server's active targets: a step
 * finer than it only repeats each sample. 0 when the server does not say
 * (Thanos, Mimir and older Prometheus have no scrapeInterval); -1 with
 * err set when it could not be reached at all, which the scan's first
 * query would only find again after as long a timeout.
 */
static int64_t scrape_interval(struct promapi *p, char *err, size_t errlen)
{
	struct promjson_answer a;
	int64_t best = 0, ns;
	int transport;
	size_t i;

	if (promapi_targets(p, &a, &transport, err, errlen) < 0)
		return transport ? -1 : 0;
	for (i = 0; i < a.ntargets; i++)
		if (duration_parse(a.targets[i].scrape_interval, &ns,
				   &duration_leaky) == 0 && ns > 0 &&
		    (!best || ns < best))
			best = ns;
	promjson_release(&a);
	return best;
}

int promscan_load(struct promapi *p, const struct promscan_opts *o,
		  struct dataset *ds, char *err, size_t errlen)
{
	struct scan sc = { .p = p, .o = o, .ds = ds };
	int64_t end_ns = o->end_ns ? o->end_ns : clock_real_ns();
	int64_t step_ns = o->step_ns;
	char src[512], since[DURATION_TEXT_MAX], step[DURATION_TEXT_MAX];
	int ret = -1;

	ds_init(ds, promapi_shown(p));
	/*
	 * The default step: the window in PROMSCAN_POINTS steps, enough for
	 * the trend tests (whose cost grows with the square of the points)
	 * and few bytes per instance; never under the scrape interval (a
	 * finer step repeats samples, and ties weaken the trend test), nor
	 * under a second where the interval cannot be read.
	 */
	if (step_ns <= 0) {
		int64_t every = scrape_interval(p, err, errlen);

		if (every < 0)
			goto out_early;
		step_ns = o->since_ns / PROMSCAN_POINTS;
		if (step_ns < every)
			step_ns = every;
		if (step_ns < 1000000000)
			step_ns = 1000000000;
	}
	/* The API's resolution: milliseconds. */
	if (step_ns < 1000000)
		step_ns = 1000000;
	sc.step_ms = step_ns / 1000000;
	sc.end = end_ns / 1000000000;
	sc.start = (end_ns - o->since_ns) / 1000000000;
	if (sc.start > sc.end)
		sc.start = sc.end;
	sc.names = strmap_new();
	/* The header names the window and step the verdicts rest on. */
	snprintf(src, sizeof(src), "%s (the last %s, a point every %s)",
		 promapi_shown(p), duration_format(o->since_ns, since),
		 duration_format(step_ns, step));
	free(ds->source);
	ds->source = xstrdup(src);
	if (query(&sc, W_HEAP, o->heap, err, errlen) < 0 ||
	    query(&sc, W_GOROUTINES, o->goroutines, err, errlen) < 0 ||
	    query(&sc, W_RSS, o->rss, err, errlen) < 0 ||
	    query(&sc, W_FDS, o->fds, err, errlen) < 0 ||
	    query(&sc, W_START, o->start, err, errlen) < 0)
		goto out;
	if (!ds->ntargets) {
		snprintf(err, errlen, "%s: no instance has any of the series "
			 "asked for%s%s in that window", promapi_shown(p),
			 o->match ? " matching " : "",
			 o->match ? o->match : "");
		goto out;
	}
	ds_finish(ds);
	ret = 0;
out:
	strmap_free(sc.names);
out_early:
	return ret;
}

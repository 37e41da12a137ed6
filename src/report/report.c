/* SPDX-License-Identifier: Apache-2.0 */
/* leaky report's analysis: trends, verdicts, suspects, reconciliation. */
#include "report/report.h"
#include "analyze/callpath.h"
#include "analyze/fetchhint.h"
#include "analyze/project.h"
#include "analyze/stats.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/human.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "model/profile.h"
#include "out/csvout.h"
#include "report/dataset.h"
#include "report/paths.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum series_kind {
	S_HEAP,			/* in-use bytes, whole heap */
	S_HEAP_OBJECTS,
	S_GOROUTINES,
	S_RSS,
	S_ANON,
	S_UNEXPLAINED,
	S_MEMSTATS,
	S_FUNCTION,		/* in-use bytes, flat */
	S_FUNCTION_CUM,
	S_GROUP,		/* goroutines of one group */
	S_FDS,			/* open file descriptors (metrics, .fds) */
	S_THREADS,		/* the process's threads (.fds lists) */
};

static const char *const series_names[] = {
	"heap_inuse_bytes", "heap_inuse_objects", "goroutines", "rss_bytes",
	"anon_rss_bytes", "unexplained_bytes", "memstats", "function_flat",
	"function_cum", "goroutine_group", "open_fds", "threads",
};

/* One analysed series of one segment: a row of the CSV. */
struct row {
	size_t target, segment;
	enum series_kind kind;
	char *key;
	uint32_t id;		/* function or group id */
	struct trend tr, early, late;
	double t0, t1;		/* seconds since the epoch */
	double rel_growth;
	double share;		/* of the heap's growth; NAN when n/a */
	double level;		/* median value */
	int64_t max_wait;	/* goroutine groups: at the last snapshot */
	enum verdict v;
	const char *rule;	/* the rule that decided v (judge()) */
	double since;		/* when a late rise began (seconds); NAN */
	char why[320];		/* and why, with its numbers */
	/* Where it meets its limit at its rate (project_limits()). */
	const char *limit_name;	/* "memory.max", "GOMEMLIMIT"; NULL none */
	double limit;
	struct projection proj;
	/* Growing functions: the call paths of their growth from the
	 * segment's first heap profile to its last; growing goroutine
	 * groups: their creators, from the first dump to the last
	 * (find_paths()). */
	struct callpaths paths;
	double p0, p1;		/* those files' times, seconds */
};

struct recon {
	int valid;
	double t;
	double rss, anon, file, heap_inuse, heap_idle, stacks, spans, runtime;
	double unexplained;
};

struct tresult {
	enum verdict v;
	int young;		/* seen for less than min_age */
	size_t nsegments;
	double *seg_start;	/* boundaries (nsegments - 1) */
	struct recon recon;
};

struct report {
	const struct dataset *ds;
	struct report_opts o;
	struct row *rows;
	size_t nrows, caprows;
	struct tresult *t;
};

void report_opts_default(struct report_opts *o)
{
	o->alpha = REPORT_ALPHA;
	o->suspect_alpha = REPORT_SUSPECT_ALPHA;
	o->min_growth = REPORT_MIN_GROWTH;
	o->late_ratio = REPORT_LATE_RATIO;
	o->min_snapshots = REPORT_MIN_SNAPSHOTS;
	o->min_age = 0;
	o->top = REPORT_TOP;
	o->csv_raw = 0;
	o->hide_ok = 0;
}

static const char *const verdict_names[] = {
	"not enough data", "ok", "suspect", "leak",
};

const char *verdict_name(enum verdict v)
{
	return verdict_names[v];
}

int verdict_parse(const char *s, enum verdict *v)
{
	if (!strcmp(s, "leak"))
		*v = VERDICT_LEAK;
	else if (!strcmp(s, "suspect"))
		*v = VERDICT_SUSPECT;
	else if (!strcmp(s, "never"))
		*v = VERDICT_NODATA;
	else
		return -1;
	return 0;
}

/*
 * Which segment (between restarts) a time falls in. A restart empties the
 * process's memory: a trend across it would be a drop between two
 * processes, so each segment is judged alone.
 */
static size_t segment_of(const struct ds_target *t, int64_t when)
{
	size_t s = 0;

	while (s < t->nrestarts && t->restarts[s].t <= when)
		s++;
	return s;
}

static double secs(int64_t ns)
{
	return (double)ns / 1e9;
}

/*
 * What judging a series needs besides its points: the options, and the
 * floor under which its growth is the sampling's noise (the heap and its
 * functions: REPORT_MIN_SAMPLES of the profiles' sampling period; a
 * goroutine group: REPORT_MIN_GROUP goroutines; else 0, none).
 */
struct judge_in {
	const struct report_opts *o;
	double floor;
	double period;		/* bytes per heap sample, 0: not a heap */
	int bytes;		/* the values are bytes (for the words) */
	int thin;		/* long metrics series: halves thinned */
	enum verdict cap;	/* the most its own trend can make it */
	const char *cap_why;	/* why, when it does */
};

/* A verdict, the rule that gave it, and why, with its numbers. */
struct judgement {
	enum verdict v;
	const char *rule;	/* the decision list's name of it */
	char why[240];
	struct trend tr, early, late;
	double level, rel_growth;
};

static const char *human(double v, int bytes, char *buf, size_t n);
static int is_bytes(enum series_kind k);
static const char *pval(double p, char *buf, size_t n);
static const char *clock_of(double t, char buf[CLOCK_TEXT_MAX]);

static void ruled(struct judgement *j, enum verdict v, const char *rule,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void ruled(struct judgement *j, enum verdict v, const char *rule,
		  const char *fmt, ...)
{
	va_list ap;

	j->v = v;
	j->rule = rule;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
}

/*
 * The halves' trends from STATS_MAX_POINTS evenly spaced points of the
 * n, as the whole's are: a fleet scan has thousands of long series, and
 * each half would otherwise cost as much as the whole (the median of
 * 79,800 slopes). The points are evenly spaced in time, which the
 * halves' slopes and tests keep.
 */
static void halves_thinned(const double *t, const double *y, size_t n,
			   struct judgement *j)
{
	size_t m = STATS_MAX_POINTS, i, h = m / 2;
	double *ts = xcalloc(m, sizeof(*ts)), *ys = xcalloc(m, sizeof(*ys));

	for (i = 0; i < m; i++) {
		size_t k = i * (n - 1) / (m - 1);

		ts[i] = t[k];
		ys[i] = y[k];
	}
	stats_trend(ts, ys, m - h, &j->early);
	stats_trend(ts + h, ys + h, m - h, &j->late);
	free(ts);
	free(ys);
}

/*
 * Whether side y[0..n-1] of a step of size step is flat: it rises (by
 * its fitted slope) less than REPORT_STEP_FLAT of the step, and, from 4
 * points on, without a trend of its own (Mann-Kendall, alpha).
 */
static int flat_side(const double *t, const double *y, size_t n, double step,
		     double alpha)
{
	struct trend tr;

	if (n < 2)
		return 1;
	stats_trend(t, y, n, &tr);
	return tr.slope * (t[n - 1] - t[0]) <= REPORT_STEP_FLAT * step &&
	       (n < 4 || tr.mk_p >= alpha);
}

static double median_of(const double *y, size_t n)
{
	double *c = xcalloc(n + 1, sizeof(*c)), m;

	memcpy(c, y, n * sizeof(*c));
	m = stats_median(c, n);
	free(c);
	return m;
}

/* The median absolute deviation of y[0..n-1] from its median. */
static double mad(const double *y, size_t n)
{
	double m = median_of(y, n), *d = xcalloc(n + 1, sizeof(*d)), r;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = fabs(y[i] - m);
	r = stats_median(d, n);
	free(d);
	return r;
}

/*
 * One step: the series' largest rise from one snapshot to the next (k,
 * the first point after it), which is most of the rise of the medians
 * across it (REPORT_STEP_JUMP) and stands out of each side's noise
 * (REPORT_STEP_NOISE times its median absolute deviation), with both
 * sides flat. Growth that
 * happened at once and stayed is a reload, a resize, a table filled in
 * one go; a leak rises again. A warm-up rises over several snapshots, a
 * staircase (a leak in bursts) has no flat side, nor has a leak that
 * started late (its late side rises). Returns 1 with *k and *step.
 */
static int one_step(const double *t, const double *y, size_t n, double alpha,
		    size_t *k, double *step)
{
	double jump = 0;
	size_t i;

	*k = 0;
	for (i = 1; i < n; i++)
		if (y[i] - y[i - 1] > jump) {
			jump = y[i] - y[i - 1];
			*k = i;
		}
	if (!*k)
		return 0;
	*step = median_of(y + *k, n - *k) - median_of(y, *k);
	return *step > 0 && jump >= REPORT_STEP_JUMP * *step &&
	       *step >= REPORT_STEP_NOISE * mad(y, *k) &&
	       *step >= REPORT_STEP_NOISE * mad(y + *k, n - *k) &&
	       flat_side(t, y, *k, *step, alpha) &&
	       flat_side(t + *k, y + *k, n - *k, *step, alpha);
}

/*
 * The decision list (README, "How a series is judged"), in its order:
 * the first rule that applies decides. Fills j from the n points.
 */
static void judge_rules(const struct judge_in *in, const double *t,
			const double *y, size_t n, struct judgement *j)
{
	const struct report_opts *o = in->o;
	const struct trend *tr = &j->tr;
	double *tmp, span, grown, late_share, early_share;
	char a[32], b[32], c[32], d[32], e[CLOCK_TEXT_MAX];
	size_t i, h = n / 2, k;
	double step;

	memset(j, 0, sizeof(*j));
	/*
	 * The halves a warm-up tells apart: the first and the last n - h
	 * points, sharing the middle one when n is odd, so that both have
	 * as many points for their slopes.
	 */
	stats_trend(t, y, n, &j->tr);
	if (in->thin && n > STATS_MAX_POINTS) {
		halves_thinned(t, y, n, j);
	} else {
		stats_trend(t, y, n - h, &j->early);
		stats_trend(t + h, y + h, n - h, &j->late);
	}
	tmp = xcalloc(n + 1, sizeof(*tmp));
	for (i = 0; i < n; i++)
		tmp[i] = fabs(y[i]);
	j->level = stats_median(tmp, n);
	free(tmp);
	/*
	 * The fitted growth over the span, as a part of the series' median
	 * level (|y|: unexplained bytes can be negative). A level under 1 is
	 * taken as 1, or a series near zero would grow by any factor.
	 */
	span = n ? t[n - 1] - t[0] : 0;
	grown = tr->slope * span;
	/*
	 * The fitted slope misses a step (half the pairs straddle it, half
	 * do not): the floor and the least growth take the larger of it and
	 * the rise of the medians from the first quarter to the last.
	 */
	if (n >= 4) {
		size_t q = n / 4;
		double rise = median_of(y + n - q, q) - median_of(y, q);

		if (rise > grown)
			grown = rise;
	}
	j->rel_growth = grown / (j->level > 1 ? j->level : 1);
	if (n < o->min_snapshots) {
		ruled(j, VERDICT_NODATA, "few", "%zu snapshots, fewer than "
		      "%zu", n, o->min_snapshots);
		return;
	}
	if (tr->slope <= 0 || tr->mk_p >= o->suspect_alpha) {
		if (tr->slope <= 0)
			ruled(j, VERDICT_OK, "no-trend", "no upward trend: "
			      "the fitted slope is not above 0");
		else
			ruled(j, VERDICT_OK, "no-trend", "no upward trend: "
			      "%s >= %g", pval(tr->mk_p, a, sizeof(a)),
			      o->suspect_alpha);
		return;
	}
	if (in->floor > 0 && grown < in->floor) {
		if (in->period > 0)
			ruled(j, VERDICT_OK, "floor", "grew %s, %.1f samples "
			      "of %s: under the floor of %d samples, the "
			      "profile's sampling noise",
			      human(grown, 1, a, sizeof(a)),
			      grown / in->period,
			      human(in->period, 1, b, sizeof(b)),
			      REPORT_MIN_SAMPLES);
		else
			ruled(j, VERDICT_OK, "floor", "grew %s, under the "
			      "floor of %s: a handful, not evidence",
			      human(grown, in->bytes, a, sizeof(a)),
			      human(in->floor, in->bytes, b, sizeof(b)));
		return;
	}
	if (j->rel_growth < o->min_growth) {
		ruled(j, VERDICT_OK, "small", "grew %.1f%% of its level, under "
		      "%.0f%%", 100 * j->rel_growth, 100 * o->min_growth);
		return;
	}
	if (one_step(t, y, n, o->alpha, &k, &step)) {
		double at = (t[k - 1] + t[k]) / 2;
		double before = at - t[0], after = t[n - 1] - at;

		if (after >= before || after >= REPORT_STEP_SHARE * span) {
			ruled(j, VERDICT_OK, "step", "one step of %s at %s, "
			      "flat since (%.0f s: as long as before it, or "
			      "%.0f%% of the window, or longer)",
			      human(step, in->bytes, a, sizeof(a)),
			      clock_of(at, e), after,
			      100 * REPORT_STEP_SHARE);
			return;
		}
	}
	/*
	 * A leak keeps growing where a warm-up flattens: a second half much
	 * slower than the first half (or than the whole) is a warm-up,
	 * unless it still rises on its own.
	 */
	late_share = j->late.slope / tr->slope;
	early_share = j->early.slope > 0 ? j->late.slope / j->early.slope :
		      INFINITY;
	/* (A first half that did not rise is no warm-up: the whole rose
	 * between the halves, which the rules below judge.) */
	if (j->early.slope > 0 &&
	    (late_share < o->late_ratio || early_share < o->late_ratio) &&
	    !(j->late.mk_p < o->suspect_alpha && late_share >= o->late_ratio)) {
		ruled(j, VERDICT_OK, "warm-up", "grew, then flat (warm-up): "
		      "second half %s/h, %.0f%% of the first half's and "
		      "%.0f%% of the whole's (under %.0f%% of either "
		      "flattens), no trend of its own (%s)",
		      human(j->late.slope * 3600, in->bytes, a, sizeof(a)),
		      100 * early_share, 100 * late_share,
		      100 * o->late_ratio,
		      pval(j->late.mk_p, b, sizeof(b)));
		return;
	}
	if (tr->mk_p < o->alpha) {
		ruled(j, VERDICT_LEAK, "rising", "rises throughout: %s < %g; "
		      "second half %s/h, %.0f%% of the whole's %s/h",
		      pval(tr->mk_p, a, sizeof(a)), o->alpha,
		      human(j->late.slope * 3600, in->bytes, b, sizeof(b)),
		      100 * late_share,
		      human(tr->slope * 3600, in->bytes, c, sizeof(c)));
		return;
	}
	ruled(j, VERDICT_SUSPECT, "weak", "rises, weakly: %s, between %g and "
	      "%g", pval(tr->mk_p, d, sizeof(d)), o->alpha, o->suspect_alpha);
}

/* The rules, then the cap a series without corroboration has. */
static void judge(const struct judge_in *in, const double *t, const double *y,
		  size_t n, struct judgement *j)
{
	size_t len;

	judge_rules(in, t, y, n, j);
	if (j->v <= in->cap)
		return;
	j->v = in->cap;
	len = strlen(j->why);
	snprintf(j->why + len, sizeof(j->why) - len, "; but %s", in->cap_why);
}

/*
 * A verdict must not hang on one snapshot: the series is judged again
 * without its first and without its last one (series of up to
 * REPORT_LOO_MAX points; on longer ones one point moves no verdict).
 * Where one of the three is a leak and another is not, what CI acts on
 * would turn on one snapshot: it is a suspect, marked borderline. A
 * suspect that is ok without an end stays a suspect, marked borderline
 * too.
 */
static void judge_stable(const struct judge_in *in, const double *t,
			 const double *y, size_t n, struct judgement *j)
{
	struct judgement a, b;
	char why[sizeof(j->why)];
	int cut;

	judge(in, t, y, n, j);
	if (n > REPORT_LOO_MAX || n <= in->o->min_snapshots ||
	    j->v == VERDICT_NODATA)
		return;
	judge(in, t + 1, y + 1, n - 1, &a);
	judge(in, t, y, n - 1, &b);
	if (a.v == j->v && b.v == j->v)
		return;
	if ((a.v == VERDICT_LEAK) == (j->v == VERDICT_LEAK) &&
	    (b.v == VERDICT_LEAK) == (j->v == VERDICT_LEAK) &&
	    j->v != VERDICT_SUSPECT)
		return;
	/* The note is bounded: a long inner reason is cut, and said so. */
	cut = snprintf(why, sizeof(why), "borderline: %s with all %zu "
		       "snapshots (%s), %s without the first, %s without the "
		       "last", verdict_name(j->v), n, j->why,
		       verdict_name(a.v), verdict_name(b.v)) >=
	      (int)sizeof(why);
	ruled(j, VERDICT_SUSPECT, "borderline", "%s%s", why, cut ? "..." : "");
}

/*
 * Since when a rising series rises: a split k where the start y[0..k)
 * is flat (rising less than REPORT_ONSET_FLAT times what follows, with
 * no trend of its own) and y[k..n) rises (p < suspect alpha); of those,
 * the one where the slope changes most, which is where the rise began
 * (earlier, the rise's side takes in flat points; later, the flat side
 * takes in rising ones). Its last flat snapshot is k - 1: a leak that
 * began after a deploy or a change of traffic. 0 when it rose from the
 * start (or the series is too long to look: REPORT_LOO_MAX points).
 */
static size_t onset(const struct report_opts *o, const double *t,
		    const double *y, size_t n)
{
	struct trend a, b;
	size_t k, best = 0;
	double change, most = 0;

	if (n > REPORT_LOO_MAX)
		return 0;
	for (k = REPORT_ONSET_MIN; k + REPORT_ONSET_MIN <= n; k++) {
		stats_trend(t, y, k, &a);
		stats_trend(t + k, y + k, n - k, &b);
		if (!(b.slope > 0 && b.mk_p < o->suspect_alpha &&
		      a.mk_p >= o->alpha &&
		      a.slope <= REPORT_ONSET_FLAT * b.slope))
			continue;
		change = b.slope - (a.slope > 0 ? a.slope : 0);
		if (change > most) {
			most = change;
			best = k;
		}
	}
	return best;
}

/* Adds "rising since TIME" to a rising row's why, when it began late. */
static void rising_since(const struct report_opts *o, const double *t,
			 const double *y, size_t n, struct row *w)
{
	char a[CLOCK_TEXT_MAX];
	size_t k, len = strlen(w->why);

	if (w->v < VERDICT_SUSPECT || (strcmp(w->rule, "rising") &&
				       strcmp(w->rule, "weak")))
		return;
	k = onset(o, t, y, n);
	if (!k)
		return;
	w->since = t[k - 1];
	snprintf(w->why + len, sizeof(w->why) - len, "; rising since %s "
		 "(%zu of %zu snapshots flat before)", clock_of(t[k - 1], a),
		 k, n);
}

static struct row *analyse_capped(struct report *r, size_t target,
				  size_t seg, enum series_kind kind,
				  const char *key, const double *t,
				  const double *y, size_t n, double floor,
				  double period, enum verdict cap,
				  const char *cap_why)
{
	struct judge_in in = { &r->o, floor, period, 0, 0, cap, cap_why };
	struct judgement j;
	struct row *w;

	in.bytes = is_bytes(kind);
	in.thin = r->ds->targets[target].from_metrics;
	judge_stable(&in, t, y, n, &j);
	r->rows = xgrow(r->rows, &r->caprows, r->nrows + 1, sizeof(*r->rows));
	w = &r->rows[r->nrows++];
	memset(w, 0, sizeof(*w));
	w->target = target;
	w->segment = seg;
	w->kind = kind;
	w->key = xstrdup(key ? key : "");
	w->share = NAN;
	w->max_wait = -1;
	w->tr = j.tr;
	w->early = j.early;
	w->late = j.late;
	w->level = j.level;
	w->rel_growth = j.rel_growth;
	w->v = j.v;
	w->rule = j.rule;
	w->since = NAN;
	snprintf(w->why, sizeof(w->why), "%s", j.why);
	if (n) {
		w->t0 = t[0];
		w->t1 = t[n - 1];
	}
	rising_since(&r->o, t, y, n, w);
	return w;
}

static struct row *analyse(struct report *r, size_t target, size_t seg,
			   enum series_kind kind, const char *key,
			   const double *t, const double *y, size_t n,
			   double floor, double period)
{
	return analyse_capped(r, target, seg, kind, key, t, y, n, floor,
			      period, VERDICT_LEAK, NULL);
}

/* Points of one segment of a scalar series, taken by a getter. */
struct points {
	double *t, *y;
	size_t n, cap;
};

static void points_add(struct points *p, double t, double y)
{
	size_t cap = p->cap;

	p->t = xgrow(p->t, &cap, p->n + 1, sizeof(*p->t));
	cap = p->cap;
	p->y = xgrow(p->y, &cap, p->n + 1, sizeof(*p->y));
	p->cap = cap;
	p->t[p->n] = t;
	p->y[p->n++] = y;
}

static void points_free(struct points *p)
{
	free(p->t);
	free(p->y);
	memset(p, 0, sizeof(*p));
}

/* Cumulative MemStats counters always grow: no trend to read in them. */
static int cumulative_stat(const char *k)
{
	static const char *const names[] = {
		"TotalAlloc", "Mallocs", "Frees", "Lookups", "NumGC",
		"NumForcedGC", "PauseTotalNs", "LastGC", "GCCPUFraction",
		"MaxRSS", "EnableGC", "DebugGC",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(k, names[i]))
			return 1;
	return 0;
}

struct cand {
	uint32_t id;
	double growth;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Function id's flat and cum bytes in the heap snapshots idx[0..n-1] of
 * t, 0 where a snapshot lacks it, at times tt (seconds).
 */
static void function_series(const struct ds_target *t, const size_t *idx,
			    size_t n, uint32_t id, double *tt, double *yf,
			    double *yc)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct ds_heap *h = &t->heap[idx[i]];

		tt[i] = secs(h->t);
		yf[i] = yc[i] = 0;
		for (j = 0; j < h->nrows; j++) {
			if (h->keys[j] != id)
				continue;
			yf[i] = (double)h->flat[j];
			yc[i] = (double)h->cum[j];
			break;
		}
	}
}

/*
 * The functions whose flat bytes grew from the segment's first heap
 * snapshot (idx[0]) to its last (idx[n - 1]), most first, into c (room
 * for every function); returns how many. A function absent from a
 * snapshot had 0 bytes in it.
 */
static size_t function_candidates(const struct dataset *ds,
				  const struct ds_target *t, const size_t *idx,
				  size_t n, struct cand *c)
{
	size_t nf = ds_nfuncs(ds), i, j, k, ncand = 0;
	double *first = xcalloc(nf + 1, sizeof(*first));
	double *last = xcalloc(nf + 1, sizeof(*last));
	unsigned char *seen = xcalloc(nf + 1, 1);

	for (k = 0; k < 2; k++) {
		const struct ds_heap *h = &t->heap[idx[k ? n - 1 : 0]];

		for (j = 0; j < h->nrows; j++) {
			(k ? last : first)[h->keys[j]] = (double)h->flat[j];
			seen[h->keys[j]] = 1;
		}
	}
	for (i = 0; i < nf; i++)
		if (seen[i] && last[i] > first[i])
			c[ncand++] = (struct cand){ (uint32_t)i,
						    last[i] - first[i] };
	if (ncand)
		qsort(c, ncand, sizeof(*c), cmp_cand);
	free(first);
	free(last);
	free(seen);
	return ncand;
}

/* A function's row of kind S_FUNCTION or S_FUNCTION_CUM, and its share. */
static void function_row(struct report *r, size_t ti, size_t seg,
			 enum series_kind kind, uint32_t id, const double *tt,
			 const double *y, size_t n, double heap_growth,
			 double period)
{
	struct row *w = analyse(r, ti, seg, kind, ds_func_name(r->ds, id), tt,
				y, n, REPORT_MIN_SAMPLES * period, period);

	w->id = id;
	if (heap_growth > 0)
		w->share = w->tr.growth / heap_growth;
}

/* Functions of a heap segment whose flat bytes grew the most. */
static void analyse_functions(struct report *r, size_t ti, size_t seg,
			      const size_t *idx, size_t n, double heap_growth,
			      double period)
{
	const struct dataset *ds = r->ds;
	const struct ds_target *t = &ds->targets[ti];
	struct cand *c = xcalloc(ds_nfuncs(ds) + 1, sizeof(*c));
	double *tt = xcalloc(n + 1, sizeof(*tt));
	double *yf = xcalloc(n + 1, sizeof(*yf));
	double *yc = xcalloc(n + 1, sizeof(*yc));
	size_t k, ncand = function_candidates(ds, t, idx, n, c);

	size_t keep = 3 * r->o.top;

	/*
	 * Candidates by growth from first to last; the trend test then
	 * rejects some (a spike at the end), so three times the names the
	 * report shows are analysed, and the top suspects still fill it.
	 * Every function grown by the floor or more is judged too (up to
	 * REPORT_MAX_FUNCTIONS): a slow leak under the churn of the rest
	 * may grow less from first to last than a churner happens to.
	 */
	while (period > 0 && keep < ncand && keep < REPORT_MAX_FUNCTIONS &&
	       c[keep].growth >= REPORT_MIN_SAMPLES * period)
		keep++;
	if (ncand > keep)
		ncand = keep;
	for (k = 0; k < ncand; k++) {
		function_series(t, idx, n, c[k].id, tt, yf, yc);
		/*
		 * Flat rows name the culprit (has_culprit()): flat shares add
		 * up to the heap's growth; cum ones overlap (CSV only).
		 */
		function_row(r, ti, seg, S_FUNCTION, c[k].id, tt, yf, n,
			     heap_growth, period);
		function_row(r, ti, seg, S_FUNCTION_CUM, c[k].id, tt, yc, n,
			     heap_growth, period);
	}
	free(c);
	free(tt);
	free(yf);
	free(yc);
}

/* Goroutine groups of a segment whose counts grew the most. */
static void analyse_groups(struct report *r, size_t ti, size_t seg,
			   const size_t *idx, size_t n)
{
	const struct dataset *ds = r->ds;
	const struct ds_target *t = &ds->targets[ti];
	size_t ng = ds_ngroups(ds), i, j, k, ncand = 0;
	double *first = xcalloc(ng + 1, sizeof(*first));
	double *last = xcalloc(ng + 1, sizeof(*last));
	struct cand *c = xcalloc(ng + 1, sizeof(*c));
	double *tt = xcalloc(n + 1, sizeof(*tt));
	double *y = xcalloc(n + 1, sizeof(*y));

	for (k = 0; k < 2; k++) {
		const struct ds_gor *g = &t->gor[idx[k ? n - 1 : 0]];

		for (j = 0; j < g->nrows; j++)
			(k ? last : first)[g->keys[j]] = (double)g->count[j];
	}
	for (i = 0; i < ng; i++)
		if (last[i] > first[i])
			c[ncand++] = (struct cand){ (uint32_t)i,
						    last[i] - first[i] };
	if (ncand)
		qsort(c, ncand, sizeof(*c), cmp_cand);
	/* As for functions: room for those the trend test rejects. */
	if (ncand > 3 * r->o.top)
		ncand = 3 * r->o.top;
	for (k = 0; k < ncand; k++) {
		const struct ds_group *info = &ds->group_info[c[k].id];
		int64_t wait = -1;
		struct row *w;

		for (i = 0; i < n; i++) {
			const struct ds_gor *g = &t->gor[idx[i]];

			tt[i] = secs(g->t);
			y[i] = 0;
			for (j = 0; j < g->nrows; j++) {
				if (g->keys[j] != c[k].id)
					continue;
				y[i] = (double)g->count[j];
				if (i == n - 1)
					wait = g->max_wait[j];
				break;
			}
		}
		w = analyse(r, ti, seg, S_GROUP,
			    info->top[0] ? info->top : info->stack, tt, y, n,
			    REPORT_MIN_GROUP, 0);
		w->id = c[k].id;
		w->max_wait = wait;
	}
	free(first);
	free(last);
	free(c);
	free(tt);
	free(y);
}

static double stat_or(const struct dataset *ds, const struct ds_stats *s,
		      const char *k)
{
	long id = ds_stat_id(ds, k);
	double v = id < 0 ? NAN : ds_stat(s, id);

	return isnan(v) ? 0 : v;
}

/*
 * Anonymous RSS minus what the Go runtime accounts for, per snapshot:
 * the heap in use, the idle heap not yet returned to the OS, stacks and
 * span metadata, from the MemStats (heap?debug=1) nearest in time, when
 * one is within tol. Anonymous, not all RSS: file-backed pages (the
 * binary, mapped files) are no heap of anyone's.
 */
static int reconcile(const struct dataset *ds, const struct ds_target *t,
		     const struct ds_mem *m, int64_t tol, struct recon *rc)
{
	const struct ds_stats *best = NULL;
	int64_t bd = 0;
	size_t i;

	if (m->rss_kb < 0 || !t->nstats)
		return 0;
	for (i = 0; i < t->nstats; i++) {
		int64_t d = llabs(t->stats[i].t - m->t);

		if (!best || d < bd) {
			best = &t->stats[i];
			bd = d;
		}
	}
	if (bd > tol || ds_stat_id(ds, "HeapInuse") < 0)
		return 0;
	memset(rc, 0, sizeof(*rc));
	rc->valid = 1;
	rc->t = secs(m->t);
	rc->rss = (double)m->rss_kb * 1024;
	rc->anon = m->anon_kb >= 0 ? (double)m->anon_kb * 1024 : NAN;
	rc->file = m->anon_kb >= 0 ? rc->rss - rc->anon : NAN;
	rc->heap_inuse = stat_or(ds, best, "HeapInuse");
	rc->heap_idle = stat_or(ds, best, "HeapIdle") -
			stat_or(ds, best, "HeapReleased");
	rc->stacks = stat_or(ds, best, "StackInuse");
	rc->spans = stat_or(ds, best, "MSpanInuse") +
		    stat_or(ds, best, "MCacheInuse");
	/* Reserved, only partly resident: shown, not subtracted. */
	rc->runtime = stat_or(ds, best, "BuckHashSys") +
		      stat_or(ds, best, "GCSys") +
		      stat_or(ds, best, "OtherSys");
	rc->unexplained = (isnan(rc->anon) ? rc->rss : rc->anon) -
			  rc->heap_inuse - rc->heap_idle - rc->stacks -
			  rc->spans;
	return 1;
}

/*
 * How far apart a memory snapshot and its MemStats may be: half the usual
 * interval between memory snapshots (so that each pairs with its own
 * round of the collector), at most 5 s.
 */
static int64_t tolerance(const struct ds_target *t)
{
	double *d;
	size_t i;
	int64_t tol = 5000000000LL;

	if (t->nmem < 2)
		return tol;
	d = xcalloc(t->nmem, sizeof(*d));
	for (i = 1; i < t->nmem; i++)
		d[i - 1] = (double)(t->mem[i].t - t->mem[i - 1].t);
	tol = (int64_t)(stats_median(d, t->nmem - 1) / 2);
	free(d);
	return tol > 5000000000LL ? 5000000000LL : tol;
}

/* The whole-target series of one segment, and the snapshots in it. */
struct segment {
	struct points heap, objs, gor, rss, anon, unex, fds, threads;
	size_t *hidx, *gidx;	/* the segment's heap, goroutine snapshots */
	size_t nh, ng;
	double period;		/* the heap profiles' sampling period, bytes */
};

/* Gathers segment seg of target ti into *sg; segment_release() it. */
static void segment_gather(struct report *r, size_t ti, size_t seg,
			   struct segment *sg)
{
	const struct ds_target *t = &r->ds->targets[ti];
	int64_t tol = tolerance(t);
	size_t i;

	memset(sg, 0, sizeof(*sg));
	sg->hidx = xcalloc(t->nheap + 1, sizeof(*sg->hidx));
	sg->gidx = xcalloc(t->ngor + 1, sizeof(*sg->gidx));
	for (i = 0; i < t->nheap; i++) {
		if (segment_of(t, t->heap[i].t) != seg)
			continue;
		sg->hidx[sg->nh++] = i;
		if ((double)t->heap[i].period > sg->period)
			sg->period = (double)t->heap[i].period;
		points_add(&sg->heap, secs(t->heap[i].t),
			   (double)t->heap[i].inuse_space);
		points_add(&sg->objs, secs(t->heap[i].t),
			   (double)t->heap[i].inuse_objects);
	}
	for (i = 0; i < t->nfds; i++)
		if (segment_of(t, t->fds[i].t) == seg)
			points_add(&sg->fds, secs(t->fds[i].t), t->fds[i].v);
	for (i = 0; i < t->nthreads; i++)
		if (segment_of(t, t->threads[i].t) == seg)
			points_add(&sg->threads, secs(t->threads[i].t),
				   t->threads[i].v);
	for (i = 0; i < t->ngor; i++) {
		if (segment_of(t, t->gor[i].t) != seg)
			continue;
		sg->gidx[sg->ng++] = i;
		points_add(&sg->gor, secs(t->gor[i].t),
			   (double)t->gor[i].total);
	}
	for (i = 0; i < t->nmem; i++) {
		struct recon rc;

		if (segment_of(t, t->mem[i].t) != seg)
			continue;
		if (t->mem[i].rss_kb >= 0)
			points_add(&sg->rss, secs(t->mem[i].t),
				   (double)t->mem[i].rss_kb * 1024);
		if (t->mem[i].anon_kb >= 0)
			points_add(&sg->anon, secs(t->mem[i].t),
				   (double)t->mem[i].anon_kb * 1024);
		/* The target's reconciliation: its last one that matched. */
		if (reconcile(r->ds, t, &t->mem[i], tol, &rc)) {
			points_add(&sg->unex, rc.t, rc.unexplained);
			r->t[ti].recon = rc;
		}
	}
}

static void segment_release(struct segment *sg)
{
	points_free(&sg->heap);
	points_free(&sg->objs);
	points_free(&sg->gor);
	points_free(&sg->rss);
	points_free(&sg->anon);
	points_free(&sg->unex);
	points_free(&sg->fds);
	points_free(&sg->threads);
	free(sg->hidx);
	free(sg->gidx);
}

/*
 * MemStats fields that are levels, not counters: shown in the CSV, never
 * part of the verdict (primary()).
 */
static void analyse_memstats(struct report *r, size_t ti, size_t seg)
{
	const struct dataset *ds = r->ds;
	const struct ds_target *t = &ds->targets[ti];
	size_t i, k;

	for (k = 0; k < ds_nstats(ds); k++) {
		struct points p = { 0 };
		const char *name = ds_stat_name(ds, (uint32_t)k);

		if (cumulative_stat(name))
			continue;
		for (i = 0; i < t->nstats; i++) {
			double v = ds_stat(&t->stats[i], (long)k);

			if (segment_of(t, t->stats[i].t) == seg && !isnan(v))
				points_add(&p, secs(t->stats[i].t), v);
		}
		if (p.n)
			analyse(r, ti, seg, S_MEMSTATS, name, p.t, p.y, p.n,
				0, 0);
		points_free(&p);
	}
}

/*
 * The series whose verdicts make the target's: the heap, goroutines,
 * process memory and open descriptors (a connection never closed leaks
 * as surely as memory). Functions and groups name the culprit, MemStats
 * levels and unexplained bytes explain; they decide nothing alone.
 */
static int primary(enum series_kind k)
{
	return k == S_HEAP || k == S_GOROUTINES || k == S_RSS ||
	       k == S_ANON || k == S_FDS || k == S_THREADS;
}

/*
 * The row of a whole-target series (the heap, goroutines, RSS...) in a
 * segment; NULL when the segment had no snapshot of its kind. The report
 * is const for the writers; the row is not, for corroborate().
 */
static struct row *find_row(const struct report *r, size_t ti, size_t seg,
			    enum series_kind kind)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].target == ti && r->rows[i].segment == seg &&
		    r->rows[i].kind == kind)
			return &r->rows[i];
	return NULL;
}

/*
 * A heap leak has an allocation site: a leaking function carrying at
 * least REPORT_CULPRIT_SHARE of the heap's growth. Without one, the heap's
 * rise is spread thin (many sites, or churn), which a leak rarely is.
 */
static int has_culprit(const struct report *r, size_t ti, size_t seg)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		if (w->target == ti && w->segment == seg &&
		    w->kind == S_FUNCTION && w->v == VERDICT_LEAK &&
		    !isnan(w->share) && w->share >= REPORT_CULPRIT_SHARE)
			return 1;
	}
	return 0;
}

/*
 * The steepest function of a segment that leaks on its own evidence (its
 * own trend, above the sampling floor, stable without either end) and
 * whose growth is a real part of the heap (REPORT_BIG_FUNCTION of its
 * median level: a young process's buffers and pools grow steadily too,
 * by a little), or NULL: a leak may hide under a total that churns.
 */
static const struct row *leaking_function(const struct report *r, size_t ti,
					  size_t seg)
{
	const struct row *heap = find_row(r, ti, seg, S_HEAP);
	const struct row *best = NULL;
	size_t i;

	if (!heap)
		return NULL;
	for (i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		if (w->target == ti && w->segment == seg &&
		    w->kind == S_FUNCTION && w->v == VERDICT_LEAK &&
		    w->tr.growth >= REPORT_BIG_FUNCTION * heap->level &&
		    (!best || w->tr.slope > best->tr.slope))
			best = w;
	}
	return best;
}

/* Changes w's verdict by a rule beyond its own trend, saying why. */
static void amend(struct row *w, enum verdict v, const char *rule,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void amend(struct row *w, enum verdict v, const char *rule,
		  const char *fmt, ...)
{
	size_t n = strlen(w->why);
	va_list ap;

	w->v = v;
	w->rule = rule;
	if (n + 3 >= sizeof(w->why))
		return;
	memcpy(w->why + n, "; ", 3);
	va_start(ap, fmt);
	vsnprintf(w->why + n + 2, sizeof(w->why) - n - 2, fmt, ap);
	va_end(ap);
}

/*
 * What lets process memory's own trend be a leak: the Go heap leaks
 * (its own trend, with a culprit, or a function that leaks on its own),
 * or memory outside the Go heap grows with it (outside_grows()). Else
 * its growth is at most a suspect: a young process's runtime grows too.
 */
static const char *memory_unexplained(const struct report *r, size_t ti,
				      size_t seg, const struct row *unex,
				      const struct trend *anon)
{
	const struct row *heap = find_row(r, ti, seg, S_HEAP);
	int metrics = r->ds->targets[ti].from_metrics;

	if (heap && heap->v == VERDICT_LEAK &&
	    (metrics || has_culprit(r, ti, seg)))
		return NULL;
	if (leaking_function(r, ti, seg))
		return NULL;
	if (unex && unex->v >= VERDICT_SUSPECT && anon->growth > 0 &&
	    unex->tr.growth >= 0.5 * anon->growth)
		return NULL;
	return unex ? "the Go heap and the memory outside it do not grow "
		      "with it" : metrics ?
		      "the Go heap does not grow with it" :
		      "the Go heap does not grow with it (heap?debug=1 dumps "
		      "would tell what does)";
}

/*
 * A segment's series, in the order their judgements need: the heap and
 * its functions, goroutines and their groups, what the runtime does not
 * account for, then process memory, which they explain.
 */
/* Projects row kind of segment seg to limit, when it gets there. */
static void project_row(struct report *r, size_t ti, size_t seg,
			enum series_kind kind, const struct points *pts,
			double limit, const char *name)
{
	struct row *w = find_row(r, ti, seg, kind);

	if (w && limit > 0 &&
	    !project_to_limit(pts->t, pts->y, pts->n, limit, &w->proj)) {
		w->limit = limit;
		w->limit_name = name;
	}
}

/*
 * The current process's limits (its last segment's last .limits file):
 * RSS and anonymous RSS against its cgroup's memory limit, the heap
 * against $GOMEMLIMIT (the Go runtime's soft limit). Every row gets its
 * projection; the writers show those of growing ones.
 */
static void project_limits(struct report *r, size_t ti, size_t seg,
			   const struct segment *sg)
{
	const struct ds_target *t = &r->ds->targets[ti];
	const struct ds_limit *cg = NULL, *go = NULL;
	size_t i;

	if (seg != t->nrestarts)
		return;
	for (i = 0; i < t->nlimits; i++) {
		if (segment_of(t, t->limits[i].t) != seg)
			continue;
		cg = t->limits[i].limit >= 0 ? &t->limits[i] : NULL;
		go = t->limits[i].gomemlimit >= 0 ? &t->limits[i] : NULL;
	}
	if (cg) {
		project_row(r, ti, seg, S_RSS, &sg->rss, (double)cg->limit,
			    cg->limit_file);
		project_row(r, ti, seg, S_ANON, &sg->anon, (double)cg->limit,
			    cg->limit_file);
	}
	if (go)
		project_row(r, ti, seg, S_HEAP, &sg->heap,
			    (double)go->gomemlimit, "GOMEMLIMIT");
}

static void analyse_segment(struct report *r, size_t ti, size_t seg)
{
	struct segment sg;
	double heap_growth = 0;
	const struct row *unex = NULL;
	struct trend anon;
	const char *why;

	segment_gather(r, ti, seg, &sg);
	/* Rows move as more are added: keep the value, not the pointer. */
	if (sg.nh)
		heap_growth = analyse(r, ti, seg, S_HEAP, NULL, sg.heap.t,
				      sg.heap.y, sg.nh,
				      REPORT_MIN_SAMPLES * sg.period,
				      sg.period)->tr.growth;
	/* Metrics give the heap's bytes, not its objects. */
	if (sg.nh && !r->ds->targets[ti].from_metrics)
		analyse(r, ti, seg, S_HEAP_OBJECTS, NULL, sg.objs.t, sg.objs.y,
			sg.nh, 0, 0);
	/* Two snapshots at least: a key's growth is last less first. */
	if (sg.nh >= 2)
		analyse_functions(r, ti, seg, sg.hidx, sg.nh, heap_growth,
				  sg.period);
	if (sg.ng)
		analyse(r, ti, seg, S_GOROUTINES, NULL, sg.gor.t, sg.gor.y,
			sg.ng, 0, 0);
	if (sg.ng >= 2)
		analyse_groups(r, ti, seg, sg.gidx, sg.ng);
	if (sg.unex.n)
		analyse(r, ti, seg, S_UNEXPLAINED, NULL, sg.unex.t, sg.unex.y,
			sg.unex.n, 0, 0);
	unex = find_row(r, ti, seg, S_UNEXPLAINED);
	/* anonymous memory's trend, else RSS's: what unex is part of */
	if (sg.anon.n)
		stats_trend(sg.anon.t, sg.anon.y, sg.anon.n, &anon);
	else
		stats_trend(sg.rss.t, sg.rss.y, sg.rss.n, &anon);
	why = memory_unexplained(r, ti, seg, unex, &anon);
	if (sg.rss.n)
		analyse_capped(r, ti, seg, S_RSS, NULL, sg.rss.t, sg.rss.y,
			       sg.rss.n, 0, 0, why ? VERDICT_SUSPECT :
			       VERDICT_LEAK, why);
	if (sg.anon.n)
		analyse_capped(r, ti, seg, S_ANON, NULL, sg.anon.t, sg.anon.y,
			       sg.anon.n, 0, 0, why ? VERDICT_SUSPECT :
			       VERDICT_LEAK, why);
	if (sg.fds.n)
		analyse(r, ti, seg, S_FDS, NULL, sg.fds.t, sg.fds.y, sg.fds.n,
			0, 0);
	if (sg.threads.n)
		analyse(r, ti, seg, S_THREADS, NULL, sg.threads.t,
			sg.threads.y, sg.threads.n, 0, 0);
	analyse_memstats(r, ti, seg);
	project_limits(r, ti, seg, &sg);
	segment_release(&sg);
}

/*
 * Memory outside the Go heap grows: what the runtime does not account for
 * (unex) trends up at least as a suspect, and carries half or more of
 * anonymous memory's growth. The rest grows a little with any heap (GC
 * metadata), so a part of the growth is not enough.
 */
static int outside_grows(const struct row *unex, const struct row *anon)
{
	return unex && anon && unex->v >= VERDICT_SUSPECT &&
	       anon->tr.growth > 0 && unex->tr.growth >= 0.5 * anon->tr.growth;
}

/*
 * The evidence the heap needs beyond its own trend: growth that no
 * function carries is only a suspect; a function that leaks on its own
 * makes it a leak. (Process memory's is in memory_unexplained().)
 */
static void corroborate(struct report *r, size_t ti, size_t seg)
{
	struct row *heap = find_row(r, ti, seg, S_HEAP);
	int metrics = r->ds->targets[ti].from_metrics;
	const struct row *lf;
	char a[32], b[32];

	/*
	 * Metrics carry no profile, so no function can carry the growth:
	 * the heap's own trend decides, and profiles of the target name the
	 * site afterwards.
	 */
	if (heap && heap->v == VERDICT_LEAK && metrics)
		amend(heap, VERDICT_LEAK, heap->rule, "profiles would name "
		      "the allocation site");
	if (heap && heap->v == VERDICT_LEAK && !metrics &&
	    !has_culprit(r, ti, seg))
		amend(heap, VERDICT_SUSPECT, "no-culprit", "but no one "
		      "function leaks with %.0f%% of its growth or more",
		      100 * REPORT_CULPRIT_SHARE);
	/*
	 * The other way round: a function that leaks steadily on its own
	 * evidence is a leak whatever the total does: the rest may churn
	 * enough to hide it.
	 */
	lf = heap && heap->v < VERDICT_LEAK ? leaking_function(r, ti, seg) :
		NULL;
	if (lf) {
		char *name = text_dup_safe(lf->key, TEXT_TERMINAL);

		amend(heap, VERDICT_LEAK, "function", "but %s leaks under "
		      "the churn of the rest: %s/h, %s", name,
		      human(lf->tr.slope * 3600, 1, a, sizeof(a)),
		      pval(lf->tr.mk_p, b, sizeof(b)));
		free(name);
	}

}

/*
 * A target seen for less than min_age (first..last: the times its rows
 * span) is not judged: in its first
 * minutes a service's caches and pools fill, and a warm-up and a leak
 * draw the same line however many points there are. Its rows keep their
 * figures, with no verdict.
 */
static void too_young(struct report *r, size_t ti, double first, double last)
{
	size_t i;

	if (r->o.min_age <= 0 || last - first >= r->o.min_age)
		return;
	r->t[ti].v = VERDICT_NODATA;
	r->t[ti].young = 1;
	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].target == ti) {
			r->rows[i].v = VERDICT_NODATA;
			r->rows[i].rule = "young";
			snprintf(r->rows[i].why, sizeof(r->rows[i].why),
				 "too young to judge");
		}
}

/*
 * The first and the last heap profile of segment seg that came from files
 * (protos, else heap?debug=1 dumps): what the hand-off to pprof compares
 * and the call paths are read from. Returns 0 when there are not two.
 */
static int segment_files(const struct ds_target *t, size_t seg,
			 const struct ds_heap **first,
			 const struct ds_heap **last)
{
	const struct ds_heap *h = t->nheap ? t->heap : t->textheap;
	size_t n = t->nheap ? t->nheap : t->ntextheap, i;

	*first = *last = NULL;
	for (i = 0; i < n; i++) {
		if (segment_of(t, h[i].t) != seg || !h[i].path)
			continue;
		if (!*first)
			*first = &h[i];
		*last = &h[i];
	}
	return *first && *first != *last;
}

/* Target ti's rows of segment seg and kind that are suspect or worse. */
static size_t growing(const struct report *r, size_t ti, size_t seg,
		      enum series_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += r->rows[i].target == ti && r->rows[i].segment == seg &&
		     r->rows[i].kind == kind &&
		     r->rows[i].v >= VERDICT_SUSPECT;
	return n;
}

/*
 * The first and the last debug=2 goroutine dump of segment seg from
 * files: where the creators are read. Returns 0 when there are not two.
 */
static int segment_dumps(const struct ds_target *t, size_t seg,
			 const struct ds_gor **first,
			 const struct ds_gor **last)
{
	size_t i;

	*first = *last = NULL;
	for (i = 0; i < t->ngor; i++) {
		if (segment_of(t, t->gor[i].t) != seg || !t->gor[i].path ||
		    t->gor[i].fmt != PROF_GOROUTINE_TEXT2)
			continue;
		if (!*first)
			*first = &t->gor[i];
		*last = &t->gor[i];
	}
	return *first && *first != *last;
}

/*
 * The call paths of each growing function (suspect or worse) of target
 * ti's segment seg, its two end heap profiles read again and diffed by
 * stack; the creators of each growing goroutine group, from its two end
 * debug=2 dumps.
 */
static void find_paths(struct report *r, size_t ti, size_t seg)
{
	const struct ds_target *t = &r->ds->targets[ti];
	int keep = !!(r->ds->flags & DS_KEEP_PROFILER);
	const struct ds_heap *first, *last;
	const struct ds_gor *g0, *g1;
	struct stackdiff sd;
	struct gorsites gs;
	size_t i;

	if (t->from_metrics)
		return;
	if (growing(r, ti, seg, S_FUNCTION) &&
	    segment_files(t, seg, &first, &last) &&
	    stackdiff_load(&sd, first->path, last->path, keep) == 0) {
		for (i = 0; i < r->nrows; i++) {
			struct row *w = &r->rows[i];

			if (w->target != ti || w->segment != seg ||
			    w->kind != S_FUNCTION || w->v < VERDICT_SUSPECT)
				continue;
			callpaths_of(sd.g, &sd.d, sd.type, w->key,
				     REPORT_PATHS, REPORT_PATH_SHARE,
				     &w->paths);
			w->p0 = secs(first->t);
			w->p1 = secs(last->t);
		}
		stackdiff_release(&sd);
	}
	if (growing(r, ti, seg, S_GROUP) && segment_dumps(t, seg, &g0, &g1) &&
	    gorsites_load(&gs, g0->path, g1->path, keep) == 0) {
		for (i = 0; i < r->nrows; i++) {
			struct row *w = &r->rows[i];

			if (w->target != ti || w->segment != seg ||
			    w->kind != S_GROUP || w->v < VERDICT_SUSPECT)
				continue;
			gorsites_of(&gs, strmap_str(r->ds->groups, w->id),
				    REPORT_PATHS, REPORT_PATH_SHARE,
				    &w->paths);
			w->p0 = secs(g0->t);
			w->p1 = secs(g1->t);
		}
		gorsites_release(&gs);
	}
}

struct report *report_new(const struct dataset *ds,
			  const struct report_opts *o)
{
	struct report *r = xcalloc(1, sizeof(*r));
	size_t ti, s, i;
	double first, last;

	r->ds = ds;
	r->o = *o;
	r->t = xcalloc(ds->ntargets + 1, sizeof(*r->t));
	for (ti = 0; ti < ds->ntargets; ti++) {
		const struct ds_target *t = &ds->targets[ti];
		struct tresult *tr = &r->t[ti];

		tr->nsegments = t->nrestarts + 1;
		for (s = 0; s < tr->nsegments; s++) {
			analyse_segment(r, ti, s);
			corroborate(r, ti, s);
			find_paths(r, ti, s);
		}
		/*
		 * The target's verdict is its worst primary series in any
		 * segment: a leak before a restart still counts.
		 */
		tr->v = VERDICT_NODATA;
		first = INFINITY;
		last = -INFINITY;
		for (i = 0; i < r->nrows; i++) {
			const struct row *w = &r->rows[i];

			if (w->target != ti)
				continue;
			if (primary(w->kind) && w->v > tr->v)
				tr->v = w->v;
			if (w->tr.n) {
				first = fmin(first, w->t0);
				last = fmax(last, w->t1);
			}
		}
		too_young(r, ti, first, last);
	}
	return r;
}

void report_free(struct report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].key);
		callpaths_release(&r->rows[i].paths);
	}
	free(r->rows);
	free(r->t);
	free(r);
}

size_t report_unjudged(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->ds->ntargets; i++)
		n += r->t[i].v == VERDICT_NODATA && !r->t[i].young;
	return n;
}

enum verdict report_verdict(const struct report *r)
{
	enum verdict v = VERDICT_NODATA;
	size_t i;

	for (i = 0; i < r->ds->ntargets; i++)
		if (r->t[i].v > v)
			v = r->t[i].v;
	return v;
}

/* Human units: bytes in KiB/MiB/GiB, counts as they are. */
static const char *human(double v, int bytes, char *buf, size_t n)
{
	if (bytes)
		return human_size(buf, n, v, &human_iec);
	snprintf(buf, n, "%.0f", v);
	return buf;
}

static int is_bytes(enum series_kind k)
{
	return k != S_HEAP_OBJECTS && k != S_GOROUTINES && k != S_GROUP &&
	       k != S_FDS && k != S_THREADS;
}

static const char *pval(double p, char *buf, size_t n)
{
	if (p < 0.0001)
		snprintf(buf, n, "p < 0.0001");
	else
		snprintf(buf, n, "p = %.4f", p);
	return buf;
}

static const char *clock_of(double t, char buf[CLOCK_TEXT_MAX])
{
	clock_format(buf, (int64_t)t, 0, CLOCK_RFC3339);
	return buf;
}

static void describe(FILE *out, const char *label, const struct row *w)
{
	char a[32], b[32], c[32], d[32], e[32];
	int by = is_bytes(w->kind);
	double span = w->t1 - w->t0;

	if (w->v == VERDICT_NODATA) {
		fprintf(out, "   %s: %zu snapshots, not enough for a trend\n",
			label, w->tr.n);
		return;
	}
	fprintf(out, "   %s: %s -> %s (%s%s in %.0f s), %s/h, %s, %.0f%% "
		"of steps up: %s (%s)\n", label,
		human(w->tr.first, by, a, sizeof(a)),
		human(w->tr.last, by, b, sizeof(b)),
		w->tr.growth >= 0 ? "+" : "",
		human(w->tr.growth, by, c, sizeof(c)), span,
		human(w->tr.slope * 3600, by, d, sizeof(d)),
		pval(w->tr.mk_p, e, sizeof(e)), w->tr.rising * 100,
		verdict_name(w->v), w->why);
}

/* A time ahead: "45 s", "12 m", "3 h 10 m", "2 d 4 h"; "never". */
static const char *ahead(double s, char *buf, size_t n)
{
	long long m;

	if (!isfinite(s) || s > 3650.0 * 86400)
		snprintf(buf, n, "never");
	else if (s < 60)
		snprintf(buf, n, "%.0f s", s);
	else if ((m = (long long)(s / 60 + 0.5)) < 60)
		snprintf(buf, n, "%lld m", m);
	else if (m < 48 * 60)
		snprintf(buf, n, "%lld h %lld m", m / 60, m % 60);
	else
		snprintf(buf, n, "%lld d %lld h", m / 1440, m % 1440 / 60);
	return buf;
}

/*
 * "RSS reaches the 256.0 MiB limit (memory.max) in about 3 h 10 m at this
 * rate (95% interval 2 h 40 m to 3 h 50 m)", for a growing series with
 * a limit ahead.
 */
static void write_projection(FILE *out, const char *label, const struct row *w)
{
	char a[32], b[32], c[32], d[32];
	int soft;

	if (!w->limit_name || w->v < VERDICT_SUSPECT)
		return;
	soft = !strcmp(w->limit_name, "GOMEMLIMIT");
	fprintf(out, "     %s reaches the %s %slimit (%s) in about %s at this "
		"rate (Theil-Sen, 95%% interval %s to %s)\n", label,
		human(w->limit, 1, a, sizeof(a)), soft ? "soft " : "",
		w->limit_name, ahead(w->proj.seconds, b, sizeof(b)),
		ahead(w->proj.soonest, c, sizeof(c)),
		ahead(w->proj.latest, d, sizeof(d)));
}

static int cmp_slope(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;

	if (x->tr.slope != y->tr.slope)
		return x->tr.slope > y->tr.slope ? -1 : 1;
	return strcmp(x->key, y->key);
}

/*
 * Names from the profiled program (functions, states, targets) shown on a
 * terminal: text_safe()'s TEXT_TERMINAL, so that an ESC in a name cannot
 * clear the screen or retitle the window. *keep holds the copy until the
 * next call with it, or until the caller frees it.
 */
static const char *shown(char **keep, const char *s)
{
	free(*keep);
	*keep = text_dup_safe(s, TEXT_TERMINAL);
	return *keep;
}

/* A growing function's line; *k1 as shown() keeps it. */
static void write_function(FILE *out, size_t rank, const struct row *w,
			   char **k1)
{
	char a[32], b[32], c[32], d[32];
	size_t i;

	fprintf(out, "     %zu. %s  %s -> %s, %s/h", rank, shown(k1, w->key),
		human(w->tr.first, 1, a, sizeof(a)),
		human(w->tr.last, 1, b, sizeof(b)),
		human(w->tr.slope * 3600, 1, c, sizeof(c)));
	if (!isnan(w->share))
		fprintf(out, ", %.0f%% of the heap's growth", w->share * 100);
	fprintf(out, " (%s, %s)\n", verdict_name(w->v),
		pval(w->tr.mk_p, d, sizeof(d)));
	for (i = 0; i < w->paths.n; i++)
		fprintf(out, "        %3.0f%%  %s\n", w->paths.v[i].share * 100,
			shown(k1, w->paths.v[i].frames));
}

/*
 * A growing goroutine group's line, g what the dataset knows of it. A
 * group that grows while its goroutines wait a minute or more is "growing
 * and ageing": goroutines started and never finished, the classic leak.
 */
static void write_group(FILE *out, size_t rank, const struct row *w,
			const struct ds_group *g, char **k1, char **k2)
{
	size_t i;

	fprintf(out, "     %zu. %s: %.0f -> %.0f goroutines, %.0f/h", rank,
		shown(k1, w->key), w->tr.first, w->tr.last,
		w->tr.slope * 3600);
	if (g->state[0])
		fprintf(out, ", %s", shown(k2, g->state));
	if (w->max_wait >= 0)
		fprintf(out, ", waiting %lld min", (long long)w->max_wait);
	/* Its creators, when read, follow: each with where. */
	if (g->created_by[0] && !w->paths.n)
		fprintf(out, ", created by %s", shown(k2, g->created_by));
	fprintf(out, " (%s%s)\n", verdict_name(w->v),
		w->max_wait >= 1 ? ", growing and ageing" : "");
	for (i = 0; i < w->paths.n; i++)
		fprintf(out, "        %3.0f%%  created by %s\n",
			w->paths.v[i].share * 100,
			shown(k1, w->paths.v[i].frames));
}

/*
 * The functions' header, saying what the ranking leaves out: the
 * profiler's own allocations at the segment's last heap snapshot.
 */
static void write_functions_header(const struct report *r, FILE *out,
				   size_t ti, size_t seg)
{
	const struct ds_target *t = &r->ds->targets[ti];
	const struct ds_heap *last = NULL;
	char a[32];
	size_t i;

	for (i = 0; i < t->nheap; i++)
		if (segment_of(t, t->heap[i].t) == seg)
			last = &t->heap[i];
	fprintf(out, "   growing functions (in-use bytes, flat; under each, "
		"the call paths of its growth, first profile to last");
	if (last && last->profiler > 0)
		fprintf(out, "; the profiler's own, %s at the last snapshot, "
			"left out: --keep-profiler ranks them",
			human((double)last->profiler, 1, a, sizeof(a)));
	fprintf(out, "):\n");
}

/*
 * The functions or groups of a segment of verdict suspect or worse,
 * steepest first, at most top of them, into list (room for r->nrows);
 * returns how many. The text and report_marks() name the same ones.
 */
static size_t suspect_rows(const struct report *r, size_t ti, size_t seg,
			   enum series_kind kind, const struct row **list)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		if (w->target == ti && w->segment == seg && w->kind == kind &&
		    w->v >= VERDICT_SUSPECT)
			list[n++] = w;
	}
	if (n)
		qsort(list, n, sizeof(*list), cmp_slope);
	return n > r->o.top ? r->o.top : n;
}

/*
 * The suspects of a segment whose whole grows: its functions or groups
 * of verdict suspect or worse, steepest first, at most top of them.
 */
static void suspects(const struct report *r, FILE *out, size_t ti,
		     size_t seg, enum series_kind kind)
{
	const struct row **list = xcalloc(r->nrows + 1, sizeof(*list));
	size_t i, n = suspect_rows(r, ti, seg, kind, list);
	char *k1 = NULL, *k2 = NULL;

	if (n && kind == S_FUNCTION)
		write_functions_header(r, out, ti, seg);
	if (n && kind == S_GROUP)
		fprintf(out, "   growing goroutine groups:\n");
	for (i = 0; i < n; i++) {
		const struct row *w = list[i];

		if (kind == S_FUNCTION)
			write_function(out, i + 1, w, &k1);
		else
			write_group(out, i + 1, w, &r->ds->group_info[w->id],
				    &k1, &k2);
	}
	free(k1);
	free(k2);
	free(list);
}

static void write_recon(FILE *out, const struct recon *rc,
			const struct row *unex, const struct row *anon)
{
	char a[CLOCK_TEXT_MAX], b[32], c[32], d[32], e[32], f[32], g[32];
	char h[32], i[32];

	if (!rc->valid)
		return;
	fprintf(out, "   memory at %s: RSS %s", clock_of(rc->t, a),
		human(rc->rss, 1, b, sizeof(b)));
	if (!isnan(rc->anon))
		fprintf(out, " = anonymous %s + file-backed %s",
			human(rc->anon, 1, c, sizeof(c)),
			human(rc->file, 1, d, sizeof(d)));
	fprintf(out, "; %s = heap in use %s + heap idle, not released %s + "
		"stacks %s + spans %s + the rest %s (GC and runtime "
		"metadata, reserved %s, and memory outside the Go heap)",
		isnan(rc->anon) ? "RSS" : "anonymous",
		human(rc->heap_inuse, 1, e, sizeof(e)),
		human(rc->heap_idle, 1, f, sizeof(f)),
		human(rc->stacks, 1, g, sizeof(g)),
		human(rc->spans, 1, i, sizeof(i)),
		human(rc->unexplained, 1, a, sizeof(a)),
		human(rc->runtime, 1, h, sizeof(h)));
	/* Named by the rule that lets RSS growth be a leak. */
	if (outside_grows(unex, anon))
		fprintf(out, "\n   the rest grows %s/h, %.0f%% of the growth "
			"of anonymous memory: memory outside the Go heap "
			"(cgo, mmap, a C library)",
			human(unex->tr.slope * 3600, 1, b, sizeof(b)),
			100 * unex->tr.growth / anon->tr.growth);
	fprintf(out, "\n");
}

/*
 * Which types of descriptor a growing fds series grew by, largest first,
 * from the segment's first and last counts by type (a collector's .fds
 * lists have them; metrics do not): "by type: socket +120 (5 -> 125)
 * over 2h".
 */
static void fd_types(const struct report *r, FILE *out, size_t ti,
		     size_t seg)
{
	const struct ds_target *t = &r->ds->targets[ti];
	const struct ds_point *first = NULL, *last = NULL;
	int64_t grew[FDS_NTYPES];
	char d[DURATION_TEXT_MAX];
	int order[FDS_NTYPES], n = 0, i, j, k;

	for (i = 0; (size_t)i < t->nfds; i++)
		if (segment_of(t, t->fds[i].t) == seg &&
		    t->fds[i].types[0] >= 0) {
			if (!first)
				first = &t->fds[i];
			last = &t->fds[i];
		}
	if (!first || first == last)
		return;
	for (k = 0; k < FDS_NTYPES; k++) {
		grew[k] = last->types[k] - first->types[k];
		if (grew[k] <= 0)
			continue;
		/* Insertion by growth: five types at most. */
		for (j = n++; j > 0 && grew[order[j - 1]] < grew[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	if (!n)
		return;
	fprintf(out, "     by type:");
	for (i = 0; i < n; i++)
		fprintf(out, "%s %s +%" PRId64 " (%" PRId64 " -> %" PRId64 ")",
			i ? "," : "", fds_type_name((enum fds_type)order[i]),
			grew[order[i]], first->types[order[i]],
			last->types[order[i]]);
	fprintf(out, " over %s\n", duration_format(last->t - first->t, d));
}

/* A segment's whole-target series, and the suspects under them. */
static void write_segment(const struct report *r, FILE *out, size_t ti,
			  size_t seg)
{
	const struct row *w;

	/*
	 * Suspects only where the whole grows too: a function that grows
	 * while the heap does not is churn among its neighbours.
	 */
	w = find_row(r, ti, seg, S_HEAP);
	if (w)
		describe(out, "heap in use", w);
	if (w)
		write_projection(out, "heap in use", w);
	if (w && w->v >= VERDICT_SUSPECT)
		suspects(r, out, ti, seg, S_FUNCTION);
	w = find_row(r, ti, seg, S_GOROUTINES);
	if (w)
		describe(out, "goroutines", w);
	if (w && w->v >= VERDICT_SUSPECT)
		suspects(r, out, ti, seg, S_GROUP);
	w = find_row(r, ti, seg, S_RSS);
	if (w) {
		describe(out, "RSS", w);
		write_projection(out, "RSS", w);
	}
	w = find_row(r, ti, seg, S_ANON);
	if (w) {
		describe(out, "anonymous RSS", w);
		write_projection(out, "anonymous RSS", w);
	}
	w = find_row(r, ti, seg, S_FDS);
	if (w)
		describe(out, "open fds", w);
	if (w && w->v >= VERDICT_SUSPECT)
		fd_types(r, out, ti, seg);
	w = find_row(r, ti, seg, S_THREADS);
	if (w)
		describe(out, "threads", w);
}

/*
 * The target's failed fetches, from the manifest: how many, and their
 * commonest reasons, so that a directory of failures says what went
 * wrong ("connection refused on 127.0.0.1:6060").
 */
static void write_fetches(FILE *out, const struct ds_target *t, char **keep)
{
	size_t i, nshown = t->nfails < 3 ? t->nfails : 3, rest = t->fail_other;

	if (!t->fetch_failed)
		return;
	fprintf(out, "   %zu fetch%s failed, %zu ok:", t->fetch_failed,
		t->fetch_failed == 1 ? "" : "es", t->fetch_ok);
	for (i = 0; i < nshown; i++)
		fprintf(out, "%s %zu x %s", i ? ";" : "", t->fails[i].n,
			shown(keep, t->fails[i].example));
	for (; i < t->nfails; i++)
		rest += t->fails[i].n;
	if (rest)
		fprintf(out, "; %zu for other reasons", rest);
	fprintf(out, "\n");
	/* Nothing kept at all: what usually causes the commonest failure. */
	if (!t->fetch_ok && t->nfails && fetch_hint(t->fails[0].example))
		fprintf(out, "   hint: %s\n", fetch_hint(t->fails[0].example));
}

/* path quoted for a POSIX shell when it needs it; *keep holds it. */
static const char *shell_word(char **keep, const char *path)
{
	struct buf b;
	const char *p;

	free(*keep);
	if (*path && !path[strspn(path, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				  "_-./+:@%,=")]) {
		*keep = xstrdup(path);
		return *keep;
	}
	buf_init(&b);
	buf_add(&b, "'", 1);
	for (p = path; *p; p++)
		if (*p == '\'')
			buf_addstr(&b, "'\\''");
		else
			buf_add(&b, p, 1);
	buf_add(&b, "'", 2);
	*keep = text_dup_safe((const char *)b.data, TEXT_TERMINAL);
	buf_release(&b);
	return *keep;
}

/*
 * The hand-off to pprof for a target whose heap leaks (or is a suspect):
 * the commands that compare the first and the last heap profile of the
 * segment it does so in, on the files the report read, paths as given.
 */
static void write_handoff(const struct report *r, FILE *out, size_t ti,
			  char **keep)
{
	const struct ds_target *t = &r->ds->targets[ti];
	const struct ds_heap *first, *last;
	const struct row *worst = NULL;
	char *k = NULL;
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		if (w->target == ti && w->kind == S_HEAP &&
		    w->v >= VERDICT_SUSPECT && (!worst || w->v > worst->v))
			worst = w;
	}
	if (!worst || t->from_metrics ||
	    !segment_files(t, worst->segment, &first, &last))
		return;
	fprintf(out, "   next: go tool pprof -sample_index=inuse_space "
		"-diff_base %s", shell_word(keep, first->path));
	fprintf(out, " %s\n", shell_word(&k, last->path));
	fprintf(out, "         leaky heaper --diff %s",
		shell_word(keep, first->path));
	fprintf(out, " %s\n", shell_word(&k, last->path));
	free(k);
}

int report_write_text(const struct report *r, FILE *out)
{
	const struct dataset *ds = r->ds;
	size_t ti, seg, nleak = 0, nok = 0, i;
	char a[64], d[DURATION_TEXT_MAX], *k1 = NULL, *k2 = NULL;

	fprintf(out, "leaky report: %zu target%s", ds->ntargets,
		ds->ntargets == 1 ? "" : "s");
	if (ds->source)
		fprintf(out, " from %s", shown(&k1, ds->source));
	else
		fprintf(out, ", %zu files", ds->nfiles);
	if (ds->nbad)
		fprintf(out, " (%zu unreadable)", ds->nbad);
	fprintf(out, "\n");
	for (ti = 0; ti < ds->ntargets; ti++) {
		const struct ds_target *t = &ds->targets[ti];
		const struct tresult *tr = &r->t[ti];

		if (tr->v == VERDICT_LEAK)
			nleak++;
		/* A fleet's healthy majority is a count, not pages of it. */
		if (tr->v == VERDICT_OK && r->o.hide_ok) {
			nok++;
			continue;
		}
		fprintf(out, "\n== %s: %s", shown(&k1, t->name),
			verdict_name(tr->v));
		if (tr->young)
			fprintf(out, " (seen for less than %s: too young "
				"to judge)", duration_format((int64_t)
				(r->o.min_age * 1e9), d));
		else if (tr->v == VERDICT_NODATA && t->from_metrics)
			fprintf(out, " (need at least %zu points per "
				"series; have %zu heap, %zu goroutine, %zu "
				"memory, %zu fd)", r->o.min_snapshots,
				t->nheap, t->ngor, t->nmem, t->nfds);
		else if (tr->v == VERDICT_NODATA && t->nfds)
			fprintf(out, " (need at least %zu snapshots per "
				"series; have %zu heap, %zu goroutine, %zu "
				"memory, %zu fds)", r->o.min_snapshots,
				t->nheap, t->ngor, t->nmem, t->nfds);
		else if (tr->v == VERDICT_NODATA)
			fprintf(out, " (need at least %zu snapshots per "
				"series; have %zu heap, %zu goroutine, %zu "
				"memory)", r->o.min_snapshots, t->nheap,
				t->ngor, t->nmem);
		fprintf(out, "\n");
		write_fetches(out, t, &k2);
		for (i = 0; i < t->nrestarts; i++)
			fprintf(out, "   restart near %s: %s\n",
				clock_of(secs(t->restarts[i].t), a),
				shown(&k2, t->restarts[i].why));
		for (seg = 0; seg < tr->nsegments; seg++) {
			if (tr->nsegments > 1)
				fprintf(out, "  segment %zu of %zu:\n",
					seg + 1, tr->nsegments);
			write_segment(r, out, ti, seg);
		}
		write_handoff(r, out, ti, &k2);
		write_recon(out, &tr->recon,
			    find_row(r, ti, tr->nsegments - 1, S_UNEXPLAINED),
			    find_row(r, ti, tr->nsegments - 1, S_ANON));
	}
	if (nok)
		fprintf(out, "\n%zu target%s ok (--all shows %s)\n", nok,
			nok == 1 ? "" : "s", nok == 1 ? "it" : "them");
	fprintf(out, "\nverdict: %s", verdict_name(report_verdict(r)));
	if (nleak)
		fprintf(out, " (%zu of %zu targets leak)", nleak,
			ds->ntargets);
	fprintf(out, "\n");
	free(k1);
	free(k2);
	return fflush(out) || ferror(out) ? -1 : 0;
}

enum verdict report_target_verdict(const struct report *r, size_t ti)
{
	if (ti >= r->ds->ntargets)
		BUG("target %zu of %zu", ti, r->ds->ntargets);
	return r->t[ti].v;
}

static void add_mark(struct report_mark **m, size_t *n, size_t *cap,
		     enum report_part part, const struct row *w)
{
	*m = xgrow(*m, cap, *n + 1, sizeof(**m));
	(*m)[*n] = (struct report_mark){ part, w->id, w->segment, w->v,
					 w->tr.slope, w->t0, w->t1 };
	(*n)++;
}

/* The order of write_segment(): wholes, then what they name. */
size_t report_marks(const struct report *r, size_t ti,
		    struct report_mark **out)
{
	static const enum series_kind whole[] = { S_HEAP, S_GOROUTINES,
						  S_RSS, S_ANON };
	static const enum report_part part[] = {
		REPORT_PART_HEAP, REPORT_PART_GOROUTINES, REPORT_PART_RSS,
		REPORT_PART_ANON,
	};
	const struct row **list = xcalloc(r->nrows + 1, sizeof(*list));
	struct report_mark *m = NULL;
	size_t seg, k, i, n = 0, cap = 0, ns;

	for (seg = 0; seg < r->t[ti].nsegments; seg++) {
		for (k = 0; k < 4; k++) {
			const struct row *w = find_row(r, ti, seg, whole[k]);

			if (w)
				add_mark(&m, &n, &cap, part[k], w);
		}
		for (k = 0; k < 2; k++) {
			const struct row *w = find_row(r, ti, seg,
						       k ? S_GOROUTINES :
							   S_HEAP);

			/* As write_segment(): only where the whole grows. */
			if (!w || w->v < VERDICT_SUSPECT)
				continue;
			ns = suspect_rows(r, ti, seg, k ? S_GROUP : S_FUNCTION,
					  list);
			for (i = 0; i < ns; i++)
				add_mark(&m, &n, &cap, k ? REPORT_PART_GROUP :
					 REPORT_PART_FUNCTION, list[i]);
		}
	}
	free(list);
	*out = m;
	return n;
}

static void csv_num(struct csvout *c, double v)
{
	char buf[64];

	if (isnan(v)) {
		csvout_empty(c);
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sizeof(buf), "%.0f", v);
	else
		snprintf(buf, sizeof(buf), "%.6g", v);
	csvout_str(c, buf);
}

/*
 * A growing function's call paths, a row each after its own: series
 * "path", the path as key, its change from the first to the last heap
 * profile as growth, the function and the share of its growth at the end.
 */
static void write_path_rows(const struct report *r, struct csvout *c,
			    const struct row *w)
{
	size_t i, k;

	for (i = 0; i < w->paths.n; i++) {
		const struct callpath *p = &w->paths.v[i];

		csvout_text(c, r->ds->targets[w->target].name);
		csvout_i64(c, (int64_t)w->segment + 1);
		csvout_str(c, w->kind == S_GROUP ? "creator" : "path");
		csvout_text(c, p->frames);
		csvout_i64(c, 2);
		csvout_time(c, (int64_t)(w->p0 * 1e9), CSV_TIME_RFC3339);
		csvout_time(c, (int64_t)(w->p1 * 1e9), CSV_TIME_RFC3339);
		for (k = 0; k < 4; k++)		/* first, last, min, max */
			csvout_empty(c);
		csv_num(c, (double)p->change);
		for (k = 0; k < 7; k++)		/* growth_from_min .. share */
			csvout_empty(c);
		csvout_str(c, verdict_name(w->v));
		csvout_str(c, "");
		for (k = 0; k < 5; k++)		/* early slope .. hours */
			csvout_empty(c);
		csvout_text(c, w->key);
		csv_num(c, p->share);
		csvout_end(c);
	}
}

int report_write_csv(const struct report *r, FILE *out)
{
	static const char *const cols[] = {
		"target", "segment", "series", "key", "snapshots", "start",
		"end", "first", "last", "min", "max", "growth",
		"growth_from_min", "slope_per_hour", "late_slope_per_hour",
		"mk_s", "mk_p", "rising_fraction", "share_of_heap_growth",
		"verdict", "note", "early_slope_per_hour", "late_mk_p",
		"rule", "rising_since", "hours_to_limit", "path_of",
		"path_share",
	};
	struct csvout c;
	size_t i;

	csvout_init(&c, out);
	csvout_set_raw(&c, r->o.csv_raw);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		csvout_str(&c, cols[i]);
	csvout_end(&c);
	for (i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		csvout_text(&c, r->ds->targets[w->target].name);
		csvout_i64(&c, (int64_t)w->segment + 1);
		csvout_str(&c, series_names[w->kind]);
		csvout_text(&c, w->key);
		csvout_i64(&c, (int64_t)w->tr.n);
		csvout_time(&c, (int64_t)(w->t0 * 1e9), CSV_TIME_RFC3339);
		csvout_time(&c, (int64_t)(w->t1 * 1e9), CSV_TIME_RFC3339);
		csv_num(&c, w->tr.first);
		csv_num(&c, w->tr.last);
		csv_num(&c, w->tr.min);
		csv_num(&c, w->tr.max);
		csv_num(&c, w->tr.growth);
		csv_num(&c, w->tr.growth_from_min);
		csv_num(&c, w->tr.slope * 3600);
		csv_num(&c, w->late.slope * 3600);
		csv_num(&c, w->tr.mk_s);
		csv_num(&c, w->tr.mk_p);
		csv_num(&c, w->tr.rising);
		csv_num(&c, w->share);
		csvout_str(&c, verdict_name(w->v));
		csvout_str(&c, w->why);
		csv_num(&c, w->early.slope * 3600);
		csv_num(&c, w->late.mk_p);
		csvout_str(&c, w->rule ? w->rule : "");
		if (isnan(w->since))
			csvout_empty(&c);
		else
			csvout_time(&c, (int64_t)(w->since * 1e9),
				    CSV_TIME_RFC3339);
		csv_num(&c, w->limit_name && w->v >= VERDICT_SUSPECT ?
			w->proj.seconds / 3600 : NAN);
		csvout_empty(&c);
		csvout_empty(&c);
		csvout_end(&c);
		write_path_rows(r, &c, w);
	}
	csvout_release(&c);
	return fflush(out) || ferror(out) ? -1 : 0;
}

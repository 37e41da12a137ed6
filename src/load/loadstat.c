/* SPDX-License-Identifier: Apache-2.0 */
/* leaky load's statistics and their text and CSV forms. */
#include "load/loadstat.h"

#include "base/leaky.h"
#include "load/loadgen.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BAR "\xe2\x96\xa0"	/* U+25A0, hey's bar */
#define BAR_WIDTH 40
#define HIST_RANGES 10

/* The percentiles of the summary, in parts per million. */
static const uint32_t summary_ppm[] = {
	100000, 250000, 500000, 750000, 900000, 950000, 990000, 999000,
};

struct loadstat *loadstat_new(void)
{
	struct loadstat *s = xcalloc(1, sizeof(*s));

	lathist_init(&s->lat);
	return s;
}

void loadstat_reset(struct loadstat *s)
{
	size_t i;

	for (i = 0; i < s->nerr; i++)
		free(s->err[i].msg);
	memset(s, 0, sizeof(*s));
	lathist_init(&s->lat);
}

void loadstat_free(struct loadstat *s)
{
	if (!s)
		return;
	loadstat_reset(s);
	free(s);
}

static void minmax_add(struct loadstat_minmax *m, uint64_t v, int first)
{
	m->sum += v;
	if (first || v < m->min)
		m->min = v;
	if (first || v > m->max)
		m->max = v;
}

static void count_error(struct loadstat *s, const char *msg)
{
	size_t i;

	s->errors++;
	for (i = 0; i < s->nerr; i++) {
		if (!strcmp(s->err[i].msg, msg)) {
			s->err[i].n++;
			return;
		}
	}
	if (s->nerr == LOADSTAT_ERRORS) {
		s->err_other++;
		return;
	}
	s->err[s->nerr].msg = xstrdup(msg);
	s->err[s->nerr++].n = 1;
}

void loadstat_add(struct loadstat *s, const struct load_result *r)
{
	int64_t ph[LOADSTAT_NPHASES];
	int first = !s->responses, i;

	if (r->error) {
		count_error(s, r->error);
		return;
	}
	s->responses++;
	s->bytes += r->bytes;
	lathist_record(&s->lat, (uint64_t)(r->end > r->intended ?
					   r->end - r->intended : 0));
	if (r->status >= 0 && r->status < LOADSTAT_CODES)
		s->status[r->status]++;
	else
		s->status_other++;
	if (r->status < 200 || r->status > 299)
		s->non2xx++;
	ph[LOADSTAT_CONN] = r->conn;
	ph[LOADSTAT_DNS] = r->dns;
	ph[LOADSTAT_WRITE] = r->write;
	ph[LOADSTAT_DELAY] = r->delay;
	ph[LOADSTAT_READ] = r->read;
	for (i = 0; i < LOADSTAT_NPHASES; i++)
		minmax_add(&s->phase[i], ph[i] > 0 ? (uint64_t)ph[i] : 0,
			   first);
}

void loadstat_fmt_ms(char *buf, size_t size, uint64_t ns)
{
	double ms = (double)ns / 1e6;
	int decimals = 3;

	if (ms > 0)
		decimals = 3 - (int)floor(log10(ms));
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	snprintf(buf, size, "%.*f", decimals, ms);
}

static const char *ms(char *buf, size_t size, uint64_t ns)
{
	loadstat_fmt_ms(buf, size, ns);
	return buf;
}

static void ppm_label(char *buf, size_t size, uint32_t ppm)
{
	if (ppm % 10000 == 0)
		snprintf(buf, size, "%" PRIu32 "%%", ppm / 10000);
	else
		snprintf(buf, size, "%g%%", (double)ppm / 10000);
}

/*
 * Ten ranges of equal ratio from the fastest to the slowest response, each
 * shown by its upper bound: a long tail does not squash the body of the
 * distribution into one bar as hey's equal widths do.
 */
static void histogram(FILE *fp, const struct lathist *h)
{
	uint64_t edges[HIST_RANGES], counts[HIST_RANGES], most = 0;
	double lo = h->min ? (double)h->min : 1, ratio;
	char b[32];
	int i, j, n = HIST_RANGES;

	if (h->min == h->max)
		n = 1;
	ratio = (double)h->max / lo;
	for (i = 0; i < n - 1; i++)
		edges[i] = (uint64_t)(lo * pow(ratio, (double)(i + 1) / n));
	edges[n - 1] = h->max;
	lathist_ranges(h, edges, counts, n);
	for (i = 0; i < n; i++)
		if (counts[i] > most)
			most = counts[i];
	fprintf(fp, "\nResponse time histogram (ms, log scale):\n");
	for (i = 0; i < n; i++) {
		int bar = most ? (int)((counts[i] * BAR_WIDTH + most / 2) /
				       most) : 0;

		fprintf(fp, "  %s [%" PRIu64 "]\t|", ms(b, sizeof(b), edges[i]),
			counts[i]);
		for (j = 0; j < bar; j++)
			fputs(BAR, fp);
		fputc('\n', fp);
	}
}

static void percentiles(FILE *fp, const struct lathist *h)
{
	size_t i;
	int header = 0;
	char b[32], l[16];

	for (i = 0; i < sizeof(summary_ppm) / sizeof(summary_ppm[0]); i++) {
		if (!lathist_enough(h->n, summary_ppm[i]))
			continue;
		if (!header++)
			fprintf(fp, "\nLatency distribution:\n");
		ppm_label(l, sizeof(l), summary_ppm[i]);
		fprintf(fp, "  %s in %s ms\n", l,
			ms(b, sizeof(b), lathist_quantile(h, summary_ppm[i])));
	}
}

static void details(FILE *fp, const struct loadstat *s)
{
	static const char *const names[LOADSTAT_NPHASES] = {
		"DNS+dialup", "DNS-lookup", "req write", "resp wait",
		"resp read",
	};
	char a[32], b[32], c[32];
	int i;

	fprintf(fp, "\nDetails (average, fastest, slowest):\n");
	for (i = 0; i < LOADSTAT_NPHASES; i++) {
		const struct loadstat_minmax *m = &s->phase[i];

		fprintf(fp, "  %s:\t%s ms, %s ms, %s ms\n", names[i],
			ms(a, sizeof(a), m->sum / s->responses),
			ms(b, sizeof(b), m->min), ms(c, sizeof(c), m->max));
	}
}

static int by_count(const void *x, const void *y)
{
	const struct loadstat_error *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return strcmp(a->msg, b->msg);
}

static void errors(FILE *fp, const struct loadstat *s)
{
	struct loadstat_error sorted[LOADSTAT_ERRORS];
	size_t i;

	memcpy(sorted, s->err, s->nerr * sizeof(*sorted));
	qsort(sorted, s->nerr, sizeof(*sorted), by_count);
	fprintf(fp, "\nError distribution:\n");
	for (i = 0; i < s->nerr; i++)
		fprintf(fp, "  [%" PRIu64 "]\t%s\n", sorted[i].n,
			sorted[i].msg);
	if (s->err_other)
		fprintf(fp, "  [%" PRIu64 "]\t(other errors)\n", s->err_other);
}

void loadstat_summary(FILE *fp, const struct loadstat *s,
		      const struct loadstat_run *run)
{
	double secs = (double)run->elapsed / 1e9;
	uint64_t done = s->responses + s->errors;
	char a[32];
	int i;

	fprintf(fp, "\nSummary:\n");
	fprintf(fp, "  Total:\t%.4f secs\n", secs);
	if (s->responses) {
		fprintf(fp, "  Slowest:\t%s ms\n", ms(a, sizeof(a),
							s->lat.max));
		fprintf(fp, "  Fastest:\t%s ms\n", ms(a, sizeof(a),
							s->lat.min));
		fprintf(fp, "  Average:\t%s ms\n",
			ms(a, sizeof(a), s->lat.sum / s->lat.n));
	}
	fprintf(fp, "  Requests/sec:\t%.4f\n", secs > 0 ? done / secs : 0);
	fprintf(fp, "  Requests:\t%" PRIu64 " (%" PRIu64 " responses, %"
		PRIu64 " errors)\n", done, s->responses, s->errors);
	if (run->rate > 0)
		fprintf(fp, "  Open loop:\t%g requests/s, latency from each "
			"request's intended send time\n", run->rate);
	if (run->late)
		fprintf(fp, "  Late sends:\t%" PRIu64 " sent 1 ms or more "
			"after their time (at most %s ms): %u in flight (-c) "
			"or a busy generator\n", run->late,
			ms(a, sizeof(a), (uint64_t)run->late_max),
			run->concurrency);
	if (run->unfinished)
		fprintf(fp, "  Unfinished:\t%" PRIu64 " requests in flight at "
			"the end, not counted\n", run->unfinished);
	if (run->interrupted)
		fprintf(fp, "  Stopped:\tinterrupted, the numbers so far\n");
	if (s->responses) {
		fprintf(fp, "\n  Total data:\t%" PRIu64 " bytes\n", s->bytes);
		fprintf(fp, "  Size/request:\t%" PRIu64 " bytes\n",
			s->bytes / s->responses);
		histogram(fp, &s->lat);
		percentiles(fp, &s->lat);
		details(fp, s);
		fprintf(fp, "\nStatus code distribution:\n");
		for (i = 0; i < LOADSTAT_CODES; i++)
			if (s->status[i])
				fprintf(fp, "  [%d]\t%" PRIu64 " responses\n",
					i, s->status[i]);
		if (s->status_other)
			fprintf(fp, "  [other]\t%" PRIu64 " responses\n",
				s->status_other);
	}
	if (s->errors)
		errors(fp, s);
}

static const char *pct_or_dash(char *buf, size_t size, const struct lathist *h,
			       uint32_t ppm)
{
	size_t l;

	if (!lathist_enough(h->n, ppm))
		return "-";
	loadstat_fmt_ms(buf, size, lathist_quantile(h, ppm));
	l = strlen(buf);
	snprintf(buf + l, size - l, " ms");
	return buf;
}

void loadstat_interval(FILE *fp, const struct loadstat *s, int64_t elapsed,
		       int64_t len)
{
	uint64_t done = s->responses + s->errors;
	double secs = (double)len / 1e9;
	char a[32], b[32];

	char r[32] = "-";

	if (len > 0)
		snprintf(r, sizeof(r), "%.1f/s", (double)done / secs);
	fprintf(fp, "%8.1fs  requests %" PRIu64 "  errors %" PRIu64
		"  rate %s  p50 %s  p99 %s", (double)elapsed / 1e9, done,
		s->errors, r, pct_or_dash(a, sizeof(a), &s->lat, 500000),
		pct_or_dash(b, sizeof(b), &s->lat, 990000));
	if (s->non2xx)
		fprintf(fp, "  non-2xx %" PRIu64, s->non2xx);
	fputc('\n', fp);
}

static void csv_double(struct csvout *c, int decimals, double v)
{
	char b[64];

	snprintf(b, sizeof(b), "%.*f", decimals, v);
	csvout_str(c, b);
}

static void csv_pct(struct csvout *c, const struct lathist *h, uint32_t ppm)
{
	if (lathist_enough(h->n, ppm))
		csv_double(c, 3, (double)lathist_quantile(h, ppm) / 1e6);
	else
		csvout_empty(c);
}

void loadstat_series_header(struct csvout *c)
{
	static const char *const cols[] = {
		"time", "elapsed", "requests", "errors", "non2xx", "rate",
		"p50_ms", "p90_ms", "p99_ms", "max_ms", "bytes",
	};
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		csvout_str(c, cols[i]);
	csvout_end(c);
}

void loadstat_series_row(struct csvout *c, const struct loadstat *s,
			 int64_t wall_ns, int64_t elapsed, int64_t len,
			 enum csv_time style)
{
	uint64_t done = s->responses + s->errors;
	double secs = (double)len / 1e9;

	csvout_time(c, wall_ns, style);
	csv_double(c, 3, (double)elapsed / 1e9);
	csvout_i64(c, (int64_t)done);
	csvout_i64(c, (int64_t)s->errors);
	csvout_i64(c, (int64_t)s->non2xx);
	if (len > 0)
		csv_double(c, 2, (double)done / secs);
	else
		csvout_empty(c);
	csv_pct(c, &s->lat, 500000);
	csv_pct(c, &s->lat, 900000);
	csv_pct(c, &s->lat, 990000);
	if (s->lat.n)
		csv_double(c, 3, (double)s->lat.max / 1e6);
	else
		csvout_empty(c);
	csvout_i64(c, (int64_t)s->bytes);
	csvout_end(c);
}

void loadstat_csv_header(struct csvout *c)
{
	static const char *const cols[] = {
		"response-time", "DNS+dialup", "DNS", "Request-write",
		"Response-delay", "Response-read", "status-code", "offset",
		"bytes", "error",
	};
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		csvout_str(c, cols[i]);
	csvout_end(c);
}

static void csv_secs(struct csvout *c, int64_t ns)
{
	csv_double(c, 6, (double)(ns > 0 ? ns : 0) / 1e9);
}

void loadstat_csv_row(struct csvout *c, const struct load_result *r)
{
	csv_secs(c, r->end - r->intended);
	csv_secs(c, r->conn);
	csv_secs(c, r->dns);
	csv_secs(c, r->write);
	csv_secs(c, r->delay);
	csv_secs(c, r->read);
	csvout_i64(c, r->status);
	csv_secs(c, r->intended);
	csvout_i64(c, (int64_t)r->bytes);
	if (r->error)
		csvout_str(c, r->error);
	else
		csvout_empty(c);
	csvout_end(c);
}

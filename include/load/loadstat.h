/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky load's numbers: what finished requests add up to (latency
 * histogram, status codes, errors, phase times) and how they are printed:
 * the summary, the per-interval line, the --series and -o csv rows.
 */
#ifndef LEAKY_LOADSTAT_H
#define LEAKY_LOADSTAT_H

#include <stdint.h>
#include <stdio.h>

#include "out/csvout.h"
#include "load/lathist.h"

struct load_result;

#define LOADSTAT_CODES 1000	/* status codes 0..999 are counted apart */
#define LOADSTAT_ERRORS 64	/* distinct error messages kept */

enum loadstat_phase {
	LOADSTAT_CONN, LOADSTAT_DNS, LOADSTAT_WRITE, LOADSTAT_DELAY,
	LOADSTAT_READ, LOADSTAT_NPHASES
};

struct loadstat_minmax {
	uint64_t sum, min, max;
};

/*
 * Totals of a run or of one interval; loadstat_new() it, loadstat_free()
 * it. Latency is over responses (any status), from the intended send time.
 */
struct loadstat {
	struct lathist lat;
	uint64_t responses, errors, bytes, non2xx;
	struct loadstat_minmax phase[LOADSTAT_NPHASES];
	uint64_t status[LOADSTAT_CODES];
	uint64_t status_other;		/* outside 0..999 */
	struct loadstat_error {
		char *msg;
		uint64_t n;
	} err[LOADSTAT_ERRORS];
	size_t nerr;
	uint64_t err_other;		/* beyond LOADSTAT_ERRORS messages */
};

struct loadstat *loadstat_new(void);
void loadstat_free(struct loadstat *s);
/* Empties s for the next interval. */
void loadstat_reset(struct loadstat *s);
/* Counts one finished request. */
void loadstat_add(struct loadstat *s, const struct load_result *r);

/* What the summary says about the run besides the numbers in s. */
struct loadstat_run {
	int64_t elapsed;	/* ns */
	double rate;		/* open loop: requests/s; 0: closed loop */
	unsigned concurrency;
	uint64_t unfinished;
	uint64_t late;
	int64_t late_max;
	int interrupted;
};

/*
 * Writes hey's summary, improved: totals, latency in ms with enough
 * digits, a log-scale histogram, percentiles only where there are enough
 * responses (lathist_enough()), phase details, status codes in order,
 * errors by count.
 */
void loadstat_summary(FILE *fp, const struct loadstat *s,
		      const struct loadstat_run *run);

/*
 * Writes the line for one interval of len ns ending at elapsed ns (len 0:
 * too short for a meaningful rate, shown as "-"):
 * "  12.0s  requests 500  errors 0  rate 500.0/s  p50 0.213 ms  p99 1.02 ms"
 * (a "-" where too few responses make a percentile meaningless).
 */
void loadstat_interval(FILE *fp, const struct loadstat *s, int64_t elapsed,
		       int64_t len);

/* The --series header, and the row for one interval (len as above). */
void loadstat_series_header(struct csvout *c);
void loadstat_series_row(struct csvout *c, const struct loadstat *s,
			 int64_t wall_ns, int64_t elapsed, int64_t len,
			 enum csv_time style);

/* hey's -o csv header with leaky's extra columns, and one request's row. */
void loadstat_csv_header(struct csvout *c);
void loadstat_csv_row(struct csvout *c, const struct load_result *r);

/* Formats ns as milliseconds with at least four significant digits. */
void loadstat_fmt_ms(char *buf, size_t size, uint64_t ns);

#endif

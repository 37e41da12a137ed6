/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report rules' verdicts for the exporter: leaky report's analysis
 * (report/report.h) of a collect directory, per target, with the growth
 * per hour of its main series and its top suspect. Slow (it reads every
 * sample kept so far): the exporter runs it on a thread of its own.
 */
#ifndef LEAKY_EXPORTER_VERDICT_H
#define LEAKY_EXPORTER_VERDICT_H

#include <stddef.h>

/* The series whose growth is shown, in this order. */
enum { EV_HEAP, EV_GOROUTINES, EV_RSS, EV_FDS, EV_NSERIES };
extern const char *const exporter_verdict_series[EV_NSERIES];

/* One target's verdict over its last segment (since its last restart). */
struct ev_target {
	char *name;
	int level;		/* enum verdict */
	char *suspect;		/* the top function or goroutine group of a
				 * leak or suspect; "" for none */
	double growth[EV_NSERIES];	/* per hour; NAN: not measured */
};

/* Caller-owned: ev_release() it. */
struct ev_result {
	struct ev_target *targets;	/* sorted by name */
	size_t n;
};

/*
 * Analyses the collect directory dir as leaky report does with its
 * default rules. The decoders' complaints about single files are not
 * printed (this runs beside a collector whose stderr is its own).
 * Returns 0 with *res filled, or -1 when dir cannot be read.
 */
int exporter_verdicts(const char *dir, struct ev_result *res);
void ev_release(struct ev_result *res);

/* "nodata", "ok", "suspect", "leak": the level label's values. */
const char *exporter_verdict_level(int level);

#endif

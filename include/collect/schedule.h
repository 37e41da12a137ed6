/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's fixed-rate schedule. */
#ifndef LEAKY_COLLECT_SCHEDULE_H
#define LEAKY_COLLECT_SCHEDULE_H

#include <stdint.h>

struct collect_conf;

/*
 * A target's stable offset within its interval: a hash of its name, so
 * that targets spread over the interval and keep their phase from one run
 * to the next. 0 when spread is off. Whole milliseconds below interval.
 */
int64_t collect_offset(const char *name, int64_t interval_ns, int spread);

/* Whether conf spreads its targets: asked, and more than one target
 * (or targets found as it runs). */
int collect_spreads(const struct collect_conf *conf);

/* When slot k is due: base + k * interval (no accumulated drift). */
int64_t collect_due(int64_t base, int64_t interval_ns, int64_t k);

/*
 * At time now, with slot next the first not yet run: returns 0 when slot
 * next is not due yet. Otherwise returns 1 with *slot the latest slot due
 * (which is the one to run) and *missed the number of slots before it that
 * went by unrun (the process was stopped, or a fetch overran).
 */
int collect_sched_step(int64_t base, int64_t interval_ns, int64_t next,
		       int64_t now, int64_t *slot, int64_t *missed);

#endif

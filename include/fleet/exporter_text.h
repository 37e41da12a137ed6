/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus's exposition formats, written: the text format 0.0.4 and
 * OpenMetrics 1.0.0, with their HELP and TYPE lines and escaped label
 * values. No HTTP here: the exporter (fleet/exporter.h) serves what this
 * writes, and the unit tests read it.
 */
#ifndef LEAKY_EXPORTER_TEXT_H
#define LEAKY_EXPORTER_TEXT_H

#include <stddef.h>

struct buf;

#define EXPO_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define EXPO_OPENMETRICS_TYPE \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

enum expo_type { EXPO_GAUGE, EXPO_COUNTER };

/* One exposition being written into b (caller-owned). */
struct expo {
	struct buf *b;
	int openmetrics;
	enum expo_type type;	/* the family being written */
	const char *name;	/* its name, without _total */
};

/*
 * Whether an Accept header (may be NULL) asks for OpenMetrics: it names
 * application/openmetrics-text without q=0. Prometheus sends it first
 * when it can read it; anything else gets the text format.
 */
int expo_wants_openmetrics(const char *accept);

void expo_init(struct expo *x, struct buf *b, int openmetrics);
/*
 * Starts a family: its HELP and TYPE lines. name is without "_total": a
 * counter's samples get it (and in the text format its HELP and TYPE
 * lines too, as Prometheus's own clients write them).
 */
void expo_family(struct expo *x, const char *name, enum expo_type type,
		 const char *help);
/*
 * One sample of the family: labels are pairs (name, value, ...) ended by
 * a NULL name, then extra, the target's own labels in the collector's
 * "k=v;k=v" form (may be NULL or ""): their names that Prometheus would
 * not take ([a-zA-Z_][a-zA-Z0-9_]*, not "__"-prefixed) or that a pair
 * already has are left out. Values are escaped (backslash, double quote,
 * line feed).
 */
void expo_sample(struct expo *x, const char *const *labels,
		 const char *extra, double value);
/* Ends the exposition ("# EOF" for OpenMetrics). */
void expo_end(struct expo *x);

/* Appends v escaped as a label value (without the quotes). */
void expo_escape(struct buf *b, const char *v);

#endif

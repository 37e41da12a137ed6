/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time: the two clocks leaky reads, and times written as text (RFC 3339
 * UTC, which gnuplot, spreadsheets and pandas read as they are).
 */
#ifndef LEAKY_CLOCK_H
#define LEAKY_CLOCK_H

#include <stdint.h>

/* Nanoseconds of CLOCK_MONOTONIC: for intervals and deadlines. */
int64_t clock_mono_ns(void);
/* Nanoseconds since the Unix epoch (CLOCK_REALTIME): for timestamps. */
int64_t clock_real_ns(void);

/* Room for any text clock_format() writes, NUL included. */
#define CLOCK_TEXT_MAX 40

enum clock_style {
	CLOCK_RFC3339,		/* 2026-11-22T10:04:05Z */
	CLOCK_RFC3339_MS,	/* 2026-11-22T10:04:05.123Z */
	CLOCK_DATETIME,		/* 2026-11-22 10:04:05 (UTC, for people) */
	CLOCK_DATE,		/* 2026-11-22 */
};

/*
 * Writes the UTC time secs seconds (plus ms milliseconds, shown by
 * CLOCK_RFC3339_MS only, 0 to 999) after the Unix epoch into buf, in the
 * style given. Returns buf, or NULL (buf holding "") when the year does
 * not fit a struct tm.
 */
char *clock_format(char buf[CLOCK_TEXT_MAX], int64_t secs, int ms,
		   enum clock_style style);

#endif

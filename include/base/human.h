/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes for people: "1.5 kB", "153 KiB", "512 bytes". */
#ifndef LEAKY_HUMAN_H
#define LEAKY_HUMAN_H

#include <stddef.h>

/*
 * How human_size() writes a size: the unit's base, its names (the first
 * for sizes under one base), and the precision of scaled values.
 */
struct human_style {
	double base;			/* 1000 (SI) or 1024 (IEC) */
	const char *const *units;	/* units[0] for unscaled sizes */
	size_t nunits;			/* the largest is units[nunits - 1] */
	int precision;			/* digits of scaled values */
	int significant;		/* 1: precision counts significant
					 * digits (%g), 0: decimals (%f) */
};

/* "999 B", "1.5 kB", "2.0 MB", up to GB: collect's round lines. */
extern const struct human_style human_si;
/* "512 B", "1.5 KiB", "2.0 MiB", up to TiB: the report. */
extern const struct human_style human_iec;
/* "512 bytes", "1.92 MiB", "153 KiB", "5 MiB", up to TiB: plot legends. */
extern const struct human_style human_iec_legend;

/*
 * Writes v bytes into buf (n bytes) in style st: unscaled as a whole
 * number, else divided by the largest power of the base that |v| reaches
 * (one division, so the digits are those of v / 1e6, not of three
 * roundings). Returns buf.
 */
char *human_size(char *buf, size_t n, double v, const struct human_style *st);

#endif

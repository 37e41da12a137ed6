/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes for people, in SI or IEC units. */
#include "base/human.h"

#include <math.h>
#include <stdio.h>

static const char *const si_units[] = { "B", "kB", "MB", "GB" };
static const char *const iec_units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
static const char *const iec_words[] = { "bytes", "KiB", "MiB", "GiB",
					 "TiB" };

const struct human_style human_si = { 1000, si_units, 4, 1, 0 };
const struct human_style human_iec = { 1024, iec_units, 5, 1, 0 };
const struct human_style human_iec_legend = { 1024, iec_words, 5, 3, 1 };

char *human_size(char *buf, size_t n, double v, const struct human_style *st)
{
	double a = fabs(v), div = 1;
	size_t u = 0;

	/* div by multiplication: 1e3, 1e6 and 1e9 are exact in a double */
	while (u + 1 < st->nunits && a >= div * st->base) {
		div *= st->base;
		u++;
	}
	if (!u)
		snprintf(buf, n, "%.0f %s", v, st->units[0]);
	else if (st->significant)
		snprintf(buf, n, "%.*g %s", st->precision, v / div,
			 st->units[u]);
	else
		snprintf(buf, n, "%.*f %s", st->precision, v / div,
			 st->units[u]);
	return buf;
}

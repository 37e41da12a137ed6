/* SPDX-License-Identifier: Apache-2.0 */
/* The clocks, and times as RFC 3339 text. */
#include "base/clock.h"
#include "base/leaky.h"

#include <stdio.h>
#include <time.h>

int64_t clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

char *clock_format(char buf[CLOCK_TEXT_MAX], int64_t secs, int ms,
		   enum clock_style style)
{
	time_t t = (time_t)secs;
	struct tm tm;
	size_t n;

	buf[0] = '\0';
	/* years beyond int (secs near 2^55) have no struct tm */
	if (!gmtime_r(&t, &tm))
		return NULL;
	/* literal formats, which the compiler checks */
	switch (style) {
	case CLOCK_RFC3339:
		n = strftime(buf, CLOCK_TEXT_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
		break;
	case CLOCK_RFC3339_MS:
		n = strftime(buf, CLOCK_TEXT_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
		break;
	case CLOCK_DATETIME:
		n = strftime(buf, CLOCK_TEXT_MAX, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case CLOCK_DATE:
		n = strftime(buf, CLOCK_TEXT_MAX, "%Y-%m-%d", &tm);
		break;
	default:
		BUG("clock style %d", (int)style);
	}
	if (!n)
		return NULL;
	if (style == CLOCK_RFC3339_MS)
		snprintf(buf + n, CLOCK_TEXT_MAX - n, ".%03dZ", ms);
	return buf;
}

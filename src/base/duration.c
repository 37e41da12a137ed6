/* SPDX-License-Identifier: Apache-2.0 */
/* Durations: one parser for leaky's syntax and Go's, one formatter. */
#include "base/duration.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)

static const struct duration_unit leaky_units[] = {
	{ "ms", NS_PER_MS }, { "s", NS_PER_S }, { "m", 60 * NS_PER_S },
	{ "h", 3600 * NS_PER_S }, { "d", 86400 * NS_PER_S },
};

/* Go spells microseconds "us", or with the micro sign or Greek mu. */
static const struct duration_unit go_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 },
	{ "\xce\xbcs", 1000 }, { "ms", NS_PER_MS }, { "s", NS_PER_S },
	{ "m", 60 * NS_PER_S }, { "h", 3600 * NS_PER_S },
};

const struct duration_syntax duration_leaky = {
	leaky_units, sizeof(leaky_units) / sizeof(leaky_units[0]), 1,
	366 * 86400 * NS_PER_S, "e.g. 500ms, 30s, 5m, 2h, 1d",
};

/* 9.2e18, just under INT64_MAX: a double sum below it converts safely. */
const struct duration_syntax duration_go = {
	go_units, sizeof(go_units) / sizeof(go_units[0]), 0,
	INT64_C(9200000000000000000),
	"a duration such as 500ms, 10s, 3m, 1h30m",
};

/* One number of a duration: exactly, or as a double. */
struct number {
	int64_t whole, frac, scale;	/* whole + frac / scale */
	double v;
};

/* Reads digits[.digits] exactly at *p; -1 without digits or too large. */
static int read_exact(const char **p, struct number *n, int64_t max)
{
	const char *q = *p;
	int digits = 0;

	n->whole = n->frac = 0;
	n->scale = 1;
	while (isdigit((unsigned char)*q)) {
		if (n->whole > max / 10)
			return -1;
		n->whole = n->whole * 10 + (*q++ - '0');
		digits++;
	}
	if (*q == '.') {
		q++;
		while (isdigit((unsigned char)*q)) {
			/* digits past the nanosecond cannot count */
			if (n->scale < NS_PER_S) {
				n->frac = n->frac * 10 + (*q - '0');
				n->scale *= 10;
			}
			q++;
			digits++;
		}
	}
	*p = q;
	return digits ? 0 : -1;
}

/* Reads a number as strtod() does at *p, which must start it plainly. */
static int read_double(const char **p, struct number *n)
{
	char *end;

	if (!isdigit((unsigned char)**p) && **p != '.')
		return -1;
	errno = 0;
	n->v = strtod(*p, &end);
	if (end == *p || errno || !isfinite(n->v))
		return -1;
	*p = end;
	return 0;
}

/* The unit at p (its length in *len), or NULL. */
static const struct duration_unit *find_unit(const char *p, size_t *len,
					     const struct duration_syntax *syn)
{
	const struct duration_unit *best = NULL;
	size_t i, l;

	*len = 0;
	for (i = 0; i < syn->nunits; i++) {
		l = strlen(syn->units[i].name);
		if (strncmp(p, syn->units[i].name, l) || l <= *len)
			continue;
		/* leaky's: "5min" is no "5m" followed by "in" */
		if (syn->exact && isalpha((unsigned char)p[l]))
			continue;
		best = &syn->units[i];
		*len = l;
	}
	return best;
}

/* Adds n units exactly to *total; -1 past max. */
static int add_exact(int64_t *total, const struct number *n, int64_t unit,
		     int64_t max)
{
	int64_t scale = n->scale;

	if (n->whole > max / unit)
		return -1;
	/* frac / scale of a unit, without the overflow of frac * unit */
	*total += n->whole * unit + n->frac * (unit / scale) +
		  (unit % scale ? n->frac * (unit % scale) / scale : 0);
	return *total > max ? -1 : 0;
}

/* Go's: the whole string as one number of seconds, or -1. */
static int plain_seconds(const char *s, int64_t *ns, int64_t max)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0 ||
	    !(v * 1e9 < (double)max))
		return -1;
	*ns = (int64_t)(v * 1e9 + 0.5);
	return 0;
}

int duration_parse(const char *s, int64_t *ns,
		   const struct duration_syntax *syn)
{
	const char *p = s;
	int64_t total = 0;
	double ftotal = 0;

	/* signs are refused: no duration is negative */
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	if (!syn->exact && !plain_seconds(s, ns, syn->max))
		return 0;
	while (*p) {
		const struct duration_unit *u;
		struct number n = { 0, 0, 1, 0 };
		size_t len;

		if (syn->exact ? read_exact(&p, &n, syn->max) < 0 :
				 read_double(&p, &n) < 0)
			return -1;
		u = find_unit(p, &len, syn);
		if (!syn->exact) {
			if (!u)
				return -1;
			ftotal += n.v * (double)u->ns;
			p += len;
			continue;
		}
		if (!u) {
			/* a bare number is seconds, alone only */
			if (*p || p != s + strspn(s, "0123456789."))
				return -1;
			if (add_exact(&total, &n, NS_PER_S, syn->max) < 0)
				return -1;
			continue;
		}
		if (add_exact(&total, &n, u->ns, syn->max) < 0)
			return -1;
		p += len;
	}
	if (!syn->exact) {
		if (!(ftotal < (double)syn->max))
			return -1;
		total = (int64_t)(ftotal + 0.5);
	}
	*ns = total;
	return 0;
}

/* Milliseconds with their trailing zeros dropped: 500 -> "5", 50 -> "05". */
static void ms_digits(int64_t ms, char f[8])
{
	size_t l;

	snprintf(f, 8, "%03" PRId64, ms);
	for (l = strlen(f); l > 0 && f[l - 1] == '0'; l--)
		f[l - 1] = '\0';
}

char *duration_format(int64_t ns, char buf[DURATION_TEXT_MAX])
{
	const size_t size = DURATION_TEXT_MAX;
	int64_t h, m, s, ms;
	size_t n = 0;
	char f[8];

	if (ns <= 0) {
		snprintf(buf, size, "0s");
		return buf;
	}
	if (ns < NS_PER_S) {
		if (ns % NS_PER_MS)
			snprintf(buf, size, "%.3gms", (double)ns / NS_PER_MS);
		else
			snprintf(buf, size, "%" PRId64 "ms", ns / NS_PER_MS);
		return buf;
	}
	ms = ns / NS_PER_MS;
	h = ms / 3600000;
	m = ms / 60000 % 60;
	s = ms / 1000 % 60;
	ms %= 1000;
	buf[0] = '\0';
	if (h)
		n += (size_t)snprintf(buf + n, size - n, "%" PRId64 "h", h);
	if (m)
		n += (size_t)snprintf(buf + n, size - n, "%" PRId64 "m", m);
	if (ms) {
		ms_digits(ms, f);
		snprintf(buf + n, size - n, "%" PRId64 ".%ss", s, f);
	} else if (s) {
		snprintf(buf + n, size - n, "%" PRId64 "s", s);
	}
	return buf;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Durations as people write them ("500ms", "1h30m", "1.5s") and as leaky
 * prints them. Two syntaxes share one parser: leaky's own (the collector's
 * settings and options) and Go's time.ParseDuration (leaky load, whose
 * flags are hey's); their differences are the fields of the syntax.
 */
#ifndef LEAKY_DURATION_H
#define LEAKY_DURATION_H

#include <stddef.h>
#include <stdint.h>

struct duration_unit {
	const char *name;
	int64_t ns;
};

struct duration_syntax {
	const struct duration_unit *units;
	size_t nunits;
	/*
	 * 1: numbers are digits with an optional fraction, summed exactly
	 * in integers (fraction digits past nanoseconds ignored), a unit
	 * must not run on into a letter ("5min" is refused), a number
	 * without a unit is seconds only when it is the whole string, and
	 * the sum may reach max. 0: numbers are read as strtod() reads
	 * them and summed as doubles, rounded to the nanosecond at the
	 * end; the longest unit that prefixes the rest is taken; the whole
	 * string read as one number is seconds; the sum must stay under
	 * max.
	 */
	int exact;
	int64_t max;
	const char *hint;	/* examples for messages: "e.g. 500ms, 30s" */
};

/* "300ms", "30s", "5m", "2h", "1d", "1h30m", "1.5s", seconds; <= 366d. */
extern const struct duration_syntax duration_leaky;
/* Go's: ns, us, µs, ms, s, m, h, fractions, "1h30m"; or plain seconds. */
extern const struct duration_syntax duration_go;

/*
 * Parses s in syntax syn into *ns. Returns 0, or -1 when s is empty,
 * malformed, negative or over the syntax's maximum.
 */
int duration_parse(const char *s, int64_t *ns,
		   const struct duration_syntax *syn);

/* Room for any text duration_format() writes, NUL included. */
#define DURATION_TEXT_MAX 32

/*
 * Writes ns as "5m", "1m30s", "1.5s", "50ms" (whole milliseconds from a
 * second up; "0s" for 0 and less) into buf. Returns buf.
 */
char *duration_format(int64_t ns, char buf[DURATION_TEXT_MAX]);

#endif

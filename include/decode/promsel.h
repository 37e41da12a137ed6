/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus label selectors ('{job="api",instance=~"10\\.0\\..*"}'),
 * parsed once and matched against label sets here: /api/v1/targets has
 * no server-side filter, so the collector filters the targets itself.
 */
#ifndef LEAKY_PROMSEL_H
#define LEAKY_PROMSEL_H

#include <stddef.h>

/* The bounds of one selector: its text and its matchers. */
#define PROMSEL_MAX_BYTES ((size_t)64 << 10)
#define PROMSEL_MAX_MATCHERS 1000

struct promsel;

/*
 * Parses a selector: '{' matchers '}', each NAME OP VALUE, separated by
 * commas (a trailing one allowed), whitespace anywhere between tokens.
 * OP is = != =~ !~. VALUE is quoted with " or ' (Go escapes: \\ \" \'
 * \a \b \f \n \r \t \v \xHH \NNN \uHHHH \UHHHHHHHH) or with ` (no
 * escapes). Label names are [a-zA-Z_][a-zA-Z0-9_]*. "{}", "" and
 * whitespace alone match everything.
 *
 * A metric name before '{' ('up{job="x"}') is refused: the label sets
 * this matches are targets', which have no metric name.
 *
 * Regexes match the whole value, as Prometheus's do (=~"ap" does not
 * match "api"). Prometheus's are RE2; these are POSIX extended regexes
 * (glibc's regcomp) after a translation of what RE2 writes otherwise:
 * \d and \D (also in [...]), \s and \w in [...], an escaped punctuation
 * character in [...], \n \t \r \f \v \a and \xHH, (?:...) and
 * (?P<name>...) groups, lazy repetitions (a match of the whole value is
 * the same), and a leading (?i) (case insensitive). Refused, with a
 * reason: what RE2 refuses too (backreferences such as \1, a repetition
 * of a repetition such as a**, repeat counts over 1000), and what this
 * translation does not carry (other flags, \pN, \x{...}, \A, \z,
 * escapes of letters in [...], a repeated ^ or $), and repetitions that
 * would expand past 10,000 atoms in glibc. A regex that does not compile
 * is an error naming it. Checked against Go's regexp (Prometheus's) on
 * some 20,000 regex and value pairs: no regex both accept matches
 * differently.
 *
 * Returns the selector (the caller frees it with promsel_free()), or
 * NULL with a one-line reason in err (errlen bytes) naming the selector
 * and the column where it went wrong. Selectors over PROMSEL_MAX_BYTES
 * or with more than PROMSEL_MAX_MATCHERS matchers are refused.
 */
struct promsel *promsel_parse(const char *text, char *err, size_t errlen);

/*
 * 1 when every matcher of s holds for the label set names[i]=values[i]
 * (i < n), else 0. A label the set lacks has the value "", so job=""
 * matches a set without job and job!="" requires one; where a name
 * repeats, its first value counts. Thread-safe on a shared s.
 */
int promsel_match(const struct promsel *s, char *const *names,
		  char *const *values, size_t n);

/* The number of matchers of s (0: it matches everything). */
size_t promsel_count(const struct promsel *s);

/* Frees s; NULL is a no-op. */
void promsel_free(struct promsel *s);

#endif

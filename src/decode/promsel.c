/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus label selectors: parsed once, matched against label sets. */
#include "decode/promsel.h"
#include "base/leaky.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op { OP_EQ, OP_NE, OP_RE, OP_NRE };

struct matcher {
	char *name;
	char *value;		/* the literal, or the regex as written */
	enum op op;
	regex_t re;		/* OP_RE, OP_NRE */
};

struct promsel {
	struct matcher *m;
	size_t n;
};

/* The parser's place in the selector and where its reason goes. */
struct parse {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
};

/* How much of a selector a message shows: enough to recognise it. */
#define SHOWN_MAX 80
/* RE2 refuses repeat counts over 1000; glibc would expand them. */
#define REPEAT_MAX 1000
/*
 * glibc's regcomp copies a repeated group once per count, so that
 * ((a{1000}){1000}){1000} costs memory and time by the billion: the
 * atoms (and alternatives) a regex expands to are counted and held to
 * this. Its memory grows with the square of a run of nodes it may skip
 * ((a?b?c?d?e?f?g?h?i?j?){500}: 200 MB; (a||||||||x){500}: 90 MB, and
 * 700 MB for a fuzzer's 9000): 2000 keeps any regex within some 40 MB.
 */
#define EXPANDED_MAX 2000
/* Groups nested deeper are refused (each costs regcomp stack). */
#define NEST_MAX 100

/*
 * "bad selector '{job=...}' at column N: WHY": the selector made safe for
 * a terminal (a backquoted value may hold a newline) and cut to
 * SHOWN_MAX bytes; the column is a byte offset from 1.
 */
__attribute__((format(printf, 3, 4)))
static int fail_at(struct parse *p, size_t pos, const char *fmt, ...)
{
	char why[256], shown[3 * SHOWN_MAX + 1];
	size_t n = p->len < SHOWN_MAX ? p->len : SHOWN_MAX;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	shown[text_safe(shown, p->s, n, TEXT_TERMINAL)] = '\0';
	return failf(p->err, p->errlen, "bad selector '%s%s' at column %zu: "
		     "%s", shown, p->len > n ? "..." : "", pos + 1, why);
}

static void skip_space(struct parse *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]))
		p->pos++;
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* Appends code point cp as UTF-8 to out; 4 bytes at most. */
static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * One escape after a backslash at p->pos (the backslash already passed),
 * Go's set: single-character escapes, \xHH and \NNN (a byte each),
 * \uHHHH and \UHHHHHHHH (a code point, written as UTF-8). Go allows \'
 * only in '...' and \" only in "..."; both are taken in both here, which
 * refuses nothing Prometheus takes. Returns the bytes written to out.
 */
static int unescape(struct parse *p, char *out, size_t *outn)
{
	size_t at = p->pos - 1, digits, i;
	unsigned long cp = 0;
	int c, v;

	if (p->pos >= p->len)
		return fail_at(p, at, "unterminated escape");
	c = (unsigned char)p->s[p->pos++];
	switch (c) {
	case 'a': *outn = put_utf8(out, '\a'); return 0;
	case 'b': *outn = put_utf8(out, '\b'); return 0;
	case 'f': *outn = put_utf8(out, '\f'); return 0;
	case 'n': *outn = put_utf8(out, '\n'); return 0;
	case 'r': *outn = put_utf8(out, '\r'); return 0;
	case 't': *outn = put_utf8(out, '\t'); return 0;
	case 'v': *outn = put_utf8(out, '\v'); return 0;
	case '\\': case '\'': case '"':
		*outn = put_utf8(out, (unsigned long)c);
		return 0;
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	default:
		if (c >= '0' && c <= '7') {
			/* \NNN: exactly three octal digits, one byte */
			cp = (unsigned long)(c - '0');
			for (i = 0; i < 2; i++) {
				if (p->pos >= p->len || p->s[p->pos] < '0' ||
				    p->s[p->pos] > '7')
					return fail_at(p, at, "octal escape "
						       "needs three digits");
				cp = cp * 8 + (unsigned long)(p->s[p->pos++] -
							      '0');
			}
			if (cp > 255)
				return fail_at(p, at, "octal escape over "
					       "\\377");
			out[0] = (char)cp;
			*outn = 1;
			goto byte;
		}
		return fail_at(p, at, "unknown escape '\\%c'",
			       c >= 0x20 && c < 0x7f ? c : '?');
	}
	for (i = 0; i < digits; i++) {
		if (p->pos >= p->len)
			return fail_at(p, at, "unterminated escape");
		v = hex_value((unsigned char)p->s[p->pos]);
		if (v < 0)
			return fail_at(p, at, "escape '\\%c' needs %zu hex "
				       "digits", c, digits);
		cp = cp * 16 + (unsigned long)v;
		p->pos++;
	}
	if (c == 'x') {
		out[0] = (char)cp;
		*outn = 1;
		goto byte;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail_at(p, at, "escape is not a Unicode code point");
	if (!cp)
		return fail_at(p, at, "a NUL in a value");
	*outn = put_utf8(out, cp);
	return 0;
byte:
	/* label values are C strings: a NUL would cut one short */
	if (!out[0])
		return fail_at(p, at, "a NUL in a value");
	return 0;
}

/* A quoted value at p->pos into a new string (*out), or -1. */
static int quoted(struct parse *p, char **out)
{
	size_t start = p->pos, o = 0, k = 0;
	char q, *buf;

	if (p->pos >= p->len || !strchr("\"'`", p->s[p->pos]))
		return fail_at(p, p->pos, "expected a quoted value");
	q = p->s[p->pos++];
	/* escapes only shrink: the rest of the text bounds the value */
	buf = xmalloc(p->len - p->pos + 1);
	for (;;) {
		char c;

		if (p->pos >= p->len) {
			free(buf);
			return fail_at(p, start, "unterminated %c-quoted "
				       "value", q);
		}
		c = p->s[p->pos++];
		if (c == q)
			break;
		if (!c) {
			free(buf);
			return fail_at(p, p->pos - 1, "a NUL in a value");
		}
		if (q != '`' && c == '\n') {
			free(buf);
			return fail_at(p, p->pos - 1, "a newline in a %c-"
				       "quoted value (use \\n)", q);
		}
		if (q != '`' && c == '\\') {
			if (unescape(p, buf + o, &k) < 0) {
				free(buf);
				return -1;
			}
			o += k;
			continue;
		}
		buf[o++] = c;
	}
	buf[o] = '\0';
	/* kept for the selector's life: no longer than the value */
	*out = xrealloc(buf, o + 1);
	return 0;
}

/*
 * The regex translation: RE2 (what Prometheus compiles) to POSIX
 * extended (what glibc compiles), for what people write in selectors.
 * Counts the atoms the regex expands to, per group, so that nested
 * repetitions cannot make regcomp build billions of states.
 */
struct retr {
	char *out;
	size_t o;
	char *body;			/* a bracket's items, reused */
	size_t size[NEST_MAX + 1];	/* atoms so far in each open group */
	size_t last;			/* atoms of the last atom or group */
	int depth;
	enum { PREV_NONE, PREV_ATOM, PREV_REPEAT, PREV_LAZY } prev;
};

static void emit(struct retr *t, const char *s)
{
	size_t n = strlen(s);

	memcpy(t->out + t->o, s, n);
	t->o += n;
}

/* RE2's escapes of control characters, and the characters. */
static const char ctl_names[] = "ntrfva", ctl_chars[] = "\n\t\r\f\v\a";

/* One atom of `atoms` expanded atoms closes; 1 if the total is too big. */
static int atom(struct retr *t, size_t atoms)
{
	t->prev = PREV_ATOM;
	t->last = atoms;
	t->size[t->depth] += atoms;
	return t->size[t->depth] > EXPANDED_MAX;
}

/*
 * A repetition operator is about to be written: 0 to write it, 1 to
 * drop it (the '?' that makes RE2's repetition lazy: a match of the
 * whole value is the same either way), -1 with *why to refuse it. RE2
 * refuses a repetition of a repetition (a**, a{2}*) and one of nothing;
 * glibc takes them, and stacked stars make its regcomp exponential.
 */
static int repetition(struct retr *t, char c, const char **why)
{
	switch (t->prev) {
	case PREV_NONE:
		*why = "a repetition operator with nothing to repeat";
		return -1;
	case PREV_REPEAT:
		if (c == '?') {
			t->prev = PREV_LAZY;
			return 1;
		}
		/* fall through */
	case PREV_LAZY:
		*why = "a repetition of a repetition (as a**)";
		return -1;
	default:
		t->prev = PREV_REPEAT;
		/* each costs regcomp a node too */
		t->size[t->depth]++;
		return 0;
	}
}

/* A literal byte c, outside [...]: escaped where ERE gives it meaning. */
static void emit_literal(struct retr *t, char c)
{
	if (strchr(".[]()*+?{}|^$\\", c))
		t->out[t->o++] = '\\';
	t->out[t->o++] = c;
}

/*
 * A bracket expression at re[*i] ('['): in POSIX a backslash is a
 * literal there, while RE2 escapes with it, and ']' '^' '-' are literal
 * only in some places. The set is rebuilt: ']' first, then the items,
 * then '^' and '-' last. Returns 0, 1 for an unterminated bracket, or
 * -1 with *why set.
 */
static int bracket(struct retr *t, const char *re, size_t *i,
		   const char **why)
{
	size_t j = *i + 1, bo;
	int neg = 0, rb = 0, caret = 0, dash = 0;
	char *body = t->body;

	if (re[j] == '^') {
		neg = 1;
		j++;
	}
	if (re[j] == ']') {
		rb = 1;
		j++;
	}
	bo = 0;
	for (; re[j] && re[j] != ']'; j++) {
		if (re[j] == '[' && re[j + 1] == ':') {
			/* a [:class:] is copied whole */
			const char *end = strstr(re + j + 2, ":]");

			if (!end)
				break;
			memcpy(body + bo, re + j, (size_t)(end + 2 - (re + j)));
			bo += (size_t)(end + 2 - (re + j));
			j = (size_t)(end + 1 - re);
			continue;
		}
		if (re[j] != '\\') {
			/* RE2's '[' alone is literal; POSIX's "[." and
			 * "[=" would begin a collating element */
			if (re[j] == '[' && (re[j + 1] == '.' ||
					     re[j + 1] == '=')) {
				*why = "'[.' or '[=' inside [...]";
				return -1;
			}
			body[bo++] = re[j];
			continue;
		}
		j++;
		switch (re[j]) {
		case 'd':
			memcpy(body + bo, "0-9", 3);
			bo += 3;
			break;
		case 's':
			memcpy(body + bo, "[:space:]", 9);
			bo += 9;
			break;
		case 'w':
			memcpy(body + bo, "[:alnum:]_", 10);
			bo += 10;
			break;
		case ']': rb = 1; break;
		case '^': caret = 1; break;
		case '-': dash = 1; break;
		case 'n': body[bo++] = '\n'; break;
		case 't': body[bo++] = '\t'; break;
		case 'r': body[bo++] = '\r'; break;
		case '\0':
			return 1;
		default:
			if (is_name_char((unsigned char)re[j]) ||
			    (unsigned char)re[j] >= 0x80) {
				*why = "an escape inside [...] other than \\d "
				       "\\s \\w \\n \\t \\r or punctuation";
				return -1;
			}
			body[bo++] = re[j];
		}
	}
	if (!re[j])
		return 1;
	/*
	 * A '^' or '-' that RE2 took literally where it stood would change
	 * meaning once ']' goes first or '^' and '-' go last: a '^' first
	 * negates, a '-' between two items is a range. They go to the
	 * flags, and are written where POSIX takes them literally.
	 */
	if (bo && body[0] == '^') {
		caret = 1;
		memmove(body, body + 1, --bo);
	}
	if (bo && body[0] == '-') {
		dash = 1;
		memmove(body, body + 1, --bo);
	}
	if (bo && body[bo - 1] == '-') {
		dash = 1;
		bo--;
	}
	if (!bo && !rb && caret && !dash) {
		/* the set is '^' alone: no place in [...] makes it literal
		 * first, so write it as an escaped character */
		emit(t, neg ? "[^^]" : "\\^");
	} else {
		t->out[t->o++] = '[';
		if (neg)
			t->out[t->o++] = '^';
		if (rb)
			t->out[t->o++] = ']';
		memcpy(t->out + t->o, body, bo);
		t->o += bo;
		if (caret && !bo && !rb) {
			emit(t, "-^");	/* '-' first is literal, then '^' */
			dash = 0;
		} else if (caret) {
			t->out[t->o++] = '^';
		}
		if (dash)
			t->out[t->o++] = '-';
		t->out[t->o++] = ']';
	}
	*i = j;
	return 0;
}

/*
 * {n}, {n,} or {n,m} at re[*i]: 1 with *count the most copies it makes
 * of its atom (n + 1 for {n,}, which glibc writes as n copies and a
 * star; at least 1: {0} copies nothing but still costs a node), *i at
 * its '}'; 0 when this '{' begins no repetition (RE2 then takes it
 * literally). Counts saturate at 100000, over any bound.
 */
static int repeat(const char *re, size_t *i, size_t *count)
{
	size_t j = *i + 1, lo = 0, hi, nd = 0;

	for (; re[j] >= '0' && re[j] <= '9'; j++, nd++)
		if (lo < 100000)
			lo = lo * 10 + (size_t)(re[j] - '0');
	if (!nd)
		return 0;
	hi = lo;
	if (re[j] == ',') {
		j++;
		if (re[j] == '}') {
			hi = lo + 1;
		} else {
			hi = 0;
			for (nd = 0; re[j] >= '0' && re[j] <= '9'; j++, nd++)
				if (hi < 100000)
					hi = hi * 10 + (size_t)(re[j] - '0');
			if (!nd)
				return 0;
		}
	}
	if (re[j] != '}')
		return 0;
	*i = j;
	*count = hi > lo ? hi : lo;
	if (!*count)
		*count = 1;
	return 1;
}

/*
 * Translates regex re into t->out (room for 11 bytes per byte of re,
 * the most \w in [...] takes, and 8 more). Returns 0, or -1 with *why.
 */
static int translate(struct retr *t, const char *re, const char **why)
{
	size_t i, from, count;
	int r;

	for (i = 0; re[i]; i++) {
		char c = re[i];

		switch (c) {
		case '\\':
			c = re[++i];
			if (!c) {
				*why = "it ends with a backslash";
				return -1;
			}
			if (c >= '1' && c <= '9') {
				*why = "backreferences (\\1) are not RE2";
				return -1;
			}
			if (c == 'd')
				emit(t, "[0-9]");
			else if (c == 'D')
				emit(t, "[^0-9]");
			else if (strchr(ctl_names, c))
				/* RE2's \n and kin: the control character,
				 * which ERE takes literally */
				t->out[t->o++] =
					ctl_chars[strchr(ctl_names, c) -
						  ctl_names];
			else if (c == 'x' && hex_value(re[i + 1]) > 0 &&
				 hex_value(re[i + 2]) >= 0) {
				/* \xHH: that byte, literally (not \x00) */
				emit_literal(t, (char)(hex_value(re[i + 1]) *
						       16 +
						       hex_value(re[i + 2])));
				i += 2;
			} else if (c == 'x' && hex_value(re[i + 1]) == 0 &&
				   hex_value(re[i + 2]) > 0) {
				emit_literal(t, (char)hex_value(re[i + 2]));
				i += 2;
			} else if (strchr("wWsSbB", c)) {
				/* glibc knows \w \s \b as RE2 does */
				t->out[t->o++] = '\\';
				t->out[t->o++] = c;
			} else if (!is_name_char((unsigned char)c)) {
				/* escaped punctuation is literal in RE2;
				 * glibc gives \< \> \` \' meanings */
				emit_literal(t, c);
			} else {
				*why = "an escape that POSIX regexes lack";
				return -1;
			}
			if (atom(t, 1))
				goto big;
			break;
		case '[':
			r = bracket(t, re, &i, why);
			if (r < 0)
				return -1;
			if (r > 0) {
				/* not left to regcomp: POSIX could end the
				 * set sooner ("[\]") and read the rest
				 * unchecked */
				*why = "an unterminated [...]";
				return -1;
			}
			if (atom(t, 1))
				goto big;
			break;
		case '(':
			if (t->depth >= NEST_MAX) {
				*why = "groups nested too deep";
				return -1;
			}
			t->out[t->o++] = '(';
			t->prev = PREV_NONE;
			if (re[i + 1] == '?' && re[i + 2] == ':') {
				i += 2;		/* (?:...) groups alike */
			} else if (re[i + 1] == '?' && re[i + 2] == 'P' &&
				   re[i + 3] == '<') {
				/* (?P<name>...): the name goes */
				const char *gt = strchr(re + i + 4, '>');

				if (!gt) {
					*why = "unterminated (?P<name>";
					return -1;
				}
				i = (size_t)(gt - re);
			} else if (re[i + 1] == '?') {
				*why = "flags other than a leading (?i)";
				return -1;
			}
			t->size[++t->depth] = 0;
			break;
		case ')':
			if (!t->depth) {
				*why = "an unmatched ')'";
				return -1;
			}
			t->out[t->o++] = ')';
			count = t->size[t->depth--];
			if (atom(t, count ? count : 1))
				goto big;
			break;
		case '{':
			from = i;
			if (!repeat(re, &i, &count)) {
				emit(t, "\\{");
				if (atom(t, 1))
					goto big;
				break;
			}
			if (count > REPEAT_MAX) {
				*why = "a repeat count over 1000";
				return -1;
			}
			r = repetition(t, c, why);
			if (r < 0)
				return -1;
			if (r > 0)
				break;
			/* copied from '{' to '}' as RE2 wrote it */
			memcpy(t->out + t->o, re + from, i + 1 - from);
			t->o += i + 1 - from;
			t->size[t->depth] += t->last * (count - 1);
			t->last *= count;
			if (t->size[t->depth] > EXPANDED_MAX)
				goto big;
			break;
		case '*': case '+': case '?':
			r = repetition(t, c, why);
			if (r < 0)
				return -1;
			if (!r)
				t->out[t->o++] = c;
			if (!r && c == '+') {
				/* glibc writes x+ as xx*: a copy */
				t->size[t->depth] += t->last;
				t->last *= 2;
			}
			if (t->size[t->depth] > EXPANDED_MAX)
				goto big;
			break;
		case '|':
			/* An alternative costs regcomp a node of its own, even
			 * empty: (a||||x){1000} is 1000 copies of them all. */
			t->out[t->o++] = c;
			t->prev = PREV_NONE;
			t->size[t->depth] += 1;
			if (t->size[t->depth] > EXPANDED_MAX)
				goto big;
			break;
		case '^': case '$':
			t->out[t->o++] = c;
			t->prev = PREV_NONE;
			break;
		case '}':
			emit_literal(t, c);
			if (atom(t, 1))
				goto big;
			break;
		default:
			t->out[t->o++] = c;
			if (atom(t, 1))
				goto big;
		}
	}
	return 0;
big:
	*why = "it expands to over 2000 atoms (nested repeats)";
	return -1;
}

/*
 * Compiles value as a fully anchored regex into m->re: Prometheus
 * anchors as "^(?:RE)$", here "^(RE)$" once translated.
 */
static int compile(struct parse *p, size_t at, struct matcher *m)
{
	const char *re = m->value, *why = NULL;
	struct retr t;
	int flags = REG_EXTENDED | REG_NOSUB, rc;
	char msg[160], shown[3 * 60 + 1];
	size_t n = strlen(re);

	/* the regex as a message shows it: one line, 60 bytes at most */
	shown[text_safe(shown, re, n < 60 ? n : 60, TEXT_TERMINAL)] = '\0';

	if (!strncmp(re, "(?i)", 4)) {
		flags |= REG_ICASE;
		re += 4;
	}
	memset(&t, 0, sizeof(t));
	t.out = xmalloc(11 * strlen(re) + 8);
	t.body = xmalloc(11 * strlen(re) + 1);
	emit(&t, "^(");
	rc = translate(&t, re, &why);
	free(t.body);
	if (rc < 0) {
		free(t.out);
		return fail_at(p, at, "regex \"%s\" is refused: %s", shown,
			       why);
	}
	emit(&t, ")$");
	t.out[t.o] = '\0';
	rc = regcomp(&m->re, t.out, flags);
	free(t.out);
	if (rc) {
		regerror(rc, &m->re, msg, sizeof(msg));
		regfree(&m->re);
		return fail_at(p, at, "regex \"%s\" does not compile: %s",
			       shown, msg);
	}
	return 0;
}

static void matcher_release(struct matcher *m)
{
	if (m->op == OP_RE || m->op == OP_NRE)
		regfree(&m->re);
	free(m->name);
	free(m->value);
}

/* One NAME OP VALUE at p->pos into m; on failure m holds nothing. */
static int parse_matcher(struct parse *p, struct matcher *m)
{
	size_t start = p->pos, vat;

	if (p->pos >= p->len || !is_name_start((unsigned char)p->s[p->pos]))
		return fail_at(p, p->pos, "expected a label name");
	while (p->pos < p->len && is_name_char((unsigned char)p->s[p->pos]))
		p->pos++;
	m->name = xstrndup(p->s + start, p->pos - start);
	skip_space(p);
	if (p->pos + 1 < p->len && p->s[p->pos] == '=' &&
	    p->s[p->pos + 1] == '~')
		m->op = OP_RE;
	else if (p->pos + 1 < p->len && p->s[p->pos] == '!' &&
		 p->s[p->pos + 1] == '=')
		m->op = OP_NE;
	else if (p->pos + 1 < p->len && p->s[p->pos] == '!' &&
		 p->s[p->pos + 1] == '~')
		m->op = OP_NRE;
	else if (p->pos < p->len && p->s[p->pos] == '=')
		m->op = OP_EQ;
	else
		goto bad_op;
	p->pos += m->op == OP_EQ ? 1 : 2;
	skip_space(p);
	vat = p->pos;
	if (quoted(p, &m->value) < 0)
		goto fail;
	if ((m->op == OP_RE || m->op == OP_NRE) && compile(p, vat, m) < 0) {
		free(m->value);
		goto fail;
	}
	return 0;
bad_op:
	fail_at(p, p->pos, "expected =, !=, =~ or !~ after '%s'", m->name);
fail:
	free(m->name);
	memset(m, 0, sizeof(*m));
	return -1;
}

struct promsel *promsel_parse(const char *text, char *err, size_t errlen)
{
	struct parse p = { text, strnlen(text, PROMSEL_MAX_BYTES + 1), 0,
			   err, errlen };
	struct promsel *s;
	size_t cap = 0;

	if (p.len > PROMSEL_MAX_BYTES) {
		failf(err, errlen, "bad selector: over %zu bytes",
		      PROMSEL_MAX_BYTES);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	skip_space(&p);
	if (p.pos == p.len)
		return s;
	if (is_name_start((unsigned char)text[p.pos]) || text[p.pos] == ':') {
		/* a metric name selects series; targets have none */
		fail_at(&p, p.pos, "a metric name selects series, not "
			"targets: give only {label matchers}");
		goto fail;
	}
	if (text[p.pos] != '{') {
		fail_at(&p, p.pos, "expected '{'");
		goto fail;
	}
	p.pos++;
	for (;;) {
		skip_space(&p);
		if (p.pos < p.len && text[p.pos] == '}')
			break;
		if (s->n == PROMSEL_MAX_MATCHERS) {
			fail_at(&p, p.pos, "more than %d matchers",
				PROMSEL_MAX_MATCHERS);
			goto fail;
		}
		s->m = xgrow(s->m, &cap, s->n + 1, sizeof(*s->m));
		if (parse_matcher(&p, &s->m[s->n]) < 0)
			goto fail;
		s->n++;
		skip_space(&p);
		if (p.pos < p.len && text[p.pos] == ',') {
			p.pos++;
			continue;
		}
		if (p.pos < p.len && text[p.pos] == '}')
			break;
		fail_at(&p, p.pos, p.pos < p.len ? "expected ',' or '}' "
			"after a matcher" : "unterminated: no '}'");
		goto fail;
	}
	p.pos++;
	skip_space(&p);
	if (p.pos < p.len) {
		fail_at(&p, p.pos, "text after '}'");
		goto fail;
	}
	return s;
fail:
	promsel_free(s);
	return NULL;
}

static const char *value_of(const char *name, char *const *names,
			    char *const *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return values[i] ? values[i] : "";
	return "";
}

int promsel_match(const struct promsel *s, char *const *names,
		  char *const *values, size_t n)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct matcher *m = &s->m[i];
		const char *v = value_of(m->name, names, values, n);
		int hit;

		switch (m->op) {
		case OP_EQ:
		case OP_NE:
			hit = !strcmp(v, m->value);
			break;
		default:
			hit = !regexec(&m->re, v, 0, NULL, 0);
		}
		if (hit != (m->op == OP_EQ || m->op == OP_RE))
			return 0;
	}
	return 1;
}

size_t promsel_count(const struct promsel *s)
{
	return s->n;
}

void promsel_free(struct promsel *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		matcher_release(&s->m[i]);
	free(s->m);
	free(s);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: size parsing, allocation helpers, the error sink. */
#include "unit.h"

#include "base/leaky.h"

static void sizes(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64k", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(parse_size("256M", &v), 0);
	assert_int_equal(v, 256u << 20);
	assert_int_equal(parse_size("1GiB", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(parse_size("2mb", &v), 0);
	assert_int_equal(v, 2u << 20);
}

static void bad_sizes(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("", &v), -1);
	assert_int_equal(parse_size("-1", &v), -1);
	assert_int_equal(parse_size("12Q", &v), -1);
	assert_int_equal(parse_size("1Gx", &v), -1);
	assert_int_equal(parse_size("99999999999999999999", &v), -1);
	assert_int_equal(parse_size("99999999999T", &v), -1);
}

static void grow(void **state)
{
	size_t cap = 0;
	int *p = NULL;

	(void)state;
	p = xgrow(p, &cap, 1, sizeof(*p));
	assert_true(cap >= 1);
	p = xgrow(p, &cap, 1000, sizeof(*p));
	assert_true(cap >= 1000);
	p[999] = 7;
	assert_int_equal(p[999], 7);
	free(p);
}

struct caught {
	int n;
	char last[64];
};

static void catch_msg(void *data, const char *msg)
{
	struct caught *c = data;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s", msg);
}

/* A sink gets the messages, without the program's name, until put back. */
static void sink(void **state)
{
	struct caught outer = { 0 }, inner = { 0 };
	struct error_sink old;

	(void)state;
	old = error_sink_set((struct error_sink){ catch_msg, &outer });
	assert_null(old.fn);
	error("%s: %d bytes", "f.pb.gz", 12);
	assert_int_equal(outer.n, 1);
	assert_string_equal(outer.last, "f.pb.gz: 12 bytes");
	/* nested: the inner sink gets it, the outer comes back */
	old = error_sink_set((struct error_sink){ catch_msg, &inner });
	error("inner");
	assert_true(error_sink_set(old).data == &inner);
	error("outer again");
	assert_int_equal(inner.n, 1);
	assert_string_equal(inner.last, "inner");
	assert_int_equal(outer.n, 2);
	assert_string_equal(outer.last, "outer again");
	old = error_sink_set((struct error_sink){ NULL, NULL });
	assert_true(old.data == &outer);
}

static char *safe(const char *s, size_t n, enum text_use use)
{
	char *out = malloc(3 * n + 1);

	out[text_safe(out, s, n, use)] = '\0';
	return out;
}

/* One function makes input text safe for the terminal and for CSV. */
static void safe_text(void **state)
{
	static const char ctl[] = "a\x1b]0;t\x07\tb\nc\r\x7f\xc2\x85";
	char *s;

	(void)state;
	s = safe(ctl, sizeof(ctl) - 1, TEXT_TERMINAL);
	assert_string_equal(s, "a?]0;t??b?c???");
	free(s);
	s = safe(ctl, sizeof(ctl) - 1, TEXT_CSV);
	assert_string_equal(s, "a?]0;t?\tb\nc\r??");
	free(s);
	/* NUL and bad UTF-8 to U+FFFD; good UTF-8 kept */
	s = safe("a\0b\xff\xe2\x82\xac\xed\xa0\x80\xc0\xaf", 12, TEXT_CSV);
	assert_string_equal(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xe2\x82\xac"
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	assert_int_equal(text_is_safe("main.(*T).f \xe2\x82\xac", 15,
				      TEXT_TERMINAL), 1);
	assert_int_equal(text_is_safe("a\tb", 3, TEXT_CSV), 1);
	assert_int_equal(text_is_safe("a\tb", 3, TEXT_TERMINAL), 0);
	assert_int_equal(text_is_safe("a\0b", 3, TEXT_CSV), 0);
	s = text_dup_safe("\x1b[2J", TEXT_TERMINAL);
	assert_string_equal(s, "?[2J");
	free(s);
}

static void nul_free(void **state)
{
	size_t n = 0;
	char *s;

	(void)state;
	assert_null(text_nul_free("abc", 3, &n));
	s = text_nul_free("a\0b\0", 4, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd", 9);
	free(s);
}

/* error() keeps escape sequences from the input off the terminal. */
static void error_is_safe(void **state)
{
	struct caught got = { 0 };
	struct error_sink old = error_sink_set(
		(struct error_sink){ catch_msg, &got });

	(void)state;
	error("f: no type '%s'", "\x1b[2Jx\ny");
	error_sink_set(old);
	assert_string_equal(got.last, "f: no type '?[2Jx?y'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
		cmocka_unit_test(grow),
		cmocka_unit_test(sink),
		cmocka_unit_test(safe_text),
		cmocka_unit_test(error_is_safe),
		cmocka_unit_test(nul_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

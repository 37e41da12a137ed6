/* Unit tests: size parsing, allocation helpers, the error sink. */
#include "unit.h"

#include "leaky.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
		cmocka_unit_test(grow),
		cmocka_unit_test(sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

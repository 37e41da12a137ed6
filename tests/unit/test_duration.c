/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: durations in leaky's syntax and Go's, and their text. */
#include "unit.h"

#include "base/duration.h"

#define MS ((int64_t)1000000)
#define S ((int64_t)1000000000)

static int go(const char *s, int64_t *ns)
{
	return duration_parse(s, ns, &duration_go);
}

/* leaky's syntax: the collector's settings and options. */
static void leaky_durations(void **state)
{
	static const struct {
		const char *s;
		int64_t ns;
	} good[] = {
		{ "0", 0 }, { "30s", 30 * S }, { "5m", 300 * S },
		{ "2h", 7200 * S }, { "1d", 86400 * S }, { "500ms", 500 * MS },
		{ "1h30m", 5400 * S }, { "1.5s", 1500 * MS }, { "90", 90 * S },
		{ "0.25s", 250 * MS }, { "1m0.5s", 60500 * MS },
		{ "2.5ms", 2500000 }, { "366d", 366 * 86400 * S },
		{ "0.0000000019s", 1 },
	};
	static const char *const bad[] = {
		"", "s", "5x", "-1s", "+1s", "5 s", "1.s2", "10m5", "abc",
		"1e3s", "999999999999999999d", "1000d", "5min", "1us", "1.5.2",
		"367d",
	};
	size_t i;
	int64_t v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -1;
		if (duration_parse(good[i].s, &v, &duration_leaky) < 0 ||
		    v != good[i].ns)
			print_error("'%s': got %lld\n", good[i].s,
				    (long long)v);
		assert_int_equal(duration_parse(good[i].s, &v,
						&duration_leaky), 0);
		assert_int_equal(v, good[i].ns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!duration_parse(bad[i], &v, &duration_leaky))
			print_error("'%s' accepted\n", bad[i]);
		assert_int_equal(duration_parse(bad[i], &v, &duration_leaky),
				 -1);
	}
}

static void go_durations(void **state)
{
	int64_t ns;

	(void)state;
	assert_int_equal(go("10s", &ns), 0);
	assert_int_equal(ns, 10000000000);
	assert_int_equal(go("3m", &ns), 0);
	assert_int_equal(ns, 180000000000);
	assert_int_equal(go("1h30m", &ns), 0);
	assert_int_equal(ns, 5400000000000);
	assert_int_equal(go("500ms", &ns), 0);
	assert_int_equal(ns, 500000000);
	assert_int_equal(go("1.5h", &ns), 0);
	assert_int_equal(ns, 5400000000000);
	assert_int_equal(go("250us", &ns), 0);
	assert_int_equal(ns, 250000);
	assert_int_equal(go("2m3.5s", &ns), 0);
	assert_int_equal(ns, 123500000000);
	assert_int_equal(go("7ns", &ns), 0);
	assert_int_equal(ns, 7);
	assert_int_equal(go("10", &ns), 0);
	assert_int_equal(ns, 10000000000);
	assert_int_equal(go("0", &ns), 0);
	assert_int_equal(ns, 0);
	assert_int_equal(go("", &ns), -1);
	assert_int_equal(go("-1s", &ns), -1);
	assert_int_equal(go("10x", &ns), -1);
	assert_int_equal(go("s", &ns), -1);
	assert_int_equal(go("1s ", &ns), -1);
	assert_int_equal(go("99999999999h", &ns), -1);
	assert_int_equal(go("1e3", &ns), 0);
	assert_int_equal(ns, 1000000000000);
}

/* Where the two syntaxes part. */
static void differences(void **state)
{
	int64_t ns;

	(void)state;
	assert_int_equal(go("1d", &ns), -1);
	assert_int_equal(duration_parse("1us", &ns, &duration_leaky), -1);
	assert_int_equal(go("1\xc2\xb5s", &ns), 0);
	assert_int_equal(ns, 1000);
	assert_int_equal(go("5min", &ns), -1);
	assert_int_equal(go("1000h", &ns), 0);
	assert_int_equal(ns, 3600000 * S);
	/* Go's plain seconds round; leaky's drop what is under 1 ns */
	assert_int_equal(go("0.0000000019", &ns), 0);
	assert_int_equal(ns, 2);
}

static void format(void **state)
{
	char b[DURATION_TEXT_MAX];

	(void)state;
	assert_string_equal(duration_format(300 * S, b), "5m");
	assert_string_equal(duration_format(90 * S, b), "1m30s");
	assert_string_equal(duration_format(1500 * MS, b), "1.5s");
	assert_string_equal(duration_format(50 * MS, b), "50ms");
	assert_string_equal(duration_format(7200 * S, b), "2h");
	assert_string_equal(duration_format(0, b), "0s");
	assert_string_equal(duration_format(-5, b), "0s");
	assert_string_equal(duration_format(1500000, b), "1.5ms");
	assert_string_equal(duration_format(3661 * S + 50 * MS, b),
			    "1h1m1.05s");
	assert_string_equal(duration_format(3600 * S + 500 * MS, b),
			    "1h0.5s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leaky_durations),
		cmocka_unit_test(go_durations),
		cmocka_unit_test(differences),
		cmocka_unit_test(format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

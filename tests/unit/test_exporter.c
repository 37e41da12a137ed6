/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the exposition text the exporter serves, and its address. */
#include "unit.h"

#include "base/buf.h"
#include "collect/collect.h"
#include "collect/settings.h"
#include "fleet/exporter.h"
#include "fleet/exporter_text.h"

#include <math.h>

/* The exposition of one family with one sample, as a string. */
static char *one(int om, enum expo_type type, const char *const *labels,
		 const char *extra, double v)
{
	struct buf b;
	struct expo x;

	buf_init(&b);
	expo_init(&x, &b, om);
	expo_family(&x, "leaky_x", type, "What \"x\" is\\.");
	expo_sample(&x, labels, extra, v);
	expo_end(&x);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

static void text_format(void **state)
{
	const char *l[] = { "target", "api", NULL };
	char *s;

	(void)state;
	s = one(0, EXPO_COUNTER, l, NULL, 3);
	assert_string_equal(s,
		"# HELP leaky_x_total What \"x\" is\\\\.\n"
		"# TYPE leaky_x_total counter\n"
		"leaky_x_total{target=\"api\"} 3\n");
	free(s);
	s = one(0, EXPO_GAUGE, NULL, NULL, 0.25);
	assert_string_equal(s,
		"# HELP leaky_x What \"x\" is\\\\.\n"
		"# TYPE leaky_x gauge\n"
		"leaky_x 0.25\n");
	free(s);
}

static void openmetrics(void **state)
{
	const char *l[] = { "target", "api", NULL };
	char *s;

	(void)state;
	s = one(1, EXPO_COUNTER, l, NULL, 1234567890123);
	assert_string_equal(s,
		"# HELP leaky_x What \\\"x\\\" is\\\\.\n"
		"# TYPE leaky_x counter\n"
		"leaky_x_total{target=\"api\"} 1234567890123\n"
		"# EOF\n");
	free(s);
}

static void escaping(void **state)
{
	const char *l[] = { "target", "a\"b\\c\nd", NULL };
	char *s;

	(void)state;
	s = one(0, EXPO_GAUGE, l, NULL, 1);
	assert_non_null(strstr(s, "leaky_x{target=\"a\\\"b\\\\c\\nd\"} 1\n"));
	free(s);
}

/* The target's own labels, in the manifest's escaped "k=v;k=v" form. */
static void extra_labels(void **state)
{
	const char *l[] = { "target", "api", NULL };
	char *s;

	(void)state;
	s = one(0, EXPO_GAUGE, l, "env=st\\;ag\"e;zone=a\\\\b;target=x;"
		"bad-name=1;__r=2;9=3", 7);
	assert_non_null(strstr(s, "leaky_x{target=\"api\",env=\"st;ag\\\"e\","
			       "zone=\"a\\\\b\"} 7\n"));
	free(s);
	s = one(0, EXPO_GAUGE, NULL, "", 1);
	assert_non_null(strstr(s, "\nleaky_x 1\n"));
	free(s);
	/* A line break in a value (a label found by discovery), as
	 * buf_add_label() writes it, is one again, then escaped. */
	s = one(0, EXPO_GAUGE, l, "note=a\\nb\\rc", 2);
	assert_non_null(strstr(s, "leaky_x{target=\"api\",note=\"a\\nb\rc\"} 2\n"));
	free(s);
}

static void values(void **state)
{
	char *s;

	(void)state;
	s = one(0, EXPO_GAUGE, NULL, NULL, NAN);
	assert_non_null(strstr(s, "\nleaky_x NaN\n"));
	free(s);
	s = one(0, EXPO_GAUGE, NULL, NULL, -INFINITY);
	assert_non_null(strstr(s, "\nleaky_x -Inf\n"));
	free(s);
	s = one(0, EXPO_GAUGE, NULL, NULL, 1796487292.5231302);
	assert_non_null(strstr(s, "\nleaky_x 1796487292.5231302\n"));
	free(s);
	s = one(0, EXPO_GAUGE, NULL, NULL, 0.1);
	assert_non_null(strstr(s, "\nleaky_x 0.1\n"));
	free(s);
}

static void accept_header(void **state)
{
	(void)state;
	assert_false(expo_wants_openmetrics(NULL));
	assert_false(expo_wants_openmetrics("*/*"));
	assert_false(expo_wants_openmetrics("text/plain;version=0.0.4"));
	assert_true(expo_wants_openmetrics(
		"application/openmetrics-text;version=1.0.0,"
		"application/openmetrics-text;version=0.0.1;q=0.75,"
		"text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	assert_true(expo_wants_openmetrics(
		"text/plain, Application/OpenMetrics-Text"));
	assert_false(expo_wants_openmetrics(
		"application/openmetrics-text; q=0, text/plain"));
}

static void bad_addresses(void **state)
{
	static const char *const bad[] = {
		"9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999",
		"127.0.0.1:x", "[::1]9464", "::1:9464",
	};
	struct collect_conf conf;
	char err[EXPORTER_ERR];
	size_t i;

	(void)state;
	collect_conf_init(&conf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(exporter_new(bad[i], &conf, err));
		assert_int_equal(strncmp(err, bad[i], strlen(bad[i])), 0);
	}
	collect_conf_release(&conf);
}

static void port_zero(void **state)
{
	struct collect_conf conf;
	char err[EXPORTER_ERR];
	struct exporter *e;

	(void)state;
	collect_conf_init(&conf);
	e = exporter_new("127.0.0.1:0", &conf, err);
	assert_non_null(e);
	assert_int_equal(strncmp(exporter_url(e), "http://127.0.0.1:", 17),
			 0);
	assert_string_not_equal(exporter_url(e), "http://127.0.0.1:0/metrics");
	exporter_free(e);
	exporter_free(NULL);
	collect_conf_release(&conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_format),
		cmocka_unit_test(openmetrics),
		cmocka_unit_test(escaping),
		cmocka_unit_test(extra_labels),
		cmocka_unit_test(values),
		cmocka_unit_test(accept_header),
		cmocka_unit_test(bad_addresses),
		cmocka_unit_test(port_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

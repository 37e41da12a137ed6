/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: Prometheus HTTP API answers, written from the API's docs. */
#include "unit.h"

#include <math.h>

#include "decode/promjson.h"

static int decode(const char *s, struct promjson_answer *a, char *err)
{
	return promjson_decode(s, strlen(s), a, err, 256);
}

static void matrix(void **state)
{
	static const char *const s =
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		"\"result\":[{\"metric\":{\"__name__\":\"go_goroutines\","
		"\"instance\":\"10.0.0.1:8080\",\"job\":\"api\"},"
		"\"values\":[[1700000000,\"7\"],[1700000015.5,\"8\"],"
		"[1700000030.125,\"NaN\"]]},"
		"{\"metric\":{\"job\":\"db\"},\"values\":[[1700000000,"
		"\"+Inf\"],[1700000015,\"-1e3\"]]}]}}";
	struct promjson_answer a;
	char err[256];

	(void)state;
	assert_int_equal(decode(s, &a, err), 0);
	assert_true(a.success);
	assert_null(a.error);
	assert_int_equal(a.nwarnings, 0);
	assert_string_equal(a.result_type, "matrix");
	assert_int_equal(a.nseries, 2);
	assert_int_equal(a.series[0].nlabels, 3);
	assert_string_equal(promjson_label(&a.series[0], "job"), "api");
	assert_string_equal(promjson_label(&a.series[0], "instance"),
			    "10.0.0.1:8080");
	assert_null(promjson_label(&a.series[0], "pod"));
	assert_int_equal(a.series[0].n, 3);
	assert_true(a.series[0].t[1] == 1700000015.5);
	assert_true(a.series[0].t[2] == 1700000030.125);
	assert_true(a.series[0].v[0] == 7);
	assert_true(a.series[0].v[1] == 8);
	assert_true(isnan(a.series[0].v[2]));
	assert_int_equal(a.series[1].n, 2);
	assert_true(isinf(a.series[1].v[0]) && a.series[1].v[0] > 0);
	assert_true(a.series[1].v[1] == -1000);
	promjson_release(&a);
	promjson_release(&a);	/* zeroed: a no-op */
}

static void vector_and_scalar(void **state)
{
	struct promjson_answer a;
	char err[256];

	(void)state;
	assert_int_equal(decode("{\"status\":\"success\",\"data\":{"
				"\"resultType\":\"vector\",\"result\":[{"
				"\"metric\":{},\"value\":[1.5,\"2\"]}]}}",
				&a, err), 0);
	assert_int_equal(a.nseries, 1);
	assert_int_equal(a.series[0].nlabels, 0);
	assert_int_equal(a.series[0].n, 1);
	assert_true(a.series[0].t[0] == 1.5 && a.series[0].v[0] == 2);
	promjson_release(&a);
	assert_int_equal(decode("{\"status\":\"success\",\"data\":{"
				"\"resultType\":\"scalar\",\"result\":"
				"[1.5,\"2\"]}}", &a, err), 0);
	assert_string_equal(a.result_type, "scalar");
	assert_int_equal(a.nseries, 0);
	promjson_release(&a);
	/* An empty matrix: no series, no error. */
	assert_int_equal(decode("{\"status\":\"success\",\"data\":{"
				"\"resultType\":\"matrix\",\"result\":[]}}",
				&a, err), 0);
	assert_int_equal(a.nseries, 0);
	promjson_release(&a);
}

static void error_envelope(void **state)
{
	struct promjson_answer a;
	char err[256];

	(void)state;
	assert_int_equal(decode("{\"status\":\"error\",\"errorType\":"
				"\"bad_data\",\"error\":\"1:5: parse error: "
				"unexpected character\"}", &a, err), 0);
	assert_false(a.success);
	assert_string_equal(a.error_type, "bad_data");
	assert_string_equal(a.error, "1:5: parse error: unexpected character");
	assert_null(a.result_type);
	promjson_release(&a);
}

static void warnings(void **state)
{
	struct promjson_answer a;
	char err[256];

	(void)state;
	assert_int_equal(decode("{\"status\":\"success\",\"warnings\":"
				"[\"store b unavailable\",\"partial\"],"
				"\"data\":{\"resultType\":\"matrix\","
				"\"result\":[]}}", &a, err), 0);
	assert_true(a.success);
	assert_int_equal(a.nwarnings, 2);
	assert_string_equal(a.warnings[0], "store b unavailable");
	promjson_release(&a);
}

static void targets(void **state)
{
	static const char *const s =
		"{\"status\":\"success\",\"data\":{\"activeTargets\":[{"
		"\"discoveredLabels\":{\"__address__\":\"10.0.0.1:8080\"},"
		"\"labels\":{\"instance\":\"10.0.0.1:8080\",\"job\":"
		"\"api\"},\"scrapePool\":\"api\",\"scrapeUrl\":"
		"\"http://10.0.0.1:8080/metrics\",\"lastError\":\"\","
		"\"health\":\"up\",\"scrapeInterval\":\"15s\"},"
		"{\"labels\":{\"job\":\"db\"},\"health\":\"down\"}],"
		"\"droppedTargets\":[]}}";
	struct promjson_answer a;
	char err[256];

	(void)state;
	assert_int_equal(decode(s, &a, err), 0);
	assert_string_equal(a.result_type, "targets");
	assert_int_equal(a.nseries, 0);
	assert_int_equal(a.ntargets, 2);
	assert_string_equal(promjson_target_label(&a.targets[0], "job"),
			    "api");
	assert_string_equal(a.targets[0].scrape_url,
			    "http://10.0.0.1:8080/metrics");
	assert_string_equal(a.targets[0].scrape_interval, "15s");
	assert_string_equal(a.targets[0].health, "up");
	/* An older server: no scrapeInterval. */
	assert_string_equal(a.targets[1].scrape_interval, "");
	assert_null(promjson_target_label(&a.targets[1], "instance"));
	promjson_release(&a);
	assert_int_equal(decode("{\"status\":\"success\",\"data\":{"
				"\"activeTargets\":[{\"health\":\"up\"}]}}",
				&a, err), -1);
	assert_non_null(strstr(err, "target 0 has no \"labels\""));
}

static void bad(const char *s, const char *want)
{
	struct promjson_answer a;
	char err[256] = "";

	assert_int_equal(decode(s, &a, err), -1);
	if (!strstr(err, want))
		fail_msg("'%s': reason '%s' lacks '%s'", s, err, want);
	assert_int_equal(a.nseries, 0);
	promjson_release(&a);
}

static void bad_answers(void **state)
{
	(void)state;
	bad("<html><body>Not Found</body></html>", "not JSON");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matr",
	    "not JSON");
	bad("", "not JSON: an empty body");
	/* what answers instead of the API, named in a user's words */
	bad("\n<!DOCTYPE html><html><head><TITLE>Sign in</TITLE></head>",
	    "not JSON but an HTML page (\"Sign in\")");
	bad("<html><body>no title", "not JSON but an HTML page");
	bad("upstream is down\nretry later", "not JSON: \"upstream is down\"");
	bad("bad\033]0;title\007", "not JSON: \"bad?]0;title?\"");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":",
	    "not JSON: cut short after 41 bytes");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{},\"values\":[[1,2]]}]}}",
	    "point 0: the value is not a string");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{},\"values\":[[\"1\",\"2\"]]}]}}",
	    "point 0: the time is not a number");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{},\"values\":[[1,\"twelve\"]]}]}}",
	    "point 0: the value \"twelve\" is not a number");
	bad("[1,2]", "\"status\"");
	bad("{\"data\":{}}", "\"status\"");
	bad("{\"status\":\"maybe\"}", "unknown status");
	bad("{\"status\":\"success\"}", "no \"data\"");
	bad("{\"status\":\"success\",\"data\":{\"result\":[]}}",
	    "resultType");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}",
	    "no \"result\"");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"values\":[]}]}}", "result 0 has no \"metric\"");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{\"a\":1},\"values\":[]}]}}",
	    "a label is not a string");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{\"a\":\"b\"}}]}}",
	    "no \"values\"");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{},\"values\":[[1,\"2\"],[2,3]]}]}}",
	    "point 1");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{},\"values\":[[1,\"2x\"]]}]}}",
	    "point 0");
	bad("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
	    "\"result\":[{\"metric\":{},\"value\":[1]}]}}", "\"value\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matrix),
		cmocka_unit_test(vector_and_scalar),
		cmocka_unit_test(error_envelope),
		cmocka_unit_test(warnings),
		cmocka_unit_test(targets),
		cmocka_unit_test(bad_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

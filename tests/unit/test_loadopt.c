/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: leaky load's flag spellings, numbers, headers, methods. */
#include "unit.h"

#include "load/loadopt.h"

#include <getopt.h>

/* A subset of cmd_load.c's table, enough to exercise every rule. */
static const char optstring[] = "n:c:H:d:z:kh";
static const struct option longopts[] = {
	{ "requests", required_argument, NULL, 'n' },
	{ "header", required_argument, NULL, 'H' },
	{ "host", required_argument, NULL, 1 },
	{ "h2", no_argument, NULL, 2 },
	{ "disable-keepalive", no_argument, NULL, 3 },
	{ "disable-redirects", no_argument, NULL, 4 },
	{ "disable-compression", no_argument, NULL, 5 },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void check_argv(char **in, const char *const *want)
{
	struct loadopt_argv a;
	int argc = 0, i;

	while (in[argc])
		argc++;
	loadopt_argv_init(&a, argc, in, optstring, longopts);
	for (i = 0; want[i]; i++) {
		assert_true(i < a.argc);
		assert_string_equal(a.argv[i], want[i]);
	}
	assert_int_equal(a.argc, i);
	assert_null(a.argv[a.argc]);
	loadopt_argv_release(&a);
}

static void go_spellings(void **state)
{
	char *in[] = {
		"load", "-disable-keepalive", "-h2", "-host", "example.com",
		"-n=100", "-c", "5", "-disable-redirects=false",
		"-disable-compression=true", "-disable-nothing", "-dsome-body",
		"-d-x", "http://x/", NULL,
	};
	const char *const want[] = {
		"load", "--disable-keepalive", "--h2", "--host", "example.com",
		"-n100", "-c", "5", "--disable-compression",
		"--disable-nothing", "-dsome-body", "-d-x", "http://x/", NULL,
	};

	(void)state;
	check_argv(in, want);
}

static void values_are_not_rewritten(void **state)
{
	char *in[] = {
		"load", "-H", "-h2", "-d", "-host=x", "--header", "-n=1",
		"--requests", "-disable-keepalive", "-kH", "-h2", "u", NULL,
	};
	const char *const want[] = {
		"load", "-H", "-h2", "-d", "-host=x", "--header", "-n=1",
		"--requests", "-disable-keepalive", "-kH", "-h2", "u", NULL,
	};

	(void)state;
	check_argv(in, want);
}

static void gnu_spellings_pass(void **state)
{
	char *in[] = {
		"load", "--requests=5", "-n5", "-kn", "7", "-h", "--h2",
		"--host=a", "--", "-h2", "-", NULL,
	};
	const char *const want[] = {
		"load", "--requests=5", "-n5", "-kn", "7", "-h", "--h2",
		"--host=a", "--", "-h2", "-", NULL,
	};

	(void)state;
	check_argv(in, want);
}

static void getopt_reads_the_result(void **state)
{
	char *in[] = {
		"load", "-disable-keepalive", "-n=100", "-host", "h.example",
		"-h2", "http://x/", NULL,
	};
	struct loadopt_argv a;
	int c, seen = 0;

	(void)state;
	loadopt_argv_init(&a, 7, in, optstring, longopts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(a.argc, a.argv, optstring, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			assert_string_equal(optarg, "100");
			seen |= 1;
			break;
		case 1:
			assert_string_equal(optarg, "h.example");
			seen |= 2;
			break;
		case 2:
			seen |= 4;
			break;
		case 3:
			seen |= 8;
			break;
		default:
			fail_msg("unexpected option %d", c);
		}
	}
	assert_int_equal(seen, 15);
	assert_int_equal(optind, 6);
	assert_string_equal(a.argv[optind], "http://x/");
	loadopt_argv_release(&a);
}

static void numbers(void **state)
{
	double v;

	(void)state;
	assert_int_equal(loadopt_number("200", &v), 0);
	assert_true(v == 200);
	assert_int_equal(loadopt_number("0.5", &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(loadopt_number("-1", &v), -1);
	assert_int_equal(loadopt_number("1x", &v), -1);
	assert_int_equal(loadopt_number("", &v), -1);
	assert_int_equal(loadopt_number("inf", &v), -1);
	assert_int_equal(loadopt_number("nan", &v), -1);
}

static void headers_checked(void **state)
{
	char why[64];

	(void)state;
	assert_int_equal(loadopt_header_check("A: b", why, sizeof(why)), 0);
	assert_int_equal(loadopt_header_check("X-Y:b", why, sizeof(why)), 0);
	assert_int_equal(loadopt_header_check("Content-Type: a/b; c=d", why,
					      sizeof(why)), 0);
	assert_int_equal(loadopt_header_check("bad", why, sizeof(why)), -1);
	assert_string_equal(why, "want 'Name: value'");
	assert_int_equal(loadopt_header_check(": v", why, sizeof(why)), -1);
	assert_string_equal(why, "empty name");
	assert_int_equal(loadopt_header_check("A:", why, sizeof(why)), -1);
	assert_string_equal(why, "empty value");
	assert_int_equal(loadopt_header_check("A:  \t", why, sizeof(why)),
			 -1);
	assert_int_equal(loadopt_header_check("A B: c", why, sizeof(why)),
			 -1);
	assert_string_equal(why, "bad character in the name");
	assert_int_equal(loadopt_header_check("A: b\r\nC: d", why,
					      sizeof(why)), -1);
	assert_string_equal(why, "line break in the value");
}

static void methods(void **state)
{
	char *m;

	(void)state;
	m = loadopt_method("post");
	assert_string_equal(m, "POST");
	free(m);
	m = loadopt_method("PROPFIND");
	assert_string_equal(m, "PROPFIND");
	free(m);
	assert_null(loadopt_method("GE T"));
	assert_null(loadopt_method(""));
	assert_null(loadopt_method("GET\r\n"));
}

static void check_headers(const struct loadopt_headers *in,
			  const char *const *want)
{
	char **h;
	size_t n, i;

	h = loadopt_headers(in, &n);
	for (i = 0; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(h[i], want[i]);
	}
	assert_int_equal(n, i);
	assert_null(h[n]);
	loadopt_headers_free(h);
}

static void headers_merged_as_hey(void **state)
{
	const char *extra[] = {
		"content-type: application/json", "X-A: 1", "x-a: 2",
		"Accept: text/plain",
	};
	struct loadopt_headers in;

	(void)state;
	memset(&in, 0, sizeof(in));
	{
		const char *const want[] = { NULL };

		check_headers(&in, want);	/* GET: no Content-Type */
	}
	in.has_body = 1;
	{
		const char *const want[] = { "Content-Type: text/html", NULL };

		check_headers(&in, want);	/* hey's default with a body */
	}
	in.content_type = "application/xml";
	in.accept = "*/*";
	in.host = "api.example";
	in.extra = extra;
	in.nextra = 4;
	{
		const char *const want[] = {
			"content-type: application/json", "Accept: text/plain",
			"Host: api.example", "x-a: 2", NULL,
		};

		check_headers(&in, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(go_spellings),
		cmocka_unit_test(values_are_not_rewritten),
		cmocka_unit_test(gnu_spellings_pass),
		cmocka_unit_test(getopt_reads_the_result),
		cmocka_unit_test(numbers),
		cmocka_unit_test(headers_checked),
		cmocka_unit_test(methods),
		cmocka_unit_test(headers_merged_as_hey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

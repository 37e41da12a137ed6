/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: leaky soak's --load SPEC and --load-file lines. */
#include "unit.h"

#include "soak/loadspec.h"

#include <string.h>

static void spec_forms(void **state)
{
	struct loadspec r;
	char err[256];

	(void)state;
	assert_int_equal(loadspec_parse("http://h:1/x", &r, err,
					sizeof(err)), 0);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.url, "http://h:1/x");
	assert_null(r.body_file);
	assert_true(r.weight == 1);
	loadspec_release(&r);

	assert_int_equal(loadspec_parse("  post\thttps://h/in  @ev.json ", &r,
					err, sizeof(err)), 0);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.url, "https://h/in");
	assert_string_equal(r.body_file, "ev.json");
	loadspec_release(&r);

	assert_int_equal(loadspec_parse("PUT /ingest", &r, err, sizeof(err)),
			 0);
	assert_string_equal(r.url, "/ingest");
	assert_int_equal(loadspec_resolve(&r, "http://127.0.0.1:6060"), 0);
	assert_string_equal(r.url, "http://127.0.0.1:6060/ingest");
	loadspec_release(&r);

	assert_int_equal(loadspec_parse("/a", &r, err, sizeof(err)), 0);
	assert_int_equal(loadspec_resolve(&r, "http://h:1/base/"), 0);
	assert_string_equal(r.url, "http://h:1/a");
	loadspec_release(&r);
}

static void spec_errors(void **state)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{ "", "no URL" },
		{ "POST", "no URL" },
		{ "GET localhost:80/", "bad URL 'localhost:80/'" },
		{ "P@ST http://h/", "bad method 'P@ST'" },
		{ "GET http://h/ body.json", "unexpected 'body.json'" },
		{ "GET http://h/ @", "unexpected '@'" },
		{ "GET http://h/ @a @b", "unexpected '@b' after the body" },
		{ "GET http://h/ @a @b c", "too many words" },
		{ "GET http://h/ @a extra", "unexpected 'extra' after the body" },
	};
	struct loadspec r;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (loadspec_parse(bad[i].spec, &r, err, sizeof(err)) != -1 ||
		    !strstr(err, bad[i].why))
			fail_msg("'%s': want -1 and '%s', got '%s'",
				 bad[i].spec, bad[i].why, err);
	}
}

static void file_lines(void **state)
{
	static const char text[] =
		"# requests\n"
		"\n"
		"3 POST /ingest @event.json\n"
		"  0.5 http://h:2/x\r\n"
		"GET http://h:3/ @/abs/body\n"
		"/last";
	struct loadspec *r;
	char err[256];
	int n;

	(void)state;
	n = loadspec_parse_text(text, strlen(text), "soak.conf", "conf", &r,
				err, sizeof(err));
	assert_int_equal(n, 4);
	assert_true(r[0].weight == 3);
	assert_string_equal(r[0].method, "POST");
	assert_string_equal(r[0].url, "/ingest");
	assert_string_equal(r[0].body_file, "conf/event.json");
	assert_true(r[1].weight == 0.5);
	assert_string_equal(r[1].url, "http://h:2/x");
	assert_true(r[2].weight == 1);
	assert_string_equal(r[2].body_file, "/abs/body");
	assert_string_equal(r[3].url, "/last");
	loadspec_free_all(r, (size_t)n);
}

static void file_errors(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "f: no request in it" },
		{ "# only\n\n", "f: no request in it" },
		{ "http://h/\n0 http://h/\n", "f:2: bad weight '0'" },
		{ "-1 http://h/\n", "f:1: bad weight '-1'" },
		{ "2x http://h/\n", "f:1: bad weight '2x'" },
		{ "1e9 http://h/\n", "f:1: bad weight '1e9'" },
		{ "\n\n1 GET\n", "f:3: no URL" },
	};
	struct loadspec *r;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (loadspec_parse_text(bad[i].text, strlen(bad[i].text), "f",
					NULL, &r, err, sizeof(err)) != -1 ||
		    !strstr(err, bad[i].why))
			fail_msg("'%s': want -1 and '%s', got '%s'",
				 bad[i].text, bad[i].why, err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_forms),
		cmocka_unit_test(spec_errors),
		cmocka_unit_test(file_lines),
		cmocka_unit_test(file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: target URLs and the redaction of their secrets. */
#include "unit.h"

#include "collect/collect.h"
#include "collect/settings.h"
#include "collect/url.h"

static void urls(void **state)
{
	struct collect_target t;
	char err[COLLECT_ERR];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(collect_set_url(&t, "http://127.0.0.1:6060", err), 0);
	assert_string_equal(t.base, "http://127.0.0.1:6060/debug/pprof/");
	assert_string_equal(t.host, "127.0.0.1");
	assert_int_equal(t.port, 6060);
	assert_true(t.local);
	assert_null(t.unix_socket);

	assert_int_equal(collect_set_url(&t, "http://Example.com/admin/", err),
			 0);
	assert_string_equal(t.base, "http://Example.com/admin/debug/pprof/");
	assert_string_equal(t.host, "example.com");
	assert_int_equal(t.port, 80);
	assert_false(t.local);

	assert_int_equal(collect_set_url(&t, "https://h:8443/x/debug/pprof/",
					 err), 0);
	assert_string_equal(t.base, "https://h:8443/x/debug/pprof/");
	assert_int_equal(t.port, 8443);

	assert_int_equal(collect_set_url(&t, "https://h", err), 0);
	assert_int_equal(t.port, 443);

	assert_int_equal(collect_set_url(&t, "http://[::1]:7000", err), 0);
	assert_string_equal(t.host, "::1");
	assert_int_equal(t.port, 7000);
	assert_true(t.local);

	assert_int_equal(collect_set_url(&t, "http://localhost:1/", err), 0);
	assert_true(t.local);

	assert_int_equal(collect_set_url(&t,
		"unix:/var/run/docker.sock:http://localhost", err), 0);
	assert_string_equal(t.unix_socket, "/var/run/docker.sock");
	assert_string_equal(t.base, "http://localhost/debug/pprof/");
	assert_true(t.local);

	assert_int_equal(collect_set_url(&t, "ftp://h", err), -1);
	assert_non_null(strstr(err, "http://, https:// or unix:"));
	assert_int_equal(collect_set_url(&t, "http://u:p@h", err), -1);
	assert_non_null(strstr(err, "no credentials"));
	/* The password refused is not shown either, in any message. */
	assert_string_equal(err, "URL 'http://u:***@h': no credentials in "
			    "URLs (they would be logged); use a header");
	assert_int_equal(collect_set_url(&t, "unix:/s:http://admin:secret@h?",
					 err), -1);
	assert_null(strstr(err, "secret"));
	assert_int_equal(collect_set_url(&t, "ftp://admin:secret@h", err),
			 -1);
	assert_null(strstr(err, "secret"));
	assert_int_equal(collect_set_url(&t, "http://h/debug/pprof/heap?x=1",
					 err), -1);
	assert_non_null(strstr(err, "no query"));
	assert_int_equal(collect_set_url(&t, "http://h:0", err), -1);
	assert_non_null(strstr(err, "bad port"));
	assert_int_equal(collect_set_url(&t, "http://h:99999", err), -1);
	assert_int_equal(collect_set_url(&t, "http://:80", err), -1);
	assert_non_null(strstr(err, "bad host"));
	assert_int_equal(collect_set_url(&t, "unix:/s.sock", err), -1);
	assert_non_null(strstr(err, "unix:/PATH/TO.sock:http://"));
	/* The last good URL is kept after a bad one. */
	assert_string_equal(t.url,
			    "unix:/var/run/docker.sock:http://localhost");
	collect_target_release(&t);
}

static void redaction(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "http://h:1/x", "http://h:1/x" },
		{ "http://admin:secret@host/", "http://admin:***@host/" },
		{ "https://token@host", "https://***@host" },
		{ "unix:/s.sock:http://a:b@c", "unix:/s.sock:http://a:***@c" },
		{ "x=http://a:b@c,y", "x=http://a:***@c,y" },
		/* an '@' in the path is not userinfo */
		{ "http://h/a@b", "http://h/a@b" },
		/* a password with '@' in it: up to the last one */
		{ "http://u:p@ss@h/", "http://u:***@h/" },
		{ "to http://a:b@c and ftp://d:e@f", "to http://a:***@c and "
		  "ftp://d:***@f" },
		{ "no url", "no url" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = collect_redact(cases[i].in);

		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urls),
		cmocka_unit_test(redaction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

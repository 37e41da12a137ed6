/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: targets found by discovery made collect targets. */
#include "unit.h"

#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/found.h"
#include "collect/settings.h"

#include <string.h>

static void names(void **state)
{
	char *n;

	(void)state;
	n = found_name("api", "10.0.0.7:8080");
	assert_string_equal(n, "api_10-0-0-7-8080");
	free(n);
	n = found_name("", "[::1]:9090");
	assert_string_equal(n, "x--1--9090");
	free(n);
	n = found_name(NULL, "web-1.example:80");
	assert_string_equal(n, "web-1-example-80");
	free(n);
	/* Long names are cut and marked by a hash of the whole, so that
	 * two that share their first 55 characters stay apart. */
	{
		char *a = found_name("a-very-long-job-name-for-testing",
				     "host-with-a-long-name.example.org:1");
		char *b = found_name("a-very-long-job-name-for-testing",
				     "host-with-a-long-name.example.org:2");
		char err[COLLECT_ERR];

		assert_int_equal(strlen(a), 64);
		assert_string_not_equal(a, b);
		assert_int_equal(collect_check_name(a, err), 0);
		free(a);
		free(b);
	}
}

/* A conf as collect_conf_finish() leaves it, with discovery on. */
static void conf_for(struct collect_conf *c)
{
	char err[COLLECT_ERR];

	collect_conf_init(c);
	c->targets_from = xstrdup("http://127.0.0.1:9090");
	assert_int_equal(collect_conf_finish(c, err), 0);
}

static void targets(void **state)
{
	char *names[] = { "instance", "job", "note", NULL };
	char *values[] = { "10.0.0.7:8080", "api", "a;b=c", NULL };
	struct found f = {
		.address = "10.0.0.7:8080", .job = "api",
		.instance = "10.0.0.7:8080", .names = names,
		.values = values, .nlabels = 3, .origin = "targets of P",
	};
	struct collect_conf c;
	struct collect_target t;
	char err[COLLECT_ERR];

	(void)state;
	conf_for(&c);
	assert_int_equal(collect_target_found(&c, &f, &t, err), 0);
	assert_string_equal(t.name, "api_10-0-0-7-8080");
	assert_string_equal(t.url, "http://10.0.0.7:8080");
	assert_string_equal(t.base, "http://10.0.0.7:8080/debug/pprof/");
	assert_string_equal(t.labels,
			    "instance=10.0.0.7:8080;job=api;note=a\\;b\\=c");
	assert_string_equal(t.origin, "targets of P");
	/* Remote: no process memory, the other default kinds. */
	assert_int_equal(t.local, 0);
	assert_int_equal(t.kinds & CK_MEMORY, 0);
	assert_true(t.kinds & CK_BIT(CK_HEAP));
	collect_target_release(&t);

	/* The conf's port and path. */
	c.pprof_port = 6060;
	c.pprof_path = xstrdup("/admin/pprof");
	f.scheme = "https";
	assert_int_equal(collect_target_found(&c, &f, &t, err), 0);
	assert_string_equal(t.base, "https://10.0.0.7:6060/admin/pprof/");
	collect_target_release(&t);

	/* The target's own labels win over the conf's. */
	names[2] = "leaky_pprof_port";
	values[2] = "7070";
	names[3] = "leaky_pprof_path";
	values[3] = "/debug/pprof";
	f.nlabels = 4;
	f.address = "[::1]:9090";
	assert_int_equal(collect_target_found(&c, &f, &t, err), 0);
	assert_string_equal(t.base, "https://[::1]:7070/debug/pprof/");
	assert_int_equal(t.local, 1);
	collect_target_release(&t);

	/* Bad ones: a port out of range, a scheme, a relative path. */
	values[2] = "70000";
	assert_int_equal(collect_target_found(&c, &f, &t, err), -1);
	assert_non_null(strstr(err, "targets of P: target [::1]:9090: bad "
			       "leaky_pprof_port '70000'"));
	values[2] = "7070";
	f.scheme = "ftp";
	assert_int_equal(collect_target_found(&c, &f, &t, err), -1);
	assert_non_null(strstr(err, "scheme 'ftp'"));
	f.scheme = NULL;
	values[3] = "debug";
	assert_int_equal(collect_target_found(&c, &f, &t, err), -1);
	assert_non_null(strstr(err, "bad pprof path 'debug'"));
	collect_conf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

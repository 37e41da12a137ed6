/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the -t NAME=URL[,key=value...] spec. */
#include "unit.h"

#include "collect/collect.h"
#include "collect/settings.h"
#include "collect/spec.h"

#define S ((int64_t)1000000000)

static void specs(void **state)
{
	struct collect_target t;
	char err[COLLECT_ERR];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(collect_parse_spec(&t,
		"api=http://127.0.0.1:6060,pid=4242,profiles=heap+memory,gc,"
		"seconds=5,interval=30s,timeout=2s", err), 0);
	assert_string_equal(t.name, "api");
	assert_string_equal(t.url, "http://127.0.0.1:6060");
	assert_int_equal(t.pid, 4242);
	assert_int_equal(t.kinds, CK_BIT(CK_HEAP) | CK_MEMORY);
	assert_true(t.gc);
	assert_int_equal(t.seconds, 5);
	assert_int_equal(t.interval_ns, 30 * S);
	assert_int_equal(t.timeout_ns, 2 * S);
	assert_int_equal(t.set, CT_SET_KINDS | CT_SET_GC | CT_SET_SECONDS);
	assert_string_equal(t.origin,
		"-t 'api=http://127.0.0.1:6060,pid=4242,profiles=heap+memory,"
		"gc,seconds=5,interval=30s,timeout=2s'");
	collect_target_release(&t);

	assert_int_equal(collect_parse_spec(&t,
		"my_svc-2=unix:/run/s.sock:http://x,pidfile=/run/x.pid,"
		"process=svc,gc=no", err), 0);
	assert_string_equal(t.name, "my_svc-2");
	assert_string_equal(t.unix_socket, "/run/s.sock");
	assert_string_equal(t.pidfile, "/run/x.pid");
	assert_string_equal(t.process, "svc");
	assert_false(t.gc);
	collect_target_release(&t);

	/* A refused password is shown in no message. */
	assert_int_equal(collect_parse_spec(&t,
		"u=http://admin:secret@h/,pid=1", err), -1);
	assert_string_equal(err, "-t 'u=http://admin:***@h/,pid=1': URL "
			    "'http://admin:***@h/': no credentials in URLs "
			    "(they would be logged); use a header");
	collect_target_release(&t);
	assert_int_equal(collect_parse_spec(&t,
		"u=http://tok@h:1,pid=x", err), -1);
	assert_null(strstr(err, "tok"));
	collect_target_release(&t);

#define BAD(spec, want) do { \
		assert_int_equal(collect_parse_spec(&t, spec, err), -1); \
		if (!strstr(err, want)) \
			print_error("'%s': %s\n", spec, err); \
		assert_non_null(strstr(err, want)); \
		collect_target_release(&t); \
	} while (0)
	BAD("http://127.0.0.1:6060", "expected NAME=URL");
	BAD("=http://h", "expected NAME=URL");
	BAD("a.b=http://h", "bad target name 'a.b'");
	BAD("-x=http://h", "bad target name");
	BAD("api=gopher://h", "http://, https:// or unix:");
	BAD("api=http://h,pid=x", "bad pid 'x'");
	BAD("api=http://h,pid=0", "bad pid '0'");
	BAD("api=http://h,color=red", "unknown target option 'color'");
	BAD("api=http://h,profiles=heap+cpu", "unknown profile 'cpu'");
	BAD("api=http://h,interval=soon", "bad interval 'soon'");
	BAD("api=http://h,pidfile", "'pidfile' needs a value");
	BAD("api=http://h,gc=maybe", "bad gc 'maybe'");
#undef BAD
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

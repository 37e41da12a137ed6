/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: limits files (NAME_UNIX.limits), writing and decoding. */
#include "unit.h"

#include "base/buf.h"
#include "base/leaky.h"
#include "decode/memlimit.h"
#include "decode/sniff.h"

/* The first message error() sent while a parse ran. */
static char msg[512];

static void keep_msg(void *data, const char *m)
{
	(void)data;
	if (!msg[0])
		snprintf(msg, sizeof(msg), "%s", m);
}

static int parse(const char *text, struct memlimit *m)
{
	struct error_sink old;
	int rc;

	msg[0] = '\0';
	old = error_sink_set((struct error_sink){ keep_msg, NULL });
	rc = memlimit_parse("t", text, strlen(text), m);
	error_sink_set(old);
	return rc;
}

static void expect_error(const char *text, const char *want)
{
	struct memlimit m;

	assert_int_equal(parse(text, &m), -1);
	if (!strstr(msg, want))
		print_error("message '%s' lacks '%s'\n", msg, want);
	assert_non_null(strstr(msg, want));
}

static void decode(void **state)
{
	struct memlimit m;

	(void)state;
	assert_int_equal(parse("# leaky limits: pid 4242\n"
			       "cgroup v2 /system.slice/shop.service\n"
			       "limit 268435456 memory.max /system.slice\n"
			       "usage 104857600 memory.current\n"
			       "oom_kill 3 memory.events\n"
			       "gomemlimit 67108864\n", &m), 0);
	assert_int_equal(m.pid, 4242);
	assert_int_equal(m.cgroup, 2);
	assert_int_equal(m.limit, 268435456);
	assert_string_equal(m.limit_file, "memory.max");
	assert_int_equal(m.usage, 104857600);
	assert_int_equal(m.oom_kills, 3);
	assert_string_equal(m.oom_file, "memory.events");
	assert_int_equal(m.gomemlimit, 67108864);
	/* No cgroup, no limit; unknowns; a later collector's key. */
	assert_int_equal(parse("# leaky limits: pid 7\ncgroup none\n"
			       "limit none\nusage unknown\n"
			       "oom_kill unknown\ngomemlimit unknown\n"
			       "swap 0 memory.swap.max\n", &m), 0);
	assert_int_equal(m.cgroup, 0);
	assert_int_equal(m.limit, MEMLIMIT_NONE);
	assert_int_equal(m.usage, MEMLIMIT_UNKNOWN);
	assert_int_equal(m.oom_kills, MEMLIMIT_UNKNOWN);
	assert_int_equal(m.gomemlimit, MEMLIMIT_UNKNOWN);
}

static void round_trip(void **state)
{
	struct memlimit in = { .pid = 9, .cgroup = 1, .limit = 1 << 20,
			       .limit_file = "memory.limit_in_bytes",
			       .usage = 4096, .oom_kills = 0,
			       .oom_file = "memory.oom_control",
			       .gomemlimit = MEMLIMIT_NONE }, out;
	struct buf b;

	(void)state;
	buf_init(&b);
	memlimit_format(&b, &in, "/a b/c\n", "/a b");
	buf_add(&b, "", 1);
	assert_int_equal(sniff(b.data, b.len - 1), SNIFF_LIMITS);
	assert_non_null(strstr((char *)b.data, "cgroup v1 /a b/c\\x0a\n"));
	assert_non_null(strstr((char *)b.data, "limit 1048576 "
			       "memory.limit_in_bytes /a b\n"));
	assert_non_null(strstr((char *)b.data, "usage 4096 "
			       "memory.usage_in_bytes\n"));
	assert_non_null(strstr((char *)b.data, "gomemlimit none\n"));
	assert_int_equal(parse((char *)b.data, &out), 0);
	assert_int_equal(out.pid, 9);
	assert_int_equal(out.cgroup, 1);
	assert_int_equal(out.limit, 1 << 20);
	assert_string_equal(out.limit_file, "memory.limit_in_bytes");
	assert_int_equal(out.usage, 4096);
	assert_int_equal(out.oom_kills, 0);
	assert_int_equal(out.gomemlimit, MEMLIMIT_NONE);
	/* No limit: no source path. */
	in.limit = MEMLIMIT_NONE;
	in.cgroup = 2;
	b.len = 0;
	memlimit_format(&b, &in, "/", "");
	buf_add(&b, "", 1);
	assert_non_null(strstr((char *)b.data, "\nlimit none "
			       "memory.limit_in_bytes\n"));
	buf_release(&b);
}

static void gomemlimit(void **state)
{
	static const struct {
		const char *s;
		int64_t v;
	} good[] = {
		{ "1024", 1024 }, { "1024B", 1024 }, { "64MiB", 64 << 20 },
		{ "2GiB", (int64_t)2 << 30 }, { "1KiB", 1024 },
		{ "3TiB", (int64_t)3 << 40 }, { "off", MEMLIMIT_NONE },
	};
	static const char *const bad[] = {
		"", "64MB", "64 MiB", "-1", "1.5GiB", "MiB", "99999999TiB",
	};
	size_t i;
	int64_t v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(memlimit_parse_go(good[i].s, strlen(good[i].s),
						   &v), 0);
		assert_int_equal(v, good[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(memlimit_parse_go(bad[i], strlen(bad[i]), &v),
				 -1);
}

static void bad(void **state)
{
	(void)state;
	expect_error("", "t: empty file");
	expect_error("limit 5\n", "not a leaky limits file");
	expect_error("# leaky limits: pod 5\nlimit 5\n", "t:1: a limits "
		     "header must be");
	expect_error("# leaky limits: pid 0\nlimit 5\n", "t:1:");
	expect_error("# leaky limits: pid 5\nusage 5\n", "no 'limit' line");
	expect_error("# leaky limits: pid 5\nlimit five\n", "t:2: 'limit' "
		     "must be followed by a number of bytes, none or unknown");
	expect_error("# leaky limits: pid 5\nlimit 5\nusage none\n",
		     "t:3: 'usage' must be followed by a number of bytes or "
		     "unknown");
	expect_error("# leaky limits: pid 5\ncgroup v3\nlimit 5\n",
		     "t:2: cgroup must be v1, v2 or none");
	expect_error("# leaky limits: pid 5\nlimit 5", "truncated limits "
		     "file");
	expect_error("# leaky limits: pid 5\n\nlimit 5\n", "t:2: an empty "
		     "line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(gomemlimit),
		cmocka_unit_test(bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: descriptor lists, their types, escaping, header and decoding. */
#include "unit.h"

#include "base/buf.h"
#include "base/leaky.h"
#include "decode/fds.h"
#include "decode/sniff.h"

/* The first message error() sent while a parse ran. */
static char msg[512];

static void keep_msg(void *data, const char *m)
{
	(void)data;
	if (!msg[0])
		snprintf(msg, sizeof(msg), "%s", m);
}

static int parse(const char *text, size_t len, struct fds_snapshot *s)
{
	struct error_sink old;
	int rc;

	msg[0] = '\0';
	old = error_sink_set((struct error_sink){ keep_msg, NULL });
	rc = fds_parse("t", text, len, s);
	error_sink_set(old);
	return rc;
}

static int parse_fixture(const char *rel, struct fds_snapshot *s)
{
	struct buf b;
	int rc;

	buf_init(&b);
	assert_int_equal(buf_read_file(&b, unit_fixture(rel), 1 << 20, NULL),
			 0);
	assert_int_equal(sniff(b.data, b.len), SNIFF_FDS);
	rc = parse((const char *)b.data, b.len, s);
	buf_release(&b);
	return rc;
}

static void expect_error(const char *text, const char *want)
{
	struct fds_snapshot s;

	assert_int_equal(parse(text, strlen(text), &s), -1);
	if (!strstr(msg, want))
		print_error("message '%s' lacks '%s'\n", msg, want);
	assert_non_null(strstr(msg, want));
}

static void types(void **state)
{
	static const struct {
		const char *link;
		enum fds_type t;
	} cases[] = {
		{ "socket:[2527550]", FDS_SOCKET },
		{ "pipe:[2527549]", FDS_PIPE },
		{ "anon_inode:[eventpoll]", FDS_ANON_INODE },
		{ "anon_inode:[eventfd]", FDS_ANON_INODE },
		{ "/dev/null", FDS_FILE },
		{ "/var/log/x.log (deleted)", FDS_FILE },
		{ "/memfd:jit (deleted)", FDS_FILE },
		{ "net:[4026531840]", FDS_OTHER },
		{ "socket", FDS_OTHER },
		{ "", FDS_OTHER },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fds_type_of(cases[i].link,
					     strlen(cases[i].link)),
				 cases[i].t);
	assert_string_equal(fds_type_name(FDS_ANON_INODE), "anon_inode");
	assert_string_equal(fds_type_name(FDS_OTHER), "other");
}

static void escape(void **state)
{
	/* A path may hold any byte but NUL and '/' in a name. */
	static const char path[] = "/a\nb\\c\x7f\x01 d\xc3\xa9\t";
	struct buf b;

	(void)state;
	buf_init(&b);
	fds_escape(&b, path, sizeof(path) - 1);
	buf_add(&b, "", 1);
	assert_string_equal((char *)b.data,
			    "/a\\x0ab\\x5cc\\x7f\\x01 d\xc3\xa9\\x09");
	b.len = 0;
	fds_escape(&b, "plain", 5);
	buf_add(&b, "", 1);
	assert_string_equal((char *)b.data, "plain");
	buf_release(&b);
}

/* The header the collector writes is the one the decoder reads. */
static void round_trip(void **state)
{
	struct fds_snapshot w = { .pid = 4242, .open = 6, .listed = 2,
				  .count = { 3, 1, 1, 1, 0 } }, r;
	struct buf b;

	(void)state;
	buf_init(&b);
	fds_header(&b, &w);
	buf_addstr(&b, "0 /dev/null\n3 socket:[1]\n");
	buf_add(&b, "", 1);
	assert_string_equal((char *)b.data,
			    "# leaky fds: pid 4242, open 6, listed 2, "
			    "socket 3, pipe 1, anon_inode 1, file 1, other 0\n"
			    "0 /dev/null\n3 socket:[1]\n");
	assert_int_equal(sniff(b.data, b.len - 1), SNIFF_FDS);
	assert_int_equal(parse((char *)b.data, b.len - 1, &r), 0);
	/* without threads in the header, the decoder says none (-1) */
	w.threads = -1;
	assert_memory_equal(&r, &w, sizeof(r));
	/* with them, they come back */
	w.threads = 9;
	b.len = 0;
	fds_header(&b, &w);
	buf_addstr(&b, "0 /dev/null\n3 socket:[1]\n");
	buf_add(&b, "", 1);
	assert_non_null(strstr((char *)b.data, ", other 0, threads 9\n"));
	assert_int_equal(parse((char *)b.data, b.len - 1, &r), 0);
	assert_int_equal(r.threads, 9);
	buf_release(&b);
}

static void fixtures(void **state)
{
	static const struct {
		const char *rel, *msg;
	} bad[] = {
		{ "fds/truncated.fds", "t: truncated fds list: 2 of the 3 "
		  "descriptors listed (cut at line 3)" },
		{ "fds/cutline.fds", "t: truncated fds list: its last line "
		  "has no end (cut at line 4)" },
		{ "fds/badsum.fds", "t:1: the counts by type add up to 3, not "
		  "the 9 open" },
		{ "fds/garbage.fds", "t:1: 'garbage' in the fds header has no "
		  "number" },
	};
	struct fds_snapshot s;
	size_t i;

	(void)state;
	assert_int_equal(parse_fixture("fds/lab_1796494884.fds", &s), 0);
	assert_int_equal(s.pid, 24021);
	assert_int_equal(s.open, 45);
	assert_int_equal(s.listed, 45);
	assert_int_equal(s.count[FDS_PIPE], 35);
	assert_int_equal(s.count[FDS_SOCKET], 5);
	assert_int_equal(s.count[FDS_ANON_INODE], 1);
	assert_int_equal(s.count[FDS_FILE], 4);
	assert_int_equal(parse_fixture("fds/capped_1796494900.fds", &s), 0);
	assert_int_equal(s.open, 5);
	assert_int_equal(s.listed, 2);
	assert_int_equal(parse_fixture("fds/escaped_1796494901.fds", &s), 0);
	assert_int_equal(s.count[FDS_OTHER], 1);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_fixture(bad[i].rel, &s), -1);
		assert_string_equal(msg, bad[i].msg);
	}
}

static void bad(void **state)
{
	static const char head[] = "# leaky fds: pid 7, open 1, listed 1, "
				   "socket 0, pipe 0, anon_inode 0, file 1, "
				   "other 0\n";
	char text[512];

	(void)state;
	expect_error("", "t: empty file");
	expect_error("0 /dev/null\n", "t: not a leaky fds list");
	expect_error("# leaky fds: pid 7", "no end to its header");
	expect_error("# leaky fds: pid 7, open 1\n",
		     "t:1: the fds header has no 'socket' count");
	expect_error("# leaky fds: pid 7 open 1\n",
		     "fields must be separated by ','");
	expect_error("# leaky fds: pid 7, pid 8\n", "t:1: 'pid' twice");
	expect_error("# leaky fds: pid 99999999999999999999\n",
		     "has no number");
	expect_error("# leaky fds: pid 0, open 0, listed 0, socket 0, "
		     "pipe 0, anon_inode 0, file 0, other 0\n",
		     "pid 0 is not a process");
	expect_error("# leaky fds: pid 1, open 1, listed 2, socket 0, "
		     "pipe 0, anon_inode 0, file 1, other 0\n",
		     "2 listed of 1 open");
	expect_error("# leaky fds: pid 1, open 9223372036854775807, listed 0, "
		     "socket 9223372036854775807, pipe 1, anon_inode 0, "
		     "file 0, other 0\n", "add up beyond 2^63");
	snprintf(text, sizeof(text), "%s0 /dev/null\n1 /dev/null\n", head);
	expect_error(text, "t:3: more lines than the 1 the header lists");
	snprintf(text, sizeof(text), "%sx /dev/null\n", head);
	expect_error(text, "t:2: not a descriptor line");
	snprintf(text, sizeof(text), "%s0 \n", head);
	expect_error(text, "t:2: not a descriptor line");
	snprintf(text, sizeof(text), "%s0 /a\x01\n", head);
	expect_error(text, "t:2: not a descriptor line");
	/* A later collector's extra key is passed over. */
	snprintf(text, sizeof(text), "# leaky fds: pid 7, open 1, listed 1, "
		 "socket 0, pipe 0, anon_inode 0, file 1, other 0, "
		 "memfd 0\n0 /dev/null\n");
	{
		struct fds_snapshot s;

		assert_int_equal(parse(text, strlen(text), &s), 0);
		assert_int_equal(s.open, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(types),
		cmocka_unit_test(escape),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(fixtures),
		cmocka_unit_test(bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

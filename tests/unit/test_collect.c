/* Unit tests: collect's pure parts (specs, durations, schedule, rows...). */
#include "unit.h"

#include <unistd.h>

#include "base/buf.h"
#include "collect/collect.h"
#include "collect/manifest.h"
#include "collect/schedule.h"
#include "collect/settings.h"
#include "collect/spec.h"
#include "collect/url.h"
#include "collect/validate.h"
#include "out/csvout.h"

#define MS ((int64_t)1000000)
#define S ((int64_t)1000000000)

/* The repository root, from this file's path, for fixtures. */
static char *fixture(const char *rel)
{
	static char path[4096];
	const char *f = __FILE__, *cut = strstr(f, "tests/unit/");
	int n = cut ? (int)(cut - f) : 0;

	snprintf(path, sizeof(path), "%.*stests/fixtures/%s", n, f, rel);
	return path;
}

static void read_fixture(struct buf *b, const char *rel)
{
	buf_init(b);
	assert_int_equal(buf_read_file(b, fixture(rel), 1 << 26, NULL), 0);
}

static void durations(void **state)
{
	static const struct {
		const char *s;
		int64_t ns;
	} good[] = {
		{ "0", 0 }, { "30s", 30 * S }, { "5m", 300 * S },
		{ "2h", 7200 * S }, { "1d", 86400 * S }, { "500ms", 500 * MS },
		{ "1h30m", 5400 * S }, { "1.5s", 1500 * MS }, { "90", 90 * S },
		{ "0.25s", 250 * MS }, { "1m0.5s", 60500 * MS },
		{ "2.5ms", 2500000 },
	};
	static const char *const bad[] = {
		"", "s", "5x", "-1s", "5 s", "1.s2", "10m5", "abc", "1e3s",
		"999999999999999999d", "1000d",
	};
	size_t i;
	int64_t v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -1;
		if (collect_parse_duration(good[i].s, &v) < 0 ||
		    v != good[i].ns)
			print_error("'%s': got %lld\n", good[i].s,
				    (long long)v);
		assert_int_equal(collect_parse_duration(good[i].s, &v), 0);
		assert_int_equal(v, good[i].ns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!collect_parse_duration(bad[i], &v))
			print_error("'%s' accepted\n", bad[i]);
		assert_int_equal(collect_parse_duration(bad[i], &v), -1);
	}
}

static void format_durations(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(collect_format_duration(300 * S, b), "5m");
	assert_string_equal(collect_format_duration(90 * S, b), "1m30s");
	assert_string_equal(collect_format_duration(1500 * MS, b), "1.5s");
	assert_string_equal(collect_format_duration(50 * MS, b), "50ms");
	assert_string_equal(collect_format_duration(7200 * S, b), "2h");
	assert_string_equal(collect_format_duration(0, b), "0s");
}

static void free_target(struct collect_target *t)
{
	struct collect_conf c;

	/* Released through a conf that owns just this one target. */
	memset(&c, 0, sizeof(c));
	c.targets = malloc(sizeof(*t));
	memcpy(c.targets, t, sizeof(*t));
	c.ntargets = 1;
	collect_conf_release(&c);
	memset(t, 0, sizeof(*t));
}

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
	free_target(&t);
}

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
	free_target(&t);

	assert_int_equal(collect_parse_spec(&t,
		"my_svc-2=unix:/run/s.sock:http://x,pidfile=/run/x.pid,"
		"process=svc,gc=no", err), 0);
	assert_string_equal(t.name, "my_svc-2");
	assert_string_equal(t.unix_socket, "/run/s.sock");
	assert_string_equal(t.pidfile, "/run/x.pid");
	assert_string_equal(t.process, "svc");
	assert_false(t.gc);
	free_target(&t);

	/* A refused password is shown in no message. */
	assert_int_equal(collect_parse_spec(&t,
		"u=http://admin:secret@h/,pid=1", err), -1);
	assert_string_equal(err, "-t 'u=http://admin:***@h/,pid=1': URL "
			    "'http://admin:***@h/': no credentials in URLs "
			    "(they would be logged); use a header");
	free_target(&t);
	assert_int_equal(collect_parse_spec(&t,
		"u=http://tok@h:1,pid=x", err), -1);
	assert_null(strstr(err, "tok"));
	free_target(&t);

#define BAD(spec, want) do { \
		assert_int_equal(collect_parse_spec(&t, spec, err), -1); \
		if (!strstr(err, want)) \
			print_error("'%s': %s\n", spec, err); \
		assert_non_null(strstr(err, want)); \
		free_target(&t); \
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

static void kinds(void **state)
{
	char err[COLLECT_ERR];
	unsigned m;

	(void)state;
	assert_int_equal(collect_parse_kinds("heap,goroutine.txt", ',', &m,
					     err), 0);
	assert_int_equal(m, CK_BIT(CK_HEAP) | CK_BIT(CK_GOROUTINE_TEXT));
	assert_int_equal(collect_parse_kinds("default", ',', &m, err), 0);
	assert_int_equal(m, CK_DEFAULT);
	assert_int_equal(collect_parse_kinds("memory+status", '+', &m, err), 0);
	assert_int_equal(m, CK_MEMORY);
	assert_int_equal(collect_parse_kinds("all", ',', &m, err), 0);
	assert_int_equal(m, (1u << CK_NKINDS) - 1);
	assert_int_equal(collect_parse_kinds("heap,,x", ',', &m, err), -1);
	assert_non_null(strstr(err, "empty profile name"));
	assert_int_equal(collect_parse_kinds("heap.pb.gz", ',', &m, err), -1);
	assert_non_null(strstr(err, "unknown profile 'heap.pb.gz'"));
}

static void kind_urls_and_names(void **state)
{
	struct collect_target t;
	char err[COLLECT_ERR], *s;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(collect_set_url(&t, "http://h:1/p", err), 0);
	s = collect_kind_url(&t, CK_HEAP);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap");
	free(s);
	t.gc = 1;
	t.seconds = 30;
	s = collect_kind_url(&t, CK_HEAP);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap?gc=1&seconds=30");
	free(s);
	s = collect_kind_url(&t, CK_HEAP_TEXT);
	assert_string_equal(s, "http://h:1/p/debug/pprof/heap?debug=1&gc=1");
	free(s);
	/* debug=2 and seconds do not mix; goroutines take no gc. */
	s = collect_kind_url(&t, CK_GOROUTINE_TEXT);
	assert_string_equal(s, "http://h:1/p/debug/pprof/goroutine?debug=2");
	free(s);
	s = collect_kind_url(&t, CK_GOROUTINE);
	assert_string_equal(s, "http://h:1/p/debug/pprof/goroutine?seconds=30");
	free(s);
	free_target(&t);

	s = collect_file_name("api", 1700000000, CK_HEAP, 0);
	assert_string_equal(s, "profiles/api_1700000000.heap.pb.gz");
	free(s);
	s = collect_file_name("api", 1700000000, CK_HEAP_TEXT, 2);
	assert_string_equal(s, "profiles/api_1700000000.2.heap.txt");
	free(s);
	s = collect_file_name("a_b", 1, CK_GOROUTINE_TEXT, 0);
	assert_string_equal(s, "goroutines/a_b_1.goroutine.txt");
	free(s);
	s = collect_file_name("db", 5, CK_SMAPS_ROLLUP, 0);
	assert_string_equal(s, "pmaps/db_5.smaps_rollup");
	free(s);
	s = collect_file_name("db", 5, CK_PMAP, 1);
	assert_string_equal(s, "pmaps/db_5.1.pmap");
	free(s);
}

static void offsets(void **state)
{
	int64_t a, b;
	char name[16];
	int i, spread_ok = 0;

	(void)state;
	a = collect_offset("api", 300 * S, 1);
	b = collect_offset("api", 300 * S, 1);
	assert_int_equal(a, b);
	assert_true(a >= 0 && a < 300 * S);
	assert_int_equal(a % MS, 0);
	assert_int_equal(collect_offset("api", 300 * S, 0), 0);
	/* Different names land at different places over the interval. */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		a = collect_offset(name, 10 * S, 1);
		assert_true(a >= 0 && a < 10 * S);
		if (a != collect_offset("t0", 10 * S, 1))
			spread_ok++;
	}
	assert_true(spread_ok > 90);
}

static void spread_needs_two(void **state)
{
	struct collect_conf c;

	(void)state;
	collect_conf_init(&c);
	collect_conf_add_default_target(&c);
	/* A lone target has nothing to be spread from: it starts at once. */
	assert_false(collect_spreads(&c));
	collect_conf_add(&c)->name = strdup("b");
	assert_true(collect_spreads(&c));
	c.spread = 0;
	assert_false(collect_spreads(&c));
	collect_conf_release(&c);
}

static void schedule(void **state)
{
	int64_t base = 1000 * S, ivl = 10 * S, slot = -1, missed = -1;

	(void)state;
	assert_int_equal(collect_due(base, ivl, 0), base);
	assert_int_equal(collect_due(base, ivl, 100000), base + 100000 * ivl);
	/* Not yet due. */
	assert_int_equal(collect_sched_step(base, ivl, 0, base - 1, &slot,
					    &missed), 0);
	/* Due exactly, and a little late: that slot, nothing missed. */
	assert_int_equal(collect_sched_step(base, ivl, 0, base, &slot,
					    &missed), 1);
	assert_int_equal(slot, 0);
	assert_int_equal(missed, 0);
	assert_int_equal(collect_sched_step(base, ivl, 3, base + 3 * ivl +
					    ivl - 1, &slot, &missed), 1);
	assert_int_equal(slot, 3);
	assert_int_equal(missed, 0);
	/* Late by more than an interval (stopped, overloaded): the latest
	 * due slot runs, the ones before it are missed. */
	assert_int_equal(collect_sched_step(base, ivl, 3, base + 7 * ivl + 5,
					    &slot, &missed), 1);
	assert_int_equal(slot, 7);
	assert_int_equal(missed, 4);
	/* Fixed rate: a slow slot does not shift the next one. */
	assert_int_equal(collect_sched_step(base, ivl, 8, base + 8 * ivl - 1,
					    &slot, &missed), 0);
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

static void conf_checks(void **state)
{
	struct collect_conf c;
	struct collect_target *t;
	char err[COLLECT_ERR];

	(void)state;
	collect_conf_init(&c);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "no targets"));
	collect_conf_add_default_target(&c);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(c.targets[0].kinds, CK_DEFAULT);
	assert_int_equal(collect_target_timeout(&c, &c.targets[0]), 10 * S);
	collect_conf_release(&c);

	/* Timeout min(10s, 3/4 of the interval); never above the
	 * interval. */
	collect_conf_init(&c);
	c.interval_ns = 2 * S;
	t = collect_conf_add(&c);
	assert_int_equal(collect_parse_spec(t, "a=http://127.0.0.1:1", err),
			 0);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(collect_target_timeout(&c, t), 1500 * MS);
	c.timeout_ns = 2 * S;
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(collect_target_timeout(&c, t), 2 * S);
	c.timeout_ns = 3 * S;
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_string_equal(err, "-t 'a=http://127.0.0.1:1': target 'a': "
			    "timeout 3s exceeds the interval 2s");
	collect_conf_release(&c);

	collect_conf_init(&c);
	t = collect_conf_add(&c);
	collect_parse_spec(t, "a=http://127.0.0.1:1,interval=5ms", err);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "below the minimum of 10ms"));
	collect_conf_release(&c);

	collect_conf_init(&c);
	t = collect_conf_add(&c);
	collect_parse_spec(t, "a=http://127.0.0.1:1,seconds=50,interval=55s,"
			   "timeout=10s", err);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "seconds=50 plus the timeout 10s exceed "
			       "the interval 55s"));
	collect_conf_release(&c);

	/* Without a timeout of its own, a delta gets 3/4 of what is left. */
	collect_conf_init(&c);
	t = collect_conf_add(&c);
	collect_parse_spec(t, "a=http://127.0.0.1:1,seconds=50,interval=55s",
			   err);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(collect_target_timeout(&c, t), 3750 * MS);
	collect_conf_release(&c);
	collect_conf_init(&c);
	t = collect_conf_add(&c);
	collect_parse_spec(t, "a=http://127.0.0.1:1,seconds=55,interval=55s",
			   err);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "seconds=55 must be below the interval "
			       "55s"));
	collect_conf_release(&c);

	/* The inflated cap follows a small --max-body (16 times it). */
	collect_conf_init(&c);
	collect_conf_add_default_target(&c);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(c.max_inflated, (size_t)256 << 20);
	c.max_body = (size_t)2 << 20;
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(c.max_inflated, (size_t)32 << 20);
	c.max_inflated = (size_t)1 << 20;
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(c.max_inflated, (size_t)1 << 20);
	collect_conf_release(&c);

	/* Duplicate names. */
	collect_conf_init(&c);
	collect_parse_spec(collect_conf_add(&c), "a=http://127.0.0.1:1", err);
	collect_parse_spec(collect_conf_add(&c), "a=http://127.0.0.1:2", err);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "target 'a' already defined at -t "
			       "'a=http://127.0.0.1:1'"));
	collect_conf_release(&c);

	/* A remote target drops default process memory, refuses asked. */
	collect_conf_init(&c);
	collect_parse_spec(collect_conf_add(&c), "r=http://10.1.2.3:6060",
			   err);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	assert_int_equal(c.targets[0].kinds, CK_DEFAULT & ~CK_MEMORY);
	collect_conf_release(&c);
	collect_conf_init(&c);
	collect_parse_spec(collect_conf_add(&c),
			   "r=http://10.1.2.3:6060,profiles=heap+pmap", err);
	assert_int_equal(collect_conf_finish(&c, err), -1);
	assert_non_null(strstr(err, "process memory needs a local URL"));
	collect_conf_release(&c);
	/* ... unless its process is named. */
	collect_conf_init(&c);
	collect_parse_spec(collect_conf_add(&c),
			   "r=http://10.1.2.3:6060,profiles=pmap,pid=7", err);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	collect_conf_release(&c);
}

static void env_expansion(void **state)
{
	char err[COLLECT_ERR], *s;

	(void)state;
	setenv("LEAKY_TEST_TOKEN", "s3cret", 1);
	unsetenv("LEAKY_TEST_UNSET");
	s = collect_expand_env("Authorization: Bearer ${LEAKY_TEST_TOKEN}",
			       err);
	assert_string_equal(s, "Authorization: Bearer s3cret");
	free(s);
	s = collect_expand_env("a $$ b $x ${LEAKY_TEST_TOKEN}$", err);
	assert_string_equal(s, "a $ b $x s3cret$");
	free(s);
	assert_null(collect_expand_env("${LEAKY_TEST_UNSET}", err));
	assert_string_equal(err, "environment variable LEAKY_TEST_UNSET is "
			    "not set");
	assert_null(collect_expand_env("${OPEN", err));
	assert_non_null(strstr(err, "bad ${NAME}"));
}

/* collect_validate() on bytes of kind k: the reason, or "" when kept. */
static const char *check(enum collect_kind k, long status, const void *data,
			 size_t len)
{
	static char err[COLLECT_ERR];
	struct collect_body_info info;

	if (collect_validate(k, status, data, len, 1 << 20, &info, err) == 0)
		return "";
	return err;
}

#define TXT(s) s, sizeof(s) - 1

static void validation_failures(void **state)
{
	static const uint8_t junk[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff,
					'x', 'y' };
	static const uint8_t bin[] = { 0x0a, 0x00, 0x01, 0x02 };

	(void)state;
	assert_string_equal(check(CK_HEAP, 404, TXT("404 page not found\n")),
			    "HTTP 404: 404 page not found");
	assert_string_equal(check(CK_HEAP, 500, "", 0), "HTTP 500");
	assert_string_equal(check(CK_HEAP, 502, TXT("<html><body>Bad gateway"
						    "</body></html>")),
			    "HTTP 502 (an HTML page)");
	assert_string_equal(check(CK_HEAP, 200, "", 0), "empty body");
	assert_string_equal(check(CK_GOROUTINE, 200,
				  TXT("\n  <!DOCTYPE html>\n<html>")),
			    "an HTML page, not a goroutine profile: "
			    "\"<!DOCTYPE html>\"");
	assert_string_equal(check(CK_HEAP, 200, TXT("profiling disabled\r\n")),
			    "text, not a gzipped profile: "
			    "\"profiling disabled\"");
	assert_string_equal(check(CK_HEAP, 200, bin, sizeof(bin)),
			    "not a gzipped profile (no gzip magic)");
	assert_non_null(strstr(check(CK_HEAP, 200, junk, sizeof(junk)),
			       "gzip stream"));
	assert_string_equal(check(CK_HEAP_TEXT, 200, TXT("hello\n")),
			    "not a heap?debug=1 dump: \"hello\"");
	assert_string_equal(check(CK_GOROUTINE_TEXT, 200,
				  TXT("goroutine profile: total 1\n")),
			    "not a goroutine?debug=2 dump: "
			    "\"goroutine profile: total 1\"");
	assert_non_null(strstr(check(CK_SMAPS_ROLLUP, 0, TXT("nothing\n")),
			       "not pmap output, smaps"));
	/* pmap on a vanished process, and on another user's. */
	assert_string_equal(check(CK_PMAP, 0, "", 0),
			    "pmap printed nothing: the process is gone");
	assert_string_equal(check(CK_PMAP, 0, TXT("1:   /sbin/init\n")),
			    "pmap printed no mappings: the process is gone "
			    "or not readable (another user's?)");
	assert_non_null(strstr(check(CK_PMAP, 0, TXT("1:   /sbin/init\n"
		"Address           Kbytes     RSS   Dirty Mode  Mapping\n")),
			       "no mappings"));
	/* A long first line is cut. */
	assert_true(strlen(check(CK_HEAP, 503, TXT(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"\n"))) < 100);
}

static void validation_real(void **state)
{
	struct collect_body_info info;
	char err[COLLECT_ERR];
	struct buf b;

	(void)state;
	read_fixture(&b, "profiles/leak_1795310064.heap.pb.gz");
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_true(info.has_time);
	assert_true(info.time_nanos > 1700000000 * S);
	assert_true(info.has_alloc);
	assert_true(info.alloc_total > 0);
	/* A heap profile where a goroutine profile was wanted. */
	assert_int_equal(collect_validate(CK_GOROUTINE, 200, b.data, b.len,
					  1 << 24, &info, err), -1);
	assert_string_equal(err, "not a goroutine profile (sample types "
			    "alloc_objects,alloc_space,inuse_objects,"
			    "inuse_space)");
	/* The inflated size cap holds. */
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 100,
					  &info, err), -1);
	assert_non_null(strstr(err, "exceeds the limit of 100 bytes"));
	buf_release(&b);

	read_fixture(&b, "profiles/leak_1795310064.heap.txt");
	assert_int_equal(collect_validate(CK_HEAP_TEXT, 200, b.data, b.len,
					  1 << 24, &info, err), 0);
	assert_true(info.has_alloc);
	/* A truncated text dump is refused with its line. */
	b.len = b.len / 2;
	if (collect_validate(CK_HEAP_TEXT, 200, b.data, b.len, 1 << 24, &info,
			     err) < 0)
		assert_non_null(strstr(err, "line "));
	buf_release(&b);

	read_fixture(&b, "goroutines/zoo_1795310082.goroutine.txt");
	assert_int_equal(collect_validate(CK_GOROUTINE_TEXT, 200, b.data,
					  b.len, 1 << 24, &info, err), 0);
	buf_release(&b);
	read_fixture(&b, "goroutines/zoo_1795310082.goroutine.pb.gz");
	assert_int_equal(collect_validate(CK_GOROUTINE, 200, b.data, b.len,
					  1 << 24, &info, err), 0);
	assert_int_equal(collect_validate(CK_HEAP, 200, b.data, b.len, 1 << 24,
					  &info, err), -1);
	assert_string_equal(err, "not a heap profile (sample types goroutine)");
	buf_release(&b);

	read_fixture(&b, "pmaps/leak_1795310063.pmap");
	assert_int_equal(collect_validate(CK_PMAP, 0, b.data, b.len, 1 << 24,
					  &info, err), 0);
	assert_true(info.pid > 0);
	assert_int_equal(collect_validate(CK_SMAPS_ROLLUP, 0, b.data, b.len,
					  1 << 24, &info, err), -1);
	assert_string_equal(err, "pmap -x output, not smaps_rollup");
	buf_release(&b);
	read_fixture(&b, "pmaps/leak_1795310063.smaps_rollup");
	assert_int_equal(collect_validate(CK_SMAPS_ROLLUP, 0, b.data, b.len,
					  1 << 24, &info, err), 0);
	buf_release(&b);
	read_fixture(&b, "pmaps/leak_1795310063.status");
	assert_int_equal(collect_validate(CK_STATUS, 0, b.data, b.len, 1 << 24,
					  &info, err), 0);
	buf_release(&b);
}

static void manifest_rows(void **state)
{
	struct collect_row r = { 0 };
	struct csvout c;
	FILE *fp = tmpfile();
	char *s;

	(void)state;
	csvout_init(&c, fp);
	collect_manifest_write_header(&c);
	r.time_ns = 1700000000 * S + 123456789;
	r.round = 12;
	r.target = "api";
	r.kind = "heap";
	r.result = "ok";
	r.url = "http://127.0.0.1:6060/debug/pprof/heap";
	r.status = 200;
	r.bytes = 1234;
	r.duration_ns = 80 * MS + 250000;
	r.file = "profiles/api_1700000000.heap.pb.gz";
	r.pid = 4242;
	r.labels = "env=lab;zone=a";
	collect_manifest_write_row(&c, &r);
	memset(&r, 0, sizeof(r));
	r.time_ns = 1700000001 * S;
	r.round = 13;
	r.target = "api";
	r.kind = "goroutine";
	r.result = "failed";
	r.url = "http://127.0.0.1:6060/debug/pprof/goroutine";
	r.bytes = -1;
	r.duration_ns = -1;
	r.error = "an HTML page, not a goroutine: \"<html>\"";
	collect_manifest_write_row(&c, &r);
	csvout_release(&c);
	s = slurp(fp);
	assert_string_equal(s,
		"time,round,target,kind,result,url,status,bytes,duration_ms,"
		"file,pid,error,labels\n"
		"2023-11-14T22:13:20.123Z,12,api,heap,ok,"
		"http://127.0.0.1:6060/debug/pprof/heap,200,1234,80.2,"
		"profiles/api_1700000000.heap.pb.gz,4242,,env=lab;zone=a\n"
		"2023-11-14T22:13:21.000Z,13,api,goroutine,failed,"
		"http://127.0.0.1:6060/debug/pprof/goroutine,,,,,,"
		"\"an HTML page, not a goroutine: \"\"<html>\"\"\",\n");
	free(s);
	fclose(fp);
}

/*
 * The settings table: each place's list of names in messages names its
 * rows, no more, no fewer; each row lands within its struct.
 */
static void settings_table(void **state)
{
	static const unsigned places[] = { CS_ROOT, CS_TARGET, CS_SPEC };
	const struct collect_setting *cs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		char list[512], *name, *save = NULL;
		size_t rows = 0, names = 0;

		snprintf(list, sizeof(list), "%s",
			 collect_setting_names(places[i]));
		for (name = strtok_r(list, ", ", &save); name;
		     name = strtok_r(NULL, ", ", &save)) {
			names++;
			cs = collect_setting_find(name, places[i]);
			if (!cs)
				print_error("'%s' listed, not in the table\n",
					    name);
			assert_non_null(cs);
		}
		for (cs = collect_settings; cs->name; cs++)
			rows += !!(cs->where & places[i]);
		assert_int_equal(rows, names);
	}
	for (cs = collect_settings; cs->name; cs++) {
		if (cs->where & CS_ROOT)
			assert_true(cs->conf_at < sizeof(struct collect_conf));
		if (cs->where & (CS_TARGET | CS_SPEC))
			assert_true(cs->target_at <
				    sizeof(struct collect_target));
		assert_non_null(cs->help);
	}
	/* One name, a row per place where the rules differ. */
	assert_true(collect_setting_find("timeout", CS_ROOT)->auto_zero);
	assert_false(collect_setting_find("timeout", CS_TARGET)->auto_zero);
	assert_null(collect_setting_find("pid", CS_ROOT));
	assert_null(collect_setting_find("headers", CS_SPEC));
}

/* A collector started again numbers its rounds on from the manifest's. */
static void manifest_last_round(void **state)
{
	char dir[] = "/tmp/leaky-manifest-XXXXXX", path[64];
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(collect_manifest_last_round(dir), 0);
	snprintf(path, sizeof(path), "%s/manifest.csv", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", collect_manifest_header);
	fprintf(fp, "2023-11-14T22:13:20.123Z,12,api,heap,ok,,,,,,,,\n");
	fprintf(fp, "2023-11-14T22:13:21.123Z,9,web,heap,ok,,,,,,,,\n");
	fprintf(fp, "2023-11-14T22:13:22.1");
	fclose(fp);
	assert_int_equal(collect_manifest_last_round(dir), 12);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),
		cmocka_unit_test(format_durations),
		cmocka_unit_test(urls),
		cmocka_unit_test(specs),
		cmocka_unit_test(kinds),
		cmocka_unit_test(kind_urls_and_names),
		cmocka_unit_test(offsets),
		cmocka_unit_test(spread_needs_two),
		cmocka_unit_test(schedule),
		cmocka_unit_test(redaction),
		cmocka_unit_test(conf_checks),
		cmocka_unit_test(env_expansion),
		cmocka_unit_test(settings_table),
		cmocka_unit_test(manifest_last_round),
		cmocka_unit_test(validation_failures),
		cmocka_unit_test(validation_real),
		cmocka_unit_test(manifest_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

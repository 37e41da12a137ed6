/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: collect's configuration files, errors with their lines. */
#include "unit.h"

#include <unistd.h>

#include "collect/collconf.h"
#include "collect/settings.h"
#include "collect/collect.h"

#define S ((int64_t)1000000000)

static char path[] = "/tmp/leaky-collconf-XXXXXX";

/* Writes text to the scratch file and loads it into c (initialized). */
static int load(struct collect_conf *c, const char *text,
		char err[COLLECT_ERR])
{
	FILE *fp;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	collect_conf_init(c);
	err[0] = '\0';
	return collconf_load(path, c, err);
}

static void done(struct collect_conf *c)
{
	collect_conf_release(c);
	unlink(path);
	strcpy(path + strlen(path) - 6, "XXXXXX");
}

/* The error for text must be "PATH:LINE: want..." */
static void expect_error(const char *text, int line, const char *want)
{
	struct collect_conf c;
	char err[COLLECT_ERR], prefix[128];

	assert_int_equal(load(&c, text, err), -1);
	snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, want))
		print_error("got '%s', want '%s%s...'\n", err, prefix, want);
	assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
	assert_non_null(strstr(err, want));
	done(&c);
}

static void errors_with_lines(void **state)
{
	(void)state;
	setenv("LEAKY_CONF_TOKEN", "t0k3n", 1);
	unsetenv("LEAKY_CONF_UNSET");
	expect_error("interval = \"5m\"\noutput = ;\n", 2, "syntax error");
	expect_error("output = \"x\";\n\nintervall = \"5m\";\n", 3,
		     "unknown setting 'intervall'");
	expect_error("interval = true;\n", 1,
		     "'interval' must be a duration such as \"30s\"");
	expect_error("\ninterval = \"5 minutes\";\n", 2,
		     "bad duration '5 minutes' for 'interval'");
	expect_error("profiles = [\"heap\", \"cpu\"];\n", 1,
		     "unknown profile 'cpu'");
	expect_error("rounds = -1;\n", 1,
		     "rounds: -1 is out of range (0..2147483647)");
	expect_error("gc = \"yes\";\n", 1, "'gc' must be true or false");
	expect_error("max-body = \"12Q\";\n", 1, "bad size '12Q'");
	expect_error("targets = ({ name = \"a\"; url = \"http://h\"; },\n"
		     "  { name = \"b\";\n    color = 3; });\n", 3,
		     "unknown target setting 'color'");
	expect_error("targets = (\n  { url = \"http://h\"; }\n);\n", 2,
		     "target without a name");
	expect_error("targets = (\n  { name = \"x\"; }\n);\n", 2,
		     "target 'x' without a url");
	expect_error("targets = ({\n name = \"a.b\";\n"
		     " url = \"http://h\"; });\n", 2,
		     "bad target name 'a.b'");
	expect_error("targets = ({ name = \"a\";\n\n url = \"ftp://h\"; });\n",
		     3, "http://, https:// or unix:");
	expect_error("targets = ({ name = \"a\"; url = \"http://h\";\n"
		     "  headers = [\"Authorization: Bearer ${LEAKY_CONF_UNSET}"
		     "\"]; });\n", 2, "header Authorization: environment "
		     "variable LEAKY_CONF_UNSET is not set");
	expect_error("headers = [\"no colon\"];\n", 1,
		     "bad header 'no colon'");
	expect_error("labels = { env = 1.5; };\n", 1,
		     "label 'env' must be a string");
	expect_error("targets = { name = \"a\"; };\n", 1,
		     "'targets' must be a list");
	expect_error("output = \"a\";\noutput = \"b\";\n", 2,
		     "duplicate setting name");
}

/*
 * libconfig 1.5 keeps the low 32 bits of a literal without 'L': these all
 * read as harmless small numbers (pid 1, rounds 0 = forever, -1) before
 * collconf widened them; each must be refused naming its true value.
 */
static void integers_are_64_bit(void **state)
{
	(void)state;
	expect_error("targets = ({ name = \"a\"; url = \"http://h\";\n"
		     "  pid = 4294967297; });\n", 2,
		     "pid: 4294967297 is out of range (1..4194304)");
	expect_error("targets = ({ name = \"a\"; url = \"http://h\";\n"
		     "  pid = -4294967295; });\n", 2,
		     "pid: -4294967295 is out of range (1..4194304)");
	expect_error("\nrounds = 8589934592;\n", 2,
		     "rounds: 8589934592 is out of range (0..2147483647)");
	expect_error("rounds = 2147483648;\n", 1,
		     "rounds: 2147483648 is out of range (0..2147483647)");
	expect_error("interval = 9223372036854775807\n", 1,
		     "interval: 9223372036854775807 is out of range "
		     "(1..31622400 seconds)");
	expect_error("duration = -4294967296;\n", 1,
		     "duration: -4294967296 is out of range "
		     "(0..31622400 seconds)");
	expect_error("max-connections = 0x100000001;\n", 1,
		     "max-connections: 4294967297 is out of range (1..4096)");
	expect_error("seconds = 0xFFFFFFFF;\n", 1,
		     "seconds: 4294967295 is out of range (0..3600)");
	expect_error("max-body = -4294966272;\n", 1,
		     "max-body: -4294966272 is out of range (at least 1024 "
		     "bytes)");
	/* Beyond 64 bits: refused where it is written. */
	expect_error("output = \"x\";\n\nrounds = 99999999999999999999;\n",
		     3, "rounds: 99999999999999999999 is out of range (more "
		     "than 64 bits)");
	expect_error("labels = {\n build = 18446744073709551616; };\n", 2,
		     "build: 18446744073709551616 is out of range");
	/* Widening a literal keeps every later line number. */
	expect_error("rounds = 5; max-body = 4294967296;"
		     " # 99999999999999999999\n"
		     "/* 4294967297\n 0x100000001 */"
		     " output = \"a\n 4294967297\";\n"
		     "\ncolor = 4294967297;\n", 6, "unknown setting 'color'");
}

/* What a 32-bit read lost is now kept; digits elsewhere are left alone. */
static void wide_values_kept(void **state)
{
	struct collect_conf c;
	char err[COLLECT_ERR];

	(void)state;
	/* A float is no whole number: its digits are not widened. */
	assert_int_equal(load(&c, "interval = 1.5e10;\n", err), -1);
	assert_non_null(strstr(err, "'interval' must be a duration"));
	done(&c);
	assert_int_equal(load(&c,
		 "# rounds = 99999999999999999999\n"
		 "output = \"d4294967297\"; // 8589934592\n"
		 "rounds = 2147483647; max-body = 4294967296;\n"
		 "max-inflated = 0x100000000L; interval = 31622400;\n"
		 "labels = { build = 4294967297; neg = -2147483649;\n"
		 "  small = -2147483648; };\n", err), 0);
	assert_string_equal(c.output, "d4294967297");
	assert_int_equal(c.rounds, 2147483647);
	assert_int_equal(c.max_body, (size_t)4 << 30);
	assert_int_equal(c.max_inflated, (size_t)4 << 30);
	assert_int_equal(c.interval_ns, 31622400 * S);
	assert_string_equal(c.labels, "build=4294967297;neg=-2147483649;"
			    "small=-2147483648");
	done(&c);
}

/* A NUL byte would end libconfig's reading of the text early. */
static void nul_byte(void **state)
{
	static const char nul_text[] = "output = \"a\";\0color = 1;\n";
	struct collect_conf c;
	char err[COLLECT_ERR];
	FILE *fp;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fwrite(nul_text, 1, sizeof(nul_text) - 1, fp);
	fclose(fp);
	collect_conf_init(&c);
	assert_int_equal(collconf_load(path, &c, err), -1);
	assert_non_null(strstr(err, ": a NUL byte: not a text file"));
	done(&c);
}

static void missing_file(void **state)
{
	struct collect_conf c;
	char err[COLLECT_ERR];

	(void)state;
	collect_conf_init(&c);
	assert_int_equal(collconf_load("/nonexistent/leaky.conf", &c, err),
			 -1);
	assert_string_equal(err, "/nonexistent/leaky.conf: No such file or "
			    "directory");
	collect_conf_release(&c);
}

static void full_file(void **state)
{
	struct collect_conf c;
	struct collect_target *t;
	char err[COLLECT_ERR];

	(void)state;
	setenv("LEAKY_CONF_TOKEN", "t0k3n", 1);
	assert_int_equal(load(&c,
		"output = \"soak\";\n"
		"interval = 30;\n"
		"timeout = \"2s\";\n"
		"duration = \"2h\";\n"
		"rounds = 10;\n"
		"profiles = \"heap,goroutine\";\n"
		"gc = true;\n"
		"headers = [\"X-Team: core\"];\n"
		"labels = { env = \"lab\"; zone = 3; };\n"
		"max-body = \"1M\";\n"
		"spread = false;\n"
		"fsync = false;\n"
		"max-connections = 8;\n"
		"targets = (\n"
		"  { name = \"a\"; url = \"http://127.0.0.1:6060\"; },\n"
		"  { name = \"b\"; url = \"unix:/run/b.sock:http://b/x\";\n"
		"    profiles = [\"heap.txt\", \"memory\"]; gc = false;\n"
		"    interval = \"1m\"; timeout = \"5s\"; seconds = 20;\n"
		"    pidfile = \"/run/b.pid\"; insecure = true;\n"
		"    headers = [\"Authorization: Bearer "
		"${LEAKY_CONF_TOKEN}\"];\n"
		"    labels = { team = \"db\"; }; }\n"
		");\n", err), 0);
	assert_string_equal(c.output, "soak");
	assert_int_equal(c.interval_ns, 30 * S);
	assert_int_equal(c.timeout_ns, 2 * S);
	assert_int_equal(c.duration_ns, 7200 * S);
	assert_int_equal(c.rounds, 10);
	assert_int_equal(c.max_body, 1 << 20);
	assert_false(c.spread);
	assert_false(c.fsync);
	assert_int_equal(c.max_connections, 8);
	assert_int_equal(c.ntargets, 2);
	assert_int_equal(collect_conf_finish(&c, err), 0);
	t = &c.targets[0];
	assert_int_equal(t->kinds, CK_BIT(CK_HEAP) | CK_BIT(CK_GOROUTINE));
	assert_true(t->gc);
	assert_int_equal(t->nheaders, 1);
	assert_string_equal(t->headers[0], "X-Team: core");
	assert_string_equal(t->labels, "env=lab;zone=3");
	assert_non_null(strstr(t->origin, ":15"));
	t = &c.targets[1];
	assert_int_equal(t->kinds, CK_BIT(CK_HEAP_TEXT) | CK_MEMORY);
	assert_false(t->gc);
	assert_int_equal(t->seconds, 20);
	assert_int_equal(t->interval_ns, 60 * S);
	assert_int_equal(t->timeout_ns, 5 * S);
	assert_string_equal(t->pidfile, "/run/b.pid");
	assert_string_equal(t->unix_socket, "/run/b.sock");
	assert_string_equal(t->base, "http://b/x/debug/pprof/");
	assert_true(t->insecure);
	assert_string_equal(t->headers[0], "Authorization: Bearer t0k3n");
	assert_string_equal(t->labels, "team=db");
	done(&c);
}

/* configs/leaky.conf says exactly what the built-in defaults are. */
static void default_file_is_builtin(void **state)
{
	const char *f = __FILE__, *cut = strstr(f, "tests/unit/");
	struct collect_conf file, builtin;
	char conf[4096], err[COLLECT_ERR];
	const struct collect_target *a, *b;

	(void)state;
	snprintf(conf, sizeof(conf), "%.*sconfigs/leaky.conf",
		 cut ? (int)(cut - f) : 0, f);
	collect_conf_init(&file);
	if (collconf_load(conf, &file, err) < 0)
		print_error("%s\n", err);
	assert_int_equal(collect_conf_finish(&file, err), 0);
	collect_conf_init(&builtin);
	collect_conf_add_default_target(&builtin);
	assert_int_equal(collect_conf_finish(&builtin, err), 0);

	assert_string_equal(file.output, builtin.output);
	assert_int_equal(file.interval_ns, builtin.interval_ns);
	assert_int_equal(file.timeout_ns, builtin.timeout_ns);
	assert_int_equal(file.duration_ns, builtin.duration_ns);
	assert_int_equal(file.rounds, builtin.rounds);
	assert_int_equal(file.kinds, builtin.kinds);
	assert_int_equal(file.gc, builtin.gc);
	assert_int_equal(file.seconds, builtin.seconds);
	assert_int_equal(file.nheaders, builtin.nheaders);
	assert_string_equal(file.labels, builtin.labels);
	assert_int_equal(file.max_body, builtin.max_body);
	assert_int_equal(file.max_inflated, builtin.max_inflated);
	assert_int_equal(file.spread, builtin.spread);
	assert_int_equal(file.fsync, builtin.fsync);
	assert_int_equal(file.max_connections, builtin.max_connections);
	assert_int_equal(file.ntargets, 1);
	a = &file.targets[0];
	b = &builtin.targets[0];
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->url, b->url);
	assert_string_equal(a->base, b->base);
	assert_int_equal(a->kinds, b->kinds);
	assert_int_equal(a->interval_ns, b->interval_ns);
	assert_int_equal(a->timeout_ns, b->timeout_ns);
	collect_conf_release(&file);
	collect_conf_release(&builtin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_with_lines),
		cmocka_unit_test(integers_are_64_bit),
		cmocka_unit_test(wide_values_kept),
		cmocka_unit_test(nul_byte),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(full_file),
		cmocka_unit_test(default_file_is_builtin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

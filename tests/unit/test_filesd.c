/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: Prometheus file_sd files, JSON and YAML, as documented. */
#include "unit.h"

#include <time.h>

#include "decode/filesd.h"

static int decode(const char *s, enum filesd_syntax syn, struct filesd *f,
		  char *err)
{
	return filesd_decode(s, strlen(s), syn, f, err, 256);
}

/* The reason filesd_decode gives for s, which it must refuse. */
static const char *refused(const char *s, enum filesd_syntax syn)
{
	static char err[256];
	struct filesd f;

	err[0] = '\0';
	if (decode(s, syn, &f, err) == 0) {
		filesd_release(&f);
		fail_msg("accepted: %s", s);
	}
	assert_int_equal(f.ngroups, 0);
	assert_null(f.groups);
	assert_null(strchr(err, '\n'));
	return err;
}

/* The number of groups s decodes to (no error). */
static size_t groups_of(const char *s, enum filesd_syntax syn)
{
	struct filesd f;
	char err[256];
	size_t n;

	if (decode(s, syn, &f, err) < 0)
		fail_msg("%s: %s", s, err);
	n = f.ngroups;
	filesd_release(&f);
	return n;
}

/* The example of Prometheus's documentation, in both syntaxes. */
static const char *const json_doc =
	"[\n"
	"  {\n"
	"    \"targets\": [\"10.0.0.1:8080\", \"10.0.0.2:8080\"],\n"
	"    \"labels\": {\"job\": \"api\", \"env\": \"prod\", "
	"\"port\": \"8080\"}\n"
	"  },\n"
	"  {\"targets\": [\"db1:9100\", \"db2:9100\"], "
	"\"labels\": {\"job\": \"db\"}},\n"
	"  {\"targets\": [\"solo:1\"]},\n"
	"  {\"targets\": []}\n"
	"]\n";
static const char *const yaml_block =
	"# the fleet\n"
	"- targets:\n"
	"    - 10.0.0.1:8080\n"
	"    - \"10.0.0.2:8080\"\n"
	"  labels:\n"
	"    job: api\n"
	"    env: 'prod'\n"
	"    port: 8080\n"
	"- targets: [db1:9100, 'db2:9100']\n"
	"  labels: {job: db}\n"
	"- targets: [solo:1]\n"
	"  labels: ~\n"
	"- targets: []\n";
static const char *const yaml_flow =
	"--- [{targets: [\"10.0.0.1:8080\", \"10.0.0.2:8080\"], labels: "
	"{job: api, env: prod, port: !!str 8080}}, {targets: [db1:9100, "
	"db2:9100], labels: {\"job\": \"db\"}}, {targets: [solo:1]}, "
	"{targets: []}]\n...\n";
static const char *const yaml_anchors =
	"- targets: &api\n"
	"    - 10.0.0.1:8080\n"
	"    - 10.0.0.2:8080\n"
	"  labels: &apilabels {job: api, env: prod, port: \"8080\"}\n"
	"- targets: [db1:9100, db2:9100]\n"
	"  labels: {job: &db db}\n"
	"- &solo {targets: [solo:1]}\n"
	"- targets: []\n";

static void check_doc(const struct filesd *f)
{
	assert_int_equal(f->ngroups, 4);
	assert_int_equal(f->groups[0].ntargets, 2);
	assert_string_equal(f->groups[0].targets[0], "10.0.0.1:8080");
	assert_string_equal(f->groups[0].targets[1], "10.0.0.2:8080");
	assert_int_equal(f->groups[0].nlabels, 3);
	assert_string_equal(f->groups[0].names[0], "job");
	assert_string_equal(f->groups[0].values[0], "api");
	assert_string_equal(f->groups[0].names[1], "env");
	assert_string_equal(f->groups[0].values[1], "prod");
	assert_string_equal(filesd_label(&f->groups[0], "port"), "8080");
	assert_null(filesd_label(&f->groups[0], "pod"));
	assert_int_equal(f->groups[1].ntargets, 2);
	assert_string_equal(f->groups[1].targets[1], "db2:9100");
	assert_int_equal(f->groups[1].nlabels, 1);
	assert_string_equal(filesd_label(&f->groups[1], "job"), "db");
	assert_int_equal(f->groups[2].ntargets, 1);
	assert_string_equal(f->groups[2].targets[0], "solo:1");
	assert_int_equal(f->groups[2].nlabels, 0);
	assert_int_equal(f->groups[3].ntargets, 0);
	assert_int_equal(f->groups[3].nlabels, 0);
}

static void same_groups(void **state)
{
	const char *yamls[] = { yaml_block, yaml_flow, yaml_anchors };
	struct filesd f;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(decode(json_doc, FILESD_JSON, &f, err), 0);
	check_doc(&f);
	filesd_release(&f);
	filesd_release(&f);	/* zeroed: a no-op */
	for (i = 0; i < 3; i++) {
		if (decode(yamls[i], FILESD_YAML, &f, err) < 0)
			fail_msg("yaml %zu: %s", i, err);
		check_doc(&f);
		filesd_release(&f);
	}
}

static void aliases(void **state)
{
	struct filesd f;
	char err[256];

	(void)state;
	assert_int_equal(decode("- &g {targets: [a:1], labels: {job: x}}\n"
				"- *g\n"
				"- targets: [b:1]\n"
				"  labels: &l {env: y}\n"
				"- {targets: [c:1], labels: *l}\n",
				FILESD_YAML, &f, err), 0);
	assert_int_equal(f.ngroups, 4);
	assert_string_equal(f.groups[1].targets[0], "a:1");
	assert_string_equal(filesd_label(&f.groups[1], "job"), "x");
	assert_string_equal(filesd_label(&f.groups[3], "env"), "y");
	/* each group owns its copies */
	assert_ptr_not_equal(f.groups[0].targets[0], f.groups[1].targets[0]);
	filesd_release(&f);
}

static void empty_files(void **state)
{
	(void)state;
	assert_int_equal(groups_of("", FILESD_YAML), 0);
	assert_int_equal(groups_of("# nothing yet\n", FILESD_YAML), 0);
	assert_int_equal(groups_of("---\n", FILESD_YAML), 0);
	assert_int_equal(groups_of("~\n", FILESD_YAML), 0);
	assert_int_equal(groups_of("[]\n", FILESD_YAML), 0);
	{
		struct filesd f;
		char err[256];

		/* an empty file read into no buffer at all */
		assert_int_equal(filesd_decode(NULL, 0, FILESD_YAML, &f, err,
					       sizeof(err)), 0);
		assert_int_equal(f.ngroups, 0);
	}
	assert_int_equal(groups_of("[]", FILESD_JSON), 0);
	assert_int_equal(groups_of(" null ", FILESD_JSON), 0);
	/* JSON has no empty document */
	assert_string_equal(refused("", FILESD_JSON),
			    "not JSON: an empty file");
}

static void scalars(void **state)
{
	struct filesd f;
	char err[256];

	(void)state;
	assert_int_equal(decode("- targets: [\"h\\u00e9:1\", 'it''s:2', "
				"plain:3]\n"
				"  labels:\n"
				"    enabled: true\n"
				"    ratio: 1.50\n"
				"    note: \"a\\tb\"\n"
				"    folded: >-\n"
				"      two\n"
				"      lines\n"
				"    none: ''\n",
				FILESD_YAML, &f, err), 0);
	assert_string_equal(f.groups[0].targets[0], "h\xc3\xa9:1");
	assert_string_equal(f.groups[0].targets[1], "it's:2");
	assert_string_equal(filesd_label(&f.groups[0], "enabled"), "true");
	assert_string_equal(filesd_label(&f.groups[0], "ratio"), "1.50");
	assert_string_equal(filesd_label(&f.groups[0], "note"), "a\tb");
	assert_string_equal(filesd_label(&f.groups[0], "folded"),
			    "two lines");
	assert_string_equal(filesd_label(&f.groups[0], "none"), "");
	filesd_release(&f);
	/* JSON: members other than targets and labels are ignored */
	assert_int_equal(decode("[{\"targets\": [\"a:1\"], \"note\": 1, "
				"\"labels\": {\"__meta_x\": \"\"}}]",
				FILESD_JSON, &f, err), 0);
	assert_string_equal(filesd_label(&f.groups[0], "__meta_x"), "");
	filesd_release(&f);
}

static void json_shapes(void **state)
{
	(void)state;
	assert_string_equal(refused("{\"targets\": [\"a\"]}", FILESD_JSON),
			    "not a list of groups");
	assert_string_equal(refused("[{\"targets\": [\"a\"]}, 3]",
				    FILESD_JSON),
			    "group 2 is not an object");
	assert_string_equal(refused("[null]", FILESD_JSON), "group 1 is null");
	assert_string_equal(refused("[{\"labels\": {\"job\": \"x\"}}]",
				    FILESD_JSON),
			    "group 1 has no \"targets\"");
	assert_string_equal(refused("[{\"targets\": null}]", FILESD_JSON),
			    "group 1 has no \"targets\"");
	assert_string_equal(refused("[{\"targets\": \"a:1\"}]", FILESD_JSON),
			    "group 1: \"targets\" is not a list");
	assert_string_equal(refused("[{\"targets\": [\"a\", 9100]}]",
				    FILESD_JSON),
			    "group 1: target 2 is not a string");
	assert_string_equal(refused("[{\"targets\": [\"a\", \"\"]}]",
				    FILESD_JSON),
			    "group 1: target 2 is empty");
	assert_string_equal(refused("[{\"targets\": [\"a\"], \"labels\": "
				    "[\"job\"]}]", FILESD_JSON),
			    "group 1: \"labels\" is not an object");
	assert_string_equal(refused("[{\"targets\": [\"a\"], \"labels\": "
				    "{\"job\": \"x\", \"port\": 80}}]",
				    FILESD_JSON),
			    "group 1: label \"port\" is not a string");
	assert_string_equal(refused("[{\"targets\": [\"a\"], \"labels\": "
				    "{\"job-name\": \"x\"}}]", FILESD_JSON),
			    "group 1: label name \"job-name\" is not valid");
	assert_string_equal(refused("[{\"targets\": [\"a\"], \"labels\": "
				    "{\"\": \"x\"}}]", FILESD_JSON),
			    "group 1: label name \"\" is not valid");
	assert_string_equal(refused("[{\"targets\": [\"a\"]", FILESD_JSON),
			    "not JSON: cut short after 18 bytes");
	/* YAML in a .json file: its first line quoted */
	assert_string_equal(refused("- targets: [a]\n", FILESD_JSON),
			    "not JSON: \"- targets: [a]\"");
	/* a NUL would cut a target short: jansson refuses it */
	assert_non_null(strstr(refused("[{\"targets\": [\"a\\u0000b\"]}]",
				       FILESD_JSON),
			       "not JSON (line 1, column 24: \\u0000 is not "
			       "allowed"));
}

static void yaml_shapes(void **state)
{
	(void)state;
	assert_string_equal(refused("targets: [a]\n", FILESD_YAML),
			    "line 1, column 1: not a list of groups");
	assert_string_equal(refused("- targets: [a]\n- 3\n", FILESD_YAML),
			    "line 2, column 3: group 2 is not a mapping");
	assert_string_equal(refused("- targets: [a]\n- ~\n", FILESD_YAML),
			    "line 2, column 3: group 2 is null");
	assert_string_equal(refused("- labels: {job: x}\n", FILESD_YAML),
			    "line 1, column 3: group 1 has no \"targets\"");
	assert_string_equal(refused("- targets:\n  labels: {}\n",
				    FILESD_YAML),
			    "line 1, column 3: group 1 has no \"targets\"");
	assert_string_equal(refused("- targets: a:1\n", FILESD_YAML),
			    "line 1, column 12: group 1: \"targets\" is not a "
			    "list");
	assert_string_equal(refused("- targets: [a, [b]]\n", FILESD_YAML),
			    "line 1, column 16: group 1: target 2 is not a "
			    "string");
	assert_string_equal(refused("- targets:\n  - a\n  - ~\n",
				    FILESD_YAML),
			    "line 3, column 5: group 1: target 2 is not a "
			    "string");
	assert_string_equal(refused("- targets: [a, \"\"]\n", FILESD_YAML),
			    "line 1, column 16: group 1: target 2 is empty");
	assert_string_equal(refused("- targets: [\"a\\0b\"]\n", FILESD_YAML),
			    "line 1, column 13: group 1: target 1 holds a NUL");
	assert_string_equal(refused("- targets: [a]\n  labels: [job]\n",
				    FILESD_YAML),
			    "line 2, column 11: group 1: \"labels\" is not a "
			    "mapping");
	assert_string_equal(refused("- targets: [a]\n  labels:\n"
				    "    job: [x]\n", FILESD_YAML),
			    "line 3, column 10: group 1: label \"job\" is not "
			    "a string");
	assert_string_equal(refused("- targets: [a]\n  labels: {job: }\n",
				    FILESD_YAML),
			    "line 2, column 17: group 1: label \"job\" is not "
			    "a string");
	assert_string_equal(refused("- targets: [a]\n  labels: {job-x: y}\n",
				    FILESD_YAML),
			    "line 2, column 12: group 1: label name \"job-x\" "
			    "is not valid");
	assert_string_equal(refused("- targets: [a]\n  labels: {job: x, "
				    "job: y}\n", FILESD_YAML),
			    "line 2, column 11: group 1: label \"job\" given "
			    "twice");
	assert_string_equal(refused("- targets: [a]\n  lables: {job: x}\n",
				    FILESD_YAML),
			    "line 2, column 3: group 1: unknown key \"lables\" "
			    "(a group has targets and labels)");
	assert_string_equal(refused("- targets: [a]\n  targets: [b]\n",
				    FILESD_YAML),
			    "line 2, column 3: group 1: \"targets\" given "
			    "twice");
	assert_string_equal(refused("- targets: [a]\n  labels: {<<: {job: "
				    "x}}\n", FILESD_YAML),
			    "line 2, column 12: group 1: merge keys (<<) are "
			    "not supported");
	assert_string_equal(refused("- targets: [a\n", FILESD_YAML),
			    "not YAML (line 2, column 1: did not find expected "
			    "',' or ']' while parsing a flow sequence)");
	assert_string_equal(refused("- targets: [\"a\xff\"]\n", FILESD_YAML),
			    "not YAML (byte 15: invalid leading UTF-8 "
			    "octet)");
	assert_string_equal(refused("- {targets: [a], \"targets\\0x\": "
				    "[b]}\n", FILESD_YAML),
			    "line 1, column 18: group 1: unknown key "
			    "\"targets\xef\xbf\xbdx\" (a group has targets and "
			    "labels)");
	assert_string_equal(refused("- targets: [a]\n---\n- targets: [b]\n",
				    FILESD_YAML),
			    "line 2, column 1: a second YAML document (file_sd "
			    "has one)");
	assert_string_equal(refused("- targets: [*t]\n", FILESD_YAML),
			    "line 1, column 13: alias *t names no anchor "
			    "before it");
	/* an alias to the node it is in names nothing: no cycle */
	assert_string_equal(refused("- &g {targets: [*g]}\n", FILESD_YAML),
			    "line 1, column 17: alias *g names no anchor "
			    "before it");
	assert_string_equal(refused("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
				    FILESD_YAML),
			    "line 1, column 33: nested deeper than 32 levels");
}

/* A seconds counter for "refused quickly". */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A time limit, scaled for sanitizers and valgrind (LEAKY_TEST_SLOW). */
static double slow(double seconds)
{
	const char *f = getenv("LEAKY_TEST_SLOW");

	return f && atof(f) > 1 ? seconds * atof(f) : seconds;
}

static void bounds(void **state)
{
	size_t cap = 1 << 20, o = 0, i;
	char *s = malloc(cap);
	const char *err;
	double t0;
	struct filesd f;
	char e[256];

	(void)state;
	/* a billion laughs: 1,000 targets named 1,000,000 times */
	o += (size_t)sprintf(s + o, "- &g {targets: [");
	for (i = 0; i < 1000; i++)
		o += (size_t)sprintf(s + o, "%st%zu:1", i ? "," : "", i);
	o += (size_t)sprintf(s + o, "]}\n- &h [*g");
	for (i = 0; i < 999; i++)
		o += (size_t)sprintf(s + o, ",*g");
	o += (size_t)sprintf(s + o, "]\n");
	for (i = 0; i < 1000; i++)
		o += (size_t)sprintf(s + o, "- *g\n");
	t0 = now();
	err = refused(s, FILESD_YAML);
	assert_true(now() - t0 < slow(2.0));
	assert_string_equal(err, "line 2, column 3: group 2 is not a mapping");
	/* the same, without the list that is no group */
	o = (size_t)(strstr(s, "- &h") - s);
	for (i = 0; i < 1000; i++)
		o += (size_t)sprintf(s + o, "- *g\n");
	s[o] = '\0';
	t0 = now();
	err = refused(s, FILESD_YAML);
	assert_true(now() - t0 < slow(2.0));
	assert_string_equal(err, "line 1, column 16: group 101: over 100000 "
			    "targets in the file");
	/* labels shared by many groups count for each */
	o = (size_t)sprintf(s, "- &g\n  targets: []\n  labels: {");
	for (i = 0; i < 10000; i++)
		o += (size_t)sprintf(s + o, "%sl%zu: v", i ? ", " : "", i);
	o += (size_t)sprintf(s + o, "}\n");
	for (i = 0; i < 200; i++)
		o += (size_t)sprintf(s + o, "- *g\n");
	err = refused(s, FILESD_YAML);
	assert_string_equal(err, "line 3, column 11: group 101: over 1000000 "
			    "labels in the file");
	free(s);
	/* 16 MiB at most, refused before reading a byte */
	assert_int_equal(filesd_decode("", FILESD_MAX_BYTES + 1, FILESD_YAML,
				       &f, e, sizeof(e)), -1);
	assert_string_equal(e, "over 16777216 bytes (16 MiB)");
	assert_int_equal(filesd_decode("", FILESD_MAX_BYTES + 1, FILESD_JSON,
				       &f, e, sizeof(e)), -1);
}

static void syntax_of(void **state)
{
	(void)state;
	assert_int_equal(filesd_syntax_of("/etc/sd/api.json"), FILESD_JSON);
	assert_int_equal(filesd_syntax_of("api.JSON"), FILESD_JSON);
	assert_int_equal(filesd_syntax_of("targets/api.yml"), FILESD_YAML);
	assert_int_equal(filesd_syntax_of("api.yaml"), FILESD_YAML);
	assert_int_equal(filesd_syntax_of("api.json.bak"), -1);
	assert_int_equal(filesd_syntax_of("api"), -1);
	assert_int_equal(filesd_syntax_of("dir.json/api"), -1);
	assert_int_equal(filesd_syntax_of("api.txt"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_groups),
		cmocka_unit_test(aliases),
		cmocka_unit_test(empty_files),
		cmocka_unit_test(scalars),
		cmocka_unit_test(json_shapes),
		cmocka_unit_test(yaml_shapes),
		cmocka_unit_test(bounds),
		cmocka_unit_test(syntax_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: option tables (src/cmd/opttab.c): getopt arrays, parsing,
 * --help layout. */
#include "unit.h"

#include "cmd/opttab.h"
#include "base/leaky.h"

#include <getopt.h>
#include <stddef.h>

struct inner {
	const char *name;
	int on;
};

struct outer {
	int flag, off;
	const char *file;
	long count;
	struct inner in;
};

static void count_cb(const struct opt *o, void *field, const char *arg)
{
	*(long *)field = strtol(arg, NULL, 10) + (long)o->value;
}

static const struct opt inner_table[] = {
	OPT_STR('\0', "name", "NAME", struct inner, name, "a name"),
	OPT_SET_INT('\0', "on", struct inner, on, 1, "switch it on"),
	OPT_END_ENTRY,
};

static const struct opt table[] = {
	OPT_SET_INT('f', "flag", struct outer, flag, 1, "a flag"),
	OPT_SET_INT('\0', "no-off", struct outer, off, 0,
		    "a long-only one with\ntwo lines"),
	OPT_STR('o', "output", "FILE", struct outer, file,
		"where it goes"),
	OPT_CB('n', "count", "N", struct outer, count, count_cb, 100,
	       "counted"),
	/* a column of its own, which its name passes: two spaces */
	{ OPT_SET, 0, "aligned", NULL, "its own column",
	  offsetof(struct outer, flag), 0, 14, 1, NULL, NULL, NULL },
	OPT_SET_INT('\0', "alias", struct outer, flag, 1, NULL),
	OPT_STR('\0', "a-very-long-option", "ARGUMENT", struct outer, file,
		"past the column"),
	OPT_INCLUDE_AT(inner_table, struct outer, in, 0),
	OPT_INCLUDE_AT(inner_table, struct outer, in, OPTF_HIDDEN),
	OPT_HELP_ENTRY("this text"),
	OPT_END_ENTRY,
};

static const struct opt_cmd cmd = {
	.usage = "usage: t [OPTIONS] FILE...\n",
	.about = "About t.\n",
	.footer = "The end.\n",
	.opts = table,
	.help_col = 22,
	.short_col = 1,
	.min_operands = 0,
	.max_operands = -1,
};

static void arrays(void **state)
{
	/* every long name, in table order, includes flattened */
	static const char *const want[] = {
		"flag", "no-off", "output", "count", "aligned", "alias",
		"a-very-long-option", "name", "on", "name", "on", "help",
	};
	struct opt_getopt g;
	size_t i;

	(void)state;
	opt_getopt_init(&g, &cmd);
	assert_string_equal(g.shortopts, "fo:n:h");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(g.longopts[i].name, want[i]);
	assert_null(g.longopts[i].name);
	assert_int_equal(g.longopts[0].val, 'f');
	assert_int_equal(g.longopts[1].val, OPT_LONG_ONLY_BASE + 1);
	assert_int_equal(g.longopts[2].has_arg, required_argument);
	assert_int_equal(g.longopts[1].has_arg, no_argument);
	assert_int_equal(g.n, 12);
	opt_getopt_release(&g);
}

static void parse(void **state)
{
	char *argv[] = {
		"t", "-f", "--no-off", "-o", "x", "--count=5", "--name", "a",
		"--on", "operand", NULL,
	};
	struct outer o = { 0, 1, NULL, 0, { NULL, 0 } };
	int status = -1, first;

	(void)state;
	first = opt_parse(&cmd, 10, argv, &o, &status);
	assert_int_equal(first, 9);
	assert_string_equal(argv[first], "operand");
	assert_int_equal(status, -1);
	assert_int_equal(o.flag, 1);
	assert_int_equal(o.off, 0);
	assert_string_equal(o.file, "x");
	assert_int_equal(o.count, 105);
	assert_string_equal(o.in.name, "a");
	assert_int_equal(o.in.on, 1);
}

static char *help_text(void)
{
	FILE *fp = tmpfile();
	char *s;

	opt_help(&cmd, fp);
	s = slurp(fp);
	fclose(fp);
	return s;
}

static void help(void **state)
{
	char *s = help_text();

	(void)state;
	assert_string_equal(s,
		"usage: t [OPTIONS] FILE...\n"
		"\n"
		"About t.\n"
		"\n"
		"  -f, --flag          a flag\n"
		"      --no-off        a long-only one with\n"
		"                      two lines\n"
		"  -o, --output FILE   where it goes\n"
		"  -n, --count N       counted\n"
		"      --aligned  its own column\n"
		"      --a-very-long-option ARGUMENT  past the column\n"
		"      --name NAME     a name\n"
		"      --on            switch it on\n"
		"  -h, --help          this text\n"
		"\n"
		"The end.\n");
	free(s);
}

static void help_and_errors(void **state)
{
	char *help_argv[] = { "t", "--help", NULL };
	char *bad_argv[] = { "t", "--bogus", NULL };
	char err[256];
	struct outer o;
	int status = -1;
	FILE *saved = stdout;

	(void)state;
	memset(&o, 0, sizeof(o));
	stdout = tmpfile();
	assert_int_equal(opt_parse(&cmd, 2, help_argv, &o, &status), -1);
	assert_int_equal(status, LEAKY_OK);
	fclose(stdout);
	stdout = saved;
	saved = stderr;
	stderr = tmpfile();
	assert_int_equal(opt_parse(&cmd, 2, bad_argv, &o, &status), -1);
	assert_int_equal(status, LEAKY_USAGE);
	/* one line from getopt, named as every message is, and a pointer
	 * to --help rather than all of it; argv as it was */
	assert_string_equal(bad_argv[0], "t");
	rewind(stderr);
	memset(err, 0, sizeof(err));
	assert_true(fread(err, 1, sizeof(err) - 1, stderr) > 0);
	assert_string_equal(err, "leaky: unrecognized option '--bogus'\n"
			    "Try 'leaky --help'.\n");
	fclose(stderr);
	stderr = saved;
}

static void each_name(const struct opt *o, void *data)
{
	char *s = data;

	strcat(s, o->long_name);
	strcat(s, " ");
}

/* What man pages and completion list: what --help does, in its order. */
static void each(void **state)
{
	char s[256] = "";

	(void)state;
	opt_each(&cmd, each_name, s);
	assert_string_equal(s, "flag no-off output count aligned "
			    "a-very-long-option name on help ");
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(opt_name(&table[0]), "-f");
	assert_string_equal(opt_name(&table[1]), "--no-off");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arrays),
		cmocka_unit_test(parse),
		cmocka_unit_test(help),
		cmocka_unit_test(help_and_errors),
		cmocka_unit_test(each),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

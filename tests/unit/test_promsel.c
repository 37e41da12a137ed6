/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: Prometheus label selectors, as Prometheus documents them. */
#include "unit.h"

#include "decode/promsel.h"

/* A target's labels, as /api/v1/targets gives them. */
static char *names[] = { "job", "instance", "env", "zone" };
static char *values[] = { "api", "10.0.3.7:8080", "prod", "c" };

static int sel_matches(const char *text, char *const *n, char *const *v,
		       size_t count)
{
	char err[256] = "";
	struct promsel *s = promsel_parse(text, err, sizeof(err));
	int r;

	if (!s)
		fail_msg("%s: %s", text, err);
	r = promsel_match(s, n, v, count);
	promsel_free(s);
	return r;
}

static int matches(const char *text)
{
	return sel_matches(text, names, values, 4);
}

/* The reason promsel_parse gives for text, which it must refuse. */
static const char *refused(const char *text)
{
	static char err[512];
	struct promsel *s;

	err[0] = '\0';
	s = promsel_parse(text, err, sizeof(err));
	if (s) {
		promsel_free(s);
		fail_msg("accepted: %s", text);
	}
	assert_null(strchr(err, '\n'));
	return err;
}

static void operators(void **state)
{
	(void)state;
	assert_true(matches("{job=\"api\",instance=~\"10\\\\.0\\\\..*\","
			    "env!=\"dev\",zone!~\"a|b\"}"));
	assert_false(matches("{job=\"db\"}"));
	assert_true(matches("{job!=\"db\"}"));
	assert_false(matches("{job!=\"api\"}"));
	assert_true(matches("{job=~\"api|billing\"}"));
	assert_false(matches("{job!~\"api|billing\"}"));
	assert_false(matches("{zone!~\"a|b|c\"}"));
	assert_false(matches("{job=\"api\",env=\"dev\"}"));	/* every one */
}

static void match_everything(void **state)
{
	(void)state;
	assert_true(matches("{}"));
	assert_true(matches(""));
	assert_true(matches("  { }  "));
	assert_true(sel_matches("{}", NULL, NULL, 0));
}

static void anchoring(void **state)
{
	(void)state;
	assert_false(matches("{job=~\"ap\"}"));
	assert_false(matches("{job=~\"pi\"}"));
	assert_true(matches("{job=~\"ap.*\"}"));
	assert_true(matches("{job=~\"a|api\"}"));	/* the whole value */
	assert_false(matches("{job=~\"a|ap\"}"));
	assert_true(matches("{job!~\"ap\"}"));
	assert_true(matches("{job=~\"(?i)API\"}"));
	assert_false(matches("{job=~\"API\"}"));
	/* ^ and $ of the regex itself change nothing */
	assert_true(matches("{job=~\"^api$\"}"));
	/* lazy repetitions match as greedy ones do: the whole value */
	assert_true(matches("{job=~\"a.*?\"}"));
	assert_true(matches("{job=~\"a+?p{1}?i??\"}"));
	assert_false(matches("{job=~\"a.??\"}"));
}

static void missing_labels(void **state)
{
	(void)state;
	assert_true(matches("{pod=\"\"}"));
	assert_false(matches("{pod!=\"\"}"));
	assert_true(matches("{job!=\"\"}"));
	assert_false(matches("{job=\"\"}"));
	assert_true(matches("{pod=~\".*\"}"));
	assert_false(matches("{pod=~\".+\"}"));
	assert_true(matches("{pod!~\".+\"}"));
	assert_false(matches("{pod=\"x\"}"));
	assert_true(matches("{pod!=\"x\"}"));
}

static void quoting_and_escapes(void **state)
{
	static char *n[] = { "path", "q" };
	static char *v[] = { "C:\\dir\n\"x\"\t'y'", "\xc3\xa9" };

	(void)state;
	assert_true(sel_matches("{path=\"C:\\\\dir\\n\\\"x\\\"\\t\\'y\\'\"}",
				n, v, 2));
	assert_true(sel_matches("{path='C:\\\\dir\\n\\\"x\\\"\\t\\'y\\''}",
				n, v, 2));
	assert_true(sel_matches("{q=\"\\u00e9\"}", n, v, 2));
	assert_true(sel_matches("{q=\"\\xc3\\xa9\"}", n, v, 2));
	assert_true(sel_matches("{q=\"\\303\\251\"}", n, v, 2));
	assert_true(sel_matches("{q=\"\\U000000e9\"}", n, v, 2));
	/* backquotes: no escapes, a regex without doubled backslashes */
	assert_true(matches("{instance=~`10\\.0\\.\\d+\\.7:\\d+`}"));
	assert_false(matches("{instance=~`10\\.0\\.\\d+\\.8:\\d+`}"));
	assert_true(sel_matches("{path=`C:\\dir\n\"x\"\t'y'`}", n, v, 2));
}

static void whitespace_and_commas(void **state)
{
	(void)state;
	assert_true(matches("{ job = \"api\" , env =~ 'pr.*' , }"));
	assert_true(matches("\n{\tjob\t!=\t`db`,\n}\n"));
	assert_true(matches("{job=\"api\",}"));
}

static void regex_translation(void **state)
{
	static char *n[] = { "v" };
	static char *v1[] = { "a-b]^c" };
	static char *v2[] = { "x.y" };
	static char *v3[] = { "xzy" };
	static char *v4[] = { "a b_1" };

	(void)state;
	assert_true(sel_matches("{v=~`[\\]a-c\\-\\^]+`}", n, v1, 1));
	assert_true(sel_matches("{v=~`x[\\.]y`}", n, v2, 1));
	assert_false(sel_matches("{v=~`x[\\.]y`}", n, v3, 1));
	assert_false(sel_matches("{v=~`x\\.y`}", n, v3, 1));
	assert_true(sel_matches("{v=~`(?:a|b)[\\s][\\w]+`}", n, v4, 1));
	assert_true(sel_matches("{v=~`(?P<w>a) \\w{2}\\d`}", n, v4, 1));
	assert_true(sel_matches("{v=~`x{1}.{1,3}`}", n, v2, 1));
	assert_true(sel_matches("{v=~`z{0}x.y{1,}`}", n, v2, 1));
	assert_true(sel_matches("{v=~`x\\x2ey`}", n, v2, 1));
	assert_false(sel_matches("{v=~`x\\x2ey`}", n, v3, 1));
	assert_true(sel_matches("{v=~`x{,1}`}", n, (char *[]){ "x{,1}" }, 1));
	assert_true(sel_matches("{v=~`[^^]+`}", n, v2, 1));
	assert_false(sel_matches("{v=~`[\\^]+`}", n, v2, 1));
	assert_true(sel_matches("{v=~`x<?.y`}", n, v2, 1));
	assert_true(sel_matches("{v=~`x\\<?.y`}", n, v2, 1));
	/* '^' and '-' RE2 took literally stay literal */
	assert_true(sel_matches("{v=~`[\\-^a-c\\]]+`}", n, v1, 1));
	assert_true(sel_matches("{v=~`[-a-c^\\]]+`}", n, v1, 1));
	assert_true(sel_matches("{v=~`[\\]^a-c-]+`}", n, v1, 1));
	assert_false(sel_matches("{v=~`[\\]^a-c-]+`}", n, v2, 1));
}

static void errors(void **state)
{
	(void)state;
	assert_string_equal(refused("{job=\"api\" env=\"x\"}"),
			    "bad selector '{job=\"api\" env=\"x\"}' at column "
			    "12: expected ',' or '}' after a matcher");
	assert_string_equal(refused("{job==\"api\"}"),
			    "bad selector '{job==\"api\"}' at column 6: "
			    "expected a quoted value");
	assert_string_equal(refused("{job~\"api\"}"),
			    "bad selector '{job~\"api\"}' at column 5: "
			    "expected =, !=, =~ or !~ after 'job'");
	assert_string_equal(refused("{1job=\"api\"}"),
			    "bad selector '{1job=\"api\"}' at column 2: "
			    "expected a label name");
	assert_string_equal(refused("{job=\"api}"),
			    "bad selector '{job=\"api}' at column 6: "
			    "unterminated \"-quoted value");
	assert_string_equal(refused("{job=\"api\""),
			    "bad selector '{job=\"api\"' at column 11: "
			    "unterminated: no '}'");
	assert_string_equal(refused("{job=\"a\\qb\"}"),
			    "bad selector '{job=\"a\\qb\"}' at column 8: "
			    "unknown escape '\\q'");
	assert_string_equal(refused("{job=\"a\\x0\"}"),
			    "bad selector '{job=\"a\\x0\"}' at column 8: "
			    "escape '\\x' needs 2 hex digits");
	assert_string_equal(refused("{job=\"\\x00\"}"),
			    "bad selector '{job=\"\\x00\"}' at column 7: "
			    "a NUL in a value");
	assert_string_equal(refused("{job=\"\\ud800\"}"),
			    "bad selector '{job=\"\\ud800\"}' at column 7: "
			    "escape is not a Unicode code point");
	assert_string_equal(refused("{job=\"a\nb\"}"),
			    "bad selector '{job=\"a?b\"}' at column 8: a "
			    "newline in a \"-quoted value (use \\n)");
	assert_string_equal(refused("{job=~\"a(b\"}"),
			    "bad selector '{job=~\"a(b\"}' at column 7: regex "
			    "\"a(b\" does not compile: Unmatched ( or \\(");
	assert_string_equal(refused("{job=~\"(a)\\\\1\"}"),
			    "bad selector '{job=~\"(a)\\\\1\"}' at column 7: "
			    "regex \"(a)\\1\" is refused: backreferences (\\1) "
			    "are not RE2");
	assert_string_equal(refused("{job=~\"a{1001}\"}"),
			    "bad selector '{job=~\"a{1001}\"}' at column 7: "
			    "regex \"a{1001}\" is refused: a repeat count "
			    "over 1000");
	assert_string_equal(refused("up{job=\"api\"}"),
			    "bad selector 'up{job=\"api\"}' at column 1: a "
			    "metric name selects series, not targets: give "
			    "only {label matchers}");
	assert_string_equal(refused("job=\"api\""),
			    "bad selector 'job=\"api\"' at column 1: a metric "
			    "name selects series, not targets: give only "
			    "{label matchers}");
	assert_string_equal(refused("{a=~\"a\\\\\"}"),
			    "bad selector '{a=~\"a\\\\\"}' at column 5: regex "
			    "\"a\\\" is refused: it ends with a backslash");
	assert_string_equal(refused("{a=~\"\\n(\"}"),
			    "bad selector '{a=~\"\\n(\"}' at column 5: regex "
			    "\"?(\" does not compile: Unmatched ( or \\(");
	assert_string_equal(refused("{job=\"api\"} x"),
			    "bad selector '{job=\"api\"} x' at column 13: "
			    "text after '}'");
	assert_string_equal(refused("[job]"),
			    "bad selector '[job]' at column 1: expected '{'");
	assert_string_equal(refused("{,}"),
			    "bad selector '{,}' at column 2: expected a label "
			    "name");
	/* RE2 refuses stacked repetitions; glibc's regcomp would take
	 * exponential time over them (a fuzzer's find) */
	assert_string_equal(refused("{job=~\"(a***{10}){10}\"}"),
			    "bad selector '{job=~\"(a***{10}){10}\"}' at "
			    "column 7: regex \"(a***{10}){10}\" is refused: a "
			    "repetition of a repetition (as a**)");
	assert_string_equal(refused("{job=~\"a|*b\"}"),
			    "bad selector '{job=~\"a|*b\"}' at column 7: regex "
			    "\"a|*b\" is refused: a repetition operator with "
			    "nothing to repeat");
	assert_string_equal(refused("{job=~\"a+??\"}"),
			    "bad selector '{job=~\"a+??\"}' at column 7: regex "
			    "\"a+??\" is refused: a repetition of a repetition "
			    "(as a**)");
	assert_string_equal(refused("{job=~\"(?s).\"}"),
			    "bad selector '{job=~\"(?s).\"}' at column 7: "
			    "regex \"(?s).\" is refused: flags other than a "
			    "leading (?i)");
}

static void bounds(void **state)
{
	size_t n = PROMSEL_MAX_BYTES + 2, i, o;
	char *big = malloc(n + 1);
	const char *err;
	struct promsel *s;
	char e[256];

	(void)state;
	/* over 64 KiB */
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	assert_string_equal(refused(big), "bad selector: over 65536 bytes");
	/* 1000 matchers are taken, 1001 are not */
	o = 0;
	big[o++] = '{';
	for (i = 0; i < PROMSEL_MAX_MATCHERS; i++)
		o += (size_t)sprintf(big + o, "a%zu=\"\",", i);
	big[o] = '}';
	big[o + 1] = '\0';
	s = promsel_parse(big, e, sizeof(e));
	assert_non_null(s);
	assert_int_equal(promsel_count(s), PROMSEL_MAX_MATCHERS);
	assert_true(promsel_match(s, names, values, 4));
	promsel_free(s);
	sprintf(big + o, "b=\"\"}");
	err = refused(big);
	assert_non_null(strstr(err, "...' at column 7892: more than 1000 "
			       "matchers"));
	/* nested repeats that glibc would expand a billion times */
	err = refused("{a=~\"((a{1000}){1000}){1000}\"}");
	assert_non_null(strstr(err, "is refused: it expands to over 2000 "
			       "atoms (nested repeats)"));
	err = refused("{a=~\"(a{100}){101}\"}");
	assert_non_null(strstr(err, "over 2000 atoms"));
	/* empty alternatives cost regcomp nodes too (a fuzzer's 1.2 GB) */
	err = refused("{a=~\"(a||||||||||x){200}\"}");
	assert_non_null(strstr(err, "over 2000 atoms"));
	s = promsel_parse("{a=~\"(get|put|post){100}\"}", e, sizeof(e));
	assert_non_null(s);
	promsel_free(s);
	/* glibc copies x+ as xx*: nested, that doubles at each level */
	err = refused("{a=~\"((((((((((((((a{10})+)+)+)+)+)+)+)+)+)+)+)+)+)"
		      "+\"}");
	assert_non_null(strstr(err, "over 2000 atoms"));
	/* POSIX would close "[\\]" early and read the rest unchecked */
	err = refused("{a=~`[\\]a++`}");
	assert_non_null(strstr(err, "is refused: an unterminated [...]"));
	err = refused("{a=~`a)+`}");
	assert_non_null(strstr(err, "is refused: an unmatched ')'"));
	free(big);
	promsel_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(operators),
		cmocka_unit_test(match_everything),
		cmocka_unit_test(anchoring),
		cmocka_unit_test(missing_labels),
		cmocka_unit_test(quoting_and_escapes),
		cmocka_unit_test(whitespace_and_commas),
		cmocka_unit_test(regex_translation),
		cmocka_unit_test(errors),
		cmocka_unit_test(bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

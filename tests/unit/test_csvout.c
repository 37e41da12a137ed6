/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: CSV quoting and time formats. */
#include "unit.h"

#include "out/csvout.h"

static void quoting(void **state)
{
	FILE *fp = tmpfile();
	struct csvout c;
	char *s;

	(void)state;
	csvout_init(&c, fp);
	csvout_str(&c, "plain");
	csvout_str(&c, "main.Map[...].Put");
	csvout_str(&c, "a,b");
	csvout_str(&c, "say \"hi\"");
	csvout_str(&c, "two\nlines");
	csvout_str(&c, " edge");
	csvout_empty(&c);
	csvout_i64(&c, -42);
	csvout_end(&c);
	csvout_strn(&c, "abc", 2);
	csvout_end(&c);
	s = slurp(fp);
	assert_string_equal(s, "plain,main.Map[...].Put,\"a,b\","
			    "\"say \"\"hi\"\"\",\"two\nlines\",\" edge\",,-42\n"
			    "ab\n");
	free(s);
	csvout_release(&c);
	fclose(fp);
}

static void times(void **state)
{
	FILE *fp = tmpfile();
	struct csvout c;
	enum csv_time style;
	char *s;

	(void)state;
	csvout_init(&c, fp);
	csvout_time(&c, 1700000000999999999, CSV_TIME_RFC3339);
	csvout_time(&c, 1700000000999999999, CSV_TIME_UNIX);
	csvout_time(&c, 1700000000999999999, CSV_TIME_UNIXMS);
	csvout_time(&c, 0, CSV_TIME_RFC3339);
	csvout_time(&c, -1, CSV_TIME_UNIX);
	csvout_end(&c);
	s = slurp(fp);
	assert_string_equal(s, "2023-11-14T22:13:20Z,1700000000,"
			    "1700000000999,1970-01-01T00:00:00Z,-1\n");
	free(s);
	csvout_release(&c);
	fclose(fp);
	assert_int_equal(csvout_time_parse("unixms", &style), 0);
	assert_int_equal(style, CSV_TIME_UNIXMS);
	assert_int_equal(csvout_time_parse("iso", &style), -1);
}

/* Names from the input: formula prefix, numbers left alone, raw mode. */
static void text_cells(void **state)
{
	FILE *fp = tmpfile();
	struct csvout c;
	char *s;

	(void)state;
	csvout_init(&c, fp);
	csvout_text(&c, "=cmd|' /C calc'!A0");
	csvout_text(&c, "+SUM(1,2)");
	csvout_text(&c, "@SUM(A1)");
	csvout_text(&c, "-2+3");
	csvout_text(&c, "\tx");
	csvout_text(&c, "'quoted");
	csvout_text(&c, "-123");
	csvout_text(&c, "+1.5e-3");
	csvout_text(&c, "main.main");
	csvout_text(&c, "");
	csvout_end(&c);
	csvout_set_raw(&c, 1);
	csvout_text(&c, "=1+1");
	csvout_text(&c, "a\x1b[2Jb");
	csvout_textn(&c, "a\0b\xff", 4);
	csvout_end(&c);
	s = slurp(fp);
	assert_string_equal(s, "'=cmd|' /C calc'!A0,\"'+SUM(1,2)\",'@SUM(A1),"
			    "'-2+3,'\tx,''quoted,-123,+1.5e-3,main.main,\n"
			    "=1+1,a?[2Jb,a\xef\xbf\xbd" "b\xef\xbf\xbd\n");
	free(s);
	csvout_release(&c);
	fclose(fp);
	assert_int_equal(csvout_text_needs_prefix("-", 1), 1);
	assert_int_equal(csvout_text_needs_prefix("-1e", 3), 1);
	assert_int_equal(csvout_text_needs_prefix("-1e5", 4), 0);
	assert_int_equal(csvout_text_needs_prefix("x=1", 3), 0);
	assert_string_equal(csv_text_unprefix("'=x"), "=x");
	assert_string_equal(csv_text_unprefix("''q"), "'q");
	assert_string_equal(csv_text_unprefix("'abc"), "'abc");
	assert_string_equal(csv_text_unprefix("'-1"), "'-1");
	assert_string_equal(csv_text_unprefix("main.main"), "main.main");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting),
		cmocka_unit_test(times),
		cmocka_unit_test(text_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

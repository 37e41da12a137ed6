/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the collector's stderr (failure lines, their budget, rounds). */
#include "unit.h"

#include <unistd.h>

#include "collect/progress.h"

#define S ((int64_t)1000000000)

static FILE *tmp;
static int saved = -1;

/* What goes to stderr from here to captured() is kept. */
static void capture(void)
{
	tmp = tmpfile();
	assert_non_null(tmp);
	saved = dup(2);
	fflush(stderr);
	dup2(fileno(tmp), 2);
}

/* What went to stderr since capture(); the caller frees it. */
static char *captured(void)
{
	char *s;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	s = slurp(tmp);
	fclose(tmp);
	return s;
}

/* The same failure, digits aside, is said once, then after a while. */
static void failures_once(void **state)
{
	struct progress p;
	struct progress_fail f = { 0 };
	char *s;

	(void)state;
	progress_init(&p, 0, 0, "out", 0);
	capture();
	progress_failure(&p, &f, "api", "heap", "timed out after 10 s", 1);
	progress_failure(&p, &f, "api", "heap", "timed out after 11 s", 2);
	progress_failure(&p, &f, "api", "heap", "timed out after 12 s", 3);
	progress_failure(&p, &f, "api", "heap", "timed out after 13 s",
			 700 * S);
	progress_success(&p, &f, "api", "heap");
	progress_success(&p, &f, "api", "heap");
	s = captured();
	assert_string_equal(s,
		"leaky: api: heap: timed out after 10 s\n"
		"leaky: api: heap: timed out after 13 s (after 2 more "
		"failures)\n"
		"leaky: api: heap: ok again after 4 failures\n");
	free(s);
	progress_fail_release(&f);
	progress_release(&p);
}

/* At most 20 lines in 10 seconds; the rest are counted, said later. */
static void failure_budget(void **state)
{
	struct progress p;
	struct progress_fail f[25];
	char *s, what[16];
	int i, lines = 0;

	(void)state;
	memset(f, 0, sizeof(f));
	progress_init(&p, 0, 0, "out", 0);
	capture();
	for (i = 0; i < 25; i++) {
		snprintf(what, sizeof(what), "k%c", 'a' + i);
		progress_failure(&p, &f[i], "api", what, "refused", S);
	}
	progress_fail_roll(&p, 5 * S);
	progress_fail_roll(&p, 11 * S);
	s = captured();
	for (i = 0; s[i]; i++)
		lines += s[i] == '\n';
	assert_int_equal(lines, 21);
	assert_non_null(strstr(s, "leaky: 5 more failures not shown (see "
			       "out/manifest.csv)\n"));
	free(s);
	for (i = 0; i < 25; i++)
		progress_fail_release(&f[i]);
	progress_release(&p);
}

/* Rounds are printed in order, once every target is past them. */
static void rounds(void **state)
{
	struct progress p;
	struct progress_round *r;
	char *s;

	(void)state;
	progress_init(&p, 0, 0, "out", 0);
	p.round_base = 10;
	r = progress_round(&p, 3);
	r->targets = 2;
	r->ok = 1;
	r->skipped = 1;
	r->bytes = 1500;
	r->slowest = 80 * 1000000;
	r = progress_round(&p, 2);
	r->targets = 1;
	r->ok = 1;
	r->bytes = 999;
	assert_ptr_equal(progress_round(&p, 2), r);
	capture();
	progress_flush_rounds(&p, 3);
	progress_flush_rounds(&p, INT64_MAX);
	progress_flush_rounds(&p, INT64_MAX);
	s = captured();
	assert_string_equal(s,
		"leaky: round 13: 1/1 targets ok, 999 B, 0 ms\n"
		"leaky: round 14: 1/2 targets ok, 1 skipped, 1.5 kB, 80 ms\n");
	free(s);
	p.quiet = 1;
	progress_round(&p, 4)->targets = 1;
	capture();
	progress_flush_rounds(&p, INT64_MAX);
	s = captured();
	assert_string_equal(s, "");
	assert_int_equal(p.nrounds, 0);
	free(s);
	progress_release(&p);
}

/* The status line only on a terminal, redrawn when it changes. */
static void status(void **state)
{
	struct progress p;
	struct progress_status st = { 0 };
	char *s;

	(void)state;
	progress_init(&p, 0, 0, "out", 0);
	st.next = 3 * S;
	st.targets = 2;
	capture();
	progress_status(&p, &st, 0);
	s = captured();
	assert_string_equal(s, "");
	free(s);
	p.tty = 1;
	capture();
	progress_status(&p, &st, S);
	progress_status(&p, &st, 2 * S);
	progress_say(&p, "hello");
	s = captured();
	assert_string_equal(s, "first round in 2.0s"
			    "\r\033[Kfirst round in 1.0s"
			    "\r\033[Kleaky: hello\n");
	free(s);
	progress_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failures_once),
		cmocka_unit_test(failure_budget),
		cmocka_unit_test(rounds),
		cmocka_unit_test(status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

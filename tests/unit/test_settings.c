/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the collector's settings: checks of the whole, the table. */
#include "unit.h"

#include "collect/collect.h"
#include "collect/settings.h"
#include "collect/spec.h"
#include "collect/url.h"

#define MS ((int64_t)1000000)
#define S ((int64_t)1000000000)

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conf_checks),
		cmocka_unit_test(env_expansion),
		cmocka_unit_test(settings_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

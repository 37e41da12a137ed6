/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the usual causes of failed fetches. */
#include "unit.h"

#include "analyze/fetchhint.h"

static void hints_by_error(void **state)
{
	(void)state;
	assert_string_equal(fetch_hint("HTTP 404: 404 page not found"),
			    "is net/http/pprof imported (import _ "
			    "\"net/http/pprof\"), and served on this address "
			    "and path (/debug/pprof/)?");
	assert_string_equal(fetch_hint("Failed to connect to 127.0.0.1 port "
				       "1 after 0 ms: Couldn't connect to "
				       "server"),
			    "is the service running, and listening on this "
			    "address?");
	assert_non_null(fetch_hint("nothing listens on port 6060"));
	assert_non_null(fetch_hint("unix socket /run/a.sock: connection "
				   "refused (nothing listens on it)"));
	assert_non_null(fetch_hint("Operation timed out after 10001 "
				   "milliseconds with 0 bytes received"));
	assert_non_null(fetch_hint("text, not a gzipped profile: "
				   "\"<html>\""));
	assert_non_null(fetch_hint("an HTML page, not a heap profile: "
				   "\"<!DOCTYPE html>\""));
	/* errors that say enough, and none */
	assert_null(fetch_hint("body larger than the limit of 5 bytes"));
	assert_null(fetch_hint(""));
	assert_null(fetch_hint(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hints_by_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

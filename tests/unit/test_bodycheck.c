/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: bodies checked on the checker threads, verdicts taken back. */
#include "unit.h"

#include <poll.h>

#include "collect/bodycheck.h"
#include "base/leaky.h"

static struct bodycheck_job *job(enum collect_kind k, long status,
				 const char *body, void *ctx)
{
	struct bodycheck_job *j = xcalloc(1, sizeof(*j));

	j->ctx = ctx;
	j->kind = k;
	j->status = status;
	buf_init(&j->body);
	buf_addstr(&j->body, body);
	j->max_inflated = 1 << 20;
	return j;
}

static void threads(void **state)
{
	struct bodycheck c;
	struct bodycheck_job *done, *next;
	char err[COLLECT_ERR];
	int seen = 0, a = 1, b = 2;

	(void)state;
	assert_int_equal(bodycheck_start(&c, err), 0);
	assert_true(bodycheck_fd(&c) >= 0);
	assert_int_equal(bodycheck_hand(&c, job(CK_HEAP, 404, "no\n", &a)),
			 0);
	assert_int_equal(bodycheck_hand(&c, job(CK_HEAP, 200, "", &b)), 0);
	assert_int_equal(c.busy, 2);
	while (seen < 2) {
		struct pollfd p = { bodycheck_fd(&c), POLLIN, 0 };

		assert_true(poll(&p, 1, 10000) > 0);
		for (done = bodycheck_take(&c); done; done = next) {
			next = done->next;
			assert_int_equal(done->rc, -1);
			if (done->ctx == &a)
				assert_string_equal(done->err, "HTTP 404: no");
			else
				assert_string_equal(done->err, "empty body");
			buf_release(&done->body);
			free(done);
			seen++;
		}
	}
	assert_int_equal(c.busy, 0);
	assert_null(bodycheck_take(&c));
	bodycheck_stop(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: bounded gunzip and its stream-end checks. */
#include "unit.h"

#include <zlib.h>

#include "base/buf.h"
#include "decode/gunzip.h"

/* Gzips n bytes of src into a new buffer (through zlib, like gzip -9). */
static uint8_t *gz(const void *src, size_t n, size_t *outlen)
{
	z_stream zs = { 0 };
	size_t cap = n + 1024;
	uint8_t *out = malloc(cap);

	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static void roundtrip(void **state)
{
	char text[10000];
	struct buf out;
	size_t n, i;
	uint8_t *z;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	z = gz(text, sizeof(text), &n);
	assert_true(gunzip_is_gzip(z, n));
	buf_init(&out);
	assert_int_equal(gunzip("t", z, n, &out, 1 << 20), 0);
	assert_int_equal(out.len, sizeof(text));
	assert_memory_equal(out.data, text, sizeof(text));
	/* Exactly at the cap is fine; one byte under is not. */
	assert_int_equal(gunzip("t", z, n, &out, sizeof(text)), 0);
	assert_int_equal(gunzip("t", z, n, &out, sizeof(text) - 1), -1);
	buf_release(&out);
	free(z);
}

static void members(void **state)
{
	size_t n, i;
	uint8_t *z = gz("abc", 3, &n), *two = malloc(2 * n + 4);
	struct buf out;

	(void)state;
	memcpy(two, z, n);
	memcpy(two + n, z, n);
	buf_init(&out);
	assert_int_equal(gunzip("t", two, 2 * n, &out, 100), 0);
	assert_int_equal(out.len, 6);
	assert_memory_equal(out.data, "abcabc", 6);
	memcpy(two + n, "junk", 4);
	assert_int_equal(gunzip("t", two, n + 4, &out, 100), -1);
	/* Every truncation fails cleanly. */
	for (i = 0; i < n; i++)
		assert_int_equal(gunzip("t", z, i, &out, 100), -1);
	buf_release(&out);
	free(two);
	free(z);
}

static void corrupt(void **state)
{
	size_t n, i;
	uint8_t *z = gz("hello, hello, hello", 19, &n);
	struct buf out;
	int failures = 0;

	(void)state;
	buf_init(&out);
	/* Flip each byte after the header; the CRC catches the rest. */
	for (i = 10; i < n; i++) {
		z[i] ^= 0xff;
		if (gunzip("t", z, n, &out, 1000) < 0)
			failures++;
		z[i] ^= 0xff;
	}
	assert_int_equal(failures, (int)(n - 10));
	buf_release(&out);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(members),
		cmocka_unit_test(corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

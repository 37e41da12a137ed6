/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the collector's store, its manifest records and repair. */
#include "unit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/collect.h"
#include "collect/collstore.h"
#include "base/leaky.h"

static const char row[] =
	"2026-01-01T00:00:00.000Z,1,a,heap,ok,http://h/,200,10,1.0,"
	"profiles/a_1.heap.pb.gz,7,,\n";

static void records(void **state)
{
	static const char quoted[] =
		"2026-01-01T00:00:00.000Z,1,a,heap,failed,,,,,,,\"x,\n"
		"y\",\n";
	static const char cut[] =
		"2026-01-01T00:00:00.000Z,1,a,heap,failed,,,,,,,\"x,\n"
		"2026-01-01T00:00:01.000Z,2,a,heap,ok,,,,,,,,\n";
	static const char doubled[] = "a,\"say \"\"hi\"\"\n\",b\nc\n";
	int broken;

	(void)state;
	assert_int_equal(collstore_record(row, strlen(row), &broken),
			 strlen(row));
	assert_int_equal(broken, 0);
	/* A newline inside quotes is data. */
	assert_int_equal(collstore_record(quoted, strlen(quoted), &broken),
			 strlen(quoted));
	assert_int_equal(broken, 0);
	/* An open quote ends where the next row starts. */
	assert_int_equal(collstore_record(cut, strlen(cut), &broken),
			 strchr(cut, '\n') + 1 - cut);
	assert_int_equal(broken, 1);
	assert_int_equal(collstore_record(doubled, strlen(doubled), &broken),
			 strchr(doubled, 'b') + 2 - doubled);
	assert_int_equal(broken, 0);
	/* No newline at the end, or inside quotes: no whole record. */
	assert_int_equal(collstore_record(row, strlen(row) - 1, &broken), 0);
	assert_int_equal(collstore_record(quoted, 50, &broken), 0);
	assert_int_equal(collstore_record("", 0, &broken), 0);
}

static void row_starts(void **state)
{
	(void)state;
	assert_true(collstore_row_start(row, strlen(row)));
	assert_true(collstore_row_start("2026-01-01T00:00:00Z,", 21));
	assert_false(collstore_row_start("2026-01-01T00:00:00Z", 20));
	assert_false(collstore_row_start("2026-01-01T00:00:00.5Z;", 23));
	assert_false(collstore_row_start("2026-01-01 00:00:00Z,", 21));
	assert_false(collstore_row_start("time,round", 10));
	assert_false(collstore_row_start("2026-01", 7));
}

static char dir[] = "/tmp/leaky-collstore-XXXXXX";

static char *path_of(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void put(const char *name, const char *s, size_t n)
{
	char *p = path_of(name);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	fclose(fp);
	free(p);
}

static char *get(const char *name, size_t *n)
{
	char *p = path_of(name), *s;
	FILE *fp = fopen(p, "r");
	long len;

	free(p);
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	s = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(s, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return s;
}

static char *header(void)
{
	size_t n = strlen(collect_manifest_header);
	char *h = malloc(n + 2);

	memcpy(h, collect_manifest_header, n);
	memcpy(h + n, "\n", 2);
	return h;
}

static void reset(void)
{
	char *p;

	p = path_of("manifest.csv.partial");
	unlink(p);
	free(p);
}

/*
 * Writes before + partial as the manifest, opens the store, and checks
 * the manifest is before + after and the .partial file holds partial.
 */
static void repaired(const char *before, size_t nbefore, const char *partial,
		     const char *notice_part)
{
	char err[COLLECT_ERR];
	struct collstore *st;
	size_t n = nbefore + strlen(partial), got_n;
	char *all = malloc(n + 1), *got;
	const char *notice;

	reset();
	memcpy(all, before, nbefore);
	memcpy(all + nbefore, partial, strlen(partial));
	put("manifest.csv", all, n);
	st = collstore_open(dir, 0, err);
	assert_non_null(st);
	notice = collstore_notice(st);
	if (notice_part) {
		assert_non_null(notice);
		assert_non_null(strstr(notice, notice_part));
	} else {
		assert_null(notice);
	}
	collstore_close(st);
	got = get("manifest.csv", &got_n);
	assert_int_equal(got_n, nbefore);
	assert_memory_equal(got, before, nbefore);
	free(got);
	got = get("manifest.csv.partial", &got_n);
	if (*partial) {
		assert_non_null(got);
		assert_int_equal(got_n, strlen(partial) + 1);
		assert_memory_equal(got, partial, strlen(partial));
		assert_int_equal(got[got_n - 1], '\n');
	} else {
		assert_null(got);
	}
	free(got);
	free(all);
}

static void repair(void **state)
{
	char *h = header(), *big;
	size_t hl = strlen(h), n, i;
	char before[4096];

	(void)state;
	/* Cut inside a quoted field, after a newline in it. */
	n = (size_t)snprintf(before, sizeof(before), "%s%s", h, row);
	repaired(before, n, "2026-01-01T00:00:01.000Z,2,a,heap,failed,,,,,,,"
		 "\"a,\nb", "cut off a partial last row (52 bytes");
	/* Cut outside quotes, and right after the header. */
	repaired(before, n, "2026-01-01T00:0", "(15 bytes");
	repaired(h, hl, "2026-01-01T00:0", "(15 bytes");
	/* Whole: nothing cut. */
	repaired(before, n, "", NULL);
	/* An old repair's damage mid-file stays for readers to skip. */
	n = (size_t)snprintf(before, sizeof(before), "%s%s"
			     "2026-01-01T00:00:01.000Z,2,a,\"x\n%s", h, row,
			     row);
	repaired(before, n, "2026-01-01T00:00:09.000Z,9,\"", "(28 bytes");
	/* Past the window the repair reads: the same. */
	big = malloc(hl + 20000 * strlen(row) + 1);
	memcpy(big, h, hl);
	for (i = 0, n = hl; i < 20000; i++, n += strlen(row))
		memcpy(big + n, row, strlen(row));
	assert_true(n > 1024 * 1024);
	repaired(big, n, "2026-01-01T00:00:09.000Z,9,\"", "(28 bytes");
	repaired(big, n, "", NULL);
	free(big);
	free(h);
}

static void stale_tmps(void **state)
{
	char err[COLLECT_ERR];
	struct collstore *st;
	const char *notice;
	char *h = header(), *p;

	(void)state;
	put("manifest.csv", h, strlen(h));
	put("profiles/.a_1.heap.pb.gz.tmp.aB3xY9", "x", 1);
	put("pmaps/.a_1.smaps_rollup.tmp.000000", "x", 1);
	put("profiles/.keep", "x", 1);
	st = collstore_open(dir, 0, err);
	assert_non_null(st);
	notice = collstore_notice(st);
	assert_non_null(notice);
	assert_non_null(strstr(notice, "removed 2 temporary files"));
	collstore_close(st);
	p = path_of("profiles/.a_1.heap.pb.gz.tmp.aB3xY9");
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	p = path_of("profiles/.keep");
	assert_int_equal(access(p, F_OK), 0);
	free(p);
	free(h);
}

static void links_refused(void **state)
{
	char err[COLLECT_ERR], *p, *q;
	struct collstore *st;

	(void)state;
	p = path_of("goroutines");
	q = path_of("moved");
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink("moved", p), 0);
	st = collstore_open(dir, 0, err);
	assert_null(st);
	assert_non_null(strstr(err, "/goroutines: is a symbolic link, "
			       "refusing to follow it"));
	unlink(p);
	assert_int_equal(rename(q, p), 0);
	free(p);
	free(q);
}

static int setup(void **state)
{
	(void)state;
	umask(022);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records),
		cmocka_unit_test(row_starts),
		cmocka_unit_test(repair),
		cmocka_unit_test(stale_tmps),
		cmocka_unit_test(links_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

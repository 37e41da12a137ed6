/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: a round's time from its manifest, else its file name. */
#include "unit.h"

#include "analyze/rounds.h"

#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int64_t at(struct rounds *r, const char *rel, int64_t secs)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return rounds_time(r, path, secs);
}

#define S(x) ((int64_t)(x) * 1000000000)

static void manifest_times(void **state)
{
	struct rounds *r;
	char path[256];

	(void)state;
	strcpy(dir, "/tmp/leaky-rounds-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/profiles", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put("manifest.csv",
	    "time,round,target,kind,result,url,status,bytes,duration_ms,"
	    "file,pid,error,labels\n"
	    "2023-11-14T22:13:20.250Z,1,api,heap,ok,u,200,1,1.0,"
	    "profiles/api_1700000000.heap.pb.gz,1,,\n"
	    "2023-11-14T22:13:20.750Z,2,api,heap,ok,u,200,1,1.0,"
	    "profiles/api_1700000000.1.heap.pb.gz,1,,\"a,b\"\n"
	    /* a time in another second than the name's: not this file's */
	    "2023-11-14T22:13:25.000Z,3,api,heap,ok,u,200,1,1.0,"
	    "profiles/api_1700000001.heap.pb.gz,1,,\n"
	    "2023-11-14T22:13:26.000Z,4,api,heap,failed,u,404,1,1.0,"
	    ",1,HTTP 404,\n"
	    /* a row cut short by a killed collector */
	    "2023-11-14T22:13:27.000Z,5,api,heap,ok,u,200\n"
	    "2023-11-14T22:13:22.500Z,6,api,heap,ok,u,200,1,1.0,"
	    "profiles/api_1700000002.heap.pb.gz,1,,\n");
	r = rounds_new();
	assert_int_equal(at(r, "profiles/api_1700000000.heap.pb.gz",
			    1700000000), S(1700000000) + 250000000);
	assert_int_equal(at(r, "profiles/api_1700000000.1.heap.pb.gz",
			    1700000000), S(1700000000) + 750000000);
	assert_int_equal(at(r, "profiles/api_1700000001.heap.pb.gz",
			    1700000001), S(1700000001));
	assert_int_equal(at(r, "profiles/api_1700000002.heap.pb.gz",
			    1700000002), S(1700000002) + 500000000);
	/* not in the manifest: the second of its name */
	assert_int_equal(at(r, "profiles/api_1700000009.heap.pb.gz",
			    1700000009), S(1700000009));
	/* "DIR/profiles/./F" is the same file */
	assert_int_equal(at(r, "profiles/./api_1700000000.heap.pb.gz",
			    1700000000), S(1700000000) + 250000000);
	rounds_free(r);
	/* No cache: the seconds. */
	assert_int_equal(at(NULL, "profiles/api_1700000000.heap.pb.gz",
			    1700000000), S(1700000000));
	rounds_free(NULL);

	/* A manifest that is no CSV at all: the seconds, nothing printed. */
	put("manifest.csv", "\"\x01\n");
	r = rounds_new();
	assert_int_equal(at(r, "profiles/api_1700000000.heap.pb.gz",
			    1700000000), S(1700000000));
	rounds_free(r);
	snprintf(path, sizeof(path), "%s/manifest.csv", dir);
	unlink(path);
	r = rounds_new();
	assert_int_equal(at(r, "profiles/api_1700000000.heap.pb.gz",
			    1700000000), S(1700000000));
	rounds_free(r);
	snprintf(path, sizeof(path), "%s/profiles", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifest_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

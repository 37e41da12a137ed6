/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: manifest rows and the manifest's last round. */
#include "unit.h"

#include <unistd.h>

#include "collect/collect.h"
#include "collect/manifest.h"
#include "out/csvout.h"

#define MS ((int64_t)1000000)
#define S ((int64_t)1000000000)

static void manifest_rows(void **state)
{
	struct collect_row r = { 0 };
	struct csvout c;
	FILE *fp = tmpfile();
	char *s;

	(void)state;
	csvout_init(&c, fp);
	collect_manifest_write_header(&c);
	r.time_ns = 1700000000 * S + 123456789;
	r.round = 12;
	r.target = "api";
	r.kind = "heap";
	r.result = "ok";
	r.url = "http://127.0.0.1:6060/debug/pprof/heap";
	r.status = 200;
	r.bytes = 1234;
	r.duration_ns = 80 * MS + 250000;
	r.file = "profiles/api_1700000000.heap.pb.gz";
	r.pid = 4242;
	r.labels = "env=lab;zone=a";
	collect_manifest_write_row(&c, &r);
	memset(&r, 0, sizeof(r));
	r.time_ns = 1700000001 * S;
	r.round = 13;
	r.target = "api";
	r.kind = "goroutine";
	r.result = "failed";
	r.url = "http://127.0.0.1:6060/debug/pprof/goroutine";
	r.bytes = -1;
	r.duration_ns = -1;
	r.error = "an HTML page, not a goroutine: \"<html>\"";
	collect_manifest_write_row(&c, &r);
	csvout_release(&c);
	s = slurp(fp);
	assert_string_equal(s,
		"time,round,target,kind,result,url,status,bytes,duration_ms,"
		"file,pid,error,labels\n"
		"2023-11-14T22:13:20.123Z,12,api,heap,ok,"
		"http://127.0.0.1:6060/debug/pprof/heap,200,1234,80.2,"
		"profiles/api_1700000000.heap.pb.gz,4242,,env=lab;zone=a\n"
		"2023-11-14T22:13:21.000Z,13,api,goroutine,failed,"
		"http://127.0.0.1:6060/debug/pprof/goroutine,,,,,,"
		"\"an HTML page, not a goroutine: \"\"<html>\"\"\",\n");
	free(s);
	fclose(fp);
}

/* A collector started again numbers its rounds on from the manifest's. */
static void manifest_last_round(void **state)
{
	char dir[] = "/tmp/leaky-manifest-XXXXXX", path[64];
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(collect_manifest_last_round(dir), 0);
	snprintf(path, sizeof(path), "%s/manifest.csv", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", collect_manifest_header);
	fprintf(fp, "2023-11-14T22:13:20.123Z,12,api,heap,ok,,,,,,,,\n");
	fprintf(fp, "2023-11-14T22:13:21.123Z,9,web,heap,ok,,,,,,,,\n");
	fprintf(fp, "2023-11-14T22:13:22.1");
	fclose(fp);
	assert_int_equal(collect_manifest_last_round(dir), 12);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifest_rows),
		cmocka_unit_test(manifest_last_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: leaky load's summary, interval line and CSV rows. */
#include "unit.h"

#include "load/loadgen.h"
#include "load/loadstat.h"

#define MS 1000000

static struct load_result response(int64_t intended, int64_t latency,
				   int status, uint64_t bytes)
{
	struct load_result r;

	memset(&r, 0, sizeof(r));
	r.intended = intended;
	r.start = intended;
	r.end = intended + latency;
	r.status = status;
	r.bytes = bytes;
	r.write = 10000;
	r.delay = latency - 40000;
	r.read = 30000;
	return r;
}

static struct load_result failure(int64_t at, const char *msg)
{
	struct load_result r;

	memset(&r, 0, sizeof(r));
	r.intended = r.start = at;
	r.end = at + 1000;
	r.error = msg;
	return r;
}

static char *summary(const struct loadstat *s, const struct loadstat_run *run)
{
	FILE *fp = tmpfile();
	char *text;

	assert_non_null(fp);
	loadstat_summary(fp, s, run);
	text = slurp(fp);
	fclose(fp);
	return text;
}

/*
 * Percentiles are bucket midpoints (lathist.h): 2 ms shows as 2.003 ms, 3 ms
 * as 3.006 ms, within the stated 0.39%; the fastest and slowest are exact.
 */
static void small_run_golden(void **state)
{
	static const char want[] =
		"\n"
		"Summary:\n"
		"  Total:\t2.0000 secs\n"
		"  Slowest:\t10.00 ms\n"
		"  Fastest:\t1.000 ms\n"
		"  Average:\t4.000 ms\n"
		"  Requests/sec:\t3.5000\n"
		"  Requests:\t7 (4 responses, 3 errors)\n"
		"\n"
		"  Total data:\t40 bytes\n"
		"  Size/request:\t10 bytes\n"
		"\n"
		"Response time histogram (ms, log scale):\n"
		"  1.259 [1]\t|BARS\n"
		"  1.585 [0]\t|\n"
		"  1.995 [0]\t|\n"
		"  2.512 [1]\t|BARS\n"
		"  3.162 [1]\t|BARS\n"
		"  3.981 [0]\t|\n"
		"  5.012 [0]\t|\n"
		"  6.310 [0]\t|\n"
		"  7.943 [0]\t|\n"
		"  10.00 [1]\t|BARS\n"
		"\n"
		"Latency distribution:\n"
		"  25% in 1.000 ms\n"
		"  50% in 2.003 ms\n"
		"  75% in 3.006 ms\n"
		"\n"
		"Details (average, fastest, slowest):\n"
		"  DNS+dialup:\t0.02500 ms, 0.000 ms, 0.1000 ms\n"
		"  DNS-lookup:\t0.01250 ms, 0.000 ms, 0.05000 ms\n"
		"  req write:\t0.01000 ms, 0.01000 ms, 0.01000 ms\n"
		"  resp wait:\t3.960 ms, 0.9600 ms, 9.960 ms\n"
		"  resp read:\t0.03000 ms, 0.03000 ms, 0.03000 ms\n"
		"\n"
		"Status code distribution:\n"
		"  [200]\t3 responses\n"
		"  [404]\t1 responses\n"
		"\n"
		"Error distribution:\n"
		"  [2]\tCouldn't connect to server: Connection refused\n"
		"  [1]\ttimeout: no complete response within 1 s (-t)\n";
	struct loadstat *s = loadstat_new();
	struct loadstat_run run;
	struct load_result r;
	char *got, *expect, *p;
	const char *bars = "\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0\xe2\x96\xa0"
		"\xe2\x96\xa0";

	(void)state;
	r = response(0, 1 * MS, 200, 10);
	r.conn = 100000;	/* the one new connection */
	r.dns = 50000;
	loadstat_add(s, &r);
	r = response(5 * MS, 2 * MS, 404, 10);
	loadstat_add(s, &r);
	r = failure(6 * MS, "timeout: no complete response within 1 s (-t)");
	loadstat_add(s, &r);
	r = response(7 * MS, 3 * MS, 200, 10);
	loadstat_add(s, &r);
	r = failure(8 * MS, "Couldn't connect to server: Connection refused");
	loadstat_add(s, &r);
	loadstat_add(s, &r);
	r = response(9 * MS, 10 * MS, 200, 10);
	loadstat_add(s, &r);

	memset(&run, 0, sizeof(run));
	run.elapsed = 2000 * (int64_t)MS;
	run.concurrency = 2;
	got = summary(s, &run);
	/* every full bar is 40 squares: spell it once */
	expect = malloc(sizeof(want) + 4 * strlen(bars));
	p = expect;
	{
		const char *w = want, *b;

		while ((b = strstr(w, "BARS"))) {
			memcpy(p, w, (size_t)(b - w));
			p += b - w;
			strcpy(p, bars);
			p += strlen(bars);
			w = b + 4;
		}
		strcpy(p, w);
	}
	assert_string_equal(got, expect);
	free(got);
	free(expect);
	loadstat_free(s);
}

/* Percentile rows appear only with enough responses: 99.9% from 1000. */
static void percentile_rows(void **state)
{
	struct loadstat *s = loadstat_new();
	struct loadstat_run run;
	struct load_result r;
	char *got;
	int i;

	(void)state;
	memset(&run, 0, sizeof(run));
	run.elapsed = 1000 * (int64_t)MS;
	for (i = 0; i < 999; i++) {
		r = response(i, (i + 1) * 1000, 200, 0);
		loadstat_add(s, &r);
	}
	got = summary(s, &run);
	assert_non_null(strstr(got, "  99% in "));
	assert_null(strstr(got, "99.9%"));
	assert_null(strstr(got, "% in 0.000 "));	/* no zero rows */
	free(got);
	r = response(0, 1000000, 200, 0);
	loadstat_add(s, &r);
	got = summary(s, &run);
	assert_non_null(strstr(got, "  99.9% in 0.9974 ms\n"));
	free(got);
	loadstat_free(s);

	s = loadstat_new();
	r = response(0, 5 * MS, 200, 0);
	loadstat_add(s, &r);
	got = summary(s, &run);
	/* one response: no percentile section at all, one histogram row */
	assert_null(strstr(got, "Latency distribution"));
	assert_non_null(strstr(got, "log scale):\n  5.000 [1]\t|"));
	free(got);
	loadstat_free(s);
}

static void open_loop_notes(void **state)
{
	struct loadstat *s = loadstat_new();
	struct loadstat_run run;
	char *got;

	(void)state;
	memset(&run, 0, sizeof(run));
	run.elapsed = 3000 * (int64_t)MS;
	run.rate = 200;
	run.concurrency = 50;
	run.late = 3;
	run.late_max = 12345678;
	run.unfinished = 2;
	run.interrupted = 1;
	got = summary(s, &run);
	assert_string_equal(got,
		"\nSummary:\n"
		"  Total:\t3.0000 secs\n"
		"  Requests/sec:\t0.0000\n"
		"  Requests:\t0 (0 responses, 0 errors)\n"
		"  Open loop:\t200 requests/s, latency from each request's "
		"intended send time\n"
		"  Late sends:\t3 sent 1 ms or more after their time (at most "
		"12.35 ms): 50 in flight (-c) or a busy generator\n"
		"  Unfinished:\t2 requests in flight at the end, not counted\n"
		"  Stopped:\tinterrupted, the numbers so far\n");
	free(got);
	loadstat_free(s);
}

static void interval_line(void **state)
{
	struct loadstat *s = loadstat_new();
	struct load_result r;
	FILE *fp = tmpfile();
	char *got;
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		r = response(i, (i + 1) * 10000, i < 98 ? 200 : 503, 3);
		loadstat_add(s, &r);
	}
	r = failure(0, "x");
	loadstat_add(s, &r);
	loadstat_interval(fp, s, 12000 * (int64_t)MS, 1000 * (int64_t)MS);
	loadstat_reset(s);
	r = response(0, 2 * MS, 200, 3);
	loadstat_add(s, &r);
	loadstat_interval(fp, s, 12100 * (int64_t)MS, 0);
	got = slurp(fp);
	assert_string_equal(got,
		"    12.0s  requests 101  errors 1  rate 101.0/s  "
		"p50 0.5007 ms  p99 0.9892 ms  non-2xx 2\n"
		"    12.1s  requests 1  errors 0  rate -  p50 -  p99 -\n");
	free(got);
	fclose(fp);
	loadstat_free(s);
}

static void series_rows(void **state)
{
	struct loadstat *s = loadstat_new();
	struct load_result r;
	struct csvout c;
	FILE *fp = tmpfile();
	char *got;
	int i;

	(void)state;
	csvout_init(&c, fp);
	loadstat_series_header(&c);
	for (i = 0; i < 10; i++) {
		r = response(i, (i + 1) * (int64_t)MS, 200, 5);
		loadstat_add(s, &r);
	}
	loadstat_series_row(&c, s, 1700000001500000000, 1500000000,
			    1000000000, CSV_TIME_RFC3339);
	loadstat_reset(s);
	loadstat_series_row(&c, s, 1700000002500000000, 2500000000,
			    1000000000, CSV_TIME_UNIXMS);
	csvout_release(&c);
	got = slurp(fp);
	assert_string_equal(got,
		"time,elapsed,requests,errors,non2xx,rate,p50_ms,p90_ms,"
		"p99_ms,max_ms,bytes\n"
		"2023-11-14T22:13:21Z,1.500,10,0,0,10.00,4.997,9.011,,10.000,"
		"50\n"
		"1700000002500,2.500,0,0,0,0.00,,,,,0\n");
	free(got);
	fclose(fp);
	loadstat_free(s);
}

static void csv_rows(void **state)
{
	struct load_result r;
	struct csvout c;
	FILE *fp = tmpfile();
	char *got;

	(void)state;
	csvout_init(&c, fp);
	loadstat_csv_header(&c);
	r = response(1500 * (int64_t)MS, 2 * MS, 200, 17);
	r.conn = 120000;
	r.dns = 20000;
	loadstat_csv_row(&c, &r);
	r = failure(2 * (int64_t)1000000000,
		    "Couldn't connect to server: Connection refused, twice");
	loadstat_csv_row(&c, &r);
	csvout_release(&c);
	got = slurp(fp);
	assert_string_equal(got,
		"response-time,DNS+dialup,DNS,Request-write,Response-delay,"
		"Response-read,status-code,offset,bytes,error\n"
		"0.002000,0.000120,0.000020,0.000010,0.001960,0.000030,200,"
		"1.500000,17,\n"
		"0.000001,0.000000,0.000000,0.000000,0.000000,0.000000,0,"
		"2.000000,0,\"Couldn't connect to server: Connection refused, "
		"twice\"\n");
	free(got);
	fclose(fp);
}

static void ms_format(void **state)
{
	char b[32];

	(void)state;
	loadstat_fmt_ms(b, sizeof(b), 0);
	assert_string_equal(b, "0.000");
	loadstat_fmt_ms(b, sizeof(b), 73360);
	assert_string_equal(b, "0.07336");
	loadstat_fmt_ms(b, sizeof(b), 1234567);
	assert_string_equal(b, "1.235");
	loadstat_fmt_ms(b, sizeof(b), 12345678);
	assert_string_equal(b, "12.35");
	loadstat_fmt_ms(b, sizeof(b), 12345678901);
	assert_string_equal(b, "12346");
	loadstat_fmt_ms(b, sizeof(b), 500);
	assert_string_equal(b, "0.000500");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_run_golden),
		cmocka_unit_test(percentile_rows),
		cmocka_unit_test(open_loop_notes),
		cmocka_unit_test(interval_line),
		cmocka_unit_test(series_rows),
		cmocka_unit_test(csv_rows),
		cmocka_unit_test(ms_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

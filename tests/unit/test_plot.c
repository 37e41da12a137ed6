/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: plot's pure helpers and the script it writes. */
#include "unit.h"

#include "report/dataset.h"
#include "report/plot.h"
#include "base/strmap.h"

static void byte_units(void **state)
{
	double div;

	(void)state;
	assert_string_equal(plot_byte_unit(0, &div), "bytes");
	assert_true(div == 1);
	assert_string_equal(plot_byte_unit(1023, &div), "bytes");
	assert_string_equal(plot_byte_unit(1024, &div), "KiB");
	assert_true(div == 1024);
	assert_string_equal(plot_byte_unit(5.0 * 1048576, &div), "MiB");
	assert_true(div == 1048576);
	assert_string_equal(plot_byte_unit(1048575, &div), "KiB");
	assert_string_equal(plot_byte_unit(3.0 * 1073741824, &div), "GiB");
	assert_string_equal(plot_byte_unit(2e15, &div), "TiB");
	assert_string_equal(plot_byte_unit(1e30, &div), "TiB");
}

static void count_units(void **state)
{
	double div;

	(void)state;
	assert_string_equal(plot_count_unit(0, &div), "");
	assert_true(div == 1);
	assert_string_equal(plot_count_unit(99999, &div), "");
	assert_string_equal(plot_count_unit(100000, &div), "thousands");
	assert_true(div == 1000);
	assert_string_equal(plot_count_unit(3e8, &div), "millions");
}

static void check_quote(const char *in, size_t max, const char *want)
{
	char *q = plot_gp_string(in, max);

	assert_string_equal(q, want);
	free(q);
}

static void gp_strings(void **state)
{
	(void)state;
	check_quote("", 0, "''");
	check_quote("main.(*cache).put", 0, "'main.(*cache).put'");
	/* gnuplot single quotes: a quote is doubled, nothing else escaped */
	check_quote("it's", 0, "'it''s'");
	check_quote("''", 0, "''''''");
	check_quote("a\\b \"c\" x_1^2 {y} @z &<b>", 0,
		    "'a\\b \"c\" x_1^2 {y} @z &<b>'");
	check_quote("main.Map[...].Put,x", 0, "'main.Map[...].Put,x'");
	check_quote("main.(*\xce\xa9mega).wachsen", 0,
		    "'main.(*\xce\xa9mega).wachsen'");
	/* a newline would end the command: control characters are spaces */
	check_quote("a\nb\tc\rd\x7f", 0, "'a b c d '");
	/* bytes that are not UTF-8 (cairo and SVG need it) */
	check_quote("a\xff" "b\xc3", 0, "'a?b?'");
	check_quote("\xed\xa0\x80", 0, "'\?\?\?'");	/* a surrogate */
	check_quote("\xc0\xaf", 0, "'\?\?'");		/* overlong */
	/* cut at max characters, the last one an ellipsis */
	check_quote("abcdef", 6, "'abcdef'");
	check_quote("abcdefg", 6, "'abcde\xe2\x80\xa6'");
	check_quote("\xce\xa9\xce\xa9\xce\xa9\xce\xa9", 3,
		    "'\xce\xa9\xce\xa9\xe2\x80\xa6'");
	check_quote("ab'cd", 3, "'ab\xe2\x80\xa6'");
	check_quote("a'bcd", 3, "'a''\xe2\x80\xa6'");
}

static enum plot_csv_kind detect(const char *header)
{
	const char *f[64];
	char *copy = strdup(header), *p = copy, *tok;
	size_t n = 0;
	enum plot_csv_kind k;

	while ((tok = strsep(&p, ",")) && n < 64)
		f[n++] = tok;
	k = plot_csv_detect(f, n);
	free(copy);
	return k;
}

static void csv_detection(void **state)
{
	(void)state;
	assert_int_equal(detect("time,target,function,alloc_objects,"
				"alloc_space,inuse_objects,inuse_space"),
			 PLOT_CSV_HEAP);
	assert_int_equal(detect("time,target,stack,samples,cpu"),
			 PLOT_CSV_HEAP);
	assert_int_equal(detect("time,target,line,inuse_space"),
			 PLOT_CSV_HEAP);
	assert_int_equal(detect("time,target,goroutines,state,"
				"max_wait_minutes,created_by,top,stack,"
				"labels"), PLOT_CSV_GOROUTINES);
	assert_int_equal(detect("time,target,goroutines,>=1m,>=10m,>=60m,"
				"running,chan receive"),
			 PLOT_CSV_GOROUTINE_TOTALS);
	assert_int_equal(detect("time,target,goroutines"),
			 PLOT_CSV_GOROUTINE_TOTALS);
	assert_int_equal(detect("time,target,pid,size_kb,rss_kb,pss_kb,"
				"dirty_kb,anon_kb,file_kb,swap_kb,heap_kb,"
				"stack_kb"), PLOT_CSV_PMAP);
	assert_int_equal(detect("time,target,pid,address,mapping,size_kb,"
				"rss_kb,dirty_kb,mode"),
			 PLOT_CSV_PMAP_MAPPINGS);
	/* --wide, --memstats, report --csv and strangers */
	assert_int_equal(detect("time,target,main.(*cache).put,(other)"),
			 PLOT_CSV_UNKNOWN);
	assert_int_equal(detect("time,target,Alloc,TotalAlloc,Sys"),
			 PLOT_CSV_UNKNOWN);
	assert_int_equal(detect("time,target,function"), PLOT_CSV_UNKNOWN);
	assert_int_equal(detect("target,time,function,inuse_space"),
			 PLOT_CSV_UNKNOWN);
	assert_int_equal(detect("time,target,pid,size_kb"), PLOT_CSV_UNKNOWN);
	assert_int_equal(detect("time"), PLOT_CSV_UNKNOWN);
}

static void formats_and_sizes(void **state)
{
	enum plot_format f;
	unsigned w, h;

	(void)state;
	assert_int_equal(plot_format_from_path("a.png", &f), 0);
	assert_int_equal(f, PLOT_PNG);
	assert_int_equal(plot_format_from_path("dir.x/b.SVG", &f), 0);
	assert_int_equal(f, PLOT_SVG);
	assert_int_equal(plot_format_from_path("a.jpg", &f), -1);
	assert_int_equal(plot_format_from_path("a", &f), -1);
	assert_int_equal(plot_format_from_path("dir.png/a", &f), -1);
	assert_int_equal(plot_format_from_path("-", &f), -1);
	assert_int_equal(plot_parse_size("1200x800", &w, &h), 0);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 800);
	assert_int_equal(plot_parse_size("200x10000", &w, &h), 0);
	assert_int_equal(plot_parse_size("199x800", &w, &h), -1);
	assert_int_equal(plot_parse_size("800x10001", &w, &h), -1);
	assert_int_equal(plot_parse_size("800", &w, &h), -1);
	assert_int_equal(plot_parse_size("800x", &w, &h), -1);
	assert_int_equal(plot_parse_size("x800", &w, &h), -1);
	assert_int_equal(plot_parse_size("800X600", &w, &h), -1);
	assert_int_equal(plot_parse_size("-800x600", &w, &h), -1);
	assert_int_equal(plot_parse_size("800x600 ", &w, &h), -1);
}

static void time_axis(void **state)
{
	const char *fmt;

	(void)state;
	assert_true(plot_time_step(6, 800, &fmt) == 1);
	assert_string_equal(fmt, "%H:%M:%S");
	assert_true(plot_time_step(120, 800, &fmt) == 15);
	assert_string_equal(fmt, "%H:%M:%S");
	assert_true(plot_time_step(3600, 800, &fmt) == 300);
	assert_string_equal(fmt, "%H:%M");
	assert_true(plot_time_step(3 * 86400, 800, &fmt) == 43200);
	assert_string_equal(fmt, "%m-%d %H:%M");
	assert_true(plot_time_step(30 * 86400, 800, &fmt) == 7 * 86400);
	assert_string_equal(fmt, "%m-%d");
	assert_true(plot_time_step(3 * 365 * 86400.0, 800, &fmt) >= 91 * 86400);
	assert_string_equal(fmt, "%Y-%m-%d");
	/* a narrow chart gets fewer tics */
	assert_true(plot_time_step(6, 300, &fmt) == 2);
	assert_true(plot_time_step(0, 800, &fmt) == 1);
}

/* The script plot writes for pd, as a string. */
static char *script(struct plot_data *pd, int *ret)
{
	FILE *fp = tmpfile();
	char *s;

	assert_non_null(fp);
	*ret = plot_write_script(pd, fp);
	s = slurp(fp);
	fclose(fp);
	return s;
}

static const char heap_csv[] =
	"time,target,function,inuse_space\n"
	"2026-11-22T10:00:00Z,\"api,eu\",main.grow,1048576\n"
	"2026-11-22T10:00:00Z,\"api,eu\",main.it's,10\n"
	"2026-11-22T10:00:00Z,\"api,eu\",main.big,5000000\n"
	"2026-11-22T10:00:00Z,\"api,eu\",main.small,1\n"
	"2026-11-22T10:01:00Z,\"api,eu\",main.grow,3145728\n"
	"2026-11-22T10:01:00Z,\"api,eu\",main.it's,20\n"
	"2026-11-22T10:01:00Z,\"api,eu\",main.big,5000000\n"
	"2026-11-22T10:01:00Z,\"api,eu\",main.small,2\n";

/* Each of want (NULL-terminated) is somewhere in s. */
static void assert_lines(const char *s, const char *const *want)
{
	for (; *want; want++)
		if (!strstr(s, *want))
			fail_msg("no \"%s\" in the script", *want);
}

static void heap_script(void **state)
{
	static const char *const layout[] = {
		/* one panel and the image's title */
		"set terminal pngcairo size 1100,416 ",
		"set multiplot title ",
		"set label 'api,eu: in-use heap by function (top 2 by "
		"growth)' at screen ",
		/* the legend outside, right of the plot */
		"set rmargin at screen ",
		"set key at screen ",
		"set grid xtics ytics",
		NULL,
	};
	struct plot_opts o;
	struct plot_data *pd;
	char *s;
	int ret;

	(void)state;
	plot_opts_default(&o);
	o.top = 2;
	pd = plot_data_new(&o);
	assert_int_equal(plot_add_csv(pd, "h.csv", heap_csv,
				      sizeof(heap_csv) - 1), 0);
	/* The same rows twice count once. */
	assert_int_equal(plot_add_csv(pd, "again.csv", heap_csv,
				      sizeof(heap_csv) - 1), 0);
	assert_int_equal(plot_ntargets(pd), 1);
	s = script(pd, &ret);
	assert_int_equal(ret, 0);
	assert_lines(s, layout);
	/* no report judges a CSV */
	assert_null(strstr(s, "report on the"));
	assert_non_null(strstr(s, "set ylabel 'in-use heap (MiB)'"));
	assert_non_null(strstr(s, "set xlabel 'time (UTC, 2026-11-22)'"));
	assert_non_null(strstr(s, "set xdata time"));
	assert_non_null(strstr(s, "set timefmt '%s'"));
	/* the growers by growth: grow (+2 MiB), then it's (+10 bytes) */
	assert_non_null(strstr(s, "title 'main.grow (+2 MiB)' noenhanced"));
	assert_non_null(strstr(s, "title 'main.it''s (+10 bytes)' "
			       "noenhanced"));
	assert_non_null(strstr(s, "title '(other) 2 more functions'"));
	assert_null(strstr(s, "main.big"));
	assert_non_null(strstr(s, "title 'in-use heap (total)'"));
	/* epoch seconds, MiB; the total first (5 MB + 1 MiB + 11 bytes) */
	assert_non_null(strstr(s, "$leaky_0_0 << EOD\n1795341600.000 "
			       "5.768382072\n1795341660.000 7.768392563\n"));
	assert_null(strstr(s, "\n\n\n\n"));	/* no empty block */
	free(s);
	plot_data_free(pd);
}

/*
 * More lines than a chart first makes room for (the total, 30 keys and
 * "(other)"): each keeps its place and its values as the room grows.
 */
static void many_lines(void **state)
{
	struct plot_opts o;
	struct plot_data *pd;
	char csv[8192];
	size_t len, i;
	char *s;
	int ret;

	(void)state;
	plot_opts_default(&o);
	o.top = 30;
	len = (size_t)snprintf(csv, sizeof(csv),
			       "time,target,function,inuse_space\n");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len,
					"1795341600,api,f%02zu,%zu\n"
					"1795341660,api,f%02zu,%zu\n",
					i, (size_t)1, i, 1 + i);
	assert_true(len < sizeof(csv));
	pd = plot_data_new(&o);
	assert_int_equal(plot_add_csv(pd, "h.csv", csv, len), 0);
	s = script(pd, &ret);
	assert_int_equal(ret, 0);
	/* growth i: f39 first, f10 last of the 30 */
	assert_non_null(strstr(s, "index 1 using 1:2 with linespoints "
			       "lc rgb '#1f77b4'"));
	assert_non_null(strstr(s, "title 'f39 (+39 bytes)'"));
	assert_non_null(strstr(s, "title 'f10 (+10 bytes)'"));
	assert_null(strstr(s, "title 'f09 "));
	assert_non_null(strstr(s, "title '(other) 10 more functions'"));
	/* bytes: the total (40 + 780) first, f39 next, (other) last */
	assert_non_null(strstr(s, "$leaky_0_0 << EOD\n1795341600.000 40\n"
			       "1795341660.000 820\n\n\n1795341600.000 1\n"
			       "1795341660.000 40\n"));
	assert_non_null(strstr(s, "\n1795341660.000 55\nEOD\n"));
	free(s);
	plot_data_free(pd);
}

static void svg_and_size(void **state)
{
	struct plot_opts o;
	struct plot_data *pd;
	char *s;
	int ret;

	(void)state;
	plot_opts_default(&o);
	o.format = PLOT_SVG;
	o.width = 640;
	o.height = 300;
	pd = plot_data_new(&o);
	assert_int_equal(plot_add_csv(pd, "h.csv", heap_csv,
				      sizeof(heap_csv) - 1), 0);
	s = script(pd, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(s, "set terminal svg size 640,336 "));
	/* --top 8 > 3 growers: the one that did not grow is (other) */
	assert_null(strstr(s, "main.big"));
	assert_null(strstr(s, "(+0)"));
	assert_non_null(strstr(s, "title '(other) 1 more function'"));
	free(s);
	plot_data_free(pd);
}

static void bad_csv_adds_nothing(void **state)
{
	static const char bad_row[] =
		"time,target,function,inuse_space\n"
		"2026-11-22T10:00:00Z,api,main.grow,1048576\n"
		"2026-11-22T10:01:00Z,api,main.grow,lots\n";
	static const char bad_time[] =
		"time,target,function,inuse_space\n"
		"2026-11-22T10:00:00Z,api,main.grow,1\n"
		"yesterday,api,main.grow,2\n";
	static const char short_row[] =
		"time,target,function,inuse_space\n"
		"2026-11-22T10:00:00Z,api,main.grow\n";
	static const char unknown[] = "time,target,whatever\n1,a,b\n";
	static const char no_type[] = "time,target,stack,samples,cpu\n";
	static const char quoting[] = "time,target,function,inuse_space\n"
				      "1,\"a,1\n";
	struct plot_opts o;
	struct plot_data *pd;
	int ret;
	char *s;

	(void)state;
	plot_opts_default(&o);
	pd = plot_data_new(&o);
	assert_int_equal(plot_add_csv(pd, "a", bad_row, strlen(bad_row)), -1);
	assert_int_equal(plot_add_csv(pd, "b", bad_time, strlen(bad_time)),
			 -1);
	assert_int_equal(plot_add_csv(pd, "c", short_row, strlen(short_row)),
			 -1);
	assert_int_equal(plot_add_csv(pd, "d", unknown, strlen(unknown)), -1);
	assert_int_equal(plot_add_csv(pd, "e", no_type, strlen(no_type)), -1);
	assert_int_equal(plot_add_csv(pd, "f", quoting, strlen(quoting)), -1);
	assert_int_equal(plot_add_csv(pd, "g", "", 0), -1);
	assert_int_equal(plot_ntargets(pd), 0);
	s = script(pd, &ret);
	assert_int_equal(ret, -1);
	assert_string_equal(s, "");
	free(s);
	plot_data_free(pd);
}

static void goroutines_and_pmap(void **state)
{
	static const char gor[] =
		"time,target,goroutines,state,max_wait_minutes,created_by,"
		"top,stack,labels\n"
		"1795341600,api,2,chan receive,,main.pool,main.worker,"
		"main.main;main.worker,\"route=/a,b;t='x'\"\n"
		"1795341600,api,1,select,,,main.idle,main.idle,\n"
		"1795341660000,api,40,chan receive,3,main.pool,main.worker,"
		"main.main;main.worker,\"route=/a,b;t='x'\"\n"
		"1795341660000,api,1,select,,,main.idle,main.idle,\n";
	static const char pmap[] =
		"time,target,pid,size_kb,rss_kb,pss_kb,dirty_kb,anon_kb,"
		"file_kb,swap_kb,heap_kb,stack_kb\n"
		"2026-11-22T10:00:00Z,api,1,100,2048,,,1024,,,,\n"
		"2026-11-22T10:00:00Z,api,1,100,,,,,,,,\n"
		"2026-11-22T10:01:00Z,api,1,100,4096,,,3072,,,,\n";
	struct plot_opts o;
	struct plot_data *pd;
	char *s;
	int ret;

	(void)state;
	plot_opts_default(&o);
	pd = plot_data_new(&o);
	assert_int_equal(plot_add_csv(pd, "g.csv", gor, strlen(gor)), 0);
	assert_int_equal(plot_add_csv(pd, "p.csv", pmap, strlen(pmap)), 0);
	s = script(pd, &ret);
	assert_int_equal(ret, 0);
	/* two panels stacked */
	assert_non_null(strstr(s, "set terminal pngcairo size 1100,796 "));
	assert_non_null(strstr(s, "title 'main.worker [chan receive] "
			       "{route=/a,b;t=''x''} (+38)' noenhanced"));
	assert_null(strstr(s, "main.idle"));
	assert_non_null(strstr(s, "set label 'api: goroutines by group"));
	assert_non_null(strstr(s, "set ylabel 'goroutines'"));
	/* milliseconds and seconds are the same minute */
	assert_non_null(strstr(s, "\n1795341600.000 3\n1795341660.000 41\n"));
	assert_non_null(strstr(s, "set label 'api: RSS against the Go heap'"));
	assert_non_null(strstr(s, "set ylabel 'memory (MiB)'"));
	assert_non_null(strstr(s, "title 'RSS'"));
	assert_non_null(strstr(s, "title 'anonymous RSS'"));
	assert_non_null(strstr(s, "\n1795341600.000 2\n1795341660.000 4\n"));
	free(s);
	plot_data_free(pd);
}

/* A dataset of one target: heap, goroutines, memory and a restart. */
static void make(struct dataset *ds)
{
	struct ds_target *t;
	size_t i;

	memset(ds, 0, sizeof(*ds));
	ds->funcs = strmap_new();
	ds->groups = strmap_new();
	ds->stats = strmap_new();
	strmap_intern(ds->funcs, "main.grow", 9, NULL);
	strmap_intern(ds->groups, "k", 1, NULL);
	ds->group_info = calloc(1, sizeof(*ds->group_info));
	ds->group_info[0].stack = strdup("main.main;main.worker");
	ds->group_info[0].state = strdup("chan receive");
	ds->group_info[0].top = strdup("main.worker");
	ds->group_info[0].created_by = strdup("");
	ds->group_info[0].labels = strdup("");
	ds->capgroup_info = 1;
	ds->ntargets = ds->captargets = 1;
	ds->targets = calloc(1, sizeof(*ds->targets));
	t = &ds->targets[0];
	t->name = strdup("api");
	t->nheap = t->capheap = 4;
	t->heap = calloc(4, sizeof(*t->heap));
	t->ngor = t->capgor = 4;
	t->gor = calloc(4, sizeof(*t->gor));
	t->nmem = t->capmem = 4;
	t->mem = calloc(4, sizeof(*t->mem));
	for (i = 0; i < 4; i++) {
		int64_t when = (int64_t)(1795341600 + 60 * i) * 1000000000;
		struct ds_heap *h = &t->heap[i];
		struct ds_gor *g = &t->gor[i];

		h->t = g->t = t->mem[i].t = when;
		h->inuse_space = 2048 * (int64_t)(i + 1) + 100;
		h->nrows = 1;
		h->keys = calloc(1, sizeof(*h->keys));
		h->flat = calloc(1, sizeof(*h->flat));
		h->cum = calloc(1, sizeof(*h->cum));
		h->flat[0] = h->cum[0] = 2048 * (int64_t)(i + 1);
		g->total = 10 * (int64_t)(i + 1);
		g->nrows = 1;
		g->keys = calloc(1, sizeof(*g->keys));
		g->count = calloc(1, sizeof(*g->count));
		g->max_wait = calloc(1, sizeof(*g->max_wait));
		g->count[0] = 10 * (int64_t)(i + 1);
		t->mem[i].rss_kb = 1024 * (int64_t)(i + 4);
		t->mem[i].anon_kb = -1;
	}
	t->nrestarts = t->caprestarts = 1;
	t->restarts = calloc(1, sizeof(*t->restarts));
	t->restarts[0].t = (int64_t)1795341690 * 1000000000;
	t->restarts[0].why = strdup("pid 1 -> 2");
}

static void from_dataset(void **state)
{
	struct plot_opts o;
	struct plot_data *pd;
	struct dataset ds;
	char *s;
	int ret;

	(void)state;
	make(&ds);
	plot_opts_default(&o);
	pd = plot_data_new(&o);
	plot_add_dataset(pd, &ds);
	ds_release(&ds);
	s = script(pd, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(s, "set terminal pngcairo size 1100,1176 "));
	assert_non_null(strstr(s, "title 'main.grow (+6 KiB)'"));
	/* 2 snapshots a segment: the report can say nothing yet */
	assert_non_null(strstr(s, "leaky report: api not enough data"));
	assert_non_null(strstr(s, "set label 'report on the heap: not "
			       "enough data'"));
	assert_non_null(strstr(s, "title '(other)"));
	assert_non_null(strstr(s, "title 'main.worker [chan receive] (+30)'"));
	assert_non_null(strstr(s, "title 'Go heap in use (heap profile)'"));
	assert_non_null(strstr(s, "set arrow from '1795341690.000', graph 0"));
	assert_non_null(strstr(s, "set label 'restart' at '1795341690.000'"));
	assert_null(strstr(s, "anonymous RSS"));
	free(s);
	plot_keep_targets(pd, (char *[]){ (char *)"web" }, 1);
	assert_int_equal(plot_ntargets(pd), 0);
	plot_data_free(pd);
}

static void too_large(void **state)
{
	struct plot_opts o;
	struct plot_data *pd;
	char csv[8192];
	size_t n = 0, i;
	char *s;
	int ret;

	(void)state;
	plot_opts_default(&o);
	o.height = 10000;
	pd = plot_data_new(&o);
	n += (size_t)snprintf(csv, sizeof(csv),
			      "time,target,function,inuse_space\n");
	/* 3 targets a band, 4 bands of 10000 pixels */
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n,
				      "1795341600,t%zu,f,1\n", i);
	assert_int_equal(plot_add_csv(pd, "x", csv, n), 0);
	s = script(pd, &ret);
	assert_int_equal(ret, -1);
	free(s);
	plot_data_free(pd);
}

static void short_names(void **state)
{
	static const char *const cases[][2] = {
		{ "github.com/prometheus/prometheus/tsdb/chunkenc.(*bstream)."
		  "writeBit", "chunkenc.(*bstream).writeBit" },
		{ "main.(*cache).put", "main.(*cache).put" },
		{ "net/http.(*conn).serve", "http.(*conn).serve" },
		{ "gopkg.in/yaml.v2.Unmarshal", "yaml.v2.Unmarshal" },
		{ "example.com/m/p.Map[go.shape.string/x].Put",
		  "p.Map[go.shape.string/x].Put" },
		{ "example.com/q.f [chan receive] {route=/a/b}",
		  "q.f [chan receive] {route=/a/b}" },
		{ "created by example.com/p/q.start [select]",
		  "created by q.start [select]" },
		{ "runtime.gopark", "runtime.gopark" },
		{ "", "" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		plot_short_name(cases[i][0], buf, sizeof(buf));
		assert_string_equal(buf, cases[i][1]);
	}
}

static void find_gnuplot(void **state)
{
	char *p;

	(void)state;
	p = plot_find_gnuplot("/nonexistent/gnuplot");
	assert_null(p);
	p = plot_find_gnuplot("sh");
	assert_non_null(p);
	assert_non_null(strchr(p, '/'));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(byte_units),
		cmocka_unit_test(count_units),
		cmocka_unit_test(gp_strings),
		cmocka_unit_test(csv_detection),
		cmocka_unit_test(formats_and_sizes),
		cmocka_unit_test(time_axis),
		cmocka_unit_test(heap_script),
		cmocka_unit_test(many_lines),
		cmocka_unit_test(svg_and_size),
		cmocka_unit_test(bad_csv_adds_nothing),
		cmocka_unit_test(goroutines_and_pmap),
		cmocka_unit_test(from_dataset),
		cmocka_unit_test(too_large),
		cmocka_unit_test(short_names),
		cmocka_unit_test(find_gnuplot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

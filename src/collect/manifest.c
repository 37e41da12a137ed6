/* manifest.csv's rows: the header, a row, its time format. */
#include "collect/manifest.h"
#include "out/csvout.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)

/* ---- manifest ------------------------------------------------------ */

const char collect_manifest_header[] =
	"time,round,target,kind,result,url,status,bytes,duration_ms,file,"
	"pid,error,labels";

char *collect_format_time(int64_t ns, char buf[40])
{
	time_t secs = (time_t)(ns / NS_PER_S);
	int ms = (int)(ns % NS_PER_S / NS_PER_MS);
	struct tm tm;
	size_t n;

	if (ns < 0) {
		secs = 0;
		ms = 0;
	}
	gmtime_r(&secs, &tm);
	n = strftime(buf, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 40 - n, ".%03dZ", ms);
	return buf;
}

void collect_manifest_write_header(struct csvout *c)
{
	fputs(collect_manifest_header, c->fp);
	fputc('\n', c->fp);
}

void collect_manifest_write_row(struct csvout *c, const struct collect_row *r)
{
	char tbuf[40], dbuf[32];

	csvout_str(c, collect_format_time(r->time_ns, tbuf));
	csvout_i64(c, r->round);
	csvout_str(c, r->target);
	csvout_str(c, r->kind);
	csvout_str(c, r->result);
	csvout_str(c, r->url ? r->url : "");
	if (r->status)
		csvout_i64(c, r->status);
	else
		csvout_empty(c);
	if (r->bytes >= 0)
		csvout_i64(c, r->bytes);
	else
		csvout_empty(c);
	if (r->duration_ns >= 0) {
		snprintf(dbuf, sizeof(dbuf), "%.1f",
			 (double)r->duration_ns / NS_PER_MS);
		csvout_str(c, dbuf);
	} else {
		csvout_empty(c);
	}
	csvout_str(c, r->file ? r->file : "");
	if (r->pid > 0)
		csvout_i64(c, r->pid);
	else
		csvout_empty(c);
	csvout_str(c, r->error ? r->error : "");
	csvout_str(c, r->labels ? r->labels : "");
	csvout_end(c);
}

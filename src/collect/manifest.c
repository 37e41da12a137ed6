/* SPDX-License-Identifier: Apache-2.0 */
/* manifest.csv's rows: the header, a row, its time format. */
#include "collect/manifest.h"
#include "base/clock.h"
#include "out/csvout.h"

#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)

/* ---- manifest ------------------------------------------------------ */

const char collect_manifest_header[] =
	"time,round,target,kind,result,url,status,bytes,duration_ms,file,"
	"pid,error,labels";

char *collect_format_time(int64_t ns, char buf[CLOCK_TEXT_MAX])
{
	/* A clock before 1970 is a broken clock: the epoch, not a sign. */
	if (ns < 0)
		ns = 0;
	clock_format(buf, ns / NS_PER_S, (int)(ns % NS_PER_S / NS_PER_MS),
		     CLOCK_RFC3339_MS);
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

/*
 * The largest round in the manifest of dir, 0 when it has none: a
 * collector started again on a directory numbers its rounds on from
 * there, so that a round number names one round of the directory and a
 * restart of the collector shows as a jump in time, not as rounds that
 * begin at 1 again. Rows are appended in time order, so the last few
 * kilobytes hold the largest; the round is the second column, before
 * which nothing is quoted (a time).
 */
int64_t collect_manifest_last_round(const char *dir)
{
	char path[4096], *p, *end;
	char tail[16384];
	struct stat st;
	int64_t best = 0, v;
	off_t from;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/manifest.csv", dir) >=
	    sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	from = st.st_size > (off_t)sizeof(tail) - 1 ?
	       st.st_size - ((off_t)sizeof(tail) - 1) : 0;
	n = pread(fd, tail, sizeof(tail) - 1, from);
	close(fd);
	if (n <= 0)
		return 0;
	tail[n] = '\0';
	p = tail;
	/* A tail that starts mid-line starts at the next line. */
	if (from > 0) {
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
	}
	for (; *p; p = end) {
		char *comma = strchr(p, ',');

		end = strchr(p, '\n');
		end = end ? end + 1 : p + strlen(p);
		if (!comma || comma >= end || !isdigit((unsigned char)comma[1]))
			continue;
		v = strtoll(comma + 1, NULL, 10);
		if (v > best && v < INT32_MAX)
			best = v;
	}
	return best;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The report rules' verdicts per target, for leaky collect --listen. */
#include "fleet/exporter_verdict.h"
#include "base/leaky.h"
#include "report/dataset.h"
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const exporter_verdict_series[EV_NSERIES] = {
	"heap_inuse_bytes", "goroutines", "rss_bytes", "open_fds",
};

/* Columns of report_write_csv() this reads, by their names there. */
enum {
	COL_SEGMENT = 1, COL_SERIES = 2, COL_KEY = 3, COL_SLOPE = 13,
	COL_VERDICT = 19, NCOLS = 21,
};

const char *exporter_verdict_level(int level)
{
	static const char *const names[] = { "nodata", "ok", "suspect",
					     "leak" };

	return level >= 0 && level <= VERDICT_LEAK ? names[level] : "nodata";
}

static void quiet_sink(void *data, const char *msg)
{
	(void)data;
	(void)msg;
}

/*
 * Splits one CSV record of s (RFC 4180 quoting, as out/csvout.h writes)
 * into NUL-terminated fields in place. Returns the number of fields (at
 * most n) and sets *next past the record, or returns 0 at the end.
 */
static size_t csv_record(char *s, char **f, size_t n, char **next)
{
	size_t nf = 0;
	char *w = s;

	if (!*s)
		return 0;
	for (;;) {
		char *start = w;
		int quoted = *s == '"';

		if (quoted)
			s++;
		while (*s) {
			if (quoted && *s == '"' && s[1] == '"') {
				*w++ = '"';
				s += 2;
			} else if (quoted && *s == '"') {
				quoted = 0;
				s++;
			} else if (!quoted && (*s == ',' || *s == '\n')) {
				break;
			} else {
				*w++ = *s++;
			}
		}
		if (nf < n)
			f[nf++] = start;
		if (*s == ',') {
			*w++ = '\0';
			s++;
			continue;
		}
		if (*s == '\n')
			s++;
		*w = '\0';
		*next = s;
		return nf;
	}
}

static int verdict_of(const char *s)
{
	if (!strcmp(s, "leak"))
		return VERDICT_LEAK;
	if (!strcmp(s, "suspect"))
		return VERDICT_SUSPECT;
	if (!strcmp(s, "ok"))
		return VERDICT_OK;
	return VERDICT_NODATA;
}

/*
 * Reads one target's trend table (its rows only): the growth of the main
 * series and the worst function or goroutine group of its last segment.
 */
static void read_table(char *csv, struct ev_target *t)
{
	char *f[NCOLS], *next, *p = csv;
	long last = 0;
	int best = VERDICT_OK, pass, i;
	size_t nf;

	/* Two passes: the last segment first, then its rows. */
	for (pass = 0; pass < 2; pass++) {
		char *copy = xstrdup(csv);

		p = copy;
		next = NULL;
		nf = csv_record(p, f, NCOLS, &next);	/* the header */
		for (p = next; nf; p = next) {
			long seg;

			nf = csv_record(p, f, NCOLS, &next);
			if (nf < NCOLS)
				continue;
			seg = atol(f[COL_SEGMENT]);
			if (!pass) {
				if (seg > last)
					last = seg;
				continue;
			}
			if (seg != last)
				continue;
			for (i = 0; i < EV_NSERIES; i++)
				if (!strcmp(f[COL_SERIES],
					    exporter_verdict_series[i]) &&
				    *f[COL_SLOPE])
					t->growth[i] = strtod(f[COL_SLOPE],
							      NULL);
			if ((!strcmp(f[COL_SERIES], "function_flat") ||
			     !strcmp(f[COL_SERIES], "goroutine_group")) &&
			    verdict_of(f[COL_VERDICT]) > best) {
				best = verdict_of(f[COL_VERDICT]);
				free(t->suspect);
				t->suspect = xstrdup(f[COL_KEY]);
			}
		}
		free(copy);
	}
}

static void analyse(const struct dataset *ds, size_t i, struct ev_target *t)
{
	struct report_opts o;
	struct dataset one = *ds;
	struct report *r;
	char *csv = NULL;
	size_t len = 0;
	FILE *mem;
	int k;

	/* A dataset of this target alone: report_verdict() is the worst
	 * over its targets, and the table is then this target's. */
	one.targets = &ds->targets[i];
	one.ntargets = 1;
	report_opts_default(&o);
	o.csv_raw = 1;
	r = report_new(&one, &o);
	t->name = xstrdup(ds->targets[i].name);
	t->level = (int)report_verdict(r);
	t->suspect = xstrdup("");
	for (k = 0; k < EV_NSERIES; k++)
		t->growth[k] = NAN;
	mem = open_memstream(&csv, &len);
	if (mem && !report_write_csv(r, mem) && !fclose(mem))
		read_table(csv, t);
	else if (mem)
		fclose(mem);
	if (t->level < VERDICT_SUSPECT) {
		free(t->suspect);
		t->suspect = xstrdup("");
	}
	free(csv);
	report_free(r);
}

int exporter_verdicts(const char *dir, struct ev_result *res)
{
	struct error_sink quiet = { quiet_sink, NULL }, old;
	struct dataset ds;
	char *paths[1];
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&ds, 0, sizeof(ds));
	paths[0] = (char *)dir;
	old = error_sink_set(quiet);
	rc = ds_load(&ds, paths, 1, NULL, 0);
	error_sink_set(old);
	if (rc < 0) {
		ds_release(&ds);
		return -1;
	}
	res->targets = xcalloc(ds.ntargets + 1, sizeof(*res->targets));
	res->n = ds.ntargets;
	for (i = 0; i < ds.ntargets; i++)
		analyse(&ds, i, &res->targets[i]);
	ds_release(&ds);
	return 0;
}

void ev_release(struct ev_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		free(res->targets[i].name);
		free(res->targets[i].suspect);
	}
	free(res->targets);
	memset(res, 0, sizeof(*res));
}

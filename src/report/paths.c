/* SPDX-License-Identifier: Apache-2.0 */
/* Two heap profiles' change by stack, for the report's call paths. */
#include "report/paths.h"
#include "report/dataset.h"
#include "analyze/aggdiff.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/reader.h"
#include "model/profile.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* The profiler's frames, compiled into *re, unless kept: NULL then. */
static const regex_t *profiler_frames(regex_t *re, int keep_profiler)
{
	if (keep_profiler)
		return NULL;
	if (regcomp(re, DS_PROFILER_FRAMES, REG_EXTENDED | REG_NOSUB))
		BUG("cannot compile %s", DS_PROFILER_FRAMES);
	return re;
}

/* Reads first and last into p[0] and p[1]; -1 after a report. */
static int load_two(const char *first, const char *last,
		    struct profile *p[2])
{
	const char *path[2] = { first, last };
	struct prof_reader rd;
	int i;

	prof_reader_init(&rd, NULL);
	for (i = 0; i < 2; i++)
		p[i] = prof_reader_load(&rd, path[i], NULL);
	prof_reader_release(&rd);
	if (p[0] && p[1])
		return 0;
	profile_free(p[0]);
	profile_free(p[1]);
	return -1;
}

int stackdiff_load(struct stackdiff *sd, const char *first, const char *last,
		   int keep_profiler)
{
	struct agg_opts o = { .by = AGG_STACK };
	struct agg_snapshot s[2] = { { 0 }, { 0 } };
	struct profile *p[2];
	regex_t profiler;
	int ret = 0, t[2], i;

	memset(sd, 0, sizeof(*sd));
	if (load_two(first, last, p) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		t[i] = profile_find_type(p[i], "inuse_space");
	if (t[0] < 0 || t[1] != t[0]) {
		error("%s: no inuse_space like the first profile's",
		      t[0] < 0 ? first : last);
		ret = -1;
	} else {
		o.ignore = profiler_frames(&profiler, keep_profiler);
		sd->g = agg_new(&o);
		sd->type = (size_t)t[0];
		for (i = 0; i < 2; i++)
			agg_profile(sd->g, p[i], sd->type, &s[i]);
		if (agg_diff(sd->g, &s[0], &s[1], sd->type, &sd->d) < 0)
			ret = -1;
		agg_snapshot_release(&s[0]);
		agg_snapshot_release(&s[1]);
		if (o.ignore)
			regfree(&profiler);
	}
	profile_free(p[0]);
	profile_free(p[1]);
	if (ret)
		stackdiff_release(sd);
	return ret;
}

void stackdiff_release(struct stackdiff *sd)
{
	agg_snapshot_release(&sd->d);
	agg_free(sd->g);
	memset(sd, 0, sizeof(*sd));
}

int gorsites_load(struct gorsites *gs, const char *first, const char *last,
		  int keep_profiler)
{
	struct gor_opts o = { .by = GOR_SITE };
	struct profile *p[2];
	regex_t profiler;
	int ret = 0;

	memset(gs, 0, sizeof(*gs));
	if (load_two(first, last, p) < 0)
		return -1;
	o.ignore = profiler_frames(&profiler, keep_profiler);
	gs->g = gor_new(&o);
	if (gor_profile(gs->g, first, p[0], &gs->s[0]) < 0 ||
	    gor_profile(gs->g, last, p[1], &gs->s[1]) < 0)
		ret = -1;
	if (o.ignore)
		regfree(&profiler);
	profile_free(p[0]);
	profile_free(p[1]);
	if (ret)
		gorsites_release(gs);
	return ret;
}

void gorsites_release(struct gorsites *gs)
{
	gor_snapshot_release(&gs->s[0]);
	gor_snapshot_release(&gs->s[1]);
	gor_free(gs->g);
	memset(gs, 0, sizeof(*gs));
}

/* Whether gr is the dataset's group key (its stack, state and labels). */
static int same_group(const struct gor_group *gr, const char *key)
{
	const char *f[3] = { gr->stack, gr->state, gr->labels };
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = f[i] ? strlen(f[i]) : 0;
		if (n && strncmp(key, f[i], n))
			return 0;
		key += n;
		if (*key != (i < 2 ? '\x1f' : '\0'))
			return 0;
		key += i < 2;
	}
	return 1;
}

/* "PATH at FILE:LINE" of a group's creation site. */
static char *site_text(const struct gor_group *gr)
{
	char *path = gr->creator_path && gr->creator_path[0] ?
		callpath_trim(gr->creator_path) : xstrdup("an unknown creator");
	struct buf b;

	if (!gr->created_at || !gr->created_at[0])
		return path;
	buf_init(&b);
	buf_addstr(&b, path);
	buf_addstr(&b, " at ");
	buf_addstr(&b, gr->created_at);
	buf_add(&b, "", 1);
	free(path);
	return (char *)b.data;
}

size_t gorsites_of(const struct gorsites *gs, const char *key, size_t max,
		   double min_share, struct callpaths *out)
{
	struct callpath_acc a;
	size_t i;
	int k;

	memset(out, 0, sizeof(*out));
	callpath_acc_init(&a);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < gs->s[k].ngroups; i++) {
			const struct gor_group *gr = &gs->s[k].groups[i];

			if (same_group(gr, key))
				callpath_acc_add(&a, site_text(gr),
						 k ? gr->goroutines :
						     -gr->goroutines);
		}
	}
	return callpath_acc_keep(&a, max, min_share, out);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* A collection's retention: its sample files by second, oldest first. */
#include "collect/retention.h"
#include "base/leaky.h"
#include "model/samplename.h"

#include <stdlib.h>
#include <string.h>

struct rfile {
	int64_t secs;		/* the second in its name */
	int64_t size;
	char *rel;
};

/*
 * files[head..n) are the files kept, in order of their seconds: the
 * collector adds each round's files after the last, so an insertion is
 * at the end but for a target whose round started before another's
 * last one. Removal is from the head, which moves down the array until
 * half of it is dead, then the live part is moved back.
 */
struct retention {
	int64_t keep_secs;
	uint64_t max_size;
	struct rfile *files;
	size_t head, n, cap;
	uint64_t total;
};

struct retention *retention_new(int64_t keep_secs, uint64_t max_size)
{
	struct retention *rt = xcalloc(1, sizeof(*rt));

	rt->keep_secs = keep_secs;
	rt->max_size = max_size;
	return rt;
}

void retention_free(struct retention *rt)
{
	size_t i;

	if (!rt)
		return;
	for (i = rt->head; i < rt->n; i++)
		free(rt->files[i].rel);
	free(rt->files);
	free(rt);
}

uint64_t retention_total(const struct retention *rt)
{
	return rt->total;
}

void retention_add(struct retention *rt, const char *rel, int64_t size)
{
	char *target;
	int64_t secs;
	size_t at;
	int named = samplename_parse(rel, &target, &secs);

	free(target);
	if (!named || size < 0)
		return;
	if (rt->head && rt->head >= rt->n / 2) {
		memmove(rt->files, rt->files + rt->head,
			(rt->n - rt->head) * sizeof(*rt->files));
		rt->n -= rt->head;
		rt->head = 0;
	}
	rt->files = xgrow(rt->files, &rt->cap, rt->n + 1, sizeof(*rt->files));
	at = rt->n;
	while (at > rt->head && rt->files[at - 1].secs > secs)
		at--;
	memmove(rt->files + at + 1, rt->files + at,
		(rt->n - at) * sizeof(*rt->files));
	rt->files[at].secs = secs;
	rt->files[at].size = size;
	rt->files[at].rel = xstrdup(rel);
	rt->n++;
	rt->total += (uint64_t)size;
}

static struct retention_group *group_of(struct retention_group **g,
					size_t *n, const char *target)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*g)[i].target, target))
			return &(*g)[i];
	*g = xrealloc(*g, (*n + 1) * sizeof(**g));
	memset(&(*g)[*n], 0, sizeof(**g));
	(*g)[*n].target = xstrdup(target);
	return &(*g)[(*n)++];
}

/* Removes the head file, summed into its target's group. */
static void drop_head(struct retention *rt, unsigned why,
		      void (*remove)(void *ctx, const char *rel), void *ctx,
		      struct retention_group **groups, size_t *ngroups)
{
	struct rfile *f = &rt->files[rt->head++];
	struct retention_group *g;
	char *target;
	int64_t secs;

	samplename_parse(f->rel, &target, &secs);
	g = group_of(groups, ngroups, target);
	free(target);
	if (!g->files || f->secs < g->first)
		g->first = f->secs;
	if (!g->files || f->secs > g->last)
		g->last = f->secs;
	g->files++;
	g->bytes += f->size;
	g->why |= why;
	rt->total -= (uint64_t)f->size;
	remove(ctx, f->rel);
	free(f->rel);
}

void retention_prune(struct retention *rt, int64_t now_secs,
		     void (*remove)(void *ctx, const char *rel), void *ctx,
		     struct retention_group **groups, size_t *ngroups,
		     int *over_size)
{
	*groups = NULL;
	*ngroups = 0;
	*over_size = 0;
	if (rt->keep_secs)
		while (rt->head < rt->n &&
		       rt->files[rt->head].secs < now_secs - rt->keep_secs)
			drop_head(rt, RETENTION_AGE, remove, ctx, groups,
				  ngroups);
	if (!rt->max_size)
		return;
	while (rt->total > rt->max_size && rt->head < rt->n) {
		int64_t oldest = rt->files[rt->head].secs;

		if (oldest == rt->files[rt->n - 1].secs) {
			*over_size = 1;
			return;
		}
		while (rt->head < rt->n && rt->files[rt->head].secs == oldest)
			drop_head(rt, RETENTION_SIZE, remove, ctx, groups,
				  ngroups);
	}
}

void retention_groups_free(struct retention_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(g[i].target);
	free(g);
}

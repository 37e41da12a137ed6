/* SPDX-License-Identifier: Apache-2.0 */
/* The profile model: its lifetime, checks, pruning and lookups. */
#include "model/profile.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <pthread.h>
#include <stdlib.h>
#include <regex.h>
#include <string.h>

/*
 * Arenas of freed profiles, kept for the next ones: reading a series, each
 * profile is decoded into the pages the one before it used, instead of
 * pages the kernel must fault in and zero anew (what the arena keeps is
 * arena_reset()'s: its last use). Shared by the threads that decode
 * (parmap's workers) and the one that frees, hence the lock; at most as
 * many as were in use at once, up to POOL_MAX.
 */
#define POOL_MAX 64
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct arena *pool[POOL_MAX];
static size_t npool;

struct profile *profile_new(size_t budget)
{
	struct profile *p = xcalloc(1, sizeof(*p));

	pthread_mutex_lock(&pool_lock);
	if (npool)
		p->arena = pool[--npool];
	pthread_mutex_unlock(&pool_lock);
	if (p->arena)
		arena_set_budget(p->arena, budget);
	else
		p->arena = arena_new(budget);
	p->period_type.type = "";
	p->period_type.unit = "";
	p->drop_frames = "";
	p->keep_frames = "";
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	arena_reset(p->arena);
	pthread_mutex_lock(&pool_lock);
	if (npool < POOL_MAX) {
		pool[npool++] = p->arena;
		p->arena = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	arena_free(p->arena);
	free(p);
}

/*
 * Every analysis adds up sample values in int64: per type, the positive
 * values must add up to at most INT64_MAX and the negative ones to at
 * least INT64_MIN, so that the sum of any subset, in any order, fits.
 * (pprof wraps around silently.)
 */
struct profile *profile_checked(struct profile *p, const char *name)
{
	size_t t, i;

	for (t = 0; p && t < p->ntypes; t++) {
		int64_t pos = 0, neg = 0;

		for (i = 0; i < p->nsamples; i++) {
			int64_t v = p->samples[i].values[t];
			int over = v >= 0 ?
				   __builtin_add_overflow(pos, v, &pos) :
				   __builtin_add_overflow(neg, v, &neg);

			if (over) {
				error("%s: invalid profile: the %s values add "
				      "up past the 64-bit range (sample %zu)",
				      name, p->types[t].type, i);
				profile_free(p);
				return NULL;
			}
		}
	}
	return p;
}

const char *profile_format_name(enum prof_format f)
{
	switch (f) {
	case PROF_PPROF:
		return "proto";
	case PROF_HEAP_TEXT:
	case PROF_GOROUTINE_TEXT1:
		return "debug=1";
	case PROF_GOROUTINE_TEXT2:
		return "debug=2";
	}
	BUG("profile format %d", (int)f);
}

char *profile_describe_types(const struct profile *p, int units)
{
	size_t i, n = 1;
	char *s;

	for (i = 0; i < p->ntypes; i++)
		n += strlen(p->types[i].type) + strlen(p->types[i].unit) + 2;
	s = xcalloc(n, 1);
	for (i = 0; i < p->ntypes; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, p->types[i].type);
		if (units) {
			strcat(s, "/");
			strcat(s, p->types[i].unit);
		}
	}
	return s;
}

int profile_find_type(const struct profile *p, const char *type)
{
	size_t i, n = strlen(type);
	const char *slash = strchr(type, '/');

	if (slash)
		n = (size_t)(slash - type);
	for (i = 0; i < p->ntypes; i++) {
		if (strlen(p->types[i].type) != n ||
		    memcmp(p->types[i].type, type, n))
			continue;
		if (slash && strcmp(p->types[i].unit, slash + 1))
			continue;
		return (int)i;
	}
	return -1;
}

/*
 * pprof's simplifyFunc: drop a leading '.', cut at the first '(' that does
 * not belong to "(anonymous namespace)" or "operator()".
 */
static void simplify_func(struct buf *b, const char *name)
{
	static const char anon[] = "(anonymous namespace)";
	static const char op[] = "operator()";
	const char *s = name[0] == '.' ? name + 1 : name, *p = s;

	while (*p) {
		if (!strncmp(p, anon, sizeof(anon) - 1)) {
			p += sizeof(anon) - 1;
			continue;
		}
		if (!strncmp(p, op, sizeof(op) - 1)) {
			p += sizeof(op) - 1;
			continue;
		}
		if (*p == '(')
			break;
		p++;
	}
	b->len = 0;
	buf_add(b, s, (size_t)(p - s));
	b->data[b->len] = '\0';
}

static int compile_anchored(regex_t *re, const char *pattern,
			    const char *name, const char *field)
{
	struct buf b;
	int r;

	buf_init(&b);
	buf_addstr(&b, "^(");
	buf_addstr(&b, pattern);
	buf_addstr(&b, ")$");
	b.data[b.len] = '\0';
	r = regcomp(re, (const char *)b.data, REG_EXTENDED | REG_NOSUB);
	buf_release(&b);
	if (r) {
		error("%s: invalid profile: %s is not a regular expression: "
		      "'%s'", name, field, pattern);
		return -1;
	}
	return 0;
}

/*
 * drop_frames and keep_frames, compiled, and room for simplified names.
 * Both are anchored ("^(re)$"): they must match a whole name, as pprof
 * compiles them.
 */
struct pruner {
	regex_t drop, keep;
	int has_keep;
	struct buf fname;
};

/* A location's mark: where a sample's stack is cut (pprof's two maps). */
enum {
	PRUNE_BENEATH = 2,	/* cut the frames beneath, leaf-ward */
	PRUNE_WHOLE = 1,	/* and the location itself */
};

/*
 * Whether a frame of the function named name starts a cut: its name,
 * simplified, matches drop_frames and not keep_frames. keep_frames makes
 * exceptions to a broad drop_frames: pprof's legacy heap parser drops
 * every "runtime\..*" function but keeps runtime.panic, reflectcall and
 * callN, which can sit in the middle of a stack or at its root.
 */
static int prune_here(struct pruner *pr, const char *name)
{
	const char *fname;

	simplify_func(&pr->fname, name);
	fname = (const char *)pr->fname.data;
	if (regexec(&pr->drop, fname, 0, NULL, 0))
		return 0;
	return !(pr->has_keep && !regexec(&pr->keep, fname, 0, NULL, 0));
}

/*
 * Marks one location. Its lines are searched from the outermost one (the
 * last: line[0] is the innermost inlined function) inwards, and the first
 * whose function is to be dropped decides. If that is the outermost line,
 * the whole location goes; else the location keeps only the lines outside
 * the match, its callers inlined with it, and the cut comes just beneath
 * them. Lines without a named function are passed over.
 */
static unsigned char prune_location(struct pruner *pr,
				    const struct profile *p,
				    struct prof_location *l)
{
	uint32_t j = l->nlines;

	while (j-- > 0) {
		const struct prof_function *f;

		if (l->lines[j].func == UINT32_MAX)
			continue;
		f = &p->functions[l->lines[j].func];
		if (f->name[0] && prune_here(pr, f->name))
			break;
	}
	if (j == UINT32_MAX)
		return 0;
	if (j == l->nlines - 1)
		return PRUNE_BENEATH | PRUNE_WHOLE;
	l->lines += j + 1;
	l->nlines -= j + 1;
	return PRUNE_BENEATH;
}

/*
 * Cuts one sample's stack (leaf first) at the first marked location met
 * walking from the root, but only once an unmarked frame has been seen:
 * a stack that starts in dropped functions keeps them rather than being
 * emptied. What lay beneath the cut is gone, so the sample's value
 * becomes its new leaf's: the caller of what was dropped.
 */
static void prune_sample(struct prof_sample *s, const unsigned char *mark)
{
	uint32_t j = s->nlocs;
	int found_user = 0;

	while (j-- > 0) {
		unsigned char m = mark[s->locs[j]];

		if (!m) {
			found_user = 1;
			continue;
		}
		if (!found_user)
			continue;
		if (m & PRUNE_WHOLE) {
			s->locs += j + 1;
			s->nlocs -= j + 1;
		} else {
			s->locs += j;
			s->nlocs -= j;
		}
		break;
	}
}

/*
 * pprof's readers apply a profile's drop_frames as they read it, and its
 * parsers of legacy heap text set drop_frames to the allocators' entry
 * points (malloc, calloc, operator new, Go's runtime.*, ...): so an
 * allocation shows at the function that asked for the memory, not inside
 * the allocator. The rule: mark the locations (prune_location), then cut
 * each sample's stack at the first mark from the root (prune_sample).
 */
int profile_prune_frames(struct profile *p, const char *name)
{
	struct pruner pr;
	unsigned char *mark;
	size_t i;

	if (!p->drop_frames[0])
		return 0;
	pr.has_keep = p->keep_frames[0] != '\0';
	if (compile_anchored(&pr.drop, p->drop_frames, name,
			     "drop_frames") < 0)
		return -1;
	if (pr.has_keep && compile_anchored(&pr.keep, p->keep_frames, name,
					    "keep_frames") < 0) {
		regfree(&pr.drop);
		return -1;
	}
	buf_init(&pr.fname);
	mark = xcalloc(p->nlocations + 1, 1);
	for (i = 0; i < p->nlocations; i++)
		mark[i] = prune_location(&pr, p, &p->locations[i]);
	for (i = 0; i < p->nsamples; i++)
		prune_sample(&p->samples[i], mark);
	free(mark);
	buf_release(&pr.fname);
	regfree(&pr.drop);
	if (pr.has_keep)
		regfree(&pr.keep);
	return 0;
}

void profile_unnamed_frame(const struct profile *p,
			   const struct prof_location *l, struct buf *b)
{
	const char *file = l->mapping >= 0 ?
		p->mappings[l->mapping].filename : "";
	const char *base = strrchr(file, '/');

	if (!file[0]) {
		buf_addstr(b, "<unknown>");
		return;
	}
	buf_addstr(b, "[");
	buf_addstr(b, base ? base + 1 : file);
	buf_addstr(b, "]");
}

int profile_location_matches(const regex_t *re, const struct profile *p,
			     const struct prof_location *l)
{
	uint32_t j;

	for (j = 0; j < l->nlines; j++) {
		const struct prof_function *f;

		if (l->lines[j].func == UINT32_MAX)
			continue;
		f = &p->functions[l->lines[j].func];
		if (!regexec(re, f->name, 0, NULL, 0) ||
		    !regexec(re, f->filename, 0, NULL, 0))
			return 1;
	}
	return l->mapping >= 0 &&
	       !regexec(re, p->mappings[l->mapping].filename, 0, NULL, 0);
}

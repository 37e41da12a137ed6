/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator: decoders put a whole profile here and drop it in one go. */
#include "base/arena.h"
#include "base/leaky.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_ALIGN 16
#define ARENA_BLOCK (256 * 1024)
/* Blocks grow with the arena up to this; one allocation may be larger. */
#define ARENA_BLOCK_MAX (64 * 1024 * 1024)
/* A transparent huge page: blocks this large are aligned to it. */
#define ARENA_HUGE (2 * 1024 * 1024)

struct block {
	struct block *next;
	size_t size;
	size_t used;
	/* data follows, aligned */
};

struct arena {
	struct block *head;	/* blocks in use, the one being filled first */
	/*
	 * Blocks arena_reset() kept: their pages are the process's already,
	 * so that the next profile decoded here takes no page faults where
	 * the last one took them (a quarter of heaper's time on a large
	 * profile was the kernel handing out fresh zeroed pages).
	 */
	struct block *spare;
	size_t budget;
	size_t used;
	int exhausted;
};

#define BLOCK_HDR ((sizeof(struct block) + ARENA_ALIGN - 1) & \
		   ~(size_t)(ARENA_ALIGN - 1))

struct arena *arena_new(size_t budget)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->budget = budget;
	return a;
}

static void free_blocks(struct block *b)
{
	while (b) {
		struct block *next = b->next;

		free(b);
		b = next;
	}
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	free_blocks(a->head);
	free_blocks(a->spare);
	free(a);
}

/*
 * Every block in use becomes a spare; the spares this round did not need
 * are freed, so that what is kept follows the last use: a run of similar
 * profiles keeps one profile's worth, and one large profile among small
 * ones is let go after the next.
 */
void arena_reset(struct arena *a)
{
	struct block *b = a->head, *next;

	free_blocks(a->spare);
	a->spare = NULL;
	for (; b; b = next) {
		next = b->next;
		b->used = 0;
		b->next = a->spare;
		a->spare = b;
	}
	a->head = NULL;
	a->used = 0;
	a->exhausted = 0;
}

void arena_set_budget(struct arena *a, size_t budget)
{
	a->budget = budget;
}

/*
 * A block of at least size bytes: the smallest spare that fits (best
 * fit keeps the large spares for the large allocations they served),
 * else a new one.
 */
static struct block *take_block(struct arena *a, size_t size)
{
	struct block **bp, **best = NULL, *b;

	for (bp = &a->spare; *bp; bp = &(*bp)->next)
		if ((*bp)->size >= size && (!best || (*bp)->size < (*best)->size))
			best = bp;
	if (best) {
		b = *best;
		*best = b->next;
		return b;
	}
	if (size < ARENA_HUGE - BLOCK_HDR) {
		b = xmalloc(BLOCK_HDR + size);
		b->size = size;
		return b;
	}
	/*
	 * A large profile's blocks: 2 MiB aligned and marked for huge pages,
	 * so that the kernel faults them in 512 times less often (where
	 * transparent huge pages are on, or on for madvise as Debian has
	 * them; elsewhere the advice is ignored).
	 */
	size = ((BLOCK_HDR + size + ARENA_HUGE - 1) & ~(size_t)(ARENA_HUGE - 1));
	if (posix_memalign((void **)&b, ARENA_HUGE, size))
		b = xmalloc(size);
	else
		madvise(b, size, MADV_HUGEPAGE);
	b->size = size - BLOCK_HDR;
	return b;
}

/*
 * The size of the next block for need bytes: as large as the arena is
 * already, so that a large profile takes a few blocks (and huge pages),
 * not hundreds; within what the budget leaves.
 */
static size_t next_block_size(const struct arena *a, size_t need)
{
	size_t size = a->used > ARENA_BLOCK ? a->used : ARENA_BLOCK;

	if (size > ARENA_BLOCK_MAX)
		size = ARENA_BLOCK_MAX;
	if (a->budget && size > a->budget - a->used)
		size = a->budget - a->used;
	return size > need ? size : need;
}

void arena_reserve(struct arena *a, size_t n)
{
	struct block *b;

	if (a->budget && n > a->budget - a->used)
		n = a->budget > a->used ? a->budget - a->used : 0;
	if (n <= ARENA_BLOCK || n > ARENA_BLOCK_MAX ||
	    (a->head && a->head->size - a->head->used >= n))
		return;
	b = take_block(a, n);
	b->used = 0;
	b->next = a->head;
	a->head = b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need < n || (a->budget && need > a->budget - a->used) ||
	    (a->budget && a->used > a->budget)) {
		a->exhausted = 1;
		return NULL;
	}
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK / 4 ? need :
			      next_block_size(a, need);

		if (size > SIZE_MAX - 2 * ARENA_HUGE) {
			a->exhausted = 1;
			return NULL;
		}
		if (need > ARENA_BLOCK / 4 && b) {
			/* A big allocation gets its own block behind head. */
			struct block *big = take_block(a, size);

			big->used = need;
			big->next = b->next;
			b->next = big;
			a->used += need;
			return (char *)big + BLOCK_HDR;
		}
		b = take_block(a, size);
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b + BLOCK_HDR + b->used;
	b->used += need;
	a->used += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		a->exhausted = 1;
		return NULL;
	}
	p = arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int arena_exhausted(const struct arena *a)
{
	return a->exhausted;
}

size_t arena_used(const struct arena *a)
{
	return a->used;
}

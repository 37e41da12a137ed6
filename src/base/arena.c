/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator: decoders put a whole profile here and drop it in one go. */
#include "base/arena.h"
#include "base/leaky.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_BLOCK (256 * 1024)

struct block {
	struct block *next;
	size_t size;
	size_t used;
	/* data follows, aligned */
};

struct arena {
	struct block *head;
	struct block *keep;
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

static void free_blocks(struct block *b, struct block *stop)
{
	while (b && b != stop) {
		struct block *next = b->next;

		free(b);
		b = next;
	}
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	free_blocks(a->head, NULL);
	free(a);
}

void arena_reset(struct arena *a)
{
	struct block *b = a->head;

	/* Keep the last (oldest) block, which is the smallest reusable one. */
	while (b && b->next) {
		struct block *next = b->next;

		free(b);
		b = next;
	}
	a->head = b;
	if (b)
		b->used = 0;
	a->used = 0;
	a->exhausted = 0;
}

void arena_set_budget(struct arena *a, size_t budget)
{
	a->budget = budget;
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
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;

		if (size > SIZE_MAX - BLOCK_HDR) {
			a->exhausted = 1;
			return NULL;
		}
		if (need > ARENA_BLOCK / 4 && b) {
			/* A big allocation gets its own block behind head. */
			struct block *big = xmalloc(BLOCK_HDR + size);

			big->size = size;
			big->used = need;
			big->next = b->next;
			b->next = big;
			a->used += need;
			return (char *)big + BLOCK_HDR;
		}
		b = xmalloc(BLOCK_HDR + size);
		b->size = size;
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

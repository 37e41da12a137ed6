/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator with a byte budget: one decode's memory, freed at once. */
#ifndef LEAKY_ARENA_H
#define LEAKY_ARENA_H

#include <stddef.h>

struct arena;

/*
 * Returns a new arena that refuses to hand out more than budget bytes in
 * total (0 = no limit). Free with arena_free(), which releases everything
 * allocated from it.
 */
struct arena *arena_new(size_t budget);
void arena_free(struct arena *a);
/*
 * Forgets all allocations, keeping the blocks they were in for the next
 * ones (those of the round before that it did not use are freed).
 */
void arena_reset(struct arena *a);
void arena_set_budget(struct arena *a, size_t budget);
/*
 * Makes the next n bytes of allocations come from one block, when n is
 * worth one (more than a default block; what the budget allows): for a
 * decoder that can tell from its input how much it will need, so that
 * the memory comes in one piece (huge pages when large) rather than in
 * growing steps.
 */
void arena_reserve(struct arena *a, size_t n);
/*
 * Returns n bytes aligned for any type, or NULL once the budget would be
 * exceeded (arena_exhausted() then tells). Memory is not zeroed.
 */
void *arena_alloc(struct arena *a, size_t n);
/* Like arena_alloc() for count elements of size, zeroed; NULL on overflow. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
int arena_exhausted(const struct arena *a);
/* Bytes handed out since the last reset. */
size_t arena_used(const struct arena *a);

#endif

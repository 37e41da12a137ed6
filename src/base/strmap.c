/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing string interner used for keys and symbol tables. */
#include "base/strmap.h"
#include "base/arena.h"
#include "base/leaky.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	const char *s;
	size_t n;
};

struct strmap {
	struct arena *arena;
	struct entry *entries;	/* by id */
	size_t count, cap;
	uint32_t *slots;	/* id + 1; 0 = empty */
	uint64_t *hashes;	/* by id */
	size_t nslots;		/* power of two */
	size_t max;		/* most ids: STRMAP_MAX unless lowered */
};

/*
 * Eight bytes a step: names of functions and files run to a hundred bytes,
 * and a byte-at-a-time hash of them was a tenth of leaky report's time.
 * Each word is mixed in by a multiply and a rotation; the length goes in
 * with the tail, so that "a" and "a\0" differ; the last steps spread the
 * high bits over the low ones, which pick the slot.
 */
static uint64_t hash_bytes(const char *s, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = 0xcbf29ce484222325ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h = (h << 29) | (h >> 35);
	}
	w = 0;
	if (n)
		memcpy(&w, s, n);
	h = (h ^ w) * k;
	h ^= h >> 32;
	h *= k;
	return h ^ (h >> 29);
}

struct strmap *strmap_new(void)
{
	struct strmap *m = xcalloc(1, sizeof(*m));

	m->arena = arena_new(0);
	m->nslots = 64;
	m->max = STRMAP_MAX;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	return m;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	arena_free(m->arena);
	free(m->entries);
	free(m->hashes);
	free(m->slots);
	free(m);
}

static void rehash(struct strmap *m)
{
	size_t i, mask;

	free(m->slots);
	m->nslots *= 2;
	mask = m->nslots - 1;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	for (i = 0; i < m->count; i++) {
		size_t j = (size_t)m->hashes[i] & mask;

		while (m->slots[j])
			j = (j + 1) & mask;
		m->slots[j] = (uint32_t)i + 1;
	}
}

static size_t lookup(const struct strmap *m, const char *s, size_t n,
		     uint64_t h)
{
	size_t mask = m->nslots - 1, j = (size_t)h & mask;

	for (;;) {
		uint32_t id = m->slots[j];

		if (!id)
			return j;
		id--;
		if (m->hashes[id] == h && m->entries[id].n == n &&
		    !memcmp(m->entries[id].s, s, n))
			return j;
		j = (j + 1) & mask;
	}
}

void strmap_set_max(struct strmap *m, size_t max)
{
	m->max = max < STRMAP_MAX ? max : STRMAP_MAX;
}

int strmap_add(struct strmap *m, const char *s, size_t n, uint32_t *id,
	       int *added)
{
	uint64_t h;
	size_t j, cap;
	char *copy;

	/* An empty buffer's data may be NULL; memcmp and memcpy's may not. */
	if (!n)
		s = "";
	h = hash_bytes(s, n);
	j = lookup(m, s, n, h);

	if (m->slots[j]) {
		if (added)
			*added = 0;
		*id = m->slots[j] - 1;
		return 0;
	}
	/* ids are uint32_t, and slots keep id + 1 with 0 for empty */
	if (m->count >= m->max) {
		error("too many distinct strings");
		return -1;
	}
	cap = m->cap;
	m->entries = xgrow(m->entries, &cap, m->count + 1,
			   sizeof(*m->entries));
	cap = m->cap;
	m->hashes = xgrow(m->hashes, &cap, m->count + 1, sizeof(*m->hashes));
	m->cap = cap;
	copy = arena_strndup(m->arena, s, n);
	m->entries[m->count].s = copy;
	m->entries[m->count].n = n;
	m->hashes[m->count] = h;
	m->slots[j] = (uint32_t)m->count + 1;
	m->count++;
	if (added)
		*added = 1;
	if (m->count * 2 > m->nslots)
		rehash(m);
	*id = (uint32_t)m->count - 1;
	return 0;
}

uint32_t strmap_intern(struct strmap *m, const char *s, size_t n, int *added)
{
	uint32_t id;

	/* error() has said why; memory runs out before ids do */
	if (strmap_add(m, s, n, &id, added) < 0)
		exhausted();
	return id;
}

long strmap_find(const struct strmap *m, const char *s, size_t n)
{
	size_t j = lookup(m, s, n, hash_bytes(s, n));

	return m->slots[j] ? (long)m->slots[j] - 1 : -1;
}

const char *strmap_str(const struct strmap *m, uint32_t id)
{
	return m->entries[id].s;
}

size_t strmap_strlen(const struct strmap *m, uint32_t id)
{
	return m->entries[id].n;
}

size_t strmap_count(const struct strmap *m)
{
	return m->count;
}

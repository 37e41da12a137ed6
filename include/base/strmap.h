/* SPDX-License-Identifier: Apache-2.0 */
/* String interning: bytes to dense ids 0..n-1, with the bytes kept. */
#ifndef LEAKY_STRMAP_H
#define LEAKY_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap;

/* Returns a new empty map; free with strmap_free() (NULL is a no-op). */
struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);
/* The most strings a map holds: ids are uint32_t, one value kept apart. */
#define STRMAP_MAX ((size_t)UINT32_MAX - 1)
/* Lowers the most strings m holds (to bound memory, or in tests). */
void strmap_set_max(struct strmap *m, size_t max);
/*
 * Puts the id of the n bytes at s in *id, adding a copy when new (*added,
 * if not NULL, says which). Ids are dense in order of first insertion.
 * Returns 0, or -1 when a new string would exceed the map's maximum
 * (reported through error(); the map is unchanged): input decides how
 * many distinct strings come.
 */
int strmap_add(struct strmap *m, const char *s, size_t n, uint32_t *id,
	       int *added);
/*
 * strmap_add() returning the id, for callers whose maps only memory
 * bounds: a full map (STRMAP_MAX strings, some 100 GB) ends the process
 * through exhausted(), as a failed xmalloc() would have first. A caller
 * that lowers the maximum (strmap_set_max) calls strmap_add() instead.
 */
uint32_t strmap_intern(struct strmap *m, const char *s, size_t n, int *added);
/* Returns the id of s, or -1 when absent. */
long strmap_find(const struct strmap *m, const char *s, size_t n);
/* The stored, NUL-terminated bytes of id; owned by the map. */
const char *strmap_str(const struct strmap *m, uint32_t id);
size_t strmap_strlen(const struct strmap *m, uint32_t id);
size_t strmap_count(const struct strmap *m);

#endif

/* String interning: bytes to dense ids 0..n-1, with the bytes kept. */
#ifndef LEAKY_STRMAP_H
#define LEAKY_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap;

/* Returns a new empty map; free with strmap_free() (NULL is a no-op). */
struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);
/*
 * Returns the id of the n bytes at s, adding a copy when new (*added, if
 * not NULL, says which). Ids are dense in order of first insertion.
 */
uint32_t strmap_intern(struct strmap *m, const char *s, size_t n, int *added);
/* Returns the id of s, or -1 when absent. */
long strmap_find(const struct strmap *m, const char *s, size_t n);
/* The stored, NUL-terminated bytes of id; owned by the map. */
const char *strmap_str(const struct strmap *m, uint32_t id);
size_t strmap_strlen(const struct strmap *m, uint32_t id);
size_t strmap_count(const struct strmap *m);

#endif

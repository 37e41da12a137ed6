/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A builder for profiles decoded from text (heap?debug=1, goroutine
 * dumps): frames, samples, labels and goroutine details are collected in
 * growable arrays, then laid out in the profile's arena by textprof_finish.
 */
#ifndef LEAKY_TEXTPROF_H
#define LEAKY_TEXTPROF_H

#include <stddef.h>
#include <stdint.h>

struct profile;
struct prof_goroutine;
struct textprof;

/* Returns a builder filling p (whose ntypes must be set); never NULL. */
struct textprof *textprof_new(struct profile *p);
/* Frees the builder (not the profile); NULL is a no-op. */
void textprof_free(struct textprof *t);

/* Opens a sample with p->ntypes values; its frames follow, leaf first. */
void textprof_sample(struct textprof *t, const int64_t *values);
/* Adds a frame of the open sample: a function at file:line. */
void textprof_frame(struct textprof *t, uint64_t pc, const char *fn,
		    size_t fnlen, const char *file, size_t filelen,
		    int64_t line);
/* Adds an unsymbolized frame (an address only). */
void textprof_addr(struct textprof *t, uint64_t pc);
/* Number of frames the open sample has so far. */
size_t textprof_depth(const struct textprof *t);
/* Adds a string label to the open sample. */
void textprof_label(struct textprof *t, const char *key, size_t keylen,
		    const char *val, size_t vallen);
/* Sets the open sample's goroutine details (strings are copied). */
void textprof_goroutine(struct textprof *t, const struct prof_goroutine *g);
/* Adds a "Key = value" statistic (runtime.MemStats); copied. */
void textprof_stat(struct textprof *t, const char *key, size_t keylen,
		   const char *val, size_t vallen);

/*
 * Lays everything out in the profile's arena. Returns 0, or -2 when the
 * arena's budget is exhausted (the caller reports it).
 */
int textprof_finish(struct textprof *t);

/*
 * Parses a Go "#<tab>0xPC<tab>name+0xOFF<tab>file:line" frame line (s
 * points after the '#'; tabs may repeat) into the open sample. Returns
 * 0, or -1 when malformed.
 */
int textprof_hash_frame(struct textprof *t, const char *s, size_t n);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one in-memory profile every decoder produces and every analysis reads:
 * sample types, functions, locations with inlined lines, samples with
 * leaf-first stacks, values and labels. Semantics are pprof's. The model
 * knows no wire format: decode/reader.h turns bytes into it.
 */
#ifndef LEAKY_PROFILE_H
#define LEAKY_PROFILE_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

struct prof_value_type {
	const char *type;
	const char *unit;
};

struct prof_function {
	const char *name;
	const char *system_name;
	const char *filename;
	int64_t start_line;
};

struct prof_mapping {
	uint64_t start, limit, offset;
	const char *filename;
	const char *build_id;
};

/* One frame of a location; lines[0] is the innermost (inlined) one. */
struct prof_line {
	uint32_t func;		/* index into functions */
	int64_t line;
};

struct prof_location {
	uint64_t address;
	int32_t mapping;	/* index into mappings, -1 for none */
	uint32_t nlines;
	struct prof_line *lines;
};

struct prof_label {
	const char *key;
	const char *str;	/* NULL for a numeric label */
	int64_t num;
	const char *num_unit;
};

struct prof_sample {
	uint32_t nlocs;
	uint32_t nlabels;
	uint32_t *locs;		/* indexes into locations, leaf first */
	int64_t *values;	/* one per sample type */
	struct prof_label *labels;
};

/* One "Key = value" line of a legacy heap dump's runtime.MemStats. */
struct prof_stat {
	const char *key;
	const char *value;
};

/* What a goroutine?debug=2 dump says of one goroutine. */
struct prof_goroutine {
	int64_t id;		/* -1 when unknown */
	const char *state;	/* status or wait reason, "" when unknown */
	int64_t wait_minutes;	/* -1 when not shown (under a minute) */
	int locked;		/* locked to thread */
	const char *created_by;	/* creator function, "" when unknown */
	int64_t creator_id;	/* -1 when unknown */
	const char *created_at;	/* the go statement's "file:line", "" */
	/* The creator's stack when it made this goroutine, root first and
	 * ';'-joined (GODEBUG=tracebackancestors' first "[originating from
	 * goroutine N]" block), "" when the dump has none. */
	const char *creator_stack;
};

enum prof_format {
	PROF_PPROF,		/* profile.proto, gzipped or raw */
	PROF_HEAP_TEXT,		/* heap?debug=1 */
	PROF_GOROUTINE_TEXT1,	/* goroutine?debug=1 */
	PROF_GOROUTINE_TEXT2,	/* goroutine?debug=2 */
};

/*
 * The format's name in the CSVs' source column: "proto", "debug=1" (heap
 * or goroutine text) or "debug=2", as the endpoints' parameters say it.
 * A static string.
 */
const char *profile_format_name(enum prof_format f);

/*
 * Everything lives in the profile's arena; profile_free() releases it all.
 * Strings are never NULL (the empty string stands for "none"), except a
 * label's str.
 */
struct profile {
	struct arena *arena;
	enum prof_format format;

	size_t ntypes;
	struct prof_value_type *types;
	size_t default_type;	/* index into types */
	struct prof_value_type period_type;
	int64_t period;

	int has_time;
	int64_t time_nanos;
	int64_t duration_nanos;

	size_t nfunctions;
	struct prof_function *functions;
	size_t nmappings;
	struct prof_mapping *mappings;
	size_t nlocations;
	struct prof_location *locations;
	size_t nsamples;
	struct prof_sample *samples;

	size_t ncomments;
	const char **comments;
	const char *drop_frames;	/* regexes, "" for none */
	const char *keep_frames;

	size_t nstats;
	struct prof_stat *stats;

	/* Per sample for goroutine?debug=2 dumps, else NULL. */
	struct prof_goroutine *goroutines;
};

/*
 * Returns a new empty profile with its own arena (budget in bytes): one a
 * freed profile left, when there is one, with its pages. Thread-safe.
 */
struct profile *profile_new(size_t budget);
/*
 * Frees p and everything it holds; NULL is a no-op. Its arena, reset, is
 * kept for the next profile_new() (a few, process-wide).
 */
void profile_free(struct profile *p);
/*
 * p, once its values are known to add up within int64 whatever the
 * subset; else NULL, p freed and the reason reported (under name). Every
 * decoder returns through it. NULL in, NULL out.
 */
struct profile *profile_checked(struct profile *p, const char *name);

/*
 * pprof's RemoveUninteresting: cuts every sample's stack at the frames
 * matching the profile's drop_frames (and not keep_frames), so that their
 * value counts as their caller's. profile_decode() applies it to
 * profile.proto input. Returns 0, or reports "NAME: reason" and returns
 * -1 for a regex that does not compile.
 */
int profile_prune_frames(struct profile *p, const char *name);

/*
 * Appends to b the name pprof gives a frame without a function name: the
 * mapped object's base name in brackets ("[app]"), else "<unknown>".
 */
void profile_unnamed_frame(const struct profile *p,
			   const struct prof_location *l, struct buf *b);
/*
 * pprof's -focus/-ignore test of one location: 1 when re matches a line's
 * function name or file name, or the mapped object's file name.
 */
int profile_location_matches(const regex_t *re, const struct profile *p,
			     const struct prof_location *l);

/*
 * The sample types, comma-separated, as "type/unit" when units is set,
 * else "type": "alloc_space/bytes,inuse_space/bytes". A new string the
 * caller frees; "" for a profile without types.
 */
char *profile_describe_types(const struct profile *p, int units);

/*
 * Index of the sample type named type (or "type/unit"), or -1. Used for
 * options such as --wide TYPE.
 */
int profile_find_type(const struct profile *p, const char *type);

#endif

/*
 * The one in-memory profile every decoder produces and every analysis reads:
 * sample types, functions, locations with inlined lines, samples with
 * leaf-first stacks, values and labels. Semantics are pprof's.
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
};

enum prof_format {
	PROF_PPROF,		/* profile.proto, gzipped or raw */
	PROF_HEAP_TEXT,		/* heap?debug=1 */
	PROF_GOROUTINE_TEXT1,	/* goroutine?debug=1 */
	PROF_GOROUTINE_TEXT2,	/* goroutine?debug=2 */
};

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

/* Decoding limits; a zero field means the built-in default. */
struct prof_limits {
	size_t max_input;	/* bytes read from one file */
	size_t max_inflated;	/* bytes after gunzip */
	size_t max_memory;	/* bytes one decoded profile may occupy */
};

#define PROF_DEFAULT_MAX_INPUT ((size_t)1 << 30)
#define PROF_DEFAULT_MAX_INFLATED ((size_t)256 << 20)
#define PROF_DEFAULT_MAX_MEMORY ((size_t)1 << 30)

/* Returns a new empty profile with its own arena (budget in bytes). */
struct profile *profile_new(size_t budget);
/* Frees p and everything it holds; NULL is a no-op. */
void profile_free(struct profile *p);
/*
 * p, once its values are known to add up within int64 whatever the
 * subset; else NULL, p freed and the reason reported (under name). Every
 * decoder returns through it. NULL in, NULL out.
 */
struct profile *profile_checked(struct profile *p, const char *name);

/*
 * Decodes bytes of any supported format, detected from the bytes: gzip is
 * inflated first, then profile.proto or legacy heap text. lim->max_memory
 * bounds the input bytes, the inflated bytes and the decoded model
 * together. name is used in messages only. Returns a new profile the
 * caller frees, or reports "NAME: reason" and returns NULL. scratch is a
 * reusable buffer for the inflated bytes (may be NULL).
 */
struct profile *profile_decode(const char *name, const uint8_t *data,
			       size_t len, const struct prof_limits *lim,
			       struct buf *scratch);

/*
 * Reads files into profiles, reusing its buffers from one file to the next.
 * Caller-owned storage: prof_reader_init() it, prof_reader_release() it.
 */
struct prof_reader {
	struct prof_limits lim;
	struct buf *raw;
	struct buf *inflated;
};

void prof_reader_init(struct prof_reader *r, const struct prof_limits *lim);
void prof_reader_release(struct prof_reader *r);
/*
 * Reads and decodes path ("-" is stdin); see profile_decode(). *mtime (may
 * be NULL) gets the file's modification time in seconds.
 */
struct profile *prof_reader_load(struct prof_reader *r, const char *path,
				 int64_t *mtime);

/*
 * Reports "NAME: decoded profile exceeds the memory limit ..." for a
 * decoder whose arena ran out of budget: one wording for every format.
 */
void profile_report_too_big(const char *name, const struct prof_limits *lim);

/* Decoders behind profile_decode(); same contract, no gzip. */
struct profile *pprof_decode(const char *name, const uint8_t *data,
			     size_t len, const struct prof_limits *lim);
struct profile *heaptext_decode(const char *name, const char *text,
				size_t len, const struct prof_limits *lim);
/* Returns 1 when text looks like a legacy heap?debug=1 dump. */
int heaptext_sniff(const char *text, size_t len);
/* goroutine?debug=1 and ?debug=2 text; same contract as pprof_decode. */
struct profile *gortext_decode(const char *name, const char *text,
			       size_t len, const struct prof_limits *lim);
/* Returns 1 (debug=1), 2 (debug=2) or 0 (neither) for text. */
int gortext_sniff(const char *text, size_t len);

/*
 * pprof's RemoveUninteresting: cuts every sample's stack at the frames
 * matching the profile's drop_frames (and not keep_frames), so that their
 * value counts as their caller's. profile_decode() applies it. Returns 0,
 * or reports "NAME: reason" and returns -1 for a regex that does not
 * compile.
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
 * Index of the sample type named type (or "type/unit"), or -1. Used for
 * options such as --wide TYPE.
 */
int profile_find_type(const struct profile *p, const char *type);

#endif

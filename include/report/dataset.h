/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A collect output directory (or loose files) read into per-target time
 * series: heap totals and per-function in-use space, goroutine groups,
 * process memory, runtime.MemStats, and the restarts that split them.
 * What leaky report and leaky plot analyse.
 */
#ifndef LEAKY_DATASET_H
#define LEAKY_DATASET_H

#include "decode/fds.h"
#include "decode/memlimit.h"

#include <stddef.h>
#include <stdint.h>

struct prof_limits;
struct strmap;

/* One heap profile. Per-function rows are sparse: keys in ds->funcs. */
struct ds_heap {
	int64_t t;		/* nanoseconds since the epoch */
	int64_t inuse_space, inuse_objects, alloc_space;
	int64_t period;		/* the profile's sampling period, bytes; 0 */
	char *path;		/* the file, as given; NULL from metrics */
	/* In-use bytes of the profiler's own handlers (DS_PROFILER), left
	 * out of the rows below (not of inuse_space) unless kept. */
	int64_t profiler;
	size_t nrows;
	uint32_t *keys;
	int64_t *flat;		/* in-use bytes, flat */
	int64_t *cum;		/* in-use bytes, cumulative */
};

/* One goroutine snapshot; group keys in ds->groups. */
struct ds_gor {
	int64_t t;
	int64_t total;
	size_t nrows;
	uint32_t *keys;
	int64_t *count;
	int64_t *max_wait;	/* minutes, -1 when not shown */
	int fmt;		/* enum prof_format it came from */
	char *path;		/* the file, as given; NULL from metrics */
};

/* One process-memory snapshot (kB; -1 when the format lacks it). */
struct ds_mem {
	int64_t t;
	int64_t pid;
	int64_t rss_kb, anon_kb;
	int fmt;		/* enum procmem_format it came from */
};

/* One runtime.MemStats trailer: numeric fields only, keys in ds->stats. */
struct ds_stats {
	int64_t t;
	size_t n;
	uint32_t *keys;
	double *values;
};

/*
 * One point of open descriptors: from metrics (process_open_fds), or a
 * collector's .fds list, which also counts them by type.
 */
struct ds_point {
	int64_t t;
	double v;
	int64_t types[FDS_NTYPES];	/* by enum fds_type; -1: unknown */
};

/*
 * One memory limits snapshot (a collector's .limits file): bytes, or
 * MEMLIMIT_NONE / MEMLIMIT_UNKNOWN (decode/memlimit.h).
 */
struct ds_limit {
	int64_t t;
	int64_t limit, usage, oom_kills, gomemlimit;
	char limit_file[MEMLIMIT_SOURCE_MAX];	/* "memory.max" */
	char oom_file[MEMLIMIT_SOURCE_MAX];	/* "memory.events" */
};

struct ds_restart {
	int64_t t;		/* first snapshot time after the restart */
	char *why;
};

/* One kind of failure of a target's fetches, from the manifest. */
struct ds_fail {
	char *key;		/* the reason, digits as '#' */
	char *example;		/* the first reason of that kind */
	size_t n;
};

/* Kinds of failure kept per target; the rest are counted as others. */
#define DS_MAX_FAILS 8

struct ds_target {
	char *name;
	struct ds_heap *heap;
	size_t nheap, capheap;
	struct ds_gor *gor;
	size_t ngor, capgor;
	struct ds_mem *mem;
	size_t nmem, capmem;
	struct ds_stats *stats;
	size_t nstats, capstats;
	struct ds_restart *restarts;	/* sorted by time */
	size_t nrestarts, caprestarts;
	/* heap?debug=1 dumps: heap snapshots when there are no protos. */
	struct ds_heap *textheap;
	size_t ntextheap, captextheap;
	/* Open file descriptors (process_open_fds, or .fds lists). */
	struct ds_point *fds;
	size_t nfds, capfds;
	/* The process's threads, from the .fds lists that give them. */
	struct ds_point *threads;
	size_t nthreads, capthreads;
	/* Memory limits (.limits files), in time order. */
	struct ds_limit *limits;
	size_t nlimits, caplimits;
	/* Which format each series came from, for the report's notes. */
	const char *gor_format, *mem_format;
	/*
	 * Read from a metrics store (Prometheus): whole-process totals only,
	 * no profiles to name an allocation site, restarts given by the
	 * source rather than detected.
	 */
	int from_metrics;
	/* The manifest's fetches of it: ok, failed, and why (most first
	 * once ds_load() is done). */
	size_t fetch_ok, fetch_failed, fail_other;
	struct ds_fail fails[DS_MAX_FAILS];
	size_t nfails;
};

/* What one goroutine group is (same index as its key in ds->groups). */
struct ds_group {
	char *stack, *state, *top, *created_by, *labels;	/* "" unknown */
};

struct dataset {
	struct ds_target *targets;	/* sorted by name */
	size_t ntargets, captargets;
	struct strmap *funcs;
	struct strmap *groups;
	struct ds_group *group_info;
	size_t capgroup_info;
	struct strmap *stats;
	size_t nfiles, nbad, nskipped;
	unsigned flags;		/* ds_load()'s: DS_KEEP_PROFILER */
	char *source;		/* where the series came from when not files */
};

/*
 * Reads paths (collect directories, with their profiles/, goroutines/,
 * pmaps/ (process memory), fds/ (.fds lists), limits/ (.limits files)
 * and manifest.csv, or single
 * files) into ds, which the caller
 * releases with ds_release(). Each file's format is found from its bytes.
 * Bad files are reported and counted in nbad; returns 0, or -1 when a
 * path cannot be read at all.
 */
int ds_load(struct dataset *ds, char *const *paths, size_t n,
	    const struct prof_limits *lim, unsigned flags);
/*
 * ds_load() decoding jobs files at a time (parmap_run(); 0: a worker per
 * core, what ds_load() does). The dataset, and the messages in their
 * order, are the same whatever jobs.
 */
int ds_load_jobs(struct dataset *ds, char *const *paths, size_t n,
		 const struct prof_limits *lim, unsigned flags,
		 unsigned jobs);

/*
 * The frames of the profiler serving the collector (net/http/pprof's
 * handlers, runtime/pprof's writers, and what they call: gzip's buffers,
 * the goroutine dump): samples and goroutines with one on their stack are
 * the collector's footprint, not the service's. ds_load() leaves them out
 * of functions and goroutine groups, unless flags has DS_KEEP_PROFILER.
 */
#define DS_PROFILER_FRAMES "^(net/http/pprof|runtime/pprof)\\."
#define DS_KEEP_PROFILER 1u
void ds_release(struct dataset *ds);

/*
 * Building a dataset from series read elsewhere (leaky report
 * --prometheus): ds_init(), then points added per target in any order,
 * then ds_finish(), which sorts series and targets. Targets so made are
 * from_metrics. ds_target_get() returns the target of that name, made if
 * new; the pointer is valid until the next ds_target_get(). source is
 * copied (NULL: none). Restarts are given, at the first point of the new
 * process, with a reason.
 */
void ds_init(struct dataset *ds, const char *source);
struct ds_target *ds_target_get(struct dataset *ds, const char *name);
void ds_add_heap_inuse(struct ds_target *t, int64_t when, int64_t bytes);
void ds_add_goroutines(struct ds_target *t, int64_t when, int64_t n);
void ds_add_rss(struct ds_target *t, int64_t when, int64_t bytes);
void ds_add_fds(struct ds_target *t, int64_t when, double n);
/* A point of open descriptors with their counts by type (FDS_NTYPES). */
void ds_add_fds_types(struct ds_target *t, int64_t when, double n,
		      const int64_t *types);
void ds_add_restart(struct ds_target *t, int64_t when, const char *why);
void ds_finish(struct dataset *ds);

/* Name of a numeric MemStats key id / function key id / group key id. */
const char *ds_func_name(const struct dataset *ds, uint32_t id);
size_t ds_nfuncs(const struct dataset *ds);
size_t ds_ngroups(const struct dataset *ds);
long ds_stat_id(const struct dataset *ds, const char *key);
size_t ds_nstats(const struct dataset *ds);
const char *ds_stat_name(const struct dataset *ds, uint32_t id);
/* Value of MemStats field id in s, or NAN when absent. */
double ds_stat(const struct ds_stats *s, long id);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky collect's model: what each kind of sample is and where its file
 * goes, a target, the settings of a run. The parts that work on it have
 * their own headers: settings.h, url.h, spec.h, schedule.h, validate.h,
 * manifest.h; the run's, collrun.h.
 */
#ifndef LEAKY_COLLECT_H
#define LEAKY_COLLECT_H

#include <stddef.h>
#include <stdint.h>


/* What one fetch takes; the name is also the file suffix and manifest kind. */
enum collect_kind {
	CK_HEAP,		/* heap, profile.proto */
	CK_HEAP_TEXT,		/* heap?debug=1, with runtime.MemStats */
	CK_ALLOCS,
	CK_GOROUTINE,
	CK_GOROUTINE_TEXT,	/* goroutine?debug=2 */
	CK_BLOCK,
	CK_MUTEX,
	CK_THREADCREATE,
	CK_PMAP,		/* pmap -x PID */
	CK_SMAPS_ROLLUP,	/* /proc/PID/smaps_rollup */
	CK_STATUS,		/* /proc/PID/status */
	CK_FDS,			/* /proc/PID/fd listed (decode/fds.h) */
	CK_LIMITS,		/* cgroup memory limit (decode/memlimit.h) */
	CK_NKINDS
};

/*
 * Kinds fetched over HTTP are those before CK_PMAP; the rest are read
 * from the target's process on this machine, and "memory" stands for
 * them all: open descriptors leak with the process as its memory does.
 */
#define CK_IS_HTTP(k) ((k) < CK_PMAP)
#define CK_BIT(k) (1u << (k))
#define CK_MEMORY (CK_BIT(CK_PMAP) | CK_BIT(CK_SMAPS_ROLLUP) | \
		   CK_BIT(CK_STATUS) | CK_BIT(CK_FDS) | CK_BIT(CK_LIMITS))
#define CK_DEFAULT (CK_BIT(CK_HEAP) | CK_BIT(CK_HEAP_TEXT) | \
		    CK_BIT(CK_GOROUTINE) | CK_BIT(CK_GOROUTINE_TEXT) | \
		    CK_BIT(CK_PMAP) | CK_BIT(CK_SMAPS_ROLLUP) | \
		    CK_BIT(CK_FDS) | CK_BIT(CK_LIMITS))

struct collect_kind_info {
	const char *name;	/* "heap.txt": the manifest's kind */
	const char *what;	/* "heap?debug=1 dump", for messages */
	const char *endpoint;	/* "heap" under /debug/pprof/; NULL */
	const char *query;	/* "debug=1"; NULL */
	const char *dir;	/* "profiles" */
	const char *suffix;	/* "heap.pb.gz": NAME_UNIX.SUFFIX */
	const char *type;	/* a sample type a proto must have; NULL */
	int proto;		/* gzipped profile.proto */
	int takes_seconds;	/* accepts ?seconds=N (server-side delta) */
	int gzip;		/* a text dump, kept gzipped (suffix .gz):
				 * they are most of a collection's bytes, and
				 * shrink 10 to 20 times */
};

/* The table of kinds, indexed by enum collect_kind. */
extern const struct collect_kind_info collect_kinds[CK_NKINDS];

/* One service to sample. Owned by its collect_conf. */
struct collect_target {
	char *name;		/* [A-Za-z0-9][A-Za-z0-9_-]*, unique */
	char *url;		/* as given, for messages */
	char *base;		/* "http://h:p/debug/pprof/", ends in '/' */
	char *unix_socket;	/* for unix:PATH:http://..., else NULL */
	char *host;		/* "127.0.0.1", "::1", "localhost" */
	int port;
	int local;		/* host is this machine's loopback */
	unsigned kinds;		/* CK_BIT()s */
	int gc;			/* heap?gc=1 */
	int64_t seconds;	/* ?seconds=N for delta profiles, 0: none */
	int64_t interval_ns;	/* 0: the global interval */
	int64_t timeout_ns;	/* 0: min(10s, 3/4 of the interval) */
	int64_t pid;		/* 0: none given */
	char *pidfile;		/* NULL: none */
	char *process;		/* command name (comm); NULL: none */
	size_t nheaders;
	char **headers;		/* "Name: value", expanded; never logged */
	char *labels;		/* "k=v;k=v" for the manifest, "" for none */
	int insecure;		/* https without certificate checks */
	char *ca_file;		/* NULL: the system's */
	/* Where it was defined, for messages: "FILE:LINE" or "-t SPEC". */
	char *origin;
	/* Which settings were given, so that defaults fill the rest. */
	unsigned set;
};

/* Bits of collect_target.set. */
enum {
	CT_SET_KINDS = 1, CT_SET_GC = 2, CT_SET_SECONDS = 4,
	CT_SET_HEADERS = 8, CT_SET_LABELS = 16,
};

/* Everything a run needs. Caller-owned: init, fill, finish, release. */
struct collect_conf {
	char *output;		/* directory */
	int64_t interval_ns;
	int64_t timeout_ns;	/* 0: min(10s, 3/4 interval) per target */
	int64_t duration_ns;	/* 0: until stopped */
	int64_t rounds;		/* 0: until stopped */
	unsigned kinds;		/* default for targets */
	int gc;
	int64_t seconds;
	size_t nheaders;	/* default headers for targets */
	char **headers;
	char *labels;
	size_t max_body;	/* bytes one response may have */
	size_t max_inflated;	/* bytes a gzipped profile may inflate to;
				 * at most COLLECT_INFLATE_RATIO * max_body
				 * once finished */
	int spread;		/* spread targets over the interval */
	int fsync;		/* fsync each file before its rename */
	size_t max_connections;	/* concurrent fetches */
	int quiet;		/* no per-round line */
	char *listen;		/* serve /metrics on HOST:PORT; NULL: no */
	/* Discovery: targets found as the run goes (collect/found.h). */
	char *targets_from;	/* a Prometheus's URL; NULL: none */
	char *match;		/* label selector for its targets; NULL */
	size_t nfile_sd;	/* file_sd patterns (globs) */
	char **file_sd;
	int64_t refresh_ns;	/* 0: COLLECT_REFRESH(interval) */
	char *pprof_path;	/* NULL: "/debug/pprof/" */
	int64_t pprof_port;	/* 0: the scrape address's own */
	/* Retention (collect/retention.h): 0 for none. */
	int64_t keep_ns;	/* samples older than this go */
	size_t max_size;	/* the oldest samples go past this many bytes */
	size_t ntargets;
	struct collect_target *targets;
	char *source;		/* config file read, or NULL */
};

#define COLLECT_DEFAULT_INTERVAL (300 * (int64_t)1000000000)
#define COLLECT_MAX_TIMEOUT (10 * (int64_t)1000000000)
#define COLLECT_DEFAULT_MAX_BODY ((size_t)64 << 20)
#define COLLECT_DEFAULT_MAX_INFLATED ((size_t)256 << 20)
/* A gzipped body inflates to at most this many times --max-body. */
#define COLLECT_INFLATE_RATIO 16
#define COLLECT_DEFAULT_MAX_CONNECTIONS 64
#define COLLECT_DEFAULT_OUTPUT "leaky-data"
#define COLLECT_DEFAULT_URL "http://127.0.0.1:6060"
#define COLLECT_DEFAULT_NAME "local"
#define COLLECT_ERR 512
/* Discovery's default refresh: three rounds, within 10 s and 5 min. */
#define COLLECT_REFRESH_MIN (10 * (int64_t)1000000000)
#define COLLECT_REFRESH_MAX (300 * (int64_t)1000000000)

/*
 * Formats a reason into err (COLLECT_ERR bytes), cut to fit: the
 * collector's modules report their failures this way.
 */
void collect_seterr(char err[COLLECT_ERR], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Parses a list of kinds separated by sep ("heap,goroutine.txt"); "memory"
 * stands for pmap, smaps_rollup, status and fds, "default" and "all" for
 * what they say. Returns 0 with *mask, or -1 with the reason in err.
 */
int collect_parse_kinds(const char *list, char sep, unsigned *mask,
			char err[COLLECT_ERR]);
/* Kind by name, or -1. */
int collect_kind_by_name(const char *name, size_t len);

/*
 * The path of a sample relative to the output directory:
 * "DIR/NAME_UNIX.SUFFIX", or "DIR/NAME_UNIX.SEQ.SUFFIX" for seq > 0 (a
 * second sample of one target and kind in the same second), with the
 * kind's directory and suffix (samplename_format(), which readers parse
 * back). The caller frees it.
 */
char *collect_file_name(const char *name, int64_t unix_secs,
			enum collect_kind k, unsigned seq);

#endif

/*
 * leaky collect's model and its pure parts: targets and settings, target
 * specs, URLs and durations, what each kind of sample is and where its file
 * goes, the fixed-rate schedule, body validation and manifest rows.
 */
#ifndef LEAKY_COLLECT_H
#define LEAKY_COLLECT_H

#include <stddef.h>
#include <stdint.h>

struct csvout;

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
	CK_NKINDS
};

/* Kinds fetched over HTTP are those before CK_PMAP. */
#define CK_IS_HTTP(k) ((k) < CK_PMAP)
#define CK_BIT(k) (1u << (k))
#define CK_MEMORY (CK_BIT(CK_PMAP) | CK_BIT(CK_SMAPS_ROLLUP) | \
		   CK_BIT(CK_STATUS))
#define CK_DEFAULT (CK_BIT(CK_HEAP) | CK_BIT(CK_HEAP_TEXT) | \
		    CK_BIT(CK_GOROUTINE) | CK_BIT(CK_GOROUTINE_TEXT) | \
		    CK_BIT(CK_PMAP) | CK_BIT(CK_SMAPS_ROLLUP))

struct collect_kind_info {
	const char *name;	/* "heap.txt": the manifest's kind */
	const char *what;	/* "heap?debug=1 dump", for messages */
	const char *endpoint;	/* "heap" under /debug/pprof/; NULL */
	const char *query;	/* "debug=1"; NULL */
	const char *dir;	/* "profiles" */
	const char *suffix;	/* "heap.txt": NAME_UNIX.SUFFIX */
	const char *type;	/* a sample type a proto must have; NULL */
	int proto;		/* gzipped profile.proto */
	int takes_seconds;	/* accepts ?seconds=N (server-side delta) */
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

/*
 * Fills conf with the built-in defaults (identical to configs/leaky.conf),
 * without targets. Release with collect_conf_release().
 */
void collect_conf_init(struct collect_conf *conf);
void collect_conf_release(struct collect_conf *conf);
/* Appends a zeroed target to conf and returns it (owned by conf). */
struct collect_target *collect_conf_add(struct collect_conf *conf);
/* Adds the built-in default target (local, http://127.0.0.1:6060). */
void collect_conf_add_default_target(struct collect_conf *conf);
/*
 * Fills each target's unset settings from conf's, then checks the whole:
 * at least one target, unique names, timeout not above the interval,
 * seconds plus timeout within the interval; lowers max_inflated to
 * COLLECT_INFLATE_RATIO times max_body. Returns 0, or -1 with the
 * reason (prefixed by the target's origin) in err.
 */
int collect_conf_finish(struct collect_conf *conf, char err[COLLECT_ERR]);
/*
 * The timeout (ns) that applies to t: its own, conf's, or min(10s, 3/4
 * of what the interval leaves after t's seconds: the rest is room for the
 * check, so that a target that always times out keeps every round). A
 * delta profile's fetch may take seconds plus this.
 */
int64_t collect_target_timeout(const struct collect_conf *conf,
			       const struct collect_target *t);
int64_t collect_target_interval(const struct collect_conf *conf,
				const struct collect_target *t);

/*
 * Parses a duration: "300ms", "30s", "5m", "2h", "1d", "1h30m", "1.5s", or
 * a bare number of seconds; "0" is zero. Returns 0 with *ns, or -1.
 */
int collect_parse_duration(const char *s, int64_t *ns);
/* Writes ns as "5m", "1m30s", "1.5s", "50ms" into buf (32 bytes). */
char *collect_format_duration(int64_t ns, char buf[32]);

/*
 * Parses a list of kinds separated by sep ("heap,goroutine.txt"); "memory"
 * stands for pmap, smaps_rollup and status, "default" and "all" for what
 * they say. Returns 0 with *mask, or -1 with the reason in err.
 */
int collect_parse_kinds(const char *list, char sep, unsigned *mask,
			char err[COLLECT_ERR]);
/* Kind by name, or -1. */
int collect_kind_by_name(const char *name, size_t len);
/* Checks a target name; 0, or -1 with the reason in err. */
int collect_check_name(const char *name, char err[COLLECT_ERR]);

/*
 * Sets t->url, base, unix_socket, host, port and local from url:
 * "http://HOST[:PORT][/PATH]", "https://...", or
 * "unix:/SOCKET/PATH:http://HOST[/PATH]" for a unix socket. The pprof
 * endpoints are under PATH when it ends in /debug/pprof, else under
 * PATH/debug/pprof/. Credentials, queries and fragments are refused.
 * Returns 0, or -1 with the reason in err.
 */
int collect_set_url(struct collect_target *t, const char *url,
		    char err[COLLECT_ERR]);

/*
 * s (a URL, a -t spec, a message) with the password of each URL's
 * userinfo as "***" ("http://admin:***@host"), and a userinfo without a
 * password wholly as "***", so that messages never show a credential.
 * The caller frees it.
 */
char *collect_redact(const char *s);

/*
 * Parses a -t spec, NAME=URL[,pid=N][,pidfile=F][,process=COMM]
 * [,profiles=K+K...][,gc][,gc=no][,seconds=N][,interval=D][,timeout=D],
 * into t (zeroed by the caller). Returns 0, or -1 with the reason in err.
 */
int collect_parse_spec(struct collect_target *t, const char *spec,
		       char err[COLLECT_ERR]);

/*
 * Expands ${VAR} in s from the environment. Returns a new string the
 * caller frees, or NULL with the reason (unset variable, bad syntax) in
 * err. "$$" is a literal '$'.
 */
char *collect_expand_env(const char *s, char err[COLLECT_ERR]);

/* The URL of kind k for t; the caller frees it. */
char *collect_kind_url(const struct collect_target *t, enum collect_kind k);

/*
 * The path of a sample relative to the output directory:
 * "DIR/NAME_UNIX.SUFFIX", or "DIR/NAME_UNIX.SEQ.SUFFIX" for seq > 0 (a
 * second sample of one target and kind in the same second). Readers take
 * NAME and UNIX from the part before the first dot. The caller frees it.
 */
char *collect_file_name(const char *name, int64_t unix_secs,
			enum collect_kind k, unsigned seq);

/* ---- schedule ------------------------------------------------------ */

/*
 * A target's stable offset within its interval: a hash of its name, so
 * that targets spread over the interval and keep their phase from one run
 * to the next. 0 when spread is off. Whole milliseconds below interval.
 */
int64_t collect_offset(const char *name, int64_t interval_ns, int spread);

/* Whether conf spreads its targets: asked, and more than one target. */
int collect_spreads(const struct collect_conf *conf);

/* When slot k is due: base + k * interval (no accumulated drift). */
int64_t collect_due(int64_t base, int64_t interval_ns, int64_t k);

/*
 * At time now, with slot next the first not yet run: returns 0 when slot
 * next is not due yet. Otherwise returns 1 with *slot the latest slot due
 * (which is the one to run) and *missed the number of slots before it that
 * went by unrun (the process was stopped, or a fetch overran).
 */
int collect_sched_step(int64_t base, int64_t interval_ns, int64_t next,
		       int64_t now, int64_t *slot, int64_t *missed);

/* ---- validation ---------------------------------------------------- */

/* What validation learned from a body. */
struct collect_body_info {
	int has_time;
	int64_t time_nanos;	/* the profile's own time */
	int has_alloc;
	int64_t alloc_total;	/* alloc_space total or MemStats TotalAlloc */
	int64_t pid;		/* from pmap's first line, or -1 */
};

/*
 * Decides whether a fetched body is worth keeping as kind k: HTTP 200
 * (status 0 for process memory), not empty, not HTML or an error text,
 * gzip magic and a decodable profile with the kind's sample type for
 * protos, the right text dump for text kinds, a decodable pmap, smaps_rollup
 * or status for process memory. max_inflated bounds the decoding. Returns
 * 0 with *info filled, or -1 with a one-line reason in err.
 */
int collect_validate(enum collect_kind k, long status, const uint8_t *data,
		     size_t len, size_t max_inflated,
		     struct collect_body_info *info, char err[COLLECT_ERR]);

/* ---- manifest ------------------------------------------------------ */

/* One manifest row: a fetch (ok or failed), a skipped slot, a restart. */
struct collect_row {
	int64_t time_ns;	/* wall clock at the fetch's start */
	int64_t round;		/* 1-based slot number */
	const char *target;
	const char *kind;	/* a kind name, "round" or "restart" */
	const char *result;	/* "ok", "failed", "skipped", "restart" */
	const char *url;	/* fetched URL, or what was read */
	long status;		/* HTTP status; 0: none */
	int64_t bytes;		/* -1: none */
	int64_t duration_ns;	/* -1: none */
	const char *file;	/* relative to the output dir; NULL */
	int64_t pid;		/* 0: none */
	const char *error;	/* reason or detail; NULL */
	const char *labels;	/* NULL */
};

/* The manifest's header line, without its newline. */
extern const char collect_manifest_header[];
/* Writes the header row, then rows, to c. */
void collect_manifest_write_header(struct csvout *c);
void collect_manifest_write_row(struct csvout *c, const struct collect_row *r);

/* Formats nanoseconds since the epoch as RFC 3339 UTC with milliseconds. */
char *collect_format_time(int64_t ns, char buf[40]);

#endif

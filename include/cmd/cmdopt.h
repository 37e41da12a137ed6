/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Options shared by the commands that read snapshots (heaper, goroutines,
 * pmap): --time, --target, -o, --force, --csv-raw and the input limits, as
 * option tables (cmd/opttab.h) to include in theirs; and the input loop of
 * those that read profiles. Part of the command layer: a bad value exits
 * with a usage error, as in cmd_*.c.
 */
#ifndef LEAKY_CMDOPT_H
#define LEAKY_CMDOPT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "base/duration.h"
#include "cmd/opttab.h"
#include "out/csvout.h"
#include "decode/limits.h"

struct profile;

struct snap_opts {
	enum csv_time time_style;
	const char *target;
	const char *output;
	int force;
	int csv_raw;		/* no formula prefix on input text */
	unsigned jobs;		/* -j: files decoded at a time, 0 = cores */
	struct prof_limits lim;
};

/*
 * The options every snapshot command documents: --time, --target, -o,
 * --force, --csv-raw, --max-input, -j. Fields are those of struct snap_opts:
 * include with OPT_INCLUDE_AT(snap_opt_table, type, io, 0).
 */
extern const struct opt snap_opt_table[];
/* The profile decoder's limits: --max-inflated and --max-memory. */
extern const struct opt snap_limit_table[];

/* --time STYLE's callback: enum csv_time field ("bad --time ..."). */
#define CMD_TIME_VALUES "rfc3339 unix unixms"
void cmd_time_cb(const struct opt *o, void *field, const char *arg);
/* A SIZE option's callback: size_t field, not 0 ("bad size for OPT"). */
void cmd_size_cb(const struct opt *o, void *field, const char *arg);
/* -j N's callback: unsigned field, 1 to PARMAP_MAX_JOBS ("bad -j ..."). */
void cmd_jobs_cb(const struct opt *o, void *field, const char *arg);

/* A repeatable option's arguments, in order; the caller frees v. */
struct cmd_list {
	const char **v;
	size_t n;
};
/* Its callback: appends arg (argv's, not copied) to a struct cmd_list. */
void cmd_list_cb(const struct opt *o, void *field, const char *arg);

/*
 * Parses duration s of option opt in syntax syn, or exits with LEAKY_USAGE:
 * "bad OPT 'S' (HINT)", also for 0 unless zero_ok.
 */
int64_t cmd_duration(const char *s, const char *opt, int zero_ok,
		     const struct duration_syntax *syn);

/* Compiles an extended regex for option opt, or exits with LEAKY_USAGE. */
void cmd_regex(regex_t *re, const char *pattern, const char *opt);

/*
 * One input read by cmd_each_profile(): its path, the profile decoded from
 * it, and the target and time series_identify() gave it. Valid during the
 * callback only.
 */
struct cmd_snap {
	const char *path;
	const struct profile *p;
	const char *target;
	int64_t nanos;
};

/*
 * The input loop of heaper and goroutines: reads paths[0..n) through a
 * prof_reader within io->lim, io->jobs files at a time (parmap_run()),
 * names each snapshot's target and time (series_identify(): io->target,
 * else the file name; the round's time for a collector's file, else the
 * profile's, else the mtime) and calls add(snap, ctx) in the order of
 * paths, on the caller's thread. An input that cannot be read is
 * reported and skipped. Returns LEAKY_OK, or LEAKY_FAIL when an input could
 * not be read or add() returned -1 for one (add() reports why).
 */
int cmd_each_profile(const struct snap_opts *io, char *const *paths,
		     size_t n, int (*add)(const struct cmd_snap *s, void *ctx),
		     void *ctx);

/* One text snapshot (process memory, a .fds list) for cmd_each_text(). */
struct cmd_text {
	const char *path;
	const char *data;	/* the file's bytes, not NUL-terminated */
	size_t len;
	const char *target;
	int64_t nanos;
};

/*
 * What cmd_each_text() does with each file. parse (may be NULL) runs on a
 * worker thread and sees t without target and time: it returns what it
 * made of t (freed with parsed_free), or NULL when t is no snapshot
 * (reported: the file counts as bad, add() is not called). add runs on
 * the caller's thread, in input order, with parse's result (NULL without
 * parse).
 */
struct cmd_text_ops {
	void *(*parse)(const struct cmd_text *t);
	void (*parsed_free)(void *parsed);
	int (*add)(const struct cmd_text *t, void *parsed, void *ctx);
};

/*
 * The input loop of pmap and fds, whose snapshots carry no time of their
 * own: reads paths[0..n) whole, io->jobs files at a time, within
 * io->lim.max_input ("-" is stdin), names each one's target and time
 * (series_identify(): io->target, else the file name; the round's time
 * for a collector's file, else the mtime, and now for a /proc file) and
 * calls ops->add(t, parsed, ctx) in the order of paths. An input that
 * cannot be read is reported and skipped. Returns LEAKY_OK, or LEAKY_FAIL
 * when one could not be read or parsed, or add() returned -1 (add()
 * reports why); *nadded counts the others.
 */
int cmd_each_text(const struct snap_opts *io, char *const *paths, size_t n,
		  const struct cmd_text_ops *ops, void *ctx, size_t *nadded);

#endif

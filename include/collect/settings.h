/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky collect's settings: the one table of them (which configuration
 * files and -t specs both read), defaults, targets, durations, names.
 */
#ifndef LEAKY_COLLECT_SETTINGS_H
#define LEAKY_COLLECT_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"

/*
 * A setting's type: the C type it lands in, and how each source reads
 * it (a configuration file's typed values in collconf.c, a -t spec's
 * text in spec.c).
 */
enum collect_stype {
	CS_STRING,	/* char *; min is its shortest length */
	CS_BOOL,	/* int; a bare spec option is yes */
	CS_INT,		/* int64_t; files: min..max; specs: a positive number */
	CS_COUNT,	/* size_t, read as CS_INT */
	CS_DURATION,	/* int64_t ns; min 1: zero is refused */
	CS_SIZE,	/* size_t bytes; at least 1024 */
	CS_KINDS,	/* unsigned, CK_BIT()s */
	CS_HEADERS,	/* char ** of "Name: value", and its count */
	CS_LABELS,	/* char *, "k=v;k=v" */
	CS_NAME,	/* a target's name (collect_check_name()) */
	CS_URL,		/* a target's URL (collect_set_url()) */
	CS_TARGETS,	/* the targets, a file's list of groups */
	CS_PATHS,	/* char ** of paths and its count: a string or a
			 * list; a file's relative ones from its folder */
};

/* Where a setting may be given: the bits of collect_setting.where. */
#define CS_ROOT 1u	/* a configuration file's top level: collect_conf */
#define CS_TARGET 2u	/* a file's target group: collect_target */
#define CS_SPEC 4u	/* a -t spec's options: collect_target */

/* One setting. A name may have a row per place with other rules. */
struct collect_setting {
	const char *name;
	enum collect_stype type;
	unsigned where;		/* CS_ROOT, CS_TARGET, CS_SPEC */
	int64_t min, max;	/* see enum collect_stype */
	int auto_zero;		/* the string "auto" is 0 (the default) */
	size_t conf_at;		/* offsetof(struct collect_conf, ...) */
	size_t target_at;	/* offsetof(struct collect_target, ...) */
	size_t conf_count_at;	/* CS_HEADERS: where their count lands */
	size_t target_count_at;
	unsigned set;		/* CT_SET_* bit a target gets */
	const char *help;
};

/* The table, ended by a row whose name is NULL. */
extern const struct collect_setting collect_settings[];

/* The setting name in place where (a CS_* bit), or NULL. */
const struct collect_setting *collect_setting_find(const char *name,
						   unsigned where);
/*
 * The names of place where's settings as the messages list them:
 * "output, interval, ...". Static storage.
 */
const char *collect_setting_names(unsigned where);
/*
 * Where s lands: in conf for CS_ROOT, else in t (and, for CS_HEADERS,
 * where their count does). Marks t's set bit for s.
 */
void *collect_setting_at(const struct collect_setting *s, unsigned where,
			 struct collect_conf *conf, struct collect_target *t);
size_t *collect_setting_count_at(const struct collect_setting *s,
				 unsigned where, struct collect_conf *conf,
				 struct collect_target *t);

/*
 * Fills conf with the built-in defaults (identical to configs/leaky.conf),
 * without targets. Release with collect_conf_release().
 */
void collect_conf_init(struct collect_conf *conf);
void collect_conf_release(struct collect_conf *conf);
/* Frees what t holds (not t itself) and zeroes it. */
void collect_target_release(struct collect_target *t);
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
 * Fills one target's unset settings from conf's and checks it, as
 * collect_conf_finish() does each: for targets found during a run.
 */
int collect_target_finish(const struct collect_conf *conf,
			  struct collect_target *t, char err[COLLECT_ERR]);
/* Whether conf finds targets as it runs (--targets-from, --file-sd). */
int collect_discovers(const struct collect_conf *conf);
/* How often discovery looks again: conf's refresh, else three rounds
 * within COLLECT_REFRESH_MIN and COLLECT_REFRESH_MAX. */
int64_t collect_refresh(const struct collect_conf *conf);
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

/* Checks a target name; 0, or -1 with the reason in err. */
int collect_check_name(const char *name, char err[COLLECT_ERR]);

/*
 * Expands ${VAR} in s from the environment. Returns a new string the
 * caller frees, or NULL with the reason (unset variable, bad syntax) in
 * err. "$$" is a literal '$'.
 */
char *collect_expand_env(const char *s, char err[COLLECT_ERR]);

#endif

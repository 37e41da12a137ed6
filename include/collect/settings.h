/* leaky collect's settings: defaults, targets, durations, names. */
#ifndef LEAKY_COLLECT_SETTINGS_H
#define LEAKY_COLLECT_SETTINGS_H

#include "collect/collect.h"

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

/* Checks a target name; 0, or -1 with the reason in err. */
int collect_check_name(const char *name, char err[COLLECT_ERR]);

/*
 * Expands ${VAR} in s from the environment. Returns a new string the
 * caller frees, or NULL with the reason (unset variable, bad syntax) in
 * err. "$$" is a literal '$'.
 */
char *collect_expand_env(const char *s, char err[COLLECT_ERR]);

#endif

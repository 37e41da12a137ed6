/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky collect --targets-from, --file-sd: the targets a run finds as it
 * goes, the way Prometheus finds its own. A Prometheus's active targets
 * (/api/v1/targets, so that its service discovery feeds the collector)
 * are read every refresh; file_sd files (JSON or YAML, globs) are looked
 * at each second and read again when one changes. Both are filtered by
 * one label selector (--match), made collect targets (collect/found.h)
 * and handed to the run through its found hook, on a thread of their
 * own so that a slow Prometheus never holds a round back.
 */
#ifndef LEAKY_DISCOVER_H
#define LEAKY_DISCOVER_H

#include <stddef.h>

struct collect_conf;
struct collrun_hooks;

struct discover;

/* Where --targets-from's auth comes from (all may be NULL). */
struct discover_auth {
	char *const *headers;		/* "Name: value", to Prometheus */
	size_t nheaders;
	const char *ca_file;
};

/*
 * Finds conf's targets once, now, then goes on looking on its own
 * thread (conf must outlive d). At the start every source must answer:
 * a Prometheus that cannot be read, a file that is not file_sd, a
 * selector that does not parse are errors (NULL, with the reason in
 * err); later the same failures are said on stderr through the run,
 * once each, and the targets found before are kept.
 */
struct discover *discover_new(const struct collect_conf *conf,
			      const struct discover_auth *auth, char *err,
			      size_t errlen);
/* Sets h's found hook (and only it) to d. */
void discover_hooks(struct discover *d, struct collrun_hooks *h);
/* Stops the thread and frees d; NULL is a no-op. */
void discover_free(struct discover *d);

#endif

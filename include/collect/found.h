/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Targets found by discovery (a Prometheus's active targets, file_sd
 * files) made collect targets: a name fit for file names, the URL of
 * their pprof endpoints, their labels for the manifest.
 */
#ifndef LEAKY_COLLECT_FOUND_H
#define LEAKY_COLLECT_FOUND_H

#include <stddef.h>

#include "collect/collect.h"

/* Where pprof is looked for on a target found, unless told otherwise. */
#define FOUND_PPROF_PATH "/debug/pprof/"
/* Labels a target found may carry to say where its pprof is. */
#define FOUND_LABEL_PORT "leaky_pprof_port"
#define FOUND_LABEL_PATH "leaky_pprof_path"

/* A target as discovery found it. Borrowed by collect_target_found(). */
struct found {
	const char *scheme;	/* "http" or "https"; NULL: http */
	const char *address;	/* "HOST:PORT", "[V6]:PORT", "HOST" */
	const char *job;	/* its job; NULL or "": none */
	const char *instance;	/* its instance; NULL: the address */
	char *const *names;	/* all its labels, for the manifest */
	char *const *values;
	size_t nlabels;
	const char *origin;	/* where it was found, for messages */
};

/*
 * A name for JOB/INSTANCE that file names can hold: each character that
 * is not a letter, digit or '-' becomes '-', job and instance joined by
 * '_' ("api_10-0-0-7-8080"); a long one is cut and ends in a hash of the
 * whole, so that names stay distinct. The caller frees it.
 */
char *found_name(const char *job, const char *instance);

/*
 * Makes *t (zeroed first; the caller releases it) a target of conf for
 * f: named found_name(), its pprof at SCHEME://ADDRESS with the port and
 * path of f's labels FOUND_LABEL_PORT and FOUND_LABEL_PATH, else conf's
 * pprof_port and pprof_path, else its own port and FOUND_PPROF_PATH;
 * labelled with conf's labels and f's (buf_add_label()'s escapes);
 * with conf's settings, as collect_target_finish() gives them. Returns 0,
 * or -1 with the reason, naming f's origin, in err.
 */
int collect_target_found(const struct collect_conf *conf,
			 const struct found *f, struct collect_target *t,
			 char err[COLLECT_ERR]);

#endif

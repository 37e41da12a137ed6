/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Answers of Prometheus's HTTP API (/api/v1/query, /api/v1/query_range)
 * decoded from JSON: the envelope (status, errorType, error, warnings) and
 * a matrix or vector result as series of labels and (time, value) points.
 */
#ifndef LEAKY_PROMJSON_H
#define LEAKY_PROMJSON_H

#include <stddef.h>

/* One series: its labels and its points, in the answer's order. */
struct promjson_series {
	char **names, **values;	/* labels, nlabels of each */
	size_t nlabels;
	double *t;		/* seconds since the epoch */
	double *v;		/* values; NaN and +-Inf as Prometheus says */
	size_t n;
};

/* One active target of /api/v1/targets. */
struct promjson_target {
	char **names, **values;	/* its labels (job, instance...) */
	size_t nlabels;
	char *scrape_url;	/* "" when absent, as the fields below */
	char *scrape_interval;	/* "15s"; older servers do not send it */
	char *health;		/* "up", "down", "unknown" */
};

/* A decoded answer. Owned by the caller: promjson_release(). */
struct promjson_answer {
	int success;		/* "status": "success" */
	char *error_type;	/* "errorType", NULL when absent */
	char *error;		/* "error", NULL when absent */
	char **warnings;	/* "warnings": a partial answer */
	size_t nwarnings;
	char *result_type;	/* "matrix", "vector", ...; NULL on error */
	struct promjson_series *series;
	size_t nseries;
	/* /api/v1/targets: "activeTargets" (result_type "targets") */
	struct promjson_target *targets;
	size_t ntargets;
};

/*
 * Decodes the answer body p[0..n-1] into *a (zeroed first). An answer
 * with "status": "error" decodes too (success 0, error_type and error
 * set). A matrix result gives each series its "values", a vector one
 * point from "value"; a scalar or string result decodes with no series.
 * A /api/v1/targets answer ("activeTargets" in "data") decodes into
 * targets, with result_type "targets".
 * Returns 0, or -1 with a one-line reason in err (size errlen) when p is
 * not JSON or not shaped as the API documents; *a then holds nothing to
 * release, though releasing it is harmless.
 */
int promjson_decode(const char *p, size_t n, struct promjson_answer *a,
		    char *err, size_t errlen);

/* Frees what *a holds and zeroes it; a zeroed answer is a no-op. */
void promjson_release(struct promjson_answer *a);

struct filesd;
/*
 * The JSON half of filesd_decode() (decode/filesd.h), here because this
 * file owns jansson: decodes a file_sd JSON file p[0..n-1] into *out
 * (zeroed first) as Prometheus's JSON reader does (members other than
 * "targets" and "labels" ignored, the last of a repeated one kept).
 * Checks the shape only: a list (or null) of objects, each with a list
 * of string "targets" and an optional object of string "labels".
 * filesd_decode() checks the rest (bounds, label names, empty targets).
 * Returns 0, or -1 with a one-line reason in err naming the group (from
 * 1) and item; *out then holds nothing to release.
 */
int promjson_file_sd(const char *p, size_t n, struct filesd *out,
		     char *err, size_t errlen);

/* The value of label name of target t, or NULL when it has none. */
const char *promjson_target_label(const struct promjson_target *t,
				  const char *name);

/* The value of label name in s, or NULL when s has none. */
const char *promjson_label(const struct promjson_series *s,
			   const char *name);

#endif

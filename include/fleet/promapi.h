/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A client of Prometheus's HTTP API (and of what answers it: Thanos,
 * Mimir, VictoriaMetrics): range queries over GETs through the scraper,
 * split by time under the server's points limit, answers decoded and
 * their errors told in one line.
 */
#ifndef LEAKY_PROMAPI_H
#define LEAKY_PROMAPI_H

#include <stddef.h>
#include <stdint.h>

struct promjson_answer;

/* Prometheus refuses a range query of more points per series than this. */
#define PROMAPI_MAX_POINTS 11000
/* The points per query asked for: a margin under the limit. */
#define PROMAPI_CHUNK_POINTS 10000
/*
 * Points per answer (series x steps) the queries aim at: a JSON tree
 * takes about ten times its text, so an answer of this many points costs
 * some 100 MB while decoded, whatever the fleet's size.
 */
#define PROMAPI_ANSWER_POINTS 250000
/* Steps of a first query, before the number of series is known. */
#define PROMAPI_FIRST_STEPS 100

/* The largest answer read by default. */
#define PROMAPI_DEFAULT_MAX_BODY ((size_t)512 << 20)

struct promapi_opts {
	const char *url;		/* http(s)://HOST[:PORT][/PREFIX] */
	char *const *headers;		/* "Name: value", sent with each GET */
	size_t nheaders;
	const char *ca_file;		/* NULL: the system's */
	int insecure;			/* https without checks */
	int64_t timeout_ns;		/* per GET; 0: 60 s */
	size_t max_body;		/* 0: PROMAPI_DEFAULT_MAX_BODY */
};

struct promapi;

/*
 * A client for o->url (copied, as are the headers). Returns NULL with a
 * reason in err when the URL is not http(s) or the scraper cannot start.
 */
struct promapi *promapi_new(const struct promapi_opts *o, char *err,
			    size_t errlen);
/* NULL is a no-op. */
void promapi_free(struct promapi *p);
/* The URL for messages: any password in it shown as "***". */
const char *promapi_shown(const struct promapi *p);
/* GETs made so far (the queries a scan cost). */
size_t promapi_requests(const struct promapi *p);

/*
 * /api/v1/query_range of expr from start to end (seconds since the
 * epoch) at step (milliseconds, at least 1), as consecutive queries over
 * parts of the span whose series are joined by label set, in time order.
 * Each part has at most PROMAPI_CHUNK_POINTS steps and, for the
 * *nseries series expected (0: unknown, then the first part has
 * PROMAPI_FIRST_STEPS steps), about PROMAPI_ANSWER_POINTS points, so
 * that memory stays bounded however large the fleet; *nseries is updated
 * with the most series a part had, for the next call. *out (zeroed
 * first; the caller promjson_release()s it) holds a matrix. Returns 0,
 * or -1 with one line in err: the server unreachable or slow, an error
 * answer ("bad_data: ..." and its HTTP status), an answer that is not
 * the API's JSON, or a partial answer (warnings).
 */
int promapi_query_range(struct promapi *p, const char *expr, int64_t start,
			int64_t end, int64_t step_ms, size_t *nseries,
			struct promjson_answer *out, char *err, size_t errlen);

/*
 * /api/v1/targets?state=active into *out (result_type "targets"; the
 * caller promjson_release()s it). Returns 0, or -1 with one line in err
 * and *transport set when the server could not be reached or did not
 * answer in time (not when it answered something else: Thanos and other
 * stores have no targets).
 */
int promapi_targets(struct promapi *p, struct promjson_answer *out,
		    int *transport, char *err, size_t errlen);

#endif

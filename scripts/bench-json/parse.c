/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scripts/bench-json.sh's parser: reads a Prometheus query_range answer
 * and walks every point (time and value, the value through strtod) with
 * the JSON library chosen at build time (-DUSE_JANSSON, -DUSE_JSONC,
 * -DUSE_CJSON), then prints "points seconds peak-RSS-MiB". The walk
 * matches what promjson does, so that the libraries are compared on the
 * same work. A benchmark, not part of leaky.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#if defined(USE_JANSSON)
#include <jansson.h>
#elif defined(USE_JSONC)
#include <json-c/json.h>
#elif defined(USE_CJSON)
#include <cjson/cJSON.h>
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double sum;	/* keeps the walk from being optimised away */

static long walk(const char *p, size_t n)
{
	long points = 0;
#if defined(USE_JANSSON)
	json_error_t je;
	json_t *root = json_loadb(p, n, 0, &je), *res, *s, *pt;
	size_t i, j;

	if (!root)
		return -1;
	res = json_object_get(json_object_get(root, "data"), "result");
	json_array_foreach(res, i, s) {
		json_array_foreach(json_object_get(s, "values"), j, pt) {
			sum += json_number_value(json_array_get(pt, 0));
			sum += strtod(json_string_value(json_array_get(pt, 1)),
				      NULL);
			points++;
		}
	}
	json_decref(root);
#elif defined(USE_JSONC)
	struct json_tokener *tok = json_tokener_new_ex(64);
	struct json_object *root, *data, *res, *s, *vals, *pt;
	size_t i, j, ns, nv;

	root = json_tokener_parse_ex(tok, p, (int)n);
	json_tokener_free(tok);
	if (!root || !json_object_object_get_ex(root, "data", &data) ||
	    !json_object_object_get_ex(data, "result", &res))
		return -1;
	ns = json_object_array_length(res);
	for (i = 0; i < ns; i++) {
		s = json_object_array_get_idx(res, i);
		if (!json_object_object_get_ex(s, "values", &vals))
			return -1;
		nv = json_object_array_length(vals);
		for (j = 0; j < nv; j++) {
			pt = json_object_array_get_idx(vals, j);
			sum += json_object_get_double(
				json_object_array_get_idx(pt, 0));
			sum += strtod(json_object_get_string(
				json_object_array_get_idx(pt, 1)), NULL);
			points++;
		}
	}
	json_object_put(root);
#elif defined(USE_CJSON)
	cJSON *root = cJSON_ParseWithLength(p, n), *res, *s, *pt;

	if (!root)
		return -1;
	res = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "data"), "result");
	cJSON_ArrayForEach(s, res) {
		cJSON_ArrayForEach(pt,
				   cJSON_GetObjectItemCaseSensitive(s, "values")) {
			sum += pt->child->valuedouble;
			sum += strtod(pt->child->next->valuestring, NULL);
			points++;
		}
	}
	cJSON_Delete(root);
#endif
	return points;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	FILE *f;
	char *p;
	long size, points;
	double t0, t1;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: parse ANSWER.json\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	p = malloc((size_t)size + 1);
	if (!p || fread(p, 1, (size_t)size, f) != (size_t)size)
		return 1;
	p[size] = '\0';
	fclose(f);
	t0 = now();
	points = walk(p, (size_t)size);
	t1 = now();
	if (points < 0) {
		fprintf(stderr, "parse: not a query_range answer\n");
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld %.2f %.0f\n", points, t1 - t0, (double)ru.ru_maxrss / 1024);
	return sum == 0.5;	/* never: 0 */
}

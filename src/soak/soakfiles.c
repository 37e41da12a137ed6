/* SPDX-License-Identifier: Apache-2.0 */
/* The sample files of a soak's collect directory, by kind and time. */
#include "soak/soakfiles.h"
#include "base/leaky.h"
#include "model/samplename.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* name ends in "." suffix, and is more than that */
static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k + 1 && name[n - k - 1] == '.' &&
	       !strcmp(name + n - k, suffix);
}

char **soakfiles_list(const char *dir, const char *sub, const char *suffix,
		      int64_t since, size_t *n)
{
	size_t len = strlen(dir) + strlen(sub) + 2, cap = 0;
	char *path = xmalloc(len), **list = NULL;
	struct dirent *e;
	DIR *d;

	*n = 0;
	snprintf(path, len, "%s/%s", dir, sub);
	d = opendir(path);
	while (d && (e = readdir(d)) != NULL) {
		char *target = NULL, *full;
		int64_t secs = 0;
		size_t flen;

		if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix))
			continue;
		/* a name without a time counts as in the window */
		if (samplename_parse(e->d_name, &target, &secs) && since &&
		    secs < since) {
			free(target);
			continue;
		}
		free(target);
		flen = len + strlen(e->d_name) + 1;
		full = xmalloc(flen);
		snprintf(full, flen, "%s/%s", path, e->d_name);
		list = xgrow(list, &cap, *n + 2, sizeof(*list));
		list[(*n)++] = full;
	}
	if (d)
		closedir(d);
	free(path);
	if (!list)
		list = xcalloc(1, sizeof(*list));
	qsort(list, *n, sizeof(*list), by_name);
	list[*n] = NULL;
	return list;
}

void soakfiles_free(char **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

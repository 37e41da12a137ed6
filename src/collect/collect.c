/* SPDX-License-Identifier: Apache-2.0 */
/* What each kind of sample is: the table of kinds, their names, files. */
#include "collect/collect.h"
#include "model/samplename.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * name, what, endpoint, query, dir, suffix, type, proto, takes_seconds,
 * gzip
 */
const struct collect_kind_info collect_kinds[CK_NKINDS] = {
	[CK_HEAP] = { "heap", "a heap profile", "heap", NULL, "profiles",
		      "heap.pb.gz", "inuse_space", 1, 1 },
	[CK_HEAP_TEXT] = { "heap.txt", "a heap?debug=1 dump", "heap",
			   "debug=1", "profiles", "heap.txt.gz", NULL, 0, 0,
			   1 },
	[CK_ALLOCS] = { "allocs", "an allocs profile", "allocs", NULL,
			"profiles", "allocs.pb.gz", "alloc_space", 1, 1 },
	[CK_GOROUTINE] = { "goroutine", "a goroutine profile", "goroutine",
			   NULL, "goroutines", "goroutine.pb.gz", "goroutine",
			   1, 1 },
	[CK_GOROUTINE_TEXT] = { "goroutine.txt", "a goroutine?debug=2 dump",
				"goroutine", "debug=2", "goroutines",
				"goroutine.txt.gz", NULL, 0, 0, 1 },
	[CK_BLOCK] = { "block", "a block profile", "block", NULL, "profiles",
		       "block.pb.gz", "contentions", 1, 1 },
	[CK_MUTEX] = { "mutex", "a mutex profile", "mutex", NULL, "profiles",
		       "mutex.pb.gz", "contentions", 1, 1 },
	[CK_THREADCREATE] = { "threadcreate", "a threadcreate profile",
			      "threadcreate", NULL, "profiles",
			      "threadcreate.pb.gz", "threadcreate", 1, 0 },
	[CK_PMAP] = { "pmap", "pmap -x output", NULL, NULL, "pmaps", "pmap",
		      NULL, 0, 0 },
	[CK_SMAPS_ROLLUP] = { "smaps_rollup", "an smaps_rollup", NULL, NULL,
			      "pmaps", "smaps_rollup", NULL, 0, 0 },
	[CK_STATUS] = { "status", "a status file", NULL, NULL, "pmaps",
			"status", NULL, 0, 0 },
	[CK_FDS] = { "fds", "a list of open descriptors", NULL, NULL, "fds",
		     "fds", NULL, 0, 0 },
	[CK_LIMITS] = { "limits", "a memory limits file", NULL, NULL,
			"limits", "limits", NULL, 0, 0 },
};

void collect_seterr(char err[COLLECT_ERR], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, COLLECT_ERR, fmt, ap);
	va_end(ap);
}

int collect_kind_by_name(const char *name, size_t len)
{
	int k;

	for (k = 0; k < CK_NKINDS; k++)
		if (strlen(collect_kinds[k].name) == len &&
		    !memcmp(collect_kinds[k].name, name, len))
			return k;
	return -1;
}

int collect_parse_kinds(const char *list, char sep, unsigned *mask,
			char err[COLLECT_ERR])
{
	const char *p = list;
	unsigned m = 0;

	for (;;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int k;

		if (!n) {
			collect_seterr(err, "empty profile name in '%s'", list);
			return -1;
		}
		k = collect_kind_by_name(p, n);
		if (k >= 0)
			m |= CK_BIT(k);
		else if (n == 6 && !memcmp(p, "memory", 6))
			m |= CK_MEMORY;
		else if (n == 7 && !memcmp(p, "default", 7))
			m |= CK_DEFAULT;
		else if (n == 3 && !memcmp(p, "all", 3))
			m |= (1u << CK_NKINDS) - 1;
		else {
			collect_seterr(err, "unknown profile '%.*s' (heap, "
				       "heap.txt, allocs, goroutine, "
				       "goroutine.txt, block, mutex, "
				       "threadcreate, pmap, smaps_rollup, "
				       "status, fds, limits, memory, default, "
				       "all)",
				       (int)n, p);
			return -1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

char *collect_file_name(const char *name, int64_t unix_secs,
			enum collect_kind k, unsigned seq)
{
	const struct collect_kind_info *ki = &collect_kinds[k];

	return samplename_format(ki->dir, name, unix_secs, seq, ki->suffix);
}

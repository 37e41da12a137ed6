/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process's memory limits, as leaky collect writes them
 * (NAME_UNIX.limits): the format, its writer and its decoder.
 *
 *   # leaky limits: pid 4242
 *   cgroup v2 /system.slice/shop.service
 *   limit 268435456 memory.max /system.slice/shop.service
 *   usage 104857600 memory.current
 *   oom_kill 3 memory.events
 *   gomemlimit none
 *
 * One "KEY VALUE [SOURCE [PATH]]" a line after the header. cgroup is v1,
 * v2 or none (no memory cgroup found), with the process's cgroup path.
 * limit is the smallest memory limit on the way from that cgroup up to
 * the hierarchy's root ("none": no limit anywhere, "max" or v1's
 * page-counter maximum), with the file and the cgroup that set it; usage
 * and oom_kill are that cgroup's (else the process's own cgroup's).
 * gomemlimit is $GOMEMLIMIT from the process's environment, in bytes, or
 * none. A value may be "unknown" (a file absent or unreadable). Keys a
 * decoder does not know are passed over; limit must be there.
 */
#ifndef LEAKY_MEMLIMIT_H
#define LEAKY_MEMLIMIT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The header line's first bytes, by which the file is recognised. */
#define MEMLIMIT_MAGIC "# leaky limits:"

/* Values that are no number of bytes. */
#define MEMLIMIT_NONE (-1)	/* no limit */
#define MEMLIMIT_UNKNOWN (-2)	/* not known */

/* A v1 limit this high or above is its "no limit" (2^63 less a page). */
#define MEMLIMIT_V1_UNLIMITED ((int64_t)1 << 62)

#define MEMLIMIT_SOURCE_MAX 32

struct memlimit {
	int64_t pid;
	int cgroup;			/* 1 or 2; 0: none found */
	int64_t limit;			/* bytes, or NONE, UNKNOWN */
	char limit_file[MEMLIMIT_SOURCE_MAX];	/* "memory.max"; "" */
	int64_t usage;			/* bytes, or UNKNOWN */
	int64_t oom_kills;		/* count, or UNKNOWN */
	char oom_file[MEMLIMIT_SOURCE_MAX];	/* "memory.events"; "" */
	int64_t gomemlimit;		/* bytes, or NONE, UNKNOWN */
};

/*
 * Appends m as a limits file to b: cgroup_path is the process's cgroup
 * ("" when none), limit_path the cgroup that set the limit ("" when none).
 */
void memlimit_format(struct buf *b, const struct memlimit *m,
		     const char *cgroup_path, const char *limit_path);

/*
 * $GOMEMLIMIT's value as the Go runtime reads it: a whole number of bytes
 * with an optional unit B, KiB, MiB, GiB or TiB, or "off". Sets *v to the
 * bytes (MEMLIMIT_NONE for "off") and returns 0, or -1 when the runtime
 * would not take it.
 */
int memlimit_parse_go(const char *s, size_t n, int64_t *v);

/*
 * Decodes len bytes of data into *m. Returns 0, or reports
 * "NAME[:LINE]: reason" through error() (not a limits file, no pid, a
 * line that is not "KEY VALUE", a value that is no number, no limit
 * line, a file cut short) and returns -1.
 */
int memlimit_parse(const char *name, const char *data, size_t len,
		   struct memlimit *m);

#endif

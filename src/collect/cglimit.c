/* SPDX-License-Identifier: Apache-2.0 */
/* A process's memory limits: its cgroup's, and $GOMEMLIMIT. */
#include "collect/cglimit.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/memlimit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/PID/environ read at most this far (an environment is a few KiB). */
#define ENVIRON_MAX ((size_t)1 << 20)

/* Reads path (up to cap bytes) into b; -1 with errno set. */
static int read_small(const char *path, struct buf *b, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	b->len = 0;
	if (fd < 0)
		return -1;
	for (;;) {
		buf_reserve(b, 4096);
		n = read(fd, b->data + b->len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (b->len >= cap)
			break;
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* The number in file dir/name: bytes, or NONE for "max"; UNKNOWN. */
static int64_t read_number(const char *dir, const char *name, int v1)
{
	char path[PATH_MAX + 64], text[64], *end;
	long long v;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return MEMLIMIT_UNKNOWN;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return MEMLIMIT_UNKNOWN;
	text[n] = '\0';
	if (!strncmp(text, "max", 3))
		return MEMLIMIT_NONE;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || v < 0)
		return MEMLIMIT_UNKNOWN;
	if (v1 && v >= MEMLIMIT_V1_UNLIMITED)
		return MEMLIMIT_NONE;
	return v;
}

/* "KEY N" of a flat-keyed file (memory.events, memory.oom_control). */
static int64_t read_key(const char *dir, const char *name, const char *key)
{
	char path[PATH_MAX + 64];
	struct buf b;
	int64_t v = MEMLIMIT_UNKNOWN;
	size_t k = strlen(key), i = 0;

	buf_init(&b);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_small(path, &b, 64 << 10) < 0) {
		buf_release(&b);
		return v;
	}
	buf_add(&b, "", 1);
	while (i < b.len) {
		char *line = (char *)b.data + i, *nl = strchr(line, '\n');

		if (!strncmp(line, key, k) && line[k] == ' ') {
			v = strtoll(line + k + 1, NULL, 10);
			break;
		}
		if (!nl)
			break;
		i = (size_t)(nl + 1 - (char *)b.data);
	}
	buf_release(&b);
	return v;
}

/*
 * Where the cgroup hierarchies are mounted, from /proc/self/mountinfo:
 * the cgroup2 one and the v1 one with the memory controller.
 * "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS] - FSTYPE SOURCE SUPER".
 * Mount points with spaces (escaped \040) are not looked at.
 */
static void find_mounts(char v1[PATH_MAX], char v2[PATH_MAX])
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	v1[0] = v2[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - "), mnt[PATH_MAX], fs[32],
		     super[1024] = "";

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%31s %*s %1023s", fs, super) < 1)
			continue;
		if (!strcmp(fs, "cgroup2") && !v2[0])
			snprintf(v2, PATH_MAX, "%s", mnt);
		else if (!strcmp(fs, "cgroup") && !v1[0]) {
			char *o, *save = NULL;

			for (o = strtok_r(super, ",", &save); o;
			     o = strtok_r(NULL, ",", &save))
				if (!strcmp(o, "memory"))
					snprintf(v1, PATH_MAX, "%s", mnt);
		}
	}
	fclose(f);
}

/*
 * The process's memory cgroup from /proc/PID/cgroup ("ID:CONTROLLERS:
 * PATH" lines): v1's line with "memory" among its controllers, else
 * v2's "0::PATH". Returns 1 or 2 with the path in out, 0 for none, -1
 * with errno when the file cannot be read.
 */
static int process_cgroup(int64_t pid, char out[PATH_MAX], int have_v1,
			  int have_v2)
{
	char path[64];
	struct buf b;
	size_t i = 0;
	int found = 0;

	buf_init(&b);
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/cgroup", pid);
	if (read_small(path, &b, 1 << 20) < 0) {
		buf_release(&b);
		return -1;
	}
	buf_add(&b, "", 1);
	while (i < b.len) {
		char *line = (char *)b.data + i, *nl = strchr(line, '\n');
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') :
			   NULL;

		if (nl)
			*nl = '\0';
		if (c2) {
			char ctl[256];
			size_t n = (size_t)(c2 - c1 - 1);
			int mem = 0;

			snprintf(ctl, sizeof(ctl), ",%.*s,", (int)n, c1 + 1);
			mem = strstr(ctl, ",memory,") != NULL;
			if (mem && have_v1) {
				snprintf(out, PATH_MAX, "%s", c2 + 1);
				found = 1;
			} else if (!n && c1 - line == 1 && line[0] == '0' &&
				   have_v2 && found != 1) {
				snprintf(out, PATH_MAX, "%s", c2 + 1);
				found = 2;
			}
		}
		if (!nl)
			break;
		i = (size_t)(nl + 1 - (char *)b.data);
	}
	buf_release(&b);
	return found;
}

/*
 * The smallest limit from the cgroup dir (under mount) up to the mount's
 * root, with the cgroup that set it in at, and that cgroup's usage and
 * OOM kills (else the process's own cgroup's).
 */
static void cgroup_limits(struct memlimit *m, const char *mount,
			  const char *cgpath, char at[PATH_MAX])
{
	const char *lim = m->cgroup == 2 ? "memory.max" :
			  "memory.limit_in_bytes";
	const char *use = m->cgroup == 2 ? "memory.current" :
			  "memory.usage_in_bytes";
	char rel[PATH_MAX], dir[PATH_MAX + PATH_MAX + 2];
	char best[PATH_MAX] = "";
	int64_t min = MEMLIMIT_NONE;

	snprintf(rel, sizeof(rel), "%s", cgpath);
	for (;;) {
		char *slash = strrchr(rel, '/');
		int64_t v;

		snprintf(dir, sizeof(dir), "%s%s", mount, rel);
		v = read_number(dir, lim, m->cgroup == 1);
		if (v >= 0 && (min < 0 || v < min)) {
			min = v;
			snprintf(best, sizeof(best), "%s", *rel ? rel : "/");
		}
		if (!slash || !strcmp(rel, "/"))
			break;
		slash[slash == rel] = '\0';	/* "/a/b" -> "/a" -> "/" */
	}
	/*
	 * A v2 root has no memory.max, and a cgroup without the memory
	 * controller has none either: no limit there.
	 */
	m->limit = min;
	snprintf(m->limit_file, sizeof(m->limit_file), "%s", lim);
	snprintf(at, PATH_MAX, "%s", best);
	snprintf(dir, sizeof(dir), "%s%s", mount, min >= 0 ? best : cgpath);
	m->usage = read_number(dir, use, 0);
	if (m->usage < 0)
		m->usage = MEMLIMIT_UNKNOWN;
	if (m->cgroup == 2) {
		m->oom_kills = read_key(dir, "memory.events", "oom_kill");
		snprintf(m->oom_file, sizeof(m->oom_file), "memory.events");
	} else {
		m->oom_kills = read_key(dir, "memory.oom_control", "oom_kill");
		snprintf(m->oom_file, sizeof(m->oom_file),
			 "memory.oom_control");
	}
}

/* $GOMEMLIMIT from the process's environment: bytes, NONE, UNKNOWN. */
static int64_t gomemlimit(int64_t pid)
{
	static const char key[] = "GOMEMLIMIT=";
	char path[64];
	struct buf b;
	int64_t v = MEMLIMIT_NONE;
	size_t i = 0;

	buf_init(&b);
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/environ", pid);
	if (read_small(path, &b, ENVIRON_MAX) < 0) {
		buf_release(&b);
		return MEMLIMIT_UNKNOWN;
	}
	/* "KEY=VALUE\0..."; only this one entry is looked at, and none of
	 * the others is kept or shown. */
	while (i < b.len) {
		const char *e = (const char *)b.data + i;
		const char *z = memchr(e, '\0', b.len - i);
		size_t n = z ? (size_t)(z - e) : b.len - i;

		if (n >= sizeof(key) - 1 && !memcmp(e, key, sizeof(key) - 1)) {
			if (memlimit_parse_go(e + sizeof(key) - 1,
					      n - (sizeof(key) - 1), &v) < 0)
				v = MEMLIMIT_UNKNOWN;
		}
		i += n + 1;
	}
	/* Wiped: the environment may hold secrets. */
	if (b.data)
		memset(b.data, 0, b.len);
	buf_release(&b);
	return v;
}

int cglimit_read(int64_t pid, struct buf *b, char err[COLLECT_ERR])
{
	struct memlimit m = { .pid = pid };
	char v1[PATH_MAX], v2[PATH_MAX], cg[PATH_MAX] = "", at[PATH_MAX] = "";
	int kind;

	b->len = 0;
	find_mounts(v1, v2);
	kind = process_cgroup(pid, cg, v1[0] != 0, v2[0] != 0);
	if (kind < 0) {
		if (errno == ENOENT || errno == ESRCH)
			collect_seterr(err, "process %" PRId64 " is gone", pid);
		else
			collect_seterr(err, "/proc/%" PRId64 "/cgroup: %s", pid,
				       strerror(errno));
		return -1;
	}
	m.cgroup = kind;
	m.limit = MEMLIMIT_NONE;
	m.usage = m.oom_kills = MEMLIMIT_UNKNOWN;
	if (kind)
		cgroup_limits(&m, kind == 1 ? v1 : v2, cg, at);
	m.gomemlimit = gomemlimit(pid);
	memlimit_format(b, &m, cg, at);
	return 0;
}

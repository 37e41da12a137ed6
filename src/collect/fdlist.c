/* SPDX-License-Identifier: Apache-2.0 */
/* Listing a process's open descriptors from /proc/PID/fd. */
#include "collect/fdlist.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/fds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Why /proc/PID/fd (path) could not be read, errno being e. */
static void fail(char err[COLLECT_ERR], const char *path, int64_t pid, int e)
{
	if (e == ENOENT || e == ESRCH)
		collect_seterr(err, "process %" PRId64 " is gone", pid);
	else if (e == EACCES || e == EPERM)
		collect_seterr(err, "%s: %s (another user's process?)", path,
			       strerror(e));
	else
		collect_seterr(err, "%s: %s", path, strerror(e));
}

/* The descriptor number an entry's name is, or -1 for "." and "..". */
static int64_t fd_number(const char *name)
{
	char *end;
	long long v;

	if (name[0] < '0' || name[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(name, &end, 10);
	return *end || errno ? -1 : (int64_t)v;
}

/*
 * 1 when process pid has exited and is not yet reaped (state Z, or X):
 * its /proc entry stays, with no descriptors, until its parent waits.
 */
static int zombie(int64_t pid)
{
	char path[64], stat[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	stat[n] = '\0';
	/* "PID (COMM) S ...": COMM may hold ')' and spaces; the last ')'
	 * ends it. */
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' &&
	       (paren[2] == 'Z' || paren[2] == 'X');
}

/* The process's threads: the entries of /proc/PID/task; -1 unread. */
static int64_t threads_of(int64_t pid)
{
	char path[64];
	struct dirent *e;
	int64_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += fd_number(e->d_name) >= 0;
	closedir(d);
	return n ? n : -1;
}

int fdlist_read(int64_t pid, struct buf *b, char err[COLLECT_ERR])
{
	struct fds_snapshot s = { .pid = pid, .threads = -1 };
	char path[64], link[4096], num[32];
	struct buf lines;
	struct dirent *e;
	int ret = -1;
	DIR *d;

	b->len = 0;
	buf_init(&lines);
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/fd", pid);
	d = opendir(path);
	if (!d) {
		fail(err, path, pid, errno);
		return -1;
	}
	for (;;) {
		int64_t fd;
		ssize_t n;
		int nl;

		errno = 0;
		e = readdir(d);
		if (!e)
			break;
		fd = fd_number(e->d_name);
		if (fd < 0)
			continue;
		/*
		 * The process goes on opening and closing while it is
		 * listed: a descriptor gone between readdir and readlink
		 * was not open at the end, and is left out. A link longer
		 * than the buffer is kept cut: its type is in its start.
		 */
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link));
		if (n < 0 && errno == ENOENT)
			continue;
		if (n < 0) {
			fail(err, path, pid, errno);
			goto out;
		}
		s.open++;
		s.count[fds_type_of(link, (size_t)n)]++;
		/* Counted all, listed while both caps allow. */
		if (s.listed >= FDLIST_MAX_LISTED ||
		    lines.len >= FDLIST_MAX_BYTES)
			continue;
		nl = snprintf(num, sizeof(num), "%" PRId64 " ", fd);
		buf_add(&lines, num, (size_t)nl);
		fds_escape(&lines, link, (size_t)n);
		buf_add(&lines, "\n", 1);
		s.listed++;
	}
	if (errno) {
		fail(err, path, pid, errno);
		goto out;
	}
	/* A live process without descriptors is rare; a dead one has none. */
	if (!s.open && zombie(pid)) {
		collect_seterr(err, "process %" PRId64 " is gone (exited, not "
			       "yet reaped by its parent)", pid);
		goto out;
	}
	s.threads = threads_of(pid);
	fds_header(b, &s);
	if (lines.len)
		buf_add(b, lines.data, lines.len);
	ret = 0;
out:
	closedir(d);
	buf_release(&lines);
	return ret;
}

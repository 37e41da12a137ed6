/* SPDX-License-Identifier: Apache-2.0 */
/* Processes behind collector targets: discovery, identity, /proc, pmap. */
#include "collect/procwatch.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* TCP_LISTEN in /proc/net/tcp's "st" column. */
#define ST_LISTEN 0x0A

/* A /proc/net/tcp address that 127.0.0.1 or ::1 can reach. */
static int reachable_v4(const char *hex)
{
	unsigned long a = strtoul(hex, NULL, 16);

	/* A little-endian word in host order: 127.x is the low byte. */
	return a == 0 || (a & 0xff) == 127;
}

static int reachable_v6(const char *hex)
{
	/* ::, ::1, ::ffff:0:0 and ::ffff:127.x.x.x, as four host words. */
	if (strlen(hex) < 32)
		return 0;
	if (!strncmp(hex, "0000000000000000", 16)) {
		if (!strncmp(hex + 16, "00000000", 8) &&
		    (!strcmp(hex + 24, "00000000") ||
		     !strcmp(hex + 24, "01000000")))
			return 1;
		if (!strncmp(hex + 16, "FFFF0000", 8))
			return reachable_v4(hex + 24);
	}
	return 0;
}

static void scan_tcp(const char *path, int v6, struct procwatch_listener **v,
		     size_t *n, size_t *cap)
{
	char line[512], addr[64];
	FILE *fp = fopen(path, "re");
	unsigned port, st;
	unsigned long long inode;

	if (!fp)
		return;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, " %*u: %63[0-9A-Fa-f]:%x %*s %x %*s %*s %*s "
			   "%*s %*s %llu", addr, &port, &st, &inode) != 4)
			continue;
		if (st != ST_LISTEN || !inode)
			continue;
		if (v6 ? !reachable_v6(addr) : !reachable_v4(addr))
			continue;
		*v = xgrow(*v, cap, *n + 1, sizeof(**v));
		(*v)[*n].port = (int)port;
		(*v)[*n].inode = inode;
		(*n)++;
	}
	fclose(fp);
}

size_t procwatch_listeners(struct procwatch_listener **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	scan_tcp("/proc/net/tcp", 0, out, &n, &cap);
	scan_tcp("/proc/net/tcp6", 1, out, &n, &cap);
	return n;
}

size_t procwatch_unix_listeners(const char *path, uint64_t **out)
{
	char line[4352];
	FILE *fp = fopen("/proc/net/unix", "re");
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long inode;
		unsigned st;
		int pos = 0;
		size_t len;

		/* Num RefCount Protocol Flags Type St Inode Path */
		if (sscanf(line, "%*s %*s %*s %*s %*s %x %llu %n", &st, &inode,
			   &pos) != 2 || !pos)
			continue;
		len = strcspn(line + pos, "\n");
		/* St 01 is SS_UNCONNECTED: a listening or bound socket. */
		if (st != 1 || len != strlen(path) ||
		    strncmp(line + pos, path, len))
			continue;
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		(*out)[n++] = inode;
	}
	fclose(fp);
	return n;
}

/* Whether the link text "socket:[N]" names one of the inodes. */
static int is_wanted_socket(const char *link, const uint64_t *inodes,
			    size_t n)
{
	unsigned long long ino;
	size_t i;

	if (strncmp(link, "socket:[", 8))
		return 0;
	ino = strtoull(link + 8, NULL, 10);
	for (i = 0; i < n; i++)
		if (inodes[i] == ino)
			return 1;
	return 0;
}

int procwatch_has_socket(int64_t pid, const uint64_t *inodes, size_t n)
{
	char path[64], link[64];
	struct dirent *e;
	DIR *d;
	ssize_t len;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		found = is_wanted_socket(link, inodes, n);
	}
	closedir(d);
	return found;
}

int64_t procwatch_socket_owner(const uint64_t *inodes, size_t n)
{
	struct dirent *e;
	DIR *d;
	int64_t pid = 0, self = getpid();

	if (!n)
		return 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		int64_t p;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		p = strtoll(e->d_name, NULL, 10);
		if (p == self)
			continue;
		if (procwatch_has_socket(p, inodes, n)) {
			pid = p;
			break;
		}
	}
	closedir(d);
	return pid;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void procwatch_socket_owners(const uint64_t *inodes, size_t n,
			     int64_t *pids)
{
	char path[64], link[64];
	struct dirent *e, *f;
	uint64_t *sorted;
	DIR *d, *fd;
	size_t i, left = n;
	int64_t self = getpid();

	for (i = 0; i < n; i++)
		pids[i] = 0;
	if (!n)
		return;
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, inodes, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	d = opendir("/proc");
	while (d && left && (e = readdir(d)) != NULL) {
		int64_t p;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		p = strtoll(e->d_name, NULL, 10);
		if (p == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/fd", p);
		fd = opendir(path);
		if (!fd)
			continue;
		while (left && (f = readdir(fd)) != NULL) {
			uint64_t ino;
			ssize_t len;

			if (f->d_name[0] == '.')
				continue;
			len = readlinkat(dirfd(fd), f->d_name, link,
					 sizeof(link) - 1);
			if (len <= 8)
				continue;
			link[len] = '\0';
			if (strncmp(link, "socket:[", 8))
				continue;
			ino = strtoull(link + 8, NULL, 10);
			if (!bsearch(&ino, sorted, n, sizeof(*sorted),
				     cmp_u64))
				continue;
			for (i = 0; i < n; i++)
				if (inodes[i] == ino && !pids[i]) {
					pids[i] = p;
					left--;
				}
		}
		closedir(fd);
	}
	if (d)
		closedir(d);
	free(sorted);
}

int procwatch_start_time(int64_t pid, uint64_t *start)
{
	char path[64], buf[1024], *p;
	unsigned long long v;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces and ')': skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	/* Fields after the name start at 3 (state); starttime is 22. */
	for (field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	if (sscanf(p, " %llu", &v) != 1)
		return -1;
	*start = v;
	return 0;
}

int procwatch_read_pidfile(const char *path, int64_t *pid,
			   char err[COLLECT_ERR])
{
	char buf[64], *end;
	long long v;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, COLLECT_ERR, "pid file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, COLLECT_ERR, "pid file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	while (*end == '\n' || *end == ' ' || *end == '\r')
		end++;
	if (!isdigit((unsigned char)buf[0]) || *end || errno || v <= 0 ||
	    v > INT32_MAX) {
		snprintf(err, COLLECT_ERR, "pid file %s: no process id in it",
			 path);
		return -1;
	}
	*pid = v;
	return 0;
}

size_t procwatch_find_comm(const char *comm, int64_t *pid)
{
	char path[64], name[64];
	struct dirent *e;
	DIR *d;
	size_t count = 0;
	uint64_t oldest = UINT64_MAX, start;
	int64_t self = getpid();

	*pid = 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		int64_t p;
		ssize_t n;
		int fd;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		p = strtoll(e->d_name, NULL, 10);
		if (p == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/comm", p);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, name, sizeof(name) - 1);
		close(fd);
		if (n <= 0)
			continue;
		name[n] = '\0';
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, comm))
			continue;
		count++;
		if (procwatch_start_time(p, &start) == 0 && start < oldest) {
			oldest = start;
			*pid = p;
		}
	}
	closedir(d);
	return count;
}

int procwatch_read(int64_t pid, const char *file, struct buf *b, size_t cap,
		   char err[COLLECT_ERR])
{
	char path[96];
	ssize_t n;
	int fd;

	b->len = 0;
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/%s", pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ESRCH)
			snprintf(err, COLLECT_ERR, "process %" PRId64
				 " is gone", pid);
		else
			snprintf(err, COLLECT_ERR, "%s: %s", path,
				 strerror(errno));
		return -1;
	}
	for (;;) {
		buf_reserve(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, COLLECT_ERR, "%s: %s", path,
				 errno == ESRCH ? "process is gone"
						: strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > cap) {
			snprintf(err, COLLECT_ERR, "%s: larger than %zu bytes",
				 path, cap);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

char *procwatch_which(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char *full;

	if (!path)
		path = "/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		struct stat st;

		full = xmalloc(n + strlen(prog) + 2);
		if (n)
			sprintf(full, "%.*s/%s", (int)n, p, prog);
		else
			sprintf(full, "./%s", prog);
		if (!stat(full, &st) && S_ISREG(st.st_mode) &&
		    !access(full, X_OK))
			return full;
		free(full);
		if (!end)
			return NULL;
		p = end;
	}
}

int procwatch_spawn(struct procwatch_cmd *c, char *const argv[],
		    char err[COLLECT_ERR])
{
	static char *const envp[] = { "LC_ALL=C", "PATH=/usr/bin:/bin",
				      NULL };
	posix_spawn_file_actions_t fa;
	int p[2], r;

	c->pid = -1;
	c->fd = -1;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, COLLECT_ERR, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	r = posix_spawn(&c->pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r) {
		close(p[0]);
		c->pid = -1;
		snprintf(err, COLLECT_ERR, "%s: %s", argv[0], strerror(r));
		return -1;
	}
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	c->fd = p[0];
	return 0;
}

int procwatch_cmd_read(struct procwatch_cmd *c, struct buf *b, size_t cap,
		       char err[COLLECT_ERR])
{
	ssize_t n;

	for (;;) {
		buf_reserve(b, 16384);
		n = read(c->fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			snprintf(err, COLLECT_ERR, "reading pmap: %s",
				 strerror(errno));
			return -1;
		}
		if (n == 0)
			return 1;
		b->len += (size_t)n;
		if (b->len > cap) {
			snprintf(err, COLLECT_ERR, "pmap output larger than "
				 "%zu bytes", cap);
			return -1;
		}
	}
}

int procwatch_cmd_finish(struct procwatch_cmd *c, int kill_it)
{
	int status = -1;

	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (c->pid > 0) {
		if (kill_it)
			kill(c->pid, SIGKILL);
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
			;
		c->pid = -1;
	}
	return status;
}

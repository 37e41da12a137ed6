/* SPDX-License-Identifier: Apache-2.0 */
/* Byte buffers and reading whole inputs under a size cap. */
#include "base/buf.h"
#include "base/clock.h"
#include "base/leaky.h"

#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reserve(struct buf *b, size_t n)
{
	/* callers cap what they read: a size past memory is their bug */
	if (n > SIZE_MAX - b->len - 1)
		BUG("buffer size overflow: %zu more after %zu", n, b->len);
	b->data = xgrow(b->data, &b->cap, b->len + n + 1, 1);
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_add_label(struct buf *b, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		const char *esc = NULL;

		switch (*p) {
		case '\\':
			esc = "\\\\";
			break;
		case '=':
			esc = "\\=";
			break;
		case ';':
			esc = "\\;";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		}
		if (esc)
			buf_add(b, esc, 2);
		else
			buf_add(b, p, 1);
	}
}

/* How long a named FIFO may wait for its writer to open it. */
#define FIFO_GRACE_MS 2000

/*
 * A FIFO that no process has open for writing would block open() and
 * then read() forever. fd was opened O_NONBLOCK, so that read() tells the
 * cases apart: bytes, EAGAIN (a writer with nothing written yet: a pipe
 * from <(cmd), waited for as long as it takes, blocking), or 0 (no writer
 * now). A writer may open a named FIFO just after us, so "no writer" is
 * final after FIFO_GRACE_MS only; poll() wakes up when one writes (a FIFO
 * that never had a writer shows no POLLHUP). Returns 0 with the first
 * bytes, if any, in b; or reports and returns -1.
 */
static int fifo_start(int fd, const char *path, struct buf *b)
{
	int64_t deadline = clock_mono_ns() / 1000000 + FIFO_GRACE_MS;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left;
		ssize_t n;

		buf_reserve(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n > 0) {
			b->len += (size_t)n;
			return 0;
		}
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 && errno != EINTR) {
			error("%s: %s", path, strerror(errno));
			return -1;
		}
		left = deadline - clock_mono_ns() / 1000000;
		if (left <= 0) {
			error("%s: a FIFO with no writer (waited %d s)", path,
			      FIFO_GRACE_MS / 1000);
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			error("%s: %s", path, strerror(errno));
			return -1;
		}
		/* A writer that came and went without a byte: empty. */
		if (pfd.revents & POLLHUP && !(pfd.revents & POLLIN))
			return 0;
	}
}

/* Reads fd to its end onto b, at most cap bytes in all; -1 reported. */
static int read_all(int fd, const char *path, struct buf *b, size_t cap)
{
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 65536)
			buf_reserve(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error("%s: %s", path, strerror(errno));
			return -1;
		}
		b->len += (size_t)n;
		if (b->len > cap) {
			error("%s: larger than the input limit (%zu bytes)",
			      path, cap);
			return -1;
		}
		if (n == 0)
			return 0;
	}
}

int buf_read_file(struct buf *b, const char *path, size_t cap,
		  struct file_info *info)
{
	struct stat st;
	int fd, is_stdin = !strcmp(path, "-");
	int ret = -1;

	b->len = 0;
	if (is_stdin) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			error("%s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (fstat(fd, &st) < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		error("%s: is a directory", path);
		goto out;
	}
	if (info) {
		info->mtime = st.st_mtime;
		info->is_stdin = is_stdin;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > cap) {
		error("%s: larger than the input limit (%zu bytes)", path, cap);
		goto out;
	}
	if (S_ISREG(st.st_mode))
		buf_reserve(b, (size_t)st.st_size + 1);
	if (!is_stdin && S_ISFIFO(st.st_mode) && fifo_start(fd, path, b) < 0)
		goto out;
	/* The rest reads blocking, as from any file. */
	if (!is_stdin && fcntl(fd, F_SETFL, 0) < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (read_all(fd, path, b, cap) < 0)
		goto out;
	b->data[b->len] = '\0';
	ret = 0;
out:
	if (!is_stdin)
		close(fd);
	return ret;
}

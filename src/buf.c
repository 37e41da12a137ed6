/* Byte buffers and reading whole inputs under a size cap. */
#include "buf.h"
#include "leaky.h"

#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
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
	if (n > SIZE_MAX - b->len - 1)
		die("buffer size overflow");
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
		fd = open(path, O_RDONLY | O_CLOEXEC);
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
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 65536)
			buf_reserve(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > cap) {
			error("%s: larger than the input limit (%zu bytes)",
			      path, cap);
			goto out;
		}
	}
	b->data[b->len] = '\0';
	ret = 0;
out:
	if (!is_stdin)
		close(fd);
	return ret;
}

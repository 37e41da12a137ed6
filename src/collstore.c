/* The collector's output directory: lock, whole sample files, manifest. */
#include "collstore.h"
#include "collect.h"
#include "csvout.h"
#include "leaky.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME ".leaky-collect.lock"
#define MANIFEST "manifest.csv"
/* Names tried for one target, kind and second: NAME_UNIX, then .1 ... */
#define MAX_SEQ 1000

static const char *const subdirs[] = { "profiles", "goroutines", "pmaps" };
#define NSUBDIRS (sizeof(subdirs) / sizeof(subdirs[0]))

struct collstore {
	char *dir;
	int fsync_files;
	int lock_fd;
	struct stat lock_st;	/* to notice a vanished directory */
	int manifest_fd;
	struct stat manifest_st;
	int dirty[NSUBDIRS];
	char notice[COLLECT_ERR];	/* for collstore_notice() */
};

/* The temporary file being written, for collstore_signal_cleanup(). */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_live;

void collstore_signal_cleanup(void)
{
	if (tmp_live)
		unlink(tmp_path);
}

static int note(struct collstore *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps a message for collstore_notice(); returns 0 for use in ||. */
static int note(struct collstore *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->notice, sizeof(st->notice), fmt, ap);
	va_end(ap);
	return 0;
}

const char *collstore_notice(struct collstore *st)
{
	static char last[COLLECT_ERR];

	if (!st->notice[0])
		return NULL;
	memcpy(last, st->notice, sizeof(last));
	st->notice[0] = '\0';
	return last;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

/* mkdir -p path. */
static int make_dirs(const char *path, char err[COLLECT_ERR])
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int ret = 0;

	for (s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				snprintf(err, COLLECT_ERR, "%s: %s", p,
					 strerror(errno));
				ret = -1;
				break;
			}
			*s = c;
		}
		if (!*s)
			break;
	}
	errno = 0;
	if (!ret && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))) {
		snprintf(err, COLLECT_ERR, "%s: %s", path,
			 errno ? strerror(errno) : "not a directory");
		ret = -1;
	}
	free(p);
	return ret;
}

static int make_tree(struct collstore *st, char err[COLLECT_ERR])
{
	size_t i;

	if (make_dirs(st->dir, err) < 0)
		return -1;
	for (i = 0; i < NSUBDIRS; i++) {
		char *d = join(st->dir, subdirs[i]);

		errno = 0;
		if (mkdir(d, 0777) < 0 && errno != EEXIST) {
			snprintf(err, COLLECT_ERR, "%s: %s", d,
				 strerror(errno));
			free(d);
			return -1;
		}
		free(d);
	}
	return 0;
}

static int take_lock(struct collstore *st, char err[COLLECT_ERR])
{
	char *path = join(st->dir, LOCK_NAME);
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, COLLECT_ERR, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		errno = e;
		if (e == EWOULDBLOCK || e == EAGAIN)
			snprintf(err, COLLECT_ERR, "%s is in use by another "
				 "leaky collect%s%s%s", st->dir,
				 *buf ? " (pid " : "", buf, *buf ? ")" : "");
		else
			snprintf(err, COLLECT_ERR, "%s: %s", path,
				 strerror(errno));
		close(fd);
		free(path);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		/* The lock holds without the pid; the pid is a courtesy. */
	}
	fstat(fd, &st->lock_st);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	st->lock_fd = fd;
	free(path);
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Opens manifest.csv for appending; checks an existing header. */
static int open_manifest(struct collstore *st, char err[COLLECT_ERR])
{
	char *path = join(st->dir, MANIFEST);
	char first[512], last;
	ssize_t n;
	off_t size;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd < 0)
		goto fail;
	size = lseek(fd, 0, SEEK_END);
	if (size > 0) {
		n = pread(fd, first, sizeof(first) - 1, 0);
		first[n > 0 ? n : 0] = '\0';
		first[strcspn(first, "\r\n")] = '\0';
		if (strcmp(first, collect_manifest_header)) {
			snprintf(err, COLLECT_ERR, "%s: not a manifest this "
				 "collector writes (its header differs); use "
				 "another directory", path);
			close(fd);
			free(path);
			return -1;
		}
		/* A collector killed mid-row left a partial line: end it. */
		if (pread(fd, &last, 1, size - 1) == 1 && last != '\n' &&
		    write_all(fd, (const uint8_t *)"\n", 1) < 0)
			goto fail_fd;
	} else {
		size_t hl = strlen(collect_manifest_header);
		char *h = xmalloc(hl + 1);

		memcpy(h, collect_manifest_header, hl);
		h[hl] = '\n';
		if (write_all(fd, (const uint8_t *)h, hl + 1) < 0) {
			free(h);
			goto fail_fd;
		}
		free(h);
	}
	if (st->manifest_fd >= 0)
		close(st->manifest_fd);
	st->manifest_fd = fd;
	fstat(fd, &st->manifest_st);
	free(path);
	return 0;
fail_fd:
	snprintf(err, COLLECT_ERR, "%s: %s", path, strerror(errno));
	close(fd);
	free(path);
	return -1;
fail:
	snprintf(err, COLLECT_ERR, "%s: %s", path, strerror(errno));
	free(path);
	return -1;
}

struct collstore *collstore_open(const char *dir, int fsync_files,
				 char err[COLLECT_ERR])
{
	struct collstore *st = xcalloc(1, sizeof(*st));
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	st->dir = xstrndup(dir, n);
	st->fsync_files = fsync_files;
	st->lock_fd = -1;
	st->manifest_fd = -1;
	if (make_tree(st, err) < 0 || take_lock(st, err) < 0 ||
	    open_manifest(st, err) < 0) {
		collstore_close(st);
		return NULL;
	}
	return st;
}

void collstore_close(struct collstore *st)
{
	if (!st)
		return;
	if (st->manifest_fd >= 0)
		close(st->manifest_fd);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->dir);
	free(st);
}

static int same_file(const char *path, const struct stat *was)
{
	struct stat now;

	return stat(path, &now) == 0 && now.st_ino == was->st_ino &&
	       now.st_dev == was->st_dev;
}

/*
 * Makes the directory again when it vanished (or was replaced), with a
 * fresh lock and manifest. Returns 0, or -1 with the reason in err.
 */
static int revive(struct collstore *st, char err[COLLECT_ERR])
{
	char *lock = join(st->dir, LOCK_NAME);
	char *man = join(st->dir, MANIFEST);
	int ret = 0;

	if (!same_file(lock, &st->lock_st)) {
		if (make_tree(st, err) < 0 || take_lock(st, err) < 0)
			ret = -1;
		else
			note(st, "made %s again: it had vanished", st->dir);
	}
	if (!ret && (st->manifest_fd < 0 ||
		     !same_file(man, &st->manifest_st))) {
		if (make_tree(st, err) < 0 || open_manifest(st, err) < 0)
			ret = -1;
	}
	free(lock);
	free(man);
	return ret;
}

static size_t subdir_index(const char *name)
{
	size_t i;

	for (i = 0; i < NSUBDIRS; i++)
		if (!strcmp(subdirs[i], name))
			return i;
	return 0;
}

/* Moves tmp to final unless final exists: 0, -1 with errno (EEXIST). */
static int rename_noreplace(const char *tmp, const char *final)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* Filesystems without RENAME_NOREPLACE: link() refuses too. */
	if (link(tmp, final) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Writes the temporary file in dir; 0, or -1 with the reason in err. */
static int write_tmp(struct collstore *st, const char *dir, const char *name,
		     const uint8_t *data, size_t len, char err[COLLECT_ERR])
{
	int fd, e;

	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s/.%s.tmp.XXXXXX",
			     dir, name) >= sizeof(tmp_path)) {
		snprintf(err, COLLECT_ERR, "%s/%s: name too long", dir, name);
		return -1;
	}
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err, COLLECT_ERR, "%s: %s", dir, strerror(e));
		errno = e;
		return -1;
	}
	atomic_signal_fence(memory_order_seq_cst);
	tmp_live = 1;
	if (fchmod(fd, 0644) < 0 || write_all(fd, data, len) < 0 ||
	    (st->fsync_files && fsync(fd) < 0)) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		e = errno;
		goto fail;
	}
	return 0;
fail:
	unlink(tmp_path);
	tmp_live = 0;
	snprintf(err, COLLECT_ERR, "%s: %s", dir, strerror(e));
	errno = e;
	return -1;
}

int collstore_save(struct collstore *st, const char *name, int64_t unix_secs,
		   enum collect_kind k, const uint8_t *data, size_t len,
		   char **rel, char err[COLLECT_ERR])
{
	const char *sub = collect_kinds[k].dir;
	char *dir = join(st->dir, sub), *base, *r = NULL, *final;
	unsigned seq;
	int ret = -1;

	*rel = NULL;
	if (revive(st, err) < 0)
		goto out;
	base = collect_file_name(name, unix_secs, k, 0);
	if (write_tmp(st, dir, strchr(base, '/') + 1, data, len, err) < 0 &&
	    (errno != ENOENT || make_tree(st, err) < 0 ||
	     note(st, "made %s again: it had vanished", dir) ||
	     write_tmp(st, dir, strchr(base, '/') + 1, data, len, err) < 0)) {
		free(base);
		goto out;
	}
	free(base);
	for (seq = 0; seq < MAX_SEQ; seq++) {
		r = collect_file_name(name, unix_secs, k, seq);
		final = join(st->dir, r);
		if (rename_noreplace(tmp_path, final) == 0) {
			free(final);
			break;
		}
		free(final);
		free(r);
		r = NULL;
		if (errno != EEXIST) {
			snprintf(err, COLLECT_ERR, "%s: %s", dir,
				 strerror(errno));
			break;
		}
	}
	if (!r) {
		if (seq == MAX_SEQ)
			snprintf(err, COLLECT_ERR, "%s: %u files of %s for "
				 "one second already", dir, MAX_SEQ, name);
		unlink(tmp_path);
		tmp_live = 0;
		goto out;
	}
	tmp_live = 0;
	st->dirty[subdir_index(sub)] = 1;
	*rel = r;
	ret = 0;
out:
	free(dir);
	return ret;
}

int collstore_row(struct collstore *st, const struct collect_row *r,
		  char err[COLLECT_ERR])
{
	struct csvout csv;
	char *line = NULL;
	size_t len = 0;
	off_t size;
	FILE *mem;
	int ret = 0;

	if (revive(st, err) < 0)
		return -1;
	/* One write() per row: a failure leaves no partial row behind. */
	mem = open_memstream(&line, &len);
	if (!mem) {
		snprintf(err, COLLECT_ERR, "%s", strerror(errno));
		return -1;
	}
	csvout_init(&csv, mem);
	collect_manifest_write_row(&csv, r);
	csvout_release(&csv);
	fclose(mem);
	size = lseek(st->manifest_fd, 0, SEEK_END);
	if (write_all(st->manifest_fd, (const uint8_t *)line, len) < 0) {
		snprintf(err, COLLECT_ERR, "%s/%s: %s", st->dir, MANIFEST,
			 strerror(errno));
		if (size >= 0 && ftruncate(st->manifest_fd, size) < 0) {
			/* Nothing better to do: the next row ends it. */
		}
		ret = -1;
	}
	free(line);
	return ret;
}

void collstore_discard(struct collstore *st, const char *rel)
{
	char *path = join(st->dir, rel);

	/* Already gone (the directory removed under us) is as good. */
	if (unlink(path) < 0 && errno != ENOENT)
		error("%s: %s", path, strerror(errno));
	free(path);
}

void collstore_sync(struct collstore *st)
{
	size_t i;

	for (i = 0; i < NSUBDIRS; i++) {
		char *d;
		int fd;

		if (!st->dirty[i])
			continue;
		st->dirty[i] = 0;
		if (!st->fsync_files)
			continue;
		d = join(st->dir, subdirs[i]);
		fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		free(d);
	}
	if (st->manifest_fd >= 0 && st->fsync_files)
		fsync(st->manifest_fd);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's output directory: lock, whole sample files, manifest. */
#include "collect/collstore.h"
#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/manifest.h"
#include "out/csvout.h"

#include <dirent.h>
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
#include <time.h>
#include <unistd.h>

#define LOCK_NAME ".leaky-collect.lock"
#define MANIFEST "manifest.csv"
#define PARTIAL "manifest.csv.partial"
/* Names tried for one target, kind and second: NAME_UNIX, then .1 ... */
#define MAX_SEQ 1000
/* The temporaries' names: ".NAME" TMP_MARK and TMP_RAND random letters. */
#define TMP_MARK ".tmp."
#define TMP_RAND 6
/*
 * How much of the manifest's end a repair looks at. The collector writes
 * one row per write(), so a crash leaves at most one partial row, and no
 * row comes near this size: the window always holds a whole row's start.
 */
#define REPAIR_WINDOW (1024 * 1024)
/* Directories the collector makes: written by one user only. */
#define DIR_MODE 0755

static const char *const subdirs[] = {
	"profiles", "goroutines", "pmaps", "fds", "limits",
};
#define NSUBDIRS (sizeof(subdirs) / sizeof(subdirs[0]))

/*
 * Every file and directory of the tree is opened relative to dir_fd (or
 * to a kind directory's fd), without following symbolic links: in a
 * directory someone else could write to, a planted link would otherwise
 * make the collector (often run as root) write where the link points.
 * The stat of each open object tells when its name was taken away or
 * replaced, which revive() repairs, never through a link.
 */
struct collstore {
	char *dir;		/* the path given, for messages */
	int fsync_files;
	int dir_fd;
	struct stat dir_st;
	int sub_fd[NSUBDIRS];	/* -1 until needed */
	struct stat sub_st[NSUBDIRS];
	int lock_fd;
	struct stat lock_st;
	int manifest_fd;
	struct stat manifest_st;
	int dirty[NSUBDIRS];
	char notice[COLLECT_ERR];	/* for collstore_notice() */
};

/*
 * The temporary file being written, for collstore_signal_cleanup(): the
 * directory's fd and the name in it, both set before tmp_live.
 */
static int tmp_dirfd = -1;
static char tmp_name[NAME_MAX + 1];
static volatile sig_atomic_t tmp_live;

void collstore_signal_cleanup(void)
{
	/* unlinkat is async-signal-safe, and never follows a link. */
	if (tmp_live)
		unlinkat(tmp_dirfd, tmp_name, 0);
}

static int note(struct collstore *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps a message for collstore_notice(); returns 0 for use in ||. */
static int note(struct collstore *st, const char *fmt, ...)
{
	va_list ap;

	size_t n = strlen(st->notice);

	/* Two things done before the caller looks: both said. */
	if (n && n + 2 < sizeof(st->notice)) {
		memcpy(st->notice + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(st->notice + n, sizeof(st->notice) - n, fmt, ap);
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

static int fail(char err[COLLECT_ERR], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writes the reason into err; returns -1, for return fail(...). */
static int fail(char err[COLLECT_ERR], const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vsnprintf(err, COLLECT_ERR, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

/* ---- the manifest's records ---------------------------------------- */

int collstore_row_start(const char *p, size_t n)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; pat[i]; i++) {
		if (i >= n)
			return 0;
		if (pat[i] == 'd' ? p[i] < '0' || p[i] > '9' : p[i] != pat[i])
			return 0;
	}
	if (i < n && p[i] == '.')
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			;
	return i + 1 < n && p[i] == 'Z' && p[i + 1] == ',';
}

size_t collstore_record(const char *p, size_t n, int *broken)
{
	int quoted = 0;
	size_t i;

	*broken = 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '"') {
			/* A doubled quote toggles twice: still quoted. */
			quoted = !quoted;
		} else if (p[i] == '\n') {
			if (!quoted)
				return i + 1;
			/*
			 * A newline in a quoted field is data, unless a row
			 * starts right after it: then the quote was never
			 * closed (a row cut short, followed by whole rows),
			 * and taking the rows that follow as part of it
			 * would swallow all of them.
			 */
			if (collstore_row_start(p + i + 1, n - i - 1)) {
				*broken = 1;
				return i + 1;
			}
		}
	}
	return 0;
}

/* ---- opening the tree without following links ---------------------- */

/*
 * Why err's subject, name in directory dfd, cannot be opened: a link
 * named as such, else errno's reason.
 */
static int open_failed(int dfd, const char *name, const char *subject,
		       char err[COLLECT_ERR])
{
	int e = errno;
	struct stat ls;

	if ((e == ELOOP || e == ENOTDIR || e == EMLINK) &&
	    fstatat(dfd, name, &ls, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(ls.st_mode))
		return fail(err, "%s: is a symbolic link, refusing to follow "
			    "it", subject);
	errno = e;
	return fail(err, "%s: %s", subject, strerror(e));
}

/*
 * A directory the collector writes in must be this user's and writable by
 * no one else (the sticky bit keeps others from renaming or removing what
 * is ours): another user could otherwise plant links or swap names in it.
 * Root is held to the same rule: a directory another user prepared is
 * exactly where root must not write.
 */
static int check_dir(int fd, const char *path, struct stat *out,
		     char err[COLLECT_ERR])
{
	struct stat s;
	uid_t me = geteuid();

	if (fstat(fd, &s) < 0)
		return fail(err, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(s.st_mode))
		return fail(err, "%s: %s", path, strerror(ENOTDIR));
	if (s.st_uid != me)
		return fail(err, "%s: owned by uid %ld, not by this user "
			    "(uid %ld); refusing to write in it", path,
			    (long)s.st_uid, (long)me);
	if ((s.st_mode & (S_IWGRP | S_IWOTH)) && !(s.st_mode & S_ISVTX))
		return fail(err, "%s: writable by %s (mode %04o) without the "
			    "sticky bit; refusing to write in it "
			    "(chmod go-w fixes it)", path,
			    s.st_mode & S_IWOTH ? "every user" : "its group",
			    (unsigned)(s.st_mode & 07777));
	*out = s;
	return 0;
}

/*
 * The same for a file of the tree, which the collector truncates or
 * appends to: a regular file of this user with no other name (a hard link
 * to someone else's file would be written through as a symlink would).
 */
static int check_file(int fd, const char *path, struct stat *out,
		      char err[COLLECT_ERR])
{
	struct stat s;
	uid_t me = geteuid();

	if (fstat(fd, &s) < 0)
		return fail(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(s.st_mode))
		return fail(err, "%s: not a regular file; refusing to write "
			    "to it", path);
	if (s.st_uid != me)
		return fail(err, "%s: owned by uid %ld, not by this user "
			    "(uid %ld); refusing to write to it", path,
			    (long)s.st_uid, (long)me);
	if (s.st_nlink > 1)
		return fail(err, "%s: has %ld names (hard links); refusing "
			    "to write to it", path, (long)s.st_nlink);
	*out = s;
	return 0;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

/* mkdir -p path: the last directory with DIR_MODE. */
static int make_dirs(const char *path, char err[COLLECT_ERR])
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, c ? 0777 : DIR_MODE) < 0 &&
			    errno != EEXIST) {
				ret = fail(err, "%s: %s", p, strerror(errno));
				break;
			}
			*s = c;
		}
		if (!*s)
			break;
	}
	free(p);
	return ret;
}

/*
 * Opens (making it when absent) the output directory itself. Its last
 * component may be a link the user made on purpose: it is followed when
 * it belongs to this user or to root (links root made are the system's);
 * what it leads to must pass check_dir() like any directory.
 */
static int open_top(struct collstore *st, char err[COLLECT_ERR])
{
	struct stat ls;
	int fd, e;

	if (make_dirs(st->dir, err) < 0)
		return -1;
	fd = open(st->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	e = errno;
	if (fd < 0 && lstat(st->dir, &ls) == 0 && S_ISLNK(ls.st_mode)) {
		if (ls.st_uid != geteuid() && ls.st_uid != 0)
			return fail(err, "%s: is a symbolic link owned by uid "
				    "%ld, refusing to follow it", st->dir,
				    (long)ls.st_uid);
		fd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		e = errno;
	}
	if (fd < 0)
		return fail(err, "%s: %s", st->dir, strerror(e));
	if (check_dir(fd, st->dir, &st->dir_st, err) < 0) {
		close(fd);
		return -1;
	}
	if (st->dir_fd >= 0)
		close(st->dir_fd);
	st->dir_fd = fd;
	return 0;
}

/* Opens kind directory i (making it when absent), never through a link. */
static int open_sub(struct collstore *st, size_t i, char err[COLLECT_ERR])
{
	const char *name = subdirs[i];
	char *path = join(st->dir, name);
	int fd, made, ret = -1;

	made = mkdirat(st->dir_fd, name, DIR_MODE) == 0;
	if (!made && errno != EEXIST) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = openat(st->dir_fd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		open_failed(st->dir_fd, name, path, err);
		goto out;
	}
	if (check_dir(fd, path, &st->sub_st[i], err) < 0) {
		close(fd);
		goto out;
	}
	if (st->sub_fd[i] >= 0) {
		close(st->sub_fd[i]);
		/* Made anew where ours had been: someone removed it. */
		if (made)
			note(st, "made %s again: it had vanished", path);
	}
	st->sub_fd[i] = fd;
	ret = 0;
out:
	free(path);
	return ret;
}

/*
 * Opens file name of the output directory with flags, never through a
 * link, and checks it is one we may write; its stat in *s.
 */
static int open_file(struct collstore *st, const char *name, int flags,
		     struct stat *s, char err[COLLECT_ERR])
{
	char *path = join(st->dir, name);
	int fd;

	fd = openat(st->dir_fd, name, flags | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		open_failed(st->dir_fd, name, path, err);
	else if (check_file(fd, path, s, err) < 0) {
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

static int take_lock(struct collstore *st, char err[COLLECT_ERR])
{
	struct stat s;
	char buf[32];
	ssize_t n;
	int fd;

	fd = open_file(st, LOCK_NAME, O_RDWR | O_CREAT, &s, err);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (e == EWOULDBLOCK || e == EAGAIN)
			fail(err, "%s is in use by another leaky collect%s%s%s",
			     st->dir, *buf ? " (pid " : "", buf,
			     *buf ? ")" : "");
		else
			fail(err, "%s/%s: %s", st->dir, LOCK_NAME,
			     strerror(e));
		close(fd);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		/* The lock holds without the pid; the pid is a courtesy. */
	}
	st->lock_st = s;
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	st->lock_fd = fd;
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

static int read_at(int fd, char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t r = pread(fd, p, n, at);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = EIO;
			return -1;
		}
		p += r;
		n -= (size_t)r;
		at += r;
	}
	return 0;
}

/*
 * Where the manifest's last complete row ends (size when nothing is cut
 * short), or -1 with errno. A collector killed mid-write leaves the
 * start of a row, possibly inside a quoted field: ending that line would
 * leave the quote open over every row written after it, so the partial
 * row is cut off instead. Only the end of the file is read (see
 * REPAIR_WINDOW), from the first row start in it.
 */
static off_t complete_end(int fd, off_t size, off_t header_end)
{
	off_t from = size - header_end > REPAIR_WINDOW ?
		     size - REPAIR_WINDOW : header_end;
	size_t n = (size_t)(size - from), at = 0, len;
	char *buf = xmalloc(n + 1), *nl;
	off_t end;
	int broken;

	if (read_at(fd, buf, n, from) < 0) {
		free(buf);
		return -1;
	}
	if (from > header_end) {
		/*
		 * Mid-file: start at a line that starts a row. None in the
		 * window is no manifest this collector wrote: cut nothing.
		 */
		for (;;) {
			nl = memchr(buf + at, '\n', n - at);
			if (!nl) {
				free(buf);
				return size;
			}
			at = (size_t)(nl - buf) + 1;
			if (collstore_row_start(buf + at, n - at))
				break;
		}
	}
	end = from + (off_t)at;
	while (at < n) {
		len = collstore_record(buf + at, n - at, &broken);
		if (!len)
			break;
		at += len;
		end = from + (off_t)at;
	}
	free(buf);
	return end;
}

/*
 * Cuts the manifest back to its last complete row, keeping the cut bytes
 * at the end of manifest.csv.partial for whoever wants to look.
 */
static int repair_manifest(struct collstore *st, int fd, off_t size,
			   off_t header_end, char err[COLLECT_ERR])
{
	char *path = join(st->dir, MANIFEST), *cut = NULL;
	off_t end = complete_end(fd, size, header_end);
	size_t n;
	struct stat ps;
	int pfd = -1, ret = -1;

	if (end < 0) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (end == size) {
		ret = 0;
		goto out;
	}
	n = (size_t)(size - end);
	cut = xmalloc(n);
	if (read_at(fd, cut, n, end) < 0) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	pfd = open_file(st, PARTIAL, O_WRONLY | O_CREAT | O_APPEND, &ps, err);
	if (pfd < 0)
		goto out;
	if (write_all(pfd, (const uint8_t *)cut, n) < 0 ||
	    (n && cut[n - 1] != '\n' &&
	     write_all(pfd, (const uint8_t *)"\n", 1) < 0) ||
	    (st->fsync_files && fsync(pfd) < 0)) {
		fail(err, "%s/%s: %s", st->dir, PARTIAL, strerror(errno));
		goto out;
	}
	if (ftruncate(fd, end) < 0) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	note(st, "%s: cut off a partial last row (%zu bytes, from a "
	     "collector stopped mid-write), kept in %s/%s", path, n, st->dir,
	     PARTIAL);
	ret = 0;
out:
	if (pfd >= 0)
		close(pfd);
	free(cut);
	free(path);
	return ret;
}

/* Opens manifest.csv for appending; checks an existing header. */
static int open_manifest(struct collstore *st, char err[COLLECT_ERR])
{
	char *path = join(st->dir, MANIFEST);
	size_t hl = strlen(collect_manifest_header);
	char *first = xmalloc(hl + 2);
	struct stat s;
	ssize_t n;
	off_t size;
	int fd, ret = -1;

	fd = open_file(st, MANIFEST, O_RDWR | O_CREAT | O_APPEND, &s, err);
	if (fd < 0)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (size > 0) {
		n = pread(fd, first, hl + 1, 0);
		if (n != (ssize_t)hl + 1 || first[hl] != '\n' ||
		    memcmp(first, collect_manifest_header, hl)) {
			fail(err, "%s: not a manifest this collector writes "
			     "(its header differs); use another directory",
			     path);
			goto out;
		}
		if (repair_manifest(st, fd, size, (off_t)hl + 1, err) < 0)
			goto out;
	} else {
		memcpy(first, collect_manifest_header, hl);
		first[hl] = '\n';
		if (write_all(fd, (const uint8_t *)first, hl + 1) < 0) {
			fail(err, "%s: %s", path, strerror(errno));
			goto out;
		}
	}
	if (fstat(fd, &s) < 0) {
		fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (st->manifest_fd >= 0)
		close(st->manifest_fd);
	st->manifest_fd = fd;
	st->manifest_st = s;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(first);
	free(path);
	return ret;
}

/* Whether name is one of the temporaries write_tmp() makes. */
static int is_tmp_name(const char *name)
{
	const char *m;
	size_t n = strlen(name);

	if (name[0] != '.' || n < 2 + strlen(TMP_MARK) + TMP_RAND)
		return 0;
	m = name + n - TMP_RAND - strlen(TMP_MARK);
	return !memcmp(m, TMP_MARK, strlen(TMP_MARK));
}

/* Kind directory i for reading its names, or NULL. */
static DIR *list_sub(struct collstore *st, size_t i)
{
	DIR *d;
	int fd;

	if (st->sub_fd[i] < 0)
		return NULL;
	/* fdopendir() takes the fd it is given: a second one. */
	fd = openat(st->sub_fd[i], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/*
 * Removes the temporaries a collector killed with SIGKILL (no handler
 * runs) left in the kind directories. Under the lock: no other collector
 * is writing them.
 */
static void remove_stale_tmps(struct collstore *st)
{
	size_t i, removed = 0;

	for (i = 0; i < NSUBDIRS; i++) {
		struct dirent *e;
		DIR *d = list_sub(st, i);

		if (!d)
			continue;
		while ((e = readdir(d)))
			if (is_tmp_name(e->d_name) &&
			    unlinkat(st->sub_fd[i], e->d_name, 0) == 0)
				removed++;
		closedir(d);
	}
	if (removed)
		note(st, "%s: removed %zu temporary file%s a killed collector "
		     "left", st->dir, removed, removed == 1 ? "" : "s");
}

struct collstore *collstore_open(const char *dir, int fsync_files,
				 char err[COLLECT_ERR])
{
	struct collstore *st = xcalloc(1, sizeof(*st));
	size_t n = strlen(dir), i;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	st->dir = xstrndup(dir, n);
	st->fsync_files = fsync_files;
	st->dir_fd = -1;
	st->lock_fd = -1;
	st->manifest_fd = -1;
	for (i = 0; i < NSUBDIRS; i++)
		st->sub_fd[i] = -1;
	if (open_top(st, err) < 0 || take_lock(st, err) < 0)
		goto fail;
	for (i = 0; i < NSUBDIRS; i++)
		if (open_sub(st, i, err) < 0)
			goto fail;
	if (open_manifest(st, err) < 0)
		goto fail;
	remove_stale_tmps(st);
	return st;
fail:
	collstore_close(st);
	return NULL;
}

void collstore_close(struct collstore *st)
{
	size_t i;

	if (!st)
		return;
	if (st->manifest_fd >= 0)
		close(st->manifest_fd);
	for (i = 0; i < NSUBDIRS; i++)
		if (st->sub_fd[i] >= 0)
			close(st->sub_fd[i]);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	if (st->dir_fd >= 0)
		close(st->dir_fd);
	free(st->dir);
	free(st);
}

static int same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

/* Whether name in the output directory is still the object seen in was. */
static int still(struct collstore *st, const char *name,
		 const struct stat *was)
{
	struct stat now;

	return fstatat(st->dir_fd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	       same(&now, was);
}

/*
 * Makes good what was removed or replaced under us: the output directory
 * (then everything in it), the lock, the manifest, kind directory sub
 * (unless NSUBDIRS). Whatever now stands in a name is opened afresh under
 * the same rules as at the start: a link is refused, never followed.
 * Returns 0, or -1 with the reason in err.
 */
static int revive(struct collstore *st, size_t sub, char err[COLLECT_ERR])
{
	struct stat now;
	size_t i;

	/* The top may be a link the user made (open_top): followed. */
	if (stat(st->dir, &now) < 0 || !same(&now, &st->dir_st)) {
		if (open_top(st, err) < 0)
			return -1;
		/* What was open belongs to the old directory. */
		for (i = 0; i < NSUBDIRS; i++) {
			if (st->sub_fd[i] >= 0)
				close(st->sub_fd[i]);
			st->sub_fd[i] = -1;
		}
		if (st->manifest_fd >= 0)
			close(st->manifest_fd);
		st->manifest_fd = -1;
		if (take_lock(st, err) < 0)
			return -1;
		/* The whole tree again, as at the start. */
		for (i = 0; i < NSUBDIRS; i++)
			if (open_sub(st, i, err) < 0)
				return -1;
		note(st, "made %s again: it had vanished", st->dir);
	}
	if (!still(st, LOCK_NAME, &st->lock_st) && take_lock(st, err) < 0)
		return -1;
	if ((st->manifest_fd < 0 || !still(st, MANIFEST, &st->manifest_st)) &&
	    open_manifest(st, err) < 0)
		return -1;
	if (sub < NSUBDIRS && (st->sub_fd[sub] < 0 ||
			       !still(st, subdirs[sub], &st->sub_st[sub])) &&
	    open_sub(st, sub, err) < 0)
		return -1;
	return 0;
}

static size_t subdir_index(const char *name)
{
	size_t i;

	for (i = 0; i < NSUBDIRS; i++)
		if (!strcmp(subdirs[i], name))
			return i;
	return NSUBDIRS;
}

/*
 * Moves tmp to final in directory dfd unless final exists: 0, -1 with
 * errno (EEXIST). Neither name is followed if it is a link.
 */
static int rename_noreplace(int dfd, const char *tmp, const char *final)
{
	if (renameat2(dfd, tmp, dfd, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* Filesystems without RENAME_NOREPLACE: linkat() refuses too. */
	if (linkat(dfd, tmp, dfd, final, 0) < 0)
		return -1;
	unlinkat(dfd, tmp, 0);
	return 0;
}

/* TMP_RAND letters that differ from call to call and process to process. */
static void random_suffix(char *out)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static uint64_t state;
	struct timespec ts;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &ts);
	state += (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^
		 (uint64_t)ts.tv_sec;
	for (i = 0; i < TMP_RAND; i++) {
		/* splitmix64's step: cheap and well spread. */
		uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		out[i] = set[(z ^ (z >> 31)) % (sizeof(set) - 1)];
	}
	out[TMP_RAND] = '\0';
}

/*
 * Writes data to a new temporary file in kind directory i, named in
 * tmp_name; 0, or -1 with the reason in err and errno. O_EXCL with
 * O_NOFOLLOW: a name someone planted is never written through.
 */
static int write_tmp(struct collstore *st, size_t i, const char *name,
		     const uint8_t *data, size_t len, char err[COLLECT_ERR])
{
	char *dir = join(st->dir, subdirs[i]);
	int fd = -1, e, tries, ret = -1;
	char rnd[TMP_RAND + 1];

	if (strlen(name) + 1 + strlen(TMP_MARK) + TMP_RAND >=
	    sizeof(tmp_name)) {
		errno = ENAMETOOLONG;
		fail(err, "%s/%s: name too long", dir, name);
		goto out;
	}
	for (tries = 0; tries < 100; tries++) {
		random_suffix(rnd);
		snprintf(tmp_name, sizeof(tmp_name), ".%s%s%s", name, TMP_MARK,
			 rnd);
		fd = openat(st->sub_fd[i], tmp_name, O_WRONLY | O_CREAT |
			    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		fail(err, "%s: %s", dir, strerror(errno));
		goto out;
	}
	tmp_dirfd = st->sub_fd[i];
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
	ret = 0;
	goto out;
fail:
	unlinkat(st->sub_fd[i], tmp_name, 0);
	tmp_live = 0;
	errno = e;
	fail(err, "%s: %s", dir, strerror(e));
out:
	free(dir);
	return ret;
}

int collstore_save(struct collstore *st, const char *name, int64_t unix_secs,
		   enum collect_kind k, const uint8_t *data, size_t len,
		   char **rel, char err[COLLECT_ERR])
{
	const char *sub = collect_kinds[k].dir;
	size_t i = subdir_index(sub);
	char *dir = join(st->dir, sub), *base, *r = NULL;
	unsigned seq;
	int ret = -1, rc;

	*rel = NULL;
	if (i == NSUBDIRS) {
		fail(err, "%s: not a directory of the collector", dir);
		goto out;
	}
	if (revive(st, i, err) < 0)
		goto out;
	base = collect_file_name(name, unix_secs, k, 0);
	rc = write_tmp(st, i, strchr(base, '/') + 1, data, len, err);
	/* Removed between revive() and here: once more. */
	if (rc < 0 && errno == ENOENT && revive(st, i, err) == 0)
		rc = write_tmp(st, i, strchr(base, '/') + 1, data, len, err);
	free(base);
	if (rc < 0)
		goto out;
	for (seq = 0; seq < MAX_SEQ; seq++) {
		r = collect_file_name(name, unix_secs, k, seq);
		if (rename_noreplace(st->sub_fd[i], tmp_name,
				     strchr(r, '/') + 1) == 0)
			break;
		free(r);
		r = NULL;
		if (errno != EEXIST) {
			fail(err, "%s: %s", dir, strerror(errno));
			break;
		}
	}
	if (!r) {
		if (seq == MAX_SEQ)
			fail(err, "%s: %u files of %s for one second already",
			     dir, MAX_SEQ, name);
		unlinkat(st->sub_fd[i], tmp_name, 0);
		tmp_live = 0;
		goto out;
	}
	tmp_live = 0;
	st->dirty[i] = 1;
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

	if (revive(st, NSUBDIRS, err) < 0)
		return -1;
	/* One write() per row: a failure leaves no partial row behind. */
	mem = open_memstream(&line, &len);
	if (!mem)
		return fail(err, "%s", strerror(errno));
	csvout_init(&csv, mem);
	collect_manifest_write_row(&csv, r);
	csvout_release(&csv);
	fclose(mem);
	size = lseek(st->manifest_fd, 0, SEEK_END);
	if (write_all(st->manifest_fd, (const uint8_t *)line, len) < 0) {
		fail(err, "%s/%s: %s", st->dir, MANIFEST, strerror(errno));
		if (size >= 0 && ftruncate(st->manifest_fd, size) < 0) {
			/* The next start cuts the partial row off. */
		}
		ret = -1;
	}
	free(line);
	return ret;
}

void collstore_discard(struct collstore *st, const char *rel)
{
	const char *slash = strchr(rel, '/');
	char *sub = slash ? xstrndup(rel, (size_t)(slash - rel)) : NULL;
	size_t i = sub ? subdir_index(sub) : NSUBDIRS;

	/*
	 * Through the fd it was saved through; already gone (the directory
	 * removed under us) is as good.
	 */
	if (i < NSUBDIRS && st->sub_fd[i] >= 0 &&
	    unlinkat(st->sub_fd[i], slash + 1, 0) < 0 && errno != ENOENT)
		error("%s/%s: %s", st->dir, rel, strerror(errno));
	free(sub);
}

void collstore_list(struct collstore *st,
		    void (*fn)(void *ctx, const char *rel, int64_t size),
		    void *ctx)
{
	size_t i;

	for (i = 0; i < NSUBDIRS; i++) {
		struct dirent *e;
		struct stat sb;
		DIR *d = list_sub(st, i);

		if (!d)
			continue;
		while ((e = readdir(d))) {
			char *rel;

			if (e->d_name[0] == '.' ||
			    fstatat(st->sub_fd[i], e->d_name, &sb,
				    AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISREG(sb.st_mode))
				continue;
			rel = join(subdirs[i], e->d_name);
			fn(ctx, rel, (int64_t)sb.st_size);
			free(rel);
		}
		closedir(d);
	}
}

void collstore_sync(struct collstore *st)
{
	size_t i;

	for (i = 0; i < NSUBDIRS; i++) {
		if (!st->dirty[i])
			continue;
		st->dirty[i] = 0;
		if (st->fsync_files && st->sub_fd[i] >= 0)
			fsync(st->sub_fd[i]);
	}
	if (st->manifest_fd >= 0 && st->fsync_files)
		fsync(st->manifest_fd);
}

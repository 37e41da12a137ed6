/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-or-nothing output files for commands that take -o. */
#include "out/outfile.h"
#include "base/leaky.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Temporary names not yet committed or aborted. A command may die() (or
 * exit on OOM, or get SIGINT) anywhere after outfile_open(); the atexit
 * handler and the signal handler remove what is listed here, so that no
 * exit path leaves a "FILE.tmp.XXXXXX" behind. The slots are fixed so that
 * the signal handler reads no memory that is being reallocated; a command
 * has one or two outputs.
 */
#define MAX_LIVE 8

static char *volatile live[MAX_LIVE];
static pid_t live_pid;
static int hooks_set;

static void remove_live(void)
{
	size_t i;

	/* A forked child that exits must not remove its parent's files. */
	if (getpid() != live_pid)
		return;
	for (i = 0; i < MAX_LIVE; i++)
		if (live[i])
			unlink(live[i]);
}

static void on_signal(int sig)
{
	remove_live();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Only where nobody handles the signal: cmd_load has its own SIGINT. */
static void catch_if_default(int sig)
{
	struct sigaction old, sa;

	if (sigaction(sig, NULL, &old) < 0 || old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int track(char *tmp)
{
	size_t i;

	if (!hooks_set) {
		if (atexit(remove_live))
			return -1;
		catch_if_default(SIGINT);
		catch_if_default(SIGTERM);
		catch_if_default(SIGHUP);
		hooks_set = 1;
	}
	live_pid = getpid();
	for (i = 0; i < MAX_LIVE; i++) {
		if (!live[i]) {
			live[i] = tmp;
			return 0;
		}
	}
	return -1;
}

static void untrack(const char *tmp)
{
	size_t i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live[i] == tmp)
			live[i] = NULL;
}

/*
 * A device or FIFO (-o /dev/null, /dev/stdout) is written to, not
 * replaced: renaming over it would put a regular file in its place.
 * Nothing is whole-or-nothing there anyway.
 */
static int open_special(struct outfile *o, const char *path,
			const struct stat *st)
{
	int fd;

	if (S_ISDIR(st->st_mode)) {
		error("%s: is a directory", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	o->fp = fd < 0 ? NULL : fdopen(fd, "w");
	if (!o->fp) {
		error("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	o->path = xstrdup(path);
	return 0;
}

/* The temporary file beside path that outfile_commit() renames; fd or -1. */
static int open_tmp(struct outfile *o, const char *path)
{
	size_t n = strlen(path);
	mode_t mask;
	int fd;

	o->tmp = xmalloc(n + 16);
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (track(o->tmp) < 0) {
		error("%s: too many output files open", path);
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	/* mkostemp makes 0600: give the file the mode open() would */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	return fd;
}

int outfile_open(struct outfile *o, const char *path, int force)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return open_special(o, path, &st);
	/*
	 * An early, friendly refusal; outfile_commit() is what guarantees
	 * that an existing file is not replaced (no check-then-rename race).
	 */
	if (!force && lstat(path, &st) == 0) {
		error("%s: already exists (use --force to replace it)", path);
		return -1;
	}
	o->path = xstrdup(path);
	o->force = force;
	fd = open_tmp(o, path);
	if (fd < 0)
		goto fail;
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		error("%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		untrack(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return -1;
}

/* rename() that fails with EEXIST rather than replace an existing file. */
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

int outfile_commit(struct outfile *o)
{
	int ret = 0;

	/* main() reports a failed standard output, once. */
	if (!o->path)
		return fflush(o->fp) || ferror(o->fp) ? -1 : 0;
	if (!o->tmp) {
		if ((fflush(o->fp) || ferror(o->fp)) | fclose(o->fp)) {
			error("%s: write error: %s", o->path, strerror(errno));
			ret = -1;
		}
		free(o->path);
		memset(o, 0, sizeof(*o));
		return ret;
	}
	if (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp))) {
		error("%s: write error: %s", o->path, strerror(errno));
		ret = -1;
	}
	if (fclose(o->fp) && !ret) {
		error("%s: write error: %s", o->path, strerror(errno));
		ret = -1;
	}
	o->fp = NULL;
	if (!ret && (o->force ? rename(o->tmp, o->path)
			      : rename_noreplace(o->tmp, o->path))) {
		if (errno == EEXIST)
			error("%s: already exists (use --force to replace it)",
			      o->path);
		else
			error("%s: %s", o->path, strerror(errno));
		ret = -1;
	}
	if (ret)
		unlink(o->tmp);
	untrack(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return ret;
}

void outfile_abort(struct outfile *o)
{
	if (!o->path)
		return;
	if (o->fp)
		fclose(o->fp);
	if (o->tmp) {
		unlink(o->tmp);
		untrack(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

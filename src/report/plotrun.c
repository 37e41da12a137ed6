/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's gnuplot run: the script in a private directory, gnuplot. */
#include "report/plot.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "report/plot_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *plot_find_gnuplot(const char *path)
{
	const char *dirs = getenv("PATH"), *p, *end;
	char *full;
	size_t n;

	if (strchr(path, '/'))
		return access(path, X_OK) ? NULL : xstrdup(path);
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (p = dirs; ; p = end + 1) {
		struct stat st;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		full = xmalloc(n + strlen(path) + 3);
		if (n)
			snprintf(full, n + strlen(path) + 3, "%.*s/%s",
				 (int)n, p, path);
		else
			snprintf(full, strlen(path) + 3, "./%s", path);
		if (!stat(full, &st) && S_ISREG(st.st_mode) &&
		    !access(full, X_OK))
			return full;
		free(full);
		if (!*end)
			break;
	}
	return NULL;
}

/* Passes on what gnuplot said, one "gnuplot: ..." line at a time. */
static void pass_on(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		/* gnuplot marks the error column with a caret line. */
		if (n && strspn(p, " \t^") < n)
			error("gnuplot: %.*s", (int)n, p);
		p += n + 1;
	}
}

/* Writes pd's script to path; -1 when it could not (reported). */
static int write_script_file(struct plot_data *pd, const char *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp) {
		error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (plot_write_script(pd, fp) < 0) {
		fclose(fp);
		return -1;
	}
	if (fclose(fp)) {
		error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Runs gnuplot (the executable at path) on dir/plot.gp, in dir, with no
 * shell, so that no name is ever parsed as a command: standard input from
 * nullfd (it never waits on the user's terminal), output to out_fd,
 * errors to efd. A relative path of gnuplot's is resolved before.
 * Returns 0 and its wait status in *status, or -1 (reported).
 */
static int run_gnuplot(const char *path, const char *dir, int out_fd,
		       int efd, int nullfd, int *status)
{
	char *argv[3];
	pid_t pid;

	argv[0] = (char *)"gnuplot";
	argv[1] = (char *)"plot.gp";
	argv[2] = NULL;
	/* What stdio holds would be written twice, by the child too. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		error("cannot run gnuplot: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		static const char msg[] = "cannot execute gnuplot\n";

		if (dup2(nullfd, 0) < 0 || dup2(out_fd, 1) < 0 ||
		    dup2(efd, 2) < 0 || chdir(dir) < 0)
			_exit(127);
		execv(path, argv);
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			error("waiting for gnuplot: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * Passes on what gnuplot wrote to efd (its first 8 KiB): as warnings when
 * it exited 0, and returns 0; else after saying how it failed, and
 * returns -1.
 */
static int gnuplot_verdict(int status, int efd)
{
	char err[8192];
	ssize_t got = pread(efd, err, sizeof(err) - 1, 0);

	if (got < 0)
		got = 0;
	err[got] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		pass_on(err, (size_t)got);
		return 0;
	}
	if (WIFSIGNALED(status))
		error("gnuplot was killed by signal %d", WTERMSIG(status));
	else
		error("gnuplot failed (exit %d); what it said:",
		      WEXITSTATUS(status));
	pass_on(err, (size_t)got);
	error("(--script FILE writes the script it was given)");
	return -1;
}

/*
 * The script and gnuplot's errors go to a directory of mkdtemp()'s (mode
 * 0700), so that no other user can replace the script between its writing
 * and gnuplot's reading. Errors go to a file, not a pipe: gnuplot cannot
 * block on a full pipe while we wait for it to exit.
 */
/* Reads the whole of the file dir/name into b (at most 1 GiB). */
static int read_in(struct buf *b, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(n);
	int ret;

	snprintf(path, n, "%s/%s", dir, name);
	ret = buf_read_file(b, path, (size_t)1 << 30, NULL);
	free(path);
	return ret;
}

/*
 * The html page from what gnuplot wrote into dir: the panels' functions
 * (its output, panels.js) and the probe page; to out_fd.
 */
static int write_page(const struct plot_data *pd, const char *dir,
		      int out_fd)
{
	struct buf panels, probe;
	FILE *out;
	int ret = -1, fd;

	buf_init(&panels);
	buf_init(&probe);
	if (read_in(&panels, dir, "panels.js") < 0 ||
	    read_in(&probe, dir, PLOT_HTML_PROBE) < 0)
		goto out;
	fd = dup(out_fd);
	out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		error("writing the page: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	ret = plot_html_write(pd, (const char *)probe.data, probe.len,
			      (const char *)panels.data, panels.len, out);
	if (fclose(out) && !ret) {
		error("writing the page: %s", strerror(errno));
		ret = -1;
	}
out:
	buf_release(&panels);
	buf_release(&probe);
	return ret;
}

/* Removes dir/name, if there. */
static void remove_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(n);

	snprintf(path, n, "%s/%s", dir, name);
	unlink(path);
	free(path);
}

int plot_render(struct plot_data *pd, const char *gnuplot, int out_fd)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *script, *errpath, *gp = NULL;
	size_t n;
	int ret = -1, efd = -1, nullfd = -1, gfd = -1, status;
	int html = pd->o.format == PLOT_HTML;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = strlen(tmp) + 32;
	dir = xmalloc(n);
	snprintf(dir, n, "%s/leaky-plot.XXXXXX", tmp);
	script = xmalloc(n + 16);
	errpath = xmalloc(n + 16);
	if (!mkdtemp(dir)) {
		error("cannot make a temporary directory in %s: %s", tmp,
		      strerror(errno));
		free(dir);
		free(script);
		free(errpath);
		return -1;
	}
	snprintf(script, n + 16, "%s/plot.gp", dir);
	snprintf(errpath, n + 16, "%s/stderr", dir);
	if (write_script_file(pd, script) < 0)
		goto out;
	efd = open(errpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (efd < 0 || nullfd < 0) {
		error("%s: %s", errpath, strerror(errno));
		goto out;
	}
	/* gnuplot runs in dir: a relative path of its must not move. */
	gp = realpath(gnuplot, NULL);
	if (!gp) {
		error("%s: %s", gnuplot, strerror(errno));
		goto out;
	}
	if (html) {
		n = strlen(dir) + 16;
		free(script);
		script = xmalloc(n);
		snprintf(script, n, "%s/panels.js", dir);
		gfd = open(script, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			   0600);
		if (gfd < 0) {
			error("%s: %s", script, strerror(errno));
			goto out;
		}
	}
	if (run_gnuplot(gp, dir, html ? gfd : out_fd, efd, nullfd,
			&status) < 0)
		goto out;
	ret = gnuplot_verdict(status, efd);
	if (!ret && html)
		ret = write_page(pd, dir, out_fd);
out:
	if (efd >= 0)
		close(efd);
	if (nullfd >= 0)
		close(nullfd);
	if (gfd >= 0)
		close(gfd);
	free(gp);
	remove_in(dir, "plot.gp");
	remove_in(dir, "panels.js");
	remove_in(dir, PLOT_HTML_PROBE);
	unlink(errpath);
	if (rmdir(dir))
		error("%s: %s", dir, strerror(errno));
	free(dir);
	free(script);
	free(errpath);
	return ret;
}

/* leaky plot's gnuplot run: the script in a private directory, gnuplot. */
#include "report/plot.h"
#include "base/leaky.h"

#include <errno.h>
#include <fcntl.h>
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

int plot_render(struct plot_data *pd, const char *gnuplot, int out_fd)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *script, *errpath, *argv[3], err[8192];
	size_t n;
	ssize_t got;
	int ret = -1, efd = -1, nullfd = -1, status;
	pid_t pid;
	FILE *fp;

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
	fp = fopen(script, "w");
	if (!fp) {
		error("%s: %s", script, strerror(errno));
		goto out;
	}
	if (plot_write_script(pd, fp) < 0) {
		fclose(fp);
		goto out;
	}
	if (fclose(fp)) {
		error("%s: %s", script, strerror(errno));
		goto out;
	}
	efd = open(errpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (efd < 0 || nullfd < 0) {
		error("%s: %s", errpath, strerror(errno));
		goto out;
	}
	argv[0] = (char *)"gnuplot";
	argv[1] = script;
	argv[2] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		error("cannot run gnuplot: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		static const char msg[] = "cannot execute gnuplot\n";

		if (dup2(nullfd, 0) < 0 || dup2(out_fd, 1) < 0 ||
		    dup2(efd, 2) < 0)
			_exit(127);
		execv(gnuplot, argv);
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			error("waiting for gnuplot: %s", strerror(errno));
			goto out;
		}
	}
	got = pread(efd, err, sizeof(err) - 1, 0);
	if (got < 0)
		got = 0;
	err[got] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		pass_on(err, (size_t)got);
		ret = 0;
	} else {
		if (WIFSIGNALED(status))
			error("gnuplot was killed by signal %d",
			      WTERMSIG(status));
		else
			error("gnuplot failed (exit %d); what it said:",
			      WEXITSTATUS(status));
		pass_on(err, (size_t)got);
		error("(--script FILE writes the script it was given)");
	}
out:
	if (efd >= 0)
		close(efd);
	if (nullfd >= 0)
		close(nullfd);
	unlink(script);
	unlink(errpath);
	if (rmdir(dir))
		error("%s: %s", dir, strerror(errno));
	free(dir);
	free(script);
	free(errpath);
	return ret;
}

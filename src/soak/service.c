/* SPDX-License-Identifier: Apache-2.0 */
/* leaky soak's service: start it, wait for it, see it ready, stop it. */
#include "soak/service.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/scrape.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAIL_BYTES ((off_t)64 << 10)
#define POLL_NS (200 * (int64_t)1000000)
#define ASK_TIMEOUT_NS ((int64_t)1000000000)

static void sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls. The
 * exec's failure goes back through the close-on-exec pipe, so that a
 * command that does not exist is an error of leaky's, not a line in the
 * log and an exit status of 127.
 */
static void child(char *const *argv, int log_fd, int err_fd)
{
	sigset_t none;
	int e, null_fd;

	setpgid(0, 0);
	/* leaky killed outright (a second Ctrl-C) takes the service along */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 ||
	    dup2(log_fd, 2) < 0)
		goto fail;
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0) {
		/* the parent sees an exit of 127 instead */
	}
	_exit(127);
}

static void *waiter(void *arg)
{
	struct service *s = arg;
	sigset_t all;
	int status, asked;

	/* the process's signals are the main thread's to take */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&s->lock);
	s->exited = 1;
	s->status = status;
	asked = s->stopping;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (!asked && s->on_exit)
		s->on_exit(s->data);
	return NULL;
}

int service_start(struct service *s, char *const *argv,
		  const char *log_path, char err[SERVICE_ERR])
{
	int log_fd, pfd[2], e = 0;
	ssize_t n;
	pid_t pid;

	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		      O_CLOEXEC, 0644);
	if (log_fd < 0)
		return failf(err, SERVICE_ERR, "%s: %s", log_path,
			     strerror(errno));
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		close(log_fd);
		return failf(err, SERVICE_ERR, "pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(log_fd);
		close(pfd[0]);
		close(pfd[1]);
		return failf(err, SERVICE_ERR, "fork: %s", strerror(e));
	}
	if (!pid)
		child(argv, log_fd, pfd[1]);
	/* both sides set the group, so that neither order races */
	setpgid(pid, pid);
	close(log_fd);
	close(pfd[1]);
	while ((n = read(pfd[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	if (n == sizeof(e)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return failf(err, SERVICE_ERR, "cannot run '%s': %s",
			     argv[0], strerror(e));
	}
	s->pid = pid;
	s->exited = s->stopping = s->killed = 0;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	e = pthread_create(&s->waiter, NULL, waiter, s);
	if (e) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return failf(err, SERVICE_ERR, "cannot start a thread: %s",
			     strerror(e));
	}
	return 0;
}

int service_exited(struct service *s, int *status)
{
	int done;

	pthread_mutex_lock(&s->lock);
	done = s->exited;
	if (done && status)
		*status = s->status;
	pthread_mutex_unlock(&s->lock);
	return done;
}

/* Waits for the waiter's news until the monotonic deadline; 1: exited. */
static int wait_exit_until(struct service *s, int64_t deadline)
{
	struct timespec ts;
	int64_t now_real, left;
	int done;

	pthread_mutex_lock(&s->lock);
	while (!s->exited) {
		left = deadline - clock_mono_ns();
		if (left <= 0)
			break;
		/* the condition's clock is the realtime one */
		now_real = clock_real_ns() + left;
		ts.tv_sec = now_real / 1000000000;
		ts.tv_nsec = now_real % 1000000000;
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	done = s->exited;
	pthread_mutex_unlock(&s->lock);
	return done;
}

int service_stop(struct service *s, int64_t grace_ns)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_mutex_unlock(&s->lock);
	/*
	 * The group, not only the command: a shell's children, a wrapper's
	 * service. Once the command is reaped its group may still hold
	 * such children, and its id stays theirs while they live.
	 */
	kill(-s->pid, SIGTERM);
	if (!wait_exit_until(s, clock_mono_ns() + grace_ns)) {
		s->killed = 1;
		kill(-s->pid, SIGKILL);
	} else if (kill(-s->pid, 0) == 0) {
		/* the command went, some of its group did not: a grace */
		int64_t end = clock_mono_ns() + grace_ns;

		while (kill(-s->pid, 0) == 0 && clock_mono_ns() < end)
			sleep_ns(POLL_NS / 4);
		if (kill(-s->pid, SIGKILL) == 0)
			s->killed = 1;
	}
	pthread_join(s->waiter, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	return s->killed;
}

void service_describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "wait status %#x", (unsigned)status);
}

char *service_log_tail(const char *path, int nlines)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *text, *p;
	off_t from;
	ssize_t n;
	size_t len;
	int seen = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return NULL;
	}
	from = st.st_size > TAIL_BYTES ? st.st_size - TAIL_BYTES : 0;
	text = xmalloc((size_t)(st.st_size - from) + 2);
	n = pread(fd, text, (size_t)(st.st_size - from), from);
	close(fd);
	if (n <= 0) {
		free(text);
		return NULL;
	}
	len = (size_t)n;
	if (text[len - 1] != '\n')
		text[len++] = '\n';
	text[len] = '\0';
	/* back from the end over nlines line ends, the last one's first */
	p = text + len - 1;
	while (p > text) {
		if (p[-1] == '\n' && ++seen == nlines)
			break;
		p--;
	}
	memmove(text, p, strlen(p) + 1);
	return text;
}

/* One GET of url; 1: it answered 200, 0: not (why in last), -1: failed. */
static int ask(struct scrape *sc, const char *url, const char *unix_socket,
	       char *last, size_t size)
{
	struct scrape_req rq;
	struct scrape_result r;
	int got = 0, ret = 0;

	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.unix_socket = unix_socket;
	rq.timeout_ns = ASK_TIMEOUT_NS;
	rq.max_body = (size_t)1 << 20;
	rq.fresh = 1;
	rq.direct = 1;
	scrape_add(sc, &rq);
	while (!got) {
		if (scrape_wait(sc, 100, NULL, 0) < 0)
			return -1;
		got = scrape_next(sc, &r);
	}
	if (r.ok && r.status == 200)
		ret = 1;
	else if (r.ok)
		snprintf(last, size, "HTTP status %ld", r.status);
	else
		snprintf(last, size, "%s", r.err);
	buf_release(&r.body);
	return ret;
}

/* Why waiting ends early: the service went, or a signal came. */
static int gone(struct service *s, const volatile sig_atomic_t *stop,
		char err[SERVICE_ERR])
{
	char how[64];
	int status;

	if (s && service_exited(s, &status)) {
		service_describe(status, how, sizeof(how));
		return failf(err, SERVICE_ERR, "the service exited first (%s)",
			     how);
	}
	if (stop && *stop)
		return failf(err, SERVICE_ERR, "interrupted");
	return 0;
}

int service_wait_ready(const char *url, const char *unix_socket,
		       int64_t timeout_ns, struct service *s,
		       const volatile sig_atomic_t *stop,
		       char err[SERVICE_ERR])
{
	int64_t end = clock_mono_ns() + timeout_ns;
	char last[256] = "no attempt", d[DURATION_TEXT_MAX];
	struct scrape *sc = scrape_new(1);
	int ret = -1, k;

	if (!sc)
		return failf(err, SERVICE_ERR, "cannot start libcurl");
	for (;;) {
		if (gone(s, stop, err) < 0)
			break;
		k = ask(sc, url, unix_socket, last, sizeof(last));
		if (k < 0) {
			failf(err, SERVICE_ERR, "waiting failed");
			break;
		}
		if (k > 0) {
			ret = 0;
			break;
		}
		if (clock_mono_ns() >= end) {
			failf(err, SERVICE_ERR, "no answer in %s (last: %s)",
			      duration_format(timeout_ns, d), last);
			break;
		}
		sleep_ns(POLL_NS);
	}
	scrape_free(sc);
	return ret;
}

/* The first line of path when it has a whole one, else NULL. */
static char *first_line(const char *path)
{
	char text[4096], *nl;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	text[n] = '\0';
	/* a line and its end: the writer may be half way through */
	nl = strchr(text, '\n');
	return nl ? xstrndup(text, (size_t)(nl - text)) : NULL;
}

char *service_wait_file(const char *path, int64_t timeout_ns,
			struct service *s, const volatile sig_atomic_t *stop,
			char err[SERVICE_ERR])
{
	int64_t end = clock_mono_ns() + timeout_ns;
	char d[DURATION_TEXT_MAX], *line;

	for (;;) {
		line = first_line(path);
		if (line)
			return line;
		if (gone(s, stop, err) < 0)
			return NULL;
		if (clock_mono_ns() >= end) {
			failf(err, SERVICE_ERR, "%s: no address in it after "
			      "%s", path, duration_format(timeout_ns, d));
			return NULL;
		}
		sleep_ns(POLL_NS / 2);
	}
}

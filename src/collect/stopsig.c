/* SPDX-License-Identifier: Apache-2.0 */
/* SIGINT and SIGTERM during a collector's run: stop, then quit at once. */
#include "collect/stopsig.h"
#include "base/leaky.h"
#include "collect/collstore.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t signals_seen;
static int sig_pipe[2] = { -1, -1 };

/*
 * The first signal only asks the run to stop: the handler counts it and
 * writes a byte to sig_pipe, which the loop's wait watches, so that the
 * loop wakes at once and stops between two of its steps (its
 * check_signals()), never inside one: fetches in flight end, their rows
 * are written, and the manifest ends on whole rows. A second signal is
 * the user insisting: the temporary file being written is removed (the
 * only cleanup that cannot wait, being async-signal-safe) and the signal
 * is raised again with its default action, so that the exit status says
 * which signal ended the run.
 */
static void on_signal(int sig)
{
	int e = errno;

	if (signals_seen++) {
		collstore_signal_cleanup();
		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (write(sig_pipe[1], "", 1) < 0) {
		/* The pipe is full: a wakeup is pending anyway. */
	}
	errno = e;
}

int stopsig_setup(void)
{
	struct sigaction sa;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		error("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit makes write() fail with EFBIG instead. */
	signal(SIGXFSZ, SIG_IGN);
	signals_seen = 0;
	return 0;
}

int stopsig_seen(void)
{
	return signals_seen;
}

void stopsig_request(void)
{
	int fd = sig_pipe[1];

	if (!signals_seen)
		signals_seen = 1;
	if (fd >= 0 && write(fd, "", 1) < 0) {
		/* Full: a wakeup is pending anyway. */
	}
}

int stopsig_fd(void)
{
	return sig_pipe[0];
}

void stopsig_drain(void)
{
	char c[64];

	while (read(sig_pipe[0], c, sizeof(c)) > 0)
		;
}

/*
 * The run is over and only its accounts are left before the process exits:
 * a SIGINT or SIGTERM now asks for what is already happening. With the
 * default action it would kill the finished run with status 143 during its
 * last frees (or ASan's leak check at exit, which takes a while), so that
 * a run whose every row is written looked like one that died.
 */
void stopsig_restore(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

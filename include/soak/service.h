/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky soak's service: the command it starts in a process group of its
 * own with its output in a log, a thread that waits for it, the wait
 * until its pprof endpoint answers, and its stop (SIGTERM to the group,
 * SIGKILL after a grace period). Nothing it starts outlives the stop.
 */
#ifndef LEAKY_SOAK_SERVICE_H
#define LEAKY_SOAK_SERVICE_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SERVICE_ERR 512

/* A started service. Caller-owned: service_start(), service_stop(). */
struct service {
	pid_t pid;		/* the command's, and its process group's */
	pthread_t waiter;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int exited;		/* the waiter reaped it */
	int status;		/* its wait status then */
	int stopping;		/* service_stop() sent it a signal */
	int killed;		/* ... and needed SIGKILL */
	/*
	 * Called once on the waiter's thread when the command exits
	 * before service_stop() asked it to (NULL: nothing); must be safe
	 * from another thread.
	 */
	void (*on_exit)(void *data);
	void *data;
};

/*
 * Starts argv (argv[0] looked up in PATH) in a new process group, its
 * stdin /dev/null, its stdout and stderr appended to the file log_path
 * (created or truncated), SIGINT, SIGTERM and SIGPIPE as by default, and
 * killed should leaky die without stopping it. Then waits for it on a
 * thread. Returns 0, or -1 with the reason in err (a command that cannot
 * be run: "cannot run 'x': No such file or directory").
 */
int service_start(struct service *s, char *const *argv,
		  const char *log_path, char err[SERVICE_ERR]);

/* 1 with its wait status in *status when it has exited, else 0. */
int service_exited(struct service *s, int *status);

/*
 * Stops it: SIGTERM to its process group, SIGKILL to the group after
 * grace_ns when the command has not exited by then (and to whatever is
 * left of the group either way), then waits for the command and joins
 * the waiter. Returns 1 when SIGKILL was needed, else 0.
 */
int service_stop(struct service *s, int64_t grace_ns);

/*
 * Writes how a wait status ended into buf: "exit status 3", "killed by
 * signal 9 (SIGKILL)".
 */
void service_describe(int status, char *buf, size_t size);

/*
 * The last nlines lines of the file at path (its last 64 KiB looked
 * at), each ending in '\n', or NULL when it is empty or unreadable.
 * The caller frees it.
 */
char *service_log_tail(const char *path, int nlines);

/*
 * Waits until url (a pprof index such as http://h:p/debug/pprof/; over
 * unix_socket unless NULL) answers 200, asking every 200 ms with a 1 s
 * timeout, for at most
 * timeout_ns, while s (NULL: none) runs and *stop (NULL: none) stays 0.
 * Returns 0 when it answered, or -1 with the reason in err: "no answer in
 * 30s (last: Connection refused)", "the service exited first (exit status
 * 1)", "interrupted".
 */
int service_wait_ready(const char *url, const char *unix_socket,
		       int64_t timeout_ns, struct service *s,
		       const volatile sig_atomic_t *stop,
		       char err[SERVICE_ERR]);

/*
 * Waits until the file at path holds a line (an address the service
 * writes once it listens), for at most timeout_ns, while s runs and *stop
 * stays 0. Returns the first line (the caller frees it), or NULL with the
 * reason in err.
 */
char *service_wait_file(const char *path, int64_t timeout_ns,
			struct service *s, const volatile sig_atomic_t *stop,
			char err[SERVICE_ERR]);

#endif

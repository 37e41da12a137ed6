/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The processes behind collector targets: finding them (pid files, command
 * names, the listener of a port or unix socket), telling one process from
 * its successor (start time), reading /proc/PID files and running pmap
 * without blocking.
 */
#ifndef LEAKY_PROCWATCH_H
#define LEAKY_PROCWATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/collect.h"

struct buf;

/* One listening TCP socket (IPv4 or IPv6) on this machine. */
struct procwatch_listener {
	int port;
	uint64_t inode;
};

/*
 * Lists the TCP sockets listening on a loopback or wildcard address, from
 * /proc/net/tcp and /proc/net/tcp6, into *out (the caller frees it).
 * Returns how many; 0 when none or unreadable.
 */
size_t procwatch_listeners(struct procwatch_listener **out);

/*
 * Inodes of the listening unix sockets bound to path (from /proc/net/unix)
 * into *out (the caller frees it). Returns how many.
 */
size_t procwatch_unix_listeners(const char *path, uint64_t **out);

/* Whether process pid holds a socket with one of the inodes. */
int procwatch_has_socket(int64_t pid, const uint64_t *inodes, size_t n);

/*
 * Scans /proc for the process holding a socket with one of the inodes.
 * Returns its pid, or 0 when none can be seen.
 */
int64_t procwatch_socket_owner(const uint64_t *inodes, size_t n);

/*
 * One scan of /proc for the owners of many sockets: pids[i] gets the
 * process holding inodes[i], or 0 when none can be seen.
 */
void procwatch_socket_owners(const uint64_t *inodes, size_t n,
			     int64_t *pids);

/*
 * The start time of pid (clock ticks after boot, /proc/PID/stat field 22):
 * 0 with *start, or -1 when the process is gone.
 */
int procwatch_start_time(int64_t pid, uint64_t *start);

/* Reads a pid file: 0 with *pid, or -1 with the reason in err. */
int procwatch_read_pidfile(const char *path, int64_t *pid,
			   char err[COLLECT_ERR]);

/*
 * Finds the processes whose command name (/proc/PID/comm) is comm. Returns
 * how many; *pid gets the oldest one.
 */
size_t procwatch_find_comm(const char *comm, int64_t *pid);

/*
 * Reads /proc/PID/FILE (e.g. "smaps_rollup") into b, at most cap bytes.
 * Returns 0, or -1 with the reason in err (gone, not ours, too large).
 */
int procwatch_read(int64_t pid, const char *file, struct buf *b, size_t cap,
		   char err[COLLECT_ERR]);

/* Full path of prog found in $PATH, or NULL; the caller frees it. */
char *procwatch_which(const char *prog);

/* A helper command running with its stdout in a pipe. */
struct procwatch_cmd {
	pid_t pid;
	int fd;			/* non-blocking read end; -1 once closed */
};

/*
 * Starts argv[0] (a full path) with argv, stdin and stderr on /dev/null,
 * stdout into a pipe, no other descriptors, LC_ALL=C. Returns 0, or -1
 * with the reason in err.
 */
int procwatch_spawn(struct procwatch_cmd *c, char *const argv[],
		    char err[COLLECT_ERR]);
/*
 * Appends what the pipe has to b. Returns 1 at end of file, 0 when more
 * may come, -1 with the reason in err (read error, more than cap bytes).
 */
int procwatch_cmd_read(struct procwatch_cmd *c, struct buf *b, size_t cap,
		       char err[COLLECT_ERR]);
/*
 * Kills the command when kill is set, closes the pipe and reaps it.
 * Returns its wait status, or -1.
 */
int procwatch_cmd_finish(struct procwatch_cmd *c, int kill);

#endif

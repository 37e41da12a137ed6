/* SPDX-License-Identifier: Apache-2.0 */
/* Which process serves a target, round after round, and its restarts. */
#include "collect/proctrack.h"
#include "base/clock.h"
#include "base/leaky.h"
#include "collect/procwatch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void proctrack_scan_reset(struct proctrack_scan *scan)
{
	scan->iteration = clock_mono_ns();
	if (scan->iteration - scan->taken >= PROCTRACK_SCAN_KEEP)
		scan->listeners_valid = 0;
}

void proctrack_scan_release(struct proctrack_scan *scan)
{
	free(scan->listeners);
	free(scan->owners);
	memset(scan, 0, sizeof(*scan));
}

/*
 * The process listening on port: one scan of /proc finds the owners of
 * every listener at once, for all the targets due in this iteration.
 */
static int64_t listener_owner(struct proctrack_scan *scan, int port)
{
	uint64_t *inodes;
	size_t i;

	if (!scan->owners_valid) {
		inodes = xcalloc(scan->nlisteners, sizeof(*inodes));
		for (i = 0; i < scan->nlisteners; i++)
			inodes[i] = scan->listeners[i].inode;
		free(scan->owners);
		scan->owners = xcalloc(scan->nlisteners,
				       sizeof(*scan->owners));
		procwatch_socket_owners(inodes, scan->nlisteners,
					scan->owners);
		free(inodes);
		scan->owners_valid = 1;
	}
	for (i = 0; i < scan->nlisteners; i++)
		if (scan->listeners[i].port == port && scan->owners[i])
			return scan->owners[i];
	return 0;
}

/* The socket inodes t listens on (the caller frees *inodes); their count. */
static size_t listening_inodes(struct proctrack_scan *scan,
			       const struct collect_target *t,
			       uint64_t **inodes)
{
	size_t i, n = 0;

	*inodes = NULL;
	if (t->unix_socket)
		return procwatch_unix_listeners(t->unix_socket, inodes);
	if (!scan->listeners_valid) {
		free(scan->listeners);
		scan->nlisteners = procwatch_listeners(&scan->listeners);
		scan->listeners_valid = 1;
		scan->owners_valid = 0;
		scan->taken = clock_mono_ns();
	}
	for (i = 0; i < scan->nlisteners; i++) {
		if (scan->listeners[i].port != t->port)
			continue;
		*inodes = xrealloc(*inodes, (n + 1) * sizeof(**inodes));
		(*inodes)[n++] = scan->listeners[i].inode;
	}
	return n;
}

/*
 * The listener of t's port or socket; 0 with pt->err when none is seen.
 * *confirmed: the process found before, seen again through its own /proc
 * entries (what an older scan may be trusted for).
 */
static int64_t look_up_listener(struct proctrack_scan *scan,
				struct proctrack *pt,
				const struct collect_target *t, int *confirmed)
{
	uint64_t *inodes, start = 0;
	size_t n = listening_inodes(scan, t, &inodes);
	int64_t pid = 0;

	*confirmed = 1;
	if (!n) {
		if (t->unix_socket)
			snprintf(pt->err, COLLECT_ERR, "nothing listens on %s",
				 t->unix_socket);
		else
			snprintf(pt->err, COLLECT_ERR, "nothing listens on "
				 "port %d", t->port);
	} else if (pt->known_pid && inodes[0] == pt->known_inode &&
		   !procwatch_start_time(pt->known_pid, &start) &&
		   start == pt->known_start) {
		/* Same listener, same process: no scan needed. */
		pid = pt->known_pid;
	} else if (pt->known_pid &&
		   procwatch_has_socket(pt->known_pid, inodes, n)) {
		pid = pt->known_pid;
	} else {
		*confirmed = t->unix_socket != NULL;
		pid = t->unix_socket ? procwatch_socket_owner(inodes, n) :
		      listener_owner(scan, t->port);
		if (!pid)
			snprintf(pt->err, COLLECT_ERR, "cannot see which "
				 "process listens on %s%s%d (another user's?)",
				 t->unix_socket ? t->unix_socket : "",
				 t->unix_socket ? "" : "port ",
				 t->unix_socket ? 0 : t->port);
	}
	if (!n)
		*confirmed = t->unix_socket != NULL;
	if (pid && n)
		pt->known_inode = inodes[0];
	free(inodes);
	return pid;
}

static int64_t find_listener(struct proctrack_scan *scan,
			     struct proctrack *pt,
			     const struct collect_target *t)
{
	int confirmed;
	int64_t pid = look_up_listener(scan, pt, t, &confirmed);

	if (!confirmed && scan->listeners_valid &&
	    scan->taken < scan->iteration) {
		scan->listeners_valid = 0;
		pid = look_up_listener(scan, pt, t, &confirmed);
	}
	return pid;
}

enum proctrack_change proctrack_find(struct proctrack_scan *scan,
				     struct proctrack *pt,
				     const struct collect_target *t,
				     size_t *ambiguous, char why[COLLECT_ERR])
{
	uint64_t start = 0;
	int64_t pid = 0;
	size_t count;
	enum proctrack_change change = PROCTRACK_SAME;

	*ambiguous = 0;
	pt->err[0] = '\0';
	if (t->pid) {
		pid = t->pid;
	} else if (t->pidfile) {
		if (procwatch_read_pidfile(t->pidfile, &pid, pt->err) < 0)
			pid = 0;
	} else if (t->process) {
		count = procwatch_find_comm(t->process, &pid);
		if (!count)
			snprintf(pt->err, COLLECT_ERR, "no process named "
				 "'%s'", t->process);
		else if (count > 1 && !pt->noted_ambiguous) {
			*ambiguous = count;
			pt->oldest = pid;
			pt->noted_ambiguous = 1;
		}
	} else if (t->unix_socket || t->local) {
		pid = find_listener(scan, pt, t);
	}
	if (pid && procwatch_start_time(pid, &start) < 0) {
		snprintf(pt->err, COLLECT_ERR, "process %" PRId64 " is gone",
			 pid);
		pid = 0;
	}
	pt->pid = pid;
	pt->start = start;
	if (!pid)
		return PROCTRACK_SAME;
	/*
	 * A restart is a new process behind the same target: another pid,
	 * or the same pid with another start time (pids are reused, most
	 * of all in containers where the service is pid 1 again). The
	 * start time, in clock ticks since boot, tells them apart where the
	 * pid alone cannot. A round without a process keeps the known one,
	 * so that a target down for a while and back with a new process
	 * is a restart too.
	 */
	if (pt->known_pid && pt->known_pid != pid) {
		snprintf(why, COLLECT_ERR, "pid %" PRId64 " -> %" PRId64,
			 pt->known_pid, pid);
		change = PROCTRACK_RESTARTED;
	} else if (pt->known_pid && pt->known_start != start) {
		snprintf(why, COLLECT_ERR, "pid %" PRId64 " was reused by a "
			 "new process", pid);
		change = PROCTRACK_PID_REUSED;
	}
	pt->known_pid = pid;
	pt->known_start = start;
	return change;
}

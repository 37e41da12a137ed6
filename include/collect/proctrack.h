/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which process serves a target, round after round: by its pid, pid file
 * or command name, or as the listener of its local port or unix socket;
 * and whether it is still the process of the rounds before (restarts).
 */
#ifndef LEAKY_COLLECT_PROCTRACK_H
#define LEAKY_COLLECT_PROCTRACK_H

#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"

struct procwatch_listener;

/*
 * This machine's TCP listeners and their owners, scanned once for every
 * target due in a loop iteration, and kept for the iterations of the
 * next PROCTRACK_SCAN_KEEP ns: with targets spread over the interval,
 * each iteration starts one or two, and reading /proc/net/tcp for each
 * (thousands of sockets on a fleet's collector) was most of the
 * collector's CPU. A scan from an earlier iteration is trusted only to
 * confirm the process found before (its start time and socket are read
 * again); anything else scans afresh. Zeroed to start;
 * proctrack_scan_release().
 */
struct proctrack_scan {
	struct procwatch_listener *listeners;
	size_t nlisteners;
	int listeners_valid;
	int64_t *owners;	/* pid per listener, once scanned */
	int owners_valid;
	int64_t taken;		/* when the listeners were read (mono ns) */
	int64_t iteration;	/* when this iteration began (mono ns) */
};

#define PROCTRACK_SCAN_KEEP ((int64_t)1000000000)

/* What is known of one target's process. Zeroed to start. */
struct proctrack {
	int64_t pid;		/* this round's, 0: none (see err) */
	uint64_t start;		/* its start time, in clock ticks */
	int64_t known_pid;	/* the rounds before's, for restarts */
	uint64_t known_start;
	uint64_t known_inode;	/* the listener's socket it was found by */
	int noted_ambiguous;
	int64_t oldest;		/* taken of several named alike */
	char err[COLLECT_ERR];	/* why pid is 0 */
};

/* How this round's process relates to the rounds before's. */
enum proctrack_change {
	PROCTRACK_SAME,		/* the same process, or none found */
	PROCTRACK_RESTARTED,	/* another pid answers */
	PROCTRACK_PID_REUSED,	/* the same pid, a new process */
};

/* A new iteration: forgets a scan older than PROCTRACK_SCAN_KEEP. */
void proctrack_scan_reset(struct proctrack_scan *scan);
void proctrack_scan_release(struct proctrack_scan *scan);

/*
 * Finds t's process for this round into pt (pid and start, or pid 0 and
 * err). When the target has several processes of its name, the oldest is
 * taken (pt->oldest) and *ambiguous is their count the first time (else
 * 0), for the caller to say. Returns how the process relates to the one
 * found last, with the reason for a restart in why.
 */
enum proctrack_change proctrack_find(struct proctrack_scan *scan,
				     struct proctrack *pt,
				     const struct collect_target *t,
				     size_t *ambiguous,
				     char why[COLLECT_ERR]);

#endif

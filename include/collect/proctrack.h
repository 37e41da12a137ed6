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
 * This machine's TCP listeners and their owners, scanned at most once
 * per loop iteration for every target due in it. Zeroed to start;
 * proctrack_scan_release().
 */
struct proctrack_scan {
	struct procwatch_listener *listeners;
	size_t nlisteners;
	int listeners_valid;
	int64_t *owners;	/* pid per listener, once scanned */
	int owners_valid;
};

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

/* Forgets the scan: the next proctrack_find() scans again. */
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

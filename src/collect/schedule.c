/* SPDX-License-Identifier: Apache-2.0 */
/* The fixed-rate schedule: slots, offsets, what is due. */
#include "collect/schedule.h"
#include "collect/collect.h"

#include <stdint.h>

#define NS_PER_MS ((int64_t)1000000)

/*
 * Why a hash of the name, not the target's place in the list: many
 * targets sampled at the same instant load the collector, the network and
 * a shared host at once, then idle for the rest of the interval, and
 * their samples all show that burst. Spread by a hash (FNV-1a), each
 * target keeps its phase when targets are added or removed, and from one
 * run of the collector to the next, so that a series stays evenly spaced
 * across restarts. Whole milliseconds: the offset --check prints reads
 * cleanly, and finer phases buy nothing against poll latency.
 */
int64_t collect_offset(const char *name, int64_t interval_ns, int spread)
{
	uint64_t h = 14695981039346656037ULL;
	int64_t ms = interval_ns / NS_PER_MS;
	const unsigned char *p;

	if (!spread || ms <= 0)
		return 0;
	for (p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (int64_t)(h % (uint64_t)ms) * NS_PER_MS;
}

/*
 * One target has nothing to be spread from: an offset would only delay
 * its first sample by up to an interval (five minutes by default).
 */
int collect_spreads(const struct collect_conf *conf)
{
	return conf->spread && (conf->ntargets > 1 || conf->targets_from ||
				conf->nfile_sd);
}

/*
 * Slot k is due at base + k * interval, computed from the start every
 * time, never as "the last start plus the interval": lateness of one
 * round (a slow poll, a busy machine) then never pushes the rounds after
 * it, and after a day the samples are still on the grid they began on.
 */
int64_t collect_due(int64_t base, int64_t interval_ns, int64_t k)
{
	return base + k * interval_ns;
}

/*
 * When slots went by unrun (the collector was stopped with SIGSTOP, the
 * machine slept, a round overran), only the latest is run: running the
 * missed ones back to back would take samples a few milliseconds apart
 * that say nothing more and load the target in a burst. The caller
 * records the missed ones as skipped, so that the gap is in the manifest.
 */
int collect_sched_step(int64_t base, int64_t interval_ns, int64_t next,
		       int64_t now, int64_t *slot, int64_t *missed)
{
	int64_t latest;

	if (now < collect_due(base, interval_ns, next))
		return 0;
	latest = (now - base) / interval_ns;
	/* Defensive: next being due makes latest at least next. */
	if (latest < next)
		latest = next;
	*slot = latest;
	*missed = latest - next;
	return 1;
}

/* The fixed-rate schedule: slots, offsets, what is due. */
#include "collect/schedule.h"
#include "collect/collect.h"

#include <stdint.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)

/* ---- schedule ------------------------------------------------------ */

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

int collect_spreads(const struct collect_conf *conf)
{
	return conf->spread && conf->ntargets > 1;
}

int64_t collect_due(int64_t base, int64_t interval_ns, int64_t k)
{
	return base + k * interval_ns;
}

int collect_sched_step(int64_t base, int64_t interval_ns, int64_t next,
		       int64_t now, int64_t *slot, int64_t *missed)
{
	int64_t latest;

	if (now < collect_due(base, interval_ns, next))
		return 0;
	latest = (now - base) / interval_ns;
	if (latest < next)
		latest = next;
	*slot = latest;
	*missed = latest - next;
	return 1;
}

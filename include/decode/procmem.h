/* SPDX-License-Identifier: Apache-2.0 */
/* Process memory snapshots: pmap, pmap -x, smaps, smaps_rollup, status. */
#ifndef LEAKY_PROCMEM_H
#define LEAKY_PROCMEM_H

#include <stddef.h>
#include <stdint.h>

/* What a snapshot was decoded from, detected from its bytes. */
enum procmem_format {
	PROCMEM_PMAP,		/* pmap PID: sizes only, no header */
	PROCMEM_PMAP_X,		/* a pmap table with a header (-x, -X) */
	PROCMEM_SMAPS,		/* /proc/PID/smaps */
	PROCMEM_SMAPS_ROLLUP,	/* /proc/PID/smaps_rollup */
	PROCMEM_STATUS,		/* /proc/PID/status */
};

/*
 * The per-snapshot measures, in kB, in the order of their CSV columns
 * (out/memcsv.h). Every one is resident memory except PM_SIZE (virtual
 * size).
 */
enum procmem_measure {
	PM_SIZE,
	PM_RSS,
	PM_PSS,
	PM_DIRTY,
	PM_ANON,
	PM_FILE,
	PM_SWAP,
	PM_HEAP,
	PM_STACK,
	PM_NMEASURES
};

/* A value the format does not carry; printed as an empty field. */
#define PROCMEM_UNKNOWN (-1)

/* One mapping, as pmap or smaps listed it. */
struct procmem_mapping {
	uint64_t address;
	int64_t size_kb;	/* each PROCMEM_UNKNOWN when not given */
	int64_t rss_kb;
	int64_t dirty_kb;
	char *mode;		/* as printed: "rw---", "rw-p"; or "" */
	char *name;		/* as printed; "" for an unnamed mapping */
};

/* One process at one moment. Owned by the caller: procmem_free() it. */
struct procmem {
	enum procmem_format format;
	int64_t pid;			/* PROCMEM_UNKNOWN when not given */
	int64_t kb[PM_NMEASURES];	/* PROCMEM_UNKNOWN when not given */
	size_t nmappings;		/* 0 for smaps_rollup and status */
	struct procmem_mapping *mappings;
};

/*
 * Decodes len bytes of data (need not be NUL-terminated) in whichever of
 * the formats above they are. Returns a new snapshot the caller frees with
 * procmem_free(); or reports "NAME[:LINE]: reason" (empty, binary, HTML,
 * truncated, a process without mappings, totals that disagree with the
 * rows...) and returns NULL.
 */
struct procmem *procmem_parse(const char *name, const char *data, size_t len);
void procmem_free(struct procmem *pm);

/* "pmap", "pmap -x", "smaps", "smaps_rollup" or "status". */
const char *procmem_format_name(enum procmem_format f);

#endif

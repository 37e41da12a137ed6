/* Process memory snapshots: pmap, pmap -x, smaps, smaps_rollup, status. */
#ifndef LEAKY_PROCMEM_H
#define LEAKY_PROCMEM_H
#endif

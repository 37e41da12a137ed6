/* SPDX-License-Identifier: Apache-2.0 */
/* The -t NAME=URL[,key=value...] target spec. */
#ifndef LEAKY_COLLECT_SPEC_H
#define LEAKY_COLLECT_SPEC_H

#include "collect/collect.h"

/*
 * Parses a -t spec, NAME=URL[,pid=N][,pidfile=F][,process=COMM]
 * [,profiles=K+K...][,gc][,gc=no][,seconds=N][,interval=D][,timeout=D],
 * into t (zeroed by the caller). Returns 0, or -1 with the reason in err.
 */
int collect_parse_spec(struct collect_target *t, const char *spec,
		       char err[COLLECT_ERR]);

#endif

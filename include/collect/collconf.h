/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect's configuration files (libconfig syntax). */
#ifndef LEAKY_COLLCONF_H
#define LEAKY_COLLCONF_H

#include "collect/collect.h"

/*
 * Reads the configuration file path into conf: its settings replace
 * conf's, its targets are appended (with origin "FILE:LINE"). Unknown
 * settings, wrong types and bad values are errors. Returns 0, or -1 with
 * "FILE:LINE: reason" (or "FILE: reason") in err; conf may then hold part
 * of the file and is only fit for collect_conf_release().
 */
int collconf_load(const char *path, struct collect_conf *conf,
		  char err[COLLECT_ERR]);

#endif

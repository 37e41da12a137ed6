/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the collector's configuration parser. collconf_load reads a
 * path (libconfig has no entry point for bytes here), so the input goes to
 * one unlinked temporary file per process, rewritten for each run and read
 * through /proc/self/fd (libFuzzer's _Exit runs no atexit handler).
 */
#include "fuzz.h"
#include "collect/collconf.h"
#include "collect/settings.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];
static int fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_conf conf;
	char err[COLLECT_ERR];

	if (fd < 0) {
		char tmp[] = "/tmp/leaky-fuzz-conf.XXXXXX";

		fd = mkstemp(tmp);
		if (fd < 0)
			abort();
		unlink(tmp);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	/* ${VAR} expansion reads the environment: give it one to find. */
	setenv("LEAKY_FUZZ_TOKEN", "sesame", 0);
	collect_conf_init(&conf);
	if (collconf_load(path, &conf, err) == 0)
		collect_conf_finish(&conf, err);
	collect_conf_release(&conf);
	return 0;
}

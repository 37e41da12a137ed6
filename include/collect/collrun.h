/*
 * The collector's run: the fixed-rate schedule of every target on the
 * monotonic clock, their fetches through one scraper, process memory,
 * validation, files and manifest rows, signals, and the lines on stderr.
 */
#ifndef LEAKY_COLLRUN_H
#define LEAKY_COLLRUN_H

#include "collect/collect.h"

/*
 * Runs conf (finished by collect_conf_finish()) until its rounds or
 * duration are done, or SIGINT or SIGTERM: after a first signal no fetch
 * starts, those in flight end within their timeout and their bodies'
 * checks end too; a second one exits at once (by that signal). Bodies are
 * checked on threads of its own, joined before it returns. Returns
 * LEAKY_OK, or LEAKY_FAIL when the output could not be opened or was
 * still failing at the end (the manifest, or a kind's last sample), or
 * when fetches ended and none succeeded, however the run ended.
 */
int collrun(const struct collect_conf *conf);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's run: the fixed-rate schedule of every target on the
 * monotonic clock, their fetches through one scraper, process memory,
 * validation, files and manifest rows, signals, and the lines on stderr.
 */
#ifndef LEAKY_COLLRUN_H
#define LEAKY_COLLRUN_H

#include "collect/collect.h"

struct collect_row;

/* The run's totals so far, as its hooks see them. */
struct collrun_stats {
	int64_t rounds;		/* rounds begun (run or skipped), this run */
	int64_t skipped;	/* slots skipped, summed over targets */
	int64_t late_ns;	/* the last round's start after its due time */
};

/*
 * What a run tells an observer (the exporter of --listen), on the run's
 * own thread: each manifest row once written (row->file set when a sample
 * was kept there), and its totals once per pass of its loop. They must be
 * quick (take a lock, copy, return) and must not keep row's pointers.
 * Any of them may be NULL.
 */
struct collrun_hooks {
	void (*row)(void *data, const struct collect_row *row);
	void (*stats)(void *data, const struct collrun_stats *st);
	void *data;
	/*
	 * Discovery (NULL: none), asked once per pass of the loop and
	 * before the first round: returns 1 when the targets found differ
	 * from the last list, with the new whole list in *found (nfound
	 * targets, each finished by collect_target_finish(); the run takes
	 * the array and what it holds), else 0. Either way *say may be set
	 * to a line for stderr (the run frees it). A target found goes on
	 * while found with the same name and URL; one no longer found ends
	 * after its round in flight, with a manifest row of kind "target"
	 * ("found" as it joins, "gone" as it leaves).
	 */
	int (*found)(void *data, struct collect_target **found,
		     size_t *nfound, char **say);
	void *found_data;
};

/*
 * Runs conf (finished by collect_conf_finish()) until its rounds or
 * duration are done, or SIGINT or SIGTERM: after a first signal no fetch
 * starts, those in flight end within their timeout and their bodies'
 * checks end too; a second one exits at once (by that signal). Bodies are
 * checked on threads of its own, joined before it returns. Returns
 * LEAKY_OK, or LEAKY_FAIL when the output could not be opened or was
 * still failing at the end (the manifest, or a kind's last sample), or
 * when fetches ended and none succeeded, however the run ended. hooks
 * (may be NULL) are called as described above.
 */
int collrun(const struct collect_conf *conf,
	    const struct collrun_hooks *hooks);

#endif

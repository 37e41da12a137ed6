/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the collector says on stderr while it runs: its lines, the live
 * status line on a terminal, failures (each one once, then again only
 * after a while, and no more than a few a second) and the line of each
 * round once every target is past it.
 */
#ifndef LEAKY_COLLECT_PROGRESS_H
#define LEAKY_COLLECT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* The failures of one thing (a kind of a target, its process, its
 * schedule) across rounds. Zeroed to start; progress_fail_release(). */
struct progress_fail {
	char *last_err;		/* last failure shown, digits as '#' */
	int64_t last_shown;
	int64_t repeats;	/* same failure, not shown since */
	int64_t failures;	/* in a row */
};

/* Totals of one round (slot), printed once every target is past it. */
struct progress_round {
	int64_t slot;
	int targets, ok, skipped;
	int64_t bytes, slowest;
};

/* What the status line shows, from the run. */
struct progress_status {
	size_t busy, targets;	/* targets with fetches in flight, all */
	int64_t slot;		/* the largest slot started */
	int64_t next;		/* when the next slot is due; INT64_MAX: none */
	int stopping;
	int64_t ok, failed;	/* fetches so far */
};

/* The run's stderr. Caller-owned: progress_init(), progress_release(). */
struct progress {
	int tty;		/* stderr is a terminal: a status line */
	int quiet;		/* no line per round */
	const char *output;	/* the output directory, for messages */
	int64_t round_base;	/* rounds are numbered on from this */
	int status_shown;
	char last[160];		/* the status line drawn last */
	int64_t drawn;		/* when */
	int64_t fail_window, fail_hidden;
	int fail_lines;
	struct progress_round *rounds;	/* not yet printed, by slot */
	size_t nrounds, rounds_cap;
};

/* Starts p at monotonic time now; output is borrowed. */
void progress_init(struct progress *p, int tty, int quiet,
		   const char *output, int64_t now);
void progress_release(struct progress *p);
void progress_fail_release(struct progress_fail *f);

/* One line on stderr, "leaky collect: ...", below the status line. */
void progress_say(struct progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Takes the status line away (before the run's last lines). */
void progress_clear(struct progress *p);
/* Redraws the status line when it changed, 10 times a second at most. */
void progress_status(struct progress *p, const struct progress_status *s,
		     int64_t now);

/*
 * A failure of target's what (a kind, "process", "schedule"): one line,
 * the same failure again only after a while, at most a few lines in a
 * window of time (the others are counted and said at its end).
 */
void progress_failure(struct progress *p, struct progress_fail *f,
		      const char *target, const char *what, const char *msg,
		      int64_t now);
/* A success of target's what: says "ok again" after failures shown. */
void progress_success(struct progress *p, struct progress_fail *f,
		      const char *target, const char *what);
/* Ends the window of failure lines when it is over (or at the end). */
void progress_fail_roll(struct progress *p, int64_t now);

/* The totals of round slot, made when new. Valid until the next call. */
struct progress_round *progress_round(struct progress *p, int64_t slot);
/* Prints the rounds before slot first (every one for INT64_MAX). */
/* Returns the number of round lines printed. */
size_t progress_flush_rounds(struct progress *p, int64_t first);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leak verdicts: for each target of a dataset, robust trends of its heap,
 * goroutines, process memory and MemStats, the functions and goroutine
 * groups that keep growing, and a reconciliation of RSS against the heap.
 */
#ifndef LEAKY_REPORT_H
#define LEAKY_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dataset;

enum verdict {
	VERDICT_NODATA,		/* not enough snapshots */
	VERDICT_OK,
	VERDICT_SUSPECT,
	VERDICT_LEAK,
};

struct report_opts {
	double alpha;		/* Mann-Kendall p for a leak */
	double suspect_alpha;	/* ... for a suspect */
	double min_growth;	/* fitted growth / median level */
	double late_ratio;	/* second-half slope / whole slope */
	size_t min_snapshots;	/* per series segment */
	double min_age;		/* seconds a target must be seen; 0: any */
	size_t top;		/* suspects named per target */
	int csv_raw;		/* --csv-raw: no formula prefix on names */
	int hide_ok;		/* text: ok targets only counted (fleets) */
};

/* The documented defaults (README, leaky report --help). */
#define REPORT_ALPHA 0.01
#define REPORT_SUSPECT_ALPHA 0.05
#define REPORT_MIN_GROWTH 0.05
#define REPORT_LATE_RATIO 0.3
#define REPORT_MIN_SNAPSHOTS 6
#define REPORT_TOP 5
/* The least share of the heap's growth a leaking function must carry. */
#define REPORT_CULPRIT_SHARE 0.2
/* A function that leaks under a flat total grows by this part of the
 * heap's level at least, to make the heap a leak. */
#define REPORT_BIG_FUNCTION 0.1
/* Heap growth under this many samples of the profile's period is noise. */
#define REPORT_MIN_SAMPLES 4
/* A goroutine group's growth under this many goroutines is not evidence. */
#define REPORT_MIN_GROUP 4
/* A step's side is flat when it rises less than this part of the step. */
#define REPORT_STEP_FLAT 0.25
/* A step is one rise from a snapshot to the next of this part of it. */
#define REPORT_STEP_JUMP 0.6
/* A step is this many times each side's median absolute deviation. */
#define REPORT_STEP_NOISE 3
/* A step is one when flat since for as long as before it, or for this
 * part of the window; for less, too soon to tell it from a leak. */
#define REPORT_STEP_SHARE 0.3
/* A rise began late when at least this many snapshots came before it
 * (flat: rising under this part of the rise's slope), and as many after. */
#define REPORT_ONSET_MIN 3
#define REPORT_ONSET_FLAT 0.2
/* Functions judged per segment at most. */
#define REPORT_MAX_FUNCTIONS 100
/* Series of up to this many points are judged again without an end. */
#define REPORT_LOO_MAX 100
/* Call paths named per growing function, and the least share of its
 * growth a second or third one carries to be named. */
#define REPORT_PATHS 3
#define REPORT_PATH_SHARE 0.05

void report_opts_default(struct report_opts *o);

struct report;

/* Analyses ds (which must outlive the report). Never NULL. */
struct report *report_new(const struct dataset *ds,
			  const struct report_opts *o);
void report_free(struct report *r);
/*
 * Targets the report could not judge: not enough data (fewer snapshots
 * than min_snapshots in every series, none at all, every fetch failed),
 * not counting those too young (min_age).
 */
size_t report_unjudged(const struct report *r);
/* The worst verdict over all targets. */
enum verdict report_verdict(const struct report *r);
const char *verdict_name(enum verdict v);
/* Parses "leak", "suspect" or "never" (VERDICT_NODATA); -1 if unknown. */
int verdict_parse(const char *s, enum verdict *v);
/* The readable report; -1 on a write error. */
int report_write_text(const struct report *r, FILE *out);
/* The table of trends as CSV; -1 on a write error. */
int report_write_csv(const struct report *r, FILE *out);

/* The verdict of the dataset's target ti (the text report's "== NAME"). */
enum verdict report_target_verdict(const struct report *r, size_t ti);

/* What a judged series of a target is. */
enum report_part {
	REPORT_PART_HEAP,	/* in-use bytes, whole heap */
	REPORT_PART_GOROUTINES,
	REPORT_PART_RSS,
	REPORT_PART_ANON,
	REPORT_PART_FUNCTION,	/* id: the dataset's function id */
	REPORT_PART_GROUP,	/* id: an index of the dataset's group_info */
};

/* One series as the text report judges it, for a chart to mark. */
struct report_mark {
	enum report_part part;
	uint32_t id;		/* functions and groups */
	size_t segment;
	enum verdict v;
	double slope;		/* Theil-Sen, units a second */
	double t0, t1;		/* the segment's span, seconds */
};

/*
 * What the text report says of target ti, as data: its whole series
 * (heap, goroutines, RSS, anonymous RSS) in each segment, whatever their
 * verdict, then the growing functions and goroutine groups it names
 * (suspect or worse, where the whole grows too, steepest first, at most
 * top a segment). Returns their number and the array in *out, which the
 * caller frees (NULL when none).
 */
size_t report_marks(const struct report *r, size_t ti,
		    struct report_mark **out);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's run: schedule, fetches, process memory, files, signals. */
#include "collect/collrun.h"
#include "analyze/fetchhint.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/human.h"
#include "base/leaky.h"
#include "collect/bodycheck.h"
#include "collect/collect.h"
#include "collect/collstore.h"
#include "collect/cglimit.h"
#include "collect/fdlist.h"
#include "collect/manifest.h"
#include "collect/proctrack.h"
#include "collect/procwatch.h"
#include "collect/progress.h"
#include "collect/retention.h"
#include "collect/schedule.h"
#include "collect/scrape.h"
#include "collect/settings.h"
#include "collect/stopsig.h"
#include "collect/url.h"
#include "collect/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)
/* pmap commands running at once (their pipes are watched with curl's). */
#define MAX_PMAPS 12
/* Connections are kept from one round to the next below this interval. */
#define KEEPALIVE_BELOW (30 * NS_PER_S)
/* Largest process memory snapshot. */
#define MAX_PROCMEM ((size_t)64 << 20)

/* What is known of one kind of one target across rounds. */
struct kstate {
	char *url;		/* to fetch (http kinds) */
	char *shown_url;	/* for the manifest */
	struct progress_fail fail;
	int64_t last_time;	/* profile time_nanos, 0: none yet */
	int64_t last_alloc;	/* cumulative allocations, -1: none yet */
	int save_failing;	/* the last body that passed was not saved */
	char *save_err;		/* why, for the end */
};

/* One target: its schedule, its round in flight, its process. */
struct tstate {
	const struct collect_target *t;
	struct collect_target *own;	/* a found target's, owned; NULL */
	int gone;		/* no longer found: no new rounds */
	int64_t interval, timeout, base;
	int64_t next;		/* first slot not started */
	int done;		/* no slot left to start */
	/* the round in flight */
	int pending;		/* fetches not finished */
	int64_t slot, wall, unix_secs, started;
	int round_ok, restart_noted;
	int64_t round_bytes;
	struct proctrack pt;	/* the process */
	struct kstate k[CK_NKINDS];
	struct progress_fail proc_fail;		/* finding the process */
	struct progress_fail sched_fail;	/* skipped rounds */
	/* Its samples kept, and its first failure: a target none of whose
	 * fetches succeeded gets the usual cause said at the end. */
	int64_t nok;
	char *first_err;
	/* pmap */
	struct procwatch_cmd pmap;
	int pmap_state;		/* 0 idle, 1 queued, 2 running */
	int64_t pmap_deadline;
	int64_t pmap_started;
	struct buf pmap_out;
};

/*
 * Why a fetch ends without a sample, where the run must tell the causes
 * apart: a failure of the fetch itself is counted and said on stderr; a
 * fetch the collector's stop dropped is neither (the user asked for it);
 * the fetches of a process not found are said once, as the process's
 * failure, by the caller.
 */
enum fail_cause {
	CAUSE_FETCH,
	CAUSE_STOPPING,
	CAUSE_NO_PROCESS,
};

/* One fetch in flight; the scraper's ctx. */
struct fetch {
	struct tstate *ts;
	enum collect_kind kind;
};

struct run {
	const struct collect_conf *conf;
	struct collrun_hooks hooks;
	struct collstore *store;
	struct scrape *scrape;
	struct bodycheck checker;
	struct progress ui;
	struct tstate **ts;	/* the targets: given, then found */
	size_t nts, ts_cap;
	int64_t t0, end;
	/* The manifest's last round before this run: rounds go on from it. */
	int64_t round_base;
	int stopping;
	int started;		/* past the targets found at the start */
	char *pmap_path;
	struct buf scratch;
	/* per-iteration cache of /proc/net/tcp{,6} and their owners */
	struct proctrack_scan scan;
	/* targets waiting for a pmap slot, in order */
	struct tstate **pmap_queue;
	size_t pmap_queued, pmap_cap, pmaps_running;
	/* totals */
	/* failed: the manifest's failed rows but those the stop cut
	 * short (stopped), so that the closing line agrees with it */
	int64_t ok, failed, stopped, skipped, restarts, rounds_done;
	int save_failing;	/* the last file could not be saved */
	int row_failing;	/* the last manifest row could not be */
	int64_t rows_lost;	/* manifest rows not written, this run */
	int64_t late_max, late_sum, late_n, late_last;
	int64_t synced;		/* when collstore_sync() last ran */
	/* --keep, --max-size: NULL when neither is given */
	struct retention *keep;
	int64_t removed_files, removed_bytes;
	int said_removal, said_over;
};

/* The run's lines on stderr go below its status line (progress.c). */
#define say(r, ...) progress_say(&(r)->ui, __VA_ARGS__)

/* ---- stderr -------------------------------------------------------- */

static void report_failure(struct run *r, struct tstate *ts,
			   struct progress_fail *f, const char *what,
			   const char *msg)
{
	progress_failure(&r->ui, f, ts->t->name, what, msg, clock_mono_ns());
}

/* Prints the rounds every target is past (all of them when all). */
/* Rounds a minute or more apart: when the next one is, after a round's
 * line, so that a quiet terminal does not look stuck. */
#define NEXT_ROUND_SAID (60 * NS_PER_S)

static void say_next_round(struct run *r)
{
	int64_t due = INT64_MAX, now = clock_mono_ns(), wait;
	char when[CLOCK_TEXT_MAX], in[DURATION_TEXT_MAX];
	size_t i;

	for (i = 0; i < r->nts; i++) {
		const struct tstate *ts = r->ts[i];
		int64_t d;

		if (ts->done || ts->interval < NEXT_ROUND_SAID)
			continue;
		d = collect_due(ts->base, ts->interval, ts->next);
		if (d < due)
			due = d;
	}
	if (due == INT64_MAX)
		return;
	wait = due > now ? due - now : 0;
	clock_format(when, (clock_real_ns() + wait) / NS_PER_S, 0,
		     CLOCK_DATETIME);
	say(r, "next round at %s UTC (in %s)", when,
	    duration_format(wait / NS_PER_S * NS_PER_S, in));
}

static void flush_rounds(struct run *r, int all)
{
	int64_t first = INT64_MAX;
	size_t i;

	for (i = 0; i < r->nts && !all; i++) {
		const struct tstate *ts = r->ts[i];
		int64_t open = ts->pending ? ts->slot : ts->next;

		if (ts->done && !ts->pending)
			continue;
		if (open < first)
			first = open;
	}
	if (progress_flush_rounds(&r->ui, first) && !all)
		say_next_round(r);
}

/* The live line on a terminal. */
static void status_line(struct run *r, int64_t now)
{
	struct progress_status st = { 0 };
	size_t i;

	st.next = INT64_MAX;
	for (i = 0; i < r->nts; i++) {
		struct tstate *ts = r->ts[i];
		int64_t due;

		st.busy += ts->pending > 0;
		if (ts->next > st.slot)
			st.slot = ts->next;
		if (ts->done)
			continue;
		due = collect_due(ts->base, ts->interval, ts->next);
		if (due < st.next)
			st.next = due;
	}
	st.targets = r->nts;
	st.stopping = r->stopping;
	st.ok = r->ok;
	st.failed = r->failed;
	progress_status(&r->ui, &st, now);
}

/* ---- manifest rows ------------------------------------------------- */

static void store_notice(struct run *r)
{
	const char *n = collstore_notice(r->store);

	if (n)
		say(r, "%s", n);
}

/*
 * Returns 0, or -1 when the row could not be written (said once a run).
 * Once: on a full disk or at a file size limit rows of a few bytes less
 * (a shorter duration, a skipped round) still fit in what the longer one
 * left, so failures and successes alternate, and a line for each turn
 * would say nothing new. The count of lost rows is given at the end.
 */
static int put_row(struct run *r, struct collect_row *row)
{
	char err[COLLECT_ERR];
	int rc = collstore_row(r->store, row, err);

	store_notice(r);
	if (rc < 0 && !r->rows_lost++)
		say(r, "cannot write the manifest: %s (samples it cannot list "
		    "are not kept; trying again with the next row)", err);
	r->row_failing = rc < 0;
	if (!rc && r->hooks.row)
		r->hooks.row(r->hooks.data, row);
	return rc;
}

static void init_row(const struct run *r, struct collect_row *row,
		     const struct tstate *ts, const char *kind)
{
	memset(row, 0, sizeof(*row));
	row->time_ns = ts->wall;
	row->round = r->round_base + ts->slot + 1;
	row->target = ts->t->name;
	row->kind = kind;
	row->bytes = -1;
	row->duration_ns = -1;
	row->pid = ts->pt.pid;
	row->labels = ts->t->labels;
}

static void note_restart(struct run *r, struct tstate *ts, const char *why)
{
	struct collect_row row;
	int k;

	if (ts->restart_noted)
		return;
	ts->restart_noted = 1;
	r->restarts++;
	/* The new process's profiles are not compared with the old one's. */
	for (k = 0; k < CK_NKINDS; k++) {
		ts->k[k].last_time = 0;
		ts->k[k].last_alloc = -1;
	}
	init_row(r, &row, ts, "restart");
	row.result = "restart";
	row.url = ts->t->url;
	row.error = why;
	put_row(r, &row);
	say(r, "%s: target restarted: %s", ts->t->name, why);
}

/* ---- retention ----------------------------------------------------- */

static void retention_remove(void *ctx, const char *rel)
{
	struct run *r = ctx;

	collstore_discard(r->store, rel);
}

/* The labels of the target named name, or NULL when it is gone. */
static const char *labels_of(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nts; i++)
		if (!strcmp(r->ts[i]->t->name, name))
			return r->ts[i]->t->labels;
	return NULL;
}

/* "older than 7d (--keep)", "over 5.0 GB (--max-size)", or both. */
static void retention_why(const struct run *r, unsigned why,
			  char out[COLLECT_ERR])
{
	char k[DURATION_TEXT_MAX], m[32], age[64] = "", size[64] = "";

	if (why & RETENTION_AGE)
		snprintf(age, sizeof(age), "older than %s (--keep)",
			 duration_format(r->conf->keep_ns, k));
	if (why & RETENTION_SIZE)
		snprintf(size, sizeof(size), "the collection over %s "
			 "(--max-size)", human_size(m, sizeof(m),
			 (double)r->conf->max_size, &human_iec));
	snprintf(out, COLLECT_ERR, "%s%s%s", age, *age && *size ? ", " : "",
		 size);
}

/*
 * Removes what --keep and --max-size say must go, after ts's round: a
 * manifest row of kind "retention" per target whose files went (their
 * number, bytes, and the seconds of the oldest and newest), and a line
 * on stderr the first time only: at long intervals each round removes
 * one, and the manifest has them all.
 */
static void apply_retention(struct run *r, const struct tstate *ts)
{
	struct retention_group *g;
	size_t n, i;
	int over;
	char why[COLLECT_ERR], err[COLLECT_ERR + 128], a[CLOCK_TEXT_MAX],
	     b[CLOCK_TEXT_MAX + 4], sz[32];

	if (!r->keep)
		return;
	retention_prune(r->keep, clock_real_ns() / NS_PER_S,
			retention_remove, r, &g, &n, &over);
	for (i = 0; i < n; i++) {
		struct collect_row row;

		retention_why(r, g[i].why, why);
		clock_format(a, g[i].first, 0, CLOCK_RFC3339);
		b[0] = '\0';
		if (g[i].last != g[i].first) {
			strcpy(b, " to ");
			clock_format(b + 4, g[i].last, 0, CLOCK_RFC3339);
		}
		snprintf(err, sizeof(err), "%zu file%s of %s%s: %s",
			 g[i].files, g[i].files == 1 ? "" : "s", a, b, why);
		init_row(r, &row, ts, "retention");
		row.target = g[i].target;
		row.pid = 0;
		row.labels = labels_of(r, g[i].target);
		row.result = "removed";
		row.bytes = g[i].bytes;
		row.error = err;
		put_row(r, &row);
		r->removed_files += (int64_t)g[i].files;
		r->removed_bytes += g[i].bytes;
		if (!r->said_removal) {
			r->said_removal = 1;
			say(r, "%s: removed %zu file%s (%s) of %s%s: %s; later "
			    "removals are manifest rows of kind retention",
			    g[i].target, g[i].files, g[i].files == 1 ? "" : "s",
			    human_size(sz, sizeof(sz), (double)g[i].bytes,
				       &human_iec), a, b, why);
		}
	}
	if (over && !r->said_over) {
		r->said_over = 1;
		human_size(sz, sizeof(sz), (double)retention_total(r->keep),
			   &human_iec);
		human_size(b, sizeof(b), (double)r->conf->max_size,
			   &human_iec);
		say(r, "the collection is over --max-size %s with the last "
		    "round's files alone (%s): they are kept", b, sz);
	}
	retention_groups_free(g, n);
}

/* Lists the files a collection has when the run starts. */
static void retention_list(void *ctx, const char *rel, int64_t size)
{
	retention_add(ctx, rel, size);
}

/* ---- rounds of one target ------------------------------------------ */

static void round_done(struct run *r, struct tstate *ts)
{
	struct progress_round *rs = progress_round(&r->ui, ts->slot);
	int64_t took = clock_mono_ns() - ts->started;

	rs->targets++;
	rs->ok += ts->round_ok;
	rs->bytes += ts->round_bytes;
	if (took > rs->slowest)
		rs->slowest = took;
	apply_retention(r, ts);
}

static void fetch_done(struct run *r, struct tstate *ts)
{
	if (--ts->pending == 0)
		round_done(r, ts);
}

/*
 * Restarts the samples show, which also catches those of targets whose
 * process the collector cannot see (remote ones, another user's): a
 * process's profile time only goes forward, and its cumulative
 * allocations (alloc_space, MemStats TotalAlloc) only grow. Either going
 * back means a new process answers, whose profiles must not be compared
 * with the old one's (note_restart() forgets both marks).
 */
static void restart_in_sample(struct run *r, struct tstate *ts,
			      enum collect_kind k,
			      const struct collect_body_info *info)
{
	struct kstate *ks = &ts->k[k];
	char why[COLLECT_ERR];

	if (info->has_time && ks->last_time &&
	    info->time_nanos < ks->last_time) {
		snprintf(why, sizeof(why), "%s profile time went back by "
			 "%.3fs", collect_kinds[k].name,
			 (double)(ks->last_time - info->time_nanos) / NS_PER_S);
		note_restart(r, ts, why);
	}
	if (info->has_alloc && ks->last_alloc >= 0 &&
	    info->alloc_total < ks->last_alloc) {
		snprintf(why, sizeof(why), "%s: cumulative allocations went "
			 "down from %" PRId64 " to %" PRId64 " bytes",
			 collect_kinds[k].name, ks->last_alloc,
			 info->alloc_total);
		note_restart(r, ts, why);
	}
}

/*
 * Saves a body that passed its check: NULL with *rel its file, or the
 * reason it could not be saved (in why).
 */
static const char *save_sample(struct run *r, struct tstate *ts,
			       enum collect_kind k, const uint8_t *data,
			       size_t len, char **rel,
			       char why[COLLECT_ERR + 64])
{
	struct kstate *ks = &ts->k[k];
	char err[COLLECT_ERR];

	ks->save_failing = collstore_save(r->store, ts->t->name,
					  ts->unix_secs, k, data, len,
					  rel, err) < 0;
	r->save_failing = ks->save_failing;
	store_notice(r);
	if (!ks->save_failing)
		return NULL;
	snprintf(why, COLLECT_ERR + 64, "cannot save: %s", err);
	free(ks->save_err);
	ks->save_err = xstrdup(err);
	return why;
}

/*
 * Records how one fetch ended, once its body was checked (fail NULL) or
 * not (fail the reason): saves an ok body, writes the manifest row,
 * reports a failure, then ends the fetch for its round. info is NULL
 * when fail is set. data may be NULL with fail set. data[0..len) is what
 * is saved (gzipped, for the kinds kept so); fetched, the body's size as
 * fetched, for the manifest.
 */
static void record(struct run *r, struct tstate *ts, enum collect_kind k,
		   const char *fail, long status, const uint8_t *data,
		   size_t len, size_t fetched, int64_t took,
		   enum fail_cause cause, const struct collect_body_info *info)
{
	struct kstate *ks = &ts->k[k];
	struct collect_row row;
	char err[COLLECT_ERR], why[COLLECT_ERR + 64];
	char *rel = NULL;

	init_row(r, &row, ts, collect_kinds[k].name);
	row.url = ks->shown_url;
	row.status = status;
	row.bytes = data || status ? (int64_t)fetched : -1;
	row.duration_ns = took;
	if (!fail && k == CK_PMAP && info->pid > 0 && info->pid != ts->pt.pid) {
		snprintf(err, sizeof(err), "pmap described process %" PRId64
			 ", not %" PRId64, info->pid, ts->pt.pid);
		fail = err;
	}
	if (!fail)
		restart_in_sample(r, ts, k, info);
	if (!fail)
		fail = save_sample(r, ts, k, data, len, &rel, why);
	if (fail) {
		row.result = "failed";
		row.error = fail;
		ts->round_ok = 0;
		if (cause == CAUSE_STOPPING)
			r->stopped++;
		else
			r->failed++;
		if (cause != CAUSE_STOPPING && !ts->first_err)
			ts->first_err = xstrdup(fail);
		if (cause == CAUSE_FETCH)
			report_failure(r, ts, &ks->fail, collect_kinds[k].name,
				       fail);
	} else {
		row.result = "ok";
		row.file = rel;
		row.file_bytes = (int64_t)len;
		ts->round_bytes += (int64_t)len;
		r->ok++;
		ts->nok++;
		if (info->has_time)
			ks->last_time = info->time_nanos;
		if (info->has_alloc)
			ks->last_alloc = info->alloc_total;
		progress_success(&r->ui, &ks->fail, ts->t->name,
				 collect_kinds[k].name);
	}
	/* The manifest is the index of what was kept: a sample it cannot
	 * list goes (and gives back its space to a full disk). */
	if (put_row(r, &row) < 0 && row.file) {
		collstore_discard(r->store, row.file);
		r->ok--;
		r->failed++;
		ts->round_ok = 0;
		ts->round_bytes -= (int64_t)len;
	} else if (row.file && r->keep) {
		retention_add(r->keep, row.file, (int64_t)len);
	}
	free(rel);
	fetch_done(r, ts);
}

/* ---- checks off the loop ------------------------------------------- */

/* Records the checks that are done. */
static void checks_collect(struct run *r)
{
	struct bodycheck_job *done, *next;

	for (done = bodycheck_take(&r->checker); done; done = next) {
		int64_t took = done->took;

		next = done->next;
		/* The row's time is the sample's: the fetch and its check,
		 * with the wait for a free checker. */
		if (took >= 0)
			took += clock_mono_ns() - done->handed;
		record(r, done->ctx, done->kind, done->rc < 0 ? done->err :
		       NULL, done->status, done->body.data, done->body.len,
		       done->fetched, took, CAUSE_FETCH, &done->info);
		buf_release(&done->body);
		free(done);
	}
}

/*
 * Records how one fetch ended (its round's pending count included it):
 * a failure at once; a body (taken from *body, which is left empty) once
 * checked, on a checker thread when there is one. body may be NULL with
 * fail set.
 */
static void conclude(struct run *r, struct tstate *ts, enum collect_kind k,
		     const char *fail, long status, struct buf *body,
		     int64_t took, enum fail_cause cause)
{
	struct bodycheck_job *job;

	if (fail) {
		record(r, ts, k, fail, status, body ? body->data : NULL,
		       body ? body->len : 0, body ? body->len : 0, took, cause,
		       NULL);
		if (body)
			body->len = 0;
		return;
	}
	job = xcalloc(1, sizeof(*job));
	job->ctx = ts;
	job->kind = k;
	job->status = status;
	job->body = *body;
	buf_init(body);
	job->max_inflated = r->conf->max_inflated;
	job->took = took;
	job->handed = clock_mono_ns();
	if (bodycheck_hand(&r->checker, job))
		checks_collect(r);
}

/* Finds this round's process; notes a restart; sets ts->pt. */
static void resolve_process(struct run *r, struct tstate *ts)
{
	const struct collect_target *t = ts->t;
	enum proctrack_change change;
	char why[COLLECT_ERR];
	size_t ambiguous;

	change = proctrack_find(&r->scan, &ts->pt, t, &ambiguous, why);
	if (ambiguous)
		say(r, "%s: %zu processes named '%s': measuring the "
		    "oldest, %" PRId64 " (give pid= or pidfile= to choose)",
		    t->name, ambiguous, t->process, ts->pt.oldest);
	if (change != PROCTRACK_SAME)
		note_restart(r, ts, why);
}

static void pmap_start(struct run *r, struct tstate *ts)
{
	char pidstr[24], err[COLLECT_ERR];
	char *argv[4];

	snprintf(pidstr, sizeof(pidstr), "%" PRId64, ts->pt.pid);
	argv[0] = r->pmap_path;
	argv[1] = "-x";
	argv[2] = pidstr;
	argv[3] = NULL;
	ts->pmap_out.len = 0;
	ts->pmap_started = clock_mono_ns();
	if (procwatch_spawn(&ts->pmap, argv, err) < 0) {
		ts->pmap_state = 0;
		conclude(r, ts, CK_PMAP, err, 0, NULL, 0, CAUSE_FETCH);
		return;
	}
	ts->pmap_state = 2;
	ts->pmap_deadline = ts->pmap_started + ts->timeout;
	r->pmaps_running++;
}

static void pmap_queue_next(struct run *r)
{
	while (r->pmap_queued && r->pmaps_running < MAX_PMAPS) {
		struct tstate *ts = r->pmap_queue[0];

		r->pmap_queued--;
		memmove(r->pmap_queue, r->pmap_queue + 1,
			r->pmap_queued * sizeof(*r->pmap_queue));
		pmap_start(r, ts);
	}
}

/* Ends a running pmap: eof, an error (err) or a timeout (kill). */
static void pmap_end(struct run *r, struct tstate *ts, const char *err,
		     int kill_it)
{
	int64_t took = clock_mono_ns() - ts->pmap_started;
	char why[COLLECT_ERR];
	uint64_t start;
	int status;

	status = procwatch_cmd_finish(&ts->pmap, kill_it);
	ts->pmap_state = 0;
	r->pmaps_running--;
	if (!err && (procwatch_start_time(ts->pt.pid, &start) < 0 ||
		     start != ts->pt.start)) {
		snprintf(why, sizeof(why), "process %" PRId64 " ended while "
			 "pmap ran", ts->pt.pid);
		err = why;
	} else if (!err && ts->pmap_out.len > 1 &&
		   memchr(ts->pmap_out.data, '\n', ts->pmap_out.len - 1) &&
		   !(WIFEXITED(status) && !WEXITSTATUS(status))) {
		snprintf(why, sizeof(why), "pmap failed (status %d)", status);
		err = why;
	}
	conclude(r, ts, CK_PMAP, err, 0, &ts->pmap_out, took, CAUSE_FETCH);
	pmap_queue_next(r);
}

static void pmap_poll(struct run *r, struct tstate *ts, int64_t now)
{
	char err[COLLECT_ERR], dur[32];
	int rc;

	if (ts->pmap_state != 2)
		return;
	rc = procwatch_cmd_read(&ts->pmap, &ts->pmap_out, MAX_PROCMEM, err);
	if (rc == 1) {
		pmap_end(r, ts, NULL, 0);
	} else if (rc < 0) {
		pmap_end(r, ts, err, 1);
	} else if (now >= ts->pmap_deadline) {
		snprintf(err, sizeof(err), "pmap timed out after %s",
			 duration_format(ts->timeout, dur));
		pmap_end(r, ts, err, 1);
	}
}

/* smaps_rollup, status, the descriptors (fds) or limits, read at once. */
static void read_proc_file(struct run *r, struct tstate *ts,
			   enum collect_kind k)
{
	char err[COLLECT_ERR];
	int64_t t0 = clock_mono_ns();
	uint64_t start;
	int rc;

	ts->pending++;
	if (k == CK_FDS)
		rc = fdlist_read(ts->pt.pid, &r->scratch, err);
	else if (k == CK_LIMITS)
		rc = cglimit_read(ts->pt.pid, &r->scratch, err);
	else
		rc = procwatch_read(ts->pt.pid, collect_kinds[k].name,
				    &r->scratch, MAX_PROCMEM, err);
	if (rc < 0) {
		conclude(r, ts, k, err, 0, NULL, clock_mono_ns() - t0,
			 CAUSE_FETCH);
		return;
	}
	if (procwatch_start_time(ts->pt.pid, &start) < 0 ||
	    start != ts->pt.start) {
		snprintf(err, sizeof(err), "process %" PRId64 " ended while "
			 "read", ts->pt.pid);
		conclude(r, ts, k, err, 0, NULL, clock_mono_ns() - t0,
			 CAUSE_FETCH);
		return;
	}
	conclude(r, ts, k, NULL, 0, &r->scratch, clock_mono_ns() - t0,
		 CAUSE_FETCH);
}

static void set_proc_urls(struct tstate *ts)
{
	static const enum collect_kind mem[] = {
		CK_PMAP, CK_SMAPS_ROLLUP, CK_STATUS, CK_FDS, CK_LIMITS,
	};
	char buf[96];
	size_t i;

	for (i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		enum collect_kind k = mem[i];

		if (!ts->pt.pid)
			snprintf(buf, sizeof(buf), "%s", k == CK_PMAP ?
				 "pmap -x" : collect_kinds[k].name);
		else if (k == CK_PMAP)
			snprintf(buf, sizeof(buf), "pmap -x %" PRId64,
				 ts->pt.pid);
		else
			snprintf(buf, sizeof(buf), "/proc/%" PRId64 "/%s",
				 ts->pt.pid, k == CK_FDS ? "fd" :
				 k == CK_LIMITS ? "cgroup" :
				 collect_kinds[k].name);
		free(ts->k[k].shown_url);
		ts->k[k].shown_url = xstrdup(buf);
	}
}

/* Queues the HTTP fetches of kinds. */
static void start_http(struct run *r, struct tstate *ts, unsigned kinds)
{
	const struct collect_target *t = ts->t;
	int k;

	for (k = 0; k < CK_NKINDS; k++) {
		struct scrape_req req = { 0 };
		struct fetch *f;

		if (!(kinds & CK_BIT(k)) || !CK_IS_HTTP(k))
			continue;
		f = xmalloc(sizeof(*f));
		f->ts = ts;
		f->kind = (enum collect_kind)k;
		req.url = ts->k[k].url;
		req.unix_socket = t->unix_socket;
		req.headers = t->headers;
		req.nheaders = t->nheaders;
		req.timeout_ns = ts->timeout;
		if (t->seconds && collect_kinds[k].takes_seconds)
			req.timeout_ns += t->seconds * NS_PER_S;
		req.max_body = r->conf->max_body;
		req.insecure = t->insecure;
		/* Idle connections would sit in the target as goroutines
		 * between rounds: keep them only for short intervals. */
		req.fresh = ts->interval >= KEEPALIVE_BELOW;
		/* $http_proxy is for remote targets, not this machine. */
		req.direct = t->local;
		req.ca_file = t->ca_file;
		req.ctx = f;
		ts->pending++;
		scrape_add(r->scrape, &req);
	}
}

/*
 * Starts the process memory kinds: each one fails at once without a
 * process (one failure line, the process's), else smaps_rollup,
 * status, fds and limits are read now and pmap waits for a slot.
 */
static void start_memory(struct run *r, struct tstate *ts, unsigned kinds)
{
	int k;

	set_proc_urls(ts);
	if (!ts->pt.pid) {
		for (k = CK_PMAP; k < CK_NKINDS; k++)
			if (kinds & CK_BIT(k)) {
				ts->pending++;
				conclude(r, ts, (enum collect_kind)k,
					 ts->pt.err, 0, NULL, -1,
					 CAUSE_NO_PROCESS);
			}
		report_failure(r, ts, &ts->proc_fail, "process", ts->pt.err);
		return;
	}
	progress_success(&r->ui, &ts->proc_fail, ts->t->name, "process");
	if (kinds & CK_BIT(CK_SMAPS_ROLLUP))
		read_proc_file(r, ts, CK_SMAPS_ROLLUP);
	if (kinds & CK_BIT(CK_STATUS))
		read_proc_file(r, ts, CK_STATUS);
	if (kinds & CK_BIT(CK_FDS))
		read_proc_file(r, ts, CK_FDS);
	if (kinds & CK_BIT(CK_LIMITS))
		read_proc_file(r, ts, CK_LIMITS);
	if (kinds & CK_BIT(CK_PMAP)) {
		ts->pending++;
		ts->pmap_state = 1;
		r->pmap_queue = xgrow(r->pmap_queue, &r->pmap_cap,
				      r->pmap_queued + 1,
				      sizeof(*r->pmap_queue));
		r->pmap_queue[r->pmap_queued++] = ts;
		pmap_queue_next(r);
	}
}

static void start_round(struct run *r, struct tstate *ts, int64_t slot,
			int64_t now)
{
	const struct collect_target *t = ts->t;
	unsigned kinds = t->kinds;

	ts->slot = slot;
	ts->started = now;
	ts->wall = clock_real_ns();
	ts->unix_secs = ts->wall / NS_PER_S;
	ts->round_ok = 1;
	ts->round_bytes = 0;
	ts->restart_noted = 0;
	/*
	 * Held until every fetch is issued: a fetch that fails at once
	 * (no process, a pmap that cannot start) must not end the round
	 * while the others are still being started.
	 */
	ts->pending = 1;
	/* Every round, so that a restart is noted before its samples. */
	if ((kinds & CK_MEMORY) || t->pid || t->pidfile || t->process ||
	    t->local)
		resolve_process(r, ts);
	if (!r->pmap_path)
		kinds &= ~CK_BIT(CK_PMAP);
	start_http(r, ts, kinds);
	if (kinds & CK_MEMORY)
		start_memory(r, ts, kinds);
	fetch_done(r, ts);
}

/*
 * Records slots that went by unrun, from first for n slots: one row for
 * them all, so that a collector stopped for a day (SIGSTOP, a laptop
 * asleep) writes one line, not one per missed slot, and the gap is still
 * in the manifest for whoever reads the series.
 */
static void note_skipped(struct run *r, struct tstate *ts, int64_t first,
			 int64_t n, const char *why)
{
	struct collect_row row;
	char msg[COLLECT_ERR];
	int64_t saved_slot = ts->slot, saved_wall = ts->wall;
	int64_t saved_pid = ts->pt.pid;

	ts->slot = first;
	ts->wall = clock_real_ns();
	ts->pt.pid = 0;
	init_row(r, &row, ts, "round");
	row.result = "skipped";
	row.url = ts->t->url;
	if (n == 1)
		snprintf(msg, sizeof(msg), "round %" PRId64 " skipped: %s",
			 r->round_base + first + 1, why);
	else
		snprintf(msg, sizeof(msg), "rounds %" PRId64 "-%" PRId64
			 " skipped: %s", r->round_base + first + 1,
			 r->round_base + first + n, why);
	row.error = msg;
	put_row(r, &row);
	report_failure(r, ts, &ts->sched_fail, "schedule", msg);
	ts->slot = saved_slot;
	ts->wall = saved_wall;
	ts->pt.pid = saved_pid;
	r->skipped += n;
}

static int64_t slots_limit(const struct run *r, const struct tstate *ts)
{
	int64_t n = r->conf->rounds ? r->conf->rounds : INT64_MAX;

	if (r->end) {
		/* Slots due before the end. */
		int64_t before = r->end > ts->base ?
			(r->end - ts->base + ts->interval - 1) / ts->interval :
			0;

		if (before < n)
			n = before;
	}
	return n;
}

/* Slot slot of ts is skipped: its row, and its place in the round. */
static void skip_slot(struct run *r, struct tstate *ts, int64_t slot,
		      const char *why)
{
	note_skipped(r, ts, slot, 1, why);
	progress_round(&r->ui, slot)->skipped++;
	progress_round(&r->ui, slot)->targets++;
}

static void start_due(struct run *r, int64_t now)
{
	size_t i, started = 0;

	for (i = 0; i < r->nts; i++) {
		struct tstate *ts = r->ts[i];
		int64_t limit = slots_limit(r, ts), slot, missed, late;
		char why[128], a[32];

		/*
		 * A signal that came meanwhile starts nothing more. Once this
		 * pass has started some targets' rounds, the others due with
		 * them are recorded as skipped (below), so that the manifest
		 * still has a row of every target for a round it has begun.
		 * Before the first start the round has not begun for anyone:
		 * the run ends between rounds, and no row is owed.
		 */
		if (stopsig_seen() && !started)
			return;
		if (ts->done)
			continue;
		if (ts->next >= limit) {
			ts->done = 1;
			continue;
		}
		if (!collect_sched_step(ts->base, ts->interval, ts->next, now,
					&slot, &missed))
			continue;
		if (slot >= limit) {
			missed -= slot - (limit - 1);
			slot = limit - 1;
		}
		if (missed > 0) {
			snprintf(why, sizeof(why), "the collector was %s late "
				 "(stopped or overloaded)",
				 duration_format(now - collect_due(
					ts->base, ts->interval, ts->next), a));
			note_skipped(r, ts, ts->next, missed, why);
		}
		ts->next = slot + 1;
		if (ts->pending) {
			snprintf(why, sizeof(why), "round %" PRId64 " still "
				 "running after %s",
				 r->round_base + ts->slot + 1,
				 duration_format(now - ts->started,
							 a));
			skip_slot(r, ts, slot, why);
			continue;
		}
		if (stopsig_seen()) {
			skip_slot(r, ts, slot, "a signal came as it fell due");
			continue;
		}
		late = now - collect_due(ts->base, ts->interval, slot);
		if (late > r->late_max)
			r->late_max = late;
		r->late_sum += late;
		r->late_n++;
		r->late_last = late;
		start_round(r, ts, slot, now);
		started++;
	}
}

/* ---- targets ------------------------------------------------------ */

/*
 * t joins the run at monotonic time now: its state, and its schedule
 * from the run's start (its slots are the collector's rounds), from the
 * first slot not yet due.
 */
static struct tstate *add_target(struct run *r, const struct collect_target *t,
				 int64_t now)
{
	const struct collect_conf *conf = r->conf;
	struct tstate *ts = xcalloc(1, sizeof(*ts));
	int k;

	ts->t = t;
	ts->interval = collect_target_interval(conf, t);
	ts->timeout = collect_target_timeout(conf, t);
	ts->base = r->t0 + collect_offset(t->name, ts->interval,
					  collect_spreads(conf));
	if (now > ts->base)
		ts->next = (now - ts->base + ts->interval - 1) / ts->interval;
	ts->pmap.fd = -1;
	ts->pmap.pid = -1;
	buf_init(&ts->pmap_out);
	for (k = 0; k < CK_NKINDS; k++) {
		ts->k[k].last_alloc = -1;
		if (!CK_IS_HTTP(k) || !(t->kinds & CK_BIT(k)))
			continue;
		ts->k[k].url = collect_kind_url(t, (enum collect_kind)k);
		if (t->unix_socket) {
			size_t n = strlen(t->unix_socket) +
				   strlen(ts->k[k].url) + 8;

			ts->k[k].shown_url = xmalloc(n);
			snprintf(ts->k[k].shown_url, n, "unix:%s:%s",
				 t->unix_socket, ts->k[k].url);
		} else {
			ts->k[k].shown_url = xstrdup(ts->k[k].url);
		}
	}
	if (r->nts == r->ts_cap) {
		r->ts_cap = r->ts_cap ? 2 * r->ts_cap : 16;
		r->ts = xrealloc(r->ts, r->ts_cap * sizeof(*r->ts));
	}
	r->ts[r->nts++] = ts;
	return ts;
}

static void free_target(struct tstate *ts)
{
	int k;

	if (ts->pmap_state == 2)
		procwatch_cmd_finish(&ts->pmap, 1);
	buf_release(&ts->pmap_out);
	free(ts->first_err);
	for (k = 0; k < CK_NKINDS; k++) {
		free(ts->k[k].url);
		free(ts->k[k].shown_url);
		progress_fail_release(&ts->k[k].fail);
		free(ts->k[k].save_err);
	}
	progress_fail_release(&ts->proc_fail);
	progress_fail_release(&ts->sched_fail);
	if (ts->own) {
		collect_target_release(ts->own);
		free(ts->own);
	}
	free(ts);
}

static void free_targets(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nts; i++)
		free_target(r->ts[i]);
	free(r->ts);
}

/* ---- targets found as the run goes --------------------------------- */

/* A found target's row: "found" as it joins, "gone" as it leaves. */
static void found_row(struct run *r, struct tstate *ts, const char *result,
		      int64_t slot)
{
	struct collect_row row;
	int64_t saved_slot = ts->slot, saved_wall = ts->wall;

	ts->slot = slot;
	ts->wall = clock_real_ns();
	init_row(r, &row, ts, "target");
	row.result = result;
	row.url = ts->t->url;
	row.error = ts->t->origin;
	put_row(r, &row);
	ts->slot = saved_slot;
	ts->wall = saved_wall;
}

static void target_gone(struct run *r, struct tstate *ts)
{
	ts->gone = 1;
	ts->done = 1;
	found_row(r, ts, "gone", ts->next ? ts->next - 1 : 0);
	say(r, "%s: no longer found (%s): its rounds end", ts->t->name,
	    ts->t->origin);
}

/* Whether ts samples what f is: the same name and URL. */
static int same_target(const struct tstate *ts, const struct collect_target *f)
{
	return !ts->gone && !strcmp(ts->t->name, f->name) &&
	       !strcmp(ts->t->url, f->url);
}

/*
 * The list discovery found now (found[0..n-1], taken): the targets found
 * before and not now leave, those new join; the others go on untouched.
 */
static void take_found(struct run *r, struct collect_target *found, size_t n,
		       int64_t now)
{
	size_t i, j, before = r->nts;

	for (i = 0; i < before; i++) {
		struct tstate *ts = r->ts[i];

		if (!ts->own || ts->gone)
			continue;
		for (j = 0; j < n && !same_target(ts, &found[j]); j++)
			;
		if (j == n)
			target_gone(r, ts);
	}
	for (j = 0; j < n; j++) {
		struct collect_target *own;
		struct tstate *ts;

		for (i = 0; i < before && !same_target(r->ts[i], &found[j]);
		     i++)
			;
		if (i < before) {
			collect_target_release(&found[j]);
			continue;
		}
		own = xmalloc(sizeof(*own));
		*own = found[j];
		ts = add_target(r, own, now);
		ts->own = own;
		found_row(r, ts, "found", ts->next);
		if (r->started)
			say(r, "%s: found (%s), sampled from round %" PRId64,
			    ts->t->name, ts->t->origin,
			    r->round_base + ts->next + 1);
	}
	free(found);
}

/*
 * Targets gone and done with (no fetch of theirs in flight, no pmap
 * queued) are let go, so that a fleet whose instances come and go does
 * not grow the run.
 */
static void reap_gone(struct run *r)
{
	size_t i, kept = 0;

	for (i = 0; i < r->nts; i++) {
		struct tstate *ts = r->ts[i];

		if (ts->gone && !ts->pending && !ts->pmap_state)
			free_target(ts);
		else
			r->ts[kept++] = ts;
	}
	r->nts = kept;
}

/* Asks discovery for news: a new list, a line to say. */
static void discover(struct run *r, int64_t now)
{
	struct collect_target *found = NULL;
	size_t n = 0;
	char *line = NULL;
	int changed;

	if (!r->hooks.found)
		return;
	changed = r->hooks.found(r->hooks.found_data, &found, &n, &line);
	if (line) {
		say(r, "%s", line);
		free(line);
	}
	if (changed && !r->stopping) {
		take_found(r, found, n, now);
	} else if (changed) {
		while (n)
			collect_target_release(&found[--n]);
		free(found);
	}
	reap_gone(r);
}

/* The targets given, then those found before the first round. */
static void init_targets(struct run *r)
{
	size_t i;

	for (i = 0; i < r->conf->ntargets; i++)
		add_target(r, &r->conf->targets[i], r->t0);
	discover(r, r->t0);
	r->started = 1;
}

/* ---- the loop ------------------------------------------------------ */

static void handle_result(struct run *r, struct scrape_result *res)
{
	struct fetch *f = res->ctx;
	struct tstate *ts = f->ts;
	enum fail_cause cause = res->end == SCRAPE_ABORTED ? CAUSE_STOPPING :
				CAUSE_FETCH;
	/* libcurl's messages may quote a URL; its userinfo never shows. */
	char *err = collect_redact(res->err);

	conclude(r, ts, f->kind, res->ok ? NULL : err, res->status,
		 &res->body, res->duration_ns, cause);
	buf_release(&res->body);
	free(err);
	free(f);
}

static int busy(const struct run *r)
{
	size_t i;

	if (scrape_busy(r->scrape) || r->pmaps_running || r->pmap_queued ||
	    r->checker.busy)
		return 1;
	for (i = 0; i < r->nts; i++)
		if (r->ts[i]->pending)
			return 1;
	return 0;
}

static int all_done(const struct run *r, int64_t now)
{
	size_t i;

	/* Targets may still be found until the run's rounds or time end. */
	if (r->hooks.found) {
		int64_t ivl = r->conf->interval_ns;

		if (!r->end && !r->conf->rounds)
			return 0;
		if (r->end && now < r->end)
			return 0;
		if (r->conf->rounds && now - r->t0 < r->conf->rounds * ivl)
			return 0;
	}
	for (i = 0; i < r->nts; i++)
		if (!r->ts[i]->done)
			return 0;
	return 1;
}

static int wait_ms(const struct run *r, int64_t now)
{
	int64_t next = now + 60 * NS_PER_S, d;
	size_t i;

	for (i = 0; i < r->nts; i++) {
		const struct tstate *ts = r->ts[i];

		if (ts->pmap_state == 2 && ts->pmap_deadline < next)
			next = ts->pmap_deadline;
		if (ts->done || r->stopping)
			continue;
		d = collect_due(ts->base, ts->interval, ts->next);
		if (d < next)
			next = d;
	}
	/* Discovery's news, and the status line, are looked at each second. */
	if ((r->ui.tty || r->hooks.found) && next > now + NS_PER_S)
		next = now + NS_PER_S;
	if (next <= now)
		return 0;
	d = (next - now + NS_PER_MS - 1) / NS_PER_MS;
	return d > INT32_MAX ? INT32_MAX : (int)d;
}

static void stop_queued_pmaps(struct run *r)
{
	while (r->pmap_queued) {
		struct tstate *ts = r->pmap_queue[--r->pmap_queued];

		ts->pmap_state = 0;
		conclude(r, ts, CK_PMAP, "collector stopping", 0, NULL, -1,
			 CAUSE_STOPPING);
	}
}

/*
 * After the first signal nothing new starts: fetches not yet begun are
 * dropped, the ones running end (or time out), and so do the checks of
 * what they fetched. Called again just before rounds are started, so that
 * a signal that came while results were handled starts nothing.
 */
static void check_signals(struct run *r)
{
	if (!stopsig_seen() || r->stopping)
		return;
	r->stopping = 1;
	if (busy(r))
		say(r, "stopping: letting the fetches in flight finish "
		    "(signal again to quit now)");
	scrape_abort(r->scrape, 0, "collector stopping");
	stop_queued_pmaps(r);
}

/* The totals for the hooks: rounds as account() counts them at the end. */
static void tell_stats(const struct run *r)
{
	struct collrun_stats st = { 0 };
	size_t i;

	if (!r->hooks.stats)
		return;
	for (i = 0; i < r->nts; i++)
		if (r->ts[i]->next > st.rounds)
			st.rounds = r->ts[i]->next;
	st.skipped = r->skipped;
	st.late_ns = r->late_last;
	r->hooks.stats(r->hooks.data, &st);
}

static void loop(struct run *r)
{
	struct scrape_fd fds[2 + MAX_PMAPS];
	struct tstate *owners[2 + MAX_PMAPS];
	struct scrape_result res;
	size_t i, nfds;
	int64_t now;

	for (;;) {
		now = clock_mono_ns();
		proctrack_scan_reset(&r->scan);
		check_signals(r);
		/* What ended first, so that a fetch that timed out just as its
		 * next round falls due does not make that round skipped. */
		for (i = 0; i < r->nts; i++)
			pmap_poll(r, r->ts[i], now);
		while (scrape_next(r->scrape, &res))
			handle_result(r, &res);
		checks_collect(r);
		check_signals(r);
		discover(r, now);
		if (!r->stopping)
			start_due(r, clock_mono_ns());
		/* Directory entries and the manifest reach the disk once a
		 * second while busy, at once when idle: not once per file. */
		if (!busy(r) || now - r->synced >= NS_PER_S) {
			collstore_sync(r->store);
			r->synced = now;
		}
		flush_rounds(r, 0);
		tell_stats(r);
		if (!busy(r) && (r->stopping || all_done(r, now)))
			break;
		status_line(r, now);
		nfds = 0;
		fds[nfds++].fd = stopsig_fd();
		fds[nfds++].fd = bodycheck_fd(&r->checker);
		for (i = 0; i < r->nts; i++)
			if (r->ts[i]->pmap_state == 2 && nfds < 2 + MAX_PMAPS) {
				owners[nfds] = r->ts[i];
				fds[nfds++].fd = r->ts[i]->pmap.fd;
			}
		if (scrape_wait(r->scrape, wait_ms(r, clock_mono_ns()), fds,
				nfds) < 0)
			usleep(10000);
		if (fds[0].readable)
			stopsig_drain();
		/* (the checker's pipe is read by checks_collect()) */
		for (i = 2; i < nfds; i++)
			if (fds[i].readable)
				pmap_poll(r, owners[i], clock_mono_ns());
	}
	progress_clear(&r->ui);
	collstore_sync(r->store);
	flush_rounds(r, 1);
}

static void announce(struct run *r)
{
	const struct collect_conf *conf = r->conf;
	char ivl[32], d[32], dur[80], from[80] = "", found[120] = "";
	char rf[32];
	size_t i;
	int want_pmap = r->hooks.found && (conf->kinds & CK_BIT(CK_PMAP));

	for (i = 0; i < r->nts; i++)
		want_pmap |= !!(r->ts[i]->t->kinds & CK_BIT(CK_PMAP));
	if (want_pmap && !r->pmap_path)
		say(r, "pmap not found (install procps): process memory from "
		    "/proc/PID/smaps_rollup only");
	if (conf->quiet)
		return;
	duration_format(conf->interval_ns, ivl);
	duration_format(conf->duration_ns, d);
	if (conf->rounds && conf->duration_ns)
		snprintf(dur, sizeof(dur), ", %" PRId64 " rounds or %s",
			 conf->rounds, d);
	else if (conf->rounds)
		snprintf(dur, sizeof(dur), ", %" PRId64 " round%s",
			 conf->rounds, conf->rounds == 1 ? "" : "s");
	else if (conf->duration_ns)
		snprintf(dur, sizeof(dur), " for %s", d);
	else
		snprintf(dur, sizeof(dur), " until stopped");
	if (r->round_base)
		snprintf(from, sizeof(from), "; rounds from %" PRId64 ", after "
			 "the manifest's last", r->round_base + 1);
	if (r->hooks.found)
		snprintf(found, sizeof(found), ", %zu of them found (looked "
			 "for again every %s)", r->nts - conf->ntargets,
			 duration_format(collect_refresh(conf), rf));
	say(r, "collecting %zu target%s%s every %s%s into %s/ (%s)%s",
	    r->nts, r->nts == 1 ? "" : "s", found, ivl, dur,
	    conf->output, conf->source ? conf->source : "built-in defaults",
	    from);
}

/*
 * The run's last words: its totals on stderr, and its status: LEAKY_FAIL
 * when no fetch succeeded, or the output could not be written (a row
 * lost, a kind's last sample not saved).
 */
static int account(struct run *r)
{
	int ret = LEAKY_OK;
	char cut[64] = "";
	size_t i;

	progress_fail_roll(&r->ui, INT64_MAX / 2);
	for (i = 0; i < r->nts; i++)
		if (r->ts[i]->next > r->rounds_done)
			r->rounds_done = r->ts[i]->next;
	if (r->stopped)
		snprintf(cut, sizeof(cut), ", %" PRId64 " cut short by the stop",
			 r->stopped);
	say(r, "%s after %" PRId64 " round%s: %" PRId64 " fetch%s ok, "
	    "%" PRId64 " failed%s, %" PRId64 " round%s skipped, %" PRId64
	    " restart%s; schedule lateness max %.1f ms, mean %.1f ms, "
	    "last %.1f ms", r->stopping ? "stopped" : "done",
	    r->rounds_done, r->rounds_done == 1 ? "" : "s", r->ok,
	    r->ok == 1 ? "" : "es", r->failed, cut, r->skipped,
	    r->skipped == 1 ? "" : "s", r->restarts,
	    r->restarts == 1 ? "" : "s",
	    (double)r->late_max / NS_PER_MS,
	    r->late_n ? (double)r->late_sum / (double)r->late_n / NS_PER_MS :
			0.0,
	    (double)r->late_last / NS_PER_MS);
	if (r->removed_files) {
		char a[32], b[32];

		say(r, "retention: %" PRId64 " file%s removed (%s), %s kept",
		    r->removed_files, r->removed_files == 1 ? "" : "s",
		    human_size(a, sizeof(a), (double)r->removed_bytes,
			       &human_iec),
		    human_size(b, sizeof(b),
			       (double)retention_total(r->keep), &human_iec));
	}
	/* First runs: a target that gave nothing, and what usually
	 * causes its failure. */
	for (i = 0; i < r->nts; i++) {
		const struct tstate *ts = r->ts[i];
		const char *hint = fetch_hint(ts->first_err);

		if (!ts->nok && ts->first_err)
			say(r, "%s: no fetch succeeded: %s%s%s", ts->t->name,
			    ts->first_err, hint ? ": " : "", hint ? hint : "");
	}
	if (r->failed && !r->ok) {
		error("no fetch succeeded");
		ret = LEAKY_FAIL;
	}
	/* Per target and kind: a kind that could never be saved (its
	 * directory read-only) fails the run though others were saved. */
	for (i = 0; i < r->nts; i++) {
		int k;

		for (k = 0; k < CK_NKINDS; k++)
			if (r->ts[i]->k[k].save_failing) {
				error("%s: %s: the last sample could not be "
				      "saved: %s", r->ts[i]->t->name,
				      collect_kinds[k].name,
				      r->ts[i]->k[k].save_err);
				r->save_failing = 1;
			}
	}
	/*
	 * A row lost mid-run is a hole in the collection even when later
	 * rows were written: the run did not do what it was asked.
	 */
	if (r->rows_lost) {
		error("%" PRId64 " manifest row%s could not be written",
		      r->rows_lost, r->rows_lost == 1 ? "" : "s");
		ret = LEAKY_FAIL;
	}
	if (r->save_failing || r->row_failing) {
		error("the output in %s could not be written at the end",
		      r->conf->output);
		ret = LEAKY_FAIL;
	}
	return ret;
}

int collrun(const struct collect_conf *conf,
	    const struct collrun_hooks *hooks)
{
	struct run r;
	char err[COLLECT_ERR];
	int ret;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	if (hooks)
		r.hooks = *hooks;
	r.store = collstore_open(conf->output, conf->fsync, err);
	if (!r.store) {
		error("%s", err);
		return LEAKY_FAIL;
	}
	if (stopsig_setup() < 0) {
		collstore_close(r.store);
		return LEAKY_FAIL;
	}
	if (conf->keep_ns || conf->max_size) {
		r.keep = retention_new(conf->keep_ns / NS_PER_S,
				       conf->max_size);
		collstore_list(r.store, retention_list, r.keep);
	}
	r.pmap_path = procwatch_which("pmap");
	r.scrape = scrape_new(conf->max_connections);
	if (!r.scrape) {
		free(r.pmap_path);
		retention_free(r.keep);
		collstore_close(r.store);
		stopsig_restore();
		return LEAKY_FAIL;
	}
	buf_init(&r.scratch);
	r.t0 = clock_mono_ns();
	if (conf->duration_ns)
		r.end = r.t0 + conf->duration_ns;
	r.round_base = collect_manifest_last_round(conf->output);
	progress_init(&r.ui, isatty(2), conf->quiet, conf->output, r.t0);
	r.ui.round_base = r.round_base;
	init_targets(&r);
	announce(&r);
	if (bodycheck_start(&r.checker, err) < 0)
		say(&r, "%s", err);
	loop(&r);
	bodycheck_stop(&r.checker);
	ret = account(&r);
	free_targets(&r);
	proctrack_scan_release(&r.scan);
	progress_release(&r.ui);
	free(r.pmap_queue);
	free(r.pmap_path);
	buf_release(&r.scratch);
	scrape_free(r.scrape);
	retention_free(r.keep);
	collstore_close(r.store);
	stopsig_restore();
	return ret;
}

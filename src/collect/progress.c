/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's stderr: its lines, the status line, failures, rounds. */
#include "collect/progress.h"
#include "base/human.h"
#include "base/leaky.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)
/* The same failure of one target and kind is shown again after this. */
#define REPEAT_AFTER (600 * NS_PER_S)
/* At most FAIL_LINES failure lines per FAIL_WINDOW; the rest are counted. */
#define FAIL_LINES 20
#define FAIL_WINDOW (10 * NS_PER_S)

void progress_init(struct progress *p, int tty, int quiet,
		   const char *output, int64_t now)
{
	memset(p, 0, sizeof(*p));
	p->tty = tty;
	p->quiet = quiet;
	p->output = output;
	p->fail_window = now;
}

void progress_release(struct progress *p)
{
	free(p->rounds);
	p->rounds = NULL;
	p->nrounds = p->rounds_cap = 0;
}

void progress_fail_release(struct progress_fail *f)
{
	free(f->last_err);
	f->last_err = NULL;
}

void progress_clear(struct progress *p)
{
	if (p->status_shown) {
		fputs("\r\033[K", stderr);
		p->status_shown = 0;
	}
}

void progress_say(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	progress_clear(p);
	fprintf(stderr, "%s: ", leaky_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress_status(struct progress *p, const struct progress_status *s,
		     int64_t now)
{
	char line[160];
	int64_t next = s->next, slot = s->slot;

	if (!p->tty || (p->status_shown && now - p->drawn < NS_PER_S / 10))
		return;
	if (s->stopping)
		snprintf(line, sizeof(line), "stopping: %zu/%zu targets "
			 "finishing (signal again to quit now)", s->busy,
			 s->targets);
	else if (!slot && next != INT64_MAX)
		snprintf(line, sizeof(line), "first round in %.1fs",
			 (double)(next > now ? next - now : 0) / NS_PER_S);
	else if (next == INT64_MAX)
		snprintf(line, sizeof(line), "finishing: %zu/%zu targets "
			 "busy", s->busy, s->targets);
	else
		snprintf(line, sizeof(line), "round %" PRId64 ": %zu/%zu "
			 "targets busy, %" PRId64 " fetches ok, %" PRId64
			 " failed; next in %.1fs", p->round_base + slot,
			 s->busy, s->targets, s->ok, s->failed,
			 (double)(next > now ? next - now : 0) / NS_PER_S);
	if (p->status_shown && !strcmp(line, p->last))
		return;
	progress_clear(p);
	fputs(line, stderr);
	fflush(stderr);
	memcpy(p->last, line, sizeof(p->last));
	p->drawn = now;
	p->status_shown = 1;
}

void progress_fail_roll(struct progress *p, int64_t now)
{
	if (now - p->fail_window < FAIL_WINDOW)
		return;
	if (p->fail_hidden)
		progress_say(p, "%" PRId64 " more failures not shown (see "
			     "%s/manifest.csv)", p->fail_hidden, p->output);
	p->fail_window = now;
	p->fail_lines = 0;
	p->fail_hidden = 0;
}

/*
 * msg with each run of digits as one '#': failures that differ only in
 * numbers (a round, milliseconds, bytes) are the same failure.
 */
static char *failure_key(const char *msg)
{
	char *k = xmalloc(strlen(msg) + 1), *o = k;

	for (; *msg; msg++) {
		if (isdigit((unsigned char)*msg)) {
			if (o == k || o[-1] != '#')
				*o++ = '#';
			continue;
		}
		*o++ = *msg;
	}
	*o = '\0';
	return k;
}

void progress_failure(struct progress *p, struct progress_fail *f,
		      const char *target, const char *what, const char *msg,
		      int64_t now)
{
	char *key = failure_key(msg);

	f->failures++;
	/* A target that fails every round would fill the terminal with one
	 * line a round: the same failure is said again after REPEAT_AFTER,
	 * with the count of those not shown. */
	if (f->last_err && !strcmp(f->last_err, key) &&
	    now - f->last_shown < REPEAT_AFTER) {
		f->repeats++;
		free(key);
		return;
	}
	/* Many targets failing at once (the network is down) would bury
	 * everything else: FAIL_LINES per window, the rest counted. */
	progress_fail_roll(p, now);
	if (p->fail_lines >= FAIL_LINES) {
		p->fail_hidden++;
		f->repeats++;
		free(key);
		return;
	}
	p->fail_lines++;
	if (f->repeats)
		progress_say(p, "%s: %s: %s (after %" PRId64 " more failures)",
			     target, what, msg, f->repeats);
	else
		progress_say(p, "%s: %s: %s", target, what, msg);
	free(f->last_err);
	f->last_err = key;
	f->last_shown = now;
	f->repeats = 0;
}

void progress_success(struct progress *p, struct progress_fail *f,
		      const char *target, const char *what)
{
	if (!f->failures)
		return;
	if (f->last_err)
		progress_say(p, "%s: %s: ok again after %" PRId64 " failures",
			     target, what, f->failures);
	f->failures = 0;
	f->repeats = 0;
	free(f->last_err);
	f->last_err = NULL;
}

struct progress_round *progress_round(struct progress *p, int64_t slot)
{
	size_t i, at;

	for (i = 0; i < p->nrounds; i++)
		if (p->rounds[i].slot == slot)
			return &p->rounds[i];
	p->rounds = xgrow(p->rounds, &p->rounds_cap, p->nrounds + 1,
			  sizeof(*p->rounds));
	for (at = p->nrounds; at > 0 && p->rounds[at - 1].slot > slot; at--)
		;
	memmove(&p->rounds[at + 1], &p->rounds[at],
		(p->nrounds - at) * sizeof(*p->rounds));
	p->nrounds++;
	memset(&p->rounds[at], 0, sizeof(*p->rounds));
	p->rounds[at].slot = slot;
	return &p->rounds[at];
}

static void print_round(struct progress *p, const struct progress_round *rs)
{
	char b[32], sk[32] = "";

	if (p->quiet)
		return;
	human_size(b, sizeof(b), (double)rs->bytes, &human_si);
	if (rs->skipped)
		snprintf(sk, sizeof(sk), ", %d skipped", rs->skipped);
	progress_say(p, "round %" PRId64 ": %d/%d targets ok%s, %s, %" PRId64
		     " ms", p->round_base + rs->slot + 1, rs->ok, rs->targets,
		     sk, b, rs->slowest / NS_PER_MS);
}

size_t progress_flush_rounds(struct progress *p, int64_t first)
{
	size_t n = 0;

	while (n < p->nrounds && p->rounds[n].slot < first)
		print_round(p, &p->rounds[n++]);
	if (!n)
		return 0;
	memmove(p->rounds, p->rounds + n,
		(p->nrounds - n) * sizeof(*p->rounds));
	p->nrounds -= n;
	return p->quiet ? 0 : n;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* A soak's timeline: service up, load on, sampled, load off, service down. */
#include "soak/soakrun.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/collrun.h"
#include "collect/proctrack.h"
#include "collect/settings.h"
#include "collect/spec.h"
#include "collect/stopsig.h"
#include "load/loadgen.h"
#include "soak/loadspec.h"
#include "soak/service.h"

#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define TAIL_LINES 10
#define ERR_SIZE (COLLECT_ERR > SERVICE_ERR ? COLLECT_ERR : SERVICE_ERR)

/* One run at a time: the signals and the waiter's news are the process's. */
static volatile sig_atomic_t stop_asked;
static volatile sig_atomic_t service_gone;
static int64_t service_gone_at;

/* Until the collector's handlers take over, and should they not come. */
static void on_signal(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/*
 * The service's waiter calls this when the command exits unasked: the
 * collector stops as at a first Ctrl-C, and the report runs on what it
 * has (sampling a process that is gone would only add failed rows).
 */
static void on_service_exit(void *data)
{
	(void)data;
	service_gone_at = clock_mono_ns();
	service_gone = 1;
	stopsig_request();
}

/*
 * Once per pass of the collector's loop, on its thread: a signal that
 * came before its handlers were in place, or a service gone before the
 * loop began, still stop it. data: 1 during the last round, which a
 * Ctrl-C already seen must not stop.
 */
static void on_stats(void *data, const struct collrun_stats *st)
{
	const int *last_round = data;

	(void)st;
	if (!*last_round && (stop_asked || service_gone) && !stopsig_seen())
		stopsig_request();
}

/*
 * After a Ctrl-C: one more round at once (a round of its own, the
 * collector started again on the directory), so that the report's last
 * snapshot is the soak's end, not up to an interval before it. A second
 * Ctrl-C ends that round too.
 */
static void last_round(struct collect_conf *conf, struct collrun_hooks *h)
{
	static int on = 1;

	h->data = &on;
	conf->rounds = 1;
	conf->duration_ns = 0;
	conf->spread = 0;
	collrun(conf, h);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void soakrun_print_tail(FILE *fp, const char *log_path)
{
	char *tail = service_log_tail(log_path, TAIL_LINES), *p, *nl;

	if (!tail) {
		fprintf(fp, "  (%s is empty)\n", log_path);
		return;
	}
	fprintf(fp, "  last lines of %s:\n", log_path);
	for (p = tail; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		fprintf(fp, "  | %.*s\n", (int)(nl - p), p);
	}
	free(tail);
}

/* The pprof address: --pprof, or the line the service writes. */
static char *pprof_url(const struct soakrun_opts *o, struct service *svc,
		       char err[SERVICE_ERR])
{
	char *line, *url;
	size_t n;

	if (!o->pprof_file)
		return xstrdup(o->pprof ? o->pprof : COLLECT_DEFAULT_URL);
	line = service_wait_file(o->pprof_file, o->ready_ns, svc, &stop_asked,
				 err);
	if (!line)
		return NULL;
	if (strstr(line, "://"))
		return line;
	n = strlen(line) + 8;
	url = xmalloc(n);
	snprintf(url, n, "http://%s", line);
	free(line);
	return url;
}

/*
 * The collector's settings: one target at url, the soak's schedule.
 * Returns 0, or -1 with the reason in err (conf then holds nothing).
 */
static int build_conf(const struct soakrun_opts *o,
		      struct collect_conf *conf, const char *url,
		      char err[COLLECT_ERR])
{
	struct collect_target *t;
	size_t n = strlen(o->name) + strlen(url) + 2;
	char *spec = xmalloc(n);

	collect_conf_init(conf);
	snprintf(spec, n, "%s=%s", o->name, url);
	t = collect_conf_add(conf);
	if (collect_parse_spec(t, spec, err) < 0)
		goto fail;
	conf->interval_ns = o->interval_ns;
	conf->duration_ns = o->duration_ns;
	free(conf->output);
	conf->output = xstrdup(o->data);
	conf->gc = o->gc;
	conf->quiet = o->quiet;
	if (o->profiles &&
	    collect_parse_kinds(o->profiles, ',', &conf->kinds, err) < 0)
		goto fail;
	if (collect_conf_finish(conf, err) < 0)
		goto fail;
	free(spec);
	return 0;
fail:
	free(spec);
	collect_conf_release(conf);
	return -1;
}

/* A -t spec's reason without the spec made here ("-t 'NAME=URL': "). */
static const char *spec_reason(const char *err)
{
	const char *p = strstr(err, "': ");

	return !strncmp(err, "-t '", 4) && p ? p + 3 : err;
}

/* The run's state besides what it reports. */
struct run {
	const struct soakrun_opts *o;
	struct soakrun *r;
	struct service svc;
	int started;		/* svc holds a running service */
	struct collect_conf conf;
	char *url;
};

/*
 * The process to sample: the one started, unless the pprof port's
 * listener is another process of its group (a wrapper started it: sh -c,
 * go run, a supervisor script), which holds the memory that leaks.
 */
static void follow_listener(struct run *u)
{
	struct collect_target t = u->conf.targets[0];
	struct proctrack_scan scan;
	struct proctrack pt;
	char why[COLLECT_ERR];
	size_t ambiguous = 0;

	memset(&scan, 0, sizeof(scan));
	memset(&pt, 0, sizeof(pt));
	t.pid = 0;
	t.pidfile = NULL;
	t.process = NULL;
	proctrack_find(&scan, &pt, &t, &ambiguous, why);
	proctrack_scan_release(&scan);
	if (pt.pid <= 0 || pt.pid == u->svc.pid ||
	    getpgid((pid_t)pt.pid) != u->svc.pid)
		return;
	u->conf.targets[0].pid = pt.pid;
	u->r->sampled = (pid_t)pt.pid;
	if (!u->o->quiet)
		fprintf(stderr, "%s: sampling pid %lld, the listener of %s in "
			"the service's process group (started as pid %ld)\n",
			leaky_progname, (long long)pt.pid, t.base,
			(long)u->svc.pid);
}

/*
 * Starts the service and waits until its pprof endpoint answers, with
 * the collector's settings built for it; LEAKY_OK, or a failure said
 * (nothing left running, no settings held).
 */
static int bring_up(struct run *u)
{
	const struct soakrun_opts *o = u->o;
	const struct collect_target *t;
	char err[ERR_SIZE];

	if (!o->pprof_file) {
		u->url = pprof_url(o, NULL, err);
		if (build_conf(o, &u->conf, u->url, err) < 0) {
			error("bad --pprof: %s", spec_reason(err));
			return LEAKY_USAGE;
		}
	}
	if (o->argv) {
		u->svc.on_exit = on_service_exit;
		if (service_start(&u->svc, o->argv, o->log_path, err) < 0) {
			error("%s", err);
			if (!o->pprof_file)
				collect_conf_release(&u->conf);
			return LEAKY_FAIL;
		}
		u->started = 1;
		u->r->pid = u->svc.pid;
	}
	if (o->pprof_file) {
		u->url = pprof_url(o, u->started ? &u->svc : NULL, err);
		if (!u->url) {
			error("no pprof address from the service: %s", err);
			goto fail;
		}
		if (build_conf(o, &u->conf, u->url, err) < 0) {
			error("%s: %s", o->pprof_file, spec_reason(err));
			goto fail;
		}
	}
	t = &u->conf.targets[0];
	/* its process: the one started, not whichever holds the port */
	if (u->started)
		u->conf.targets[0].pid = u->svc.pid;
	if (service_wait_ready(t->base, t->unix_socket, o->ready_ns,
			       u->started ? &u->svc : NULL, &stop_asked,
			       err) == 0) {
		if (u->started)
			follow_listener(u);
		return LEAKY_OK;
	}
	error("%s did not come up: %s", t->base, err);
	collect_conf_release(&u->conf);
fail:
	if (u->started) {
		service_stop(&u->svc, o->grace_ns);
		u->started = 0;
		soakrun_print_tail(stderr, o->log_path);
	}
	return LEAKY_FAIL;
}

/* Stops the service started, noting how it ended. */
static void bring_down(struct run *u)
{
	struct soakrun *r = u->r;
	char how[64];

	if (!u->started)
		return;
	if (service_exited(&u->svc, &r->exit_status) && service_gone) {
		r->exited_early = 1;
		service_describe(r->exit_status, how, sizeof(how));
		error("the service exited during the soak (%s); see %s",
		      how, u->o->log_path);
	}
	r->killed = service_stop(&u->svc, u->o->grace_ns);
	u->started = 0;
	if (r->killed)
		error("the service ignored SIGTERM: killed after the grace");
}

/* The load, its /paths on the service's address; -1 when it failed. */
static int start_load(struct run *u)
{
	const struct soakrun_opts *o = u->o;
	struct soakload_opts lo = o->load;
	char err[512];
	size_t i;

	for (i = 0; i < o->nreqs; i++)
		if (o->reqs[i].url[0] == '/' &&
		    (loadspec_resolve(&o->reqs[i], u->url) < 0 ||
		     loadgen_check_url(o->reqs[i].url) < 0))
			return -1;
	if (!o->nreqs)
		return 0;
	/* one row of load.csv per round */
	lo.every_ns = o->interval_ns;
	/* a bound should the soak's own stop never come */
	lo.duration_ns = o->duration_ns + 2 * o->interval_ns;
	u->r->load = soakload_start(o->reqs, o->nreqs, &lo, err, sizeof(err));
	if (!u->r->load) {
		error("%s", err);
		return -1;
	}
	return 0;
}

int soakrun_run(const struct soakrun_opts *o, struct soakrun *r)
{
	struct run u;
	struct collrun_hooks hooks;
	char d[DURATION_TEXT_MAX];
	int64_t t0_mono;
	int ret, no_last_round = 0;

	memset(r, 0, sizeof(*r));
	memset(&u, 0, sizeof(u));
	u.o = o;
	u.r = r;
	stop_asked = service_gone = 0;
	catch_signals();
	ret = bring_up(&u);
	if (ret != LEAKY_OK)
		goto out;
	if (!o->quiet)
		fprintf(stderr, "%s: %s answers; sampling it for %s\n",
			leaky_progname, u.url,
			duration_format(o->duration_ns, d));
	if (start_load(&u) < 0) {
		collect_conf_release(&u.conf);
		soakload_stop(r->load);
		bring_down(&u);
		ret = LEAKY_FAIL;
		goto out;
	}

	memset(&hooks, 0, sizeof(hooks));
	hooks.stats = on_stats;
	hooks.data = &no_last_round;
	t0_mono = clock_mono_ns();
	r->t0_wall = clock_real_ns();
	if (!stop_asked)
		collrun(&u.conf, &hooks);
	r->interrupted = stop_asked || (stopsig_seen() && !service_gone);
	if (r->interrupted && !service_gone)
		last_round(&u.conf, &hooks);
	if (service_gone)
		r->exit_at = service_gone_at - t0_mono;
	collect_conf_release(&u.conf);

	soakload_stop(r->load);
	bring_down(&u);
out:
	free(u.url);
	return ret;
}

void soakrun_release(struct soakrun *r)
{
	soakload_free(r->load);
	r->load = NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect --listen: /metrics over libmicrohttpd, fed by the run. */
#include "fleet/exporter.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/collrun.h"
#include "collect/manifest.h"
#include "decode/fds.h"
#include "decode/memlimit.h"
#include "decode/procmem.h"
#include "decode/reader.h"
#include "fleet/exporter_text.h"
#include "fleet/exporter_verdict.h"
#include "model/profile.h"
#include "report/report.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <microhttpd.h>

#if MHD_VERSION >= 0x00097002
typedef enum MHD_Result mhd_result;
#else
typedef int mhd_result;
#endif

#define NS_PER_S 1e9
/* Largest process memory snapshot read back (as the collector's cap). */
#define MAX_PROCMEM ((size_t)64 << 20)
/* Scrapes served at once, and how long an idle connection is kept. */
#define MAX_CONNECTIONS 32
#define CONNECTION_TIMEOUT_S 30

/*
 * The last value of one series, decoded from the file the run kept last:
 * the file's path is set by the run (under the lock), the value is
 * decoded on the server's thread when a scrape finds the path changed.
 */
struct lastfile {
	char *path;		/* relative to the output; NULL: none yet */
	char *decoded;		/* the path value is from; server only */
	double value;		/* NAN: the file could not be read */
};

/*
 * One target the run samples: given, or found (added by its "found" row,
 * marked gone by its "gone" row and let go by the next scrape, the only
 * reader of a target off the lock).
 */
struct texp {
	char *name, *labels;
	unsigned kinds;
	int gone;
	/* lim and oom: two values of the one .limits file */
	struct lastfile heap, gor, mem, fds, lim, oom;
	int64_t last_ok_ns;		/* 0: none yet */
	int64_t fails[CK_NKINDS];
};

struct exporter {
	const struct collect_conf *conf;
	struct MHD_Daemon *daemon;
	char url[NI_MAXHOST + NI_MAXSERV + 32];
	double start_time;
	/* what the run updates, under lock */
	pthread_mutex_t lock;
	struct collrun_stats st;
	int64_t bytes_written;
	struct texp **tx;
	size_t ntx, tx_cap;
	/* the verdicts, under lock, made by the verdict thread */
	struct ev_result verdicts;
	pthread_t vthread;
	pthread_cond_t vwake;	/* rounds went on, or stop */
	int vstarted, vstop;
	/* one scrape at a time decodes and renders */
	pthread_mutex_t render;
	struct prof_reader reader;
};

/* ---- the run's side ------------------------------------------------ */

static struct texp *find_target(struct exporter *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->ntx; i++)
		if (!e->tx[i]->gone && !strcmp(e->tx[i]->name, name))
			return e->tx[i];
	return NULL;
}

static void add_target(struct exporter *e, const char *name,
		       const char *labels, unsigned kinds)
{
	struct texp *x = xcalloc(1, sizeof(*x));

	x->name = xstrdup(name);
	x->labels = xstrdup(labels ? labels : "");
	x->kinds = kinds;
	if (e->ntx == e->tx_cap) {
		e->tx_cap = e->tx_cap ? 2 * e->tx_cap : 16;
		e->tx = xrealloc(e->tx, e->tx_cap * sizeof(*e->tx));
	}
	e->tx[e->ntx++] = x;
}

static void lastfile_release(struct lastfile *f)
{
	free(f->path);
	free(f->decoded);
}

static void free_target(struct texp *x)
{
	lastfile_release(&x->heap);
	lastfile_release(&x->gor);
	lastfile_release(&x->mem);
	lastfile_release(&x->fds);
	lastfile_release(&x->lim);
	lastfile_release(&x->oom);
	free(x->name);
	free(x->labels);
	free(x);
}

/* A target found joins; one gone is marked, for the next scrape. */
static void found_row(struct exporter *e, const struct collect_row *row)
{
	struct texp *x = find_target(e, row->target);

	if (!strcmp(row->result, "found") && !x)
		add_target(e, row->target, row->labels, e->conf->kinds);
	else if (!strcmp(row->result, "gone") && x)
		x->gone = 1;
}

static void set_path(struct lastfile *f, const char *file)
{
	free(f->path);
	f->path = xstrdup(file);
}

/*
 * A manifest row: an ok one with a file is a new last sample of its
 * series (heap in use from either heap form, goroutines from either
 * goroutine form, resident memory from whichever process memory file,
 * open descriptors from the .fds list); a failed
 * fetch is counted by kind. Skipped rounds and restarts are neither.
 */
static void hook_row(void *data, const struct collect_row *row)
{
	struct exporter *e = data;
	struct texp *x;
	int k = collect_kind_by_name(row->kind, strlen(row->kind));

	pthread_mutex_lock(&e->lock);
	if (!strcmp(row->kind, "target")) {
		found_row(e, row);
		goto out;
	}
	x = find_target(e, row->target);
	if (!x || k < 0)
		goto out;
	if (!strcmp(row->result, "failed")) {
		x->fails[k]++;
		goto out;
	}
	if (strcmp(row->result, "ok") || !row->file)
		goto out;
	x->last_ok_ns = row->time_ns;
	if (row->file_bytes > 0)
		e->bytes_written += row->file_bytes;
	switch (k) {
	case CK_HEAP:
	case CK_HEAP_TEXT:
		set_path(&x->heap, row->file);
		break;
	case CK_GOROUTINE:
	case CK_GOROUTINE_TEXT:
		set_path(&x->gor, row->file);
		break;
	case CK_PMAP:
	case CK_SMAPS_ROLLUP:
	case CK_STATUS:
		set_path(&x->mem, row->file);
		break;
	case CK_FDS:
		set_path(&x->fds, row->file);
		break;
	case CK_LIMITS:
		set_path(&x->lim, row->file);
		set_path(&x->oom, row->file);
		break;
	default:
		break;
	}
out:
	pthread_mutex_unlock(&e->lock);
}

static void hook_stats(void *data, const struct collrun_stats *st)
{
	struct exporter *e = data;

	pthread_mutex_lock(&e->lock);
	if (st->rounds != e->st.rounds)
		pthread_cond_signal(&e->vwake);
	e->st = *st;
	pthread_mutex_unlock(&e->lock);
}

void exporter_hooks(struct exporter *e, struct collrun_hooks *h)
{
	memset(h, 0, sizeof(*h));
	h->row = hook_row;
	h->stats = hook_stats;
	h->data = e;
}

/*
 * Lets the targets gone go: under the lock, by a scrape (which holds the
 * render lock), so that no other scrape is reading them.
 */
static void reap_gone(struct exporter *e)
{
	size_t i, kept = 0;

	for (i = 0; i < e->ntx; i++)
		if (e->tx[i]->gone)
			free_target(e->tx[i]);
		else
			e->tx[kept++] = e->tx[i];
	e->ntx = kept;
}

/* ---- decoding the last samples (server thread) ----------------------- */

/* The decoders' complaints: the metric is left out instead. */
static void quiet_sink(void *data, const char *msg)
{
	(void)data;
	(void)msg;
}

static char *full_path(const struct exporter *e, const char *rel)
{
	size_t n = strlen(e->conf->output) + strlen(rel) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", e->conf->output, rel);
	return p;
}

/* Sum of sample type type's values (-1: the first type), or NAN. */
static double profile_sum(struct exporter *e, const char *rel,
			  const char *type)
{
	char *path = full_path(e, rel);
	struct profile *p = prof_reader_load(&e->reader, path, NULL);
	double sum = NAN;
	long t = 0;
	size_t i;

	free(path);
	if (!p)
		return NAN;
	if (type)
		t = profile_find_type(p, type);
	if (t >= 0 && (size_t)t < p->ntypes) {
		sum = 0;
		for (i = 0; i < p->nsamples; i++)
			sum += (double)p->samples[i].values[t];
	}
	profile_free(p);
	return sum;
}

enum series { S_HEAP, S_GOR, S_MEM, S_FDS, S_LIMIT, S_OOM };

/* What a small text file (process memory, an .fds list, a .limits file)
 * gives of series s, or NAN: unknown, none (no limit), not readable. */
static double text_value(const char *path, const struct buf *b,
			 enum series s)
{
	const char *data = (const char *)b->data;
	struct procmem *pm;
	struct fds_snapshot fd;
	struct memlimit m;
	int64_t x;
	double v = NAN;

	switch (s) {
	case S_MEM:
		pm = procmem_parse(path, data, b->len);
		if (pm && pm->kb[PM_RSS] != PROCMEM_UNKNOWN)
			v = (double)pm->kb[PM_RSS] * 1024;
		procmem_free(pm);
		break;
	case S_FDS:
		if (!fds_parse(path, data, b->len, &fd))
			v = (double)fd.open;
		break;
	case S_LIMIT:
	case S_OOM:
		if (memlimit_parse(path, data, b->len, &m))
			break;
		x = s == S_OOM ? m.oom_kills : m.limit;
		if (x >= 0)
			v = (double)x;
		break;
	default:
		BUG("series %d is no text file's", (int)s);
	}
	return v;
}

/* text_value() of the file rel of the output directory. */
static double file_value(struct exporter *e, const char *rel, enum series s)
{
	char *path = full_path(e, rel);
	double v = NAN;
	struct buf b;

	buf_init(&b);
	if (!buf_read_file(&b, path, MAX_PROCMEM, NULL))
		v = text_value(path, &b, s);
	buf_release(&b);
	free(path);
	return v;
}

/* f's value, decoded again when path (a copy taken under the lock) is
 * not the file it was decoded from. */
static double last_value(struct exporter *e, struct lastfile *f,
			 const char *path, enum series s)
{
	if (!path)
		return NAN;
	if (f->decoded && !strcmp(f->decoded, path))
		return f->value;
	if (s == S_HEAP)
		f->value = profile_sum(e, path, "inuse_space");
	else if (s == S_GOR)
		f->value = profile_sum(e, path, NULL);
	else
		f->value = file_value(e, path, s);
	free(f->decoded);
	f->decoded = xstrdup(path);
	return f->value;
}

/* ---- verdicts (their own thread) ----------------------------------- */

/*
 * Analyses the output directory again each time a round begins, as leaky
 * report would: the rounds before it are then on disk. An analysis reads
 * every sample kept so far, so on a long run it may take longer than a
 * round; rounds that begin meanwhile are folded into the next one.
 */
static void *verdict_thread(void *arg)
{
	struct exporter *e = arg;
	int64_t done = 0;

	pthread_mutex_lock(&e->lock);
	while (!e->vstop) {
		struct ev_result res;
		int64_t rounds = e->st.rounds;

		if (rounds == done) {
			pthread_cond_wait(&e->vwake, &e->lock);
			continue;
		}
		pthread_mutex_unlock(&e->lock);
		if (exporter_verdicts(e->conf->output, &res) < 0)
			memset(&res, 0, sizeof(res));
		pthread_mutex_lock(&e->lock);
		ev_release(&e->verdicts);
		e->verdicts = res;
		done = rounds;
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

/* ---- /metrics ------------------------------------------------------ */

/* What a scrape shows of one target, copied under the lock. */
struct tview {
	struct texp *x;		/* kept alive by the render lock */
	char *heap, *gor, *mem, *fds, *lim;
	int64_t last_ok_ns;
	int64_t fails[CK_NKINDS];
	/* the verdict; level -1: none yet */
	int level;
	char *suspect;
	double growth[EV_NSERIES];
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A family of the collector's own: one sample, no labels. */
static void collector_family(struct expo *x, const char *name,
			     enum expo_type type, const char *help, double v)
{
	expo_family(x, name, type, help);
	expo_sample(x, NULL, NULL, v);
}

/* A gauge per target, v[i] for the i-th; NAN leaves a target out. */
static void target_family_typed(struct expo *x, const struct tview *tv,
				size_t n, const char *name,
				enum expo_type type,
				const char *help, const double *v)
{
	size_t i;

	expo_family(x, name, type, help);
	for (i = 0; i < n; i++) {
		const char *labels[] = { "target", tv[i].x->name, NULL };

		if (!isnan(v[i]))
			expo_sample(x, labels, tv[i].x->labels, v[i]);
	}
}

static void target_family(struct expo *x, const struct tview *tv, size_t n,
			  const char *name, const char *help, const double *v)
{
	target_family_typed(x, tv, n, name, EXPO_GAUGE, help, v);
}

/* The verdicts of the targets this collector samples (the directory
 * may hold others, from earlier runs). Under the lock. */
static void copy_verdicts(struct exporter *e, struct tview *v, size_t n)
{
	size_t i, j;

	for (j = 0; j < e->verdicts.n; j++) {
		const struct ev_target *t = &e->verdicts.targets[j];

		for (i = 0; i < n; i++)
			if (!strcmp(v[i].x->name, t->name))
				break;
		if (i == n)
			continue;
		v[i].level = t->level;
		v[i].suspect = xstrdup(t->suspect);
		memcpy(v[i].growth, t->growth, sizeof(v[i].growth));
	}
}

/*
 * One series per level, 1 for the target's and 0 for the others, so that
 * an alert on level="leak" == 1 ends when the verdict changes; the top
 * suspect is a label of them all.
 */
static void render_verdicts(struct expo *x, const struct tview *v, size_t n)
{
	size_t i;
	int l, s;

	expo_family(x, "leaky_verdict", EXPO_GAUGE,
		    "The report rules' verdict over the target's samples "
		    "since its last restart: 1 for its level.");
	for (i = 0; i < n; i++)
		for (l = VERDICT_LEAK; l >= 0 && v[i].level >= 0; l--) {
			const char *labels[] = {
				"target", v[i].x->name,
				"level", exporter_verdict_level(l),
				"suspect", v[i].suspect, NULL
			};

			expo_sample(x, labels, v[i].x->labels,
				    l == v[i].level);
		}
	expo_family(x, "leaky_verdict_growth_per_hour", EXPO_GAUGE,
		    "Fitted growth per hour of the target's series since its "
		    "last restart (bytes, goroutines or open descriptors).");
	for (i = 0; i < n; i++)
		for (s = 0; s < EV_NSERIES && v[i].level >= 0; s++) {
			const char *labels[] = {
				"target", v[i].x->name,
				"series", exporter_verdict_series[s], NULL
			};

			if (!isnan(v[i].growth[s]))
				expo_sample(x, labels, v[i].x->labels,
					    v[i].growth[s]);
		}
}

static void render(struct exporter *e, struct expo *x)
{
	struct collrun_stats st;
	struct tview *v;
	double *heap, *gor, *mem, *fds, *lim, *oom, *last_ok;
	struct error_sink quiet = { quiet_sink, NULL }, old;
	int64_t bytes;
	size_t i, n;
	int k;

	pthread_mutex_lock(&e->lock);
	reap_gone(e);
	n = e->ntx;
	v = xcalloc(n + 1, sizeof(*v));
	heap = xcalloc(n + 1, sizeof(*heap));
	gor = xcalloc(n + 1, sizeof(*gor));
	mem = xcalloc(n + 1, sizeof(*mem));
	fds = xcalloc(n + 1, sizeof(*fds));
	lim = xcalloc(n + 1, sizeof(*lim));
	oom = xcalloc(n + 1, sizeof(*oom));
	last_ok = xcalloc(n + 1, sizeof(*last_ok));
	st = e->st;
	bytes = e->bytes_written;
	for (i = 0; i < n; i++) {
		v[i].x = e->tx[i];
		v[i].heap = dup_or_null(e->tx[i]->heap.path);
		v[i].gor = dup_or_null(e->tx[i]->gor.path);
		v[i].mem = dup_or_null(e->tx[i]->mem.path);
		v[i].fds = dup_or_null(e->tx[i]->fds.path);
		v[i].lim = dup_or_null(e->tx[i]->lim.path);
		v[i].last_ok_ns = e->tx[i]->last_ok_ns;
		memcpy(v[i].fails, e->tx[i]->fails, sizeof(v[i].fails));
		v[i].level = -1;
	}
	copy_verdicts(e, v, n);
	pthread_mutex_unlock(&e->lock);

	/* Decoding off the lock: the run is never kept waiting by it. */
	old = error_sink_set(quiet);
	for (i = 0; i < n; i++) {
		heap[i] = last_value(e, &v[i].x->heap, v[i].heap, S_HEAP);
		gor[i] = last_value(e, &v[i].x->gor, v[i].gor, S_GOR);
		mem[i] = last_value(e, &v[i].x->mem, v[i].mem, S_MEM);
		fds[i] = last_value(e, &v[i].x->fds, v[i].fds, S_FDS);
		lim[i] = last_value(e, &v[i].x->lim, v[i].lim, S_LIMIT);
		oom[i] = last_value(e, &v[i].x->oom, v[i].lim, S_OOM);
	}
	error_sink_set(old);

	collector_family(x, "leaky_collector_rounds", EXPO_COUNTER,
			 "Rounds this collector began (run or skipped).",
			 (double)st.rounds);
	collector_family(x, "leaky_collector_rounds_skipped", EXPO_COUNTER,
			 "Target rounds skipped: the collector was late or a "
			 "round was still running.", (double)st.skipped);
	collector_family(x, "leaky_collector_lateness_seconds", EXPO_GAUGE,
			 "How late the last round started after its due "
			 "time.", (double)st.late_ns / NS_PER_S);
	collector_family(x, "leaky_collector_bytes_written", EXPO_COUNTER,
			 "Bytes of samples this collector kept.",
			 (double)bytes);
	collector_family(x, "leaky_collector_start_time_seconds",
			 EXPO_GAUGE, "When this collector started, in seconds "
			 "since the epoch.", e->start_time);
	target_family(x, v, n, "leaky_target_heap_inuse_bytes",
		      "Heap in use in the target's last heap profile "
		      "(inuse_space).", heap);
	target_family(x, v, n, "leaky_target_goroutines",
		      "Goroutines in the target's last goroutine profile.",
		      gor);
	target_family(x, v, n, "leaky_target_resident_memory_bytes",
		      "Resident memory of the target's process at its last "
		      "memory sample.", mem);
	target_family(x, v, n, "leaky_target_open_fds",
		      "Open file descriptors of the target's process at its "
		      "last descriptor list (fds).", fds);
	target_family(x, v, n, "leaky_target_memory_limit_bytes",
		      "The memory limit of the target's cgroup (memory.max, "
		      "memory.limit_in_bytes) at its last limits file; none "
		      "when unlimited.", lim);
	target_family_typed(x, v, n, "leaky_target_oom_kills",
			    EXPO_COUNTER, "OOM kills in the target's cgroup "
			    "(oom_kill of memory.events, v1 memory.oom_control) "
			    "at its last limits "
			    "file.", oom);
	expo_family(x, "leaky_target_fetch_failures", EXPO_COUNTER,
		    "Samples of the target that failed, by kind.");
	for (i = 0; i < n; i++)
		for (k = 0; k < CK_NKINDS; k++) {
			const char *labels[] = {
				"target", v[i].x->name,
				"kind", collect_kinds[k].name, NULL
			};

			if ((v[i].x->kinds & CK_BIT(k)) || v[i].fails[k])
				expo_sample(x, labels, v[i].x->labels,
					    (double)v[i].fails[k]);
		}
	for (i = 0; i < n; i++)
		last_ok[i] = (double)v[i].last_ok_ns / NS_PER_S;
	target_family(x, v, n, "leaky_target_last_success_timestamp_seconds",
		      "When the target's last sample that was kept was taken, "
		      "in seconds since the epoch; 0: none yet.", last_ok);
	render_verdicts(x, v, n);
	expo_end(x);

	for (i = 0; i < n; i++) {
		free(v[i].suspect);
		free(v[i].heap);
		free(v[i].gor);
		free(v[i].mem);
		free(v[i].fds);
		free(v[i].lim);
	}
	free(v);
	free(heap);
	free(gor);
	free(mem);
	free(fds);
	free(lim);
	free(oom);
	free(last_ok);
}

/* ---- HTTP ---------------------------------------------------------- */

static mhd_result reply(struct MHD_Connection *c, unsigned status,
			const char *type, struct buf *body)
{
	struct MHD_Response *r;
	mhd_result ret;

	/* MHD frees the body with free(): it came from xmalloc. */
	r = MHD_create_response_from_buffer(body->len, body->data,
					    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		buf_release(body);
		return MHD_NO;
	}
	buf_init(body);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static mhd_result handle(void *cls, struct MHD_Connection *c,
			 const char *url, const char *method,
			 const char *version, const char *upload_data,
			 size_t *upload_data_size, void **con_cls)
{
	struct exporter *e = cls;
	struct buf b;
	struct expo x;
	const char *accept;
	int om;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	buf_init(&b);
	if (strcmp(url, "/metrics")) {
		buf_addstr(&b, "not found: the metrics are at /metrics\n");
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; "
			     "charset=utf-8", &b);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		buf_addstr(&b, "method not allowed: GET /metrics\n");
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; "
			     "charset=utf-8", &b);
	}
	accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_ACCEPT);
	om = expo_wants_openmetrics(accept);
	expo_init(&x, &b, om);
	pthread_mutex_lock(&e->render);
	render(e, &x);
	pthread_mutex_unlock(&e->render);
	return reply(c, MHD_HTTP_OK, om ? EXPO_OPENMETRICS_TYPE :
		     EXPO_TEXT_TYPE, &b);
}

/* ---- the listening socket ------------------------------------------ */

/*
 * Splits "HOST:PORT", "[V6]:PORT" or ":PORT" into host (NULL: every
 * address) and port. Returns 0, or -1 with the reason in err.
 */
static int split_addr(const char *addr, char **host, char **port,
		      char err[EXPORTER_ERR])
{
	const char *colon;

	*host = *port = NULL;
	if (addr[0] == '[') {
		const char *end = strchr(addr, ']');

		if (!end || end[1] != ':') {
			snprintf(err, EXPORTER_ERR, "%s: expected [ADDRESS]:"
				 "PORT", addr);
			return -1;
		}
		*host = xstrndup(addr + 1, (size_t)(end - addr - 1));
		colon = end + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || strchr(addr, ':') != colon) {
			snprintf(err, EXPORTER_ERR, "%s: expected HOST:PORT "
				 "(127.0.0.1:9477, [::1]:9477, :9477)", addr);
			return -1;
		}
		if (colon > addr)
			*host = xstrndup(addr, (size_t)(colon - addr));
	}
	if (!colon[1] || strspn(colon + 1, "0123456789") !=
	    strlen(colon + 1) || atol(colon + 1) > 65535) {
		snprintf(err, EXPORTER_ERR, "%s: bad port '%s' (0 to 65535; "
			 "0 takes a free one)", addr, colon + 1);
		free(*host);
		*host = NULL;
		return -1;
	}
	*port = xstrdup(colon + 1);
	return 0;
}

/* A listening socket on addr, or -1 with err; *v6 when it is IPv6. */
static int listen_on(const char *addr, int *v6, char *url, size_t urlsize,
		     char err[EXPORTER_ERR])
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char *host, *port, h[NI_MAXHOST], p[NI_MAXSERV];
	int fd = -1, one = 1, rc;

	if (split_addr(addr, &host, &port, err) < 0)
		return -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc) {
		snprintf(err, EXPORTER_ERR, "%s: %s", addr, gai_strerror(rc));
		goto out;
	}
	*v6 = ai->ai_family == AF_INET6;
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, h, sizeof(h), p,
			sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(err, EXPORTER_ERR, "%s: cannot listen: %s", addr,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
		goto out;
	}
	snprintf(url, urlsize, "http://%s%s%s:%s/metrics",
		 *v6 ? "[" : "", h, *v6 ? "]" : "", p);
out:
	if (ai)
		freeaddrinfo(ai);
	free(host);
	free(port);
	return fd;
}

/* ---- life ---------------------------------------------------------- */

struct exporter *exporter_new(const char *addr,
			      const struct collect_conf *conf,
			      char err[EXPORTER_ERR])
{
	struct exporter *e;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	sigset_t all, old;
	int fd, v6 = 0;
	size_t i;

	e = xcalloc(1, sizeof(*e));
	fd = listen_on(addr, &v6, e->url, sizeof(e->url), err);
	if (fd < 0) {
		free(e);
		return NULL;
	}
	e->conf = conf;
	e->start_time = (double)clock_real_ns() / NS_PER_S;
	pthread_mutex_init(&e->lock, NULL);
	pthread_mutex_init(&e->render, NULL);
	pthread_cond_init(&e->vwake, NULL);
	prof_reader_init(&e->reader, NULL);
	for (i = 0; i < conf->ntargets; i++)
		add_target(e, conf->targets[i].name, conf->targets[i].labels,
			   conf->targets[i].kinds);
	if (v6)
		flags |= MHD_USE_IPv6;
	/* The stop signals are the run's: its threads take none of them,
	 * so the second one still ends the process at once. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e->vstarted = !pthread_create(&e->vthread, NULL, verdict_thread, e);
	/* The server's own thread polls and answers: the run's loop
	 * never waits on a scraper. */
	e->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, e,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT,
				     (unsigned)MAX_CONNECTIONS,
				     MHD_OPTION_CONNECTION_TIMEOUT,
				     (unsigned)CONNECTION_TIMEOUT_S,
				     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!e->daemon) {
		snprintf(err, EXPORTER_ERR, "%s: cannot start the HTTP "
			 "server", addr);
		close(fd);
		exporter_free(e);
		return NULL;
	}
	return e;
}

const char *exporter_url(const struct exporter *e)
{
	return e->url;
}

void exporter_free(struct exporter *e)
{
	size_t i;

	if (!e)
		return;
	if (e->daemon)
		MHD_stop_daemon(e->daemon);
	if (e->vstarted) {
		pthread_mutex_lock(&e->lock);
		e->vstop = 1;
		pthread_cond_signal(&e->vwake);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->vthread, NULL);
	}
	ev_release(&e->verdicts);
	pthread_cond_destroy(&e->vwake);
	for (i = 0; i < e->ntx; i++)
		free_target(e->tx[i]);
	free(e->tx);
	prof_reader_release(&e->reader);
	pthread_mutex_destroy(&e->lock);
	pthread_mutex_destroy(&e->render);
	free(e);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* leaky collect's discovery: a Prometheus's targets and file_sd files. */
#include "fleet/discover.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/leaky.h"
#include "collect/collect.h"
#include "collect/collrun.h"
#include "collect/found.h"
#include "collect/settings.h"
#include "decode/filesd.h"
#include "decode/promjson.h"
#include "decode/promsel.h"
#include "fleet/promapi.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S ((int64_t)1000000000)
/* Files are looked at this often for changes. */
#define FILE_CHECK_NS NS_PER_S
/* Lines kept for the run to say; more are counted, not kept. */
#define MAX_PENDING_LINES 64
#define ERR_MAX 512

/* One file a --file-sd pattern matched, as last read. */
struct sdfile {
	char *path;
	struct stat st;		/* when it was read (or failed to be) */
	int seen;		/* matched by this pass's globs */
	int ok;			/* groups are from this version */
	struct filesd sd;	/* its last good groups */
};

struct discover {
	const struct collect_conf *conf;
	struct promapi *prom;		/* NULL without --targets-from */
	struct promsel *sel;		/* NULL: every target */
	/* the thread's own */
	struct sdfile *files;
	size_t nfiles;
	struct promjson_answer answer;	/* the last good targets answer */
	int prom_failing;
	int64_t next_prom, next_files;
	char *key;			/* of the list handed last */
	struct buf said;		/* target errors said, '\n' after each */
	/* handed to the run, under lock */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	struct collect_target *list;
	size_t nlist;
	int changed;
	char *lines[MAX_PENDING_LINES];
	size_t nlines, lost;
	pthread_t thread;
	int started;
	/* at the start: failures are errors, not lines */
	int starting;
	char *first_err;
};

/* A line for the run's stderr (or the start's error). */
static void tell(struct discover *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tell(struct discover *d, const char *fmt, ...)
{
	char line[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (d->starting) {
		if (!d->first_err)
			d->first_err = xstrdup(line);
		return;
	}
	pthread_mutex_lock(&d->lock);
	if (d->nlines < MAX_PENDING_LINES)
		d->lines[d->nlines++] = text_dup_safe(line, TEXT_TERMINAL);
	else
		d->lost++;
	pthread_mutex_unlock(&d->lock);
}

/* ---- file_sd ------------------------------------------------------- */

/* Reads path whole, at most FILESD_MAX_BYTES; 0, or -1 with err. */
static int read_whole(const char *path, struct buf *b, struct stat *st,
		      char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char chunk[65536];
	ssize_t n;

	b->len = 0;
	if (fd < 0)
		return failf(err, errlen, "%s", strerror(errno));
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return failf(err, errlen, "not a regular file");
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			failf(err, errlen, "%s", strerror(errno));
			close(fd);
			return -1;
		}
		if (b->len + (size_t)n > FILESD_MAX_BYTES) {
			close(fd);
			return failf(err, errlen, "larger than %zu bytes",
				     (size_t)FILESD_MAX_BYTES);
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static int same_version(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static struct sdfile *file_entry(struct discover *d, const char *path)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++)
		if (!strcmp(d->files[i].path, path))
			return &d->files[i];
	d->files = xrealloc(d->files, (d->nfiles + 1) * sizeof(*d->files));
	memset(&d->files[d->nfiles], 0, sizeof(*d->files));
	d->files[d->nfiles].path = xstrdup(path);
	return &d->files[d->nfiles++];
}

/*
 * Reads f again when it changed (or when all, at a refresh): a file that
 * no longer decodes keeps its last good targets, as Prometheus keeps
 * them, and is said once per version. Returns 1 when its groups changed.
 */
static int read_file(struct discover *d, struct sdfile *f, int all)
{
	char err[ERR_MAX];
	struct filesd sd;
	struct stat st;
	struct buf b;
	int syn = filesd_syntax_of(f->path);

	if (stat(f->path, &st) < 0) {
		f->seen = 0;	/* gone between the glob and now */
		return 0;
	}
	if (f->st.st_ino && same_version(&f->st, &st) && !all)
		return 0;
	if (syn < 0) {
		if (!f->st.st_ino)
			tell(d, "%s: not a file_sd file (.json, .yml or .yaml "
			     "only): not read", f->path);
		f->st = st;
		return 0;
	}
	buf_init(&b);
	memset(&sd, 0, sizeof(sd));
	if (read_whole(f->path, &b, &st, err, sizeof(err)) < 0 ||
	    filesd_decode((const char *)b.data, b.len,
			  (enum filesd_syntax)syn, &sd, err, sizeof(err)) < 0) {
		if (!f->st.st_ino || !same_version(&f->st, &st))
			tell(d, "%s: %s (%s)", f->path, err, f->ok ?
			     "its targets as last read are kept" :
			     "no targets from it");
		f->st = st;
		buf_release(&b);
		return 0;
	}
	buf_release(&b);
	if (!f->ok && f->st.st_ino && !d->starting)
		tell(d, "%s: read again", f->path);
	f->st = st;
	filesd_release(&f->sd);
	f->sd = sd;
	f->ok = 1;
	return 1;
}

/* Globs every pattern; reads what changed; forgets files gone. */
static int scan_files(struct discover *d, int all)
{
	const struct collect_conf *conf = d->conf;
	size_t i, j, kept = 0;
	int changed = 0;

	for (i = 0; i < d->nfiles; i++)
		d->files[i].seen = 0;
	for (i = 0; i < conf->nfile_sd; i++) {
		glob_t g;
		int rc = glob(conf->file_sd[i], GLOB_NOSORT, NULL, &g);

		if (rc == GLOB_NOMATCH && d->starting)
			fprintf(stderr, "%s: --file-sd %s: no file matches "
				"yet\n", leaky_progname, conf->file_sd[i]);
		if (rc == 0)
			for (j = 0; j < g.gl_pathc; j++)
				file_entry(d, g.gl_pathv[j])->seen = 1;
		if (rc == 0 || rc == GLOB_NOMATCH)
			globfree(&g);
	}
	for (i = 0; i < d->nfiles; i++) {
		struct sdfile *f = &d->files[i];

		if (f->seen)
			changed |= read_file(d, f, all);
		if (!f->seen) {
			changed |= f->ok && f->sd.ngroups;
			filesd_release(&f->sd);
			free(f->path);
			continue;
		}
		d->files[kept++] = *f;
	}
	d->nfiles = kept;
	return changed;
}

/* ---- Prometheus ---------------------------------------------------- */

/* Reads the active targets; 1 when the answer replaced the last one. */
static int scan_prometheus(struct discover *d)
{
	struct promjson_answer a;
	char err[ERR_MAX];
	int transport = 0;

	memset(&a, 0, sizeof(a));
	if (promapi_targets(d->prom, &a, &transport, err, sizeof(err)) < 0) {
		if (!d->prom_failing++)
			tell(d, "%s (%s)", err, d->starting ? "at the start" :
			     "the targets it gave last are kept");
		return 0;
	}
	if (d->prom_failing && !d->starting)
		tell(d, "%s: answering again", promapi_shown(d->prom));
	d->prom_failing = 0;
	promjson_release(&d->answer);
	d->answer = a;
	return 1;
}

/* ---- the list ------------------------------------------------------ */

/* Labels under construction: a target's whole set. */
struct lset {
	char **names, **values;
	size_t n, cap;
};

static void lset_add(struct lset *l, const char *name, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->names = xrealloc(l->names, l->cap * sizeof(*l->names));
		l->values = xrealloc(l->values, l->cap * sizeof(*l->values));
	}
	l->names[l->n] = (char *)name;
	l->values[l->n++] = (char *)value;
}

static const char *lset_get(const struct lset *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return l->values[i];
	return NULL;
}

struct cands {
	struct collect_target *v;
	size_t n, cap;
};

/* Says a target's error once while it lasts. */
static void target_error(struct discover *d, struct buf *now, const char *e)
{
	buf_addstr(now, e);
	buf_add(now, "\n", 1);
	if (d->said.len && memmem(d->said.data, d->said.len, e, strlen(e)))
		return;
	tell(d, "%s: not sampled", e);
}

static void consider(struct discover *d, struct cands *c, struct buf *errs,
		     const struct found *f, const struct lset *l)
{
	char err[COLLECT_ERR];

	if (d->sel && !promsel_match(d->sel, l->names, l->values, l->n))
		return;
	c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
	if (collect_target_found(d->conf, f, &c->v[c->n], err) < 0) {
		target_error(d, errs, err);
		return;
	}
	c->n++;
}

/* The targets of the last Prometheus answer. */
static void prometheus_cands(struct discover *d, struct cands *c,
			     struct buf *errs)
{
	char origin[600];
	size_t i, j;

	snprintf(origin, sizeof(origin), "targets of %s",
		 promapi_shown(d->prom));
	for (i = 0; i < d->answer.ntargets; i++) {
		const struct promjson_target *pt = &d->answer.targets[i];
		const char *u = pt->scrape_url, *auth, *end;
		struct lset l = { 0 };
		struct found f = { 0 };
		char *scheme, *address;

		auth = strstr(u, "://");
		if (!auth)
			continue;
		auth += 3;
		end = auth + strcspn(auth, "/?#");
		scheme = xstrndup(u, (size_t)(auth - 3 - u));
		address = xstrndup(auth, (size_t)(end - auth));
		for (j = 0; j < pt->nlabels; j++)
			lset_add(&l, pt->names[j], pt->values[j]);
		f.scheme = scheme;
		f.address = address;
		f.job = lset_get(&l, "job");
		f.instance = lset_get(&l, "instance");
		f.names = l.names;
		f.values = l.values;
		f.nlabels = l.n;
		f.origin = origin;
		consider(d, c, errs, &f, &l);
		free(scheme);
		free(address);
		free(l.names);
		free(l.values);
	}
}

/* A file's job when its labels give none: its name, less the suffix. */
static char *file_job(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	return xstrndup(base, n ? n : strlen(base));
}

/* The targets of the files, each with its group's labels. */
static void file_cands(struct discover *d, struct cands *c, struct buf *errs)
{
	size_t i, g, t, k;

	for (i = 0; i < d->nfiles; i++) {
		const struct sdfile *sf = &d->files[i];
		char *job = file_job(sf->path);

		for (g = 0; g < sf->sd.ngroups; g++) {
			const struct filesd_group *grp = &sf->sd.groups[g];

			for (t = 0; t < grp->ntargets; t++) {
				struct lset l = { 0 };
				struct found f = { 0 };

				/* Prometheus drops labels starting "__"
				 * (after reading __scheme__). */
				for (k = 0; k < grp->nlabels; k++)
					if (strncmp(grp->names[k], "__", 2))
						lset_add(&l, grp->names[k],
							 grp->values[k]);
				if (!lset_get(&l, "job"))
					lset_add(&l, "job", job);
				if (!lset_get(&l, "instance"))
					lset_add(&l, "instance",
						 grp->targets[t]);
				for (k = 0; k < grp->nlabels; k++)
					if (!strcmp(grp->names[k],
						    "__scheme__"))
						f.scheme = grp->values[k];
				f.address = grp->targets[t];
				f.job = lset_get(&l, "job");
				f.instance = lset_get(&l, "instance");
				f.names = l.names;
				f.values = l.values;
				f.nlabels = l.n;
				f.origin = sf->path;
				consider(d, c, errs, &f, &l);
				free(l.names);
				free(l.values);
			}
		}
		free(job);
	}
}

static int by_name_url(const void *a, const void *b)
{
	const struct collect_target *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->url, y->url);
}

static int name_taken(const struct discover *d, const struct cands *c,
		      size_t upto, const char *name)
{
	size_t i;

	for (i = 0; i < d->conf->ntargets; i++)
		if (!strcmp(d->conf->targets[i].name, name))
			return 1;
	for (i = 0; i < upto; i++)
		if (!strcmp(c->v[i].name, name))
			return 1;
	return 0;
}

/*
 * Names made unique, in an order that does not depend on the sources'
 * (so that a refresh does not swap two names): the same name and URL
 * twice is one target; a name taken by a given target or a found one
 * before it gets "-2", "-3"...
 */
static void make_unique(struct discover *d, struct cands *c)
{
	size_t i, kept = 0;

	if (c->n)
		qsort(c->v, c->n, sizeof(*c->v), by_name_url);
	for (i = 0; i < c->n; i++) {
		struct collect_target *t = &c->v[i];
		char *orig;
		unsigned k;

		if (kept && !by_name_url(&c->v[kept - 1], t)) {
			collect_target_release(t);
			continue;
		}
		orig = xstrdup(t->name);
		for (k = 2; name_taken(d, c, kept, t->name); k++) {
			char suffix[16];
			int sl = snprintf(suffix, sizeof(suffix), "-%u", k);

			free(t->name);
			t->name = xmalloc(strlen(orig) + (size_t)sl + 1);
			/* Within collect_check_name()'s 64 characters. */
			sprintf(t->name, "%.*s%s", 64 - sl, orig, suffix);
		}
		free(orig);
		c->v[kept++] = *t;
	}
	c->n = kept;
}

/* Names, URLs and labels: what a change of the list is. */
static char *list_key(const struct cands *c)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < c->n; i++) {
		buf_addstr(&b, c->v[i].name);
		buf_add(&b, "\t", 1);
		buf_addstr(&b, c->v[i].url);
		buf_add(&b, "\t", 1);
		buf_addstr(&b, c->v[i].labels);
		buf_add(&b, "\n", 1);
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
}

/* Builds the list from what the sources gave last; hands it on when new. */
static void publish(struct discover *d)
{
	struct cands c = { 0 };
	struct buf errs;
	char *key;
	size_t i;

	buf_init(&errs);
	if (d->prom)
		prometheus_cands(d, &c, &errs);
	file_cands(d, &c, &errs);
	make_unique(d, &c);
	buf_release(&d->said);
	d->said = errs;
	key = list_key(&c);
	if (d->key && !strcmp(d->key, key)) {
		free(key);
		for (i = 0; i < c.n; i++)
			collect_target_release(&c.v[i]);
		free(c.v);
		return;
	}
	free(d->key);
	d->key = key;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nlist; i++)
		collect_target_release(&d->list[i]);
	free(d->list);
	d->list = c.v;
	d->nlist = c.n;
	d->changed = 1;
	pthread_mutex_unlock(&d->lock);
}

/* One look at the sources at monotonic time now. */
static void pass(struct discover *d, int64_t now)
{
	int changed = 0, refresh = now >= d->next_prom;

	if (refresh) {
		d->next_prom = now + collect_refresh(d->conf);
		if (d->prom)
			changed |= scan_prometheus(d);
	}
	if (d->conf->nfile_sd && (refresh || now >= d->next_files)) {
		d->next_files = now + FILE_CHECK_NS;
		changed |= scan_files(d, refresh);
	}
	if (changed || !d->key)
		publish(d);
}

/* ---- the thread and the run's hook --------------------------------- */

static void *thread_main(void *arg)
{
	struct discover *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		int64_t now = clock_mono_ns(), next = d->next_prom;
		struct timespec ts;

		if (d->conf->nfile_sd && d->next_files < next)
			next = d->next_files;
		if (next > now) {
			next -= now;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += (time_t)(next / NS_PER_S);
			ts.tv_nsec += (long)(next % NS_PER_S);
			if (ts.tv_nsec >= NS_PER_S) {
				ts.tv_sec++;
				ts.tv_nsec -= NS_PER_S;
			}
			pthread_cond_timedwait(&d->wake, &d->lock, &ts);
			continue;
		}
		pthread_mutex_unlock(&d->lock);
		pass(d, now);
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

static int hook_found(void *data, struct collect_target **found,
		      size_t *nfound, char **say)
{
	struct discover *d = data;
	int changed;

	pthread_mutex_lock(&d->lock);
	if (d->nlines) {
		*say = d->lines[0];
		memmove(d->lines, d->lines + 1,
			--d->nlines * sizeof(*d->lines));
	} else if (d->lost) {
		*say = xmalloc(96);
		snprintf(*say, 96, "discovery: %zu more lines not shown",
			 d->lost);
		d->lost = 0;
	}
	changed = d->changed;
	if (changed) {
		*found = d->list;
		*nfound = d->nlist;
		d->list = NULL;
		d->nlist = 0;
		d->changed = 0;
	}
	pthread_mutex_unlock(&d->lock);
	return changed;
}

void discover_hooks(struct discover *d, struct collrun_hooks *h)
{
	h->found = hook_found;
	h->found_data = d;
}

struct discover *discover_new(const struct collect_conf *conf,
			      const struct discover_auth *auth, char *err,
			      size_t errlen)
{
	struct discover *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t ca;
	sigset_t all, old;

	d->conf = conf;
	d->starting = 1;
	buf_init(&d->said);
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (conf->match && !(d->sel = promsel_parse(conf->match, err,
						     errlen)))
		goto fail;
	if (conf->targets_from) {
		struct promapi_opts o = { 0 };

		o.url = conf->targets_from;
		if (auth) {
			o.headers = auth->headers;
			o.nheaders = auth->nheaders;
			o.ca_file = auth->ca_file;
		}
		o.timeout_ns = collect_refresh(conf) < 30 * NS_PER_S ?
			collect_refresh(conf) : 30 * NS_PER_S;
		d->prom = promapi_new(&o, err, errlen);
		if (!d->prom)
			goto fail;
	}
	pass(d, clock_mono_ns());
	if (d->first_err) {
		snprintf(err, errlen, "%s", d->first_err);
		goto fail;
	}
	d->starting = 0;
	if (!d->nlist) {
		char rf[DURATION_TEXT_MAX];

		tell(d, "no targets found yet; looking again every %s%s",
		     duration_format(collect_refresh(conf), rf),
		     conf->nfile_sd ? " and at each change of a file" : "");
	}
	/* The run's stop signals are its own: this thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	d->started = !pthread_create(&d->thread, NULL, thread_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!d->started) {
		snprintf(err, errlen, "cannot start discovery's thread");
		goto fail;
	}
	return d;
fail:
	discover_free(d);
	return NULL;
}

void discover_free(struct discover *d)
{
	size_t i;

	if (!d)
		return;
	if (d->started) {
		pthread_mutex_lock(&d->lock);
		d->stop = 1;
		pthread_cond_signal(&d->wake);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
	}
	for (i = 0; i < d->nfiles; i++) {
		filesd_release(&d->files[i].sd);
		free(d->files[i].path);
	}
	free(d->files);
	for (i = 0; i < d->nlist; i++)
		collect_target_release(&d->list[i]);
	free(d->list);
	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	promjson_release(&d->answer);
	promapi_free(d->prom);
	promsel_free(d->sel);
	buf_release(&d->said);
	free(d->key);
	free(d->first_err);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* leaky collect's pure parts: settings, specs, schedule, validation, rows. */
#include "collect/collect.h"
#include "base/buf.h"
#include "out/csvout.h"
#include "decode/gunzip.h"
#include "base/leaky.h"
#include "decode/procmem.h"
#include "model/profile.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_MS ((int64_t)1000000)
#define NS_PER_S ((int64_t)1000000000)
/* Shortest interval: below it the schedule is mostly poll latency. */
#define MIN_INTERVAL (10 * NS_PER_MS)
/* Longest duration accepted anywhere: a year. */
#define MAX_DURATION (366 * 86400 * NS_PER_S)

/* name, what, endpoint, query, dir, suffix, type, proto, takes_seconds */
const struct collect_kind_info collect_kinds[CK_NKINDS] = {
	[CK_HEAP] = { "heap", "a heap profile", "heap", NULL, "profiles",
		      "heap.pb.gz", "inuse_space", 1, 1 },
	[CK_HEAP_TEXT] = { "heap.txt", "a heap?debug=1 dump", "heap",
			   "debug=1", "profiles", "heap.txt", NULL, 0, 0 },
	[CK_ALLOCS] = { "allocs", "an allocs profile", "allocs", NULL,
			"profiles", "allocs.pb.gz", "alloc_space", 1, 1 },
	[CK_GOROUTINE] = { "goroutine", "a goroutine profile", "goroutine",
			   NULL, "goroutines", "goroutine.pb.gz", "goroutine",
			   1, 1 },
	[CK_GOROUTINE_TEXT] = { "goroutine.txt", "a goroutine?debug=2 dump",
				"goroutine", "debug=2", "goroutines",
				"goroutine.txt", NULL, 0, 0 },
	[CK_BLOCK] = { "block", "a block profile", "block", NULL, "profiles",
		       "block.pb.gz", "contentions", 1, 1 },
	[CK_MUTEX] = { "mutex", "a mutex profile", "mutex", NULL, "profiles",
		       "mutex.pb.gz", "contentions", 1, 1 },
	[CK_THREADCREATE] = { "threadcreate", "a threadcreate profile",
			      "threadcreate", NULL, "profiles",
			      "threadcreate.pb.gz", "threadcreate", 1, 0 },
	[CK_PMAP] = { "pmap", "pmap -x output", NULL, NULL, "pmaps", "pmap",
		      NULL, 0, 0 },
	[CK_SMAPS_ROLLUP] = { "smaps_rollup", "an smaps_rollup", NULL, NULL,
			      "pmaps", "smaps_rollup", NULL, 0, 0 },
	[CK_STATUS] = { "status", "a status file", NULL, NULL, "pmaps",
			"status", NULL, 0, 0 },
};

static void seterr(char err[COLLECT_ERR], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void seterr(char err[COLLECT_ERR], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, COLLECT_ERR, fmt, ap);
	va_end(ap);
}

static char **copy_strv(char **v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof(*c));
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- settings ------------------------------------------------------ */

void collect_conf_init(struct collect_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->output = xstrdup(COLLECT_DEFAULT_OUTPUT);
	conf->interval_ns = COLLECT_DEFAULT_INTERVAL;
	conf->kinds = CK_DEFAULT;
	conf->labels = xstrdup("");
	conf->max_body = COLLECT_DEFAULT_MAX_BODY;
	conf->max_inflated = COLLECT_DEFAULT_MAX_INFLATED;
	conf->spread = 1;
	conf->fsync = 1;
	conf->max_connections = COLLECT_DEFAULT_MAX_CONNECTIONS;
}

static void target_release(struct collect_target *t)
{
	free(t->name);
	free(t->url);
	free(t->base);
	free(t->unix_socket);
	free(t->host);
	free(t->pidfile);
	free(t->process);
	free_strv(t->headers, t->nheaders);
	free(t->labels);
	free(t->ca_file);
	free(t->origin);
}

void collect_conf_release(struct collect_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->ntargets; i++)
		target_release(&conf->targets[i]);
	free(conf->targets);
	free(conf->output);
	free_strv(conf->headers, conf->nheaders);
	free(conf->labels);
	free(conf->source);
	memset(conf, 0, sizeof(*conf));
}

struct collect_target *collect_conf_add(struct collect_conf *conf)
{
	struct collect_target *t;

	conf->targets = xrealloc(conf->targets, (conf->ntargets + 1) *
				 sizeof(*conf->targets));
	t = &conf->targets[conf->ntargets++];
	memset(t, 0, sizeof(*t));
	return t;
}

void collect_conf_add_default_target(struct collect_conf *conf)
{
	struct collect_target *t = collect_conf_add(conf);
	char err[COLLECT_ERR];

	t->name = xstrdup(COLLECT_DEFAULT_NAME);
	t->origin = xstrdup("built-in default target");
	if (collect_set_url(t, COLLECT_DEFAULT_URL, err) < 0)
		BUG("the default target URL: %s", err);
}

int64_t collect_target_interval(const struct collect_conf *conf,
				const struct collect_target *t)
{
	return t->interval_ns ? t->interval_ns : conf->interval_ns;
}

int64_t collect_target_timeout(const struct collect_conf *conf,
			       const struct collect_target *t)
{
	int64_t ivl = collect_target_interval(conf, t);

	if (t->timeout_ns)
		return t->timeout_ns;
	if (conf->timeout_ns)
		return conf->timeout_ns;
	/* A delta profile takes its seconds first: what is left. */
	ivl -= t->seconds * NS_PER_S;
	if (ivl <= 0)
		return 0;
	/* A quarter of it is left for the body's check and save: a target
	 * that always times out then still has every round, where a timeout
	 * equal to the interval made it end just as the next round was due,
	 * and every other round was skipped. */
	ivl -= ivl / 4;
	return ivl < COLLECT_MAX_TIMEOUT ? ivl : COLLECT_MAX_TIMEOUT;
}

static int finish_target(struct collect_conf *conf, struct collect_target *t,
			 char err[COLLECT_ERR])
{
	int64_t ivl, tmo;
	char a[32], b[32], c[32];

	if (!(t->set & CT_SET_KINDS))
		t->kinds = conf->kinds;
	if (!(t->set & CT_SET_GC))
		t->gc = conf->gc;
	if (!(t->set & CT_SET_SECONDS))
		t->seconds = conf->seconds;
	if (!(t->set & CT_SET_HEADERS)) {
		free_strv(t->headers, t->nheaders);
		t->headers = copy_strv(conf->headers, conf->nheaders);
		t->nheaders = conf->nheaders;
	}
	if (!(t->set & CT_SET_LABELS)) {
		free(t->labels);
		t->labels = xstrdup(conf->labels);
	}
	/* Process memory needs a process on this machine. */
	if (!t->local && !t->pid && !t->pidfile && !t->process &&
	    (t->kinds & CK_MEMORY)) {
		if (t->set & CT_SET_KINDS) {
			seterr(err, "%s: target '%s': process memory needs a "
			       "local URL or pid, pidfile or process",
			       t->origin, t->name);
			return -1;
		}
		t->kinds &= ~CK_MEMORY;
	}
	if (!t->kinds) {
		seterr(err, "%s: target '%s': no profiles to take", t->origin,
		       t->name);
		return -1;
	}
	ivl = collect_target_interval(conf, t);
	if (ivl < MIN_INTERVAL) {
		seterr(err, "%s: target '%s': interval %s is below the "
		       "minimum of %s", t->origin, t->name,
		       collect_format_duration(ivl, a),
		       collect_format_duration(MIN_INTERVAL, b));
		return -1;
	}
	if (t->seconds * NS_PER_S >= ivl) {
		seterr(err, "%s: target '%s': seconds=%" PRId64 " must be "
		       "below the interval %s", t->origin, t->name,
		       t->seconds, collect_format_duration(ivl, b));
		return -1;
	}
	tmo = collect_target_timeout(conf, t);
	if (tmo > ivl) {
		seterr(err, "%s: target '%s': timeout %s exceeds the interval "
		       "%s", t->origin, t->name,
		       collect_format_duration(tmo, a),
		       collect_format_duration(ivl, b));
		return -1;
	}
	if (t->seconds && t->seconds * NS_PER_S + tmo > ivl) {
		seterr(err, "%s: target '%s': seconds=%" PRId64 " plus the "
		       "timeout %s exceed the interval %s", t->origin,
		       t->name, t->seconds, collect_format_duration(tmo, c),
		       collect_format_duration(ivl, b));
		return -1;
	}
	return 0;
}

int collect_conf_finish(struct collect_conf *conf, char err[COLLECT_ERR])
{
	size_t i, j;

	if (!conf->ntargets) {
		seterr(err, "no targets (give -t NAME=URL or targets in the "
		       "configuration)");
		return -1;
	}
	if (!conf->output || !*conf->output) {
		seterr(err, "no output directory");
		return -1;
	}
	for (i = 0; i < conf->ntargets; i++) {
		struct collect_target *t = &conf->targets[i];

		for (j = 0; j < i; j++)
			if (!strcmp(conf->targets[j].name, t->name)) {
				seterr(err, "%s: target '%s' already defined "
				       "at %s", t->origin, t->name,
				       conf->targets[j].origin);
				return -1;
			}
		if (finish_target(conf, t, err) < 0)
			return -1;
	}
	/* A gzip bomb under --max-body is refused at this cap: checking it
	 * costs time and memory in proportion to the cap, not to the 256M
	 * default, when the body limit is small. */
	if (conf->max_body &&
	    conf->max_inflated / COLLECT_INFLATE_RATIO > conf->max_body)
		conf->max_inflated = conf->max_body * COLLECT_INFLATE_RATIO;
	return 0;
}

/* ---- durations, kinds, names --------------------------------------- */

int collect_parse_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char *unit;
		int64_t ns;
	} units[] = {
		{ "ms", NS_PER_MS }, { "s", NS_PER_S }, { "m", 60 * NS_PER_S },
		{ "h", 3600 * NS_PER_S }, { "d", 86400 * NS_PER_S },
	};
	const char *p = s;
	int64_t total = 0;
	size_t i;

	if (!*p)
		return -1;
	if (!strcmp(p, "0")) {
		*ns = 0;
		return 0;
	}
	while (*p) {
		int64_t whole = 0, frac = 0, scale = 1, unit = -1;
		int digits = 0;

		while (isdigit((unsigned char)*p)) {
			if (whole > MAX_DURATION / 10)
				return -1;
			whole = whole * 10 + (*p++ - '0');
			digits++;
		}
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (scale < 1000000000) {
					frac = frac * 10 + (*p - '0');
					scale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (!digits)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].unit);

			if (!strncmp(p, units[i].unit, n) &&
			    !isalpha((unsigned char)p[n])) {
				unit = units[i].ns;
				p += n;
				break;
			}
		}
		if (unit < 0) {
			/* A bare number is seconds, alone only. */
			if (*p || p != s + strspn(s, "0123456789."))
				return -1;
			unit = NS_PER_S;
		}
		if (whole > MAX_DURATION / unit)
			return -1;
		total += whole * unit + frac * (unit / scale) +
			 (unit % scale ? frac * (unit % scale) / scale : 0);
		if (total > MAX_DURATION)
			return -1;
	}
	*ns = total;
	return 0;
}

char *collect_format_duration(int64_t ns, char buf[32])
{
	int64_t h, m, s, ms;
	size_t n = 0;

	if (ns <= 0) {
		snprintf(buf, 32, "0s");
		return buf;
	}
	if (ns < NS_PER_S) {
		if (ns % NS_PER_MS)
			snprintf(buf, 32, "%.3gms", (double)ns / NS_PER_MS);
		else
			snprintf(buf, 32, "%" PRId64 "ms", ns / NS_PER_MS);
		return buf;
	}
	ms = ns / NS_PER_MS;
	h = ms / 3600000;
	m = ms / 60000 % 60;
	s = ms / 1000 % 60;
	ms %= 1000;
	buf[0] = '\0';
	if (h)
		n += (size_t)snprintf(buf + n, 32 - n, "%" PRId64 "h", h);
	if (m)
		n += (size_t)snprintf(buf + n, 32 - n, "%" PRId64 "m", m);
	if (s || ms) {
		if (ms) {
			char f[8];
			size_t l;

			snprintf(f, sizeof(f), "%03" PRId64, ms);
			for (l = strlen(f); l > 0 && f[l - 1] == '0'; l--)
				f[l - 1] = '\0';
			snprintf(buf + n, 32 - n, "%" PRId64 ".%ss", s, f);
		} else {
			snprintf(buf + n, 32 - n, "%" PRId64 "s", s);
		}
	}
	return buf;
}

int collect_kind_by_name(const char *name, size_t len)
{
	int k;

	for (k = 0; k < CK_NKINDS; k++)
		if (strlen(collect_kinds[k].name) == len &&
		    !memcmp(collect_kinds[k].name, name, len))
			return k;
	return -1;
}

int collect_parse_kinds(const char *list, char sep, unsigned *mask,
			char err[COLLECT_ERR])
{
	const char *p = list;
	unsigned m = 0;

	for (;;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int k;

		if (!n) {
			seterr(err, "empty profile name in '%s'", list);
			return -1;
		}
		k = collect_kind_by_name(p, n);
		if (k >= 0)
			m |= CK_BIT(k);
		else if (n == 6 && !memcmp(p, "memory", 6))
			m |= CK_MEMORY;
		else if (n == 7 && !memcmp(p, "default", 7))
			m |= CK_DEFAULT;
		else if (n == 3 && !memcmp(p, "all", 3))
			m |= (1u << CK_NKINDS) - 1;
		else {
			seterr(err, "unknown profile '%.*s' (heap, heap.txt, "
			       "allocs, goroutine, goroutine.txt, block, "
			       "mutex, threadcreate, pmap, smaps_rollup, "
			       "status, memory, default, all)", (int)n, p);
			return -1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

int collect_check_name(const char *name, char err[COLLECT_ERR])
{
	size_t i, n = strlen(name);

	if (!n || n > 64 || !isalnum((unsigned char)name[0]))
		goto bad;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			goto bad;
	return 0;
bad:
	seterr(err, "bad target name '%s' (letters, digits, '_' and '-', "
	       "starting with a letter or digit, at most 64)", name);
	return -1;
}

/* ---- URLs and specs ------------------------------------------------ */

char *collect_redact(const char *s)
{
	struct buf b;
	const char *p = s, *scheme;

	buf_init(&b);
	while ((scheme = strstr(p, "://")) != NULL) {
		const char *auth = scheme + 3;
		size_t n = strcspn(auth, "/,?# \t\r\n'\"");
		const char *at = NULL, *q, *colon;

		/* The last '@' before the host's end ends the userinfo. */
		for (q = auth; q < auth + n; q++)
			if (*q == '@')
				at = q;
		buf_add(&b, p, (size_t)(auth - p));
		p = auth;
		if (!at)
			continue;
		colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon)
			buf_add(&b, auth, (size_t)(colon + 1 - auth));
		buf_addstr(&b, "***");
		p = at;
	}
	buf_addstr(&b, p);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

/*
 * collect_redact() for a URL as given: one without "://" ("admin:secret@h",
 * refused for its missing scheme) still carries a userinfo before its '@'.
 * Only here, where the whole text is a URL: in a message a bare '@' is not.
 */
static char *redact_url(const char *url)
{
	size_t n = strcspn(url, "/");
	const char *at = NULL, *colon, *q;
	struct buf b;

	if (strstr(url, "://"))
		return collect_redact(url);
	for (q = url; q < url + n; q++)
		if (*q == '@')
			at = q;
	if (!at)
		return xstrdup(url);
	buf_init(&b);
	colon = memchr(url, ':', (size_t)(at - url));
	if (colon)
		buf_add(&b, url, (size_t)(colon + 1 - url));
	buf_addstr(&b, "***");
	buf_addstr(&b, at);
	buf_add(&b, "", 1);
	return (char *)b.data;
}

static int is_loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strcmp(host, "::1") ||
	       !strncmp(host, "127.", 4);
}

int collect_set_url(struct collect_target *t, const char *url,
		    char err[COLLECT_ERR])
{
	const char *u = url, *auth, *path, *hend, *port = NULL;
	char *sock = NULL, *host = NULL, *p;
	struct buf b;
	size_t plen;
	long portnum;
	int https;
	/* What messages quote: a password given anyway is never shown. */
	char *shown = redact_url(url);

	if (strpbrk(url, "?# \t\r\n")) {
		seterr(err, "URL '%s': no query, fragment or spaces allowed "
		       "(the profiles' paths and queries are added)", shown);
		goto fail;
	}
	if (!strncmp(u, "unix:", 5)) {
		const char *m = strstr(u + 5, ":http://");

		if (!m)
			m = strstr(u + 5, ":https://");
		if (!m || m == u + 5) {
			seterr(err, "URL '%s': a unix socket is written "
			       "unix:/PATH/TO.sock:http://HOST[/PATH]", shown);
			goto fail;
		}
		sock = xstrndup(u + 5, (size_t)(m - (u + 5)));
		u = m + 1;
	}
	if (!strncmp(u, "http://", 7)) {
		https = 0;
		auth = u + 7;
	} else if (!strncmp(u, "https://", 8)) {
		https = 1;
		auth = u + 8;
	} else {
		seterr(err, "URL '%s': http://, https:// or unix: only", shown);
		goto fail;
	}
	path = auth + strcspn(auth, "/");
	if (memchr(auth, '@', (size_t)(path - auth))) {
		seterr(err, "URL '%s': no credentials in URLs (they would be "
		       "logged); use a header", shown);
		goto fail;
	}
	if (*auth == '[') {
		hend = memchr(auth, ']', (size_t)(path - auth));
		if (!hend || hend == auth + 1)
			goto badhost;
		host = xstrndup(auth + 1, (size_t)(hend - auth - 1));
		hend++;
		if (hend < path && *hend != ':')
			goto badhost;
		if (hend < path)
			port = hend + 1;
	} else {
		hend = memchr(auth, ':', (size_t)(path - auth));
		if (!hend)
			hend = path;
		if (hend == auth)
			goto badhost;
		host = xstrndup(auth, (size_t)(hend - auth));
		if (hend < path)
			port = hend + 1;
	}
	portnum = https ? 443 : 80;
	if (port) {
		char *end;

		if (port == path || !isdigit((unsigned char)*port))
			goto badport;
		portnum = strtol(port, &end, 10);
		if (end != path || portnum < 1 || portnum > 65535)
			goto badport;
	}
	plen = strlen(path);
	while (plen && path[plen - 1] == '/')
		plen--;
	buf_init(&b);
	buf_add(&b, u, (size_t)(path - u));
	buf_add(&b, path, plen);
	if (!(plen >= 12 && !memcmp(path + plen - 12, "/debug/pprof", 12)))
		buf_addstr(&b, "/debug/pprof");
	buf_add(&b, "/", 2);
	free(t->url);
	free(t->base);
	free(t->unix_socket);
	free(t->host);
	t->url = xstrdup(url);
	t->base = (char *)b.data;
	t->unix_socket = sock;
	t->host = host;
	for (p = t->host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	t->port = (int)portnum;
	t->local = sock || is_loopback(t->host);
	free(shown);
	return 0;
badhost:
	seterr(err, "URL '%s': bad host", shown);
	goto fail;
badport:
	seterr(err, "URL '%s': bad port", shown);
fail:
	free(sock);
	free(host);
	free(shown);
	return -1;
}

static int spec_i64(const char *key, const char *v, int64_t *out,
		    char err[COLLECT_ERR])
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end || errno || n <= 0 ||
	    n > INT32_MAX) {
		seterr(err, "bad %s '%s' (a positive whole number)", key, v);
		return -1;
	}
	*out = n;
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "0") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int spec_option(struct collect_target *t, const char *key,
		       const char *v, char err[COLLECT_ERR])
{
	int64_t d;

	if (!strcmp(key, "pid"))
		return spec_i64("pid", v ? v : "", &t->pid, err);
	if (!strcmp(key, "seconds")) {
		t->set |= CT_SET_SECONDS;
		return spec_i64("seconds", v ? v : "", &t->seconds, err);
	}
	if (!strcmp(key, "gc")) {
		t->set |= CT_SET_GC;
		if (!v) {
			t->gc = 1;
			return 0;
		}
		if (parse_bool(v, &t->gc) < 0) {
			seterr(err, "bad gc '%s' (yes or no)", v);
			return -1;
		}
		return 0;
	}
	if (!v || !*v) {
		seterr(err, "'%s' needs a value (%s=...)", key, key);
		return -1;
	}
	if (!strcmp(key, "pidfile")) {
		free(t->pidfile);
		t->pidfile = xstrdup(v);
	} else if (!strcmp(key, "process")) {
		free(t->process);
		t->process = xstrdup(v);
	} else if (!strcmp(key, "profiles")) {
		t->set |= CT_SET_KINDS;
		return collect_parse_kinds(v, '+', &t->kinds, err);
	} else if (!strcmp(key, "interval") || !strcmp(key, "timeout")) {
		if (collect_parse_duration(v, &d) < 0 || d <= 0) {
			seterr(err, "bad %s '%s' (e.g. 30s, 5m, 1h)", key, v);
			return -1;
		}
		if (key[0] == 'i')
			t->interval_ns = d;
		else
			t->timeout_ns = d;
	} else {
		seterr(err, "unknown target option '%s' (pid, pidfile, "
		       "process, profiles, gc, seconds, interval, timeout)",
		       key);
		return -1;
	}
	return 0;
}

/* A spec NAME=URL[,OPTION...] as messages may quote it: the URL redacted. */
static char *redact_spec(const char *spec)
{
	const char *eq = strchr(spec, '='), *end;
	char *url, *shown;
	struct buf b;

	if (!eq)
		return redact_url(spec);
	end = eq + 1 + strcspn(eq + 1, ",");
	url = xstrndup(eq + 1, (size_t)(end - eq - 1));
	shown = redact_url(url);
	buf_init(&b);
	buf_add(&b, spec, (size_t)(eq + 1 - spec));
	buf_addstr(&b, shown);
	buf_addstr(&b, end);
	buf_add(&b, "", 1);
	free(url);
	free(shown);
	return (char *)b.data;
}

int collect_parse_spec(struct collect_target *t, const char *spec,
		       char err[COLLECT_ERR])
{
	const char *eq = strchr(spec, '='), *url, *comma;
	char *name, *urlcopy;
	char sub[COLLECT_ERR];
	/* Messages quote the spec with any password hidden. */
	char *shown = redact_spec(spec);
	int ret = -1;

	free(t->origin);
	t->origin = xmalloc(strlen(shown) + 8);
	sprintf(t->origin, "-t '%s'", shown);
	if (!eq || eq == spec) {
		seterr(err, "-t '%s': expected NAME=URL[,pid=N][,pidfile=F]"
		       "[,process=COMM]...", shown);
		goto out;
	}
	name = xstrndup(spec, (size_t)(eq - spec));
	if (collect_check_name(name, sub) < 0) {
		seterr(err, "-t '%s': %s", shown, sub);
		free(name);
		goto out;
	}
	free(t->name);
	t->name = name;
	url = eq + 1;
	comma = strchr(url, ',');
	urlcopy = comma ? xstrndup(url, (size_t)(comma - url)) : xstrdup(url);
	ret = collect_set_url(t, urlcopy, sub);
	free(urlcopy);
	if (ret < 0) {
		seterr(err, "-t '%s': %s", shown, sub);
		goto out;
	}
	while (comma) {
		const char *opt = comma + 1, *veq;
		char *key, *val = NULL;
		size_t n;

		comma = strchr(opt, ',');
		n = comma ? (size_t)(comma - opt) : strlen(opt);
		veq = memchr(opt, '=', n);
		if (veq) {
			key = xstrndup(opt, (size_t)(veq - opt));
			val = xstrndup(veq + 1, n - (size_t)(veq - opt) - 1);
		} else {
			key = xstrndup(opt, n);
		}
		ret = spec_option(t, key, val, sub);
		free(key);
		free(val);
		if (ret < 0) {
			seterr(err, "-t '%s': %s", shown, sub);
			goto out;
		}
	}
	ret = 0;
out:
	free(shown);
	return ret;
}

char *collect_expand_env(const char *s, char err[COLLECT_ERR])
{
	struct buf b;
	const char *p = s;

	buf_init(&b);
	while (*p) {
		const char *close, *v;
		char *name;

		if (p[0] != '$' || (p[1] != '{' && p[1] != '$')) {
			buf_add(&b, p++, 1);
			continue;
		}
		if (p[1] == '$') {
			buf_add(&b, "$", 1);
			p += 2;
			continue;
		}
		close = strchr(p + 2, '}');
		if (!close || close == p + 2) {
			seterr(err, "bad ${NAME} in '%s'", s);
			goto fail;
		}
		name = xstrndup(p + 2, (size_t)(close - p - 2));
		v = getenv(name);
		if (!v) {
			seterr(err, "environment variable %s is not set", name);
			free(name);
			goto fail;
		}
		free(name);
		buf_addstr(&b, v);
		p = close + 1;
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
fail:
	buf_release(&b);
	return NULL;
}

char *collect_kind_url(const struct collect_target *t, enum collect_kind k)
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	struct buf b;
	char num[32];
	char sep = '?';

	buf_init(&b);
	buf_addstr(&b, t->base);
	buf_addstr(&b, ki->endpoint);
	if (ki->query) {
		buf_add(&b, &sep, 1);
		buf_addstr(&b, ki->query);
		sep = '&';
	}
	if (t->gc && !strcmp(ki->endpoint, "heap")) {
		buf_add(&b, &sep, 1);
		buf_addstr(&b, "gc=1");
		sep = '&';
	}
	if (t->seconds && ki->takes_seconds) {
		snprintf(num, sizeof(num), "seconds=%" PRId64, t->seconds);
		buf_add(&b, &sep, 1);
		buf_addstr(&b, num);
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
}

char *collect_file_name(const char *name, int64_t unix_secs,
			enum collect_kind k, unsigned seq)
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	size_t n = strlen(ki->dir) + strlen(name) + strlen(ki->suffix) + 48;
	char *s = xmalloc(n);

	if (seq)
		snprintf(s, n, "%s/%s_%" PRId64 ".%u.%s", ki->dir, name,
			 unix_secs, seq, ki->suffix);
	else
		snprintf(s, n, "%s/%s_%" PRId64 ".%s", ki->dir, name,
			 unix_secs, ki->suffix);
	return s;
}

/* ---- schedule ------------------------------------------------------ */

int64_t collect_offset(const char *name, int64_t interval_ns, int spread)
{
	uint64_t h = 14695981039346656037ULL;
	int64_t ms = interval_ns / NS_PER_MS;
	const unsigned char *p;

	if (!spread || ms <= 0)
		return 0;
	for (p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (int64_t)(h % (uint64_t)ms) * NS_PER_MS;
}

int collect_spreads(const struct collect_conf *conf)
{
	return conf->spread && conf->ntargets > 1;
}

int64_t collect_due(int64_t base, int64_t interval_ns, int64_t k)
{
	return base + k * interval_ns;
}

int collect_sched_step(int64_t base, int64_t interval_ns, int64_t next,
		       int64_t now, int64_t *slot, int64_t *missed)
{
	int64_t latest;

	if (now < collect_due(base, interval_ns, next))
		return 0;
	latest = (now - base) / interval_ns;
	if (latest < next)
		latest = next;
	*slot = latest;
	*missed = latest - next;
	return 1;
}

/* ---- validation ---------------------------------------------------- */

/*
 * The decoders report through error(); while a body is validated, the
 * first message is kept (error_sink_set) so that the reason goes to the
 * manifest instead of stderr.
 */
struct capture {
	struct error_sink saved;
	char first[COLLECT_ERR];
	int seen;
};

static void capture_msg(void *data, const char *msg)
{
	struct capture *c = data;

	if (!c->seen)
		snprintf(c->first, sizeof(c->first), "%s", msg);
	c->seen = 1;
}

static void capture_begin(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->saved = error_sink_set((struct error_sink){ capture_msg, c });
}

/* Ends the capture; puts its first message, minus "NAME:", in err. */
static void capture_end(struct capture *c, const char *name,
			char err[COLLECT_ERR], const char *fallback)
{
	const char *m = c->first;
	size_t n;

	error_sink_set(c->saved);
	n = strlen(name);
	if (!strncmp(m, name, n) && m[n] == ':') {
		m += n + 1;
		if (isdigit((unsigned char)*m)) {
			const char *colon = strchr(m, ':');

			if (colon) {
				char line[32];

				snprintf(line, sizeof(line), "line %.*s",
					 (int)(colon - m), m);
				seterr(err, "%s%.*s", line,
				       (int)strcspn(colon, "\n"), colon);
				return;
			}
		}
		while (*m == ' ')
			m++;
	}
	if (*m)
		seterr(err, "%.*s", (int)strcspn(m, "\n"), m);
	else
		seterr(err, "%s", fallback);
}

/* The first line of data, printable and short, for messages. */
static void first_line(const uint8_t *data, size_t len, char *out,
		       size_t cap)
{
	size_t i = 0, o = 0;

	while (i < len && isspace(data[i]))
		i++;
	for (; i < len && data[i] != '\n' && data[i] != '\r' && o + 4 < cap;
	     i++) {
		if (o >= 80) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		out[o++] = (data[i] >= 0x20 && data[i] < 0x7f) ? (char)data[i]
							       : '?';
	}
	out[o] = '\0';
}

static int looks_html(const uint8_t *d, size_t len)
{
	size_t i = 0;

	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3;
	while (i < len && isspace(d[i]))
		i++;
	return i < len && d[i] == '<';
}

static int looks_text(const uint8_t *d, size_t len)
{
	size_t i, n = len < 512 ? len : 512;

	for (i = 0; i < n; i++)
		if (d[i] < 0x20 && !isspace(d[i]))
			return 0;
	return 1;
}

static int64_t sum_type(const struct profile *p, const char *type)
{
	int idx = profile_find_type(p, type);
	int64_t sum = 0;
	size_t i;

	if (idx < 0)
		return -1;
	for (i = 0; i < p->nsamples; i++)
		sum += p->samples[i].values[idx];
	return sum;
}

static void describe_types(const struct profile *p, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < p->ntypes && o + 2 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "," : "",
				      p->types[i].type);
	if (!p->ntypes)
		snprintf(out, cap, "none");
}

static int validate_profile(enum collect_kind k, const uint8_t *data,
			    size_t len, size_t max_inflated,
			    struct collect_body_info *info,
			    char err[COLLECT_ERR])
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	struct prof_limits lim = { 0 };
	struct capture cap;
	struct profile *p;
	char line[128], types[160];
	size_t i;
	int sniff;

	lim.max_input = len;
	lim.max_inflated = max_inflated;
	/* The decoded profile's memory, in proportion to the inflated cap
	 * (a 64M floor for small caps): a check's memory is bounded by its
	 * body, the inflated copy and this. */
	lim.max_memory = max_inflated > ((size_t)32 << 20) ?
			 max_inflated * 2 : ((size_t)64 << 20);
	if (ki->proto && !gunzip_is_gzip(data, len)) {
		first_line(data, len, line, sizeof(line));
		if (looks_text(data, len))
			seterr(err, "text, not a gzipped profile: \"%s\"",
			       line);
		else
			seterr(err, "not a gzipped profile (no gzip magic)");
		return -1;
	}
	if (k == CK_HEAP_TEXT &&
	    !heaptext_sniff((const char *)data, len)) {
		first_line(data, len, line, sizeof(line));
		seterr(err, "not a heap?debug=1 dump: \"%s\"", line);
		return -1;
	}
	if (k == CK_GOROUTINE_TEXT) {
		sniff = gortext_sniff((const char *)data, len);
		if (sniff != 2) {
			first_line(data, len, line, sizeof(line));
			seterr(err, "not a goroutine?debug=2 dump: \"%s\"",
			       line);
			return -1;
		}
	}
	capture_begin(&cap);
	p = profile_decode("body", data, len, &lim, NULL);
	capture_end(&cap, "body", err, "invalid profile");
	if (!p)
		return -1;
	err[0] = '\0';
	if (ki->proto) {
		if (p->format != PROF_PPROF) {
			seterr(err, "gzipped text, not %s", ki->what);
			goto fail;
		}
		if (profile_find_type(p, ki->type) < 0) {
			describe_types(p, types, sizeof(types));
			seterr(err, "not %s (sample types %s)", ki->what,
			       types);
			goto fail;
		}
	}
	info->has_time = p->has_time;
	info->time_nanos = p->time_nanos;
	if (k == CK_HEAP || k == CK_ALLOCS) {
		info->alloc_total = sum_type(p, "alloc_space");
		info->has_alloc = info->alloc_total >= 0;
	} else if (k == CK_HEAP_TEXT) {
		for (i = 0; i < p->nstats; i++)
			if (!strcmp(p->stats[i].key, "TotalAlloc")) {
				info->alloc_total =
					strtoll(p->stats[i].value, NULL, 10);
				info->has_alloc = 1;
			}
	}
	profile_free(p);
	return 0;
fail:
	profile_free(p);
	return -1;
}

static int validate_procmem(enum collect_kind k, const uint8_t *data,
			    size_t len, struct collect_body_info *info,
			    char err[COLLECT_ERR])
{
	enum procmem_format want = k == CK_PMAP ? PROCMEM_PMAP_X :
				   k == CK_SMAPS_ROLLUP ? PROCMEM_SMAPS_ROLLUP :
				   PROCMEM_STATUS;
	struct capture cap;
	struct procmem *pm;

	capture_begin(&cap);
	pm = procmem_parse("body", (const char *)data, len);
	capture_end(&cap, "body", err, "invalid process memory snapshot");
	if (!pm)
		return -1;
	if (pm->format != want) {
		seterr(err, "%s output, not %s",
		       procmem_format_name(pm->format),
		       procmem_format_name(want));
		procmem_free(pm);
		return -1;
	}
	info->pid = pm->pid;
	procmem_free(pm);
	return 0;
}

int collect_validate(enum collect_kind k, long status, const uint8_t *data,
		     size_t len, size_t max_inflated,
		     struct collect_body_info *info, char err[COLLECT_ERR])
{
	char line[128];

	memset(info, 0, sizeof(*info));
	info->pid = -1;
	if (CK_IS_HTTP(k) && status != 200) {
		first_line(data, len, line, sizeof(line));
		if (looks_html(data, len))
			seterr(err, "HTTP %ld (an HTML page)", status);
		else if (*line && looks_text(data, len))
			seterr(err, "HTTP %ld: %s", status, line);
		else
			seterr(err, "HTTP %ld", status);
		return -1;
	}
	if (k == CK_PMAP && (!len || !memchr(data, '\n', len - 1))) {
		/* What pmap prints for a vanished or another user's process:
		 * nothing, or just its "PID:  command" line. */
		if (!len)
			seterr(err, "pmap printed nothing: the process is "
			       "gone");
		else
			seterr(err, "pmap printed no mappings: the process is "
			       "gone or not readable (another user's?)");
		return -1;
	}
	if (!len) {
		seterr(err, "empty body");
		return -1;
	}
	if (looks_html(data, len)) {
		first_line(data, len, line, sizeof(line));
		seterr(err, "an HTML page, not %s: \"%s\"",
		       collect_kinds[k].what, line);
		return -1;
	}
	if (CK_IS_HTTP(k))
		return validate_profile(k, data, len, max_inflated, info, err);
	return validate_procmem(k, data, len, info, err);
}

/* ---- manifest ------------------------------------------------------ */

const char collect_manifest_header[] =
	"time,round,target,kind,result,url,status,bytes,duration_ms,file,"
	"pid,error,labels";

char *collect_format_time(int64_t ns, char buf[40])
{
	time_t secs = (time_t)(ns / NS_PER_S);
	int ms = (int)(ns % NS_PER_S / NS_PER_MS);
	struct tm tm;
	size_t n;

	if (ns < 0) {
		secs = 0;
		ms = 0;
	}
	gmtime_r(&secs, &tm);
	n = strftime(buf, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 40 - n, ".%03dZ", ms);
	return buf;
}

void collect_manifest_write_header(struct csvout *c)
{
	fputs(collect_manifest_header, c->fp);
	fputc('\n', c->fp);
}

void collect_manifest_write_row(struct csvout *c, const struct collect_row *r)
{
	char tbuf[40], dbuf[32];

	csvout_str(c, collect_format_time(r->time_ns, tbuf));
	csvout_i64(c, r->round);
	csvout_str(c, r->target);
	csvout_str(c, r->kind);
	csvout_str(c, r->result);
	csvout_str(c, r->url ? r->url : "");
	if (r->status)
		csvout_i64(c, r->status);
	else
		csvout_empty(c);
	if (r->bytes >= 0)
		csvout_i64(c, r->bytes);
	else
		csvout_empty(c);
	if (r->duration_ns >= 0) {
		snprintf(dbuf, sizeof(dbuf), "%.1f",
			 (double)r->duration_ns / NS_PER_MS);
		csvout_str(c, dbuf);
	} else {
		csvout_empty(c);
	}
	csvout_str(c, r->file ? r->file : "");
	if (r->pid > 0)
		csvout_i64(c, r->pid);
	else
		csvout_empty(c);
	csvout_str(c, r->error ? r->error : "");
	csvout_str(c, r->labels ? r->labels : "");
	csvout_end(c);
}

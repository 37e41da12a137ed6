/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a fetched body is worth keeping as its kind of sample. */
#include "collect/validate.h"
#include "base/leaky.h"
#include "decode/fds.h"
#include "decode/memlimit.h"
#include "decode/procmem.h"
#include "decode/reader.h"
#include "decode/sniff.h"
#include "model/profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
				collect_seterr(err, "%s%.*s", line,
					       (int)strcspn(colon, "\n" ),
					       colon);
				return;
			}
		}
		while (*m == ' ')
			m++;
	}
	if (*m)
		collect_seterr(err, "%.*s", (int)strcspn(m, "\n"), m);
	else
		collect_seterr(err, "%s", fallback);
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

/* The one sniffer's rules (decode/sniff.c), on the first bytes of a body. */
static int looks_html(const uint8_t *d, size_t len)
{
	return sniff(d, len) == SNIFF_HTML;
}

static int looks_text(const uint8_t *d, size_t len)
{
	return sniff_is_text(d, len, SNIFF_HEAD);
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

/* The profile's sample types for a reason: "none" when it has none. */
static void describe_types(const struct profile *p, char *out, size_t cap)
{
	char *types = profile_describe_types(p, 0);

	snprintf(out, cap, "%s", *types ? types : "none");
	free(types);
}

/*
 * What the bytes say before any decoding: a profile kind must be gzip
 * (a page or a dump served in its place is named by its first line), a
 * text kind its own dump. Cheap, and a clearer reason than a decoder's.
 */
static int check_wire(enum collect_kind k, const uint8_t *data, size_t len,
		      char err[COLLECT_ERR])
{
	char line[128];

	first_line(data, len, line, sizeof(line));
	if (collect_kinds[k].proto && sniff(data, len) != SNIFF_GZIP) {
		if (looks_text(data, len))
			collect_seterr(err, "text, not a gzipped profile: "
				       "\"%s\"", line);
		else
			collect_seterr(err, "not a gzipped profile (no gzip "
				       "magic)");
		return -1;
	}
	if (k == CK_HEAP_TEXT && sniff(data, len) != SNIFF_HEAP_TEXT) {
		collect_seterr(err, "not a heap?debug=1 dump: \"%s\"", line);
		return -1;
	}
	if (k == CK_GOROUTINE_TEXT && sniff(data, len) != SNIFF_GOROUTINE2) {
		collect_seterr(err, "not a goroutine?debug=2 dump: \"%s\"",
			       line);
		return -1;
	}
	return 0;
}

/* A decoded profile of kind k: the right format and sample type. */
static int check_decoded(enum collect_kind k, const struct profile *p,
			 char err[COLLECT_ERR])
{
	const struct collect_kind_info *ki = &collect_kinds[k];
	char types[160];

	if (!ki->proto)
		return 0;
	if (p->format != PROF_PPROF) {
		collect_seterr(err, "gzipped text, not %s", ki->what);
		return -1;
	}
	if (profile_find_type(p, ki->type) < 0) {
		describe_types(p, types, sizeof(types));
		collect_seterr(err, "not %s (sample types %s)", ki->what,
			       types);
		return -1;
	}
	return 0;
}

/*
 * What the run keeps of a good profile: its own time, and the process's
 * total allocation so far (a counter that only grows while the process
 * lives: a drop means a restart, see collrun.c's restart_in_sample).
 */
static void profile_info(enum collect_kind k, const struct profile *p,
			 struct collect_body_info *info)
{
	size_t i;

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
}

static int validate_profile(enum collect_kind k, const uint8_t *data,
			    size_t len, size_t max_inflated,
			    struct collect_body_info *info,
			    char err[COLLECT_ERR])
{
	struct prof_limits lim = { 0 };
	struct capture cap;
	struct profile *p;
	int ret;

	lim.max_input = len;
	lim.max_inflated = max_inflated;
	/* The decoded profile's memory, in proportion to the inflated cap
	 * (a 64M floor for small caps): a check's memory is bounded by its
	 * body, the inflated copy and this. */
	lim.max_memory = max_inflated > ((size_t)32 << 20) ?
			 max_inflated * 2 : ((size_t)64 << 20);
	if (check_wire(k, data, len, err) < 0)
		return -1;
	capture_begin(&cap);
	p = profile_decode("body", data, len, &lim, NULL);
	capture_end(&cap, "body", err, "invalid profile");
	if (!p)
		return -1;
	err[0] = '\0';
	ret = check_decoded(k, p, err);
	if (!ret)
		profile_info(k, p, info);
	profile_free(p);
	return ret;
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
		collect_seterr(err, "%s output, not %s",
			       procmem_format_name(pm->format),
			       procmem_format_name(want));
		procmem_free(pm);
		return -1;
	}
	info->pid = pm->pid;
	procmem_free(pm);
	return 0;
}

/* A descriptor list the collector made: checked as any file read back. */
static int validate_fds(const uint8_t *data, size_t len,
			struct collect_body_info *info, char err[COLLECT_ERR])
{
	struct fds_snapshot s;
	struct capture cap;
	int rc;

	capture_begin(&cap);
	rc = fds_parse("body", (const char *)data, len, &s);
	capture_end(&cap, "body", err, "invalid descriptor list");
	if (rc < 0)
		return -1;
	info->pid = s.pid;
	return 0;
}

/* A limits file the collector made: checked as any file read back. */
static int validate_limits(const uint8_t *data, size_t len,
			   struct collect_body_info *info,
			   char err[COLLECT_ERR])
{
	struct memlimit m;
	struct capture cap;
	int rc;

	capture_begin(&cap);
	rc = memlimit_parse("body", (const char *)data, len, &m);
	capture_end(&cap, "body", err, "invalid limits file");
	if (rc < 0)
		return -1;
	info->pid = m.pid;
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
			collect_seterr(err, "HTTP %ld (an HTML page)", status);
		else if (*line && looks_text(data, len))
			collect_seterr(err, "HTTP %ld: %s", status, line);
		else
			collect_seterr(err, "HTTP %ld", status);
		return -1;
	}
	if (k == CK_PMAP && (!len || !memchr(data, '\n', len - 1))) {
		/* What pmap prints for a vanished or another user's process:
		 * nothing, or just its "PID:  command" line. */
		if (!len)
			collect_seterr(err, "pmap printed nothing: the process "
				       "is gone");
		else
			collect_seterr(err, "pmap printed no mappings: the "
				       "process is gone or not readable "
				       "(another user's?)");
		return -1;
	}
	if (!len) {
		collect_seterr(err, "empty body");
		return -1;
	}
	if (looks_html(data, len)) {
		first_line(data, len, line, sizeof(line));
		collect_seterr(err, "an HTML page, not %s: \"%s\"",
			       collect_kinds[k].what, line);
		return -1;
	}
	if (CK_IS_HTTP(k))
		return validate_profile(k, data, len, max_inflated, info, err);
	if (k == CK_FDS)
		return validate_fds(data, len, info, err);
	if (k == CK_LIMITS)
		return validate_limits(data, len, info, err);
	return validate_procmem(k, data, len, info, err);
}

/* The decoders' front door: sniffing, gunzip, limits and the file reader. */
#include "decode/reader.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/gortext.h"
#include "decode/gunzip.h"
#include "decode/heaptext.h"
#include "decode/pprof.h"
#include "model/profile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Text that starts like one of Go's debug=N pages other than heap. */
static const char *other_text_kind(const char *s, size_t n)
{
	static const struct {
		const char *prefix, *what;
	} kinds[] = {
		{ "--- contention:", "a contention profile in text" },
		{ "--- mutex:", "a mutex profile in text" },
		{ "threadcreate profile:", "a threadcreate profile in text" },
		{ "<!DOCTYPE", "an HTML page" },
		{ "<!doctype", "an HTML page" },
		{ "<html", "an HTML page" },
		{ "<HTML", "an HTML page" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t k = strlen(kinds[i].prefix);

		if (n >= k && !memcmp(s, kinds[i].prefix, k))
			return kinds[i].what;
	}
	return NULL;
}

/*
 * Protobuf nearly always has control bytes within its first bytes (keys
 * and lengths); text has none but tab, CR and LF.
 */
static int looks_like_text(const uint8_t *p, size_t n)
{
	size_t i;

	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r')
			return 0;
	return 1;
}

struct profile *profile_decode(const char *name, const uint8_t *data,
			       size_t len, const struct prof_limits *lim_in,
			       struct buf *scratch)
{
	struct prof_limits lim;
	struct buf local;
	struct profile *p = NULL;
	const char *kind;
	size_t raw_len;
	int inflated = 0;

	if (lim_in)
		lim = *lim_in;
	else
		memset(&lim, 0, sizeof(lim));
	prof_limits_default(&lim);
	/* The decoders get what is left of it; messages name the whole. */
	lim.shown_memory = lim.max_memory;
	buf_init(&local);
	if (!scratch)
		scratch = &local;
	if (len == 0) {
		error("%s: empty file", name);
		goto out;
	}
	raw_len = len;
	if (gunzip_is_gzip(data, len)) {
		/* The input and the inflated bytes share --max-memory. */
		size_t cap = lim.max_inflated;

		if (len >= lim.max_memory) {
			profile_report_too_big(name, &lim);
			goto out;
		}
		if (cap > lim.max_memory - len)
			cap = lim.max_memory - len;
		if (gunzip(name, data, len, scratch, cap) < 0)
			goto out;
		data = scratch->data;
		len = scratch->len;
		inflated = 1;
		if (len == 0) {
			error("%s: empty gzip stream", name);
			goto out;
		}
	}
	/*
	 * --max-memory covers the whole of one profile in memory: the input
	 * bytes the caller holds, the inflated bytes, and the decoded model
	 * (the arena's budget is what the first two leave).
	 */
	if (len >= lim.max_memory ||
	    (inflated && raw_len >= lim.max_memory - len)) {
		profile_report_too_big(name, &lim);
		goto out;
	}
	lim.max_memory -= len;
	if (inflated)
		lim.max_memory -= raw_len;
	if (heaptext_sniff((const char *)data, len)) {
		p = heaptext_decode(name, (const char *)data, len, &lim);
		goto out;
	}
	if (gortext_sniff((const char *)data, len)) {
		p = gortext_decode(name, (const char *)data, len, &lim);
		goto out;
	}
	kind = other_text_kind((const char *)data, len);
	if (kind) {
		error("%s: %s, not a profile leaky reads", name, kind);
		goto out;
	}
	if (looks_like_text(data, len)) {
		error("%s: text that is not a profile or dump leaky reads",
		      name);
		goto out;
	}
	p = pprof_decode(name, data, len, &lim);
	if (p && profile_prune_frames(p, name) < 0) {
		profile_free(p);
		p = NULL;
	}
out:
	buf_release(&local);
	return p;
}

void prof_reader_init(struct prof_reader *r, const struct prof_limits *lim)
{
	if (lim)
		r->lim = *lim;
	else
		memset(&r->lim, 0, sizeof(r->lim));
	prof_limits_default(&r->lim);
	r->raw = xmalloc(sizeof(*r->raw));
	r->inflated = xmalloc(sizeof(*r->inflated));
	buf_init(r->raw);
	buf_init(r->inflated);
}

void prof_reader_release(struct prof_reader *r)
{
	buf_release(r->raw);
	buf_release(r->inflated);
	free(r->raw);
	free(r->inflated);
	r->raw = r->inflated = NULL;
}

struct profile *prof_reader_load(struct prof_reader *r, const char *path,
				 int64_t *mtime)
{
	struct file_info fi = { 0 };
	size_t cap = r->lim.max_input;
	struct stat st;

	/* The input's bytes count in --max-memory too. */
	if (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size >= r->lim.max_memory &&
	    (uintmax_t)st.st_size <= cap) {
		profile_report_too_big(path, &r->lim);
		return NULL;
	}
	if (cap > r->lim.max_memory)
		cap = r->lim.max_memory;
	if (buf_read_file(r->raw, path, cap, &fi) < 0)
		return NULL;
	if (mtime)
		*mtime = (int64_t)fi.mtime;
	return profile_decode(path, r->raw->data, r->raw->len, &r->lim,
			      r->inflated);
}


/* SPDX-License-Identifier: Apache-2.0 */
/* The decoders' front door: sniffing, gunzip, limits and the file reader. */
#include "decode/reader.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "decode/gortext.h"
#include "decode/gunzip.h"
#include "decode/heaptext.h"
#include "decode/pprof.h"
#include "decode/sniff.h"
#include "model/profile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Bytes no longer gzipped, to the decoder of their kind; lim is what the
 * decoders may use.
 */
static struct profile *decode_kind(const char *name, const uint8_t *data,
				   size_t len, const struct prof_limits *lim)
{
	const char *text = (const char *)data;
	enum sniff_kind kind = sniff(data, len);
	struct profile *p;

	switch (kind) {
	case SNIFF_HEAP_TEXT:
		return heaptext_decode(name, text, len, lim);
	case SNIFF_GOROUTINE1:
	case SNIFF_GOROUTINE2:
		return gortext_decode(name, text, len, lim);
	case SNIFF_CONTENTION:
	case SNIFF_MUTEX:
	case SNIFF_THREADCREATE:
	case SNIFF_HTML:
	case SNIFF_FDS:
	case SNIFF_LIMITS:
		error("%s: %s, not a profile leaky reads", name,
		      sniff_name(kind));
		return NULL;
	default:
		break;
	}
	/*
	 * Not the kind's SNIFF_BINARY alone: a text header (CSV) followed
	 * by binary, and gzip inside gzip, are binary to the pprof decoder
	 * too, which names what is wrong with them.
	 */
	if (sniff_is_text(data, len, SNIFF_HEAD)) {
		error("%s: text that is not a profile or dump leaky reads",
		      name);
		return NULL;
	}
	p = pprof_decode(name, data, len, lim);
	/* pprof's readers prune at drop_frames when they read a profile. */
	if (p && profile_prune_frames(p, name) < 0) {
		profile_free(p);
		p = NULL;
	}
	return p;
}

struct profile *profile_decode(const char *name, const uint8_t *data,
			       size_t len, const struct prof_limits *lim_in,
			       struct buf *scratch)
{
	struct prof_limits lim;
	struct buf local;
	struct profile *p = NULL;
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
	if (sniff(data, len) == SNIFF_GZIP) {
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
	p = decode_kind(name, data, len, &lim);
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


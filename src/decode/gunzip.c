/* gunzip with a cap on the inflated size, strict about stream ends. */
#include "decode/gunzip.h"
#include "base/buf.h"
#include "base/leaky.h"

#include <limits.h>
#include <zlib.h>

int gunzip_is_gzip(const uint8_t *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

int gunzip(const char *name, const uint8_t *in, size_t n, struct buf *out,
	   size_t cap)
{
	z_stream zs = { 0 };
	int ret = -1, zr;

	out->len = 0;
	if (n > UINT_MAX) {
		error("%s: compressed input too large", name);
		return -1;
	}
	if (inflateInit2(&zs, 15 + 16) != Z_OK) {
		error("%s: cannot start zlib", name);
		return -1;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	/* Inflated profiles are typically 4-10x the compressed size. */
	buf_reserve(out, n * 4 < cap ? n * 4 : cap);
	for (;;) {
		size_t room;

		if (out->cap - out->len < 4096) {
			if (out->len >= cap) {
				error("%s: inflated size exceeds the limit of "
				      "%zu bytes (see --max-inflated)", name,
				      cap);
				goto out;
			}
			buf_reserve(out, out->len < 65536 ? 65536 : out->len);
		}
		room = out->cap - out->len - 1;
		if (room > cap - out->len + 1)
			room = cap - out->len + 1;
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs.next_out = out->data + out->len;
		zs.avail_out = (uInt)room;
		zr = inflate(&zs, Z_NO_FLUSH);
		out->len += room - zs.avail_out;
		if (out->len > cap) {
			error("%s: inflated size exceeds the limit of %zu bytes "
			      "(see --max-inflated)", name, cap);
			goto out;
		}
		if (zr == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			/* Another member follows, as after `cat a.gz b.gz`. */
			if (!gunzip_is_gzip(zs.next_in, zs.avail_in)) {
				error("%s: trailing garbage after gzip stream",
				      name);
				goto out;
			}
			if (inflateReset(&zs) != Z_OK) {
				error("%s: cannot restart zlib", name);
				goto out;
			}
			continue;
		}
		if (zr == Z_BUF_ERROR &&
		    (zs.avail_in == 0 || zs.avail_out != 0)) {
			error("%s: truncated gzip stream", name);
			goto out;
		}
		if (zr == Z_DATA_ERROR) {
			error("%s: corrupt gzip stream (%s)", name,
			      zs.msg ? zs.msg : "bad data");
			goto out;
		}
		if (zr == Z_MEM_ERROR) {
			error("%s: out of memory in zlib", name);
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			error("%s: gzip error %d", name, zr);
			goto out;
		}
	}
	out->data[out->len] = '\0';
	ret = 0;
out:
	inflateEnd(&zs);
	return ret;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers with an explicit cap, and whole-file reading. */
#ifndef LEAKY_BUF_H
#define LEAKY_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Caller-owned storage: buf_init() it, buf_release() it. */
struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Makes room for n more bytes; dies only on OOM (BUG() past SIZE_MAX). */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addstr(struct buf *b, const char *s);

/*
 * Appends s as a key or value of the "k=v;k=v" form (goroutine labels,
 * the collector's target labels): '\', '=' and ';' get a backslash before
 * them, LF and CR become "\n" and "\r", so that the pairs split back
 * unambiguously. Every writer of that form goes through it (README).
 */
void buf_add_label(struct buf *b, const char *s);

/* What buf_read_file() learned about the file besides its bytes. */
struct file_info {
	time_t mtime;
	int is_stdin;
};

/*
 * Replaces b's contents with the whole of path ("-" is stdin), at most cap
 * bytes. Returns 0; or reports "PATH: reason" (directory, unreadable, larger
 * than cap) and returns -1. info may be NULL.
 */
int buf_read_file(struct buf *b, const char *path, size_t cap,
		  struct file_info *info);

#endif

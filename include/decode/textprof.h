/*
 * A builder for profiles decoded from text (heap?debug=1, goroutine
 * dumps): frames, samples, labels and goroutine details are collected in
 * growable arrays, then laid out in the profile's arena by textprof_finish.
 * Also the small text-scanning helpers those decoders share.
 */
#ifndef LEAKY_TEXTPROF_H
#define LEAKY_TEXTPROF_H

#include <stddef.h>
#include <stdint.h>

struct profile;
struct prof_goroutine;
struct textprof;

/* Returns a builder filling p (whose ntypes must be set); never NULL. */
struct textprof *textprof_new(struct profile *p);
/* Frees the builder (not the profile); NULL is a no-op. */
void textprof_free(struct textprof *t);

/* Opens a sample with p->ntypes values; its frames follow, leaf first. */
void textprof_sample(struct textprof *t, const int64_t *values);
/* Adds a frame of the open sample: a function at file:line. */
void textprof_frame(struct textprof *t, uint64_t pc, const char *fn,
		    size_t fnlen, const char *file, size_t filelen,
		    int64_t line);
/* Adds an unsymbolized frame (an address only). */
void textprof_addr(struct textprof *t, uint64_t pc);
/* Number of frames the open sample has so far. */
size_t textprof_depth(const struct textprof *t);
/* Adds a string label to the open sample. */
void textprof_label(struct textprof *t, const char *key, size_t keylen,
		    const char *val, size_t vallen);
/* Sets the open sample's goroutine details (strings are copied). */
void textprof_goroutine(struct textprof *t, const struct prof_goroutine *g);
/* Adds a "Key = value" statistic (runtime.MemStats); copied. */
void textprof_stat(struct textprof *t, const char *key, size_t keylen,
		   const char *val, size_t vallen);

/*
 * Lays everything out in the profile's arena. Returns 0, or -2 when the
 * arena's budget is exhausted (the caller reports it).
 */
int textprof_finish(struct textprof *t);

/*
 * Parses a Go "#<tab>0xPC<tab>name+0xOFF<tab>file:line" frame line (s points after
 * the '#'; tabs may repeat) into the open sample. Returns 0, or -1 when
 * malformed.
 */
int textprof_hash_frame(struct textprof *t, const char *s, size_t n);

/* A line cursor over text; lines exclude the newline and a trailing CR. */
struct text_cursor {
	const char *p, *end;
	size_t lineno;
};

/* Sets *line and *n to the next line and returns 1, or returns 0 at the end. */
int text_next_line(struct text_cursor *c, const char **line, size_t *n);
/*
 * 1 when c has read the text's last line and that line has no newline:
 * Go's runtime ends every line it writes of a text profile or dump with
 * '\n', so such a text was cut (a timeout, a dropped connection, a full
 * disk) inside its last line.
 */
int text_cut_short(const struct text_cursor *c);
/*
 * Reports "NAME: truncated WHAT: WHY (cut at line N)", N being the last
 * line c has read: the one wording the text decoders use for a text that
 * ends where Go never ends one.
 */
void text_report_truncated(const char *name, const char *what,
			   const char *why, const struct text_cursor *c);

/* Parses a decimal int64 at *s (advanced); -1 on no digits or overflow. */
int text_parse_i64(const char **s, const char *end, int64_t *v);
void text_skip_spaces(const char **s, const char *end);

#endif

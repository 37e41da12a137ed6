/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus file_sd files: JSON through promjson.c, YAML with libyaml. */
#include "decode/filesd.h"
#include "base/leaky.h"
#include "decode/promjson.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Label names as Prometheus 2 takes them: [a-zA-Z_][a-zA-Z0-9_]*. */
static int label_name_ok(const char *s)
{
	size_t i;

	if (!*s)
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || (i && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* A name for a message: one line, cut to 60 bytes, in heap memory. */
static char *shown(const char *s, size_t n)
{
	char *out = xmalloc(3 * 60 + 1);

	out[text_safe(out, s, n < 60 ? n : 60, TEXT_TERMINAL)] = '\0';
	return out;
}

/* ---- YAML ------------------------------------------------------------ */

/*
 * libyaml's events are built into a small tree first, because an alias
 * may name any node an anchor marked before it: the tree holds each node
 * once, and an alias is one more pointer to it. The shape walk that
 * follows reads the tree as file_sd, and counts what the aliases expand
 * to, so that a few lines that name one group a billion times are
 * refused after FILESD_MAX_TARGETS targets, never built.
 */
enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind kind;
	int null;		/* a null scalar: ~, null, nothing */
	char *s;		/* a scalar's text, length len */
	size_t len;
	struct ynode **kid;	/* a list's items; a mapping's keys and
				 * values, alternating */
	size_t n, cap;
	size_t line, col;	/* from 1 */
};

struct yanchor {
	char *name;
	struct ynode *node;
};

struct ybuild {
	struct ynode **all;	/* every node, for freeing */
	size_t nall, capall;
	size_t nodes;		/* nodes and aliases read */
	struct yanchor *anchors;
	size_t nanchors, capanchors;
	struct ynode *open[FILESD_MAX_DEPTH];	/* lists and mappings */
	char *open_anchor[FILESD_MAX_DEPTH];
	int depth;
	struct ynode *root;
	int have_root;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 4, 5)))
static int yfail(struct ybuild *b, size_t line, size_t col, const char *fmt,
		 ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return failf(b->err, b->errlen, "line %zu, column %zu: %s", line, col,
		     why);
}

static struct ynode *ynew(struct ybuild *b, enum ykind kind,
			  const yaml_mark_t *m)
{
	struct ynode *y = xcalloc(1, sizeof(*y));

	y->kind = kind;
	y->line = m->line + 1;
	y->col = m->column + 1;
	b->all = xgrow(b->all, &b->capall, b->nall + 1, sizeof(*b->all));
	b->all[b->nall++] = y;
	return y;
}

/*
 * A null scalar as YAML 1.1 (Prometheus's reader) resolves one: plain
 * and ~, null, Null, NULL or nothing, unless tagged otherwise; or tagged
 * !!null.
 */
static int yaml_null(const yaml_event_t *e)
{
	const char *tag = (const char *)e->data.scalar.tag;
	const char *v = (const char *)e->data.scalar.value;

	if (tag && !strcmp(tag, YAML_NULL_TAG))
		return 1;
	if (tag || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

static void add_anchor(struct ybuild *b, char *name, struct ynode *y)
{
	b->anchors = xgrow(b->anchors, &b->capanchors, b->nanchors + 1,
			   sizeof(*b->anchors));
	b->anchors[b->nanchors].name = name;
	b->anchors[b->nanchors++].node = y;
}

/* A complete node y goes into the list or mapping open above it. */
static void place(struct ybuild *b, struct ynode *y)
{
	struct ynode *up;

	if (!b->depth) {
		b->root = y;
		b->have_root = 1;
		return;
	}
	up = b->open[b->depth - 1];
	up->kid = xgrow(up->kid, &up->cap, up->n + 1, sizeof(*up->kid));
	up->kid[up->n++] = y;
}

/* One event into the tree; 1 at the end of the first document. */
static int yevent(struct ybuild *b, const yaml_event_t *e)
{
	const yaml_mark_t *m = &e->start_mark;
	const char *anchor = NULL;
	struct ynode *y;
	size_t i;

	switch (e->type) {
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++b->nodes > FILESD_MAX_NODES)
			return yfail(b, m->line + 1, m->column + 1, "over %d "
				     "YAML nodes", FILESD_MAX_NODES);
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (b->have_root)
			return yfail(b, m->line + 1, m->column + 1, "a second "
				     "YAML document (file_sd has one)");
		return 0;
	default:
		return 0;
	}
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		y = ynew(b, Y_SCALAR, m);
		y->len = e->data.scalar.length;
		/* all len bytes: a quoted "\0" puts a NUL inside, which
		 * the checks find as strlen(s) != len */
		y->s = xstrndup((const char *)e->data.scalar.value, y->len);
		y->null = yaml_null(e);
		anchor = (const char *)e->data.scalar.anchor;
		break;
	case YAML_ALIAS_EVENT:
		/* the latest anchor of the name, complete before here */
		for (i = b->nanchors; i-- > 0;)
			if (!strcmp(b->anchors[i].name,
				    (const char *)e->data.alias.anchor))
				break;
		if (i == (size_t)-1) {
			char *a = shown((const char *)e->data.alias.anchor,
					strlen((const char *)
					       e->data.alias.anchor));

			yfail(b, m->line + 1, m->column + 1, "alias *%s names "
			      "no anchor before it", a);
			free(a);
			return -1;
		}
		place(b, b->anchors[i].node);
		return 0;
	default:
		if (b->depth == FILESD_MAX_DEPTH)
			return yfail(b, m->line + 1, m->column + 1, "nested "
				     "deeper than %d levels",
				     FILESD_MAX_DEPTH);
		y = ynew(b, e->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ :
			 Y_MAP, m);
		anchor = (const char *)(e->type == YAML_SEQUENCE_START_EVENT ?
					e->data.sequence_start.anchor :
					e->data.mapping_start.anchor);
		/* its anchor counts once it is complete: an alias inside
		 * it to itself names nothing, so the tree has no cycle */
		b->open_anchor[b->depth] = anchor ? xstrdup(anchor) : NULL;
		b->open[b->depth++] = y;
		return 0;
	}
	if (anchor)
		add_anchor(b, xstrdup(anchor), y);
	place(b, y);
	return 0;
}

/* The end of the list or mapping open at the top. */
static void yclose(struct ybuild *b)
{
	struct ynode *y;
	char *anchor;

	BUG_ON(!b->depth);
	y = b->open[--b->depth];
	anchor = b->open_anchor[b->depth];
	b->open_anchor[b->depth] = NULL;
	if (anchor)
		add_anchor(b, anchor, y);
	place(b, y);
}

static void ybuild_release(struct ybuild *b)
{
	size_t i;

	for (i = 0; i < b->nall; i++) {
		free(b->all[i]->s);
		free(b->all[i]->kid);
		free(b->all[i]);
	}
	free(b->all);
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
	for (i = 0; i < (size_t)b->depth; i++)
		free(b->open_anchor[i]);
}

/* Reads p[0..n-1] into b's tree: the first document's root. */
static int yread(const char *p, size_t n, struct ybuild *b)
{
	yaml_parser_t parser;
	yaml_event_t e;
	int ret = -1, done = 0;

	if (!yaml_parser_initialize(&parser))
		return failf(b->err, b->errlen, "libyaml cannot start");
	yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);
	while (!done) {
		if (!yaml_parser_parse(&parser, &e)) {
			/* libyaml's words are its own ASCII: safe */
			const yaml_mark_t *m = &parser.problem_mark;
			const char *why = parser.problem ? parser.problem :
					  "error";

			/* the reader (bad UTF-8, control characters) has
			 * an offset, no line */
			if (parser.error == YAML_READER_ERROR)
				failf(b->err, b->errlen, "not YAML (byte %zu: "
				      "%s)", parser.problem_offset + 1, why);
			else
				failf(b->err, b->errlen, "not YAML (line %zu, "
				      "column %zu: %s%s%s)", m->line + 1,
				      m->column + 1, why,
				      parser.context ? " " : "",
				      parser.context ? parser.context : "");
			goto out;
		}
		if (e.type == YAML_STREAM_END_EVENT)
			done = 1;
		if (e.type == YAML_SEQUENCE_END_EVENT ||
		    e.type == YAML_MAPPING_END_EVENT) {
			yclose(b);
		} else if (yevent(b, &e) < 0) {
			yaml_event_delete(&e);
			goto out;
		}
		yaml_event_delete(&e);
	}
	ret = 0;
out:
	yaml_parser_delete(&parser);
	return ret;
}

/* The text of a scalar key; NULL for a key that is no string, or
 * holds a NUL (which would let "targets\0x" pass for "targets"). */
static const char *key_text(const struct ynode *k)
{
	return k->kind == Y_SCALAR && !k->null && strlen(k->s) == k->len ?
	       k->s : NULL;
}

/* What the walk has taken so far, against the bounds. */
struct ycount {
	size_t targets, labels;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Group gi's labels, mapping y, into g. */
static int ylabels(struct ybuild *b, size_t gi, const struct ynode *y,
		   struct filesd_group *g, struct ycount *c)
{
	size_t i, n = y->n / 2;
	char **sorted;

	if (n > FILESD_MAX_LABELS - c->labels)
		return yfail(b, y->line, y->col, "group %zu: over %d labels "
			     "in the file", gi, FILESD_MAX_LABELS);
	c->labels += n;
	g->names = xcalloc(n + 1, sizeof(*g->names));
	g->values = xcalloc(n + 1, sizeof(*g->values));
	for (i = 0; i < n; i++) {
		const struct ynode *k = y->kid[2 * i], *v = y->kid[2 * i + 1];
		const char *name = key_text(k);

		if (!name)
			return yfail(b, k->line, k->col, "group %zu: a label "
				     "name that is not a string", gi);
		if (!strcmp(name, "<<"))
			return yfail(b, k->line, k->col, "group %zu: merge "
				     "keys (<<) are not supported", gi);
		if (strlen(name) != k->len || !label_name_ok(name)) {
			char *s = shown(k->s, k->len);

			yfail(b, k->line, k->col, "group %zu: label name "
			      "\"%s\" is not valid", gi, s);
			free(s);
			return -1;
		}
		if (v->kind != Y_SCALAR || v->null)
			return yfail(b, v->line, v->col, "group %zu: label "
				     "\"%s\" is not a string", gi, name);
		if (strlen(v->s) != v->len)
			return yfail(b, v->line, v->col, "group %zu: label "
				     "\"%s\" holds a NUL", gi, name);
		g->names[i] = xstrdup(name);
		g->values[i] = xstrdup(v->s);
		g->nlabels = i + 1;
	}
	/* Prometheus reads YAML strictly: a name given twice is refused */
	sorted = xcalloc(n + 1, sizeof(*sorted));
	memcpy(sorted, g->names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (i = 1; i < n; i++)
		if (!strcmp(sorted[i - 1], sorted[i])) {
			yfail(b, y->line, y->col, "group %zu: label \"%s\" "
			      "given twice", gi, sorted[i]);
			free(sorted);
			return -1;
		}
	free(sorted);
	return 0;
}

/* Group gi (from 1), node y, into g. */
static int ygroup(struct ybuild *b, size_t gi, const struct ynode *y,
		  struct filesd_group *g, struct ycount *c)
{
	const struct ynode *targets = NULL, *labels = NULL;
	size_t i;

	if (y->kind == Y_SCALAR && y->null)
		return yfail(b, y->line, y->col, "group %zu is null", gi);
	if (y->kind != Y_MAP)
		return yfail(b, y->line, y->col, "group %zu is not a mapping",
			     gi);
	for (i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *k = y->kid[i];
		const char *key = key_text(k);
		const struct ynode **slot;

		if (key && !strcmp(key, "targets")) {
			slot = &targets;
		} else if (key && !strcmp(key, "labels")) {
			slot = &labels;
		} else if (key && !strcmp(key, "<<")) {
			return yfail(b, k->line, k->col, "group %zu: merge "
				     "keys (<<) are not supported", gi);
		} else {
			char *s = k->kind == Y_SCALAR && !k->null ?
				  shown(k->s, k->len) : NULL;

			yfail(b, k->line, k->col, "group %zu: unknown key "
			      "\"%s\" (a group has targets and labels)", gi,
			      s ? s : "?");
			free(s);
			return -1;
		}
		if (*slot)
			return yfail(b, k->line, k->col, "group %zu: \"%s\" "
				     "given twice", gi, key);
		*slot = y->kid[i + 1];
	}
	if (!targets || (targets->kind == Y_SCALAR && targets->null))
		return yfail(b, y->line, y->col, "group %zu has no \"targets\"",
			     gi);
	if (targets->kind != Y_SEQ)
		return yfail(b, targets->line, targets->col, "group %zu: "
			     "\"targets\" is not a list", gi);
	if (targets->n > FILESD_MAX_TARGETS - c->targets)
		return yfail(b, targets->line, targets->col, "group %zu: over "
			     "%d targets in the file", gi, FILESD_MAX_TARGETS);
	c->targets += targets->n;
	g->targets = xcalloc(targets->n + 1, sizeof(*g->targets));
	for (i = 0; i < targets->n; i++) {
		const struct ynode *t = targets->kid[i];

		if (t->kind != Y_SCALAR || t->null)
			return yfail(b, t->line, t->col, "group %zu: target "
				     "%zu is not a string", gi, i + 1);
		if (!t->len)
			return yfail(b, t->line, t->col, "group %zu: target "
				     "%zu is empty", gi, i + 1);
		if (strlen(t->s) != t->len)
			return yfail(b, t->line, t->col, "group %zu: target "
				     "%zu holds a NUL", gi, i + 1);
		g->targets[g->ntargets++] = xstrdup(t->s);
	}
	if (!labels || (labels->kind == Y_SCALAR && labels->null))
		return 0;
	if (labels->kind != Y_MAP)
		return yfail(b, labels->line, labels->col, "group %zu: "
			     "\"labels\" is not a mapping", gi);
	return ylabels(b, gi, labels, g, c);
}

static int decode_yaml(const char *p, size_t n, struct filesd *out,
		       char *err, size_t errlen)
{
	struct ybuild b;
	struct ycount c = { 0, 0 };
	const struct ynode *root;
	size_t i;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	b.err = err;
	b.errlen = errlen;
	if (yread(p, n, &b) < 0)
		goto out;
	root = b.root;
	/* no document, an empty one, or null: no groups */
	if (!root || (root->kind == Y_SCALAR && root->null)) {
		ret = 0;
		goto out;
	}
	if (root->kind != Y_SEQ) {
		yfail(&b, root->line, root->col, "not a list of groups");
		goto out;
	}
	if (root->n > FILESD_MAX_GROUPS) {
		yfail(&b, root->line, root->col, "over %d groups",
		      FILESD_MAX_GROUPS);
		goto out;
	}
	out->groups = xcalloc(root->n + 1, sizeof(*out->groups));
	for (i = 0; i < root->n; i++) {
		/* counted first, so that release frees a half-made group */
		out->ngroups = i + 1;
		if (ygroup(&b, i + 1, root->kid[i], &out->groups[i], &c) < 0)
			goto out;
	}
	ret = 0;
out:
	ybuild_release(&b);
	return ret;
}

/* ---- JSON: what promjson_file_sd() leaves to check --------------- */

static int check_json(const struct filesd *f, char *err, size_t errlen)
{
	size_t i, j, targets = 0, labels = 0;

	if (f->ngroups > FILESD_MAX_GROUPS)
		return failf(err, errlen, "over %d groups", FILESD_MAX_GROUPS);
	for (i = 0; i < f->ngroups; i++) {
		const struct filesd_group *g = &f->groups[i];

		targets += g->ntargets;
		labels += g->nlabels;
		if (targets > FILESD_MAX_TARGETS)
			return failf(err, errlen, "group %zu: over %d targets "
				     "in the file", i + 1, FILESD_MAX_TARGETS);
		if (labels > FILESD_MAX_LABELS)
			return failf(err, errlen, "group %zu: over %d labels "
				     "in the file", i + 1, FILESD_MAX_LABELS);
		for (j = 0; j < g->ntargets; j++)
			if (!*g->targets[j])
				return failf(err, errlen, "group %zu: target "
					     "%zu is empty", i + 1, j + 1);
		for (j = 0; j < g->nlabels; j++)
			if (!label_name_ok(g->names[j])) {
				char *s = shown(g->names[j],
						strlen(g->names[j]));

				failf(err, errlen, "group %zu: label name "
				      "\"%s\" is not valid", i + 1, s);
				free(s);
				return -1;
			}
	}
	return 0;
}

int filesd_decode(const char *p, size_t n, enum filesd_syntax syn,
		  struct filesd *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	/* an empty file may come as NULL; libyaml asserts on it */
	if (!n)
		p = "";
	if (n > FILESD_MAX_BYTES)
		return failf(err, errlen, "over %zu bytes (16 MiB)",
			     FILESD_MAX_BYTES);
	if (syn == FILESD_YAML) {
		if (decode_yaml(p, n, out, err, errlen) < 0) {
			filesd_release(out);
			return -1;
		}
		return 0;
	}
	BUG_ON(syn != FILESD_JSON);
	if (promjson_file_sd(p, n, out, err, errlen) < 0)
		return -1;
	if (check_json(out, err, errlen) < 0) {
		filesd_release(out);
		return -1;
	}
	return 0;
}

int filesd_syntax_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return -1;
	if (!strcasecmp(dot, ".json"))
		return FILESD_JSON;
	if (!strcasecmp(dot, ".yml") || !strcasecmp(dot, ".yaml"))
		return FILESD_YAML;
	return -1;
}

void filesd_release(struct filesd *f)
{
	size_t i, j;

	for (i = 0; i < f->ngroups; i++) {
		struct filesd_group *g = &f->groups[i];

		for (j = 0; j < g->ntargets; j++)
			free(g->targets[j]);
		free(g->targets);
		/* names and values are allocated whole, perhaps half
		 * filled: NULLs past nlabels */
		for (j = 0; g->names && g->names[j]; j++)
			free(g->names[j]);
		for (j = 0; g->values && g->values[j]; j++)
			free(g->values[j]);
		free(g->names);
		free(g->values);
	}
	free(f->groups);
	memset(f, 0, sizeof(*f));
}

const char *filesd_label(const struct filesd_group *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nlabels; i++)
		if (!strcmp(g->names[i], name))
			return g->values[i];
	return NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus's file-based service discovery (file_sd): a list of groups,
 * each targets ("host:port") and the labels they share, in JSON (.json)
 * or YAML (.yml, .yaml), decoded as Prometheus reads them.
 */
#ifndef LEAKY_FILESD_H
#define LEAKY_FILESD_H

#include <stddef.h>

/*
 * The bounds of one file. The caller reads the file: it may refuse one
 * over FILESD_MAX_BYTES before reading it; filesd_decode() refuses one
 * too. Targets, groups and labels are counted after YAML's aliases are
 * expanded (a file of a few lines could otherwise name a billion
 * targets); nodes are YAML's as written, each costing memory until the
 * file is decoded.
 */
#define FILESD_MAX_BYTES ((size_t)16 << 20)
#define FILESD_MAX_TARGETS 100000
#define FILESD_MAX_GROUPS 100000
#define FILESD_MAX_LABELS 1000000	/* label pairs, summed over groups */
#define FILESD_MAX_NODES 1000000	/* YAML scalars, lists, mappings */
#define FILESD_MAX_DEPTH 32		/* YAML nesting; file_sd needs 3 */

/* One group: its targets, in the file's order, and their labels. */
struct filesd_group {
	char **targets;
	size_t ntargets;
	char **names, **values;	/* labels, in the file's order */
	size_t nlabels;
};

/* A decoded file. Owned by the caller: filesd_release(). */
struct filesd {
	struct filesd_group *groups;
	size_t ngroups;
};

enum filesd_syntax { FILESD_JSON, FILESD_YAML };

/*
 * Decodes p[0..n-1] into *out (zeroed first). Returns 0, or -1 with a
 * one-line reason in err (errlen bytes), which for YAML begins with the
 * line and column ("line 3, column 5: group 1: target 2 is not a
 * string") and for JSON names the group and item, when p is not that
 * syntax, is over a bound above, or is not shaped as file_sd: not a
 * list; a group not a mapping (JSON: object), without "targets" (or
 * with null ones), or with a key other than "targets" and "labels"
 * (YAML only: Prometheus reads YAML strictly and JSON not); "targets"
 * not a list; a target not a string, empty or holding a NUL; "labels"
 * not a mapping; a label name not [a-zA-Z_][a-zA-Z0-9_]* or given twice
 * (YAML); a label value not a string or holding a NUL. *out then holds
 * nothing to release, though releasing it is harmless.
 *
 * "labels" is optional (null is none); an empty list, a JSON or YAML
 * null, and an empty YAML stream or document decode to no groups, a
 * group with "targets": [] to a group without targets. YAML scalars are
 * taken as text, plain or quoted, as Prometheus's YAML reader takes them
 * into strings (port: 8080 is the label value "8080"); a null scalar
 * (~, null, nothing) is not a string. YAML's anchors and aliases are
 * followed (expansions counted against the bounds); merge keys (<<) and
 * a second document are refused.
 */
int filesd_decode(const char *p, size_t n, enum filesd_syntax syn,
		  struct filesd *out, char *err, size_t errlen);

/*
 * The syntax the extension of path gives, as Prometheus decides it:
 * FILESD_JSON for ".json", FILESD_YAML for ".yml" and ".yaml", in any
 * case (Prometheus lowercases the extension), -1 for other names.
 */
int filesd_syntax_of(const char *path);

/* Frees what *f holds and zeroes it; a zeroed filesd is a no-op. */
void filesd_release(struct filesd *f);

/*
 * The value of label name in group g, or NULL when it has none.
 */
const char *filesd_label(const struct filesd_group *g, const char *name);

#endif

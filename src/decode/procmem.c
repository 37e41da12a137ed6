/* SPDX-License-Identifier: Apache-2.0 */
/* Process memory decoders: pmap tables, smaps, smaps_rollup and status. */
#include "decode/procmem.h"
#include "base/leaky.h"
#include "decode/sniff.h"
#include "decode/textscan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UNKNOWN PROCMEM_UNKNOWN

/* A piece of the input: a line or a token; never NUL-terminated. */
struct span {
	const char *s;
	size_t n;
};

/* Walks the input line by line, numbering lines for messages. */
struct reader {
	const char *name;
	struct text_cursor c;
	struct span line;	/* without its LF or CRLF */
};

static int next_line(struct reader *r)
{
	return text_next_line(&r->c, &r->line.s, &r->line.n);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated token of line from *pos; 0 at its end. */
static int next_token(struct span line, size_t *pos, struct span *tok)
{
	size_t i = *pos;

	while (i < line.n && is_blank(line.s[i]))
		i++;
	tok->s = line.s + i;
	while (i < line.n && !is_blank(line.s[i]))
		i++;
	tok->n = (size_t)(line.s + i - tok->s);
	*pos = i;
	return tok->n > 0;
}

/* The line from pos on, without blanks at either end. */
static struct span rest_of(struct span line, size_t pos)
{
	struct span r;

	while (pos < line.n && is_blank(line.s[pos]))
		pos++;
	r.s = line.s + pos;
	r.n = line.n - pos;
	while (r.n && is_blank(r.s[r.n - 1]))
		r.n--;
	return r;
}

static int is_empty(struct span line)
{
	return rest_of(line, 0).n == 0;
}

static int span_is(struct span t, const char *lit)
{
	return t.n == strlen(lit) && !memcmp(t.s, lit, t.n);
}

static int span_is_icase(struct span t, const char *lit)
{
	return t.n == strlen(lit) && !strncasecmp(t.s, lit, t.n);
}

/* An unsigned decimal of at most 18 digits, so it fits any int64_t. */
static int parse_dec(struct span t, int64_t *v)
{
	int64_t x = 0;
	size_t i;

	if (!t.n || t.n > 18)
		return -1;
	for (i = 0; i < t.n; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return -1;
		x = x * 10 + (t.s[i] - '0');
	}
	*v = x;
	return 0;
}

static int parse_hex(struct span t, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!t.n || t.n > 16)
		return -1;
	for (i = 0; i < t.n; i++) {
		int d = hex_value((unsigned char)t.s[i]);

		if (d < 0)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

/* A pmap value: "123", "123K" (plain pmap), or "-" (not known). */
static int parse_value(struct span t, int64_t *v)
{
	if (span_is(t, "-")) {
		*v = UNKNOWN;
		return 0;
	}
	if (t.n > 1 && (t.s[t.n - 1] == 'K' || t.s[t.n - 1] == 'k'))
		t.n--;
	return parse_dec(t, v);
}

/*
 * *acc += v, where an unknown operand makes the sum unknown. Returns -1
 * (reported) when the sum overflows.
 */
static int add_kb(struct reader *r, int64_t *acc, int64_t v)
{
	if (*acc == UNKNOWN)
		return 0;
	if (v == UNKNOWN) {
		*acc = UNKNOWN;
		return 0;
	}
	if (__builtin_add_overflow(*acc, v, acc)) {
		error("%s:%zu: sizes add up beyond 2^63 kB", r->name,
		      r->c.lineno);
		return -1;
	}
	return 0;
}

static int64_t sub_kb(int64_t a, int64_t b)
{
	if (a == UNKNOWN || b == UNKNOWN || b > a)
		return UNKNOWN;
	return a - b;
}

/* "PID:" at the start of a line, as pmap prints before its table. */
static int pid_line(struct span line, int64_t *pid)
{
	struct span t = line;
	size_t i = 0;

	while (i < line.n && line.s[i] >= '0' && line.s[i] <= '9')
		i++;
	if (!i || i >= line.n || line.s[i] != ':' ||
	    (i + 1 < line.n && !is_blank(line.s[i + 1])))
		return 0;
	t.n = i;
	return parse_dec(t, pid) == 0;
}

/* "START-END " at the start of a line, as in maps and smaps. */
static int range_line(struct span line, uint64_t *start, uint64_t *end)
{
	size_t pos = 0;
	struct span tok, a, b;
	const char *dash;

	if (!next_token(line, &pos, &tok) || tok.s != line.s)
		return 0;
	dash = memchr(tok.s, '-', tok.n);
	if (!dash)
		return 0;
	a.s = tok.s;
	a.n = (size_t)(dash - tok.s);
	b.s = dash + 1;
	b.n = tok.n - a.n - 1;
	return parse_hex(a, start) == 0 && parse_hex(b, end) == 0;
}

/* "Key:  value..." as in smaps and status: splits key and value. */
static int key_line(struct span line, struct span *key, struct span *value)
{
	size_t i = 0;

	while (i < line.n && line.s[i] != ':' && !is_blank(line.s[i]))
		i++;
	if (!i || i >= line.n || line.s[i] != ':')
		return 0;
	key->s = line.s;
	key->n = i;
	*value = rest_of(line, i + 1);
	return 1;
}

/* The number at the start of a "N kB" value. */
static int kb_value(struct reader *r, struct span key, struct span value,
		    int64_t *v)
{
	size_t pos = 0;
	struct span tok;

	if (next_token(value, &pos, &tok) && parse_dec(tok, v) == 0)
		return 0;
	error("%s:%zu: '%.*s:' has no number of kB", r->name, r->c.lineno,
	      (int)key.n, key.s);
	return -1;
}

static struct procmem *procmem_alloc(enum procmem_format f)
{
	struct procmem *pm = xcalloc(1, sizeof(*pm));
	size_t i;

	pm->format = f;
	pm->pid = UNKNOWN;
	for (i = 0; i < PM_NMEASURES; i++)
		pm->kb[i] = UNKNOWN;
	return pm;
}

void procmem_free(struct procmem *pm)
{
	size_t i;

	if (!pm)
		return;
	for (i = 0; i < pm->nmappings; i++) {
		free(pm->mappings[i].mode);
		free(pm->mappings[i].name);
	}
	free(pm->mappings);
	free(pm);
}

/*
 * Linux allows 65530 mappings per process unless vm.max_map_count is
 * raised; this bounds the memory a crafted input can make us take.
 */
#define MAX_MAPPINGS ((size_t)1 << 20)

/* A new, empty mapping at the end; NULL (reported) past MAX_MAPPINGS. */
static struct procmem_mapping *add_mapping(struct reader *r,
					   struct procmem *pm, size_t *cap)
{
	struct procmem_mapping *m;

	if (pm->nmappings >= MAX_MAPPINGS) {
		error("%s:%zu: more than %zu mappings", r->name, r->c.lineno,
		      MAX_MAPPINGS);
		return NULL;
	}
	pm->mappings = xgrow(pm->mappings, cap, pm->nmappings + 1,
			     sizeof(*pm->mappings));
	m = &pm->mappings[pm->nmappings++];
	memset(m, 0, sizeof(*m));
	m->size_kb = m->rss_kb = m->dirty_kb = UNKNOWN;
	return m;
}

/* Mappings without a file: [ anon ], [ stack ], [heap], [vdso], "". */
static int anonymous_name(const char *name)
{
	return !*name || (name[0] == '[' && strncmp(name, "[ shmid=", 8));
}

static int heap_name(const char *name)
{
	return !strcmp(name, "[heap]");
}

static int stack_name(const char *name)
{
	return !strcmp(name, "[stack]") || !strcmp(name, "[ stack ]");
}

/* ---- pmap tables ---------------------------------------------------- */

enum col_role {
	COL_SKIP,		/* one token, not summed: Offset, Device... */
	COL_ADDRESS,
	COL_MODE,
	COL_FLAGS,		/* VmFlags: any number of two-letter words */
	COL_MAPPING,		/* the rest of the line */
	COL_VALUE,		/* a number the total line sums */
};

enum value_role {
	V_OTHER, V_SIZE, V_RSS, V_PSS, V_DIRTY, V_SHARED_DIRTY,
	V_PRIVATE_DIRTY, V_ANON, V_SWAP, V_NROLES
};

static const struct {
	const char *name;
	enum col_role role;
	enum value_role value;
} known_columns[] = {
	{ "Address", COL_ADDRESS, V_OTHER },
	{ "Mode", COL_MODE, V_OTHER },
	{ "Perm", COL_MODE, V_OTHER },
	{ "Offset", COL_SKIP, V_OTHER },
	{ "Device", COL_SKIP, V_OTHER },
	{ "Inode", COL_SKIP, V_OTHER },
	{ "VmFlags", COL_FLAGS, V_OTHER },
	{ "Mapping", COL_MAPPING, V_OTHER },
	{ "Kbytes", COL_VALUE, V_SIZE },
	{ "Size", COL_VALUE, V_SIZE },
	{ "Rss", COL_VALUE, V_RSS },
	{ "Pss", COL_VALUE, V_PSS },
	{ "Dirty", COL_VALUE, V_DIRTY },
	{ "Shared_Dirty", COL_VALUE, V_SHARED_DIRTY },
	{ "Private_Dirty", COL_VALUE, V_PRIVATE_DIRTY },
	{ "Anon", COL_VALUE, V_ANON },
	{ "Anonymous", COL_VALUE, V_ANON },
	{ "Swap", COL_VALUE, V_SWAP },
};

struct column {
	struct span name;
	enum col_role role;
	int64_t sum;		/* of the rows; UNKNOWN once one lacks it */
	int64_t total;		/* from the total line */
};

struct table {
	struct column *cols;
	size_t ncols, cap;
	int plain;		/* no header: plain pmap */
	int role_col[V_NROLES];	/* column of each value role, or -1 */
	int kernel_names;	/* "[heap]", "[stack]": the kernel's names */
	int has_stack;
	int64_t anon_by_name, heap, stack;
	int64_t *row;		/* this row's value per column */
};

static void add_column(struct table *t, const char *name, size_t n)
{
	struct column *c;
	struct span s = { name, n };
	size_t i;

	t->cols = xgrow(t->cols, &t->cap, t->ncols + 1, sizeof(*t->cols));
	c = &t->cols[t->ncols];
	c->name = s;
	c->role = COL_VALUE;	/* unknown words: numbers, as pmap -X */
	c->sum = 0;
	c->total = UNKNOWN;
	for (i = 0; i < sizeof(known_columns) / sizeof(known_columns[0]);
	     i++) {
		if (!span_is_icase(s, known_columns[i].name))
			continue;
		c->role = known_columns[i].role;
		if (c->role == COL_VALUE &&
		    t->role_col[known_columns[i].value] < 0)
			t->role_col[known_columns[i].value] = (int)t->ncols;
		break;
	}
	t->ncols++;
}

static void table_init(struct table *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < V_NROLES; i++)
		t->role_col[i] = -1;
}

static void table_release(struct table *t)
{
	free(t->cols);
	free(t->row);
}

/* Checks the header's shape: Address first, Mapping last, a size. */
static int table_check(struct reader *r, struct table *t)
{
	size_t i, nmap = 0, nflags = 0;

	for (i = 0; i < t->ncols; i++) {
		nmap += t->cols[i].role == COL_MAPPING;
		nflags += t->cols[i].role == COL_FLAGS;
	}
	if (t->cols[0].role != COL_ADDRESS || nmap != 1 || nflags > 1 ||
	    t->cols[t->ncols - 1].role != COL_MAPPING) {
		error("%s:%zu: a pmap header must start with 'Address' and "
		      "end with 'Mapping'", r->name, r->c.lineno);
		return -1;
	}
	if (t->role_col[V_SIZE] < 0) {
		error("%s:%zu: a pmap header without a 'Kbytes' or 'Size' "
		      "column", r->name, r->c.lineno);
		return -1;
	}
	t->row = xcalloc(t->ncols, sizeof(*t->row));
	return 0;
}

/* pmap -XX has 31 columns; a header with far more is not one. */
#define MAX_COLUMNS 256

static int parse_header(struct reader *r, struct table *t)
{
	size_t pos = 0;
	struct span tok;

	while (next_token(r->line, &pos, &tok)) {
		if (t->ncols == MAX_COLUMNS) {
			error("%s:%zu: a pmap header of more than %d columns",
			      r->name, r->c.lineno, MAX_COLUMNS);
			return -1;
		}
		add_column(t, tok.s, tok.n);
	}
	return table_check(r, t);
}

/* pmap PID has no header; its rows read "ADDRESS SIZEK MODE MAPPING". */
static int plain_header(struct reader *r, struct table *t)
{
	static const char *const cols[] = {
		"Address", "Kbytes", "Mode", "Mapping"
	};
	size_t i;

	t->plain = 1;
	for (i = 0; i < 4; i++)
		add_column(t, cols[i], strlen(cols[i]));
	return table_check(r, t);
}

/* A plain pmap row: hex address, then a size with its K. */
static int plain_row(struct span line)
{
	size_t pos = 0;
	struct span tok;
	uint64_t a;
	int64_t v;

	return next_token(line, &pos, &tok) && parse_hex(tok, &a) == 0 &&
	       next_token(line, &pos, &tok) && tok.s[tok.n - 1] == 'K' &&
	       parse_value(tok, &v) == 0 && v != UNKNOWN;
}

/* A row of dashes or equals signs between the rows and the total. */
static int rule_line(struct span line)
{
	size_t i, marks = 0;

	for (i = 0; i < line.n; i++) {
		if (line.s[i] == '-' || line.s[i] == '=')
			marks++;
		else if (!is_blank(line.s[i]))
			return 0;
	}
	return marks > 0;
}

static int is_flag_word(struct span t)
{
	size_t i;

	if (t.n != 2)
		return 0;
	for (i = 0; i < 2; i++)
		if (!((t.s[i] >= 'a' && t.s[i] <= 'z') ||
		      (t.s[i] >= '0' && t.s[i] <= '9')))
			return 0;
	return 1;
}

/* One token of a row, into the mapping or the row's values. */
static int parse_cell(struct reader *r, struct table *t, size_t c,
		      struct span tok, struct procmem_mapping *m,
		      struct span *mode)
{
	struct column *col = &t->cols[c];
	int64_t v;

	switch (col->role) {
	case COL_ADDRESS:
		if (parse_hex(tok, &m->address) == 0)
			return 0;
		break;
	case COL_MODE:
		*mode = tok;
		return 0;
	case COL_VALUE:
		if (parse_value(tok, &v) == 0) {
			t->row[c] = v;
			return add_kb(r, &col->sum, v);
		}
		break;
	default:
		return 0;
	}
	error("%s:%zu: '%.*s' is not a valid %.*s", r->name, r->c.lineno,
	      (int)tok.n, tok.s, (int)col->name.n, col->name.s);
	return -1;
}

static int parse_row(struct reader *r, struct table *t, struct procmem *pm,
		     size_t *cap)
{
	struct procmem_mapping *m = add_mapping(r, pm, cap);
	struct span line = r->line, tok, mode = { "", 0 }, name = { "", 0 };
	size_t pos = 0, c;

	if (!m)
		return -1;
	for (c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[c];

		if (col->role == COL_MAPPING) {
			name = rest_of(line, pos);
			continue;
		}
		if (col->role == COL_FLAGS) {
			size_t p = pos;

			while (next_token(line, &p, &tok) && is_flag_word(tok))
				pos = p;
			continue;
		}
		if (!next_token(line, &pos, &tok)) {
			error("%s:%zu: a mapping row cut short: no '%.*s' "
			      "column", r->name, r->c.lineno, (int)col->name.n,
			      col->name.s);
			return -1;
		}
		if (parse_cell(r, t, c, tok, m, &mode) < 0)
			return -1;
	}
	m->mode = xstrndup(mode.s, mode.n);
	m->name = xstrndup(name.s, name.n);
	if (t->role_col[V_SIZE] >= 0)
		m->size_kb = t->row[t->role_col[V_SIZE]];
	if (t->role_col[V_RSS] >= 0)
		m->rss_kb = t->row[t->role_col[V_RSS]];
	/* pmap -x has Dirty; pmap -XX, as smaps, Shared_ and Private_Dirty. */
	if (t->role_col[V_DIRTY] >= 0) {
		m->dirty_kb = t->row[t->role_col[V_DIRTY]];
	} else if (t->role_col[V_SHARED_DIRTY] >= 0 &&
		   t->role_col[V_PRIVATE_DIRTY] >= 0) {
		m->dirty_kb = t->row[t->role_col[V_SHARED_DIRTY]];
		if (add_kb(r, &m->dirty_kb,
			   t->row[t->role_col[V_PRIVATE_DIRTY]]) < 0)
			return -1;
	}
	if (m->name[0] == '[' && m->name[1] && m->name[1] != ' ')
		t->kernel_names = 1;
	if (anonymous_name(m->name) &&
	    add_kb(r, &t->anon_by_name, m->rss_kb) < 0)
		return -1;
	if (heap_name(m->name) && add_kb(r, &t->heap, m->rss_kb) < 0)
		return -1;
	if (stack_name(m->name)) {
		t->has_stack = 1;
		if (add_kb(r, &t->stack, m->rss_kb) < 0)
			return -1;
	}
	return 0;
}

/*
 * The total line: "total kB  K R D" (pmap -x), " total  123K" (pmap),
 * "N N N ... KB" under a rule (pmap -X), "total N N" (busybox) or
 * "mapped: 123K ..." (pmap -d, busybox pmap): one number per value column.
 */
static int parse_total(struct reader *r, struct table *t)
{
	struct span line = r->line, tok;
	size_t pos = 0, c, k, nvalues = 0, got = 0;
	int64_t v;

	for (c = 0; c < t->ncols; c++)
		nvalues += t->cols[c].role == COL_VALUE;
	k = pos;
	if (!next_token(line, &k, &tok))
		return 0;
	if (span_is(tok, "mapped:")) {
		if (!next_token(line, &k, &tok) || parse_value(tok, &v) < 0)
			goto bad;
		t->cols[t->role_col[V_SIZE]].total = v;
		return 0;
	}
	if (span_is(tok, "total")) {
		pos = k;
		if (next_token(line, &k, &tok) && (span_is_icase(tok, "kB")))
			pos = k;
	}
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].role != COL_VALUE)
			continue;
		if (!next_token(line, &pos, &tok))
			break;
		if (parse_value(tok, &v) < 0)
			goto bad;
		t->cols[c].total = v;
		got++;
	}
	k = pos;
	if (next_token(line, &k, &tok) && span_is_icase(tok, "kB"))
		pos = k;
	if (got == nvalues && !next_token(line, &pos, &tok))
		return 0;
bad:
	error("%s:%zu: malformed total line (expected %zu numbers, for %s)",
	      r->name, r->c.lineno, nvalues, t->plain ? "the size" :
	      "the header's value columns");
	return -1;
}

/* The total line must be the sum of the rows: else they were cut. */
static int check_totals(struct reader *r, struct table *t)
{
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[c];

		if (col->role != COL_VALUE || col->total == UNKNOWN ||
		    col->sum == UNKNOWN || col->total == col->sum)
			continue;
		error("%s:%zu: total %.*s %" PRId64 " is not the sum of the "
		      "mappings, %" PRId64 " (rows lost or edited?)", r->name,
		      r->c.lineno, (int)col->name.n, col->name.s, col->total,
		      col->sum);
		return -1;
	}
	return 0;
}

/* The total of a value role: the total line's, else the rows' sum. */
static int64_t role_total(const struct table *t, enum value_role v)
{
	const struct column *col;

	if (t->role_col[v] < 0)
		return UNKNOWN;
	col = &t->cols[t->role_col[v]];
	return col->total != UNKNOWN ? col->total : col->sum;
}

static void table_measures(struct table *t, struct procmem *pm)
{
	int64_t *kb = pm->kb;
	int has_rss = t->role_col[V_RSS] >= 0;

	kb[PM_SIZE] = role_total(t, V_SIZE);
	kb[PM_RSS] = role_total(t, V_RSS);
	kb[PM_PSS] = role_total(t, V_PSS);
	if (t->role_col[V_DIRTY] >= 0) {
		kb[PM_DIRTY] = role_total(t, V_DIRTY);
	} else {
		int64_t s = role_total(t, V_SHARED_DIRTY);
		int64_t p = role_total(t, V_PRIVATE_DIRTY);

		kb[PM_DIRTY] = s == UNKNOWN || p == UNKNOWN ? UNKNOWN : s + p;
	}
	if (t->role_col[V_ANON] >= 0)
		kb[PM_ANON] = role_total(t, V_ANON);
	else if (has_rss)
		kb[PM_ANON] = t->anon_by_name;
	kb[PM_FILE] = sub_kb(kb[PM_RSS], kb[PM_ANON]);
	kb[PM_SWAP] = role_total(t, V_SWAP);
	/*
	 * procps's pmap -x shows [heap] as "[ anon ]" and finds the stack
	 * by address; tables with the kernel's names ([heap], [stack]) show
	 * both, so there an absent one is 0.
	 */
	if (has_rss && t->kernel_names) {
		kb[PM_HEAP] = t->heap;
		kb[PM_STACK] = t->stack;
	} else if (has_rss && t->has_stack) {
		kb[PM_STACK] = t->stack;
	}
}

static const char no_permission[] =
	"(a process of another user? pmap needs permission to read its maps)";

/*
 * The line after "PID: command": a header, or for plain pmap (which has
 * none) its first row, which is read again as a row after this. Sets
 * *header_line to its number. Returns 0, or -1 (reported).
 */
static int pmap_header(struct reader *r, struct table *t, struct procmem *pm,
		       size_t *header_line)
{
	struct span tok;
	size_t pos = 0;

	do {
		if (!next_line(r)) {
			error("%s: only the 'PID: command' line, no mappings "
			      "%s", r->name, no_permission);
			return -1;
		}
	} while (is_empty(r->line));
	*header_line = r->c.lineno;
	if (plain_row(r->line)) {
		pm->format = PROCMEM_PMAP;
		if (plain_header(r, t) < 0)
			return -1;
		r->c.p = r->line.s;	/* read the row again */
		r->c.lineno--;
		return 0;
	}
	if (!next_token(r->line, &pos, &tok) || !span_is(tok, "Address")) {
		error("%s:%zu: neither a pmap header nor a mapping", r->name,
		      r->c.lineno);
		return -1;
	}
	return parse_header(r, t);
}

/* The total line, once there are rows for it to add up. */
static int pmap_total(struct reader *r, struct table *t,
		      const struct procmem *pm)
{
	if (!pm->nmappings) {
		error("%s:%zu: no mappings between the header and the total "
		      "line %s", r->name, r->c.lineno, no_permission);
		return -1;
	}
	if (parse_total(r, t) < 0 || check_totals(r, t) < 0)
		return -1;
	return 0;
}

/*
 * A non-blank line after the total: "pmap PID PID..." prints one process
 * after the other, which this reader takes one per file. Reports, -1.
 */
static int after_total(struct reader *r)
{
	int64_t pid;

	if (pid_line(r->line, &pid))
		error("%s:%zu: a second process (pmap of several PIDs): give "
		      "one per file", r->name, r->c.lineno);
	else
		error("%s:%zu: text after the total line", r->name,
		      r->c.lineno);
	return -1;
}

/*
 * The rows, the total line that ends them and blank lines after it. The
 * total line starts with "total" or "mapped:", or follows a rule of '-'
 * or '=' (pmap -X's has no word). Sets *have_total when there was one.
 * Returns 0, or -1 (reported).
 */
static int pmap_rows(struct reader *r, struct table *t, struct procmem *pm,
		     int *have_total)
{
	size_t cap = 0;
	int after_rule = 0;
	int64_t pid2;

	while (next_line(r)) {
		struct span tok;
		size_t pos = 0;

		if (is_empty(r->line))
			continue;
		if (*have_total)
			return after_total(r);
		if (rule_line(r->line)) {
			after_rule = 1;
			continue;
		}
		next_token(r->line, &pos, &tok);
		if (after_rule || span_is(tok, "total") ||
		    span_is(tok, "mapped:")) {
			if (pmap_total(r, t, pm) < 0)
				return -1;
			*have_total = 1;
			continue;
		}
		/* Another process's "PID:" before a total: this one is cut. */
		if (pid_line(r->line, &pid2)) {
			error("%s:%zu: a second process before the total line "
			      "(truncated?)", r->name, r->c.lineno);
			return -1;
		}
		if (parse_row(r, t, pm, &cap) < 0)
			return -1;
	}
	return 0;
}

/*
 * pmap output: "PID: command", a header (none for plain pmap), one row per
 * mapping, a total line. The total line is what shows the table whole:
 * pmap prints it last, and it must be the sum of the rows.
 */
static int parse_pmap(struct reader *r, struct procmem *pm)
{
	struct table t;
	size_t header_line;
	int ret = -1, have_total = 0;

	table_init(&t);
	pid_line(r->line, &pm->pid);	/* procmem_parse() saw it is one */
	if (pmap_header(r, &t, pm, &header_line) < 0)
		goto out;
	if (pmap_rows(r, &t, pm, &have_total) < 0)
		goto out;
	if (!pm->nmappings) {
		error("%s: a pmap header (line %zu) but no mappings %s",
		      r->name, header_line, no_permission);
		goto out;
	}
	if (!have_total) {
		error("%s: truncated: no total line after the mappings",
		      r->name);
		goto out;
	}
	table_measures(&t, pm);
	ret = 0;
out:
	table_release(&t);
	return ret;
}

/* ---- smaps and smaps_rollup ----------------------------------------- */

enum smaps_key {
	K_SIZE, K_RSS, K_PSS, K_SHARED_DIRTY, K_PRIVATE_DIRTY, K_ANON,
	K_SWAP, K_LOCKED, K_VMFLAGS, K_NKEYS
};

static const char *const smaps_keys[K_NKEYS] = {
	"Size", "Rss", "Pss", "Shared_Dirty", "Private_Dirty", "Anonymous",
	"Swap", "Locked", "VmFlags",
};

static int smaps_key(struct span key)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if (span_is(key, smaps_keys[k]))
			return k;
	return -1;
}

/* One smaps block (or the rollup): which keys it had and their values. */
struct block {
	unsigned seen;
	int64_t v[K_NKEYS];
	size_t lineno;
};

static void block_start(struct block *b, size_t lineno)
{
	memset(b, 0, sizeof(*b));
	b->lineno = lineno;
}

/* Reads "Key: N kB" lines up to the next range line or the end. */
static int read_block(struct reader *r, struct block *b, int *more)
{
	struct span key, value;
	uint64_t s, e;
	int k;

	*more = 0;
	while (next_line(r)) {
		if (range_line(r->line, &s, &e)) {
			*more = 1;
			return 0;
		}
		if (is_empty(r->line))
			continue;
		if (!key_line(r->line, &key, &value)) {
			error("%s:%zu: neither a mapping nor a 'Key: value' "
			      "line", r->name, r->c.lineno);
			return -1;
		}
		k = smaps_key(key);
		if (k < 0)
			continue;
		if (b->seen & 1u << k) {
			error("%s:%zu: a second '%s:' line in one mapping",
			      r->name, r->c.lineno, smaps_keys[k]);
			return -1;
		}
		b->seen |= 1u << k;
		if (k != K_VMFLAGS && kb_value(r, key, value, &b->v[k]) < 0)
			return -1;
	}
	return 0;
}

/* The first key of want that b lacks, or NULL. */
static const char *missing_key(const struct block *b, unsigned want)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if ((want & 1u << k) && !(b->seen & 1u << k))
			return smaps_keys[k];
	return NULL;
}

static int64_t key_or_unknown(unsigned seen, const int64_t *v, int k)
{
	return seen & 1u << k ? v[k] : UNKNOWN;
}

static int64_t dirty_of(unsigned seen, const int64_t *v)
{
	int64_t s = key_or_unknown(seen, v, K_SHARED_DIRTY);
	int64_t p = key_or_unknown(seen, v, K_PRIVATE_DIRTY);

	return s == UNKNOWN || p == UNKNOWN ? UNKNOWN : s + p;
}

/*
 * A mapping's first line, "START-END PERMS OFFSET DEV INODE [NAME]", the
 * same as in /proc/PID/maps: address, mode and name into m. The name is
 * the rest of the line, as a path may hold spaces.
 */
static void smaps_range(struct reader *r, struct procmem_mapping *m)
{
	struct span tok, mode;
	uint64_t end;
	size_t pos = 0, i;

	range_line(r->line, &m->address, &end);
	next_token(r->line, &pos, &tok);
	next_token(r->line, &pos, &mode);
	for (i = 0; i < 3; i++)	/* offset, device, inode */
		next_token(r->line, &pos, &tok);
	m->mode = xstrndup(mode.s, mode.n);
	tok = rest_of(r->line, pos);
	m->name = xstrndup(tok.s, tok.n);
}

/* Sums of an smaps file's blocks, and the RSS of [heap] and [stack]. */
struct smaps_sums {
	int64_t sum[K_NKEYS], heap, stack;
};

static int smaps_add(struct reader *r, struct smaps_sums *t,
		     const struct block *b, const struct procmem_mapping *m)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if (add_kb(r, &t->sum[k], b->v[k]) < 0)
			return -1;
	if (heap_name(m->name) && add_kb(r, &t->heap, m->rss_kb) < 0)
		return -1;
	if (stack_name(m->name) && add_kb(r, &t->stack, m->rss_kb) < 0)
		return -1;
	return 0;
}

/*
 * /proc/PID/smaps: per mapping, its range line then "Key: N kB" lines.
 * The kernel writes the same keys for every mapping, so the first block
 * sets the keys each block must have: a block that lacks one was cut.
 * Keys the first block lacks (an older kernel's) are unknown in the
 * totals rather than 0.
 */
static int parse_smaps(struct reader *r, struct procmem *pm)
{
	struct block b;
	struct smaps_sums t = { { 0 }, 0, 0 };
	unsigned first = 0;
	size_t cap = 0;
	int more = 1;

	/* read_block() stops at the next range line: r->line is it. */
	while (more) {
		struct procmem_mapping *m = add_mapping(r, pm, &cap);
		const char *lacks;

		if (!m)
			return -1;
		block_start(&b, r->c.lineno);
		smaps_range(r, m);
		if (read_block(r, &b, &more) < 0)
			return -1;
		if (pm->nmappings == 1) {
			if (!b.seen) {
				error("%s: a /proc/PID/maps listing, which "
				      "has no memory sizes (read smaps)",
				      r->name);
				return -1;
			}
			first = b.seen | 1u << K_SIZE | 1u << K_RSS;
		}
		lacks = missing_key(&b, first);
		if (lacks) {
			error("%s:%zu: the mapping has no '%s:' line "
			      "(truncated?)", r->name, b.lineno, lacks);
			return -1;
		}
		m->size_kb = b.v[K_SIZE];
		m->rss_kb = b.v[K_RSS];
		m->dirty_kb = dirty_of(b.seen, b.v);
		if (smaps_add(r, &t, &b, m) < 0)
			return -1;
	}
	pm->kb[PM_SIZE] = t.sum[K_SIZE];
	pm->kb[PM_RSS] = t.sum[K_RSS];
	pm->kb[PM_PSS] = key_or_unknown(first, t.sum, K_PSS);
	pm->kb[PM_DIRTY] = dirty_of(first, t.sum);
	pm->kb[PM_ANON] = key_or_unknown(first, t.sum, K_ANON);
	pm->kb[PM_FILE] = sub_kb(pm->kb[PM_RSS], pm->kb[PM_ANON]);
	pm->kb[PM_SWAP] = key_or_unknown(first, t.sum, K_SWAP);
	pm->kb[PM_HEAP] = t.heap;
	pm->kb[PM_STACK] = t.stack;
	return 0;
}

static int parse_rollup(struct reader *r, struct procmem *pm)
{
	struct block b;
	const char *lacks;
	int more;

	block_start(&b, r->c.lineno);
	if (read_block(r, &b, &more) < 0)
		return -1;
	if (more) {
		error("%s:%zu: a second header after the [rollup] one (two "
		      "files in one?)", r->name, r->c.lineno);
		return -1;
	}
	lacks = missing_key(&b, 1u << K_RSS);
	if (lacks) {
		error("%s: no '%s:' line", r->name, lacks);
		return -1;
	}
	/* Locked: closes every smaps_rollup since Linux 4.14. */
	if (missing_key(&b, 1u << K_LOCKED)) {
		error("%s: truncated: no 'Locked:' line, the last of "
		      "smaps_rollup", r->name);
		return -1;
	}
	pm->kb[PM_RSS] = b.v[K_RSS];
	pm->kb[PM_PSS] = key_or_unknown(b.seen, b.v, K_PSS);
	pm->kb[PM_DIRTY] = dirty_of(b.seen, b.v);
	pm->kb[PM_ANON] = key_or_unknown(b.seen, b.v, K_ANON);
	pm->kb[PM_FILE] = sub_kb(pm->kb[PM_RSS], pm->kb[PM_ANON]);
	pm->kb[PM_SWAP] = key_or_unknown(b.seen, b.v, K_SWAP);
	return 0;
}

/* ---- status --------------------------------------------------------- */

enum status_key {
	S_TGID, S_PID, S_VMSIZE, S_VMRSS, S_RSSANON, S_RSSFILE, S_RSSSHMEM,
	S_VMSWAP, S_THREADS, S_NKEYS
};

static const char *const status_keys[S_NKEYS] = {
	"Tgid", "Pid", "VmSize", "VmRSS", "RssAnon", "RssFile", "RssShmem",
	"VmSwap", "Threads",
};

static int parse_status(struct reader *r, struct procmem *pm)
{
	struct span key, value;
	int64_t v[S_NKEYS] = { 0 };
	unsigned seen = 0;
	int k, first = 1;

	do {
		if (is_empty(r->line))
			continue;
		if (!key_line(r->line, &key, &value)) {
			error("%s:%zu: not a 'Key: value' line", r->name,
			      r->c.lineno);
			return -1;
		}
		if (!first && span_is(key, "Name")) {
			error("%s:%zu: a second 'Name:' line (two files in "
			      "one?)", r->name, r->c.lineno);
			return -1;
		}
		first = 0;
		for (k = 0; k < S_NKEYS; k++)
			if (span_is(key, status_keys[k]))
				break;
		if (k == S_NKEYS)
			continue;
		if (seen & 1u << k) {
			error("%s:%zu: a second '%s:' line", r->name,
			      r->c.lineno, status_keys[k]);
			return -1;
		}
		seen |= 1u << k;
		if (kb_value(r, key, value, &v[k]) < 0)
			return -1;
	} while (next_line(r));
	if (!(seen & 1u << S_THREADS)) {
		error("%s: truncated: no 'Threads:' line", r->name);
		return -1;
	}
	if (!(seen & 1u << S_VMRSS)) {
		error("%s: no 'VmRSS:' line: a kernel thread or a zombie, "
		      "without memory", r->name);
		return -1;
	}
	if (seen & 1u << S_TGID)
		pm->pid = v[S_TGID];
	else if (seen & 1u << S_PID)
		pm->pid = v[S_PID];
	pm->kb[PM_SIZE] = key_or_unknown(seen, v, S_VMSIZE);
	pm->kb[PM_RSS] = v[S_VMRSS];
	pm->kb[PM_ANON] = key_or_unknown(seen, v, S_RSSANON);
	if ((seen & 1u << S_RSSFILE) && (seen & 1u << S_RSSSHMEM))
		pm->kb[PM_FILE] = v[S_RSSFILE] + v[S_RSSSHMEM];
	pm->kb[PM_SWAP] = key_or_unknown(seen, v, S_VMSWAP);
	return 0;
}

/* ---- detection ------------------------------------------------------ */

/*
 * Why data is certainly not text we read, or NULL. Deeper than sniff()'s
 * look at the head: names are kept as C strings, so a NUL anywhere would
 * cut one short, and binary is refused here, before any line is parsed.
 */
static const char *not_text(const char *d, size_t len, enum sniff_kind kind)
{
	if (kind == SNIFF_GZIP)
		return sniff_name(kind);
	if (memchr(d, '\0', len) || !sniff_is_text(d, len, 4096))
		return sniff_name(SNIFF_BINARY);
	if (kind == SNIFF_HTML || kind == SNIFF_FDS ||
	    kind == SNIFF_LIMITS)
		return sniff_name(kind);
	return NULL;
}

/* The format of the process memory sniff() found, or -1 for none. */
static int format_of(enum sniff_kind kind, enum procmem_format *f)
{
	switch (kind) {
	case SNIFF_PMAP:
		/* parse_pmap() tells plain pmap by its rows (no header). */
		*f = PROCMEM_PMAP_X;
		return 0;
	case SNIFF_SMAPS_ROLLUP:
		*f = PROCMEM_SMAPS_ROLLUP;
		return 0;
	case SNIFF_SMAPS:
		*f = PROCMEM_SMAPS;
		return 0;
	case SNIFF_STATUS:
		*f = PROCMEM_STATUS;
		return 0;
	default:
		return -1;
	}
}

struct procmem *procmem_parse(const char *name, const char *data, size_t len)
{
	struct reader r = { .name = name, .c = { data, data + len, 0 } };
	struct procmem *pm = NULL;
	enum sniff_kind kind;
	enum procmem_format f;
	const char *bad;
	int ret = -1;

	if (!len) {
		error("%s: empty file", name);
		return NULL;
	}
	kind = sniff(data, len);
	bad = not_text(data, len, kind);
	if (bad) {
		error("%s: %s, not a process memory map", name, bad);
		return NULL;
	}
	do {
		if (!next_line(&r)) {
			error("%s: only blank lines (pmap of a process that "
			      "had exited?)", name);
			return NULL;
		}
	} while (is_empty(r.line));
	if (format_of(kind, &f) < 0) {
		error("%s: text that is not pmap output, smaps, smaps_rollup "
		      "or status", name);
		return NULL;
	}
	pm = procmem_alloc(f);
	if (data[len - 1] != '\n') {
		error("%s: truncated: the last line is cut short", name);
		goto out;
	}
	switch (pm->format) {
	case PROCMEM_PMAP:
	case PROCMEM_PMAP_X:
		ret = parse_pmap(&r, pm);
		break;
	case PROCMEM_SMAPS:
		ret = parse_smaps(&r, pm);
		break;
	case PROCMEM_SMAPS_ROLLUP:
		ret = parse_rollup(&r, pm);
		break;
	case PROCMEM_STATUS:
		ret = parse_status(&r, pm);
		break;
	}
out:
	if (ret < 0) {
		procmem_free(pm);
		return NULL;
	}
	return pm;
}

const char *procmem_format_name(enum procmem_format f)
{
	switch (f) {
	case PROCMEM_PMAP:
		return "pmap";
	case PROCMEM_PMAP_X:
		return "pmap -x";
	case PROCMEM_SMAPS:
		return "smaps";
	case PROCMEM_SMAPS_ROLLUP:
		return "smaps_rollup";
	case PROCMEM_STATUS:
		return "status";
	}
	return "?";
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Bash completion, written from the command registry and option tables. */
#include "cmd/complete.h"
#include "base/leaky.h"
#include "cmd/help.h"
#include "cmd/opttab.h"

#include <stdio.h>
#include <string.h>

/*
 * The script quotes nothing it writes: names and values go between double
 * quotes and into case patterns as they are. The tables are ours, so a
 * character that would need quoting there is a bug in a table.
 */
static const char *safe(const char *s)
{
	BUG_ON(strspn(s, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-, ") !=
	       strlen(s));
	return s;
}

/* An argument named FILE, FILES or DIR (or ending so) is a path. */
static int takes_path(const struct opt *o)
{
	static const char *const names[] = { "FILE", "FILES", "DIR" };
	size_t i, len, n;

	if (!o->argh)
		return 0;
	len = strlen(o->argh);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (len >= n && !strcmp(o->argh + len - n, names[i]))
			return 1;
	}
	return 0;
}

enum arm { ARM_VALUES, ARM_PATH, ARM_OTHER };

struct arm_ctx {
	FILE *fp;
	enum arm arm;
	int n;			/* patterns written on the arm's line */
};

/* Writes "-x|--name" for o, as one pattern of a case arm. */
static void pattern(struct arm_ctx *a, const struct opt *o)
{
	if (a->n++)
		fputc('|', a->fp);
	else
		fputs("\t\t", a->fp);
	if (o->short_name)
		fprintf(a->fp, "-%c", o->short_name);
	if (o->short_name && o->long_name)
		fputc('|', a->fp);
	if (o->long_name)
		fprintf(a->fp, "--%s", safe(o->long_name));
}

/* An option with values: an arm of its own that offers them. */
static void values_arm(const struct opt *o, void *data)
{
	struct arm_ctx *a = data;

	if (!o->argh || !o->values)
		return;
	a->n = 0;
	pattern(a, o);
	fprintf(a->fp, ")\n\t\t\t_leaky_%s \"%s\" \"$cur\"\n\t\t\treturn 0 ;;\n",
		o->flags & OPTF_LIST ? "list" : "words", safe(o->values));
}

/* The options whose argument is a path, or anything else: one arm each. */
static void shared_arm(const struct opt *o, void *data)
{
	struct arm_ctx *a = data;

	if (!o->argh || o->values)
		return;
	if ((a->arm == ARM_PATH) != takes_path(o))
		return;
	pattern(a, o);
}

/* The names offered for "-": long ones, and letters that have no long. */
static void name_word(const struct opt *o, void *data)
{
	struct arm_ctx *a = data;

	if (a->n++)
		fputc(' ', a->fp);
	if (o->long_name)
		fprintf(a->fp, "--%s", safe(o->long_name));
	else
		fprintf(a->fp, "-%c", o->short_name);
}

static void command_arm(const struct cmd_entry *c, FILE *fp)
{
	struct arm_ctx a = { fp, ARM_VALUES, 0 };

	fprintf(fp, "\t%s)\n\t\tcase $prev in\n", safe(c->name));
	opt_each(c->options, values_arm, &a);
	a.arm = ARM_PATH;
	a.n = 0;
	opt_each(c->options, shared_arm, &a);
	if (a.n)
		fputs(")\n\t\t\t_leaky_files \"$cur\"\n\t\t\treturn 0 ;;\n", fp);
	a.arm = ARM_OTHER;
	a.n = 0;
	opt_each(c->options, shared_arm, &a);
	/* an argument leaky cannot guess (a number, a regex): no offer */
	if (a.n)
		fputs(")\n\t\t\treturn 0 ;;\n", fp);
	fputs("\t\tesac\n\t\topts=\"", fp);
	a.n = 0;
	opt_each(c->options, name_word, &a);
	fputs("\" ;;\n", fp);
}

static void command_names(const struct cmd_registry *r, FILE *fp)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		fprintf(fp, "%s%s", i ? " " : "", safe(r->cmds[i].name));
}

void complete_bash(const struct cmd_registry *r, FILE *fp)
{
	size_t i;

	fputs("# bash completion for leaky: made by 'leaky help --completion'"
	      " from the\n# commands' option tables; edit those.\n"
	      "\n"
	      "# _leaky_words WORDS CUR: the words that start with CUR.\n"
	      "_leaky_words()\n{\n"
	      "\tmapfile -t COMPREPLY < <(compgen -W \"$1\" -- \"$2\")\n"
	      "}\n\n"
	      "# _leaky_list WORDS CUR: CUR is a comma-separated list of "
	      "WORDS; its last\n# item is completed, the others kept.\n"
	      "_leaky_list()\n{\n"
	      "\tlocal pre=\n"
	      "\tcase $2 in *,*) pre=${2%,*}, ;; esac\n"
	      "\tmapfile -t COMPREPLY < <(compgen -P \"$pre\" -W \"$1\" -- "
	      "\"${2##*,}\")\n"
	      "\tcompopt -o nospace 2>/dev/null || :\n"
	      "}\n\n"
	      "# _leaky_files CUR: paths.\n"
	      "_leaky_files()\n{\n"
	      "\tmapfile -t COMPREPLY < <(compgen -f -- \"$1\")\n"
	      "\tcompopt -o filenames 2>/dev/null || :\n"
	      "}\n\n"
	      "_leaky()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= opts=\n"
	      "\t[ \"$COMP_CWORD\" -gt 0 ] && "
	      "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -le 1 ]; then\n"
	      "\t\t_leaky_words \"", fp);
	command_names(r, fp);
	fputs(" help version --help --version -V\" \"$cur\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tcase ${COMP_WORDS[1]} in\n"
	      "\thelp)\n"
	      "\t\t[ \"$COMP_CWORD\" = 2 ] && _leaky_words \"", fp);
	command_names(r, fp);
	fputs("\" \"$cur\"\n\t\treturn 0 ;;\n", fp);
	for (i = 0; i < r->n; i++)
		command_arm(&r->cmds[i], fp);
	fputs("\t*)\n\t\treturn 0 ;;\n"
	      "\tesac\n"
	      "\tcase $cur in\n"
	      "\t-*) _leaky_words \"$opts\" \"$cur\" ;;\n"
	      "\t*) _leaky_files \"$cur\" ;;\n"
	      "\tesac\n"
	      "\treturn 0\n"
	      "}\n"
	      "complete -F _leaky leaky\n", fp);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Man pages in roff, made from the command registry and the option tables. */
#include "cmd/help.h"
#include "base/leaky.h"
#include "cmd/opttab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Writes s[0..len) as roff text on the current line. A backslash is roff's
 * escape, so it is spelled \e; every '-' becomes \- (the minus sign), as
 * options must be for a reader to copy them from the page and as Debian's
 * lintian asks; a line that starts with '.' or '\'' would be a request,
 * so \& goes before it.
 */
static void roff_put(FILE *fp, const char *s, size_t len, int line_start)
{
	size_t i;

	if (line_start && len && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", fp);
	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\e", fp);
		else if (s[i] == '-')
			fputs("\\-", fp);
		else
			fputc(s[i], fp);
	}
}

static void roff_str(FILE *fp, const char *s)
{
	roff_put(fp, s, strlen(s), 0);
}

/*
 * Writes text (--help's lines, '\n' between them) as filled roff: each
 * line one input line, trailing blanks dropped (mandoc warns of them); a
 * blank line starts a paragraph. Lines indented in --help (examples) keep
 * their break: roff breaks before an input line that starts with a space.
 */
static void roff_text(FILE *fp, const char *text)
{
	const char *p = text, *nl;
	size_t len;

	while (*p) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (!len) {
			fputs(".PP\n", fp);
		} else {
			roff_put(fp, p, len, 1);
			fputc('\n', fp);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

/*
 * The page's date: $SOURCE_DATE_EPOCH's day (the Makefile sets it to the
 * last commit's, so that a rebuild writes the same pages: Debian's
 * reproducible builds read it too), else today's, in UTC.
 */
static void man_date(char *buf, size_t len)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;
	char *end;

	if (env && *env) {
		long long v = strtoll(env, &end, 10);

		if (!*end && v >= 0)
			t = (time_t)v;
	}
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* .TH TITLE 1 DATE "leaky VERSION" "leaky manual", TITLE upper case. */
static void man_header(const struct cmd_registry *r, const char *title,
		       FILE *fp)
{
	char date[32];
	const char *p;

	man_date(date, sizeof(date));
	fputs(".\\\" Made by 'leaky help --man' from leaky's option tables: "
	      "edit those.\n", fp);
	fputs(".TH ", fp);
	for (p = title; *p; p++) {
		if (*p == '-')
			fputs("\\-", fp);
		else
			fputc(toupper((unsigned char)*p), fp);
	}
	fprintf(fp, " 1 %s \"leaky %s\" \"leaky manual\"\n", date,
		r->version);
}

/*
 * SYNOPSIS from the usage: "usage: leaky heaper [OPTIONS] FILE...", then
 * lines indented under it; "leaky heaper" in bold, one form a line.
 */
static void man_synopsis(const struct cmd_entry *c, FILE *fp)
{
	const char *p = c->options->usage, *nl;
	char prog[64];
	size_t len, plen;
	int first = 1;

	snprintf(prog, sizeof(prog), "leaky %s", c->name);
	plen = strlen(prog);
	fputs(".SH SYNOPSIS\n", fp);
	while (*p) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= 6 && !strncmp(p, "usage:", 6)) {
			p += 6;
			len -= 6;
		}
		while (len && *p == ' ') {
			p++;
			len--;
		}
		if (len) {
			if (!first)
				fputs(".br\n", fp);
			first = 0;
			if (len >= plen && !strncmp(p, prog, plen)) {
				fputs(".B ", fp);
				roff_str(fp, prog);
				fputc('\n', fp);
				p += plen;
				len -= plen;
				while (len && *p == ' ') {
					p++;
					len--;
				}
			}
			if (len) {
				roff_put(fp, p, len, 1);
				fputc('\n', fp);
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* One option: its names and argument as --help shows them, then its help. */
static void man_option(const struct opt *o, void *data)
{
	FILE *fp = data;

	fputs(".TP\n", fp);
	if (o->short_name)
		fprintf(fp, "\\fB\\-%c\\fR", o->short_name);
	if (o->short_name && o->long_name)
		fputs(", ", fp);
	if (o->long_name) {
		fputs("\\fB\\-\\-", fp);
		roff_str(fp, o->long_name);
		fputs("\\fR", fp);
	}
	if (o->argh) {
		fputs(" \\fI", fp);
		roff_str(fp, o->argh);
		fputs("\\fR", fp);
	}
	fputc('\n', fp);
	roff_text(fp, o->help);
}

/* .BR leaky (1), then .BR leaky-NAME (1) for each command but skip. */
static void man_see_also(const struct cmd_registry *r,
			 const struct cmd_entry *skip, FILE *fp)
{
	size_t i, left = r->n - (skip ? 1 : 0);

	fputs(".SH SEE ALSO\n", fp);
	if (skip)
		fprintf(fp, ".BR leaky (1)%s\n", left ? "," : "");
	for (i = 0; i < r->n; i++) {
		if (&r->cmds[i] == skip)
			continue;
		fprintf(fp, ".BR leaky\\-%s (1)%s\n", r->cmds[i].name,
			--left ? "," : "");
	}
}

#define EXIT_HEAD "Exit status:"

void man_command(const struct cmd_registry *r, const struct cmd_entry *c,
		 FILE *fp)
{
	const struct opt_cmd *oc = c->options;
	char title[64];

	snprintf(title, sizeof(title), "leaky-%s", c->name);
	man_header(r, title, fp);
	fputs(".SH NAME\n", fp);
	roff_str(fp, title);
	fputs(" \\- ", fp);
	roff_str(fp, c->summary);
	fputc('\n', fp);
	man_synopsis(c, fp);
	fputs(".SH DESCRIPTION\n", fp);
	roff_text(fp, oc->about);
	fputs(".SH OPTIONS\n", fp);
	opt_each(oc, man_option, fp);
	/* a footer that documents the exit status is the section's text;
	 * any other (what the command needs, where it looks) is a note */
	if (oc->footer && !strncmp(oc->footer, EXIT_HEAD,
				   strlen(EXIT_HEAD))) {
		const char *p = oc->footer + strlen(EXIT_HEAD);

		while (*p == ' ')
			p++;
		fputs(".SH EXIT STATUS\n", fp);
		roff_text(fp, p);
	} else if (oc->footer) {
		fputs(".SH NOTES\n", fp);
		roff_text(fp, oc->footer);
	}
	man_see_also(r, c, fp);
}

void man_leaky(const struct cmd_registry *r, FILE *fp)
{
	size_t i;

	man_header(r, "leaky", fp);
	fputs(".SH NAME\n"
	      "leaky \\- hunt memory and goroutine leaks in long\\-running "
	      "services\n"
	      ".SH SYNOPSIS\n"
	      ".B leaky\n"
	      "\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n"
	      ".br\n"
	      ".B leaky help\n"
	      "[\\fICOMMAND\\fR]\n"
	      ".br\n"
	      ".B leaky\n"
	      "\\-\\-version\n"
	      ".SH DESCRIPTION\n"
	      "leaky hunts memory and goroutine leaks in long\\-running "
	      "services.\n"
	      "It samples them on a schedule (heap and goroutine profiles, "
	      "process memory,\n"
	      "open descriptors), turns the samples into CSV time series, "
	      "charts them, and\n"
	      "says what keeps growing, with a verdict CI can act on.\n"
	      ".PP\n"
	      "Each command has its own page, and\n"
	      ".B leaky help\n"
	      "\\fICOMMAND\\fR (or \\fBleaky\\fR \\fICOMMAND\\fR "
	      "\\fB\\-\\-help\\fR) prints its options.\n"
	      ".B leaky \\-\\-version\n"
	      "(also \\fB\\-V\\fR and \\fBleaky version\\fR) prints which "
	      "leaky this is.\n"
	      ".SH COMMANDS\n", fp);
	for (i = 0; i < r->n; i++) {
		fputs(".TP\n.B ", fp);
		roff_str(fp, r->cmds[i].name);
		fputc('\n', fp);
		roff_str(fp, r->cmds[i].summary);
		fputs("; see\n", fp);
		fprintf(fp, ".BR leaky\\-%s (1).\n", r->cmds[i].name);
	}
	fputs(".SH EXIT STATUS\n"
	      ".TP\n.B 0\nok\n"
	      ".TP\n.B 1\nfailure: a bad input file (the others were "
	      "processed), an output that\ncannot be written\n"
	      ".TP\n.B 2\nusage error: one line says what, and a second "
	      "where the help is\n"
	      ".TP\n.B 3\n\\fBleaky report\\fR reached its "
	      "\\fB\\-\\-fail\\-on\\fR level (a leak, by default)\n"
	      ".TP\n.B 4\n\\fBleaky report\\fR could not judge a target "
	      "(too few snapshots, none, every\nfetch failed), unless "
	      "\\fB\\-\\-allow\\-no\\-data\\fR or \\fB\\-\\-fail\\-on "
	      "never\\fR\n"
	      ".SH FILES\n"
	      ".TP\n", fp);
	fputs(".I ", fp);
	roff_str(fp, r->sysconfdir);
	fputs("/leaky/leaky.conf\n"
	      "the configuration \\fBleaky collect\\fR reads without "
	      "\\fB\\-c\\fR when there is no\n"
	      ".I ./configs/leaky.conf\n", fp);
	man_see_also(r, NULL, fp);
}

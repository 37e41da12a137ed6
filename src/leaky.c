/* SPDX-License-Identifier: Apache-2.0 */
/* main(): the command table and dispatch. */
#include "cmd/cmd.h"
#include "base/leaky.h"
#include "cmd/complete.h"
#include "cmd/help.h"
#include "cmd/opttab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef LEAKY_VERSION
#define LEAKY_VERSION "dev"
#endif
#ifndef LEAKY_SYSCONFDIR
#define LEAKY_SYSCONFDIR "/usr/local/etc"
#endif

static const struct cmd_entry commands[] = {
	{ "heaper", cmd_heaper,
	  "pprof heap profiles to CSV time series per function",
	  &heaper_options },
	{ "goroutines", cmd_goroutines,
	  "goroutine profiles and dumps to CSV time series per stack",
	  &goroutines_options },
	{ "pmap", cmd_pmap,
	  "process memory (pmap, smaps, status) to CSV time series",
	  &pmap_options },
	{ "fds", cmd_fds,
	  "open descriptors and threads (collect's .fds lists) to CSV",
	  &fds_options },
	{ "collect", cmd_collect,
	  "sample running services on a fixed schedule into a directory",
	  &collect_options },
	{ "load", cmd_load,
	  "drive HTTP load at a service (hey-compatible)",
	  &load_options },
	{ "report", cmd_report,
	  "rank what keeps growing; a leak verdict CI can act on",
	  &report_options },
	{ "plot", cmd_plot,
	  "charts of heap, goroutines and RSS over time (gnuplot)",
	  &plot_options },
	{ "soak", cmd_soak,
	  "start a service, load it, sample it: the report's verdict",
	  &soak_options },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: leaky COMMAND [OPTIONS] [ARGS]\n\n"
		"Hunts memory and goroutine leaks in long-running services."
		"\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(fp, "\n'leaky help COMMAND' (or 'leaky COMMAND --help') "
		"describes a command;\n'leaky --version' says which leaky "
		"this is.\n");
}

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cmd_entry *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "leaky: unknown command '%s'\nTry 'leaky --help'.\n",
		name);
	return LEAKY_USAGE;
}

/*
 * leaky help [COMMAND]: the overview, or the command's --help. For the
 * build, from the same tables: --man [COMMAND] writes leaky(1) or
 * leaky-COMMAND(1) in roff, --completion the bash completion script,
 * --commands the commands' names, one a line.
 */
static int help(int argc, char **argv)
{
	const struct cmd_registry reg = {
		commands, NCOMMANDS, LEAKY_VERSION, LEAKY_SYSCONFDIR
	};
	const struct cmd_entry *c;
	size_t i;

	if (argc == 1) {
		usage(stdout);
		return LEAKY_OK;
	}
	if (!strcmp(argv[1], "--commands") && argc == 2) {
		for (i = 0; i < NCOMMANDS; i++)
			printf("%s\n", commands[i].name);
		return LEAKY_OK;
	}
	if (!strcmp(argv[1], "--completion") && argc == 2) {
		complete_bash(&reg, stdout);
		return LEAKY_OK;
	}
	if (!strcmp(argv[1], "--man") && argc <= 3) {
		if (argc == 2) {
			man_leaky(&reg, stdout);
			return LEAKY_OK;
		}
		c = find_command(argv[2]);
		if (!c)
			return unknown_command(argv[2]);
		man_command(&reg, c, stdout);
		return LEAKY_OK;
	}
	if (argc == 2 && argv[1][0] != '-') {
		c = find_command(argv[1]);
		if (!c)
			return unknown_command(argv[1]);
		opt_help(c->options, stdout);
		return LEAKY_OK;
	}
	fprintf(stderr, "usage: leaky help [COMMAND]\n"
		"       leaky help --man [COMMAND]\n"
		"       leaky help --completion\n"
		"       leaky help --commands\n");
	return LEAKY_USAGE;
}

int main(int argc, char **argv)
{
	static char progname[64];
	size_t i;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return LEAKY_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return LEAKY_OK;
	}
	if (!strcmp(argv[1], "help")) {
		ret = help(argc - 1, argv + 1);
		if (fflush(stdout) || ferror(stdout)) {
			error("write error on standard output: %s",
			      strerror(errno));
			return LEAKY_FAIL;
		}
		return ret;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("leaky %s\n", LEAKY_VERSION);
		return LEAKY_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		snprintf(progname, sizeof(progname), "leaky %s",
			 commands[i].name);
		leaky_progname = progname;
		ret = commands[i].fn(argc - 1, argv + 1);
		if (fflush(stdout) || ferror(stdout)) {
			error("write error on standard output: %s",
			      strerror(errno));
			return LEAKY_FAIL;
		}
		return ret;
	}
	return unknown_command(argv[1]);
}

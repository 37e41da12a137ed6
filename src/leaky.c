/* main(): the command table and dispatch. */
#include "cmd/cmd.h"
#include "base/leaky.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef LEAKY_VERSION
#define LEAKY_VERSION "dev"
#endif

struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const struct opt_cmd *options;	/* for man pages and completion */
};

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
	fprintf(fp, "\n'leaky COMMAND --help' describes a command.\n");
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
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return LEAKY_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("leaky %s\n", LEAKY_VERSION);
		return LEAKY_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
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
	fprintf(stderr, "leaky: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return LEAKY_USAGE;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The subcommands' entry points and option tables, one per src/cmd/NAME.c. */
#ifndef LEAKY_CMD_H
#define LEAKY_CMD_H

/* Each returns an exit status from enum leaky_exit. */
int cmd_heaper(int argc, char **argv);
int cmd_goroutines(int argc, char **argv);
int cmd_pmap(int argc, char **argv);
int cmd_fds(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_soak(int argc, char **argv);

/*
 * Each command's options, usage and help as data (cmd/opttab.h): what
 * --help prints, and what man pages and shell completion can be made from.
 */
struct opt_cmd;
extern const struct opt_cmd heaper_options;
extern const struct opt_cmd goroutines_options;
extern const struct opt_cmd pmap_options;
extern const struct opt_cmd fds_options;
extern const struct opt_cmd collect_options;
extern const struct opt_cmd load_options;
extern const struct opt_cmd report_options;
extern const struct opt_cmd plot_options;
extern const struct opt_cmd soak_options;

#endif

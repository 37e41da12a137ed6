/* The subcommands' entry points, one per src/cmd_<name>.c. */
#ifndef LEAKY_CMD_H
#define LEAKY_CMD_H

/* Each returns an exit status from enum leaky_exit. */
int cmd_heaper(int argc, char **argv);
int cmd_goroutines(int argc, char **argv);
int cmd_pmap(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif

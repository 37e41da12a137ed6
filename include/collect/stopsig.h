/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The signals that stop a collector's run, SIGINT and SIGTERM: the first
 * asks the run to stop between two of its steps, a second ends the
 * process at once. The state is the process's: one run at a time.
 */
#ifndef LEAKY_COLLECT_STOPSIG_H
#define LEAKY_COLLECT_STOPSIG_H

/*
 * Installs the handlers (and ignores SIGPIPE and SIGXFSZ, so that writes
 * fail with an error instead). Returns 0, or -1 after error() when the
 * wakeup pipe cannot be made.
 */
int stopsig_setup(void);
/* The number of stop signals since stopsig_setup(). */
int stopsig_seen(void);
/*
 * Asks the run to stop as a first signal would, from code (leaky soak,
 * when the service it samples has exited): counts one stop unless one was
 * seen, so that a later Ctrl-C still ends the process at once. Safe from
 * another thread; before stopsig_setup() or after stopsig_restore() it
 * only counts (the next setup forgets it).
 */
void stopsig_request(void);
/* The descriptor that turns readable at a signal, for the loop's wait. */
int stopsig_fd(void);
/* Reads the pending wakeups, so that the next wait blocks again. */
void stopsig_drain(void);
/* At the end of a run: SIGINT and SIGTERM ignored, the pipe closed. */
void stopsig_restore(void);

#endif

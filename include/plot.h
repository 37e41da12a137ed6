/* Charts through gnuplot (being written). */
#ifndef LEAKY_PLOT_H
#define LEAKY_PLOT_H
#endif

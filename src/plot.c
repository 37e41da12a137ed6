/* Charts through gnuplot (being written). */
#include "plot.h"

/* loadgen (being written). */
#include "loadgen.h"

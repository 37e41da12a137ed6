/* loadgen (being written). */
#ifndef LEAKY_LOADGEN_H
#define LEAKY_LOADGEN_H
#endif

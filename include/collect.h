/* collect (being written). */
#ifndef LEAKY_COLLECT_H
#define LEAKY_COLLECT_H
#endif

/* Process memory decoders (being written). */
#include "procmem.h"

/* collect (being written). */
#include "collect.h"

/* SPDX-License-Identifier: Apache-2.0 */
/* heap?debug=1 dumps' runtime.MemStats as table rows (heaper --memstats). */
#include "analyze/memstats.h"
#include "base/leaky.h"
#include "model/profile.h"
#include "out/table.h"

#include <stdlib.h>

int memstats_add_row(struct table *t, const char *name,
		     const struct profile *p, int64_t nanos,
		     const char *target)
{
	const char **keys, **values;
	size_t i;
	int ret;

	/* Only the text dump carries MemStats; pprof's proto has none. */
	if (p->format != PROF_HEAP_TEXT || !p->nstats) {
		error("%s: no runtime.MemStats (--memstats reads "
		      "heap?debug=1 dumps)", name);
		return -1;
	}
	keys = xcalloc(p->nstats, sizeof(*keys));
	values = xcalloc(p->nstats, sizeof(*values));
	for (i = 0; i < p->nstats; i++) {
		keys[i] = p->stats[i].key;
		values[i] = p->stats[i].value;
	}
	ret = table_add(t, nanos, target, p->nstats, keys, values);
	free(keys);
	free(values);
	return ret;
}

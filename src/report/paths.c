/* Two heap profiles' change by stack, for the report's call paths. */
#include "report/paths.h"
#include "report/dataset.h"
#include "analyze/aggdiff.h"
#include "base/leaky.h"
#include "decode/reader.h"
#include "model/profile.h"

#include <regex.h>
#include <string.h>

int stackdiff_load(struct stackdiff *sd, const char *first, const char *last,
		   int keep_profiler)
{
	struct agg_opts o = { .by = AGG_STACK };
	struct agg_snapshot s[2] = { { 0 }, { 0 } };
	const char *path[2] = { first, last };
	struct prof_reader rd;
	regex_t profiler;
	int ret = 0, type = -1, i;

	memset(sd, 0, sizeof(*sd));
	if (!keep_profiler) {
		if (regcomp(&profiler, DS_PROFILER_FRAMES,
			    REG_EXTENDED | REG_NOSUB))
			BUG("cannot compile %s", DS_PROFILER_FRAMES);
		o.ignore = &profiler;
	}
	sd->g = agg_new(&o);
	prof_reader_init(&rd, NULL);
	for (i = 0; i < 2 && !ret; i++) {
		struct profile *p = prof_reader_load(&rd, path[i], NULL);
		int t = p ? profile_find_type(p, "inuse_space") : -1;

		if (!p) {
			ret = -1;
		} else if (t < 0 || (i && t != type)) {
			error("%s: no inuse_space like the first profile's",
			      path[i]);
			ret = -1;
		} else {
			type = t;
			agg_profile(sd->g, p, (size_t)t, &s[i]);
		}
		profile_free(p);
	}
	prof_reader_release(&rd);
	if (!ret && agg_diff(sd->g, &s[0], &s[1], (size_t)type, &sd->d) < 0)
		ret = -1;
	sd->type = type < 0 ? 0 : (size_t)type;
	agg_snapshot_release(&s[0]);
	agg_snapshot_release(&s[1]);
	if (!keep_profiler)
		regfree(&profiler);
	if (ret)
		stackdiff_release(sd);
	return ret;
}

void stackdiff_release(struct stackdiff *sd)
{
	agg_snapshot_release(&sd->d);
	agg_free(sd->g);
	memset(sd, 0, sizeof(*sd));
}

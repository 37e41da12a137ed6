/* Options shared by the snapshot commands (command layer: may exit). */
#include "cmd/cmdopt.h"
#include "base/leaky.h"

#include <stdio.h>

static size_t size_arg(const char *s, const char *opt)
{
	size_t v;

	if (parse_size(s, &v) < 0 || !v)
		usage_die("bad size for %s: '%s'", opt, s);
	return v;
}

int snap_opt(struct snap_opts *o, int c, const char *arg)
{
	switch (c) {
	case SNAP_OPT_TIME:
		if (csvout_time_parse(arg, &o->time_style) < 0)
			usage_die("bad --time '%s' (rfc3339, unix or unixms)",
				  arg);
		return 1;
	case SNAP_OPT_TARGET:
		o->target = arg;
		return 1;
	case 'o':
		o->output = arg;
		return 1;
	case SNAP_OPT_FORCE:
		o->force = 1;
		return 1;
	case SNAP_OPT_CSV_RAW:
		o->csv_raw = 1;
		return 1;
	case SNAP_OPT_MAX_INPUT:
		o->lim.max_input = size_arg(arg, "--max-input");
		return 1;
	case SNAP_OPT_MAX_INFLATED:
		o->lim.max_inflated = size_arg(arg, "--max-inflated");
		return 1;
	case SNAP_OPT_MAX_MEMORY:
		o->lim.max_memory = size_arg(arg, "--max-memory");
		return 1;
	default:
		return 0;
	}
}

void cmd_regex(regex_t *re, const char *pattern, const char *opt)
{
	char msg[256];
	int r = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (r) {
		regerror(r, re, msg, sizeof(msg));
		usage_die("bad %s regular expression '%s': %s", opt, pattern,
			  msg);
	}
}

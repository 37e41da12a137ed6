/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding limits: their defaults and the message for going over them. */
#include "decode/limits.h"
#include "base/leaky.h"

void prof_limits_default(struct prof_limits *lim)
{
	if (!lim->max_input)
		lim->max_input = PROF_DEFAULT_MAX_INPUT;
	if (!lim->max_inflated)
		lim->max_inflated = PROF_DEFAULT_MAX_INFLATED;
	if (!lim->max_memory)
		lim->max_memory = PROF_DEFAULT_MAX_MEMORY;
}

void profile_report_too_big(const char *name, const struct prof_limits *lim)
{
	/*
	 * A decoder under profile_decode() holds only what the input and
	 * inflated bytes left of --max-memory; the user set the whole.
	 */
	error("%s: decoded profile exceeds the memory limit of %zu bytes "
	      "(see --max-memory)", name,
	      lim->shown_memory ? lim->shown_memory : lim->max_memory);
}

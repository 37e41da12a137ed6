/* SPDX-License-Identifier: Apache-2.0 */
/* Usual causes of failed fetches, for the first run's messages. */
#include "analyze/fetchhint.h"

#include <stddef.h>
#include <string.h>

struct hint {
	const char *says;	/* a part of the error */
	const char *hint;
};

/* First match wins: the most specific errors first. */
static const struct hint hints[] = {
	{ "HTTP 404", "is net/http/pprof imported (import _ \"net/http/pprof\")"
	  ", and served on this address and path (/debug/pprof/)?" },
	{ "HTTP 401", "does this endpoint want credentials?" },
	{ "HTTP 403", "does this endpoint want credentials?" },
	{ "Couldn't connect to server", "is the service running, and "
	  "listening on this address?" },
	{ "connection refused", "is the service running, and listening on "
	  "this socket?" },
	{ "nothing listens on", "is the service running? Its process is found "
	  "by the port it listens on (or give pid=, pidfile=, process=)" },
	{ "Timeout was reached", "is the service overloaded, or --timeout "
	  "too short for its profiles?" },
	{ "timed out", "is the service overloaded, or --timeout too short "
	  "for its profiles?" },
	{ "Could not resolve host", "is the host name right? (leaky resolves "
	  "it as the system does)" },
#define NOT_PPROF "does the URL point at a Go service's /debug/pprof/ " \
	"(a proxy or another service may answer there)?"
	{ "an HTML page, not a", NOT_PPROF },
	{ "not a gzipped profile", NOT_PPROF },
	{ "not a heap?debug=1 dump", NOT_PPROF },
	{ "not a goroutine?debug=2 dump", NOT_PPROF },
	{ "Permission denied", "does leaky run as the service's user, or as "
	  "root? (/proc/PID of others' processes needs it)" },
	{ "permission denied", "does leaky run as the service's user, or as "
	  "root? (/proc/PID of others' processes needs it)" },
};

const char *fetch_hint(const char *error)
{
	size_t i;

	if (!error)
		return NULL;
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(error, hints[i].says))
			return hints[i].hint;
	return NULL;
}

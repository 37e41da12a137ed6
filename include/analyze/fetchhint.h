/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What usually causes a failed fetch, in a few words a first-time user
 * can act on: from the error a manifest row (or the collector) gives.
 */
#ifndef LEAKY_FETCHHINT_H
#define LEAKY_FETCHHINT_H

/*
 * The usual cause of a fetch failing with error, as a question ("is the
 * service running, and listening there?"), or NULL when the error says
 * enough by itself. A static string.
 */
const char *fetch_hint(const char *error);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * leaky collect --listen: the collector as a Prometheus target. An HTTP
 * server on its own thread serves GET /metrics from a snapshot of the
 * run, which the run's hooks (collect/collrun.h) update under a lock:
 * the collector's totals, and per target its last samples' heap in use,
 * goroutines and resident memory (decoded from the files the run kept,
 * on the server's thread when scraped), its fetch failures and its last
 * success.
 */
#ifndef LEAKY_EXPORTER_H
#define LEAKY_EXPORTER_H

#include <stddef.h>

struct collect_conf;
struct collrun_hooks;

struct exporter;

/* Room for the reasons of exporter_new(). */
#define EXPORTER_ERR 512

/*
 * Listens on addr ("HOST:PORT", "[V6]:PORT", ":PORT" for every address;
 * port 0 takes a free one) and serves conf's targets (conf must outlive
 * the exporter). Returns a new exporter to free with exporter_free(), or
 * NULL with "ADDR: reason" in err (a bad address, a port in use).
 */
struct exporter *exporter_new(const char *addr,
			      const struct collect_conf *conf,
			      char err[EXPORTER_ERR]);
/* The URL it serves, with the port it bound: "http://H:P/metrics". */
const char *exporter_url(const struct exporter *e);
/* The hooks that feed it, for collrun(). */
void exporter_hooks(struct exporter *e, struct collrun_hooks *h);
/* Stops the server (a scrape in progress ends first) and frees e. */
void exporter_free(struct exporter *e);

#endif

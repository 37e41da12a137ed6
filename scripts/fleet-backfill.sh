#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Backfills a Prometheus data directory with a synthetic fleet: hours of
# Go services' metrics (scripts/fleetgen) turned into TSDB blocks by
# promtool, so that a test can judge long windows without waiting.
#
#   sh scripts/fleet-backfill.sh DATA_DIR [fleetgen options]
#   e.g. sh scripts/fleet-backfill.sh "$TRASH/prom-data" -end "$END"
#
# DATA_DIR (made if missing) then serves as a Prometheus
# --storage.tsdb.path. Next to it, DATA_DIR.om is the OpenMetrics input
# and DATA_DIR.list its instances, one "JOB INSTANCE SAMPLES" a line.
# fleetgen's options: -window (6h), -step (60s), -end (unix second of the
# last scrape; now, rounded down to the step, by default), -seed, -copies;
# tests/fixtures/fleet/expected.txt gives each instance's verdict.
#
# What Prometheus 2.42 does with such blocks, and so the choices here:
# - The window ends at or before now (fleetgen refuses a later -end): on
#   start, Prometheus accepts no sample older than the newest block's end,
#   so a block ending in the future makes it drop its own scrapes ("out
#   of bounds") until then, though the block itself is read.
# - Time retention (15d unless --storage.tsdb.retention.time) counts back
#   from the newest block's end: blocks further back are deleted at start.
#   Keep -window under the retention.
# - The blocks are 2 h long, aligned as promtool aligns them; Prometheus
#   may compact them into longer ones, which changes no sample.
# - Between query_range steps, Prometheus repeats a series' last sample
#   for --query.lookback-delta (5m): a gap of an hour reads as 55 minutes
#   without points at a 60 s step. A range selector (metric[6h]) returns
#   the samples as stored.
# The generator is built into build/fleetgen when missing or older than
# its sources; FLEETGEN names another binary.
set -u

me=fleet-backfill
if [ $# -lt 1 ] || [ -z "$1" ] || [ "${1#-}" != "$1" ]; then
	echo "usage: $me DATA_DIR [fleetgen options]" >&2
	exit 2
fi
dir=${1%/}
shift
root=$(cd "$(dirname "$0")/.." && pwd)

gen=${FLEETGEN:-$root/build/fleetgen}
if [ -z "${FLEETGEN:-}" ] && { [ ! -x "$gen" ] ||
	[ -n "$(find "$root/scripts/fleetgen" -newer "$gen" -name '*.go')" ]; }
then
	mkdir -p "$root/build" &&
	(cd "$root/scripts/fleetgen" && GOCACHE="$root/build/go-cache" \
		GOFLAGS=-trimpath GOTOOLCHAIN=local GO111MODULE=on \
		go build -trimpath -o "$gen.tmp.$$" .) &&
	mv -f "$gen.tmp.$$" "$gen" || {
		rm -f "$gen.tmp.$$"
		echo "$me: cannot build $gen" >&2
		exit 1
	}
fi

mkdir -p "$dir" || exit 1
"$gen" "$@" -o "$dir.om" || exit 1
"$gen" "$@" -list -o "$dir.list" || exit 1
# promtool says what went wrong on one unterminated line, after any usage.
if ! promtool tsdb create-blocks-from openmetrics -q "$dir.om" "$dir" \
	>"$dir.promtool" 2>&1; then
	echo "$me: promtool on $dir.om: $(tail -n 1 "$dir.promtool")" >&2
	exit 1
fi
rm -f "$dir.promtool"

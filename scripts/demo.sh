#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make demo: the whole leak lab on loopback, in about 40 seconds, as one
# `leaky soak` line: it starts the lab target in its leak scenario, drives
# POSTs at it, samples it, stops it, and writes the CSVs (heap, memstats,
# goroutines, rss, fds, load), the chart and the report under demo/, the
# samples under demo/data/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
case $leaky in /*) ;; *) leaky=$root/$leaky ;; esac
lab=$root/build/lab
out=$root/demo
# 30 rounds: a young process's RSS grows in steps, and fewer rounds gave
# it a different verdict from one run to the next (README).
rounds=${DEMO_ROUNDS:-30}

rm -rf "$out"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
echo '{"event":"click","user":42}' >"$run/event.json"

echo "demo: leaky soak of the lab target (leak scenario), $rounds rounds at 1 s"
# The lab picks a free port and writes it to a file (--pprof-file); its
# /ingest keeps a buffer per POST that it never frees. It stops by itself
# after -duration even should leaky die.
status=0
"$leaky" soak -q --name lab -o "$out" --data "$out/data" --plot "$out/lab.png" \
	--duration "${rounds}s" -i 1s --gc --rate 20 -c 4 \
	--load "POST /ingest @$run/event.json" \
	--load-header 'Content-Type: application/json' \
	--pprof-file "$run/addr" -- \
	"$lab" -scenario leak -rate 16384 -addr 127.0.0.1:0 \
	-addr-file "$run/addr" -duration 120s || status=$?

"$leaky" heaper --top 5 --wide inuse_space -o "$out/heap-top5.csv" \
	"$out"/data/profiles/*.heap.pb.gz

echo
echo "demo: files in $out:"
(cd "$out" && ls -1 -d data *.csv *.png *.txt *.log | sed 's/^/  /')
case $status in
3)	echo
	echo "demo: the report found the leak (exit status 3, as CI would see)" ;;
*)	echo "demo: the report did not find the leak (exit status $status)" >&2
	exit 1 ;;
esac

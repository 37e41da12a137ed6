#!/bin/sh
# make demo: the whole leak lab on loopback, in about 40 seconds. Starts
# the lab target in its leak scenario, drives load at it with leaky load,
# samples it with leaky collect, then turns the samples into CSV (heaper,
# goroutines, pmap), a verdict (report) and a chart (plot) under demo/.
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
mkdir -p "$out"
run=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The lab stops by itself after -duration even if this script dies.
(cd "$run" && exec "$lab" -scenario leak -rate 16384 -addr 127.0.0.1:0 \
	-addr-file "$run/addr" -duration 120s) &
pids=$!
i=0
while [ ! -s "$run/addr" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "demo: the lab target did not start" >&2; exit 1; }
	sleep 0.1
done
addr=$(head -n 1 "$run/addr")
url=http://$addr
echo "demo: lab target (leak scenario) on $url"

# Load: 20 POSTs a second to /ingest, whose buffer never shrinks.
"$leaky" load -z "$((rounds + 2))s" --rate 20 -c 4 --every 0 -m POST \
	-T application/json -d '{"event":"click","user":42}' \
	"$url/ingest" >"$out/load.txt" 2>&1 &
load=$!
pids="$pids $load"

echo "demo: leaky collect, $rounds rounds at 1 s (heap, goroutines, memory)"
"$leaky" collect -q -t "lab=$url" -i 1s -n "$rounds" --gc -o "$out/data"

"$leaky" heaper -o "$out/heap.csv" "$out"/data/profiles/*.heap.pb.gz
"$leaky" heaper --top 5 --wide inuse_space -o "$out/heap-top5.csv" \
	"$out"/data/profiles/*.heap.pb.gz
"$leaky" heaper --memstats -o "$out/memstats.csv" \
	"$out"/data/profiles/*.heap.txt
"$leaky" goroutines -o "$out/goroutines.csv" \
	"$out"/data/goroutines/*.goroutine.txt
"$leaky" pmap -o "$out/rss.csv" "$out"/data/pmaps/*.smaps_rollup
"$leaky" plot -o "$out/lab.png" "$out/data"
wait "$load" || :
status=0
"$leaky" report "$out/data" >"$out/report.txt" || status=$?

echo
echo "demo: files in $out:"
(cd "$out" && ls -1 -d data *.csv *.png *.txt | sed 's/^/  /')
echo
cat "$out/report.txt"
case $status in
3)	echo
	echo "demo: the report found the leak (exit status 3, as CI would see)" ;;
*)	echo "demo: the report did not find the leak (exit status $status)" >&2
	exit 1 ;;
esac

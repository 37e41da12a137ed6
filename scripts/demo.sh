#!/bin/sh
# make demo: a small leak lab on loopback. Starts the lab target in its leak
# scenario, samples its heap profile once a second, then turns the samples
# into CSV with leaky heaper and says which function grows.
# (Sampling is a curl loop until `leaky collect` exists.)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
leaky=${1:-$root/build/leaky}
lab=$root/build/lab
out=$root/demo
rounds=${DEMO_ROUNDS:-8}

command -v curl >/dev/null || { echo "demo: curl is missing" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/profiles"
run=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || :
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The lab stops by itself after -duration even if this script dies.
(cd "$run" && exec "$lab" -scenario leak -rate 16384 -addr 127.0.0.1:0 \
	-addr-file "$run/addr" -duration 120s) &
pid=$!
i=0
while [ ! -s "$run/addr" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "demo: lab target did not start" >&2; exit 1; }
	sleep 0.1
done
addr=$(head -n 1 "$run/addr")
echo "demo: lab target (leak scenario) on http://$addr, pid $pid"

n=0
while [ $n -lt "$rounds" ]; do
	now=$(date +%s)
	# heap?gc=1 makes the profile current; debug=1 right after for MemStats.
	curl -sf -o "$out/profiles/lab_$now.heap.pb.gz" \
		"http://$addr/debug/pprof/heap?gc=1"
	curl -sf -o "$out/profiles/lab_$now.heap.txt" \
		"http://$addr/debug/pprof/heap?debug=1"
	n=$((n + 1))
	echo "demo: sample $n/$rounds"
	sleep 1
done

"$leaky" heaper -o "$out/heap.csv" "$out"/profiles/*.pb.gz
"$leaky" heaper --top 5 --wide inuse_space -o "$out/heap-top5.csv" \
	"$out"/profiles/*.pb.gz
"$leaky" heaper --memstats -o "$out/memstats.csv" "$out"/profiles/*.txt

echo
echo "demo: files in $out:"
ls -l "$out" | sed 1d
echo
echo "demo: in-use bytes of the top 5 functions, first and last sample:"
awk -F, 'NR == 1 { for (i = 3; i <= NF; i++) name[i] = $i; next }
	NR == 2 { for (i = 3; i <= NF; i++) first[i] = $i }
	{ for (i = 3; i <= NF; i++) last[i] = $i }
	END { for (i = 3; i <= NF; i++)
		printf "  %-40s %12d -> %12d\n", name[i], first[i], last[i] }' \
	"$out/heap-top5.csv"

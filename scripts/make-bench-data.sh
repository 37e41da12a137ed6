#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Makes benchmark input from the lab target (never committed): a series of N
# real heap profiles of a leaking service and one large heap profile.
#
# usage: scripts/make-bench-data.sh [DIR [N]]   (default build/bench-data 1000)
#
#   DIR/series/leak_UNIX.heap.pb.gz   N profiles, leak scenario, -rate 4096,
#                                     one forced GC each, about 40 a second;
#                                     UNIX is synthetic (start + i), the
#                                     profiles' time_nanos are real
#   DIR/large.heap.pb.gz              manystacks scenario, -rate 1,
#                                     >= 30000 distinct stacks (checked)
#
# Each part is skipped when already complete. Talks to 127.0.0.1 only.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build/bench-data}
n=${2:-1000}

die() {
	echo "make-bench-data: $*" >&2
	exit 1
}

case $n in
'' | *[!0-9]*) die "N must be a positive number, not '$n'" ;;
esac
[ "$n" -gt 0 ] || die "N must be positive"

series_done() {
	[ -d "$dir/series" ] &&
		[ "$(find "$dir/series" -name 'leak_*.heap.pb.gz' | wc -l)" -ge "$n" ]
}
if series_done && [ -s "$dir/large.heap.pb.gz" ]; then
	echo "make-bench-data: $dir is complete" >&2
	exit 0
fi

command -v go >/dev/null || die "go not found (sh scripts/install-deps.sh)"
command -v curl >/dev/null || die "curl not found"

# HOME may be unset in CI, so the Go cache lives in build/
# (scripts/lab-build.sh says how the lab is built).
: "${GOCACHE:=$root/build/go-cache}"
export GOCACHE CGO_ENABLED=0
mkdir -p "$dir"
work=$(mktemp -d "$dir/.work.XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

sh "$root/scripts/lab-build.sh" "$work/lab" "$work/pbcount" ||
	die "cannot build the lab target"

# start ARGS...: runs the lab; sets pid and addr.
start() {
	rm -f "$work/addr"
	"$work/lab" -addr-file "$work/addr" -duration 10m "$@" &
	pid=$!
	i=0
	while [ ! -s "$work/addr" ]; do
		kill -0 "$pid" 2>/dev/null || die "lab exited early"
		i=$((i + 1))
		[ $i -lt 600 ] || die "lab did not start"
		sleep 0.05
	done
	addr=$(head -n 1 "$work/addr")
}

stop() {
	kill "$pid" 2>/dev/null || :
	wait "$pid" 2>/dev/null || :
	pid=
}

# samples F: number of samples in a proto.
samples() {
	"$work/pbcount" "$1" | awk '{ print $2 }'
}

if ! series_done; then
	echo "make-bench-data: fetching $n heap profiles" >&2
	start -scenario leak -rate 4096 -tick 20ms
	mkdir "$work/series"
	# One curl, one connection, paced so that the leak grows between
	# profiles; the URL glob numbers the files. curl < 7.84 has no --rate.
	if curl --help all 2>/dev/null | grep -q -- '--rate'; then
		curl -sS --fail --max-time 600 --rate 40/s \
			"http://$addr/debug/pprof/heap?gc=1&seq=[1-$n]" \
			-o "$work/series/#1.pb.gz" || die "fetching the series failed"
	else
		i=1
		while [ $i -le "$n" ]; do
			curl -sS --fail --max-time 60 -o "$work/series/$i.pb.gz" \
				"http://$addr/debug/pprof/heap?gc=1" ||
				die "fetching the series failed"
			sleep 0.02
			i=$((i + 1))
		done
	fi
	stop
	base=$(($(date +%s) - n))
	i=1
	while [ $i -le "$n" ]; do
		mv "$work/series/$i.pb.gz" \
			"$work/series/leak_$((base + i)).heap.pb.gz"
		i=$((i + 1))
	done
	rm -rf "$dir/series"
	mv "$work/series" "$dir/series"
fi

if [ ! -s "$dir/large.heap.pb.gz" ]; then
	echo "make-bench-data: making the large profile" >&2
	start -scenario manystacks -rate 1 -stacks 40000
	curl -sS --fail --max-time 120 -o "$work/large.heap.pb.gz" \
		"http://$addr/debug/pprof/heap?gc=1" || die "fetching failed"
	stop
	k=$(samples "$work/large.heap.pb.gz")
	[ "$k" -ge 30000 ] || die "large profile has only $k samples"
	mv "$work/large.heap.pb.gz" "$dir/large.heap.pb.gz"
	echo "make-bench-data: large.heap.pb.gz: $k samples" >&2
fi
echo "make-bench-data: $dir is complete" >&2

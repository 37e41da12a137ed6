#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Which Debian JSON library parses a large Prometheus query_range answer
# fastest (issue 11): jansson (what leaky uses), json-c and cJSON, each
# walking every point as promjson does. Makes a ~100 MB answer (1,000
# series of 3,600 points, Prometheus's layout), then prints per library
# the parse-and-walk time and the peak RSS (the file's own bytes
# included). Libraries whose -dev package is missing are skipped.
#
# usage: sh scripts/bench-json.sh [LEAKY] [SERIES [POINTS]]
# (make bench passes the leaky binary first; it is not needed here)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case ${1:-} in
*[!0-9]*) shift ;;
esac
series=${1:-1000}
points=${2:-3600}
work=$(mktemp -d "${TMPDIR:-/tmp}/leaky-bench-json.XXXXXX")
trap 'rm -rf "$work"' EXIT

awk -v S="$series" -v P="$points" 'BEGIN {
	printf "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	for (s = 0; s < S; s++) {
		if (s) printf ","
		printf "{\"metric\":{\"instance\":\"10.0.%d.%d:8080\",\"job\":\"api\"},\"values\":[", s / 250, s % 250
		v = 50000000 + s * 1000
		for (p = 0; p < P; p++) {
			if (p) printf ","
			v += (p * 7919 + s) % 4096
			printf "[%d.%03d,\"%d\"]", 1700000000 + p * 15, (p * 37) % 1000, v
		}
		printf "]}"
	}
	printf "]}}\n"
}' >"$work/answer.json"
size=$(wc -c <"$work/answer.json")
echo "answer: $series series x $points points, $((size / 1048576)) MiB"

run() {
	name=$1
	shift
	if ! cc -O2 -o "$work/parse-$name" "$here/bench-json/parse.c" "$@" \
		2>/dev/null; then
		echo "$name: not installed (skipped)"
		return 0
	fi
	# best of three: the machine is shared
	best=
	for i in 1 2 3; do
		r=$("$work/parse-$name" "$work/answer.json")
		t=$(echo "$r" | cut -d' ' -f2)
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
			rss=$(echo "$r" | cut -d' ' -f3)
			n=$(echo "$r" | cut -d' ' -f1)
		fi
	done
	printf '%-8s %s points in %s s, peak RSS %s MiB\n' "$name" "$n" "$best" "$rss"
}
run jansson -DUSE_JANSSON -ljansson
run json-c -DUSE_JSONC -ljson-c
run cJSON -DUSE_CJSON -lcjson

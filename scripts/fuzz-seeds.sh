#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the fuzz targets' seed corpora in DIR/<target>/ from the test
# fixtures (real profiles, dumps, pmaps and the crafted bad inputs) and the
# example configurations. Usage: fuzz-seeds.sh DIR. Safe to run again.
set -eu
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
fx=$root/tests/fixtures

seed() {
	# seed TARGET FILE...: copies the files in under unique names
	t=$1
	shift
	mkdir -p "$out/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$(printf '%s' "$f" | sed "s|^$root/||; s|/|_|g")
		cp "$f" "$out/$t/$n"
	done
}

seed pprof "$fx"/profiles/*.pb.gz "$fx"/goroutines/*.pb.gz \
	"$fx"/bad/* "$fx"/profiles/*.heap.txt "$fx"/crafted/*.txt
# Two real goroutine profiles, raw (not gzipped), reach the proto path
# without the gunzip.
for f in "$fx"/goroutines/zoo_*.goroutine.pb.gz; do
	mkdir -p "$out/pprof"
	gzip -dc "$f" >"$out/pprof/raw-$(basename "$f" .gz)"
done
seed heaptext "$fx"/profiles/*.heap.txt "$fx"/bad/badline.heap.txt
seed gortext1 "$fx"/goroutines/*.goroutine1.txt "$fx"/crafted/*.goroutine1.txt \
	"$fx"/bad/goroutine1.txt
seed gortext2 "$fx"/goroutines/*.goroutine.txt "$fx"/crafted/*.goroutine.txt
seed procmem "$fx"/pmaps/* "$fx"/pmap-bad/* "$fx"/pmap-golden/sleep_*
seed collconf "$root"/configs/*.conf "$root"/configs/examples/*.conf
seed promjson "$fx"/promjson/*.json
seed fds "$fx"/fds/*.fds
seed memlimit "$fx"/limits/*.limits
# filesd_decode: the first byte picks the syntax ('j' JSON, 'y' YAML).
mkdir -p "$out/filesd"
for f in "$fx"/filesd/*.json "$fx"/filesd/*.yml "$fx"/filesd/*.yaml; do
	[ -f "$f" ] || continue
	case $f in
	*.json) k=j ;;
	*) k=y ;;
	esac
	{ printf '%s' "$k"; cat "$f"; } >"$out/filesd/$(basename "$f")"
done
# promsel_parse: one selector a line, one seed each.
mkdir -p "$out/promsel"
i=0
while IFS= read -r line; do
	printf '%s' "$line" >"$out/promsel/selector$i"
	i=$((i + 1))
done <"$fx"/promsel/selectors.txt
# collect_validate: the first byte picks the kind (enum collect_kind order).
mkdir -p "$out/validate"
i=0
for f in "$fx"/profiles/leak_1795310064.heap.pb.gz \
	"$fx"/profiles/leak_1795310064.heap.txt \
	"$fx"/profiles/leak_1795310071.allocs.pb.gz \
	"$fx"/goroutines/zoo_1795310082.goroutine.pb.gz \
	"$fx"/goroutines/zoo_1795310082.goroutine.txt \
	"" "" "" \
	"$fx"/pmaps/zoo_1795310083.pmap \
	"$fx"/pmaps/zoo_1795310083.smaps_rollup \
	"$fx"/pmaps/zoo_1795310083.status \
	"$fx"/fds/lab_1796494884.fds; do
	if [ -n "$f" ]; then
		{ printf "\\$(printf '%03o' $i)"; cat "$f"; } \
			>"$out/validate/kind$i"
	fi
	i=$((i + 1))
done
# Hostile names for the CSV writer: NUL separates fields.
mkdir -p "$out/csvout"
printf 'main.(*T).f\000a,b\000"q"\000 lead\000trail \000\ttab\000cr\rlf\n' \
	>"$out/csvout/hostile"
printf '\000\000,\000""\000\r\n\000 \000' >"$out/csvout/empties"
printf 'größe\000\377\376\000x"y,z\n' >"$out/csvout/bytes"

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates tests/fixtures/bad/: crafted inputs that each break one rule,
# and real text dumps of the lab (tests/fixtures/) cut where Go never ends
# one (see tests/fixtures/bad/README.md).
set -eu
cd "$(dirname "$0")/.."
export GOCACHE="${GOCACHE:-$PWD/build/go-cache}" GOTOOLCHAIN=local
mkdir -p build
(cd scripts/badgen && go build -trimpath -o ../../build/badgen .)
find tests/fixtures/bad -type f ! -name README.md -delete 2>/dev/null || :
build/badgen tests/fixtures/bad

B=tests/fixtures/bad
HEAP=tests/fixtures/profiles/leak_1795310064.heap.txt
G2=tests/fixtures/goroutines/goroutine-leak_1795310058.goroutine.txt
G1=tests/fixtures/goroutines/goroutine-leak_1795310058.goroutine1.txt

# cut_at FILE LINE BYTES: FILE's first LINE-1 lines, then BYTES bytes of
# line LINE (no newline after them).
cut_at() {
	head -n "$(($2 - 1))" "$1"
	sed -n "$2p" "$1" | head -c "$3"
}

# heap?debug=1 cut inside its third line, a frame (no MemStats trailer).
cut_at "$HEAP" 3 20 >$B/trunc-frame.heap.txt
# Just the header line.
head -n 1 "$HEAP" >$B/trunc-firstline.heap.txt
# Cut inside the trailer, at a line boundary before DebugGC.
sed '/^# NumGC = /,$d' "$HEAP" >$B/trunc-memstats.heap.txt
# goroutine?debug=2 cut inside the second goroutine's header.
n=$(grep -n '^goroutine ' "$G2" | sed -n '2s/:.*//p')
cut_at "$G2" "$n" 17 >$B/trunc-header.goroutine.txt
# Cut between the second goroutine's first function and its file line.
head -n "$((n + 1))" "$G2" >$B/trunc-midstack.goroutine.txt
# Just the first goroutine's header line.
head -n 1 "$G2" >$B/trunc-firstline.goroutine.txt
# goroutine?debug=1: the first record alone (the header's total is more).
sed '/^$/q' "$G1" >$B/trunc-record.goroutine1.txt

ls tests/fixtures/bad

#!/bin/sh
# Regenerates tests/fixtures/bad/: crafted inputs that each break one rule.
set -eu
cd "$(dirname "$0")/.."
export GOCACHE="${GOCACHE:-$PWD/build/go-cache}" GOTOOLCHAIN=local
mkdir -p build
(cd scripts/badgen && go build -trimpath -o ../../build/badgen .)
find tests/fixtures/bad -type f ! -name README.md -delete 2>/dev/null || :
build/badgen tests/fixtures/bad
ls tests/fixtures/bad

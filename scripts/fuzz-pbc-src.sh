#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetches the Debian source of the installed protobuf-c (apt-get source,
# with a private deb-src list, so /etc/apt is untouched) and unpacks it in
# DIR, so that the fuzz build instruments the protobuf-c runtime too.
# Usage: fuzz-pbc-src.sh DIR. Leaves DIR/protobuf-c/protobuf-c.c or fails.
set -eu
dir=$1
[ -f "$dir/protobuf-c/protobuf-c.c" ] && exit 0
ver=$(dpkg-query -W -f='${source:Version}' libprotobuf-c-dev)
. /etc/os-release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial"
echo "deb-src http://deb.debian.org/debian $VERSION_CODENAME main" \
	>"$tmp/src.list"
set -- -o Dir::Etc::sourcelist="$tmp/src.list" \
	-o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists="$tmp/lists"
apt-get "$@" update -qq
(cd "$tmp" && apt-get "$@" source --download-only "protobuf-c=$ver") \
	>/dev/null 2>&1
mkdir -p "$dir"
tar -xzf "$tmp"/protobuf-c_*.orig.tar.gz -C "$dir" --strip-components=1
test -f "$dir/protobuf-c/protobuf-c.c"

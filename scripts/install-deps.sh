#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages leaky needs to build, test and run its lab.
# Called by the Makefile when a dependency is missing; safe to run again.
set -eu

pkgs="build-essential pkg-config zlib1g-dev libprotobuf-c-dev
protobuf-c-compiler libcsv-dev libcmocka-dev libcurl4-openssl-dev
golang-go golang-github-google-pprof-dev procps clang curl time
libconfig-dev hey gnuplot-nox afl++
libjansson-dev libmicrohttpd-dev prometheus
golang-github-prometheus-client-golang-dev jq libyaml-dev mandoc
debhelper lintian gnuplot-data chromium"

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: not root; install these Debian packages:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || apt-get update
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

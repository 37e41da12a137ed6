#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the lab target (scripts/lab) and its pbcount helper, the one way
# the Makefile, make-fixtures.sh and make-bench-data.sh all use.
#
# usage: sh scripts/lab-build.sh LAB_OUT [PBCOUNT_OUT]
#
# GOPATH mode against Debian's Go sources (/usr/share/gocode holds
# client_golang and its dependencies; nothing is downloaded). The lab is
# linked into a scratch GOPATH as package "leaky/lab", so that with
# -trimpath its source paths read leaky/lab/*.go wherever the tree lives,
# as in the committed fixtures. GOCACHE is the caller's (the Makefile and
# the fixture scripts set it); CGO_ENABLED=0 as the fixtures were made.
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] ||
	{ echo "usage: lab-build.sh LAB_OUT [PBCOUNT_OUT]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
case $1 in /*) lab_out=$1 ;; *) lab_out=$PWD/$1 ;; esac
pb_out=
if [ $# -eq 2 ]; then
	case $2 in /*) pb_out=$2 ;; *) pb_out=$PWD/$2 ;; esac
fi
: "${GOCACHE:=$root/build/go-cache}"
gopath=$root/build/lab-gopath
mkdir -p "$gopath/src/leaky"
ln -sfn "$root/scripts/lab" "$gopath/src/leaky/lab"
export GOCACHE CGO_ENABLED=0 GO111MODULE=off \
	GOPATH="$gopath:/usr/share/gocode" GOFLAGS= GOTOOLCHAIN=local
# goindex=0: Go 1.19's index in GOCACHE can miss a package directory
# added after it was indexed.
export GODEBUG=goindex=0
cd "$gopath/src/leaky/lab"
PWD=$gopath/src/leaky/lab go build -trimpath -o "$lab_out" leaky/lab
if [ -n "$pb_out" ]; then
	go build -trimpath -o "$pb_out" leaky/lab/pbcount
fi

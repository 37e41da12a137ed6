#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The tree's layering rules (design.md, "Files"), held by grep: make test
# runs this first. Prints each broken rule with the offending lines and
# exits 1; prints one line and exits 0 when all hold.
#
# Why by grep: the rules are about include lines and a few calls, which a
# grep reads exactly; a build-time tool would be one more thing to install.
set -u
cd "${1:-.}" || exit 2
# rule() runs at the end of pipelines, in subshells: it marks a file.
broken=$(mktemp)
trap 'rm -f "$broken"' EXIT

# $1: what the rule says; stdin: the lines that break it (none: it holds)
rule() {
	out=$(cat)
	if [ -n "$out" ]; then
		echo "layering: $1:"
		printf '%s\n' "$out" | sed 's/^/  /'
		echo x >>"$broken"
	fi
}

# Our own includes ("stage/module.h") of the files in folders $1.
includes() {
	for d in $1; do
		grep -Hn '^#include "' src/"$d"/*.c include/"$d"/*.h 2>/dev/null
	done
}

# The model and the decoders sit below every consumer: bytes become a
# profile without knowing who reads it.
includes "decode model" |
	grep -E '"(analyze|report|collect|load|out|soak|cmd)/' |
	rule "decode/ and model/ include nothing from the stages above them"

# The model knows no wire format (the decoders' front door is decode/).
includes "model" | grep '"decode/' |
	rule "model/ includes nothing from decode/"

# base/ is the floor: everything may use it, it uses nothing.
includes "base" | grep -v '"base/' |
	rule "base/ includes only base/"

# Fleets (Prometheus: its API, discovery, the exporter) sit on top of the
# engine: only the commands reach into fleet/. The collector offers hooks
# that the exporter fills, rather than including it.
includes "base decode model analyze report collect load out soak" |
	grep '"fleet/' | rule "only cmd/ includes fleet/"

# leaky soak's engine (a service's life, the load's threads) sits above
# the collector, the load generator and the report, below the commands:
# nothing under it reaches up into it.
includes "base decode model analyze report collect load out fleet" |
	grep '"soak/' | rule "only soak/ and cmd/ include soak/"

# The engine never reaches up into the command layer.
includes "base decode model analyze report collect load out fleet soak" |
	grep '"cmd/' | rule "no engine module includes cmd/"

# Analyses and reports read the model, not the network, the wire or the
# configuration files.
for d in analyze report; do
	grep -Hn -E '^#include [<"](curl/|protobuf-c/|libconfig\.h|zlib\.h|proto/)' \
		src/$d/*.c include/$d/*.h 2>/dev/null
done | rule "analyze/ and report/ include no curl, protobuf-c, libconfig or zlib header"

# Each third-party library has one owner (curl two: the scraper and the
# load generator, which share no code), and no header shows its types.
third_party() {
	# $1: header pattern, $2: the number of files allowed
	files=$(grep -rlE "^#include [<\"]($1)" src include | sort)
	n=$(printf '%s' "$files" | grep -c .)
	if [ "$n" -gt "$2" ]; then
		printf '%s\n' "$files" |
			rule "$1 is included by $n files (at most $2)"
	fi
	printf '%s\n' "$files" | grep '^include/' |
		rule "$1 is included by a header"
}
third_party 'zlib\.h' 1
third_party 'curl/' 2
third_party 'protobuf-c/|proto/profile\.pb-c\.h' 1
third_party 'libconfig\.h' 1
third_party 'csv\.h' 1
third_party 'jansson\.h' 1
third_party 'microhttpd\.h' 1
third_party 'yaml\.h' 1

# The archive stores object basenames: two engine files of one name would
# silently replace one another in libleaky.a.
ls src/base src/decode src/model src/analyze src/report src/collect \
	src/load src/out src/fleet src/soak 2>/dev/null | grep '\.c$' | sort | uniq -d |
	rule "engine .c basenames are unique"

# Library code never exits: only the commands and main decide that.
grep -rnE '(^|[^_a-z])(die|usage_die|exit)\(' src --include='*.c' |
	grep -v -E '^src/(cmd/|leaky\.c|base/util\.c)' |
	grep -v -E ':[0-9]+:[[:space:]]*(/?\*|//)' |
	rule "only src/cmd/ and src/leaky.c call die(), usage_die() or exit()"

# Each .c includes its own header first, which proves the header stands
# alone (style.md, rule 4). Files without a header of their own name: the
# commands (cmd/cmd.h), the plot files (report/plot.h), util.c (leaky.h).
for f in src/*/*.c; do
	d=$(basename "$(dirname "$f")")
	m=$(basename "$f" .c)
	own=$d/$m.h
	if [ ! -e "include/$own" ]; then
		case $d/$m in
		base/util) own=base/leaky.h ;;
		cmd/*) own=cmd/cmd.h ;;
		report/plot*) own=report/plot.h ;;
		esac
	fi
	first=$(grep -m1 '^#include "' "$f")
	[ "$first" = "#include \"$own\"" ] || echo "$f: $first"
done | rule "each .c includes its own header first"

# A unit test is named after the module it tests (tests/README.md).
for t in tests/unit/test_*.c; do
	m=$(basename "$t" .c)
	m=${m#test_}
	ls src/*/"$m".c >/dev/null 2>&1 || echo "$t"
done | rule "each unit test is named after a module (src/<stage>/<module>.c)"

if [ -s "$broken" ]; then
	exit 1
fi
echo "layering: ok"

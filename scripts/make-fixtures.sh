#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates tests/fixtures/{profiles,goroutines,pmaps} and their README from
# live runs of the lab target (scripts/lab), replacing its own earlier output.
#
# usage: scripts/make-fixtures.sh [OUTDIR]     (default: tests/fixtures)
#
# Runs as root: the lab runs as /opt/leaky-lab/lab, so the executable path
# recorded in profiles (Mapping.filename) and pmaps names no machine. Needs
# go, curl and pmap; talks to 127.0.0.1 only. Takes about 75 seconds, because
# one goroutine dump is taken after its goroutines have waited a minute;
# FIXTURES_QUICK=1 skips that dump (about 30 seconds).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/fixtures}
run=/opt/leaky-lab
quick=${FIXTURES_QUICK:-0}

die() {
	echo "make-fixtures: $*" >&2
	exit 1
}

command -v go >/dev/null || die "go not found (sh scripts/install-deps.sh)"
command -v curl >/dev/null || die "curl not found"
command -v pmap >/dev/null || die "pmap not found (Debian package procps)"

# ---- a neutral place to run from; one run at a time.
if [ -d "$run" ]; then
	owner=$(cat "$run/owner" 2>/dev/null || echo)
	if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
		die "'$run' is in use by process $owner"
	fi
	rm -rf "$run"
fi
mkdir "$run" 2>/dev/null || die "cannot create '$run' (run as root)"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || :
	done
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
echo $$ >"$run/owner"

# ---- build; HOME may be unset in CI, so the Go cache lives in build/
# (scripts/lab-build.sh says how the lab is built).
: "${GOCACHE:=$root/build/go-cache}"
export GOCACHE CGO_ENABLED=0
sh "$root/scripts/lab-build.sh" "$run/lab" "$run/pbcount" ||
	die "cannot build the lab target"

# Each fetch allocates about 1.5 MB (the gzip writer alone is most of it);
# with Go's 4 MB minimum heap goal that often set off a GC between the two
# halves of a heap pair. GOGC=400 gives the labs room.
GOGC=400
export GOGC

stage=$run/stage
mkdir -p "$stage/profiles" "$stage/goroutines" "$stage/pmaps"

# start TAG ARGS...: runs the lab from $run; sets lab_pid and lab_addr.
start() {
	tag=$1
	shift
	rm -f "$run/$tag.addr"
	(cd "$run" && exec "$run/lab" -addr-file "$tag.addr" "$@") &
	lab_pid=$!
	pids="$pids $lab_pid"
	i=0
	while [ ! -s "$run/$tag.addr" ]; do
		kill -0 "$lab_pid" 2>/dev/null || die "lab '$tag' exited early"
		i=$((i + 1))
		[ $i -lt 200 ] || die "lab '$tag' did not start"
		sleep 0.05
	done
	lab_addr=$(head -n 1 "$run/$tag.addr")
}

stop() {
	kill "$1" 2>/dev/null || :
	wait "$1" 2>/dev/null || :
}

# fetch ADDR PATH DEST [curl options]: GET (or POST) into DEST atomically.
fetch() {
	f_addr=$1 f_path=$2 f_dest=$3
	shift 3
	curl -sS --fail --max-time 60 "$@" -o "$f_dest.part" \
		"http://$f_addr$f_path" || die "fetch '$f_path' failed"
	mv "$f_dest.part" "$f_dest"
}

post() {
	curl -sS --fail --max-time 10 -X POST -o /dev/null "$@" ||
		die "POST $* failed"
}

# stamp NAME: sets unix to the current second, waiting if NAME already used
# it, so that NAME_UNIX is unique per scenario.
last_stamps=
stamp() {
	while :; do
		unix=$(date +%s)
		case " $last_stamps " in
		*" $1_$unix "*) sleep 0.2 ;;
		*) break ;;
		esac
	done
	last_stamps="$last_stamps $1_$unix"
}

numgc() {
	sed -n 's/^# NumGC = //p' "$1"
}

# heap ADDR NAME: one heap proto after a forced GC.
heap() {
	stamp "$2"
	fetch "$1" "/debug/pprof/heap?gc=1" "$stage/profiles/$2_$unix.heap.pb.gz"
}

# heap_pair ADDR NAME: forces a GC, then takes debug=0 and debug=1 back to
# back. Both report the last completed GC; NumGC before and after proves no
# GC completed in between, so they describe the same records.
heap_pair() {
	stamp "$2"
	post "http://$1/lab/pause"
	tries=0
	while :; do
		fetch "$1" "/debug/pprof/heap?gc=1&debug=1" "$run/gc.txt"
		fetch "$1" "/debug/pprof/heap" "$run/heap.pb.gz"
		fetch "$1" "/debug/pprof/heap?debug=1" "$run/heap.txt"
		[ "$(numgc "$run/gc.txt")" = "$(numgc "$run/heap.txt")" ] && break
		tries=$((tries + 1))
		[ $tries -lt 10 ] || die "heap pair for '$2': GC kept intervening (NumGC $(numgc "$run/gc.txt"), then $(numgc "$run/heap.txt"))"
	done
	post "http://$1/lab/resume"
	mv "$run/heap.pb.gz" "$stage/profiles/$2_$unix.heap.pb.gz"
	mv "$run/heap.txt" "$stage/profiles/$2_$unix.heap.txt"
}

allocs() {
	stamp "$2"
	fetch "$1" "/debug/pprof/allocs" "$stage/profiles/$2_$unix.allocs.pb.gz"
}

# goroutines ADDR NAME: debug=1, proto, debug=2 with the ticker paused;
# retried until debug=1 and debug=2 count the same goroutines.
goroutines() {
	stamp "$2"
	d=$stage/goroutines/$2_$unix
	post "http://$1/lab/pause"
	tries=0
	while :; do
		fetch "$1" "/debug/pprof/goroutine?debug=1" "$d.goroutine1.txt"
		fetch "$1" "/debug/pprof/goroutine" "$d.goroutine.pb.gz"
		fetch "$1" "/debug/pprof/goroutine?debug=2" "$d.goroutine.txt"
		t1=$(sed -n '1s/^goroutine profile: total //p' "$d.goroutine1.txt")
		t2=$(grep -c '^goroutine [0-9]* \[' "$d.goroutine.txt" || :)
		[ "$t1" = "$t2" ] && break
		tries=$((tries + 1))
		[ $tries -lt 5 ] || die "goroutine dumps for '$2' disagree"
	done
	post "http://$1/lab/resume"
}

# pmaps PID NAME: pmap -x, plain pmap, smaps_rollup and status.
pmaps() {
	stamp "$2"
	d=$stage/pmaps/$2_$unix
	pmap -x "$1" >"$d.pmap"
	pmap "$1" >"$d.pmap0"
	cat "/proc/$1/smaps_rollup" >"$d.smaps_rollup"
	cat "/proc/$1/status" >"$d.status"
}

# ---- goroutine-leak: three dumps a couple of seconds apart, then GCs so
# that the runtime notes since when the goroutines wait; the last dump comes
# after a minute, when their headers show ", 1 minutes".
start gl -scenario goroutine-leak -tick 1s -duration 150s
gl_pid=$lab_pid gl_addr=$lab_addr
gl_start=$(date +%s)
sleep 1.5
goroutines "$gl_addr" goroutine-leak
sleep 2
goroutines "$gl_addr" goroutine-leak
sleep 2
goroutines "$gl_addr" goroutine-leak
# Two GCs: a GC's stack scan stamps waiting goroutines with the start time
# of the previous GC (runtime/mgcmark.go), which is 0, i.e. none, in the
# first one.
for i in 1 2; do
	curl -sS --fail -o /dev/null "http://$gl_addr/debug/pprof/heap?gc=1"
done

# ---- leak: the cache grows every tick; /ingest keeps every body.
start leak -scenario leak -rate 16384 -duration 60s
leak_pid=$lab_pid leak_addr=$lab_addr
sleep 0.5
pmaps "$leak_pid" leak
body=$run/body
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "event-%09d\n", i }' >"$body"
for i in 1 2 3 4 5 6; do
	sleep 1
	case $i in
	2 | 4 | 5) post --data-binary "@$body" "http://$leak_addr/ingest" ;;
	esac
	heap_pair "$leak_addr" leak
	if [ $i = 3 ]; then
		pmaps "$leak_pid" leak
	fi
done
allocs "$leak_addr" leak
pmaps "$leak_pid" leak
stop "$leak_pid"

# ---- oscillate: healthy sawtooth (period 0.7 s, sampled every second).
start osc -scenario oscillate -rate 65536 -duration 60s
osc_pid=$lab_pid osc_addr=$lab_addr
for i in 1 2 3 4; do
	sleep 1
	heap "$osc_addr" oscillate
done
stop "$osc_pid"

# ---- warmup: fills a bounded cache for 2 s (20 ticks), then flat.
start warm -scenario warmup -rate 65536 -warmup 20 -duration 60s
warm_pid=$lab_pid warm_addr=$lab_addr
for i in 1 2 3 4 5; do
	sleep 1
	heap "$warm_addr" warmup
done
stop "$warm_pid"

# ---- zoo: a fine sampling rate; goroutine ancestry in debug=2.
GODEBUG=tracebackancestors=2
export GODEBUG
start zoo -scenario zoo -rate 512 -duration 60s
unset GODEBUG
zoo_pid=$lab_pid zoo_addr=$lab_addr
sleep 0.5
heap_pair "$zoo_addr" zoo
goroutines "$zoo_addr" zoo
pmaps "$zoo_pid" zoo
for i in 1 2; do
	sleep 1
	heap "$zoo_addr" zoo
done
stop "$zoo_pid"

# ---- goroutine-leak, a minute on.
if [ "$quick" != 1 ]; then
	wait_until=$((gl_start + 68))
	now=$(date +%s)
	if [ "$now" -lt "$wait_until" ]; then
		sleep $((wait_until - now))
	fi
	goroutines "$gl_addr" goroutine-leak
	grep -q ', 1 minutes\]' "$d.goroutine.txt" ||
		die "goroutine-leak: no ', 1 minutes' in the last debug=2 dump"
fi
pmaps "$gl_pid" goroutine-leak
stop "$gl_pid"

# ---- nothing may name this machine: no home, work or temp paths, no
# hostname. Text first, then the decompressed protos.
pat='/work|/root|/tmp/|/home|/var/tmp'
if grep -rIlE "$pat" "$stage"; then
	die "machine paths in the files above"
fi
host=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)
if [ -n "$host" ] && grep -rIlwF "$host" "$stage"; then
	die "hostname '$host' in the files above"
fi
for f in "$stage"/*/*.gz; do
	if gzip -dc "$f" | grep -aqE "$pat"; then
		die "machine paths in '$f'"
	fi
done

# ---- describe them.
# samples F: "N samples (Z all zero)" of a proto.
samples() {
	"$run/pbcount" "$1" | awk '{ print $2 " samples (" $3 " all zero)" }'
}

describe() {
	f=$1
	b=${f##*/}
	case $b in
	*.heap.pb.gz | *.allocs.pb.gz)
		echo "| \`$b\` | $(samples "$f") |" ;;
	*.heap.txt)
		r=$(grep -cE '^[0-9]+: [0-9]+ \[' "$f" || :)
		z=$(grep -cE '^0: 0 \[0: 0\]' "$f" || :)
		echo "| \`$b\` | $r records ($z all zero), NumGC $(numgc "$f"), pairs with \`${b%.txt}.pb.gz\` |" ;;
	*.goroutine.pb.gz)
		k=$("$run/pbcount" "$f" | awk '{ print $2 }')
		echo "| \`$b\` | $k samples |" ;;
	*.goroutine1.txt)
		r=$(grep -cE '^[0-9]+ @' "$f" || :)
		t=$(sed -n '1s/^goroutine profile: total //p' "$f")
		echo "| \`$b\` | $r records, $t goroutines |" ;;
	*.goroutine.txt)
		t=$(grep -c '^goroutine [0-9]* \[' "$f" || :)
		m=$(grep -c 'minutes\]:$' "$f" || :)
		echo "| \`$b\` | $t goroutines, $m waiting >= 1 minute |" ;;
	*.pmap)
		r=$(grep -c '^[0-9a-f]\{16\} ' "$f" || :)
		echo "| \`$b\` | pmap -x, $r mappings |" ;;
	*.pmap0)
		r=$(grep -c '^[0-9a-f]\{16\} ' "$f" || :)
		echo "| \`$b\` | pmap, $r mappings |" ;;
	*.smaps_rollup)
		echo "| \`$b\` | /proc/PID/smaps_rollup |" ;;
	*.status)
		echo "| \`$b\` | /proc/PID/status |" ;;
	esac
}

gover=$(go version | sed 's/^go version //')
pmapver=$(pmap -V | sed 's/^pmap from //')
{
	cat <<EOF
# Test fixtures

Real profiles, goroutine dumps and process maps of the lab target
(\`scripts/lab\`), all made by \`scripts/make-fixtures.sh\` (as root, from the
repository root; it replaces \`profiles/\`, \`goroutines/\`, \`pmaps/\` and this
file). Other directories here (\`bad/\`, \`pmap-golden/\`, ...) are not its
output and are left alone.

- Made on $(date -u +%Y-%m-%d) with $gover (\`go build -trimpath\`,
  \`CGO_ENABLED=0\`), $pmapver, fetched with curl from 127.0.0.1. The labs
  ran with \`GOGC=400\` (NextGC in the MemStats trailers shows it).
- The lab ran as \`/opt/leaky-lab/lab\` (the path in Mapping.filename and in
  pmap's command line); source paths read \`leaky/lab/*.go\`.
- Names follow the collector's \`NAME_UNIX.kind\`: NAME is the scenario,
  UNIX the epoch second of the capture.
- Values change with every run; the structure does not. Golden outputs
  made from these files must be remade when the files are.

## How each set was taken

- \`leak\` (\`-rate 16384\`, tick 100 ms): six snapshots about a second apart.
  Each \`.heap.pb.gz\` and the \`.heap.txt\` of the same NAME_UNIX are a
  **pair**: a GC was forced (\`heap?gc=1&debug=1\`, discarded), then
  \`heap\` (debug=0) and \`heap?debug=1\` were fetched back to back with the
  ticker paused; NumGC was equal before and after, so both describe the same
  GC cycle and their non-zero records agree (scaled in the proto, raw in the
  text; the text's header rate is 2 x MemProfileRate). Records whose counts
  are all zero (stacks first seen since that GC, such as the fetches' own
  allocations) may differ between the two; pprof's \`-raw\` and \`-top\`
  omit them. Three bodies of 65536 bytes were POSTed to
  \`/ingest\` along the way (\`main.(*ingestLog).append\`). One
  \`.allocs.pb.gz\` at the end. The \`.heap.txt\` series carries the
  MemStats trailer over time.
- \`oscillate\`, \`warmup\` (\`-rate 65536\`): heap protos a second apart,
  each after a forced GC (\`heap?gc=1\`). oscillate holds 0-4 batches of
  256 KiB (period 0.7 s); warmup fills a bounded cache for 2 s, then
  replaces entries (in-use flat, alloc growing).
- \`zoo\` (\`-rate 512\`, \`GODEBUG=tracebackancestors=2\`):
  one heap pair as above, then two heap protos; one goroutine set. Names to
  expect: \`main.(*keeper).feed\`, \`main.pen.build\`, \`main.Map[...]\`,
  \`main.(*Stack[...]).Push\`, \`main.Pair[...].Index\`, \`main.glob..func1\`,
  \`main.zooClosures.func1\`, \`main.withDefer.func1\`,
  \`main.recurse\`, \`main.ping\`/\`main.pong\`, \`main.größe\`,
  \`main.(*Ωmega).wachsen\`, inlined \`main.smallBuf\`; objects from 8 bytes
  to 1 MiB.
- Goroutine sets (\`goroutine-leak\`, \`zoo\`): \`goroutine?debug=1\`
  (\`.goroutine1.txt\`), \`goroutine\` (\`.goroutine.pb.gz\`),
  \`goroutine?debug=2\` (\`.goroutine.txt\`), back to back with the ticker
  paused; debug=1 and debug=2 count the same goroutines. goroutine-leak
  (tick 1 s) has pprof labels (\`route\`, \`tenant\`), waits in chan
  receive/send, select and semacquire; its last set was taken after more
  than a minute (\`, 1 minutes\` in debug=2 headers). zoo adds
  \`select (no cases)\`, \`sleep\`, \`IO wait\`, \`syscall\`,
  \`sync.Cond.Wait\`, \`locked to thread\`, a 150-deep recursion ending in
  \`...additional frames elided...\`, and \`[originating from goroutine N]:\`.
- \`pmaps/\`: \`pmap -x PID\` (\`.pmap\`), \`pmap PID\` (\`.pmap0\`),
  \`/proc/PID/smaps_rollup\`, \`/proc/PID/status\`; three over time for leak.

## Files

| file | contents |
|---|---|
EOF
	for f in "$stage"/profiles/* "$stage"/goroutines/* "$stage"/pmaps/*; do
		describe "$f"
	done
} >"$stage/README.md"

# ---- replace the previous set.
mkdir -p "$out"
for d in profiles goroutines pmaps; do
	rm -rf "${out:?}/$d"
	cp -R "$stage/$d" "$out/$d"
done
cp "$stage/README.md" "$out/README.md"
echo "make-fixtures: wrote $(find "$out/profiles" "$out/goroutines" \
	"$out/pmaps" -type f | wc -l) files to $out" >&2

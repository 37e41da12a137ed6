#!/bin/sh
# Regenerates tests/fixtures/report/: labeled series of snapshots of the lab
# target (scripts/lab), each laid out like a `leaky collect` output
# directory, for `leaky report`. Replaces its own earlier output and nothing
# else.
#
# usage: scripts/make-report-fixtures.sh [OUTDIR]
#        (default: tests/fixtures/report)
#
# REPORT_FIXTURES_RATE=N runs the labs with -rate N instead of 16384.
#
# Runs as root: the labs run as /opt/leaky-report/lab, from that directory,
# so that no path of this machine ends up in a fixture. Needs go and curl;
# talks to 127.0.0.1 only. Takes about two minutes: 8 series of 14
# snapshots one second apart, one series at a time.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/fixtures/report}
run=/opt/leaky-report
snaps=14      # snapshots per series
restart_at=8  # restart series: the first snapshot of the new process
# -rate (MemProfileRate) of every lab. It sets the size of the output:
# the heap?debug=1 texts hold every stack ever sampled, mostly those of the
# fetches themselves, and make up nearly nine tenths of it.
rate=${REPORT_FIXTURES_RATE:-16384}

die() {
	echo "make-report-fixtures: $*" >&2
	exit 1
}

command -v go >/dev/null || die "go not found (sh scripts/install-deps.sh)"
command -v curl >/dev/null || die "curl not found"

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

# ---- build; HOME may be unset in CI, so the Go cache lives in build/.
: "${GOCACHE:=$root/build/go-cache}"
export GOCACHE CGO_ENABLED=0
(cd "$root/scripts/lab" && export GODEBUG=goindex=0 &&
	go build -trimpath -o "$run/lab" .) || die "cannot build the lab target"

# The labs run with the runtime's defaults.
unset GOGC GODEBUG GOMEMLIMIT GOTRACEBACK

stage=$run/stage
mkdir "$stage"

# start TAG ARGS...: runs the lab from $run; sets lab_pid and lab_addr.
start() {
	tag=$1
	shift
	rm -f "$run/$tag.addr"
	(cd "$run" && exec "$run/lab" -addr-file "$tag.addr" \
		-rate "$rate" -duration 90s "$@") &
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

# stop PID: ends a lab and forgets it, so that cleanup never signals a
# process id the system may have reused since.
stop() {
	kill "$1" 2>/dev/null || :
	wait "$1" 2>/dev/null || :
	s_left=
	for p in $pids; do
		[ "$p" = "$1" ] || s_left="$s_left $p"
	done
	pids=$s_left
}

now_ns() {
	date +%s%N
}

rfc3339() {
	date -u +%Y-%m-%dT%H:%M:%S.%3NZ
}

# ---- the collector's layout: DIR/{profiles,goroutines,pmaps}/NAME_UNIX.*
# and DIR/manifest.csv, one row per fetch.

manifest_header='time,target,kind,url,status,bytes,duration_ms,file,error'

# row DIR TIME TARGET KIND URL STATUS BYTES DURATION_MS FILE ERROR
row() {
	r_dir=$1
	shift
	case "$*" in
	*[,\"]*) die "manifest field with a comma or quote: $*" ;;
	esac
	printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$@" >>"$r_dir/manifest.csv"
}

# http DIR NAME UNIX ADDR KIND PATH SUBDIR SUFFIX: one GET, as collect does.
http() {
	h_dir=$1 h_name=$2 h_unix=$3 h_addr=$4 h_kind=$5 h_path=$6
	h_file=$7/${h_name}_$h_unix.$8
	h_url=http://$h_addr$h_path
	h_time=$(rfc3339)
	h_w=$(curl -sS --max-time 30 -o "$h_dir/$h_file.part" \
		-w '%{http_code} %{size_download} %{time_total}' "$h_url") ||
		die "GET $h_path failed"
	read -r h_code h_bytes h_secs <<EOF
$h_w
EOF
	[ "$h_code" = 200 ] || die "GET $h_path: HTTP status $h_code"
	mv "$h_dir/$h_file.part" "$h_dir/$h_file"
	row "$h_dir" "$h_time" "$h_name" "$h_kind" "$h_url" 200 "$h_bytes" \
		"$(awk -v s="$h_secs" 'BEGIN { printf "%.1f", s * 1000 }')" \
		"$h_file" ""
}

# proc DIR NAME UNIX PID KIND: copies /proc/PID/KIND into pmaps/.
proc() {
	p_dir=$1 p_name=$2 p_unix=$3 p_pid=$4 p_kind=$5
	p_file=pmaps/${p_name}_$p_unix.$p_kind
	p_time=$(rfc3339)
	p_t0=$(now_ns)
	cat "/proc/$p_pid/$p_kind" >"$p_dir/$p_file.part" ||
		die "cannot read /proc/$p_pid/$p_kind"
	p_t1=$(now_ns)
	mv "$p_dir/$p_file.part" "$p_dir/$p_file"
	row "$p_dir" "$p_time" "$p_name" "$p_kind" "/proc/$p_pid/$p_kind" "" \
		"$(wc -c <"$p_dir/$p_file" | tr -d ' ')" \
		"$(awk -v d=$((p_t1 - p_t0)) 'BEGIN { printf "%.1f", d / 1e6 }')" \
		"$p_file" ""
}

# snapshot DIR NAME UNIX ADDR PID: what collect takes of one target per
# round. No pause: the lab runs on while it is sampled, as a service would.
snapshot() {
	http "$1" "$2" "$3" "$4" heap '/debug/pprof/heap?gc=1' \
		profiles heap.pb.gz
	http "$1" "$2" "$3" "$4" heap_txt '/debug/pprof/heap?debug=1' \
		profiles heap.txt
	http "$1" "$2" "$3" "$4" goroutine '/debug/pprof/goroutine' \
		goroutines goroutine.pb.gz
	http "$1" "$2" "$3" "$4" goroutine_txt '/debug/pprof/goroutine?debug=2' \
		goroutines goroutine.txt
	proc "$1" "$2" "$3" "$5" smaps_rollup
	proc "$1" "$2" "$3" "$5" status
}

# series_begin NAME: a fresh output directory; the schedule starts now.
series_begin() {
	dir=$stage/$1
	mkdir "$dir" "$dir/profiles" "$dir/goroutines" "$dir/pmaps"
	echo "$manifest_header" >"$dir/manifest.csv"
	t0=$(now_ns)
	last_unix=0
	echo "make-report-fixtures: $1" >&2
}

# round N: waits for second N of the schedule; sets unix, the snapshot's
# name stamp: the epoch second, made strictly increasing.
round() {
	r_due=$((t0 + $1 * 1000000000))
	r_now=$(now_ns)
	if [ "$r_now" -lt "$r_due" ]; then
		sleep "$(awk -v d=$((r_due - r_now)) 'BEGIN { printf "%.3f", d / 1e9 }')"
	fi
	unix=$(date +%s)
	[ "$unix" -gt "$last_unix" ] || unix=$((last_unix + 1))
	last_unix=$unix
}

# one_target SERIES ARGS...: one lab named api, sampled every second.
one_target() {
	s=$1
	shift
	start "$s" "$@"
	series_begin "$s"
	n=1
	while [ $n -le $snaps ]; do
		round $n
		snapshot "$dir" api "$unix" "$lab_addr" "$lab_pid"
		n=$((n + 1))
	done
	stop "$lab_pid"
}

# ---- the series.

one_target leak -scenario leak
one_target goroutine-leak -scenario goroutine-leak -tick 500ms
one_target oscillate -scenario oscillate
# 45 ticks of 100 ms: filling for 4.5 s of the 14 s.
one_target warmup -scenario warmup -warmup 45
one_target slow-leak-noise -scenario slow-leak-noise
one_target offheap -scenario offheap

# restart: the leak, killed after snapshot restart_at-1 and started again.
start restart -scenario leak
series_begin restart
n=1
while [ $n -le $snaps ]; do
	if [ $n = $restart_at ]; then
		old_pid=$lab_pid
		stop "$old_pid"
		start restart2 -scenario leak
	fi
	round $n
	if [ $n = $restart_at ]; then
		row "$dir" "$(rfc3339)" api restart "" "" "" "" "" \
			"pid $old_pid -> $lab_pid"
	fi
	snapshot "$dir" api "$unix" "$lab_addr" "$lab_pid"
	n=$((n + 1))
done
stop "$lab_pid"

# two-targets: a leaking api and a healthy web, sampled in the same rounds.
start api -scenario leak
api_pid=$lab_pid api_addr=$lab_addr
start web -scenario healthy
web_pid=$lab_pid web_addr=$lab_addr
series_begin two-targets
n=1
while [ $n -le $snaps ]; do
	round $n
	snapshot "$dir" api "$unix" "$api_addr" "$api_pid"
	snapshot "$dir" web "$unix" "$web_addr" "$web_pid"
	n=$((n + 1))
done
stop "$api_pid"
stop "$web_pid"

# ---- measure what each series shows, check it against its ground truth,
# and write both down.

# inuse F FUNC: "TOTAL FLAT" in bytes, inuse_space of profile F and the flat
# value of function FUNC, as go tool pprof -top reports them.
inuse() {
	go tool pprof -sample_index=inuse_space -unit=B -top \
		-nodefraction=0 -edgefraction=0 -nodecount=100000 "$1" 2>/dev/null |
		awk -v fn="$2" '
			/ of .* total$/ { t = $(NF - 1); sub(/B$/, "", t) }
			$6 == fn { f = $1; sub(/B$/, "", f) }
			END { printf "%d %d\n", t, f }'
}

# goroutines F PATTERN: "TOTAL MATCHING" goroutines of a debug=2 dump, the
# latter counting those whose "created by" function matches PATTERN.
goroutines() {
	awk -v re="$2" '
		/^goroutine [0-9]+ \[/ { n++ }
		/^created by / { if ($3 ~ re) m++ }
		END { printf "%d %d\n", n, m }' "$1"
}

# kib F FIELD: a "FIELD: N kB" line of /proc/PID/status or smaps_rollup.
kib() {
	awk -v k="$2:" '$1 == k { print $2 }' "$1"
}

# memstat F FIELD: "# FIELD = N" of a heap?debug=1 trailer, in bytes.
memstat() {
	awk -v k="$2" '$1 == "#" && $2 == k { print $4 }' "$1"
}

# measure SERIES TARGET CULPRIT GPATTERN: writes SERIES/TARGET.tsv, one
# line per snapshot: unix, total inuse, culprit inuse, goroutines,
# culprit goroutines, VmRSS kB, HeapInuse, Sys.
measure() {
	m_dir=$stage/$1
	for f in "$m_dir"/profiles/"$2"_*.heap.pb.gz; do
		b=${f##*/}
		u=${b%%.*}
		u=${u##*_}
		g=$m_dir/goroutines/${2}_$u.goroutine.txt
		st=$m_dir/pmaps/${2}_$u.status
		ht=$m_dir/profiles/${2}_$u.heap.txt
		printf '%s %s %s %s %s %s\n' "$u" "$(inuse "$f" "$3")" \
			"$(goroutines "$g" "$4")" "$(kib "$st" VmRSS)" \
			"$(memstat "$ht" HeapInuse)" "$(memstat "$ht" Sys)"
	done >"$run/$1.$2.tsv"
}

# col SERIES TARGET N [FROM [TO]]: column N of the measurements, snapshots
# FROM..TO (1-based, default all), one per line.
col() {
	awk -v c="$3" -v a="${4:-1}" -v b="${5:-9999}" \
		'NR >= a && NR <= b { print $c }' "$run/$1.$2.tsv"
}

# Checks over a column, run by check: nondecreasing; near_max P (never
# below the running maximum by more than P percent: a growing map frees its
# old buckets, which pprof charges to the function that inserts); rising K
# (last > K x first); falls K (first > K x last); nonmonotonic (rises and
# falls); below K (every value); spread_below P ((max - min) / max).
# shellcheck disable=SC2317
nondecreasing() {
	awk 'NR > 1 && $1 < p { bad = 1 } { p = $1 } END { exit bad }'
}
near_max() {
	awk -v pc="$1" '$1 > m { m = $1 } $1 * 100 < (100 - pc) * m { bad = 1 }
		END { exit bad }'
}
rising() {
	awk -v k="$1" 'NR == 1 { f = $1 } { l = $1 } END { exit !(l > k * f) }'
}
nonmonotonic() {
	awk 'NR > 1 && $1 > p { up = 1 } NR > 1 && $1 < p { down = 1 } { p = $1 }
		END { exit !(up && down) }'
}
falls() {
	awk -v k="$1" 'NR == 1 { f = $1 } { l = $1 } END { exit !(f > k * l) }'
}
below() {
	awk -v k="$1" '$1 >= k { bad = 1 } END { exit bad }'
}
spread_below() {
	awk -v pc="$1" 'NR == 1 { lo = hi = $1 } $1 < lo { lo = $1 } $1 > hi { hi = $1 }
		END { exit !(hi > 0 && (hi - lo) * 100 < pc * hi) }'
}

# check WHAT SERIES TARGET COLUMN FROM TO TEST [ARG]: TEST over snapshots
# FROM..TO of one column.
check() {
	c_what=$1
	c_vals=$(col "$2" "$3" "$4" "$5" "$6")
	shift 6
	printf '%s\n' "$c_vals" | "$@" ||
		die "ground truth does not hold: $c_what ($(echo "$c_vals" | tr '\n' ' '))"
}

gl='^main\.setupGoroutineLeak'
measure leak api 'main.(*cache).put' "$gl"
measure goroutine-leak api 'main.(*cache).put' "$gl"
measure oscillate api 'main.(*oscillator).grow' "$gl"
measure warmup api 'main.(*boundedCache).admit' "$gl"
measure offheap api 'main.offHeapGrow' "$gl"
measure restart api 'main.(*cache).put' "$gl"
measure two-targets api 'main.(*cache).put' "$gl"
measure two-targets web 'main.(*cache).put' "$gl"
# The noise of slow-leak-noise, as a second measurement of the same files.
measure slow-leak-noise api 'main.(*batchBuffers).alloc' "$gl"
mv "$run/slow-leak-noise.api.tsv" "$run/slow-leak-noise.noise.tsv"
measure slow-leak-noise api 'main.(*sessionStore).add' "$gl"

all=9999
half=$((snaps / 2 + 1))
seg=$((restart_at - 1))
check "leak: culprit grows" leak api 3 1 $all near_max 5
check "leak: culprit x4" leak api 3 1 $all rising 4
check "leak: RSS grows" leak api 6 1 $all rising 1.5
check "goroutine-leak: goroutines grow" goroutine-leak api 4 1 $all rising 2
check "goroutine-leak: blocked goroutines never fall" \
	goroutine-leak api 5 1 $all nondecreasing
check "oscillate: inuse rises and falls" oscillate api 2 1 $all nonmonotonic
check "oscillate: culprit rises and falls" oscillate api 3 1 $all nonmonotonic
check "warmup: culprit grows at first" warmup api 3 1 "$half" rising 1.5
check "warmup: culprit flat in the second half" \
	warmup api 3 "$half" $all spread_below 25
check "slow-leak-noise: culprit grows" \
	slow-leak-noise api 3 1 $all nondecreasing
check "slow-leak-noise: culprit x3" slow-leak-noise api 3 1 $all rising 3
check "slow-leak-noise: noise rises and falls" \
	slow-leak-noise noise 3 1 $all nonmonotonic
check "offheap: RSS grows" offheap api 6 1 $all rising 2
check "offheap: heap flat" offheap api 7 1 $all spread_below 50
check "restart: culprit grows before" restart api 3 1 "$seg" near_max 5
check "restart: culprit x3 before" restart api 3 1 "$seg" rising 3
check "restart: culprit grows after" restart api 3 $((seg + 1)) $all near_max 5
check "restart: culprit x3 after" restart api 3 $((seg + 1)) $all rising 3
check "restart: heap starts small again" restart api 3 "$seg" $((seg + 1)) \
	falls 3
check "two-targets: api culprit grows" two-targets api 3 1 $all near_max 5
check "two-targets: api culprit x4" two-targets api 3 1 $all rising 4
check "two-targets: web has no cache" two-targets web 3 1 $all below 1
# The noise must be larger than the leak's step between snapshots.
noise=$(col slow-leak-noise noise 3 | awk 'NR == 1 { lo = hi = $1 }
	$1 < lo { lo = $1 } $1 > hi { hi = $1 } END { print hi - lo }')
step=$(col slow-leak-noise api 3 | awk 'NR == 1 { f = $1 } { l = $1 }
	END { printf "%d", (l - f) / (NR - 1) }')
[ "$noise" -gt $((3 * step)) ] ||
	die "slow-leak-noise: noise range $noise is not 3 x the step $step"

# ---- describe them.
# summary SERIES TARGET LABEL [FILE]: one table row, first -> last of each
# column of the measurements of TARGET (or of FILE).
summary() {
	awk -v s="$1" -v t="$2" -v l="$3" '
		function m(b) { return sprintf("%.2f", b / 1048576) }
		NR == 1 { split($0, f, " ") } { split($0, e, " ") }
		END {
			printf "| %s | %s | %s | %s -> %s | %s -> %s | %d -> %d | %d -> %d | %s -> %s | %s -> %s |\n",
				s, t, l, m(f[2]), m(e[2]), m(f[3]), m(e[3]),
				f[4], e[4], f[5], e[5], m(f[6] * 1024), m(e[6] * 1024),
				m(f[7]), m(e[7])
		}' "$run/$1.${4:-$2}.tsv"
}

# series SERIES TARGET COLUMN: all values of one column, in MiB.
series() {
	col "$1" "$2" "$3" | awk -v k="${4:-1}" '
		{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 * k / 1048576 }
		END { print "" }'
}

txt_first=
for f in "$stage"/leak/profiles/*.heap.txt; do
	[ -n "$txt_first" ] || txt_first=$(wc -c <"$f")
	txt_last=$(wc -c <"$f")
done
txt_pc=$(du -cb "$stage"/*/profiles/*.heap.txt |
	awk -v all="$(du -sb "$stage" | cut -f1)" 'END { printf "%d", 100 * $1 / all }')
gover=$(go version | sed 's/^go version //')
kernel=$(uname -r)
# shellcheck disable=SC2016 # backquotes for Markdown
{
	cat <<EOF
# Report fixtures

Labeled series of real snapshots of the lab target (\`scripts/lab\`) for
\`leaky report\`, made by \`scripts/make-report-fixtures.sh\` (as root, from
the repository root; it replaces the series directories and this file).

- Made on $(date -u +%Y-%m-%d) with $gover (\`go build -trimpath\`,
  \`CGO_ENABLED=0\`) on Linux $kernel, fetched with curl from 127.0.0.1.
  The labs ran as \`/opt/leaky-report/lab\` with the runtime's defaults
  (no GOGC, GODEBUG or GOMEMLIMIT) and \`-rate $rate\` (MemProfileRate).
- Each directory is laid out like a \`leaky collect\` output directory:
  \`profiles/NAME_UNIX.heap.pb.gz\` (\`/debug/pprof/heap?gc=1\`, gzipped as
  served), \`profiles/NAME_UNIX.heap.txt\` (\`heap?debug=1\`, fetched right
  after, for its \`runtime.MemStats\` trailer),
  \`goroutines/NAME_UNIX.goroutine.pb.gz\` and \`.goroutine.txt\`
  (\`goroutine\`, \`goroutine?debug=2\`), \`pmaps/NAME_UNIX.smaps_rollup\` and
  \`.status\` (\`/proc/PID/...\`), and \`manifest.csv\`
  (\`$manifest_header\`): one row per fetch,
  in order, time RFC 3339 UTC at the fetch's start, status 200 for HTTP and
  empty for /proc, error empty. The restart series also has a row of kind
  \`restart\` whose error reads \`pid OLD -> NEW\`, just before the first
  fetch from the new process.
- NAME is the target, \`api\` everywhere (and \`web\` in \`two-targets\`).
  UNIX is the epoch second of the snapshot, strictly increasing.
- $snaps snapshots per target, one round per second on a fixed schedule
  from the first (the profiles' own \`time_nanos\` are about 1 s apart).
  All six fetches of a round are taken back to back while the lab runs on
  (no pause), as the collector would take them.
- The \`heap?debug=1\` texts are $txt_pc % of the bytes here: they list
  every stack ever sampled, freed or not, most of them the profile
  handlers' own, so they grow with every fetch (in \`leak\`, $txt_first bytes
  at the first snapshot, $txt_last at the last).
- Every lab is a fresh process, sampled from 1 s after its start, and two
  effects of that show in every series; both are the Go runtime's, not
  the lab's. The lab sets MemProfileRate in \`init\`, after the runtime drew
  each P's first sampling point at the default 512 KiB, so what a P
  allocates before its first sample is in no profile: the first snapshot
  or two under-report (in \`leak\` the culprit may show 0 at 1 s). And RSS
  steps up by about 3 MiB between the first two snapshots, healthy targets
  included, as the heap grows to hold the fetches' own garbage; a healthy
  RSS stays within about 1 MiB after that.
- Values change with every run; the ground truth below does not: the script
  checks it on every run (with \`go tool pprof -top\`) and fails otherwise.

## Ground truth

| series | expected verdict | culprit |
|---|---|---|
| \`leak\` | leak | \`main.(*cache).put\` (a cache that never evicts: 16 x 2 KiB per 100 ms tick) |
| \`goroutine-leak\` | leak (goroutines) | goroutines blocked forever, about 4 more per 500 ms tick, all created by \`main.setupGoroutineLeak.func1\` or its \`pprof.Do\` closures \`.func1.1\` (label route=/upload) and \`.func1.2\` (route=/download, tenant); by top function: \`main.leakyWorker\` (chan receive), \`main.leakySelect\` (select), \`main.leakySender\` (chan send), and \`sync.runtime_SemacquireMutex\` under \`main.leakyLocker\` (semacquire) |
| \`oscillate\` | ok | none: \`main.(*oscillator).grow\` holds 0 to 1 MiB in a 0.7 s sawtooth |
| \`warmup\` | ok | none: \`main.(*boundedCache).admit\` fills a bounded cache (1440 x 1 KiB) during the first 4.5 s, then replaces entries: flat from about snapshot 5 on |
| \`slow-leak-noise\` | leak | \`main.(*sessionStore).add\` (16 x 256 B per 100 ms tick, never freed) under noise from \`main.(*batchBuffers).alloc\` (batches of 10 x 4 KiB, up to 3 a tick, some or all dropped on 3 ticks in 10, drawn from a fixed seed; 0 to 0.5 MiB live), which must not be ranked first |
| \`restart\` | leak, in each segment | \`main.(*cache).put\`, as in \`leak\`; the process was restarted before snapshot $restart_at (manifest row \`restart\`): the series splits there and the heap starts small again |
| \`offheap\` | leak, outside the Go heap | no heap culprit: \`main.offHeapGrow\` maps 256 KiB a 100 ms tick with \`syscall.Mmap\` and touches every page; RSS grows, inuse_space and the MemStats do not, so RSS minus what the runtime accounts for grows |
| \`two-targets\` | \`api\`: leak; \`web\`: ok | \`api\`: \`main.(*cache).put\` as in \`leak\`; \`web\`: none (the healthy scenario) |

## Measured (first -> last snapshot)

inuse_space and the culprit's flat inuse_space as \`go tool pprof -top\`
reports them; goroutines from the debug=2 dump (blocked: created by
\`main.setupGoroutineLeak*\`); VmRSS from \`status\`; HeapInuse from the MemStats
trailer. Sizes in MiB.

| series | target | culprit | inuse_space | culprit inuse | goroutines | blocked | VmRSS | HeapInuse |
|---|---|---|---|---|---|---|---|---|
EOF
	summary leak api '`main.(*cache).put`'
	summary goroutine-leak api '(goroutines)'
	summary oscillate api '`main.(*oscillator).grow`'
	summary warmup api '`main.(*boundedCache).admit`'
	summary slow-leak-noise api '`main.(*sessionStore).add`'
	summary slow-leak-noise api '`main.(*batchBuffers).alloc` (noise)' noise
	summary restart api '`main.(*cache).put`'
	summary offheap api '`main.offHeapGrow`'
	summary two-targets api '`main.(*cache).put`'
	summary two-targets web '`main.(*cache).put`'
	cat <<EOF

Whole series (MiB, one value per snapshot):

- \`leak\` culprit: $(series leak api 3)
- \`oscillate\` inuse_space: $(series oscillate api 2)
- \`warmup\` culprit: $(series warmup api 3)
- \`slow-leak-noise\` culprit: $(series slow-leak-noise api 3)
- \`slow-leak-noise\` noise: $(series slow-leak-noise noise 3)
- \`slow-leak-noise\` inuse_space: $(series slow-leak-noise api 2)
- \`restart\` culprit: $(series restart api 3)
- \`offheap\` VmRSS: $(series offheap api 6 1024)
- \`offheap\` inuse_space: $(series offheap api 2)
- \`goroutine-leak\` goroutines: $(col goroutine-leak api 4 | tr '\n' ' ')
EOF
	cat <<EOF

## Kept small

After the checks above, the \`heap?debug=1\` texts (and their manifest
rows) are kept only in \`offheap\`, whose RSS reconciliation needs the
MemStats of every snapshot: everywhere they would make the tree about
15 MB, since each lists every stack ever sampled. The other series keep
their heap protos, goroutines and process memory.
EOF
} >"$stage/README.md"

# ---- keep the debug=1 texts where they are needed (see the README).
for d in "$stage"/*/; do
	case $d in */offheap/) continue ;; esac
	rm -f "$d"profiles/*.heap.txt
	awk -F, '$3 != "heap_txt"' "$d/manifest.csv" >"$d/manifest.csv.new"
	mv "$d/manifest.csv.new" "$d/manifest.csv"
done

# ---- nothing may name this machine: no home, work or temp paths, no
# hostname. Text first, then the decompressed protos.
pat='/work|/root|/tmp|/home|/var/tmp'
if grep -rIlE "$pat" "$stage"; then
	die "machine paths in the files above"
fi
host=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)
if [ -n "$host" ] && grep -rIlwF "$host" "$stage"; then
	die "hostname '$host' in the files above"
fi
for f in "$stage"/*/*/*.gz; do
	if gzip -dc "$f" | grep -aqE "$pat"; then
		die "machine paths in '$f'"
	fi
	if [ -n "$host" ] && gzip -dc "$f" | grep -aqwF "$host"; then
		die "hostname '$host' in '$f'"
	fi
done

# ---- replace the previous set (only what this script makes).
mkdir -p "$out"
for d in "$stage"/*/; do
	d=${d%/}
	rm -rf "${out:?}/${d##*/}"
	cp -R "$d" "$out/${d##*/}"
done
cp "$stage/README.md" "$out/README.md"
echo "make-report-fixtures: wrote $(find "$out" -type f | wc -l) files," \
	"$(du -sh --apparent-size "$out" | cut -f1) to $out" >&2

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates tests/fixtures/report/: labeled series of snapshots of the lab
# target (scripts/lab), each laid out like a `leaky collect` output
# directory, for `leaky report`. Replaces its own earlier output and nothing
# else: only the series it is asked for, and README.md, whose rows for the
# other series it keeps as they are.
#
# usage: scripts/make-report-fixtures.sh [-o OUTDIR] [SERIES...]
#        OUTDIR: default tests/fixtures/report; SERIES: default all of
#        them (listed by -l)
#
# REPORT_FIXTURES_RATE=N runs the labs with -rate N instead of 16384
# (not two-samples, which is about Go's default rate).
# LEAKY=PATH: the leaky binary for failed-fetches (default build/leaky).
#
# Runs as root: the labs run as /opt/leaky-report/lab, from that directory,
# so that no path of this machine ends up in a fixture. Needs go and curl;
# talks to 127.0.0.1 only. One series at a time, one snapshot a second:
# about 14 to 21 s a series; two-samples, flat-total-leak and margin are
# made again (up to their number of tries) until their ground truth holds,
# since it depends on chance (sampling, timing).
#
# shellcheck disable=SC2086 # $s_flags: the lab's flags, split on purpose
# shellcheck disable=SC2016 # backquotes for Markdown
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/tests/fixtures/report
run=/opt/leaky-report
restart_at=8  # restart series: the first snapshot of the new process
# -rate (MemProfileRate) of the labs. It sets the size of the output:
# the heap?debug=1 texts hold every stack ever sampled, mostly those of the
# fetches themselves, and make up nearly nine tenths of it.
rate=${REPORT_FIXTURES_RATE:-16384}

# Every series, in the README's order.
all_series='leak goroutine-leak oscillate warmup slow-leak-noise offheap'
all_series="$all_series restart two-targets step staircase late-onset"
all_series="$all_series two-samples flat-total-leak margin too-few"
all_series="$all_series failed-fetches"

die() {
	echo "make-report-fixtures: $*" >&2
	exit 1
}

# settings SERIES: sets s_snaps (snapshots, or the collector's rounds),
# s_rate (the lab's -rate), s_flags (the lab's other flags) and s_tries
# (how many runs to make at most until the ground truth holds).
settings() {
	s_snaps=14 s_rate=$rate s_tries=1
	case $1 in
	goroutine-leak) s_flags='-scenario goroutine-leak -tick 500ms' ;;
	# 45 ticks of 100 ms: filling for 4.5 s of the 14 s.
	warmup) s_flags='-scenario warmup -warmup 45' ;;
	restart | two-targets) s_flags='-scenario leak' ;;
	step | staircase) s_snaps=21 s_tries=3 s_flags="-scenario $1" ;;
	late-onset) s_snaps=20 s_tries=3 s_flags="-scenario $1" ;;
	two-samples) s_rate=524288 s_tries=25 s_flags="-scenario $1" ;;
	flat-total-leak) s_snaps=21 s_tries=5 s_flags="-scenario $1" ;;
	margin) s_tries=25 s_flags="-scenario $1" ;;
	too-few) s_snaps=3 s_flags='-scenario healthy' ;;
	failed-fetches) s_snaps=3 s_flags= ;;
	*) s_flags="-scenario $1" ;;
	esac
}

in_list() {
	case " $2 " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

while getopts o:l opt; do
	case $opt in
	o) out=$OPTARG ;;
	l)
		echo "$all_series"
		exit 0
		;;
	*) die "usage: make-report-fixtures.sh [-o OUTDIR] [-l] [SERIES...]" ;;
	esac
done
shift $((OPTIND - 1))
want=
for s in "$@"; do
	in_list "$s" "$all_series" || die "no series '$s' (have: $all_series)"
	in_list "$s" "$want" || want="$want $s"
done
# In the README's order, whatever the order asked.
made=
for s in $all_series; do
	if [ $# = 0 ] || in_list "$s" "$want"; then
		made="${made:+$made }$s"
	fi
done
case $out in
/*) ;;
*) out=$PWD/$out ;;
esac
# The rows of the series not made now come from the README already there.
if [ "$made" != "$all_series" ] && [ ! -f "$out/README.md" ]; then
	die "'$out/README.md' is missing: make every series (no SERIES)"
fi

command -v go >/dev/null || die "go not found (sh scripts/install-deps.sh)"
command -v curl >/dev/null || die "curl not found"
leaky=${LEAKY:-$root/build/leaky}
if in_list failed-fetches "$made"; then
	[ -x "$leaky" ] || die "'$leaky' not found (make build/leaky, or LEAKY=)"
fi

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
# (scripts/lab-build.sh says how the lab is built: its source paths read
# leaky/lab/*.go in the profiles).
: "${GOCACHE:=$root/build/go-cache}"
export GOCACHE CGO_ENABLED=0
sh "$root/scripts/lab-build.sh" "$run/lab" || die "cannot build the lab target"

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
		-rate "$s_rate" -duration 90s "$@") &
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
	while [ $n -le $s_snaps ]; do
		round $n
		snapshot "$dir" api "$unix" "$lab_addr" "$lab_pid"
		n=$((n + 1))
	done
	stop "$lab_pid"
}

# make_restart: the leak, killed after snapshot restart_at-1 and started
# again.
make_restart() {
	start restart $s_flags
	series_begin restart
	n=1
	while [ $n -le $s_snaps ]; do
		if [ $n = $restart_at ]; then
			old_pid=$lab_pid
			stop "$old_pid"
			start restart2 $s_flags
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
}

# make_two_targets: a leaking api and a healthy web, sampled in the same
# rounds.
make_two_targets() {
	start api $s_flags
	api_pid=$lab_pid api_addr=$lab_addr
	start web -scenario healthy
	web_pid=$lab_pid web_addr=$lab_addr
	series_begin two-targets
	n=1
	while [ $n -le $s_snaps ]; do
		round $n
		snapshot "$dir" api "$unix" "$api_addr" "$api_pid"
		snapshot "$dir" web "$unix" "$web_addr" "$web_pid"
		n=$((n + 1))
	done
	stop "$api_pid"
	stop "$web_pid"
}

# make_failed_fetches: the real collector, for s_snaps rounds, against two
# targets that never answer with a profile: api on a loopback port where
# nothing listens any more (a lab's, stopped), web on a healthy lab under a
# path it does not serve (HTTP 404). Its manifest is the collector's own.
make_failed_fetches() {
	start gone -scenario healthy
	gone_addr=$lab_addr
	stop "$lab_pid"
	start web -scenario healthy
	echo "make-report-fixtures: failed-fetches" >&2
	# Profiles only: collect would find web's process by its port and
	# read its memory.
	(cd "$run" && "$leaky" collect -c /dev/null -q -n "$s_snaps" -i 1s \
		-p heap,goroutine -o failed-fetches -t "api=http://$gone_addr" \
		-t "web=http://$lab_addr/nosuch") >"$run/collect.log" 2>&1 ||
		echo "make-report-fixtures: collect: exit $? ($(tail -n 1 "$run/collect.log"))" >&2
	stop "$lab_pid"
	[ -f "$run/failed-fetches/manifest.csv" ] ||
		die "collect wrote no manifest: $(cat "$run/collect.log")"
	# The collector's lock, not data.
	rm -f "$run/failed-fetches/.leaky-collect.lock"
	mv "$run/failed-fetches" "$stage/failed-fetches"
}

# make_series SERIES: one run of SERIES into $stage/SERIES.
make_series() {
	case $1 in
	restart) make_restart ;;
	two-targets) make_two_targets ;;
	failed-fetches) make_failed_fetches ;;
	*) one_target "$1" $s_flags ;;
	esac
}
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

# More checks: between LO HI (every value, in MiB); increasing (every
# step up); steps_only BIG SMALL (every step either rises by more than BIG
# bytes or moves by less than SMALL).
# shellcheck disable=SC2317
between() {
	awk -v lo="$1" -v hi="$2" '$1 < lo * 1048576 || $1 > hi * 1048576 { bad = 1 }
		END { exit bad }'
}
increasing() {
	awk 'NR > 1 && $1 <= p { bad = 1 } { p = $1 } END { exit bad }'
}
steps_only() {
	awk -v big="$1" -v small="$2" 'NR > 1 { d = $1 - p
		if (!(d > big || (d < small && d > -small))) bad = 1 }
		{ p = $1 } END { exit bad }'
}

# The Mann-Kendall test as leaky report computes it (src/analyze/stats.c):
# S over all pairs, the variance with its tie correction, a continuity
# correction of one, and the one-sided upper tail of the normal curve
# (erfc after Numerical Recipes' erfcc, to 1.2e-7).
mk_awk='
function erfc(x,  z, t, r) {
	z = x < 0 ? -x : x
	t = 1 / (1 + 0.5 * z)
	r = t * (-0.82215223 + t * 0.17087277)
	r = t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + r)))
	r = t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + r)))
	r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + r))
	return x >= 0 ? r : 2 - r
}
function mk(v, n,  i, j, s, var, c, k, z) {
	if (n < 3)
		return 1
	s = 0
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			s += (v[j] > v[i]) - (v[j] < v[i])
	var = n * (n - 1) * (2 * n + 5)
	split("", c)
	for (i = 1; i <= n; i++)
		c[v[i] ""]++
	for (k in c)
		if (c[k] > 1)
			var -= c[k] * (c[k] - 1) * (2 * c[k] + 5)
	var /= 18
	mk_s = s
	if (var <= 0)
		return 1
	z = s > 0 ? (s - 1) / sqrt(var) : (s < 0 ? (s + 1) / sqrt(var) : 0)
	return 0.5 * erfc(z / sqrt(2))
}'

# mkp SERIES TARGET COLUMN FROM TO: "P S", Mann-Kendall's one-sided p and
# its S over snapshots FROM..TO of one column.
mkp() {
	col "$@" | awk "$mk_awk"'
		{ v[NR] = $1 } END { p = mk(v, NR); printf "%.4f %d\n", p, mk_s }'
}

# samples SERIES TARGET FUNC SIZE: one line per snapshot, "PERIOD OBJECTS
# SAMPLES": the heap profile's sampling period, FUNC's flat inuse_objects
# as the profile holds them (each sample scaled up by 1/(1 - e^(-SIZE /
# PERIOD)), the runtime's own scaling for allocations of SIZE bytes), and
# so how many samples they are.
samples() {
	for f in "$stage/$1/profiles/$2"_*.heap.pb.gz; do
		period=$(go tool pprof -raw "$f" 2>/dev/null |
			awk '$1 == "Period:" { print $2; exit }')
		go tool pprof -sample_index=inuse_objects -top -nodefraction=0 \
			-edgefraction=0 -nodecount=100000 "$f" 2>/dev/null |
			awk -v fn="$3" -v size="$4" -v period="$period" '
				$6 == fn { o = $1 }
				END { printf "%d %d %d\n", period, o,
					int(o * (1 - exp(-size / period)) + 0.5) }'
	done >"$run/$1.$2.samples"
}

gl='^main\.setupGoroutineLeak'
all=9999

# truth SERIES: measures SERIES and checks it against its ground truth;
# exits (in the subshell it runs in) if it does not hold.
truth() {
	case $1 in
	leak)
		measure leak api 'main.(*cache).put' "$gl"
		check "leak: culprit grows" leak api 3 1 $all near_max 5
		check "leak: culprit x4" leak api 3 1 $all rising 4
		check "leak: RSS grows" leak api 6 1 $all rising 1.5
		;;
	goroutine-leak)
		measure goroutine-leak api 'main.(*cache).put' "$gl"
		check "goroutine-leak: goroutines grow" goroutine-leak api 4 1 $all rising 2
		check "goroutine-leak: blocked goroutines never fall" \
			goroutine-leak api 5 1 $all nondecreasing
		;;
	oscillate)
		measure oscillate api 'main.(*oscillator).grow' "$gl"
		check "oscillate: inuse rises and falls" oscillate api 2 1 $all nonmonotonic
		check "oscillate: culprit rises and falls" oscillate api 3 1 $all nonmonotonic
		;;
	warmup)
		measure warmup api 'main.(*boundedCache).admit' "$gl"
		half=$((s_snaps / 2 + 1))
		check "warmup: culprit grows at first" warmup api 3 1 "$half" rising 1.5
		check "warmup: culprit flat in the second half" \
			warmup api 3 "$half" $all spread_below 25
		;;
	slow-leak-noise)
		# The noise, as a second measurement of the same files.
		measure slow-leak-noise api 'main.(*batchBuffers).alloc' "$gl"
		mv "$run/slow-leak-noise.api.tsv" "$run/slow-leak-noise.noise.tsv"
		measure slow-leak-noise api 'main.(*sessionStore).add' "$gl"
		check "slow-leak-noise: culprit grows" \
			slow-leak-noise api 3 1 $all nondecreasing
		check "slow-leak-noise: culprit x3" slow-leak-noise api 3 1 $all rising 3
		check "slow-leak-noise: noise rises and falls" \
			slow-leak-noise noise 3 1 $all nonmonotonic
		# The noise must be larger than the leak's step between snapshots.
		noise=$(col slow-leak-noise noise 3 | awk 'NR == 1 { lo = hi = $1 }
			$1 < lo { lo = $1 } $1 > hi { hi = $1 } END { print hi - lo }')
		step=$(col slow-leak-noise api 3 | awk 'NR == 1 { f = $1 } { l = $1 }
			END { printf "%d", (l - f) / (NR - 1) }')
		[ "$noise" -gt $((3 * step)) ] ||
			die "slow-leak-noise: noise range $noise is not 3 x the step $step"
		;;
	offheap)
		measure offheap api 'main.offHeapGrow' "$gl"
		check "offheap: RSS grows" offheap api 6 1 $all rising 2
		check "offheap: heap flat" offheap api 7 1 $all spread_below 50
		;;
	restart)
		measure restart api 'main.(*cache).put' "$gl"
		seg=$((restart_at - 1))
		check "restart: culprit grows before" restart api 3 1 "$seg" near_max 5
		check "restart: culprit x3 before" restart api 3 1 "$seg" rising 3
		check "restart: culprit grows after" restart api 3 $((seg + 1)) $all near_max 5
		check "restart: culprit x3 after" restart api 3 $((seg + 1)) $all rising 3
		check "restart: heap starts small again" restart api 3 "$seg" $((seg + 1)) \
			falls 3
		;;
	two-targets)
		measure two-targets api 'main.(*cache).put' "$gl"
		measure two-targets web 'main.(*cache).put' "$gl"
		check "two-targets: api culprit grows" two-targets api 3 1 $all near_max 5
		check "two-targets: api culprit x4" two-targets api 3 1 $all rising 4
		check "two-targets: web has no cache" two-targets web 3 1 $all below 1
		;;
	step)
		measure step api 'main.(*routeTable).reload' "$gl"
		# k: the first snapshot of the bigger table.
		k=$(col step api 3 | awk '$1 > 2.5 * 1048576 { print NR; exit }')
		[ -n "$k" ] || die "step: the table never grew ($(col step api 3 | tr '\n' ' '))"
		echo "$k" >"$run/step.at"
		check "step: the small table before" step api 3 1 $((k - 1)) between 0.4 1.5
		check "step: the small table flat" step api 3 1 $((k - 1)) spread_below 1
		check "step: the big table after" step api 3 "$k" $all between 3.2 4.8
		check "step: the big table flat" step api 3 "$k" $all spread_below 1
		[ $((s_snaps - k + 1)) -ge $((k - 1)) ] ||
			die "step: flat after the step for less than before (step at $k)"
		[ "$k" -ge 4 ] || die "step: the step is at snapshot $k"
		check "step: heap flat after the step" step api 2 "$k" $all spread_below 20
		;;
	staircase)
		measure staircase api 'main.(*spool).burst' "$gl"
		check "staircase: culprit never falls" staircase api 3 1 $all nondecreasing
		check "staircase: flat between bursts" staircase api 3 1 $all \
			steps_only 393216 65536
		b=$(col staircase api 3 | awk 'NR > 1 && $1 - p > 393216 { n++ }
			{ p = $1 } END { print n + 0 }')
		[ "$b" -ge 5 ] || die "staircase: $b bursts, not 5"
		;;
	late-onset)
		measure late-onset api 'main.(*retryQueue).push' "$gl"
		h=$((s_snaps / 2))
		check "late-onset: nothing queued in the first half" \
			late-onset api 3 1 $h below 1
		check "late-onset: the queue grows at every snapshot of the second half" \
			late-onset api 3 $((h + 1)) $all increasing
		check "late-onset: more than 1 MiB queued" late-onset api 3 "$s_snaps" "$s_snaps" \
			between 1 100
		check "late-onset: heap small and level in the first half" \
			late-onset api 2 1 $h between 0.05 0.75
		;;
	two-samples)
		measure two-samples api 'main.(*hintCache).remember' "$gl"
		samples two-samples api 'main.(*hintCache).remember' 98304
		awk 'NR == 1 { f = $3 } { l = $3; if ($1 != 524288) bad = 1 }
			NR > 1 && $3 < p { bad = 1 } { p = $3 }
			END { exit bad || l - f != 2 }' "$run/two-samples.api.samples" ||
			die "two-samples: not a growth of two samples: $(awk '{ print $3 }' \
				"$run/two-samples.api.samples" | tr '\n' ' ')"
		;;
	flat-total-leak)
		measure flat-total-leak api 'main.(*auditTrail).record' "$gl"
		check "flat-total-leak: culprit never falls" \
			flat-total-leak api 3 1 $all nondecreasing
		check "flat-total-leak: culprit x3" flat-total-leak api 3 2 $all rising 3
		r=$(col flat-total-leak api 3 | awk 'NR > 1 && $1 > p { n++ } { p = $1 }
			END { print n + 0 }')
		[ "$r" -ge $((s_snaps - 3)) ] ||
			die "flat-total-leak: culprit rose at $r snapshots only"
		check "flat-total-leak: total rises and falls" \
			flat-total-leak api 2 1 $all nonmonotonic
		p=$(mkp flat-total-leak api 2 1 $all)
		awk -v p="${p% *}" 'BEGIN { exit !(p >= 0.2) }' ||
			die "flat-total-leak: total has a trend (p = $p)"
		;;
	margin)
		measure margin api 'main.(*batches).hold' "$gl"
		check "margin: the growing function rises and falls" \
			margin api 3 1 $all nonmonotonic
		p=$(mkp margin api 2 1 $all)
		pf=$(mkp margin api 2 2 $all)
		pl=$(mkp margin api 2 1 $((s_snaps - 1)))
		echo "make-report-fixtures: margin: p $p, without the first $pf," \
			"without the last $pl" >&2
		awk -v p="${p% *}" -v f="${pf% *}" -v l="${pl% *}" 'BEGIN {
			a = p < 0.05; exit !(p >= 0.02 && p <= 0.1 &&
				((f < 0.05) != a || (l < 0.05) != a)) }' ||
			die "margin: not on the margin"
		;;
	too-few)
		measure too-few api 'main.(*cache).put' "$gl"
		[ "$(wc -l <"$run/too-few.api.tsv")" = "$s_snaps" ] ||
			die "too-few: not $s_snaps snapshots"
		;;
	failed-fetches)
		d=$stage/failed-fetches
		[ -z "$(find "$d" -type f ! -name manifest.csv)" ] ||
			die "failed-fetches: files other than the manifest: $(find "$d" -type f)"
		# The collector's manifest names its columns.
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ n++; if ($c["result"] != "failed" || $c["error"] == "" ||
				$c["file"] != "") bad = 1 }
			END { exit bad || n < 4 }' "$d/manifest.csv" ||
			die "failed-fetches: a fetch did not fail: $(cat "$d/manifest.csv")"
		grep -q "^[^,]*,[0-9]*,api,.*Couldn't connect to server" "$d/manifest.csv" ||
			die "failed-fetches: api's fetches were not refused"
		grep -q '^[^,]*,[0-9]*,web,.*HTTP 404' "$d/manifest.csv" ||
			die "failed-fetches: web's fetches were not HTTP 404"
		;;
	*) die "no ground truth for '$1'" ;;
	esac
}

# ---- make the series, one at a time; those that depend on chance again
# until their ground truth holds.
for s in $made; do
	settings "$s"
	try=1
	while :; do
		make_series "$s"
		if (truth "$s"); then
			break
		fi
		[ "$try" -lt "$s_tries" ] ||
			die "$s: the ground truth does not hold after $try runs"
		echo "make-report-fixtures: $s: run $try of $s_tries: again" >&2
		rm -rf "${stage:?}/$s"
		try=$((try + 1))
	done
	echo "$try" >"$run/$s.tries"
done

# ---- describe them. The rows of series not made now are kept from the
# README already there (section by section), so that it describes every
# series in the directory.
old=$out/README.md

# carry SECTION PREFIX: the lines of SECTION of the old README that start
# with PREFIX.
carry() {
	[ -f "$old" ] || return 0
	awk -v sec="## $1" -v p="$2" '/^## / { in_sec = ($0 == sec) }
		in_sec && index($0, p) == 1' "$old"
}

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

# stamp SERIES N: the UNIX stamp of snapshot N, and its time of day.
stamp() {
	u=$(col "$1" api 1 "$2" "$2")
	echo "$u, $(date -u -d "@$u" +%H:%M:%S) UTC"
}

# measured SERIES: the Measured table's rows of SERIES.
measured() {
	if ! in_list "$1" "$made"; then
		carry 'Measured (first -> last snapshot)' "| $1 | "
		return
	fi
	case $1 in
	goroutine-leak) summary "$1" api '(goroutines)' ;;
	slow-leak-noise)
		summary "$1" api '`main.(*sessionStore).add`'
		summary "$1" api '`main.(*batchBuffers).alloc` (noise)' noise
		;;
	two-targets)
		summary "$1" api '`main.(*cache).put`'
		summary "$1" web '`main.(*cache).put`'
		;;
	failed-fetches) ;;
	too-few) summary "$1" api '(none)' ;;
	*) summary "$1" api "\`$(culprit "$1")\`" ;;
	esac
}

# culprit SERIES: the function measured as SERIES's culprit.
culprit() {
	case $1 in
	leak | restart) echo 'main.(*cache).put' ;;
	oscillate) echo 'main.(*oscillator).grow' ;;
	warmup) echo 'main.(*boundedCache).admit' ;;
	offheap) echo 'main.offHeapGrow' ;;
	step) echo 'main.(*routeTable).reload' ;;
	staircase) echo 'main.(*spool).burst' ;;
	late-onset) echo 'main.(*retryQueue).push' ;;
	two-samples) echo 'main.(*hintCache).remember' ;;
	flat-total-leak) echo 'main.(*auditTrail).record' ;;
	margin) echo 'main.(*batches).hold' ;;
	esac
}

# whole SERIES: the whole-series lines of SERIES.
whole() {
	settings "$1"
	if ! in_list "$1" "$made"; then
		carry 'Measured (first -> last snapshot)' "- \`$1\` "
		return
	fi
	case $1 in
	leak | warmup | restart) echo "- \`$1\` culprit: $(series "$1" api 3)" ;;
	oscillate) echo "- \`$1\` inuse_space: $(series "$1" api 2)" ;;
	slow-leak-noise)
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` noise: $(series "$1" noise 3)"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		;;
	offheap)
		echo "- \`$1\` VmRSS: $(series "$1" api 6 1024)"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		;;
	goroutine-leak)
		echo "- \`$1\` goroutines: $(col "$1" api 4 | tr '\n' ' ')"
		;;
	step)
		k=$(cat "$run/step.at")
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		echo "- \`$1\` step: one, at snapshot $k ($(stamp "$1" "$k")), the culprit $(col "$1" api 3 $((k - 1)) $k |
			awk '{ v[NR] = $1 / 1048576 } END { printf "%.2f -> %.2f MiB", v[1], v[2] }'); flat for the $((k - 1)) snapshots before and the $((s_snaps - k + 1)) from it on"
		;;
	staircase)
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` bursts: $(col "$1" api 3 | awk '
			NR > 1 && $1 - p > 393216 { n++; s = s sprintf(" %.2f (%d)", ($1 - p) / 1048576, NR) }
			{ p = $1 } END { printf "%d, in MiB (snapshot):%s", n, s }'); nothing between them"
		;;
	late-onset)
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		;;
	two-samples)
		f=$run/two-samples.api.samples
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` samples: the profiles' period is $(awk 'NR == 1 { print $1 }' "$f") bytes; the culprit's samples (inuse_objects / (1/(1 - e^(-98304/period)))): $(awk '{ printf "%s%d", (NR > 1 ? " " : ""), $3 }' "$f") (inuse_objects: $(awk '{ printf "%s%d", (NR > 1 ? " " : ""), $2 }' "$f")); it really held 96 KiB x $(awk -v n="$s_snaps" 'BEGIN { c = int((n * 10 - 5) / 20) + 1; print (c > 7 ? 7 : c) }') entries at the last snapshot"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		;;
	flat-total-leak)
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		echo "- \`$1\` Mann-Kendall (one-sided p, S): inuse_space $(mkp "$1" api 2 1 $all | sed 's/ /, S = /'), the culprit $(mkp "$1" api 3 1 $all | sed 's/ /, S = /'); the culprit rose at $(col "$1" api 3 | awk 'NR > 1 && $1 > p { n++ } { p = $1 } END { print n + 0 }') of the $((s_snaps - 1)) steps"
		;;
	margin)
		echo "- \`$1\` inuse_space: $(series "$1" api 2)"
		echo "- \`$1\` culprit: $(series "$1" api 3)"
		echo "- \`$1\` Mann-Kendall of inuse_space (one-sided p, S): all $s_snaps snapshots $(mkp "$1" api 2 1 $all | sed 's/ /, S = /'); without the first $(mkp "$1" api 2 2 $all | sed 's/ /, S = /'); without the last $(mkp "$1" api 2 1 $((s_snaps - 1)) | sed 's/ /, S = /'); the culprit's own series: all $(mkp "$1" api 3 1 $all | sed 's/ /, S = /'), without the first $(mkp "$1" api 3 2 $all | sed 's/ /, S = /'), without the last $(mkp "$1" api 3 1 $((s_snaps - 1)) | sed 's/ /, S = /')"
		;;
	too-few) echo "- \`$1\` inuse_space: $(series "$1" api 2)" ;;
	failed-fetches)
		echo "- \`$1\` manifest: $(awk -F, 'NR > 1' "$stage/$1/manifest.csv" | wc -l | tr -d ' ') rows, every one failed: $(awk -F, '
			NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ e = $c["error"]; sub(/port [0-9]+/, "port PORT", e)
				n[$c["target"] " " $c["kind"] ": " e]++ }
			END { for (k in n) printf "%s (x %d)\n", k, n[k] }' "$stage/$1/manifest.csv" |
			sort | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
		;;
	esac
}

# made_row SERIES: the Series table's row of SERIES.
made_row() {
	settings "$1"
	lab=\`$s_flags\`
	[ -n "$s_flags" ] || lab="(collect: \`-n $s_snaps -i 1s\`)"
	if in_list "$1" "$made"; then
		echo "| \`$1\` | $(date -u +%Y-%m-%d) | $gover | $kernel | $s_snaps | $s_rate | $lab | $(cat "$run/$1.tries") |"
		return
	fi
	# Not made yet: no row.
	[ -d "$out/$1" ] || return 0
	r=$(carry Series "| \`$1\` |")
	if [ -z "$r" ]; then
		# A README from before this table: its header said it all.
		grep -q '^- Made on ' "$old" || die "no row for '$1' in '$old'"
		o_date=$(sed -n 's/^- Made on \([0-9-]*\) with .*/\1/p' "$old")
		o_go=$(sed -n 's/^- Made on [0-9-]* with \(.*\) (`go build.*/\1/p' "$old")
		o_kernel=$(sed -n 's/.*on Linux \([^ ,]*\), fetched.*/\1/p' "$old")
		o_rate=$(sed -n 's/.*`-rate \([0-9]*\)` (MemProfileRate).*/\1/p' "$old")
		[ -n "$o_date" ] && [ -n "$o_go" ] && [ -n "$o_kernel" ] && [ -n "$o_rate" ] ||
			die "no row for '$1' in '$old'"
		r="| \`$1\` | $o_date | $o_go | $o_kernel | 14 | $o_rate | $lab | 1 |"
	fi
	echo "$r"
}

gover=$(go version | sed 's/^go version //')
kernel=$(uname -r)
# The debug=1 texts' share, from this run if it made every series, else as
# the README says; their growth, from leak.
if [ "$made" = "$all_series" ]; then
	txt_pc=$(du -cb "$stage"/*/profiles/*.heap.txt |
		awk -v all="$(du -sb "$stage" | cut -f1)" 'END { printf "%d", 100 * $1 / all }')
else
	txt_pc=$(sed -n 's/.*texts \(are\|were\) \([0-9]*\) % of the bytes.*/\2/p' "$old")
fi
if in_list leak "$made"; then
	txt_first=
	for f in "$stage"/leak/profiles/*.heap.txt; do
		[ -n "$txt_first" ] || txt_first=$(wc -c <"$f")
		txt_last=$(wc -c <"$f")
	done
else
	txt_first=$(sed -n 's/.*(in `leak`, \([0-9]*\) bytes.*/\1/p' "$old")
	txt_last=$(sed -n 's/^ *at the first snapshot, \([0-9]*\) at the last).*/\1/p' "$old")
fi
[ -n "$txt_pc" ] && [ -n "$txt_first" ] && [ -n "$txt_last" ] ||
	die "cannot find the heap?debug=1 texts' sizes in '$old'"
# shellcheck disable=SC2016 # backquotes for Markdown
{
	cat <<EOF2
# Report fixtures

Labeled series of real snapshots of the lab target (\`scripts/lab\`) for
\`leaky report\`, made by \`scripts/make-report-fixtures.sh\` (as root, from
the repository root; it replaces the series it is asked for, all by
default, and this file).

- Each series was made as the table "Series" below says: the day, the Go
  that built the lab (\`go build -trimpath\`, \`CGO_ENABLED=0\`), the
  Linux it ran on, the snapshots per target, the lab's \`-rate\`
  (MemProfileRate) and other flags, and how many runs it took until its
  ground truth held (see below). The labs ran as \`/opt/leaky-report/lab\`
  with the runtime's defaults (no GOGC, GODEBUG or GOMEMLIMIT), and were
  fetched with curl from 127.0.0.1.
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
  fetch from the new process. \`failed-fetches\` is the exception: the real
  collector (\`leaky collect\`) made it, and its manifest is the collector's
  own, every row a failed fetch, with no snapshot file at all.
- NAME is the target, \`api\` everywhere (and \`web\` in \`two-targets\`
  and \`failed-fetches\`). UNIX is the epoch second of the snapshot,
  strictly increasing.
- One round per second on a fixed schedule from the first (the profiles'
  own \`time_nanos\` are about 1 s apart), as many as the table says.
  All six fetches of a round are taken back to back while the lab runs on
  (no pause), as the collector would take them.
- The \`heap?debug=1\` texts were $txt_pc % of the bytes fetched: they list
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
  Where it depends on chance (\`two-samples\` on which allocations the
  profile samples, \`flat-total-leak\` and \`margin\` on how the churn
  falls between snapshots), the script makes the series again, up to a
  set number of runs, until it holds; the table says how many it took.

## Series

| series | made | Go | Linux | snapshots | -rate | lab | runs |
|---|---|---|---|---|---|---|---|
EOF2
	for s in $all_series; do
		made_row "$s"
	done
	cat <<EOF2

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
| \`step\` | ok (suspect at most): one step, then flat | none: \`main.(*routeTable).reload\` holds a table of 256 x 4 KiB (1 MiB) from the start and reloads it once, 6.5 s after the start (between snapshots 6 and 7), into one of 1024 x 4 KiB (4 MiB), which it holds to the end: one step up in one tick, flat before it and for longer after it; the rest is ordinary churn (\`main.(*recentRequests).serve\`: a ring of 128 x 2 KiB replaced 8 a tick, and as much garbage) |
| \`staircase\` | leak | \`main.(*spool).burst\`: a burst of 192 x 4 KiB (768 KiB) every 3 s, half-way between two snapshots, never freed, nothing between bursts; 7 bursts in the series, the first between snapshots 1 and 2; ordinary churn as in \`step\` |
| \`late-onset\` | leak | \`main.(*retryQueue).push\` (8 x 2 KiB per 100 ms tick, never freed) from 10.6 s after the start: nothing in snapshots 1 to 10, a steady rise over 11 to 20; ordinary churn as in \`step\` all along |
| \`two-samples\` | ok (suspect at most): a growth of two samples | none: at Go's default MemProfileRate (\`-rate 524288\`, the profiles' period), \`main.(*hintCache).remember\` keeps one 96 KiB entry every 2 s up to 7 (672 KiB at most, then full): its in-use bytes in the profiles move in whole samples of about 512 KiB (one sampled 96 KiB entry counts about 561 KiB), and this run is one where they grew by exactly two samples between the first and the last snapshot (the whole-series lines give the counts); ordinary churn as in \`step\` |
| \`flat-total-leak\` | leak | \`main.(*auditTrail).record\` (24 x 256 B per 100 ms tick, never freed: 60 KiB a second) under the churn of \`main.(*batches).hold\` (batches of 32 x 16 KiB, one or two a tick, some or all let go of on 6 ticks in 20, drawn from a fixed seed; 0 to 8 MiB live): inuse_space has no trend (Mann-Kendall p at least 0.2) while the culprit's own bytes rise at nearly every snapshot |
| \`margin\` | suspect (borderline) | \`main.(*batches).hold\`, as the only growth: batches of 8 KiB buffers, 8 to a batch at the start and one more each second, held one or two a tick and some or all let go of on 7 ticks in 20 (drawn from a fixed seed; at most 24 batches held): a small growth under noise as large, in that function's own series as in the total. The Mann-Kendall p of inuse_space over the series is between 0.02 and 0.1, and dropping the first or the last snapshot moves it across 0.05 (the whole-series lines give the values) |
| \`too-few\` | not enough data | none: the healthy scenario, 3 snapshots |
| \`failed-fetches\` | no data | none: every fetch (heap and goroutine profiles, 3 rounds) failed: \`api\` on a loopback port where nothing listens (connection refused; the manifest has curl's words, "Couldn't connect to server"), \`web\` on a healthy lab asked for paths it does not serve (\`/nosuch/debug/pprof/...\`: "HTTP 404") |

## Measured (first -> last snapshot)

inuse_space and the culprit's flat inuse_space as \`go tool pprof -top\`
reports them; goroutines from the debug=2 dump (blocked: created by
\`main.setupGoroutineLeak*\`); VmRSS from \`status\`; HeapInuse from the MemStats
trailer. Sizes in MiB.

| series | target | culprit | inuse_space | culprit inuse | goroutines | blocked | VmRSS | HeapInuse |
|---|---|---|---|---|---|---|---|---|
EOF2
	for s in $all_series; do
		measured "$s"
	done
	cat <<EOF2

Whole series (MiB, one value per snapshot):

EOF2
	for s in $all_series; do
		whole "$s"
	done
	cat <<EOF2

## Kept small

After the checks above, the \`heap?debug=1\` texts (and their manifest
rows) are kept only in \`offheap\`, whose RSS reconciliation needs the
MemStats of every snapshot: everywhere they would make the tree about
15 MB, since each lists every stack ever sampled. The other series keep
their heap protos, goroutines and process memory.
EOF2
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
	[ -e "$f" ] || continue
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

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Names from the profiled program reach CSV cells, the terminal and error
# messages made safe (README, "Output"); -o never leaves a temporary file or
# replaces a file that appeared meanwhile; a FIFO without a writer is an
# error, not a hang; --max-memory covers the input and inflated bytes too.
# The hostile profiles are made by scripts/hostile with pprof's encoder.
test_description='output safety: hostile names, -o, FIFOs, --max-memory'
. "$(dirname "$0")/test-lib.sh"

H="$FIXTURES/hostile"
EVIL="$H/evil_1700000000.heap.pb.gz"
ESC=$(printf '\033')
BEL=$(printf '\007')

# has_entries DIR: DIR holds a file.
has_entries() {
	test -n "$(ls -A "$1")"
}

# no_control FILE: no ESC or BEL byte in FILE.
no_control() {
	! grep -q "[$ESC$BEL]" "$1"
}

test_expect_success 'heaper: formulas get a leading quote, numbers do not' '
	"$LEAKY" heaper "$EVIL" >out.csv &&
	test_grep "^2023-11-14T22:13:20Z,evil,'\''=cmd|'\'' /C calc'\''!A0,1,1000,1,1000,proto," out.csv &&
	test_grep ",\"'\''+SUM(1,2)\",1,2000," out.csv &&
	test_grep ",'\''@SUM(A1),1,3000," out.csv &&
	test_grep ",'\''-2+3,1,4000," out.csv &&
	! grep -q ",[=+@-][^0-9]" out.csv
'

test_expect_success 'heaper --csv-raw: the names as they are' '
	"$LEAKY" heaper --csv-raw "$EVIL" >raw.csv &&
	test_grep ",=cmd|'\'' /C calc'\''!A0,1,1000," raw.csv &&
	test_grep ",-2+3,1,4000," raw.csv
'

test_expect_success 'heaper: no escape sequence, valid UTF-8' '
	no_control out.csv &&
	test_grep ",?\[2J?\]0;pwned?main.leak,1,1048576," out.csv &&
	iconv -f UTF-8 -t UTF-8 out.csv >/dev/null &&
	test_grep "main.bad$(printf "\357\277\275\357\277\275")utf8" out.csv &&
	test_grep "main.c1?ctl" out.csv
'

test_expect_success 'heaper: names that differ after a NUL stay apart' '
	test_grep ",main.a$(printf "\357\277\275")one,1,6000,1,6000,proto," out.csv &&
	test_grep ",main.a$(printf "\357\277\275")two,1,7000,1,7000,proto," out.csv
'

test_expect_success 'heap text and goroutine dumps: NUL inside names too' '
	printf "heap profile: 2: 200 [2: 200] @ heap/1\n1: 100 [1: 100] @ 0x1\n#\t0x1\tmain.a\000one+0x1\t\tx.go:1\n\n1: 100 [1: 100] @ 0x2\n#\t0x2\tmain.a\000two+0x1\t\tx.go:2\n\n# runtime.MemStats\n# DebugGC = false\n" \
		>nul_1700000000.heap.txt &&
	"$LEAKY" heaper nul_1700000000.heap.txt >nul.csv &&
	test_line_count = 3 nul.csv &&
	test_grep ",main.a$(printf "\357\277\275")two,1,100,1,100,debug=1,$" nul.csv &&
	printf "goroutine 1 [select]:\nmain.a\000one()\n\t/x.go:1 +0x1\n\ngoroutine 2 [select]:\nmain.a\000two()\n\t/x.go:1 +0x1\n" \
		>nul_1700000000.goroutine.txt &&
	"$LEAKY" goroutines nul_1700000000.goroutine.txt >gnul.csv &&
	test_line_count = 3 gnul.csv &&
	test_grep ",main.a$(printf "\357\277\275")one,main.a" gnul.csv
'

test_expect_success 'goroutine dumps: NUL inside states and creators too' '
	printf "goroutine 1 [chan\000one]:\nmain.w()\n\t/x.go:1 +0x1\ncreated by main.s\000a in goroutine 1\n\t/x.go:2 +0x1\n\ngoroutine 2 [chan\000two]:\nmain.w()\n\t/x.go:1 +0x1\ncreated by main.s\000b in goroutine 1\n\t/x.go:2 +0x1\n" \
		>st_1700000000.goroutine.txt &&
	"$LEAKY" goroutines st_1700000000.goroutine.txt >st.csv &&
	test_line_count = 3 st.csv &&
	u=$(printf "\357\277\275") &&
	test_grep ",chan${u}one," st.csv &&
	test_grep ",chan${u}two," st.csv &&
	test_grep ",main.s${u}a," st.csv &&
	test_grep ",main.s${u}b," st.csv
'

test_expect_success 'goroutines: labels with = ; \ and LF stay unambiguous' '
	"$LEAKY" goroutines "$H/labels_1700000000.goroutine.pb.gz" >g.csv &&
	test_line_count = 4 g.csv &&
	test_grep ",a=b\\\\=c\\\\;d,proto," g.csv &&
	test_grep ",a\\\\=b=c\\\\;d,proto," g.csv &&
	test_grep ",path=C:\\\\\\\\x\\\\nend,proto," g.csv
'

test_expect_success 'report: the growing function named without its ESC' '
	"$LEAKY" report --fail-on never "$H"/evil_*.heap.pb.gz >report.txt &&
	no_control report.txt &&
	test_grep "1\. ?\[2J?\]0;pwned?main.leak  1.0 MiB -> 8.0 MiB" report.txt &&
	"$LEAKY" report --csv --fail-on never "$H"/evil_*.heap.pb.gz >report.csv &&
	no_control report.csv &&
	test_grep "^evil,1,function_flat,?\[2J" report.csv
'

test_expect_success 'plot reads the names back without the quote' '
	"$LEAKY" heaper "$H"/evil_*.heap.pb.gz >series.csv &&
	# a later row for each: a chart draws only what grew
	printf "%s\n" "2023-11-14T23:00:00Z,evil,'\''-2+3,1,5000,1,5000,proto," \
		"2023-11-14T23:00:00Z,evil,'\''@SUM(A1),1,5000,1,5000,proto," \
		>>series.csv &&
	"$LEAKY" plot --script plot.gp series.csv &&
	test_grep "title '\''@SUM(A1) (+1.95 KiB)'\''" plot.gp &&
	test_grep "title '\''-2+3 (+1000 bytes)'\''" plot.gp
'

test_expect_success 'error messages: no escape sequence from a name' '
	test_expect_code 1 "$LEAKY" heaper "x${ESC}[2J.pb.gz" 2>err &&
	no_control err &&
	test_grep "^leaky heaper: x?\[2J.pb.gz: No such file" err
'

test_expect_success 'a die() after -o leaves no temporary file' '
	mkdir die && cp "$EVIL" die/ &&
	test_expect_code 1 "$LEAKY" heaper --wide nosuchtype -o die/out.csv \
		die/evil_1700000000.heap.pb.gz 2>err &&
	test_grep "no sample type '\''nosuchtype'\''" err &&
	ls -a die >ls.out &&
	printf "%s\n" . .. evil_1700000000.heap.pb.gz >ls.expect &&
	test_cmp ls.expect ls.out
'

test_expect_success 'SIGTERM while reading leaves no temporary file' '
	mkdir sig && mkfifo slow &&
	# a writer that holds the FIFO open and writes nothing
	{ sleep 30 >slow & } && wp=$! &&
	{ "$LEAKY" heaper -o sig/out.csv slow & } && lp=$! &&
	wait_until 10 has_entries sig &&
	kill -TERM $lp &&
	{ wait $lp; st=$?; } ;
	kill $wp 2>/dev/null ;
	test "$st" = 143 &&
	test -z "$(ls -A sig)"
'

test_expect_success '-o to /dev/null writes to it, with or without --force' '
	"$LEAKY" heaper -o /dev/null "$EVIL" &&
	"$LEAKY" heaper --force -o /dev/null "$EVIL" &&
	test -c /dev/null
'

test_expect_success 'a FIFO with no writer: an error, not a hang' '
	mkfifo fifo &&
	test_expect_code 1 timeout 10 "$LEAKY" heaper fifo 2>err &&
	test_grep "^leaky heaper: fifo: a FIFO with no writer" err
'

test_expect_success 'a FIFO with a writer, and a pipe, still read' '
	"$LEAKY" heaper "$EVIL" >expect.csv &&
	sed "s/,evil,/,fifo,/" expect.csv >expect-fifo.csv &&
	{ cat "$EVIL" >fifo & } &&
	timeout 10 "$LEAKY" heaper fifo >fifo.csv &&
	wait &&
	test_cmp expect-fifo.csv fifo.csv &&
	cat "$EVIL" | timeout 10 "$LEAKY" heaper --target evil /dev/stdin \
		>pipe.csv &&
	test_cmp expect.csv pipe.csv
'

test_expect_success '--max-memory counts the input and inflated bytes' '
	# 1 MiB inflated, about 1 MiB decoded: 1500K holds one, not both
	test_expect_code 1 "$LEAKY" heaper --max-memory 1500K \
		"$H/bigname_1700000000.heap.pb.gz" >out 2>err &&
	test_grep "bigname_1700000000.heap.pb.gz: decoded profile exceeds the memory limit of 1536000 bytes" err &&
	test_line_count = 0 out &&
	"$LEAKY" heaper --max-memory 4M "$H/bigname_1700000000.heap.pb.gz" >out &&
	test_line_count = 10 out
'

test_done

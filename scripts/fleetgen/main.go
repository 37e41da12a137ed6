// SPDX-License-Identifier: Apache-2.0
// Command fleetgen writes a synthetic fleet: hours of the metrics Go
// services export to Prometheus, for instances that leak (or do not) in
// the ways real services do, as OpenMetrics text that `promtool tsdb
// create-blocks-from openmetrics` turns into TSDB blocks. leaky's fleet
// tests backfill a Prometheus with it (scripts/fleet-backfill.sh) to judge
// hours of data without waiting hours; tests/fixtures/fleet/expected.txt
// says what a careful person makes of each instance. Standard library only.
//
//	fleetgen [-window 6h] [-step 60s] [-end UNIX] [-seed 1] [-copies 1]
//	         [-o FILE] [-list]
//
// The samples are at END, END-STEP, ... back over the window (WINDOW/STEP
// scrapes), END defaulting to now rounded down to the step. The same seed
// gives the same values; only END moves them in time.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand"
	"os"
	"strconv"
	"time"
)

// The metrics, in the order of a sample's fields; Go's Prometheus client
// exports each of them as a gauge.
var metrics = []struct{ name, help string }{
	{"go_memstats_heap_inuse_bytes", "Bytes in in-use heap spans."},
	{"go_goroutines", "Goroutines that exist now."},
	{"process_resident_memory_bytes", "Resident set size in bytes."},
	{"process_open_fds", "Open file descriptors."},
	{"process_start_time_seconds",
		"When the process started, seconds since the epoch."},
}

// instance is one generated target: its labels and its scrapes.
type instance struct {
	job, name string
	ts        []int64      // unix seconds, ascending
	v         [][5]float64 // per scrape, in the order of metrics
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: fleetgen [-window 6h] [-step 60s] "+
		"[-end UNIX] [-seed N] [-copies N] [-o FILE] [-list]\n")
	flag.PrintDefaults()
}

func fail(code int, format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "fleetgen: "+format+"\n", a...)
	os.Exit(code)
}

func main() {
	window := flag.Duration("window", 6*time.Hour, "how much history")
	step := flag.Duration("step", time.Minute,
		"scrape interval, whole seconds")
	end := flag.Int64("end", 0, "unix second of the last scrape, "+
		"not in the future (0: now, rounded down to the step)")
	seed := flag.Int64("seed", 1, "noise seed")
	copies := flag.Int("copies", 1, "instances per scenario (NAME-001, ...)")
	out := flag.String("o", "-", "OpenMetrics output file (-: stdout)")
	list := flag.Bool("list", false,
		"write JOB INSTANCE SAMPLES per instance instead")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() > 0 {
		usage()
		os.Exit(2)
	}
	if *step < time.Second || *step%time.Second != 0 {
		fail(2, "-step %v: must be a whole number of seconds, 1s or more", *step)
	}
	if *window < *step {
		fail(2, "-window %v: must be at least the step (%v)", *window, *step)
	}
	if *copies < 1 || *copies > 100000 {
		fail(2, "-copies %d: must be 1 to 100000", *copies)
	}
	st := int64(*step / time.Second)
	now := time.Now().Unix()
	if *end == 0 {
		*end = now - now%st
	}
	// A Prometheus started on blocks takes no sample older than their
	// end: blocks reaching into the future would make it drop its own
	// scrapes ("out of bounds") until then.
	if *end > now {
		fail(2, "-end %d: %d s in the future; a Prometheus given "+
			"these blocks would drop its scrapes until then",
			*end, *end-now)
	}
	if *end <= int64(*window/time.Second) {
		fail(2, "-end %d: the window would start before 1970", *end)
	}

	n := int(*window / *step)
	var fleet []*instance
	for _, sc := range scenarios {
		for k := 1; k <= *copies; k++ {
			name := sc.name
			if *copies > 1 {
				name = fmt.Sprintf("%s-%03d", sc.name, k)
			}
			fleet = append(fleet, generate(sc, name+":8080", *seed,
				*end, st, n))
		}
	}

	w, closeOut := openOut(*out)
	bw := bufio.NewWriterSize(w, 1<<16)
	if *list {
		for _, in := range fleet {
			fmt.Fprintf(bw, "%s %s %d\n", in.job, in.name, len(in.ts))
		}
	} else {
		writeOpenMetrics(bw, fleet)
	}
	if err := bw.Flush(); err != nil {
		fail(1, "%s: %v", *out, err)
	}
	if err := closeOut(); err != nil {
		fail(1, "%s: %v", *out, err)
	}
}

func openOut(path string) (io.Writer, func() error) {
	if path == "-" {
		return os.Stdout, func() error { return nil }
	}
	f, err := os.Create(path)
	if err != nil {
		fail(1, "%v", err)
	}
	return f, f.Close
}

// generate runs one scenario over the window. Each instance draws from its
// own source, seeded by the seed and its name, so that adding a scenario
// or a copy leaves the others' values as they were.
func generate(sc scenario, name string, seed, end, step int64,
	n int) *instance {
	h := fnv.New64a()
	h.Write([]byte(name))
	c := &ctx{
		rng:  rand.New(rand.NewSource(seed ^ int64(h.Sum64()))),
		w:    float64(int64(n) * step),
		t0:   float64(end - int64(n-1)*step),
		end:  float64(end),
		step: float64(step),
	}
	c.phase = c.rng.Float64()
	in := &instance{job: sc.job, name: name}
	for i := 0; i < n; i++ {
		ts := end - int64(n-1-i)*step
		s, ok := sc.gen(c, float64(ts)-c.t0)
		if !ok {
			continue
		}
		in.ts = append(in.ts, ts)
		in.v = append(in.v, [5]float64{
			pages(s.heap, 8192), math.Max(0, math.Round(s.goroutines)),
			pages(s.rss, 4096), math.Max(0, math.Round(s.fds)),
			s.start,
		})
	}
	return in
}

// pages rounds bytes to whole pages: the heap is counted in 8 KiB runtime
// pages, RSS in 4 KiB memory pages.
func pages(v, page float64) float64 {
	return math.Max(page, math.Round(v/page)*page)
}

// writeOpenMetrics writes the fleet as promtool's OpenMetrics parser wants
// it: each family's samples together under its TYPE line (families may
// not interleave), a series' samples in time order (the block writer
// rejects a sample older than the series' last), every sample with a
// timestamp in seconds, and "# EOF" last.
func writeOpenMetrics(w *bufio.Writer, fleet []*instance) {
	var buf []byte
	for m, mt := range metrics {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", mt.name,
			mt.help, mt.name)
		for _, in := range fleet {
			prefix := fmt.Sprintf("%s{job=\"%s\",instance=\"%s\"} ",
				mt.name, in.job, in.name)
			for i, ts := range in.ts {
				buf = append(buf[:0], prefix...)
				buf = strconv.AppendFloat(buf, in.v[i][m], 'f', -1, 64)
				buf = append(buf, ' ')
				buf = strconv.AppendInt(buf, ts, 10)
				buf = append(buf, '\n')
				w.Write(buf)
			}
		}
	}
	w.WriteString("# EOF\n")
}

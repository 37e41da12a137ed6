// SPDX-License-Identifier: Apache-2.0
package main

// Goroutine modes: the goroutines per folded stack (and labels) of a
// goroutine profile as pprof's library reads it, and the same table made
// from `leaky goroutines` CSV or from `go tool pprof -traces` text, so that
// the three compare with diff.
//
//	oracle -goroutines [-by stack] [-focus RE] [-ignore RE] [-min N]
//	       [-hide-runtime|-hide-leading-runtime] [-drop RE] [-total] PROFILE
//	oracle -gleaky [-by stack] [-min N] [-hide-runtime] [-drop RE] [-total]
//	       LEAKY_CSV
//	oracle -traces [-by stack] [-min N] [-drop RE] [-total] PPROF_TRACES
//
// Each prints "goroutines,stack,labels" rows sorted by stack, then labels
// (byte order). stack is root;...;leaf of pprof's node names at the default
// granularity (inlined frames expanded, innermost last; a frame without a
// function name is "[mapping basename]" or "<unknown>"); labels is "k=v;k=v"
// sorted by key, a numeric label "k=N". With -by stack, labels are merged
// (printed empty). -min N then drops groups of fewer than N goroutines.
// -total prints "total,goroutines" and the sum instead (after -min).
//
// -hide-runtime drops the frames Go's tracebacks (goroutine?debug=2) never
// show at the default GOTRACEBACK: unexported runtime.* functions
// (runtime/traceback.go, showfuncinfo), before grouping.
// -hide-leading-runtime drops what goroutine?debug=1 hides instead
// (runtime/pprof printStackRecord): runtime.goexit anywhere and runtime.*
// frames at the leaf end, unless all frames are runtime.*.
// -drop RE drops goroutines whose folded stack matches RE (Go regexp).
//
// PROFILE is read as the heap modes read it (load: RemoveUninteresting,
// -focus/-ignore by FilterSamplesByName, Aggregate). Without -focus and
// -ignore every sample counts, a goroutine without frames (Go writes one for
// a goroutine created but not yet started) as stack "": pprof's total counts
// it ("of N total" in `go tool pprof -top`), though its reports do not show
// it, since the driver's applyFocus always runs FilterSamplesByName, which
// keeps only samples with some focused frame. With -focus or -ignore, that
// filter drops such samples, as pprof -focus and -ignore do.

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

type gopts struct {
	byStack     bool
	min         int64
	hideRuntime bool
	hideLeading bool
	drop        *regexp.Regexp
	total       bool
}

// gkey is one group: a folded stack and its labels.
type gkey struct{ stack, labels string }

type gtable map[gkey]int64

// frameNames are a sample's frames, leaf first, as pprof's graph names
// them (see locationNodes).
func frameNames(s *profile.Sample) []string {
	var names []string
	for _, l := range s.Location {
		lines := l.Line
		if len(lines) == 0 {
			lines = []profile.Line{{}}
		}
		for _, line := range lines {
			names = append(names, keyOf(l, line).printable())
		}
	}
	return names
}

// fold joins leaf-first frames root first.
func fold(leafFirst []string) string {
	n := len(leafFirst)
	root := make([]string, n)
	for i, f := range leafFirst {
		root[n-1-i] = f
	}
	return strings.Join(root, ";")
}

// sampleLabels renders labels as "k=v;k=v", sorted by key (then value).
func sampleLabels(s *profile.Sample) string {
	var kv []string
	for k, vs := range s.Label {
		for _, v := range vs {
			kv = append(kv, k+"\x00"+v)
		}
	}
	for k, ns := range s.NumLabel {
		for _, n := range ns {
			kv = append(kv, k+"\x00"+strconv.FormatInt(n, 10))
		}
	}
	sort.Strings(kv)
	for i := range kv {
		kv[i] = strings.Replace(kv[i], "\x00", "=", 1)
	}
	return strings.Join(kv, ";")
}

// exportedRuntime mirrors runtime.isExportedRuntime.
func exportedRuntime(name string) bool {
	return len(name) > 8 && name[:8] == "runtime." && 'A' <= name[8] && name[8] <= 'Z'
}

// hideTraceback keeps the frames a debug=2 traceback shows.
func hideTraceback(leafFirst []string) []string {
	var out []string
	for _, f := range leafFirst {
		if strings.HasPrefix(f, "runtime.") && !exportedRuntime(f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// hideDebug1 keeps the frames runtime/pprof's printStackRecord shows.
func hideDebug1(leafFirst []string) []string {
	var out []string
	show := false
	for _, f := range leafFirst {
		if f == "runtime.goexit" {
			continue
		}
		if show || !strings.HasPrefix(f, "runtime.") {
			show = true
			out = append(out, f)
		}
	}
	if !show {
		for _, f := range leafFirst {
			if f != "runtime.goexit" {
				out = append(out, f)
			}
		}
	}
	return out
}

// splitFolded turns a folded root-first stack back into leaf-first frames.
func splitFolded(stack string) []string {
	if stack == "" {
		return nil
	}
	root := strings.Split(stack, ";")
	n := len(root)
	leaf := make([]string, n)
	for i, f := range root {
		leaf[n-1-i] = f
	}
	return leaf
}

// add puts n goroutines of (leafFirst, labels) into t after -hide-*, -drop
// and -by.
func (o *gopts) add(t gtable, leafFirst []string, labels string, n int64) {
	if o.hideRuntime {
		leafFirst = hideTraceback(leafFirst)
	}
	if o.hideLeading {
		leafFirst = hideDebug1(leafFirst)
	}
	stack := fold(leafFirst)
	if o.drop != nil && o.drop.MatchString(stack) {
		return
	}
	if o.byStack {
		labels = ""
	}
	t[gkey{stack, labels}] += n
}

func profileGoroutines(p *profile.Profile, o *gopts) (gtable, error) {
	if len(p.SampleType) != 1 || p.SampleType[0].Unit != "count" {
		return nil, errors.New("not a goroutine profile (sample types differ from one count)")
	}
	t := gtable{}
	for _, s := range p.Sample {
		o.add(t, frameNames(s), sampleLabels(s), s.Value[0])
	}
	return t, nil
}

// readLeakyGoroutines reads `leaky goroutines` CSV of one snapshot: the
// groups (any --by; the stack and labels columns are used, the rest summed
// over) or --totals (only with -total: its goroutines column).
func readLeakyGoroutines(name string, o *gopts) (gtable, int64, error) {
	f, err := open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, 0, err
	}
	if len(recs) == 0 {
		return nil, 0, errors.New("no CSV header")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	h := recs[0]
	if len(h) < 3 || h[0] != "time" || h[1] != "target" || h[2] != "goroutines" {
		return nil, 0, fmt.Errorf("unexpected header %q", h)
	}
	_, hasStack := col["stack"]
	_, hasLabels := col["labels"]
	if !hasStack || !hasLabels {
		if !o.total {
			return nil, 0, fmt.Errorf("no stack and labels columns in %q (--totals output needs -total)", h)
		}
	}
	t := gtable{}
	var sum int64
	var snap string
	for i, rec := range recs[1:] {
		line := i + 2
		if len(rec) != len(h) {
			return nil, 0, fmt.Errorf("line %d: %d fields, header has %d", line, len(rec), len(h))
		}
		if i == 0 {
			snap = rec[0] + "\x00" + rec[1]
		} else if rec[0]+"\x00"+rec[1] != snap {
			return nil, 0, fmt.Errorf("line %d: a second snapshot (%s, %s); give one profile at a time", line, rec[0], rec[1])
		}
		n, err := strconv.ParseInt(rec[2], 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("line %d: %v", line, err)
		}
		if !hasStack {
			sum += n
			continue
		}
		o.add(t, splitFolded(rec[col["stack"]]), rec[col["labels"]], n)
	}
	if !hasStack {
		return nil, sum, nil
	}
	return t, 0, nil
}

var (
	tracesCount = regexp.MustCompile(`^ *(-?[0-9]+)   (\S.*)$`)
	tracesLabel = regexp.MustCompile(`^ *(\S+):  (.*)$`)
)

const tracesSeparator = "-----------+-------------------------------------------------------"

// readTraces reads `go tool pprof -traces` output: after the header, blocks
// separated by tracesSeparator, each label lines ("%10s:  %s", sorted), a
// count line ("%10s   %s", the leaf frame) and the other frames
// ("%10s   %s" with an empty value), leaf first, " (inline)" marking
// inlined frames. Samples are summed per (stack, labels).
func readTraces(name string, o *gopts) (gtable, error) {
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := gtable{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	inBlocks, haveType := false, false
	var labels []string
	var frames []string
	var count int64
	counted := false
	flush := func() error {
		if !counted {
			if len(labels) > 0 {
				return errors.New("a block with labels but no count line")
			}
			return nil
		}
		sort.Strings(labels)
		o.add(t, frames, strings.Join(labels, ";"), count)
		labels, frames, counted = nil, nil, false
		return nil
	}
	for sc.Scan() {
		line := sc.Text()
		if line == tracesSeparator {
			if err := flush(); err != nil {
				return nil, err
			}
			inBlocks = true
			continue
		}
		if !inBlocks {
			if s := strings.TrimPrefix(line, "Type: "); s != line {
				if s != "goroutine" {
					return nil, fmt.Errorf("type %q, not goroutine", s)
				}
				haveType = true
			}
			continue
		}
		if !counted {
			if m := tracesCount.FindStringSubmatch(line); m != nil {
				v, err := strconv.ParseInt(m[1], 10, 64)
				if err != nil {
					return nil, err
				}
				count, counted = v, true
				frames = append(frames, strings.TrimSuffix(m[2], " (inline)"))
				continue
			}
			if m := tracesLabel.FindStringSubmatch(line); m != nil {
				labels = append(labels, m[1]+"="+m[2])
				continue
			}
			return nil, fmt.Errorf("unexpected pprof -traces line %q", line)
		}
		if len(line) < 14 || strings.TrimSpace(line[:13]) != "" {
			return nil, fmt.Errorf("unexpected pprof -traces frame line %q", line)
		}
		frames = append(frames, strings.TrimSuffix(line[13:], " (inline)"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if counted || len(labels) > 0 {
		return nil, errors.New("pprof -traces output ends inside a block")
	}
	if !haveType || !inBlocks {
		return nil, errors.New("not `go tool pprof -traces` output of a goroutine profile")
	}
	return t, nil
}

// writeGoroutines prints the table (after -min) or, with -total, its sum.
func writeGoroutines(w io.Writer, t gtable, o *gopts) error {
	cw := csv.NewWriter(w)
	var keys []gkey
	var sum int64
	for k, n := range t {
		if n < o.min {
			continue
		}
		keys = append(keys, k)
		sum += n
	}
	if o.total {
		cw.Write([]string{"total", "goroutines"})
		cw.Write([]string{"total", strconv.FormatInt(sum, 10)})
		cw.Flush()
		return cw.Error()
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].stack != keys[j].stack {
			return keys[i].stack < keys[j].stack
		}
		return keys[i].labels < keys[j].labels
	})
	cw.Write([]string{"goroutines", "stack", "labels"})
	for _, k := range keys {
		cw.Write([]string{strconv.FormatInt(t[k], 10), k.stack, k.labels})
	}
	cw.Flush()
	return cw.Error()
}

type goroutineFlags struct {
	profile, leaky, traces bool
	by                     string
	min                    int64
	hideRuntime            bool
	hideLeading            bool
	drop                   string
	total                  bool
	focus, ignore          string
}

// runGoroutines is main for the goroutine modes; it returns the exit
// status.
func runGoroutines(gf goroutineFlags, name string, stdout, stderr io.Writer) int {
	o := &gopts{min: gf.min, hideRuntime: gf.hideRuntime, hideLeading: gf.hideLeading, total: gf.total}
	modes := 0
	for _, b := range []bool{gf.profile, gf.leaky, gf.traces} {
		if b {
			modes++
		}
	}
	switch {
	case modes != 1,
		gf.by != "" && gf.by != "stack",
		gf.hideRuntime && gf.hideLeading,
		(gf.leaky || gf.traces) && (gf.focus != "" || gf.ignore != ""),
		gf.traces && (gf.hideRuntime || gf.hideLeading),
		gf.min < 0:
		fmt.Fprintln(stderr, "oracle: conflicting or bad goroutine options")
		return 2
	}
	o.byStack = gf.by == "stack"
	if gf.drop != "" {
		re, err := regexp.Compile(gf.drop)
		if err != nil {
			fmt.Fprintf(stderr, "oracle: -drop: %v\n", err)
			return 2
		}
		o.drop = re
	}
	var t gtable
	var err error
	switch {
	case gf.profile:
		var p *profile.Profile
		if p, err = load(name, "", gf.focus, gf.ignore); err == nil {
			t, err = profileGoroutines(p, o)
		}
	case gf.traces:
		t, err = readTraces(name, o)
	case gf.leaky:
		var sum int64
		t, sum, err = readLeakyGoroutines(name, o)
		if err == nil && t == nil {
			// --totals CSV: its goroutines column, as is.
			t = gtable{{"", ""}: sum}
			if o.min > 0 {
				err = errors.New("-min makes no sense on --totals output")
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "oracle: %s: %v\n", name, err)
		return 1
	}
	if err := writeGoroutines(stdout, t, o); err != nil {
		fmt.Fprintf(stderr, "oracle: %v\n", err)
		return 1
	}
	return 0
}

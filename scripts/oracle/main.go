// SPDX-License-Identifier: Apache-2.0
// Command oracle is the reference leaky's heaper is tested against: per
// function flat and cum values of one profile, computed with pprof's own
// library (github.com/google/pprof/profile, Debian's
// golang-github-google-pprof-dev) and pprof's exact graph semantics.
//
// Build (GOPATH mode, no network; as the Makefile's oracle target does):
//
//	cd scripts/oracle && GO111MODULE=off GOPATH=/usr/share/gocode \
//		go build -trimpath -o ../../build/oracle .
//
// Modes, each printing a canonical CSV on stdout (header first, then rows
// sorted by key in byte order, integers in decimal, RFC 4180 quoting), so
// that two outputs compare with diff:
//
//	oracle [-cum] [-focus RE] [-ignore RE] [-type T[,T...]] PROFILE
//	    function,<type1>,...,<typeN>: flat (or cum) per function; only rows
//	    with some nonzero value in the printed columns (-type picks them).
//	oracle -total [-focus RE] [-ignore RE] PROFILE
//	    total,<v1>,...,<vN>: the sum of flat over all functions.
//	oracle -diff-base BASE [-cum|-total] [-focus RE] [-ignore RE] [-type T] PROFILE
//	    the same of PROFILE's change from BASE, made as `go tool pprof
//	    -diff_base BASE PROFILE` makes it (driver's fetch.go): the base
//	    labelled pprof::base and scaled by -1, merged with PROFILE, and
//	    only then prepared as load describes.
//	oracle -recursive PROFILE
//	    function,samples: functions that occur more than once on the stack
//	    of some sample, with the number of such samples.
//	oracle -naive-cum PROFILE
//	    like -cum, but adding a sample's value once per FRAME (the classic
//	    recursion bug); only to prove that a fixture tells the two apart.
//	oracle -leaky [-total] [-type T[,T...]] LEAKY_CSV
//	    leaky heaper's CSV (time,target,KEY,<types>) of ONE snapshot, made
//	    canonical the same way (time and target dropped).
//	oracle -craft DIR
//	    writes crafted corner-case profiles into DIR (see craft.go).
//	oracle -top [-cum] PPROF_TOP_OUTPUT
//	    the flat (or cum) column of `go tool pprof -top` (with -unit=B for
//	    bytes or -unit=count for counts, so values are exact integers) as
//	    function,<type>; " (inline)" and " (partial-inline)" are stripped.
//	oracle -goroutines|-gleaky|-traces [-by stack] [-min N] ... INPUT
//	    goroutines,stack,labels of a goroutine profile, of `leaky
//	    goroutines` CSV, or of `go tool pprof -traces` output: see
//	    goroutines.go.
//
// PROFILE and LEAKY_CSV may be "-" for stdin. Exit status: 0 ok, 1 bad input,
// 2 usage.
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

type table struct {
	header []string // first column's name, then value column names
	rows   map[string][]int64
}

func main() {
	cum := flag.Bool("cum", false, "cumulative values instead of flat")
	focus := flag.String("focus", "", "keep samples with a frame matching this regexp (pprof -focus)")
	ignore := flag.String("ignore", "", "drop samples with a frame matching this regexp (pprof -ignore)")
	diffBase := flag.String("diff-base", "", "print the change from this base profile (pprof -diff_base)")
	typ := flag.String("type", "", "print only these sample types' columns (comma-separated)")
	total := flag.Bool("total", false, "one row: the sum of flat values")
	recursive := flag.Bool("recursive", false, "list functions occurring twice on a stack")
	naive := flag.Bool("naive-cum", false, "cum counted once per frame (wrong on purpose)")
	leaky := flag.Bool("leaky", false, "input is leaky heaper CSV")
	top := flag.Bool("top", false, "input is `go tool pprof -top` output")
	craftDir := flag.String("craft", "", "write crafted corner-case profiles into this directory and exit")
	var gf goroutineFlags
	flag.BoolVar(&gf.profile, "goroutines", false, "goroutines per stack and labels of a goroutine profile (goroutines.go)")
	flag.BoolVar(&gf.leaky, "gleaky", false, "input is leaky goroutines CSV")
	flag.BoolVar(&gf.traces, "traces", false, "input is go tool pprof -traces output of a goroutine profile")
	flag.StringVar(&gf.by, "by", "", "goroutine modes: \"stack\" merges labels")
	flag.Int64Var(&gf.min, "min", 0, "goroutine modes: drop groups of fewer goroutines")
	flag.BoolVar(&gf.hideRuntime, "hide-runtime", false, "goroutine modes: drop the frames debug=2 tracebacks hide")
	flag.BoolVar(&gf.hideLeading, "hide-leading-runtime", false, "goroutine modes: drop the frames goroutine?debug=1 hides")
	flag.StringVar(&gf.drop, "drop", "", "goroutine modes: drop goroutines whose folded stack matches this regexp")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: oracle [-cum|-total|-recursive|-naive-cum] [-focus RE] [-ignore RE] [-type T] PROFILE\n"+
			"       oracle -leaky [-total] [-type T] LEAKY_CSV\n"+
			"       oracle -top [-cum] PPROF_TOP_OUTPUT\n"+
			"       oracle -craft DIR\n"+
			"       oracle -goroutines [-by stack] [-focus RE] [-ignore RE] [-min N] [-hide-runtime|-hide-leading-runtime] [-drop RE] [-total] PROFILE\n"+
			"       oracle -gleaky [-by stack] [-min N] [-hide-runtime|-hide-leading-runtime] [-drop RE] [-total] LEAKY_GOROUTINES_CSV\n"+
			"       oracle -traces [-by stack] [-min N] [-drop RE] [-total] PPROF_TRACES_OUTPUT\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	gf.total, gf.focus, gf.ignore = *total, *focus, *ignore
	if gf.profile || gf.leaky || gf.traces || gf.by != "" || gf.min != 0 ||
		gf.hideRuntime || gf.hideLeading || gf.drop != "" {
		if flag.NArg() != 1 || *cum || *recursive || *naive || *leaky || *top ||
			*typ != "" || *craftDir != "" {
			fmt.Fprintln(os.Stderr, "oracle: conflicting options")
			flag.Usage()
			os.Exit(2)
		}
		os.Exit(runGoroutines(gf, flag.Arg(0), os.Stdout, os.Stderr))
	}
	if *craftDir != "" && flag.NArg() == 0 {
		if err := craft(*craftDir); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	modes := 0
	for _, b := range []bool{*cum, *total, *recursive, *naive} {
		if b {
			modes++
		}
	}
	if modes > 1 || (*leaky && *top) || (*leaky && (*cum || *recursive || *naive)) ||
		(*top && (*total || *recursive || *naive || *typ != "")) ||
		((*leaky || *top) && (*focus != "" || *ignore != "")) ||
		(*diffBase != "" && (*leaky || *top || *recursive || *naive)) {
		fmt.Fprintln(os.Stderr, "oracle: conflicting options")
		flag.Usage()
		os.Exit(2)
	}
	name := flag.Arg(0)

	var t *table
	var err error
	switch {
	case *leaky:
		t, err = readLeaky(name, *total)
	case *top:
		t, err = readTop(name, *cum)
	default:
		var p *profile.Profile
		p, err = load(name, *diffBase, *focus, *ignore)
		if err != nil {
			break
		}
		switch {
		case *recursive:
			t = recursiveFunctions(p)
		case *total:
			t = totals(p)
		case *naive:
			t = functionValues(p, true, true)
		default:
			t = functionValues(p, *cum, false)
		}
	}
	if err == nil && *typ != "" {
		t, err = pick(t, *typ)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %s: %v\n", name, err)
		os.Exit(1)
	}
	if err := t.write(os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		os.Exit(1)
	}
}

func open(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(name)
}

// load reads a profile and prepares it the way `go tool pprof` does before a
// text report at the default granularity: fetch.go's RemoveUninteresting,
// driver_focus.go's applyFocus (FilterSamplesByName with focus and ignore),
// then driver.go's aggregate for granularity "functions" with inlines
// (Aggregate(inlineFrame, function, filename, linenumber, address)).
//
// With a base (diffBase not empty), the profile is first the merge of name
// and the base, the base's samples labelled pprof::base and negated, as
// pprof's fetchProfiles makes it for -diff_base.
func load(name, diffBase, focus, ignore string) (*profile.Profile, error) {
	p, err := parse(name)
	if err != nil {
		return nil, err
	}
	if diffBase != "" {
		base, err := parse(diffBase)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", diffBase, err)
		}
		base.SetLabel("pprof::base", []string{"true"})
		base.Scale(-1)
		if p, err = profile.Merge([]*profile.Profile{p, base}); err != nil {
			return nil, err
		}
	}
	if err := p.RemoveUninteresting(); err != nil {
		return nil, err
	}
	var fre, ire *regexp.Regexp
	if focus != "" {
		if fre, err = regexp.Compile(focus); err != nil {
			return nil, fmt.Errorf("focus: %v", err)
		}
	}
	if ignore != "" {
		if ire, err = regexp.Compile(ignore); err != nil {
			return nil, fmt.Errorf("ignore: %v", err)
		}
	}
	if fre != nil || ire != nil {
		p.FilterSamplesByName(fre, ire, nil, nil)
	}
	if err := p.Aggregate(true, true, false, false, false); err != nil {
		return nil, err
	}
	return p, nil
}

// parse reads one profile: gzipped or raw proto, or legacy text.
func parse(name string) (*profile.Profile, error) {
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return profile.Parse(f)
}

// nodeKey mirrors the fields of pprof's graph.NodeInfo that nodeInfo (in
// internal/graph/graph.go) can set at granularity "functions": Address and
// Lineno are zero and File is empty after Aggregate; Objfile and StartLine
// are set only for frames without a function name.
type nodeKey struct {
	name      string
	objfile   string
	startLine int64
	hasFunc   bool
}

func keyOf(l *profile.Location, line profile.Line) nodeKey {
	var objfile string
	if m := l.Mapping; m != nil && m.File != "" {
		objfile = m.File
	}
	if line.Function == nil {
		return nodeKey{objfile: objfile}
	}
	k := nodeKey{name: line.Function.Name, hasFunc: true}
	if k.name == "" {
		k.objfile = objfile
		k.startLine = line.Function.StartLine
	}
	return k
}

// printable mirrors NodeInfo.NameComponents/PrintableName for such keys.
func (k nodeKey) printable() string {
	switch {
	case k.name != "":
		return k.name
	case k.objfile != "":
		return "[" + filepath.Base(k.objfile) + "]"
	default:
		return "<unknown>"
	}
}

type node struct {
	key       nodeKey
	flat, cum []int64
}

// locationNodes mirrors graph.CreateNodes: one node per Line of each
// Location (Line[0] is the innermost inlined function), a Location without
// lines getting one empty line.
func locationNodes(p *profile.Profile) (map[uint64][]*node, []*node) {
	nodes := map[nodeKey]*node{}
	var all []*node
	locs := make(map[uint64][]*node, len(p.Location))
	n := len(p.SampleType)
	for _, l := range p.Location {
		lines := l.Line
		if len(lines) == 0 {
			lines = []profile.Line{{}}
		}
		ns := make([]*node, len(lines))
		for i, line := range lines {
			k := keyOf(l, line)
			nd := nodes[k]
			if nd == nil {
				nd = &node{key: k, flat: make([]int64, n), cum: make([]int64, n)}
				nodes[k] = nd
				all = append(all, nd)
			}
			ns[i] = nd
		}
		locs[l.ID] = ns
	}
	return locs, all
}

// graphValues mirrors graph.newGraph's loop (no kept-node set, so no
// residual edges): walking each sample's stack from the root, cum is added
// once per distinct node (seenNode), flat to the last node visited, the leaf
// location's innermost line. pprof runs this loop for one sample type at a
// time and skips samples whose value is zero; adding all types at once is the
// same, as adding zero changes nothing. With naive set, cum is added once per
// frame instead (wrong on purpose).
func graphValues(p *profile.Profile, naive bool) []*node {
	locs, all := locationNodes(p)
	seen := map[*node]bool{}
	for _, s := range p.Sample {
		for k := range seen {
			delete(seen, k)
		}
		var parent *node
		for i := len(s.Location) - 1; i >= 0; i-- {
			ln := locs[s.Location[i].ID]
			for ni := len(ln) - 1; ni >= 0; ni-- {
				nd := ln[ni]
				if naive || !seen[nd] {
					seen[nd] = true
					add(nd.cum, s.Value)
				}
				parent = nd
			}
		}
		if parent != nil {
			add(parent.flat, s.Value)
		}
	}
	return all
}

func add(dst, v []int64) {
	for i := range dst {
		if i < len(v) {
			dst[i] += v[i]
		}
	}
}

func typeNames(p *profile.Profile) []string {
	var h []string
	for _, st := range p.SampleType {
		h = append(h, st.Type)
	}
	return h
}

func functionValues(p *profile.Profile, cum, naive bool) *table {
	t := &table{header: append([]string{"function"}, typeNames(p)...), rows: map[string][]int64{}}
	for _, nd := range graphValues(p, naive) {
		v := nd.flat
		if cum {
			v = nd.cum
		}
		name := nd.key.printable()
		if old, ok := t.rows[name]; ok {
			// Two pprof nodes print the same name (only for frames
			// without a function name that differ in mapping or
			// start line): pprof -top would show two rows.
			fmt.Fprintf(os.Stderr, "oracle: warning: two pprof nodes named %q merged\n", name)
			add(old, v)
			continue
		}
		t.rows[name] = append([]int64(nil), v...)
	}
	return t
}

func totals(p *profile.Profile) *table {
	sum := make([]int64, len(p.SampleType))
	for _, nd := range graphValues(p, false) {
		add(sum, nd.flat)
	}
	return &table{header: append([]string{"total"}, typeNames(p)...),
		rows: map[string][]int64{"total": sum}}
}

func recursiveFunctions(p *profile.Profile) *table {
	locs, _ := locationNodes(p)
	counts := map[string]int64{}
	for _, s := range p.Sample {
		seen := map[*node]bool{}
		dup := map[string]bool{}
		for _, l := range s.Location {
			for _, nd := range locs[l.ID] {
				if seen[nd] {
					dup[nd.key.printable()] = true
				}
				seen[nd] = true
			}
		}
		for name := range dup {
			counts[name]++
		}
	}
	t := &table{header: []string{"function", "samples"}, rows: map[string][]int64{}}
	for name, c := range counts {
		t.rows[name] = []int64{c}
	}
	return t
}

// readLeaky reads leaky heaper CSV of one snapshot: time,target,KEY,<types>.
func readLeaky(name string, total bool) (*table, error) {
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("no CSV header")
	}
	h := recs[0]
	if len(h) < 4 || h[0] != "time" || h[1] != "target" {
		return nil, fmt.Errorf("unexpected header %q", h)
	}
	// The snapshot's origin (source, profile_time) ends leaky's rows:
	// not sample values, so not compared.
	for len(h) > 4 && (h[len(h)-1] == "source" || h[len(h)-1] == "profile_time") {
		h = h[:len(h)-1]
	}
	t := &table{header: append([]string(nil), h[2:]...), rows: map[string][]int64{}}
	if total {
		t.header[0] = "total"
		t.rows["total"] = make([]int64, len(h)-3)
	}
	var snap string
	for i, rec := range recs[1:] {
		line := i + 2
		if i == 0 {
			snap = rec[0] + "\x00" + rec[1]
		} else if rec[0]+"\x00"+rec[1] != snap {
			return nil, fmt.Errorf("line %d: a second snapshot (%s, %s); give one profile at a time", line, rec[0], rec[1])
		}
		v := make([]int64, len(h)-3)
		for j := range v {
			if v[j], err = strconv.ParseInt(rec[3+j], 10, 64); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
		}
		key := rec[2]
		if total {
			key = "total"
		} else if _, dup := t.rows[key]; dup {
			return nil, fmt.Errorf("line %d: %q twice in one snapshot", line, key)
		}
		if t.rows[key] == nil {
			t.rows[key] = v
		} else {
			add(t.rows[key], v)
		}
	}
	return t, nil
}

// topLine matches a row of pprof's printText: "%10s %s %s %10s %s  %s%s"
// (flat, flat%, sum%, cum, cum%, name, inline label).
var topLine = regexp.MustCompile(`^ *(\S+) +(\S+) +(\S+) +(\S+) +(\S+)  (.+)$`)

func readTop(name string, cum bool) (*table, error) {
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	typ := ""
	inRows := false
	t := &table{rows: map[string][]int64{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if !inRows {
			if s := strings.TrimPrefix(line, "Type: "); s != line {
				typ = s
			}
			if strings.Fields(line) != nil && strings.Join(strings.Fields(line), " ") == "flat flat% sum% cum cum%" {
				inRows = true
			}
			continue
		}
		m := topLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("unexpected pprof -top line %q", line)
		}
		s := m[1]
		if cum {
			s = m[4]
		}
		v, err := topValue(s)
		if err != nil {
			return nil, fmt.Errorf("line %q: %v", line, err)
		}
		fn := strings.TrimSuffix(strings.TrimSuffix(m[6], " (inline)"), " (partial-inline)")
		if _, dup := t.rows[fn]; dup {
			return nil, fmt.Errorf("%q twice in pprof -top output", fn)
		}
		t.rows[fn] = []int64{v}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !inRows || typ == "" {
		return nil, errors.New("not `go tool pprof -top` output (no Type: line or no header)")
	}
	t.header = []string{"function", typ}
	return t, nil
}

// topValue parses a value printed by measurement.ScaledLabel with -unit=B
// ("123B") or -unit=count ("123"); anything scaled or fractional is refused.
func topValue(s string) (int64, error) {
	s = strings.TrimSuffix(s, "B")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("value %q is not an exact integer (use -unit=B or -unit=count)", s)
	}
	return v, nil
}

// pick keeps the columns of the sample types in typs (comma-separated), in
// that order.
func pick(t *table, typs string) (*table, error) {
	var cols []int
	out := &table{header: []string{t.header[0]}, rows: map[string][]int64{}}
	for _, typ := range strings.Split(typs, ",") {
		col := -1
		for i, h := range t.header[1:] {
			if h == typ {
				col = i
			}
		}
		if col < 0 {
			return nil, fmt.Errorf("no sample type %q in %q", typ, t.header[1:])
		}
		cols = append(cols, col)
		out.header = append(out.header, typ)
	}
	for k, v := range t.rows {
		var w []int64
		for _, c := range cols {
			w = append(w, v[c])
		}
		out.rows[k] = w
	}
	return out, nil
}

// write prints the header, then the rows with some nonzero value (all rows
// for a total), sorted by key.
func (t *table) write(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.header); err != nil {
		return err
	}
	var keys []string
	for k, v := range t.rows {
		if k == "total" && t.header[0] == "total" || nonzero(v) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		rec := []string{k}
		for _, v := range t.rows[k] {
			rec = append(rec, strconv.FormatInt(v, 10))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func nonzero(v []int64) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

// SPDX-License-Identifier: Apache-2.0
// Command hostile writes profiles whose names attack the places leaky shows
// them: spreadsheet formulas (CSV injection), terminal escape sequences, a
// NUL inside two names that differ only after it, invalid UTF-8, and
// goroutine labels holding the separators of leaky's "k=v;k=v" form. Written
// with pprof's own encoder, so they are what a Go program could serve.
//
//	cd scripts/hostile && GO111MODULE=off GOPATH=/usr/share/gocode \
//		go run . ../../tests/fixtures/hostile
//
// The output is committed (tests/fixtures/hostile); run this again only to
// change it.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/pprof/profile"
)

// The names, in the order of their function ids.
var names = []string{
	"runtime.main",
	"=cmd|' /C calc'!A0",
	"+SUM(1,2)",
	"@SUM(A1)",
	"-2+3",
	"\x1b[2J\x1b]0;pwned\x07main.leak",
	"main.a\x00one",
	"main.a\x00two",
	"main.bad\xff\xfeutf8",
	"main.c1\u0085ctl",
}

func write(path string, p *profile.Profile) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// heap: one sample per hostile function under runtime.main; the escape
// sequence one grows with step, so that leaky report names it.
func heap(step int64) *profile.Profile {
	var fns []*profile.Function
	var locs []*profile.Location
	for i, n := range names {
		f := &profile.Function{ID: uint64(i + 1), Name: n, SystemName: n,
			Filename: "hostile/" + n + ".go"}
		fns = append(fns, f)
		locs = append(locs, &profile.Location{ID: uint64(i + 1),
			Address: uint64(0x1000 * (i + 1)),
			Line:    []profile.Line{{Function: f, Line: 1}}})
	}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{
			{Type: "alloc_objects", Unit: "count"},
			{Type: "alloc_space", Unit: "bytes"},
			{Type: "inuse_objects", Unit: "count"},
			{Type: "inuse_space", Unit: "bytes"},
		},
		PeriodType:        &profile.ValueType{Type: "space", Unit: "bytes"},
		Period:            524288,
		TimeNanos:         (1700000000 + 60*step) * 1000000000,
		DefaultSampleType: "inuse_space",
		Function:          fns,
		Location:          locs,
	}
	for i := 1; i < len(names); i++ {
		v := int64(1000 * i)
		if names[i][0] == 0x1b {
			v = 1 << 20 * (step + 1)
		}
		p.Sample = append(p.Sample, &profile.Sample{
			Location: []*profile.Location{locs[i], locs[0]},
			Value:    []int64{1, v, 1, v},
		})
	}
	return p
}

// goroutines: a goroutine profile with labels that hold = ; \ and LF.
func goroutines() *profile.Profile {
	f := &profile.Function{ID: 1, Name: "main.worker", SystemName: "main.worker",
		Filename: "main.go"}
	l := &profile.Location{ID: 1, Address: 0x1000,
		Line: []profile.Line{{Function: f, Line: 1}}}
	return &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "goroutine", Unit: "count"}},
		PeriodType: &profile.ValueType{Type: "goroutine", Unit: "count"},
		Period:     1,
		TimeNanos:  1700000000 * 1000000000,
		Function:   []*profile.Function{f},
		Location:   []*profile.Location{l},
		Sample: []*profile.Sample{
			{Location: []*profile.Location{l}, Value: []int64{2},
				Label: map[string][]string{"a=b": {"c;d"}}},
			{Location: []*profile.Location{l}, Value: []int64{3},
				Label: map[string][]string{"a": {"b=c;d"}}},
			{Location: []*profile.Location{l}, Value: []int64{5},
				Label: map[string][]string{"path": {"C:\\x\nend"}}},
		},
	}
}

// bigname: one function named with 1 MiB of 'a', a few KB gzipped, so that
// the inflated bytes and the decoded model each take about 1 MiB (for
// --max-memory, which covers both).
func bigname() *profile.Profile {
	p := heap(0)
	p.Function[1].Name = strings.Repeat("a", 1<<20)
	p.Function[1].SystemName = ""
	p.Function[1].Filename = ""
	return p
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for step := int64(0); step < 8; step++ {
		name := fmt.Sprintf("evil_%d.heap.pb.gz", 1700000000+60*step)
		if err := write(filepath.Join(dir, name), heap(step)); err != nil {
			return err
		}
	}
	if err := write(filepath.Join(dir, "bigname_1700000000.heap.pb.gz"),
		bigname()); err != nil {
		return err
	}
	return write(filepath.Join(dir, "labels_1700000000.goroutine.pb.gz"),
		goroutines())
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hostile DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

// SPDX-License-Identifier: Apache-2.0
package main

// Crafted profiles for corners that real Go heap profiles rarely show: frames
// without function names (pprof names them after the mapping's file, or
// "<unknown>"), a function inlined into itself, names that need CSV quoting,
// a sample without a stack, all-zero samples, drop_frames, and legacy
// heap?debug=1 texts; and a goroutine profile with the same frame shapes,
// labels and a goroutine without frames. Written with pprof's own encoder, so
// they are what pprof reads.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/pprof/profile"
)

func heapTypes() []*profile.ValueType {
	return []*profile.ValueType{
		{Type: "alloc_objects", Unit: "count"},
		{Type: "alloc_space", Unit: "bytes"},
		{Type: "inuse_objects", Unit: "count"},
		{Type: "inuse_space", Unit: "bytes"},
	}
}

// corners: every frame shape the graph code distinguishes.
func corners() *profile.Profile {
	lab := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x800000,
		File: "/opt/leaky-lab/lab", HasFunctions: true}
	libc := &profile.Mapping{ID: 2, Start: 0x7f0000000000, Limit: 0x7f0000100000,
		File: "/usr/lib/x86_64-linux-gnu/libc.so.6"}
	fn := func(id uint64, name, file string) *profile.Function {
		return &profile.Function{ID: id, Name: name, SystemName: name, Filename: file}
	}
	root := fn(1, "runtime.main", "runtime/proc.go")
	mainf := fn(2, "main.main", "leaky/lab/main.go")
	rec := fn(3, "main.rec", "leaky/lab/zoo.go")
	small := fn(4, "main.small", "leaky/lab/zoo.go")
	quoted := fn(5, `main.Map[go.shape.string,go.shape."int"]`, "leaky/lab/zoo.go")
	noname := fn(6, "", "libc/malloc.c")
	leaf := fn(7, "main.leaf", "leaky/lab/zoo.go")
	other := fn(8, "main.other", "other/other.go")
	loc := func(id uint64, m *profile.Mapping, addr uint64, fns ...*profile.Function) *profile.Location {
		l := &profile.Location{ID: id, Mapping: m, Address: addr}
		for i, f := range fns {
			l.Line = append(l.Line, profile.Line{Function: f, Line: int64(10 + i)})
		}
		return l
	}
	lRoot := loc(1, lab, 0x401000, root)
	lMain := loc(2, lab, 0x402000, mainf)
	lRec := loc(3, lab, 0x403000, rec)
	lRecAgain := loc(4, lab, 0x403100, rec)
	lSmall := loc(5, lab, 0x404000, small, mainf) // small inlined into main
	lSelf := loc(6, lab, 0x405000, rec, rec)      // rec inlined into itself
	lQuoted := loc(7, lab, 0x406000, quoted)
	lAddr := loc(8, lab, 0x407000)                 // no lines: "[lab]"
	lBare := loc(9, nil, 0x408000)                 // no mapping, no lines: "<unknown>"
	lLibc := loc(10, libc, 0x7f0000001000, noname) // nameless function: "[libc.so.6]"
	lLeaf := loc(11, lab, 0x409000, leaf)
	lOther := loc(12, lab, 0x40a000, other)
	s := func(v0, v1, v2, v3 int64, locs ...*profile.Location) *profile.Sample {
		return &profile.Sample{Location: locs, Value: []int64{v0, v1, v2, v3},
			NumLabel: map[string][]int64{"bytes": {16}}}
	}
	return &profile.Profile{
		SampleType:        heapTypes(),
		PeriodType:        &profile.ValueType{Type: "space", Unit: "bytes"},
		Period:            524288,
		TimeNanos:         1700000000000000000,
		DefaultSampleType: "inuse_space",
		Mapping:           []*profile.Mapping{lab, libc},
		Function:          []*profile.Function{root, mainf, rec, small, quoted, noname, leaf, other},
		Location:          []*profile.Location{lRoot, lMain, lRec, lRecAgain, lSmall, lSelf, lQuoted, lAddr, lBare, lLibc, lLeaf, lOther},
		Sample: []*profile.Sample{
			s(1, 16, 1, 16, lLeaf, lMain, lRoot),
			s(2, 32, 1, 16, lRec, lRec, lRecAgain, lRec, lMain, lRoot), // direct recursion
			s(3, 48, 2, 32, lSmall, lRoot),                             // inlined leaf
			s(4, 64, 0, 0, lSelf, lRec, lMain, lRoot),                  // self-inlined
			s(5, 80, 5, 80, lQuoted, lMain, lRoot),                     // CSV quoting
			s(6, 96, 3, 48, lAddr, lMain, lRoot),                       // [lab]
			s(7, 112, 7, 112, lBare, lRoot),                            // <unknown>
			s(8, 128, 1, 16, lLibc, lLeaf, lMain, lRoot),               // [libc.so.6]
			s(9, 144, 9, 144),                                          // no stack at all
			s(0, 0, 0, 0, lOther, lMain, lRoot),                        // all zero
			s(10, 160, 0, 0, lOther, lRec, lOther, lRoot),              // ping-pong
		},
	}
}

// goroutineCorners: a goroutine profile (one count type) with inlined,
// recursive, unnamed and CSV-quoted frames, string labels (keys out of
// order, a value with a comma), a numeric label, one stack under several
// label sets, and a goroutine without frames (Go writes one for a goroutine
// created but not yet started).
func goroutineCorners() *profile.Profile {
	lab := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x800000,
		File: "/opt/leaky-lab/lab", HasFunctions: true}
	libc := &profile.Mapping{ID: 2, Start: 0x7f0000000000, Limit: 0x7f0000100000,
		File: "/usr/lib/x86_64-linux-gnu/libc.so.6"}
	fn := func(id uint64, name, file string) *profile.Function {
		return &profile.Function{ID: id, Name: name, SystemName: name, Filename: file}
	}
	gopark := fn(1, "runtime.gopark", "runtime/proc.go")
	chanrecv := fn(2, "runtime.chanrecv", "runtime/chan.go")
	chanrecv1 := fn(3, "runtime.chanrecv1", "runtime/chan.go")
	worker := fn(4, "main.worker", "leaky/lab/scenarios.go")
	mainf := fn(5, "main.main", "leaky/lab/main.go")
	root := fn(6, "runtime.main", "runtime/proc.go")
	rec := fn(7, "main.rec", "leaky/lab/zoo.go")
	quoted := fn(8, `main.Map[go.shape.string,go.shape."int"]`, "leaky/lab/zoo.go")
	noname := fn(9, "", "libc/poll.c")
	loc := func(id uint64, m *profile.Mapping, addr uint64, fns ...*profile.Function) *profile.Location {
		l := &profile.Location{ID: id, Mapping: m, Address: addr}
		for i, f := range fns {
			l.Line = append(l.Line, profile.Line{Function: f, Line: int64(10 + i)})
		}
		return l
	}
	lPark := loc(1, lab, 0x401000, gopark)
	lRecv := loc(2, lab, 0x402000, chanrecv, chanrecv1) // chanrecv inlined into chanrecv1
	lWorker := loc(3, lab, 0x403000, worker)
	lMain := loc(4, lab, 0x404000, mainf)
	lRoot := loc(5, lab, 0x405000, root)
	lRec := loc(6, lab, 0x406000, rec)
	lSelf := loc(7, lab, 0x407000, rec, rec) // rec inlined into itself
	lQuoted := loc(8, lab, 0x408000, quoted)
	lAddr := loc(9, lab, 0x409000)                 // no lines: "[lab]"
	lBare := loc(10, nil, 0x40a000)                // no mapping, no lines: "<unknown>"
	lLibc := loc(11, libc, 0x7f0000001000, noname) // nameless function: "[libc.so.6]"
	s := func(n int64, labels map[string][]string, locs ...*profile.Location) *profile.Sample {
		return &profile.Sample{Location: locs, Value: []int64{n}, Label: labels}
	}
	workerStack := []*profile.Location{lPark, lRecv, lWorker}
	numeric := s(6, nil, lPark, lRecv, lMain, lRoot)
	numeric.NumLabel = map[string][]int64{"shard": {7}}
	numeric.NumUnit = map[string][]string{"shard": {"count"}}
	return &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "goroutine", Unit: "count"}},
		PeriodType: &profile.ValueType{Type: "goroutine", Unit: "count"},
		Period:     1,
		TimeNanos:  1700000000000000000,
		Mapping:    []*profile.Mapping{lab, libc},
		Function:   []*profile.Function{gopark, chanrecv, chanrecv1, worker, mainf, root, rec, quoted, noname},
		Location:   []*profile.Location{lPark, lRecv, lWorker, lMain, lRoot, lRec, lSelf, lQuoted, lAddr, lBare, lLibc},
		Sample: []*profile.Sample{
			s(3, map[string][]string{"tenant": {"t1"}, "route": {"/a"}}, workerStack...),
			s(2, map[string][]string{"route": {"/b"}}, workerStack...),
			s(4, nil, workerStack...),
			s(1, nil, lPark, lSelf, lRec, lRec, lMain, lRoot),          // recursion
			s(2, nil, lBare, lLibc, lAddr, lMain, lRoot),               // unnamed frames
			s(1, map[string][]string{"note": {"x,y"}}, lQuoted, lRoot), // CSV quoting
			s(5, nil), // no frames
			numeric,
		},
	}
}

// dropFrames: a proto carrying drop_frames/keep_frames, which pprof applies
// (Profile.RemoveUninteresting) before any report.
func dropFrames() *profile.Profile {
	p := corners()
	p.DropFrames = `main\.rec|main\.leaf`
	p.KeepFrames = `main\.leaf`
	return p
}

// Legacy heap?debug=1 texts as the Go runtime writes them ("heap/N" is
// 2*MemProfileRate), without # frame lines: pprof ignores them anyway.
const legacySampled = `heap profile: 3: 1536 [10: 9216] @ heap/1024
1: 512 [4: 2048] @ 0x401001 0x402001
2: 1024 [5: 5120] @ 0x403001 0x402001
0: 0 [1: 2048] @ 0x404001

# runtime.MemStats
# Alloc = 1536
# DebugGC = false
`

// Every object still in use: pprof's parser then keeps only two sample
// types, objects and space.
const legacyAllLive = `heap profile: 3: 1536 [3: 1536] @ heap/1024
1: 512 [1: 512] @ 0x401001 0x402001
2: 1024 [2: 1024] @ 0x403001 0x402001

# runtime.MemStats
# Alloc = 1536
# DebugGC = false
`

func craft(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	for name, p := range map[string]*profile.Profile{
		"corners_1700000000.heap.pb.gz":         corners(),
		"dropframes_1700000000.heap.pb.gz":      dropFrames(),
		"goroutines_1700000000.goroutine.pb.gz": goroutineCorners(),
	} {
		if err := p.CheckValid(); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := p.Write(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	for name, s := range map[string]string{
		"sampled_1700000000.heap.txt": legacySampled,
		"alllive_1700000000.heap.txt": legacyAllLive,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o666); err != nil {
			return err
		}
	}
	return nil
}

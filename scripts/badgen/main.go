// SPDX-License-Identifier: Apache-2.0
// Command badgen writes leaky's crafted bad inputs (tests/fixtures/bad/):
// small profiles that each break one rule of the pprof format, so that the
// CLI tests can check that every rule is enforced with a clear message.
// Run it through scripts/make-bad-fixtures.sh.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// enc is a minimal protobuf encoder: just what profile.proto needs.
type enc struct{ b []byte }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}

func (e *enc) key(field, wire int) { e.varint(uint64(field<<3 | wire)) }

func (e *enc) uint(field int, v uint64) {
	e.key(field, 0)
	e.varint(v)
}

func (e *enc) bytes(field int, p []byte) {
	e.key(field, 2)
	e.varint(uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *enc) msg(field int, f func(*enc)) {
	var sub enc
	f(&sub)
	e.bytes(field, sub.b)
}

// prof describes a tiny heap-like profile; each field can be bent.
type prof struct {
	strings     []string
	types       [][2]uint64 // (type, unit) string indexes
	functions   [][2]uint64 // (id, name)
	locations   [][2]uint64 // (id, function id)
	samples     []sample
	timeNanos   []uint64 // more than one = two profiles appended
	emptySample int      // extra tiny samples (memory amplification)
	unknown     []int    // unknown field numbers a newer producer adds
}

type sample struct {
	locs   []uint64
	values []int64
}

func good() prof {
	return prof{
		strings:   []string{"", "inuse_space", "bytes", "main.leak", "main.main"},
		types:     [][2]uint64{{1, 2}},
		functions: [][2]uint64{{1, 3}, {2, 4}},
		locations: [][2]uint64{{1, 1}, {2, 2}},
		samples:   []sample{{[]uint64{1, 2}, []int64{4096}}},
		timeNanos: []uint64{1700000000000000000},
	}
}

func (p prof) encode() []byte {
	var e enc
	for _, t := range p.types {
		e.msg(1, func(m *enc) { m.uint(1, t[0]); m.uint(2, t[1]) })
	}
	for _, s := range p.samples {
		e.msg(2, func(m *enc) {
			for _, l := range s.locs {
				m.uint(1, l)
			}
			for _, v := range s.values {
				m.uint(2, uint64(v))
			}
		})
	}
	for _, l := range p.locations {
		e.msg(4, func(m *enc) {
			m.uint(1, l[0])
			m.msg(4, func(ln *enc) { ln.uint(1, l[1]); ln.uint(2, 42) })
		})
	}
	for _, f := range p.functions {
		e.msg(5, func(m *enc) { m.uint(1, f[0]); m.uint(2, f[1]) })
	}
	for _, s := range p.strings {
		e.bytes(6, []byte(s))
	}
	for _, t := range p.timeNanos {
		e.uint(9, t)
	}
	// Small valid samples that protobuf-c turns into large structs.
	for i := 0; i < p.emptySample; i++ {
		e.bytes(2, []byte{0x08, 0x01, 0x10, 0x01})
	}
	for _, u := range p.unknown {
		e.uint(u, 7)
		e.bytes(u+1, []byte("future"))
	}
	return e.b
}

func gz(p []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: badgen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	files := map[string][]byte{}
	put := func(name string, b []byte) { files[name] = b }

	okp := good()
	put("good_1700000000.heap.pb.gz", gz(okp.encode()))
	put("empty.pb.gz", nil)
	put("notgzip.pb.gz", []byte("this is a note, not a profile\n"))
	whole := gz(okp.encode())
	put("truncated.pb.gz", whole[:len(whole)-12])
	corrupt := append([]byte(nil), whole...)
	for i := 12; i < 20 && i < len(corrupt)-8; i++ {
		corrupt[i] ^= 0x5a
	}
	put("corrupt.pb.gz", corrupt)
	put("trailing.pb.gz", append(append([]byte(nil), whole...), []byte("GARBAGE")...))
	put("concat.pb.gz", append(append([]byte(nil), whole...), whole...))
	put("concat-raw.pb.gz", gz(append(okp.encode(), okp.encode()...)))
	put("bomb.pb.gz", gz(make([]byte, 8<<20)))

	p := good()
	p.emptySample = 1 << 20
	put("amplify.pb.gz", gz(p.encode()))

	p = good()
	p.unknown = []int{16, 99, 1000}
	p.timeNanos = []uint64{1700000200000000000}
	put("unknown-fields_1700000200.heap.pb.gz", gz(p.encode()))

	p = good()
	p.types = [][2]uint64{{9, 2}}
	put("strindex.pb.gz", gz(p.encode()))

	p = good()
	p.strings[0] = "x"
	put("str0.pb.gz", gz(p.encode()))

	p = good()
	p.samples[0].locs = []uint64{1, 7}
	put("dangling-loc.pb.gz", gz(p.encode()))

	p = good()
	p.locations[1][1] = 9
	put("dangling-func.pb.gz", gz(p.encode()))

	p = good()
	p.functions[1][0] = 1
	put("dup-func.pb.gz", gz(p.encode()))

	p = good()
	p.locations[0][0] = 0
	p.samples[0].locs = []uint64{2}
	put("zero-id.pb.gz", gz(p.encode()))

	p = good()
	p.samples[0].values = []int64{1, 2}
	put("values.pb.gz", gz(p.encode()))

	p = good()
	p.types = nil
	put("notypes.pb.gz", gz(p.encode()))

	p = good()
	p.strings = append(p.strings, "samples", "count")
	p.types = [][2]uint64{{5, 6}}
	put("othertypes_1700000100.pb.gz", gz(p.encode()))

	// Values whose sum does not fit in 64 bits.
	p = good()
	p.samples = append(p.samples, sample{[]uint64{2}, []int64{math.MaxInt64}})
	put("overflow.pb.gz", gz(p.encode()))
	put("overflow.heap.txt", []byte("heap profile: 2: 2 [2: 2] @ heap/1048576\n"+
		"1: 9223372036854775807 [1: 9223372036854775807] @ 0x1\n"+
		"1: 9223372036854775807 [1: 9223372036854775807] @ 0x2\n"+
		"\n# runtime.MemStats\n# DebugGC = false\n"))
	put("badline.heap.txt", []byte("heap profile: 1: 4096 [1: 4096] @ heap/1048576\n"+
		"1: 4096 [1: 4096] @ 0x1\n#\t0x1\tmain.f+0x1\t/src/f.go:3\n\nwhat is this\n"))
	put("goroutine1.txt", []byte("goroutine profile: total 1\n1 @ 0x1\n#\t0x1\tmain.f+0x1\t/src/f.go:3\n\n"))
	put("page.html", []byte("<!DOCTYPE html>\n<html><body>404 page not found</body></html>\n"))

	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
// The zoo scenario: many distinct, oddly named functions keep memory live
// (methods, closures, generics, recursion, inlining, unicode names, several
// size classes) and many kinds of goroutines wait, so that decoders meet
// every naming quirk of Go profiles.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// zooCopies instances of each species stay live, so that every site shows
// in a sampled heap profile even at rates well above 1; a tick rebuilds one
// instance, so in-use memory stays flat while alloc_* grows.
const zooCopies = 4

var zooSlots struct {
	sync.Mutex
	v [][zooCopies]any
}

func zooKeep(n int, v any) {
	zooSlots.Lock()
	zooSlots.v[n%len(species)][n/len(species)%zooCopies] = v
	zooSlots.Unlock()
}

// initTable is allocated by the package initializer: main.init.N.
var initTable [][]byte

func init() {
	for i := 0; i < 4; i++ {
		initTable = append(initTable, make([]byte, 1024))
	}
}

// A package-level function literal: Go names it main.glob..func1.
var globalMaker = func(n int) []byte {
	b := make([]byte, n)
	fill(b)
	return b
}

// ---- methods on pointer and value receivers, method values, interfaces.

type keeper struct {
	meals [][]byte
}

// feed has a pointer receiver: main.(*keeper).feed.
func (k *keeper) feed(n, size int) {
	for i := 0; i < n; i++ {
		k.meals = append(k.meals, make([]byte, size))
	}
}

type pen struct {
	width, depth int
}

// build has a value receiver: main.pen.build.
func (p pen) build() [][]int {
	rows := make([][]int, p.depth)
	for i := range rows {
		rows[i] = make([]int, p.width)
	}
	return rows
}

type shaper interface {
	area() []float64
}

type circle struct{ r int }

func (c *circle) area() []float64 { return make([]float64, c.r*c.r) }

type square struct{ s int }

func (s square) area() []float64 { return make([]float64, 4*s.s) }

// ---- generics: Go 1.19 shows instances as main.Map[...].

// Map is a generic function.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// Stack is a generic type with a pointer-receiver method.
type Stack[T any] struct {
	items []T
}

func (s *Stack[T]) Push(v T) {
	s.items = append(s.items, v)
}

// Pair is a generic type with a value-receiver method.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func (p Pair[K, V]) Index(n int) map[K]V {
	m := make(map[K]V, n)
	m[p.Key] = p.Val
	return m
}

// ---- recursion, direct and mutual; each level allocates.

func recurse(depth int) [][]byte {
	here := make([]byte, 48)
	if depth == 0 {
		return [][]byte{here, make([]byte, 4096)}
	}
	return append(recurse(depth-1), here)
}

func ping(depth int, acc [][]byte) [][]byte {
	acc = append(acc, make([]byte, 112))
	if depth == 0 {
		return acc
	}
	return pong(depth-1, acc)
}

func pong(depth int, acc [][]byte) [][]byte {
	acc = append(acc, make([]byte, 208))
	if depth == 0 {
		return acc
	}
	return ping(depth-1, acc)
}

// ---- inlining: small helpers the compiler inlines into their callers, so
// one location carries several lines.

func smallBuf(n int) []byte { return make([]byte, n) }

func label(i int) string { return "item-" + strconv.Itoa(i) }

func inlineCallerA() [][]byte {
	var out [][]byte
	for i := 0; i < 64; i++ {
		out = append(out, smallBuf(24))
	}
	return out
}

func inlineCallerB() []string {
	var out []string
	for i := 0; i < 64; i++ {
		out = append(out, label(i))
	}
	return out
}

// ---- unicode names.

func größe(n int) []byte {
	b := make([]byte, n)
	fill(b)
	return b
}

type Ωmega struct{ parts [][]byte }

func (o *Ωmega) wachsen(n int) {
	o.parts = append(o.parts, make([]byte, n))
}

// ---- size classes, from tiny to large (> 32 KiB) objects.

func tinyObjects() []*int64 {
	out := make([]*int64, 128)
	for i := range out {
		out[i] = new(int64)
	}
	return out
}

func bigBlock() []byte {
	b := make([]byte, 40000)
	fill(b)
	return b
}

func hugeBlock() []byte {
	b := make([]byte, 1<<20)
	fill(b)
	return b
}

// exactMax is exactly the largest small-object size class.
func exactMax() []byte { return make([]byte, 32768) }

// ---- closures, nested closures, deferred closures.

func zooClosures() [][]byte {
	var out [][]byte
	mk := func(n int) []byte { // main.zooClosures.func1
		return make([]byte, n)
	}
	twice := func(n int) [][]byte { // main.zooClosures.func2
		inner := func() []byte { // main.zooClosures.func2.1
			return make([]byte, 2*n)
		}
		return [][]byte{inner(), inner()}
	}
	for i := 0; i < 8; i++ {
		out = append(out, mk(640))
	}
	out = append(out, twice(800)...)
	return out
}

func withDefer() (out []byte) {
	defer func() { // main.withDefer.func1
		out = append(out, make([]byte, 3000)...)
	}()
	return make([]byte, 10)
}

// species builds slot i's inhabitants; each entry is a different site.
var species = []func() any{
	func() any { k := &keeper{}; k.feed(32, 48); return k },
	func() any { return pen{width: 100, depth: 10}.build() },
	func() any { k := &keeper{}; f := k.feed; f(8, 320); return k },
	func() any { var s shaper = &circle{r: 20}; return s.area() },
	func() any { var s shaper = square{s: 300}; return s.area() },
	func() any {
		return Map([]int{1, 2, 3, 4, 5, 6, 7, 8}, func(i int) string {
			return strings.Repeat("x", 100*i)
		})
	},
	func() any {
		return Map([]string{"a", "bb", "ccc"}, func(s string) []byte {
			return []byte(strings.Repeat(s, 300))
		})
	},
	func() any {
		s := &Stack[[]byte]{}
		for i := 0; i < 100; i++ {
			s.Push(make([]byte, 16))
		}
		return s
	},
	func() any {
		s := &Stack[float64]{}
		for i := 0; i < 1000; i++ {
			s.Push(float64(i))
		}
		return s
	},
	func() any { return Pair[string, int]{"k", 1}.Index(200) },
	func() any { return recurse(6) },
	func() any { return ping(7, nil) },
	func() any { return inlineCallerA() },
	func() any { return inlineCallerB() },
	func() any { return größe(5000) },
	func() any { o := &Ωmega{}; o.wachsen(777); o.wachsen(1500); return o },
	func() any { return tinyObjects() },
	func() any { return [][]byte{bigBlock(), bigBlock(), bigBlock()} },
	func() any { return hugeBlock() },
	func() any { return exactMax() },
	func() any { return zooClosures() },
	func() any { return withDefer() },
	func() any { return globalMaker(9000) },
}

func setupZoo(config) func(int) {
	zooSlots.v = make([][zooCopies]any, len(species))
	for n := 0; n < zooCopies*len(species); n++ {
		zooKeep(n, species[n%len(species)]())
	}
	startZooGoroutines()
	return func(n int) {
		zooKeep(n, species[n%len(species)]())
	}
}

// ---- goroutines in many states, for goroutine?debug=1/2 fixtures.

func (k *keeper) wait(ch chan struct{}) { <-ch }

func waitFor[T any](ch chan T) T { return <-ch }

// deep recurses past the traceback's 100-frame limit, then blocks. The
// runtime frames under the channel receive are hidden but count against the
// limit, so debug=2 shows 97 frames and no elision marker.
func deep(n int, ch chan struct{}) int {
	if n == 0 {
		<-ch
		return 0
	}
	return deep(n-1, ch) + 1
}

// deepSyscall recurses, then blocks in read(2) on a blocking pipe: every
// frame is printed, so debug=2 shows "...additional frames elided...".
func deepSyscall(n int, fd int) int {
	if n == 0 {
		// syscall.Syscall directly: Go 1.19 prints the marker only when
		// exactly 100 frames were printed, and the inlined syscall.Read
		// frame would make it 101.
		var buf [1]byte
		syscall.Syscall(syscall.SYS_READ, uintptr(fd),
			uintptr(unsafe.Pointer(&buf[0])), 1)
		return 0
	}
	return deepSyscall(n-1, fd) + 1
}

// Stack's wait is a generic method run as a goroutine.
func (s *Stack[T]) wait(ch chan T) { s.Push(<-ch) }

func schlafen() { time.Sleep(24 * time.Hour) }

func startZooGoroutines() {
	never := make(chan struct{})
	ints := make(chan int)
	keep(never)
	keep(ints)
	k := &keeper{}

	go k.wait(never)                        // method in a go statement
	go waitFor(make(chan string))           // generic function
	go (&Stack[int]{}).wait(make(chan int)) // generic method
	go func() { select {} }()               // select (no cases)
	go func() { ints <- 1 }()               // chan send
	go deep(150, never)                     // 97 frames
	var p [2]int
	if err := syscall.Pipe(p[:]); err == nil { // syscall, frames elided
		go deepSyscall(150, p[0])
	}
	go schlafen() // sleep
	go func() {   // locked to thread
		runtime.LockOSThread()
		<-never
	}()

	var wg sync.WaitGroup // semacquire
	wg.Add(1)
	keep(&wg)
	go func() { wg.Wait() }()

	var mu sync.Mutex // sync.Cond.Wait
	cond := sync.NewCond(&mu)
	keep(cond)
	go func() {
		mu.Lock()
		cond.Wait()
		mu.Unlock()
	}()

	if r, w, err := os.Pipe(); err == nil { // IO wait
		keep(r)
		keep(w)
		go func() {
			buf := make([]byte, 1)
			r.Read(buf)
		}()
	}

	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("route", "/zoo", "species", "größe"), func(context.Context) {
		for i := 0; i < 3; i++ {
			go func() { größe(10); <-never }()
		}
	})
}

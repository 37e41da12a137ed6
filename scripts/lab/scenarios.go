// SPDX-License-Identifier: Apache-2.0
// The scenarios: each sets up its state and returns the step its background
// ticker runs, so that profiles change over time without outside load.
package main

import (
	"context"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
)

type config struct {
	warmup int // warmup: ticks spent filling the bounded cache
	stacks int // manystacks: distinct allocation stacks to keep live
}

type scenario struct {
	// setup runs before the lab listens and returns the per-tick step,
	// or nil when the scenario has nothing to do on ticks.
	setup func(cfg config) func(n int)
}

var scenarios = map[string]scenario{
	"healthy":        {nil},
	"leak":           {setupLeak},
	"goroutine-leak": {setupGoroutineLeak},
	"oscillate":      {setupOscillate},
	"warmup":         {setupWarmup},
	"zoo":            {setupZoo},
	"manystacks":     {setupManyStacks},
	"fdleak":         {setupFdLeak},
}

func scenarioNames() []string {
	var names []string
	for name := range scenarios {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// sink keeps values reachable so the compiler cannot drop the allocations.
var sink struct {
	sync.Mutex
	v []any
}

func keep(v any) {
	sink.Lock()
	sink.v = append(sink.v, v)
	sink.Unlock()
}

// fill writes to every page so the memory counts in RSS too.
func fill(b []byte) {
	for i := 0; i < len(b); i += 512 {
		b[i] = byte(i >> 9)
	}
}

// ---- leak: a cache that never evicts, plus /ingest keeping every body.

const (
	leakPerTick = 16   // cache entries added per tick
	leakSize    = 2048 // bytes per cache entry
)

type cache struct {
	mu      sync.Mutex
	entries map[string][]byte
	next    int
}

// put stores a fresh value under key and never evicts anything.
func (c *cache) put(key string, size int) {
	v := make([]byte, size)
	fill(v)
	c.mu.Lock()
	c.entries[key] = v
	c.mu.Unlock()
}

// grow adds one tick's worth of sessions.
func (c *cache) grow() {
	for i := 0; i < leakPerTick; i++ {
		key := "session-" + strconv.Itoa(c.next)
		c.next++
		c.put(key, leakSize)
	}
}

func setupLeak(config) func(int) {
	c := &cache{entries: make(map[string][]byte)}
	keep(c)
	return func(int) { c.grow() }
}

// ingestLog is the buffer behind POST /ingest in the leak scenario: it only
// ever grows.
type ingestLog struct {
	mu  sync.Mutex
	buf []byte
	n   int
}

func (l *ingestLog) append(body []byte) {
	l.mu.Lock()
	l.buf = append(l.buf, body...)
	l.n++
	l.mu.Unlock()
}

// ---- goroutine-leak: goroutines that block forever, in several ways.

type stuck struct {
	never chan struct{} // nobody ever sends or closes
	full  chan int      // nobody ever receives
	held  sync.Mutex    // locked once, never unlocked
}

// leakyWorker waits for a job that never comes.
func leakyWorker(s *stuck) {
	<-s.never
}

// leakySelect waits on two channels, neither of which ever fires.
func leakySelect(s *stuck, done <-chan struct{}) {
	select {
	case <-s.never:
	case <-done:
	}
}

// leakyLocker waits for a mutex its owner never releases.
func leakyLocker(s *stuck) {
	s.held.Lock()
	s.held.Unlock()
}

// leakySender pushes a result nobody reads.
func leakySender(s *stuck, v int) {
	s.full <- v
}

func setupGoroutineLeak(config) func(int) {
	s := &stuck{never: make(chan struct{}), full: make(chan int)}
	s.held.Lock()
	keep(s)
	ctx := context.Background()
	return func(n int) {
		go leakyWorker(s)
		pprof.Do(ctx, pprof.Labels("route", "/upload"), func(context.Context) {
			go leakySelect(s, nil)
		})
		if n%2 == 0 {
			go leakyLocker(s)
		}
		if n%3 == 0 {
			labels := pprof.Labels("route", "/download", "tenant", "t"+strconv.Itoa(n%2))
			pprof.Do(ctx, labels, func(context.Context) {
				go leakyWorker(s)
				go leakySender(s, n)
			})
		}
	}
}

// ---- oscillate: healthy sawtooth; batches live a few ticks, then go.

type oscillator struct {
	batches [][]byte
}

// grow allocates one batch of 64 × 4 KiB.
func (o *oscillator) grow() {
	for i := 0; i < 64; i++ {
		b := make([]byte, 4096)
		fill(b)
		o.batches = append(o.batches, b)
	}
}

func (o *oscillator) release() {
	o.batches = nil
}

func setupOscillate(config) func(int) {
	o := &oscillator{}
	return func(n int) {
		// Period of 7 ticks: grow for 4, hold for 2, drop on the 7th.
		switch p := n % 7; {
		case p < 4:
			o.grow()
		case p == 6:
			o.release()
		}
	}
}

// ---- warmup: a bounded cache fills during the first ticks, then stays flat
// while entries are replaced (alloc keeps growing, inuse does not).

type boundedCache struct {
	cap  int
	keys []string
	m    map[string][]byte
	next int
}

// admit inserts a value, evicting the oldest entry once full.
func (b *boundedCache) admit(size int) {
	key := "warm-" + strconv.Itoa(b.next)
	b.next++
	if len(b.keys) >= b.cap {
		delete(b.m, b.keys[0])
		b.keys = append(b.keys[:0], b.keys[1:]...)
	}
	v := make([]byte, size)
	fill(v)
	b.m[key] = v
	b.keys = append(b.keys, key)
}

func setupWarmup(cfg config) func(int) {
	const perTick = 32
	b := &boundedCache{cap: cfg.warmup * perTick}
	b.m = make(map[string][]byte, b.cap)
	b.keys = make([]string, 0, b.cap)
	keep(b)
	return func(n int) {
		k := 2
		if n < cfg.warmup {
			k = perTick
		}
		for i := 0; i < k && b.cap > 0; i++ {
			b.admit(1024)
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
// Pieces the newer scenarios share: the chain that a leak keeps its buffers
// in, a service's ordinary churn, and irregular churn in batches. Whatever
// a scenario's culprit allocates, it allocates itself, so that the profiles
// charge it to that function and not to these.
package main

import "math/rand"

// chain keeps every link it is given, newest first, and never lets one go:
// a chain rather than a map, so that nothing it holds is ever freed (a
// growing map frees its old buckets, which pprof charges to the function
// that inserts) and a leak's in-use bytes only ever rise.
type chain struct {
	newest *link
	n      int
}

type link struct {
	data []byte
	prev *link
}

// add keeps l; the caller allocated it and its data.
func (c *chain) add(l *link) {
	l.prev = c.newest
	c.newest = l
	c.n++
}

const (
	recentKeep   = 128  // requests the ring keeps
	requestSize  = 2048 // bytes per request buffer: 256 KiB live
	requestsTick = 8    // requests served per tick
)

// recentRequests is a service's ordinary churn: the ring of the last
// recentKeep request buffers, replaced all the time.
type recentRequests struct {
	ring [][]byte
	next int
}

func newRecentRequests() *recentRequests {
	r := &recentRequests{ring: make([][]byte, recentKeep)}
	keep(r)
	return r
}

// serve handles one tick's requests: each buffer replaces the oldest one in
// the ring, and a scratch buffer per request is garbage at once.
func (r *recentRequests) serve() {
	for i := 0; i < requestsTick; i++ {
		b := make([]byte, requestSize)
		fill(b)
		scratch := make([]byte, requestSize)
		fill(scratch)
		r.ring[r.next] = b
		r.next = (r.next + 1) % len(r.ring)
	}
}

// batches is irregular churn: batches of bufs buffers of size bytes, held
// for a while and let go of in bulk, at most max at a time. Each tick draws
// a number below 20 from a fixed seed (so that every run churns the same
// way): below one it holds one more batch, below two two more, below drop
// it lets go of some of the oldest, else of all of them.
type batches struct {
	rng             *rand.Rand
	bufs, size, max int
	one, two, drop  int
	held            [][][]byte
}

func newBatches(seed int64, bufs, size, max, one, two, drop int) *batches {
	b := &batches{rng: rand.New(rand.NewSource(seed)), bufs: bufs,
		size: size, max: max, one: one, two: two, drop: drop}
	keep(b)
	return b
}

// hold holds one more batch.
func (b *batches) hold() {
	batch := make([][]byte, b.bufs)
	for i := range batch {
		batch[i] = make([]byte, b.size)
		fill(batch[i])
	}
	b.held = append(b.held, batch)
}

// release lets go of the oldest n batches.
func (b *batches) release(n int) {
	if n > len(b.held) {
		n = len(b.held)
	}
	rest := make([][][]byte, len(b.held)-n)
	copy(rest, b.held[n:])
	b.held = rest
}

// churn is one tick's draw.
func (b *batches) churn() {
	switch r := b.rng.Intn(20); {
	case r < b.one:
		b.hold()
	case r < b.two:
		b.hold()
		b.hold()
	case r < b.drop:
		b.release(1 + b.rng.Intn(len(b.held)+1))
	default:
		b.release(len(b.held))
	}
	if len(b.held) > b.max {
		b.release(len(b.held) - b.max)
	}
}

// SPDX-License-Identifier: Apache-2.0
// The slow-leak-noise scenario: a small, steady leak hidden under much
// larger, irregular churn, so that a report must look past the noise in the
// totals and still name the leaking function.
package main

import (
	"math/rand"
	"sync"
)

const (
	sessionsPerTick = 16  // sessions leaked per tick
	sessionSize     = 256 // bytes per session: 4 KiB leaked per tick
	noiseBufs       = 10  // buffers per noise batch
	noiseBufSize    = 4096
	noiseMaxBatches = 24   // live batches at most (about 1 MiB)
	noiseSeed       = 1848 // fixed, so that every run churns the same way
)

type session struct {
	id    int
	state []byte
	prev  *session
}

// sessionStore keeps every session it is given and never expires one. It
// chains them rather than mapping them, so that nothing it allocates is
// ever freed (a growing map frees its old buckets): the leak's in-use
// memory only ever rises.
type sessionStore struct {
	mu     sync.Mutex
	newest *session
	n      int
}

// add stores a fresh session of size bytes: this is the leak.
func (s *sessionStore) add(size int) {
	v := &session{state: make([]byte, size)}
	fill(v.state)
	s.mu.Lock()
	v.id = s.n
	v.prev = s.newest
	s.newest = v
	s.n++
	s.mu.Unlock()
}

// batchBuffers is the noise: request-sized buffers allocated in batches
// ten times the leak's step and let go of irregularly.
type batchBuffers struct {
	rng     *rand.Rand
	batches [][][]byte
}

// alloc holds one more batch of buffers.
func (b *batchBuffers) alloc() {
	batch := make([][]byte, noiseBufs)
	for i := range batch {
		batch[i] = make([]byte, noiseBufSize)
		fill(batch[i])
	}
	b.batches = append(b.batches, batch)
}

// drop lets go of the oldest n batches.
func (b *batchBuffers) drop(n int) {
	if n > len(b.batches) {
		n = len(b.batches)
	}
	rest := make([][][]byte, len(b.batches)-n)
	copy(rest, b.batches[n:])
	b.batches = rest
}

// churn draws what this tick does with the noise: mostly grow by one to
// three batches, sometimes drop some or all of them.
func (b *batchBuffers) churn() {
	switch r := b.rng.Intn(20); {
	case r < 8:
		b.alloc()
	case r < 12:
		b.alloc()
		b.alloc()
	case r < 14:
		b.alloc()
		b.alloc()
		b.alloc()
	case r < 17:
		b.drop(1 + b.rng.Intn(len(b.batches)+1))
	default:
		b.drop(len(b.batches))
	}
	if len(b.batches) > noiseMaxBatches {
		b.drop(len(b.batches) - noiseMaxBatches)
	}
}

// Registered here rather than in the table in scenarios.go, so that the
// line numbers of the older scenarios (named in existing fixtures) stay put.
func init() { scenarios["slow-leak-noise"] = scenario{setupSlowLeakNoise} }

func setupSlowLeakNoise(config) func(int) {
	s := &sessionStore{}
	b := &batchBuffers{rng: rand.New(rand.NewSource(noiseSeed))}
	keep(s)
	keep(b)
	return func(int) {
		for i := 0; i < sessionsPerTick; i++ {
			s.add(sessionSize)
		}
		b.churn()
	}
}

// SPDX-License-Identifier: Apache-2.0
// The two-samples scenario, for the lab at Go's default MemProfileRate
// (512 KiB): a small bounded cache gains one 96 KiB entry every 2 s until it
// holds 7 (672 KiB at most, then full). A heap profile samples about one
// allocation per 512 KiB and scales each sample up to about 512 KiB, so the
// cache's in-use bytes move in whole samples: a few hundred KiB show as 0,
// 0.5, 1 or 1.5 MiB, by chance.
package main

const (
	hintSize  = 96 * 1024
	hintCap   = 7
	hintEvery = 20 // ticks: 2 s
	hintFirst = 5
)

// hintCache keeps up to hintCap hints and then no more.
type hintCache struct {
	hints [][]byte
}

// remember keeps one more hint while there is room.
func (h *hintCache) remember() {
	if len(h.hints) >= hintCap {
		return
	}
	b := make([]byte, hintSize)
	fill(b)
	h.hints = append(h.hints, b)
}

func init() { scenarios["two-samples"] = scenario{setupTwoSamples} }

func setupTwoSamples(config) func(int) {
	h := &hintCache{hints: make([][]byte, 0, hintCap)}
	keep(h)
	r := newRecentRequests()
	return func(n int) {
		if n%hintEvery == hintFirst {
			h.remember()
		}
		r.serve()
	}
}

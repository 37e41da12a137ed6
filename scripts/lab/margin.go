// SPDX-License-Identifier: Apache-2.0
// The margin scenario: irregular churn whose batches slowly get bigger, so
// that the heap grows a little under noise about as large: whether its
// trend is significant depends on a snapshot or two, a borderline series.
// The growth is in the noisy function itself, so that its own series is as
// borderline as the total.
package main

const (
	marginBufs      = 8  // buffers per batch at first (of 8 KiB)
	marginGrowEvery = 10 // ticks: one buffer more per batch a second
)

func init() { scenarios["margin"] = scenario{setupMargin} }

func setupMargin(config) func(int) {
	// 1.5 MiB at most at first. The seed was chosen for a trend whose
	// Mann-Kendall p is near 0.05 over 14 snapshots.
	p := newBatches(1, marginBufs, 8192, 24, 9, 13, 17)
	return func(n int) {
		p.bufs = marginBufs + n/marginGrowEvery
		p.churn()
	}
}

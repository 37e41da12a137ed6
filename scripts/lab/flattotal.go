// SPDX-License-Identifier: Apache-2.0
// The flat-total-leak scenario: a slow, steady leak in one function under
// a much larger churn of other allocations, so that the heap's total goes
// up and down with no trend while the leaking function's own bytes rise at
// nearly every snapshot.
package main

const (
	auditPerTick = 24  // entries leaked per tick
	auditSize    = 256 // bytes per entry: 6 KiB a tick
)

// auditTrail keeps every entry and never drops one.
type auditTrail struct{ chain }

// record keeps one more entry: this is the leak.
func (a *auditTrail) record(size int) {
	b := make([]byte, size)
	fill(b)
	a.add(&link{data: b})
}

func init() { scenarios["flat-total-leak"] = scenario{setupFlatTotalLeak} }

func setupFlatTotalLeak(config) func(int) {
	a := &auditTrail{}
	keep(a)
	// Batches of 32 x 16 KiB (512 KiB), 8 MiB at most: the heap's total
	// swings by megabytes. The seed was chosen for a total with no trend
	// over the fixture's 21 snapshots.
	f := newBatches(1912, 32, 16384, 16, 9, 14, 18)
	return func(int) {
		for i := 0; i < auditPerTick; i++ {
			a.record(auditSize)
		}
		f.churn()
	}
}

// SPDX-License-Identifier: Apache-2.0
// The staircase scenario: a leak in bursts. Every few seconds a spool keeps
// a burst of records and never lets any go; between bursts nothing grows.
package main

const (
	burstRecords = 192  // records per burst
	burstSize    = 4096 // bytes per record: 768 KiB a burst
	// A burst every 3 s, the first 1.5 s after the ticker starts: always
	// half-way between two of the fixtures' snapshots.
	burstEvery = 30
	burstFirst = 14
)

// spool keeps every record it is given.
type spool struct{ chain }

// burst keeps k more records: this is the leak.
func (s *spool) burst(k int) {
	for i := 0; i < k; i++ {
		b := make([]byte, burstSize)
		fill(b)
		s.add(&link{data: b})
	}
}

func init() { scenarios["staircase"] = scenario{setupStaircase} }

func setupStaircase(config) func(int) {
	s := &spool{}
	keep(s)
	r := newRecentRequests()
	return func(n int) {
		if n%burstEvery == burstFirst {
			s.burst(burstRecords)
		}
		r.serve()
	}
}

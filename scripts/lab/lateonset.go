// SPDX-License-Identifier: Apache-2.0
// The late-onset scenario: a healthy service (ordinary churn, flat heap)
// until a retry queue starts keeping every failed request and never drains:
// a leak that started an hour ago, the second half of the series.
package main

const (
	retryStart   = 105 // the tick the leak starts at: 10.6 s
	retryPerTick = 8   // requests kept per tick
	retrySize    = 2048
)

// retryQueue keeps what it is given and is never drained.
type retryQueue struct{ chain }

// push queues one failed request: this is the leak.
func (q *retryQueue) push(size int) {
	b := make([]byte, size)
	fill(b)
	q.add(&link{data: b})
}

func init() { scenarios["late-onset"] = scenario{setupLateOnset} }

func setupLateOnset(config) func(int) {
	q := &retryQueue{}
	keep(q)
	r := newRecentRequests()
	return func(n int) {
		r.serve()
		if n < retryStart {
			return
		}
		for i := 0; i < retryPerTick; i++ {
			q.push(retrySize)
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
// The step scenario: a service whose routing table is reloaded once into a
// table four times as big, then stays as it is. Its heap steps up once and
// is flat before and after: growth, but not a leak.
package main

import "sync"

const (
	stepRowSize   = 4096
	stepRowsFirst = 256  // the table at start: 1 MiB
	stepRowsAfter = 1024 // after the reload: 4 MiB
	// The reload's tick: 6.5 s after the ticker starts, between the
	// fixtures' snapshots 6 and 7 (one a second from 1 s).
	stepTick = 64
)

// routeTable is the table the service answers from.
type routeTable struct {
	mu   sync.Mutex
	rows [][]byte
}

// reload builds a table of n rows and swaps it in: the old one is garbage.
func (t *routeTable) reload(n int) {
	rows := make([][]byte, n)
	for i := range rows {
		rows[i] = make([]byte, stepRowSize)
		fill(rows[i])
	}
	t.mu.Lock()
	t.rows = rows
	t.mu.Unlock()
}

func init() { scenarios["step"] = scenario{setupStep} }

func setupStep(config) func(int) {
	t := &routeTable{}
	keep(t)
	t.reload(stepRowsFirst)
	r := newRecentRequests()
	return func(n int) {
		if n == stepTick {
			t.reload(stepRowsAfter)
		}
		r.serve()
	}
}

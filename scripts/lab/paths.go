// SPDX-License-Identifier: Apache-2.0
// The paths scenario: one leaking function, main.(*auditLog).record,
// reached by several call paths at different rates, so that the report
// can name each path with its share of the growth. On each tick a batch
// is settled (six records through placeOrder, which the compiler inlines)
// and refunds are booked (three records); each POST /order settles one
// order through an HTTP handler, under net/http's frames.
package main

import (
	"net/http"
	"sync"
)

const auditEntry = 1024 // bytes kept per record

// auditLog keeps every entry and never drops one.
type auditLog struct {
	mu sync.Mutex
	chain
}

// record keeps one more entry: this is the leak.
//
//go:noinline
func (a *auditLog) record(size int) {
	b := make([]byte, size)
	fill(b)
	a.mu.Lock()
	a.add(&link{data: b})
	a.mu.Unlock()
}

// placeOrder is small enough to be inlined into its callers: pprof shows
// it as an inlined frame.
func placeOrder(a *auditLog) { a.record(auditEntry) }

//go:noinline
func settleBatch(a *auditLog) {
	for i := 0; i < 6; i++ {
		placeOrder(a)
	}
}

//go:noinline
func bookRefunds(a *auditLog) {
	for i := 0; i < 3; i++ {
		a.record(auditEntry)
	}
}

// handleOrder settles one order per POST /order.
func handleOrder(a *auditLog, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	placeOrder(a)
	w.WriteHeader(http.StatusNoContent)
}

func init() { scenarios["paths"] = scenario{setupPaths} }

func setupPaths(config) func(int) {
	a := &auditLog{}
	keep(a)
	extraRoutes["/order"] = func(w http.ResponseWriter, r *http.Request) {
		handleOrder(a, w, r)
	}
	return func(int) {
		settleBatch(a)
		bookRefunds(a)
	}
}

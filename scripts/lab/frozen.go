// SPDX-License-Identifier: Apache-2.0
// -frozen: the pprof endpoints answer each URL once from the runtime, then
// give that answer again. For the collector's bench, which plays a fleet
// with a few lab processes of a hundred ports each: one process's
// profiles hold the goroutines of all its ports' connections, and making
// them for every port's fetch kept the machine's two cores busy with the
// targets rather than the collector. Frozen, each port answers with the
// profiles of one small service, as a fleet's processes would, at the
// cost of a copy.
package main

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
)

// frozenAnswer is one URL's first answer.
type frozenAnswer struct {
	status int
	header http.Header
	body   []byte
}

// recorder keeps what a handler writes.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// frozen serves /debug/pprof/ URLs from their first answer; the rest goes
// to next as it comes.
func frozen(next http.Handler) http.Handler {
	var mu sync.Mutex
	answers := map[string]*frozenAnswer{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet ||
			!strings.HasPrefix(r.URL.Path, "/debug/pprof/") {
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.RequestURI()
		mu.Lock()
		a := answers[key]
		if a == nil {
			rec := &recorder{header: http.Header{}}
			next.ServeHTTP(rec, r)
			a = &frozenAnswer{status: rec.status, header: rec.header,
				body: rec.body.Bytes()}
			answers[key] = a
		}
		mu.Unlock()
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.status)
		w.Write(a.body)
	})
}

// SPDX-License-Identifier: Apache-2.0
// The connleak scenario: an HTTP client whose response bodies are never
// closed, the classic connection leak. Each request keeps its connection
// busy, so the next one dials a new one: a socket on each side (both in
// this process) and the transport's goroutines (net/http.(*persistConn)
// readLoop and writeLoop, and the server's conn serve) pile up.
package main

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

func init() { scenarios["connleak"] = scenario{setupConnLeak} }

// connLeakEvery is the number of ticks between two leaked requests: at the
// default 100 ms tick, two connections a second.
const connLeakEvery = 5

// connLeakMax bounds the leak (two descriptors a connection) well below
// the usual limit of 1024 open files, so the lab keeps serving pprof.
const connLeakMax = 200

var leakedResponses struct {
	sync.Mutex
	r []*http.Response
}

// setupConnLeak starts a small server of its own on loopback and returns
// a step that GETs it every connLeakEvery ticks, keeping each response
// with its body unread and open.
func setupConnLeak(config) func(int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			// More than the transport buffers: the body stays unread.
			io.WriteString(w, string(make([]byte, 64<<10)))
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln)
	client := &http.Client{Transport: &http.Transport{}}
	url := "http://" + ln.Addr().String() + "/"
	return func(n int) {
		if n%connLeakEvery != 0 {
			return
		}
		leakedResponses.Lock()
		defer leakedResponses.Unlock()
		if len(leakedResponses.r) >= connLeakMax {
			return
		}
		resp, err := client.Get(url)
		if err != nil {
			return
		}
		leakedResponses.r = append(leakedResponses.r, resp)
	}
}

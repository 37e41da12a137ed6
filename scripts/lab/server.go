// SPDX-License-Identifier: Apache-2.0
// HTTP side of the lab: pprof on its own mux, plus the small API that leaky's
// load generator and tests drive.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/pprof"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxBody bounds request bodies read by /ingest and /echo.
const maxBody = 16 << 20

func newMux(keepIngest bool) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// The default registry holds the Go and process collectors, which
	// export what leaky report --prometheus reads (go_memstats_*,
	// go_goroutines, process_resident_memory_bytes, process_open_fds,
	// process_start_time_seconds).
	mux.Handle("/metrics", promhttp.Handler())

	var log *ingestLog
	if keepIngest {
		log = &ingestLog{}
	}
	mux.HandleFunc("/ingest", func(w http.ResponseWriter, r *http.Request) {
		handleIngest(w, r, log)
	})
	for path, h := range extraRoutes {
		mux.HandleFunc(path, h)
	}
	mux.HandleFunc("/echo", handleEcho)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/lab/pause", func(w http.ResponseWriter, r *http.Request) {
		setPaused(w, r, true)
	})
	mux.HandleFunc("/lab/resume", func(w http.ResponseWriter, r *http.Request) {
		setPaused(w, r, false)
	})
	return mux
}

// extraRoutes are a scenario's own endpoints, set by its setup, which runs
// before the mux is made.
var extraRoutes = map[string]http.HandlerFunc{}

// handleIngest accepts a body; in the leak scenario it keeps it forever.
func handleIngest(w http.ResponseWriter, r *http.Request, log *ingestLog) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if log != nil {
		log.append(body)
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleEcho answers with the request line, the headers as sorted
// "Name: value" lines, a blank line, and the body.
func handleEcho(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// HTTP/1.x: read the whole body before writing anything.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", r.Method, r.RequestURI, r.Proto)
	fmt.Fprintf(&b, "Host: %s\n", r.Host)
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			fmt.Fprintf(&b, "%s: %s\n", name, v)
		}
	}
	b.WriteString("\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, b.String())
	w.Write(body)
}

func setPaused(w http.ResponseWriter, r *http.Request, on bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	paused.Store(on)
	w.WriteHeader(http.StatusNoContent)
}

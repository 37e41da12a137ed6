// SPDX-License-Identifier: Apache-2.0
// Bodies that cost their reader more than their size: registered by
// bombRoutes in mux().
//
//	/bomb/...                  200 with a small gzip stream of -bomb zero
//	                           bytes (a gzip bomb); each one served is a
//	                           line "bomb served" on stdout
//	/bigheader/...             200 with a response header of -big-header
//	                           bytes, then a real profile
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

var (
	bombSize  = flag.Int64("bomb", 512<<20, "bytes /bomb/ inflates to")
	bigHeader = flag.Int("big-header", 200<<10, "bytes of /bigheader/'s header")
	bombOnce  sync.Once
	bombBody  []byte
)

// bomb returns the gzipped zeros, made at the first request.
func bomb() []byte {
	bombOnce.Do(func() {
		var b bytes.Buffer
		z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zeros := make([]byte, 1<<20)
		for left := *bombSize; left > 0; left -= int64(len(zeros)) {
			n := int64(len(zeros))
			if left < n {
				n = left
			}
			z.Write(zeros[:n])
		}
		z.Close()
		bombBody = b.Bytes()
	})
	return bombBody
}

func bombRoutes(m *http.ServeMux) {
	m.HandleFunc("/bomb/", func(w http.ResponseWriter, r *http.Request) {
		body := bomb()
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
		fmt.Println("bomb served")
	})
	m.HandleFunc("/bigheader/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", *bigHeader))
		w.Write(profile("heap", r))
	})
}

// SPDX-License-Identifier: Apache-2.0
// Truncated text dumps, for the collector's check that a body cut where Go
// never ends one is refused (a failed manifest row, nothing kept):
//
//	/trunc/WHERE/debug/pprof/NAME?debug=N
//
// serves this process's NAME profile (heap?debug=1, goroutine?debug=1 or
// 2) cut at WHERE, then closes the connection: the response has no
// Content-Length, so the body ends where the connection does and the HTTP
// exchange itself looks whole to the client, as when a proxy or the target
// gives up mid-write. WHERE is
//
//	frame      inside the first stack frame's line (a heap text's first
//	           '#' line, a dump's first file:line line)
//	header     inside the second goroutine's header ("goroutine 7 [chan"),
//	           inside the first line for a heap text
//	firstline  the first line alone, its newline kept
//
// debug=0 (gzipped proto) bodies are served whole.
package main

import (
	"bytes"
	"net/http"
	"strings"
)

func truncRoutes(m *http.ServeMux) {
	m.HandleFunc("/trunc/", func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/trunc/")
		where, path, _ := strings.Cut(rest, "/")
		name := strings.TrimPrefix(path, "debug/pprof/")
		body := profile(name, r)
		if r.URL.Query().Get("debug") != "" &&
			r.URL.Query().Get("debug") != "0" {
			n := cutAt(body, where)
			if n < 0 {
				http.Error(w, "trunc: no place to cut at "+where,
					http.StatusNotFound)
				return
			}
			body = body[:n]
		}
		c, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Connection: close\r\n\r\n")
		buf.Write(body)
		buf.Flush()
		c.Close()
	})
}

// cutAt returns where to cut a text profile for WHERE, or -1.
func cutAt(b []byte, where string) int {
	switch where {
	case "firstline":
		return bytes.IndexByte(b, '\n') + 1
	case "frame":
		// heap?debug=1 and goroutine?debug=1 frames are "#\t0x..."
		// lines; a debug=2 dump's file:line lines start with a tab.
		i := bytes.Index(b, []byte("\n#\t"))
		if i < 0 {
			i = bytes.Index(b, []byte("\n\t"))
		}
		if i < 0 {
			return -1
		}
		return i + 8
	case "header":
		first := bytes.IndexByte(b, '\n')
		if !bytes.HasPrefix(b, []byte("goroutine ")) {
			return first / 2
		}
		i := bytes.Index(b, []byte("\n\ngoroutine "))
		if i < 0 {
			return -1
		}
		lb := bytes.IndexByte(b[i:], '[')
		if lb < 0 {
			return -1
		}
		return i + lb + 5
	}
	return -1
}

// SPDX-License-Identifier: Apache-2.0
// Command faultsrv is leaky collect's fault-injection target: one loopback
// HTTP server whose path prefix picks how it misbehaves, so that the
// collector's tests can meet every failure a real fleet produces. Standard
// library only; bounded in time by -duration, which exits hard.
//
//	/ok/debug/pprof/...        real net/http/pprof of this process
//	/auth/debug/pprof/...      the same, with "Authorization: Bearer TOKEN"
//	/hang/...                  reads the request, never answers
//	/404/..., /500/...         Go-style text errors
//	/html/...                  200 with an HTML page
//	/text/...                  200 with an error text
//	/big/...                   200 with -big bytes after a gzip magic
//	/corrupt/...               200 with a gzip magic, then garbage
//	/slow/...                  a real profile, half of it, a pause of -slow
//	/flaky/...                 500 on every other request, else real
//	/wrongkind/...             the goroutine profile whatever was asked
//	/proto/                    the request's protocol ("HTTP/2.0")
//	/early/                    an answer at once, the request body unread
//	/dropfirst/?QUERY          the first request with QUERY: the
//	                           connection closed unanswered (HTTP/1.1)
//	/conns/                    connections accepted so far, all listeners
//	/gzip/                     a text naming the encoding it was sent
//	                           with (gzip when the request accepts it)
//	                           and the request body's length
//	/bomb/, /bigheader/        see bomb.go
//
// A second listener accepts TCP connections and never reads or writes; its
// address is the second line of -addr-file. With -tls-cert FILE, a third
// serves the same over HTTPS with a self-signed certificate for 127.0.0.1
// and localhost, made at start and written to FILE (PEM), HTTP/2 offered
// by ALPN; its address is the third line.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	rpprof "runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	token    = flag.String("token", "sesame", "bearer token /auth/ wants")
	bigSize  = flag.Int("big", 4<<20, "bytes /big/ sends")
	slowFor  = flag.Duration("slow", 3*time.Second, "pause in the middle of /slow/ bodies")
	flakyCnt atomic.Int64
	conns    atomic.Int64
	dropped  sync.Map // /dropfirst/ queries seen
	// keep holds allocations so that the heap profile has samples.
	keep [][]byte
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen on `host:port` (loopback only)")
	addrFile := flag.String("addr-file", "", "write the HTTP and the raw listener's addresses to `file`")
	pidFile := flag.String("pidfile", "", "write the process id to `file`")
	unixPath := flag.String("unix", "", "also serve HTTP on this unix socket `path`")
	duration := flag.Duration("duration", time.Minute, "exit after this long, whatever happens")
	certFile := flag.String("tls-cert", "", "also serve HTTPS; write its certificate to `file`")
	flag.Parse()
	if flag.NArg() > 0 {
		fail("unexpected argument %q", flag.Arg(0))
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		fail("bad -addr: %v", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		fail("-addr %q: loopback only", *addr)
	}
	time.AfterFunc(*duration, func() { os.Exit(0) })
	for i := 0; i < 64; i++ {
		keep = append(keep, make([]byte, 64<<10))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fail("listen: %v", err)
	}
	raw, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		fail("listen: %v", err)
	}
	go silent(raw)
	srv := &http.Server{Handler: mux(), ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(c net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}}
	go srv.Serve(ln)
	if *unixPath != "" {
		os.Remove(*unixPath)
		ul, err := net.Listen("unix", *unixPath)
		if err != nil {
			fail("listen: %v", err)
		}
		go srv.Serve(ul)
	}
	if *pidFile != "" {
		writeAtomic(*pidFile, fmt.Sprintf("%d\n", os.Getpid()))
	}
	addrs := ln.Addr().String() + "\n" + raw.Addr().String() + "\n"
	if *certFile != "" {
		cert, pemBytes := selfSigned()
		writeAtomic(*certFile, string(pemBytes))
		tl, err := tls.Listen("tcp", net.JoinHostPort(host, "0"),
			&tls.Config{Certificates: []tls.Certificate{cert},
				NextProtos: []string{"h2", "http/1.1"}})
		if err != nil {
			fail("listen: %v", err)
		}
		go srv.Serve(tl)
		addrs += tl.Addr().String() + "\n"
	}
	if *addrFile != "" {
		writeAtomic(*addrFile, addrs)
	}
	select {}
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for a
// day, and returns it with its PEM encoding.
func selfSigned() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fail("key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "faultsrv"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		fail("certificate: %v", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes
}

// silent accepts connections and never reads or writes.
func silent(ln net.Listener) {
	var held []net.Conn
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		held = append(held, c)
	}
}

func pprofMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	return m
}

func mux() *http.ServeMux {
	real := pprofMux()
	m := http.NewServeMux()
	m.Handle("/ok/", http.StripPrefix("/ok", real))
	m.HandleFunc("/auth/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+*token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		http.StripPrefix("/auth", real).ServeHTTP(w, r)
	})
	m.HandleFunc("/hang/", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	m.HandleFunc("/404/", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	m.HandleFunc("/500/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Go-Pprof", "1")
		http.Error(w, "Could not enable CPU profiling: cpu profiling already in use", http.StatusInternalServerError)
	})
	m.HandleFunc("/html/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Please log in</body></html>\n")
	})
	m.HandleFunc("/text/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "profile not available: try again later\n")
	})
	m.HandleFunc("/big/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		b := make([]byte, *bigSize)
		b[0], b[1] = 0x1f, 0x8b
		w.Write(b)
	})
	m.HandleFunc("/corrupt/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 'g', 'a', 'r', 'b', 'a', 'g', 'e'})
	})
	m.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		body := profile(strings.TrimPrefix(r.URL.Path, "/slow/debug/pprof/"), r)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		half := len(body) / 2
		w.Write(body[:half])
		w.(http.Flusher).Flush()
		select {
		case <-time.After(*slowFor):
		case <-r.Context().Done():
			return
		}
		w.Write(body[half:])
	})
	m.HandleFunc("/flaky/", func(w http.ResponseWriter, r *http.Request) {
		if flakyCnt.Add(1)%2 == 0 {
			http.Error(w, "flaky: try again", http.StatusInternalServerError)
			return
		}
		http.StripPrefix("/flaky", real).ServeHTTP(w, r)
	})
	m.HandleFunc("/proto/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s\n", r.Proto)
	})
	m.HandleFunc("/early/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "answered, the body unread\n")
	})
	m.HandleFunc("/dropfirst/", func(w http.ResponseWriter, r *http.Request) {
		if _, seen := dropped.LoadOrStore(r.URL.RawQuery, true); !seen {
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
				return
			}
		}
		io.WriteString(w, "answered\n")
	})
	m.HandleFunc("/conns/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d\n", conns.Load())
	})
	m.HandleFunc("/gzip/", func(w http.ResponseWriter, r *http.Request) {
		// The body is read before the answer, as a handler of POSTs
		// does: a Go server that answers first resets the stream, which
		// libcurl 7.88 counts as a failed request (see README).
		n, _ := io.Copy(io.Discard, r.Body)
		text := strings.Repeat("the same line, many times over\n", 64) +
			fmt.Sprintf("request body: %d bytes\n", n)
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			io.WriteString(w, "sent as identity\n"+text)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		z := gzip.NewWriter(w)
		io.WriteString(z, "sent as gzip\n"+text)
		z.Close()
	})
	m.HandleFunc("/wrongkind/", func(w http.ResponseWriter, r *http.Request) {
		w.Write(profile("goroutine", r))
	})
	truncRoutes(m)
	bombRoutes(m)
	return m
}

// profile renders this process's named profile as the pprof handler would.
func profile(name string, r *http.Request) []byte {
	var b bytes.Buffer
	debug := 0
	fmt.Sscan(r.URL.Query().Get("debug"), &debug)
	p := rpprof.Lookup(name)
	if p == nil {
		p = rpprof.Lookup("heap")
	}
	p.WriteTo(&b, debug)
	return b.Bytes()
}

func writeAtomic(path, data string) {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		fail("%v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "faultsrv: "+format+"\n", args...)
	os.Exit(2)
}

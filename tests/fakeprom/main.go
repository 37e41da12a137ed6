// SPDX-License-Identifier: Apache-2.0
// Command fakeprom is a Prometheus HTTP API that answers badly, on purpose:
// each way a Prometheus-compatible server, or the proxy in front of it,
// can fail leaky report --prometheus, chosen per request by the first
// element of the path. It uses the standard library only.
//
//	fakeprom -addr-file FILE -duration D
//
// It listens on 127.0.0.1 at a port of its own choosing, writes
// "127.0.0.1:PORT" to FILE once it accepts, and exits by itself after D
// (whatever a test does). Every request is a line on stdout:
// "MODE[-TAG] PATH auth=yes|no".
//
// A client pointed at http://ADDR/MODE (or /MODE-TAG) asks for /MODE/api/v1/query_range,
// /MODE/api/v1/query, /MODE/api/v1/targets or /MODE/api/v1/status/...;
// MODE is one of:
//
//	ok           good answers: instances fake/a and fake/b, one point a step
//	chunks       good answers whose series differ from one request of a
//	             query to the next (a and b, then c and b with their
//	             labels in another order), counted per MODE-TAG
//	html         200 with a sign-in page, as a login proxy answers
//	cutlen       200, a Content-Length longer than what is sent, then the
//	             connection is closed
//	cutjson      200, a complete body (its length right) cut mid-JSON
//	baddata      400 with the API's error JSON (errorType bad_data)
//	echo         400 bad_data whose error quotes the request's
//	             Authorization and X-Secret headers back (a proxy that
//	             echoes what it got)
//	exec         422 with errorType execution
//	unavail      503 with a plain text body
//	warnings     200, a good answer with "warnings" (a partial answer)
//	huge         200, a good answer of -huge bytes (chunked, no length)
//	slow         200 and its headers, then nothing until the client leaves
//	stall        200, half of a good answer, then nothing likewise
//	redirect     302 to /ok-landed/... on this server (good answers)
//	redirecthost 302 to /ok-landed/... under "localhost" instead of the
//	             address asked (another host name for the same server)
//	shapedata    "data" is an array, not an object
//	shapepairs   "values" holds triples, not [time, "value"] pairs
//	shapevalue   a value is the JSON number 12, not the string "12"
//	shapetext    a value is the string "twelve"
//	empty        200 with an empty body
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	addrFile = flag.String("addr-file", "", "write the address here")
	duration = flag.Duration("duration", time.Minute, "exit after this")
	hugeSize = flag.Int("huge", 4<<20, "bytes of mode huge's answer")

	mu    sync.Mutex
	calls = map[string]int{} // chunks: requests per query so far
)

func main() {
	flag.Parse()
	if *addrFile == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: fakeprom -addr-file FILE [-duration D] [-huge BYTES]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeprom:", err)
		os.Exit(1)
	}
	// Bounded whatever the test does: exit hard, connections and all.
	time.AfterFunc(*duration, func() { os.Exit(0) })
	tmp := *addrFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(ln.Addr().String()+"\n"), 0o644); err != nil ||
		os.Rename(tmp, *addrFile) != nil {
		fmt.Fprintln(os.Stderr, "fakeprom: cannot write", *addrFile)
		os.Exit(1)
	}
	srv := &http.Server{Handler: http.HandlerFunc(serve)}
	srv.Serve(ln)
}

// serve splits /MODE/api/v1/ENDPOINT and answers as MODE says.
func serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	// /MODE-TAG/...: a test's own copy of MODE (chunks counts per tag)
	mode, rest := strings.SplitN(parts[0], "-", 2)[0], ""
	if len(parts) == 2 {
		rest = "/" + parts[1]
	}
	auth := "no"
	if r.Header.Get("Authorization") != "" {
		auth = "yes"
	}
	fmt.Printf("%s %s auth=%s\n", parts[0], rest, auth)
	if !strings.HasPrefix(rest, "/api/v1/") {
		http.NotFound(w, r)
		return
	}
	switch mode {
	case "ok", "chunks":
		writeJSON(w, 200, good(mode, rest, r, nil))
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(200)
		fmt.Fprint(w, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"+
			"<body><form method=\"post\" action=\"/login\">"+
			"<input name=\"user\"><input name=\"password\" type=\"password\">"+
			"</form></body></html>\n")
	case "cutlen":
		cutLength(w, good(mode, rest, r, nil))
	case "cutjson":
		body := good(mode, rest, r, nil)
		writeJSON(w, 200, body[:len(body)/2])
	case "baddata":
		writeJSON(w, 400, apiError("bad_data",
			"invalid parameter \"query\": the query does not parse"))
	case "echo":
		writeJSON(w, 400, apiError("bad_data",
			"refused the credentials "+r.Header.Get("Authorization")+
				" and "+r.Header.Get("X-Secret")))
	case "exec":
		writeJSON(w, 422, apiError("execution",
			"the query would read more samples than this server allows"))
	case "unavail":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(503)
		fmt.Fprint(w, "the server is down for maintenance\n")
	case "warnings":
		writeJSON(w, 200, good(mode, rest, r,
			[]string{"store 10.0.0.7:10901 did not answer: the result is partial"}))
	case "huge":
		huge(w)
	case "slow":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(*duration):
		}
	case "stall":
		body := good(mode, rest, r, nil)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(200)
		fmt.Fprint(w, body[:len(body)/2])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(*duration):
		}
	case "redirect":
		redirect(w, r, "http://"+r.Host+"/ok-landed"+rest)
	case "redirecthost":
		_, port, _ := net.SplitHostPort(r.Host)
		redirect(w, r, "http://localhost:"+port+"/ok-landed"+rest)
	case "shapedata":
		writeJSON(w, 200, `{"status":"success","data":[1,2,3]}`)
	case "shapepairs":
		writeJSON(w, 200, matrixOf(`[[1700000000,"1","2"]]`))
	case "shapevalue":
		writeJSON(w, 200, matrixOf(`[[1700000000,12]]`))
	case "shapetext":
		writeJSON(w, 200, matrixOf(`[[1700000000,"twelve"]]`))
	case "empty":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(200)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func apiError(kind, why string) string {
	return `{"status":"error","errorType":` + strconv.Quote(kind) +
		`,"error":` + strconv.Quote(why) + `}`
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusFound)
}

// matrixOf: a matrix answer of one series whose "values" are values.
func matrixOf(values string) string {
	return `{"status":"success","data":{"resultType":"matrix","result":[` +
		`{"metric":{"job":"fake","instance":"a"},"values":` + values + `}]}}`
}

// cutLength promises more than it sends, then closes the connection.
func cutLength(w http.ResponseWriter, body string) {
	conn, bw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\n\r\n%s", len(body)+100000, body[:len(body)/2])
	bw.Flush()
}

// huge streams a well-formed matrix answer of about -huge bytes.
func huge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	b := bufio.NewWriter(w)
	defer b.Flush()
	fmt.Fprint(b, `{"status":"success","data":{"resultType":"matrix","result":[`)
	n := 0
	for i := 0; n < *hugeSize; i++ {
		sep := ","
		if i == 0 {
			sep = ""
		}
		s := fmt.Sprintf(`%s{"metric":{"job":"fake","instance":"i%d"},"values":[`,
			sep, i)
		for j := 0; j < 100; j++ {
			if j > 0 {
				s += ","
			}
			s += fmt.Sprintf(`[%d,"%d"]`, 1700000000+j, j)
		}
		s += "]}"
		n += len(s)
		if _, err := b.WriteString(s); err != nil {
			return
		}
	}
	fmt.Fprint(b, "]}}")
}

// param: a float query parameter (seconds), 0 when absent or bad.
func param(r *http.Request, name string) float64 {
	v, err := strconv.ParseFloat(r.FormValue(name), 64)
	if err != nil {
		return 0
	}
	return v
}

// instances of one answer: mode ok always a and b; mode chunks a and b
// for a query's odd requests, c and b (in that order) for its even ones.
// The second result says whether labels come in another order.
func instances(mode string, r *http.Request) ([]string, bool) {
	if mode != "chunks" {
		return []string{"a", "b"}, false
	}
	mu.Lock()
	key := strings.SplitN(r.URL.Path, "/", 3)[1] + " " + r.FormValue("query")
	calls[key]++
	n := calls[key]
	mu.Unlock()
	if n%2 == 1 {
		return []string{"a", "b"}, false
	}
	return []string{"c", "b"}, true
}

// value of instance inst at time t for query q: the start time is
// constant, b's other series grow by a unit a second (a leak), a's and
// c's stay level.
func value(q, inst string, t float64) string {
	if strings.Contains(q, "start_time") {
		return "1600000000"
	}
	if inst == "b" {
		return strconv.FormatFloat(1e6+math.Floor(t-1.7e9), 'f', -1, 64)
	}
	return "1000000"
}

// good: the answer a healthy server gives to rest, with warnings if any.
func good(mode, rest string, r *http.Request, warnings []string) string {
	var b strings.Builder
	b.WriteString(`{"status":"success",`)
	if len(warnings) > 0 {
		b.WriteString(`"warnings":[`)
		for i, s := range warnings {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Quote(s))
		}
		b.WriteString("],")
	}
	switch {
	case rest == "/api/v1/targets":
		b.WriteString(`"data":{"activeTargets":[` +
			`{"labels":{"job":"fake","instance":"a"},"scrapeUrl":"http://a/metrics",` +
			`"scrapeInterval":"10s","health":"up"}],"droppedTargets":[]}}`)
	case rest == "/api/v1/query_range":
		start, end, step := param(r, "start"), param(r, "end"), param(r, "step")
		if step <= 0 || end < start || (end-start)/step > 20000 {
			b.Reset()
			return apiError("bad_data", "bad start, end or step")
		}
		b.WriteString(`"data":{"resultType":"matrix","result":[`)
		insts, flip := instances(mode, r)
		for i, inst := range insts {
			if i > 0 {
				b.WriteString(",")
			}
			// Prometheus sorts labels; the second request of
			// mode chunks does not, which a client must not mind.
			if flip {
				fmt.Fprintf(&b, `{"metric":{"job":"fake","instance":%q},"values":[`, inst)
			} else {
				fmt.Fprintf(&b, `{"metric":{"instance":%q,"job":"fake"},"values":[`, inst)
			}
			for j, t := 0, start; t <= end+1e-9; j, t = j+1, start+float64(j+1)*step {
				if j > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `[%s,%q]`, strconv.FormatFloat(t, 'f', -1, 64),
					value(r.FormValue("query"), inst, t))
			}
			b.WriteString("]}")
		}
		b.WriteString("]}}")
	case rest == "/api/v1/query":
		fmt.Fprintf(&b, `"data":{"resultType":"vector","result":[`+
			`{"metric":{"instance":"a","job":"fake"},"value":[%d,"1"]}]}}`,
			time.Now().Unix())
	default:
		b.WriteString(`"data":{}}`)
	}
	return b.String()
}

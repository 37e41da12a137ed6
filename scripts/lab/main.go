// SPDX-License-Identifier: Apache-2.0
// Command lab is leaky's test target: a small Go service with net/http/pprof
// whose scenarios leak (or do not leak) memory and goroutines in recognisable
// ways, so that its profiles make realistic fixtures and benchmark data.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// defaultRate is Go's own default runtime.MemProfileRate.
const defaultRate = 512 * 1024

// The sampling rate applies only to allocations made after it is set, so
// -rate is read here, before flag parsing and before any scenario allocates.
// Even so, each P takes the new rate only at its next sample, drawn under
// the default rate: up to about 512 KiB per P may still be sampled the old
// way (not with -rate 1, which samples every allocation).
func init() {
	runtime.MemProfileRate = rateFromArgs(os.Args[1:])
}

// rateFromArgs finds -rate N, -rate=N, --rate N or --rate=N in args (the lab
// takes no operands, so every argument is a flag or a flag's value). Bad
// values are left for the flag package to report.
func rateFromArgs(args []string) int {
	rate := defaultRate
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		var val string
		switch {
		case name == "rate" && i+1 < len(args):
			i++
			val = args[i]
		case strings.HasPrefix(name, "rate="):
			val = strings.TrimPrefix(name, "rate=")
		default:
			continue
		}
		if n, err := strconv.Atoi(val); err == nil && n >= 0 {
			rate = n
		}
	}
	return rate
}

// paused stops the scenario ticker while set (POST /lab/pause), so that
// back-to-back captures describe the same state.
var paused atomic.Bool

func main() {
	addr := flag.String("addr", "127.0.0.1:0",
		"listen on `host:port`; loopback IPs only; port 0 picks a free one")
	addrFile := flag.String("addr-file", "",
		"once listening, write the actual address(es) to `file`, one per line, atomically")
	pidFile := flag.String("pidfile", "", "write the process id to `file`")
	scenario := flag.String("scenario", "healthy",
		"what to do: "+strings.Join(scenarioNames(), ", "))
	duration := flag.Duration("duration", 10*time.Minute,
		"exit after this long, whatever happens")
	tick := flag.Duration("tick", 100*time.Millisecond,
		"interval of the scenario's background ticker")
	rate := flag.Int("rate", defaultRate,
		"runtime.MemProfileRate: bytes per heap sample, 1 samples every allocation")
	ports := flag.Int("ports", 0,
		"also serve on `N` extra free ports of the same host, listed in -addr-file")
	warmup := flag.Int("warmup", 20, "warmup scenario: ticks spent filling the cache")
	stacks := flag.Int("stacks", 40000, "manystacks scenario: distinct allocation stacks")
	freeze := flag.Bool("frozen", false,
		"answer each /debug/pprof/ URL as the first time, every time (the collector's bench)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(),
			"usage: lab [options]\n\nA leaky Go service for leaky's tests. "+
				"Endpoints: /debug/pprof/*, /metrics, POST /ingest,\n"+
				"GET|POST /echo, GET /healthz, POST /lab/pause, POST /lab/resume; POST /order in the\n"+
				"paths scenario.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		usage("unexpected argument %q", flag.Arg(0))
	}
	if *duration <= 0 || *tick <= 0 || *stacks < 1 ||
		*ports < 0 || *warmup < 0 || *rate < 0 {
		usage("-duration, -tick and -stacks must be positive; " +
			"-ports, -warmup and -rate not negative")
	}
	runtime.MemProfileRate = *rate // already set by init; same value
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		usage("bad -addr %q: %v", *addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		usage("-addr %q: only loopback IP addresses are allowed", *addr)
	}
	sc, ok := scenarios[*scenario]
	if !ok {
		usage("unknown scenario %q (have %s)", *scenario,
			strings.Join(scenarioNames(), ", "))
	}

	// The hard bound comes first, so that nothing below can outlive it.
	time.AfterFunc(*duration, func() { exit(*pidFile, 0) })

	// Setup runs before listening: once the address is published the
	// scenario's initial state (zoo, manystacks) is complete.
	cfg := config{warmup: *warmup, stacks: *stacks}
	var step func(n int)
	if sc.setup != nil {
		step = sc.setup(cfg)
	}

	var lns []net.Listener
	for i := 0; i <= *ports; i++ {
		a := *addr
		if i > 0 {
			a = net.JoinHostPort(host, "0")
		}
		ln, err := net.Listen("tcp", a)
		if err != nil {
			fail("listen on %s: %v", a, err)
		}
		lns = append(lns, ln)
	}
	var handler http.Handler = newMux(*scenario == "leak")
	if *freeze {
		handler = frozen(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// No WriteTimeout: pprof's ?seconds=N must stay below it.
	}
	for _, ln := range lns {
		go func(ln net.Listener) {
			if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
				fail("serve: %v", err)
			}
		}(ln)
	}
	if *pidFile != "" {
		if err := writeAtomic(*pidFile, fmt.Sprintf("%d\n", os.Getpid())); err != nil {
			fail("%v", err)
		}
	}
	if *addrFile != "" {
		var b strings.Builder
		for _, ln := range lns {
			b.WriteString(ln.Addr().String() + "\n")
		}
		if err := writeAtomic(*addrFile, b.String()); err != nil {
			fail("%v", err)
		}
	}
	if step != nil {
		go runTicker(*tick, step)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	exit(*pidFile, 0)
}

// runTicker calls step with an increasing tick number every interval,
// skipping ticks while paused.
func runTicker(every time.Duration, step func(n int)) {
	t := time.NewTicker(every)
	defer t.Stop()
	n := 0
	for range t.C {
		if paused.Load() {
			continue
		}
		step(n)
		n++
	}
}

// writeAtomic writes data to a temporary file beside path and renames it,
// so that readers never see a partial file.
func writeAtomic(path, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lab-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

func exit(pidFile string, code int) {
	if pidFile != "" {
		os.Remove(pidFile)
	}
	os.Exit(code)
}

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "lab: "+format+"\n", args...)
	fmt.Fprintln(os.Stderr, "lab: try 'lab -h'")
	os.Exit(2)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "lab: "+format+"\n", args...)
	os.Exit(1)
}

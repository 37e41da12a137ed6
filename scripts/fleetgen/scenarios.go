// SPDX-License-Identifier: Apache-2.0
// The scenarios: what each instance's process does over the window. Times
// scale with the window (a warm-up fills its first sixth, a restart comes
// every quarter) so that a shorter or longer window keeps each curve's
// shape; a GC cycle and the young instance's ten minutes do not, being
// what they are in any window. tests/fixtures/fleet/expected.txt holds
// the verdict a careful reader gives each curve; keep the two in step.
package main

import (
	"math"
	"math/rand"
)

const mib = 1 << 20

// sample is one scrape of one process.
type sample struct {
	heap, goroutines, rss, fds, start float64
}

// ctx is what a scenario draws on: its own noise source, and the window.
type ctx struct {
	rng   *rand.Rand
	w     float64 // window, seconds: WINDOW/STEP scrapes apart by STEP
	t0    float64 // unix seconds of the window's first scrape
	end   float64 // unix seconds of its last
	step  float64
	phase float64 // where in its GC cycle the process is at t0, [0, 1)
}

// noise: v give or take rel of it (a normal deviate).
func (c *ctx) noise(v, rel float64) float64 {
	return v * (1 + rel*c.rng.NormFloat64())
}

// jitter: a count around v, give or take sd.
func (c *ctx) jitter(v, sd float64) float64 {
	return v + sd*c.rng.NormFloat64()
}

// saw is where a GC cycle of the period is at t, from 0 (just collected)
// towards 1 (the next collection): the heap in use climbs with the
// allocations between two GCs and falls back to the live heap at each.
func (c *ctx) saw(t, period float64) float64 {
	x := t/period + c.phase
	return x - math.Floor(x)
}

// gcHeap is the heap in use at t for a live heap: live plus the garbage
// of the current GC cycle, amp of live at its peak, and some noise.
func (c *ctx) gcHeap(t, live, amp float64) float64 {
	return c.noise(live*(1+amp*c.saw(t, 410)), 0.02)
}

// rss of a process whose heap peaks at peak: the runtime keeps the peak's
// pages, plus its own and the binary's.
func (c *ctx) rss(base, peak float64) float64 {
	return c.noise(base+1.3*peak, 0.01)
}

type scenario struct {
	name, job string
	// gen: the scrape at t seconds after the window's first; false for
	// a scrape that did not happen. Called in time order.
	gen func(c *ctx, t float64) (sample, bool)
}

var scenarios = []scenario{
	// A healthy service: levels that wander and come back.
	{"healthy-steady", "api", func(c *ctx, t float64) (sample, bool) {
		return sample{
			heap:       c.gcHeap(t, 48*mib, 0.15),
			goroutines: c.jitter(140, 3),
			rss:        c.rss(30*mib, 48*mib*1.15),
			fds:        c.jitter(42, 1.5),
			start:      c.t0 - 3*86400 + 0.42,
		}, true
	}},
	// Started with the window: its cache, goroutine pool and
	// connections fill in the first sixth (an hour of six), then hold.
	{"healthy-warmup", "api", func(c *ctx, t float64) (sample, bool) {
		fill := 1 - math.Exp(-t/(c.w/24))
		live := 24*mib + 96*mib*fill
		return sample{
			heap:       c.gcHeap(t, live, 0.12),
			goroutines: c.jitter(40+120*fill, 2),
			rss:        c.rss(28*mib, live*1.12),
			fds:        c.jitter(18+46*fill, 1),
			start:      c.t0 - 20 + 0.15,
		}, true
	}},
	// A bigger configuration loaded a third into the window (more
	// workers, a bigger cache): one step up, flat before and after.
	{"healthy-step", "api", func(c *ctx, t float64) (sample, bool) {
		live, g, fds := 60.0*mib, 200.0, 50.0
		if t >= c.w/3 {
			live, g, fds = 92*mib, 260, 70
		}
		return sample{
			heap:       c.gcHeap(t, live, 0.12),
			goroutines: c.jitter(g, 3),
			rss:        c.rss(30*mib, live*1.12),
			fds:        c.jitter(fds, 1),
			start:      c.t0 - 86400 + 0.77,
		}, true
	}},
	// Live heap grows by 180 MiB over the window (30 MiB/h in 6 h), RSS
	// with it.
	{"leak-heap-steady", "api", func(c *ctx, t float64) (sample, bool) {
		live := 40*mib + 180*mib*t/c.w
		return sample{
			heap:       c.gcHeap(t, live, 0.10),
			goroutines: c.jitter(90, 3),
			rss:        c.rss(30*mib, live*1.10),
			fds:        c.jitter(35, 1),
			start:      c.t0 - 7200 + 0.05,
		}, true
	}},
	// A GC sawtooth 40 MiB high whose low point, the live heap, rises
	// 24 MiB over the window (4 MiB/h in 6 h): each cycle's trough a
	// little higher than the last, the peaks and RSS with them.
	{"leak-heap-sawtooth", "billing", func(c *ctx, t float64) (sample, bool) {
		low := 50*mib + 24*mib*t/c.w
		return sample{
			heap:       c.noise(low+40*mib*c.saw(t, 437), 0.01),
			goroutines: c.jitter(75, 2),
			rss:        c.rss(30*mib, low+40*mib),
			fds:        c.jitter(28, 1),
			start:      c.t0 - 5400 + 0.66,
		}, true
	}},
	// Leaks 160 MiB in each life, and the OOM killer ends each life
	// about every quarter of the window: the heap climbs, falls at the
	// restart (a new process_start_time_seconds), climbs again. Across
	// the window it goes nowhere; every life leaks.
	{"leak-hidden-restarts", "billing", func(c *ctx, t float64) (sample, bool) {
		life := c.w / 4
		born := -0.35 * life
		for k := 0; ; k++ {
			// Lives a little longer, then shorter, in turn.
			next := born + life*(1+0.04*float64(1-2*(k%2)))
			if t < next {
				break
			}
			born = next
		}
		live := 40*mib + 160*mib*(t-born)/life
		return sample{
			heap:       c.gcHeap(t, live, 0.08),
			goroutines: c.jitter(110, 3),
			rss:        c.rss(28*mib, live*1.08),
			fds:        c.jitter(38, 1),
			start:      math.Floor(c.t0+born) + 0.37,
		}, true
	}},
	// Goroutines that never return, 420 more by the end: stacks, not
	// heap, so the heap stays flat and RSS grows by their stacks only
	// (4 KiB each, a few per cent).
	{"leak-goroutines", "billing", func(c *ctx, t float64) (sample, bool) {
		g := c.jitter(60+420*t/c.w, 2)
		return sample{
			heap:       c.gcHeap(t, 36*mib, 0.10),
			goroutines: g,
			rss:        c.rss(26*mib+g*4096, 36*mib*1.10),
			fds:        c.jitter(40, 1),
			start:      c.t0 - 3*3600 + 0.21,
		}, true
	}},
	// Files opened and never closed: 900 more descriptors by the end,
	// memory flat (an *os.File is a few hundred bytes).
	{"leak-fds", "worker", func(c *ctx, t float64) (sample, bool) {
		return sample{
			heap:       c.gcHeap(t, 44*mib, 0.10),
			goroutines: c.jitter(85, 2),
			rss:        c.rss(30*mib, 44*mib*1.10),
			fds:        c.jitter(30+900*t/c.w, 1.5),
			start:      c.t0 - 4*3600 + 0.93,
		}, true
	}},
	// Healthy, and not scraped for an hour in the middle of the window
	// (a third of it when the window is shorter than three hours).
	{"gap-healthy", "worker", func(c *ctx, t float64) (sample, bool) {
		s := sample{
			heap:       c.gcHeap(t, 52*mib, 0.15),
			goroutines: c.jitter(120, 3),
			rss:        c.rss(30*mib, 52*mib*1.15),
			fds:        c.jitter(44, 1.5),
			start:      c.t0 - 2*86400 + 0.58,
		}
		return s, !inGap(c, t)
	}},
	// The steady heap leak, with the same hour missing.
	{"gap-leak-heap", "worker", func(c *ctx, t float64) (sample, bool) {
		live := 40*mib + 180*mib*t/c.w
		s := sample{
			heap:       c.gcHeap(t, live, 0.10),
			goroutines: c.jitter(95, 3),
			rss:        c.rss(30*mib, live*1.10),
			fds:        c.jitter(33, 1),
			start:      c.t0 - 3600 + 0.14,
		}
		return s, !inGap(c, t)
	}},
	// Started five seconds into the window's last ten minutes: its
	// heap climbs as any new process's does, and ten minutes cannot
	// tell a warm-up from a leak.
	{"young", "worker", func(c *ctx, t float64) (sample, bool) {
		born := c.end - 600 + 5
		age := c.t0 + t - born
		if age < 0 {
			return sample{}, false
		}
		live := 20*mib + 4*mib*age/60
		return sample{
			heap:       c.gcHeap(t, live, 0.10),
			goroutines: c.jitter(30+3*age/60, 1),
			rss:        c.rss(26*mib, live*1.10),
			fds:        c.jitter(12+age/60, 0.5),
			start:      born + 0.5,
		}, true
	}},
}

// inGap: t falls in the hour (or third of the window) centred on the
// window's middle, when nobody scraped.
func inGap(c *ctx, t float64) bool {
	gap := math.Min(3600, c.w/3)
	from := c.w/2 - gap/2
	return t >= from && t < from+gap
}

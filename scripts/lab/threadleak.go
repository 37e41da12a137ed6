// SPDX-License-Identifier: Apache-2.0
// The threadleak scenario: goroutines that lock themselves to their OS
// thread (runtime.LockOSThread, as code calling into thread-bound C
// libraries or setting per-thread state does) and then wait forever
// without unlocking: each keeps a thread of its own, so the process's
// thread count grows with the goroutines.
package main

import "runtime"

func init() { scenarios["threadleak"] = scenario{setupThreadLeak} }

// threadLeakEvery is the number of ticks between two leaked threads: at
// the default 100 ms tick, two a second.
const threadLeakEvery = 5

// threadLeakMax bounds the leak well below the runtime's 10000 threads.
const threadLeakMax = 200

// pinnedWorker takes its thread and never gives it back.
func pinnedWorker(never <-chan struct{}) {
	runtime.LockOSThread()
	<-never
}

func setupThreadLeak(config) func(int) {
	never := make(chan struct{})
	started := 0
	return func(n int) {
		if n%threadLeakEvery != 0 || started >= threadLeakMax {
			return
		}
		started++
		go pinnedWorker(never)
	}
}

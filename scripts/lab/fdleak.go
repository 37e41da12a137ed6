// SPDX-License-Identifier: Apache-2.0
// The fdleak scenario: descriptors opened and never closed, as a service
// that forgets to close its connections does.
package main

import (
	"os"
	"sync"
)

// fdLeakEvery is the number of ticks between two leaked pipes (two
// descriptors each): at the default 100 ms tick, 4 descriptors a second.
const fdLeakEvery = 5

// fdLeakMax bounds the leak well below the usual limit of 1024 open files,
// so that the lab keeps serving /metrics however long it runs.
const fdLeakMax = 400

var leakedFiles struct {
	sync.Mutex
	f []*os.File
}

// setupFdLeak returns a step that opens a pipe every fdLeakEvery ticks and
// keeps both ends, so that process_open_fds climbs steadily.
func setupFdLeak(config) func(int) {
	return func(n int) {
		if n%fdLeakEvery != 0 {
			return
		}
		leakedFiles.Lock()
		defer leakedFiles.Unlock()
		if len(leakedFiles.f) >= fdLeakMax {
			return
		}
		r, w, err := os.Pipe()
		if err != nil {
			return
		}
		leakedFiles.f = append(leakedFiles.f, r, w)
	}
}

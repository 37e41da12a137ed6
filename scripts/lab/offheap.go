// SPDX-License-Identifier: Apache-2.0
// The offheap scenario: resident memory grows while the Go heap stays flat,
// as with a C library or a memory-mapped cache: every tick maps a chunk of
// anonymous memory outside the Go heap (syscall.Mmap; the lab is built
// without cgo) and touches each of its pages, so that it counts in RSS but
// in no heap profile and in no runtime.MemStats figure.
package main

import (
	"os"
	"syscall"
)

const (
	offHeapChunk = 256 << 10 // bytes mapped per tick
	offHeapMax   = 128 << 20 // stop growing here, whatever -duration says
)

// offHeap holds the mappings so that nothing unmaps them; its backing array
// is made once at setup, so that growing it allocates nothing on the heap.
var offHeap struct {
	chunks [][]byte
	failed bool
}

// offHeapGrow maps one more chunk and writes to every page of it.
func offHeapGrow() {
	if offHeap.failed || len(offHeap.chunks) == cap(offHeap.chunks) {
		return
	}
	b, err := syscall.Mmap(-1, 0, offHeapChunk,
		syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		offHeap.failed = true
		return
	}
	page := os.Getpagesize()
	for i := 0; i < len(b); i += page {
		b[i] = byte(i / page)
	}
	offHeap.chunks = append(offHeap.chunks, b)
}

func init() { scenarios["offheap"] = scenario{setupOffHeap} }

func setupOffHeap(config) func(int) {
	offHeap.chunks = make([][]byte, 0, offHeapMax/offHeapChunk)
	return func(int) { offHeapGrow() }
}

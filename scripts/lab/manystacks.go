// SPDX-License-Identifier: Apache-2.0
// The manystacks scenario: tens of thousands of distinct allocation stacks
// kept live, for one large heap profile (run it with -rate 1).
package main

// Four mutually recursive functions; the base-4 digits of a counter choose
// which one runs at each level, so every counter value has its own stack.
// They differ in leaf size so that several size classes show up.

var manyRoots [][]byte

func stepA(code, depth int) []byte {
	if depth == 0 {
		return make([]byte, 16)
	}
	return dispatch(code, depth)
}

func stepB(code, depth int) []byte {
	if depth == 0 {
		return make([]byte, 32)
	}
	return dispatch(code, depth)
}

func stepC(code, depth int) []byte {
	if depth == 0 {
		return make([]byte, 48)
	}
	return dispatch(code, depth)
}

func stepD(code, depth int) []byte {
	if depth == 0 {
		return make([]byte, 64)
	}
	return dispatch(code, depth)
}

// dispatch is small enough to be inlined into each step: the call sites
// (and so the return PCs) differ per caller.
func dispatch(code, depth int) []byte {
	switch code & 3 {
	case 0:
		return stepA(code>>2, depth-1)
	case 1:
		return stepB(code>>2, depth-1)
	case 2:
		return stepC(code>>2, depth-1)
	}
	return stepD(code>>2, depth-1)
}

func setupManyStacks(cfg config) func(int) {
	depth := 1
	for 1<<(2*depth) < cfg.stacks {
		depth++
	}
	manyRoots = make([][]byte, 0, cfg.stacks)
	for i := 0; i < cfg.stacks; i++ {
		manyRoots = append(manyRoots, stepA(i, depth))
	}
	return nil
}

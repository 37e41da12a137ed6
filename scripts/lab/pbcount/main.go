// SPDX-License-Identifier: Apache-2.0
// Command pbcount prints how many samples each profile.proto file holds, and
// how many of them have only zero values, without third-party code; the
// fixture and benchmark scripts use it to describe and check what they made.
//
// usage: pbcount FILE...   prints "FILE SAMPLES ZERO" per file
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pbcount FILE...")
		os.Exit(2)
	}
	status := 0
	for _, name := range os.Args[1:] {
		n, zero, err := count(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "pbcount: '%s': %v\n", name, err)
			status = 1
			continue
		}
		fmt.Printf("%s %d %d\n", name, n, zero)
	}
	os.Exit(status)
}

// count returns the number of Profile.sample (field 2) messages in a raw or
// gzipped profile, and how many of them have only zero values.
func count(name string) (n, zero int, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return 0, 0, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return 0, 0, err
		}
	}
	err = fields(data, func(num, wt uint64, v uint64, b []byte) error {
		if num != 2 || wt != 2 {
			return nil
		}
		n++
		allZero := true
		err := fields(b, func(num, wt uint64, v uint64, b []byte) error {
			switch {
			case num == 2 && wt == 0:
				allZero = allZero && v == 0
			case num == 2 && wt == 2: // packed
				for len(b) > 0 {
					x, k := varint(b)
					if k == 0 {
						return errBad
					}
					allZero = allZero && x == 0
					b = b[k:]
				}
			}
			return nil
		})
		if allZero {
			zero++
		}
		return err
	})
	return n, zero, err
}

var errBad = errors.New("malformed protobuf")

// fields calls f for each field of a message: varints get v, length-delimited
// fields get b.
func fields(m []byte, f func(num, wt, v uint64, b []byte) error) error {
	for len(m) > 0 {
		key, k := varint(m)
		if k == 0 {
			return errBad
		}
		m = m[k:]
		num, wt := key>>3, key&7
		var v uint64
		var b []byte
		switch wt {
		case 0:
			if v, k = varint(m); k == 0 {
				return errBad
			}
			m = m[k:]
		case 1:
			if len(m) < 8 {
				return errBad
			}
			m = m[8:]
		case 2:
			l, k := varint(m)
			if k == 0 || uint64(len(m)-k) < l {
				return errBad
			}
			b, m = m[k:k+int(l)], m[k+int(l):]
		case 5:
			if len(m) < 4 {
				return errBad
			}
			m = m[4:]
		default:
			return errBad
		}
		if err := f(num, wt, v, b); err != nil {
			return err
		}
	}
	return nil
}

func varint(b []byte) (uint64, int) {
	var x uint64
	for i := 0; i < len(b) && i < 10; i++ {
		x |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}

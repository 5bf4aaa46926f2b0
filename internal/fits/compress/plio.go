package compress

import (
	"encoding/binary"
	"fmt"
)

// PLIO decodes one PLIO_1 tile: an IRAF PLIO line list, given as the raw
// big-endian bytes of the tile's heap array (16-bit words), into out
// (len(out) = number of pixels of the tile).
//
// A line list starts with a header: in the current format word 3 is
// negative, word 2 is the header length and words 4,5 hold the list length
// (low 15 bits, high part); in the old format word 3 is the list length and
// the instructions start at word 4 (1-based). Each following word holds a
// 4-bit opcode and 12 bits of data: zero runs, runs of the current value,
// "zeros then one pixel", single pixels with a value change, and changes of
// the current value (which starts at 1; a two-word instruction sets it
// directly). Pixels not covered by the list are 0. Words are read as signed
// 16-bit integers, as CFITSIO's pl_l2pi does.
func PLIO(src []byte, out []int32) error {
	if len(src)%2 != 0 {
		return fmt.Errorf("plio: line list has an odd number of bytes (%d): %w", len(src), ErrCorrupt)
	}
	nw := len(src) / 2
	word := func(i int) int32 { // 1-based, as in the IRAF description
		return int32(int16(binary.BigEndian.Uint16(src[2*(i-1):])))
	}
	if nw < 3 {
		return fmt.Errorf("plio: line list of %d words shorter than its header: %w", nw, ErrCorrupt)
	}
	var llLen, first int
	if w3 := word(3); w3 > 0 {
		llLen, first = int(w3), 4
	} else {
		if nw < 5 {
			return fmt.Errorf("plio: line list of %d words shorter than its 5-word header: %w", nw, ErrCorrupt)
		}
		llLen = int(word(5))<<15 + int(word(4))
		first = int(word(2)) + 1
	}
	if llLen <= 0 {
		return fmt.Errorf("plio: line list length %d is not positive: %w", llLen, ErrCorrupt)
	}
	if llLen > nw {
		return fmt.Errorf("plio: line list length %d words exceeds the %d words stored: %w", llLen, nw, ErrCorrupt)
	}
	if first < 1 {
		return fmt.Errorf("plio: header length %d is invalid: %w", first-1, ErrCorrupt)
	}
	npix := len(out)
	op := 0 // next output index (0-based)
	x1 := 1 // current list position (1-based pixel index)
	pv := int32(1)
	xe := npix // last pixel (xs = 1)
	for ip := first; ip <= llLen && x1 <= xe; ip++ {
		w := word(ip)
		opcode := w / 4096 // truncating division, as in C on a signed short
		data := int(w & 4095)
		switch opcode {
		case 0, 4, 5: // zero run, run of pv, zero run ending with one pv pixel
			x2 := x1 + data - 1
			i1 := max(x1, 1)
			i2 := min(x2, xe)
			if np := i2 - i1 + 1; np > 0 {
				blk := out[op : op+np]
				if opcode == 4 {
					for j := range blk {
						blk[j] = pv
					}
				} else {
					clear(blk)
					if opcode == 5 && i2 == x2 {
						blk[np-1] = pv
					}
				}
				op += np
			}
			x1 = x2 + 1
		case 1: // set pv from this and the next word
			if ip+1 > llLen {
				return fmt.Errorf("plio: set-value instruction at word %d lacks its second word: %w", ip, ErrCorrupt)
			}
			pv = word(ip+1)<<12 + int32(data)
			ip++
		case 2:
			pv += int32(data)
		case 3:
			pv -= int32(data)
		case 6, 7: // change pv and output one pixel
			if opcode == 6 {
				pv += int32(data)
			} else {
				pv -= int32(data)
			}
			if x1 >= 1 && x1 <= xe {
				out[op] = pv
				op++
			}
			x1++
		}
	}
	clear(out[op:])
	return nil
}

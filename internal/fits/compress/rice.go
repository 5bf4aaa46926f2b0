package compress

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Rice decodes one RICE_1 tile of len(out) pixels from src.
//
// bytePix is the size of one uncompressed pixel (ZNAME/ZVAL "BYTEPIX": 1, 2
// or 4; CFITSIO's default is 4) and blockSize the number of pixels per Rice
// block (ZNAME/ZVAL "BLOCKSIZE", default 32). The stream starts with the
// first pixel value as bytePix big-endian bytes, followed by one coded block
// per blockSize pixels (the last block may be shorter): a code of 3, 4 or 5
// bits (bytePix 1, 2, 4) selects zero-difference, raw (8/16/32-bit) or
// Rice-coded differences, which are zigzag-mapped and accumulated modulo
// 2^(8*bytePix).
//
// The decoded values are stored in out the way CFITSIO hands them on:
// bytePix 4 as int32, bytePix 2 sign-extended from int16 (CFITSIO reads the
// tile as TSHORT), and bytePix 1 zero-extended from uint8 (CFITSIO reads it
// as TBYTE, i.e. 0..255, matching unsigned BITPIX 8 data).
//
// Bytes after the last block are ignored, as in CFITSIO. A stream that ends
// before len(out) pixels are decoded returns an error wrapping ErrCorrupt.
func Rice(src []byte, bytePix, blockSize int, out []int32) error {
	var fsBits, fsMax, bBits uint
	var mask uint32
	var ext uint // left/right shift that sign-extends the stored value
	switch bytePix {
	case 1:
		fsBits, fsMax, bBits, mask, ext = 3, 6, 8, 0xff, 0
	case 2:
		fsBits, fsMax, bBits, mask, ext = 4, 14, 16, 0xffff, 16
	case 4:
		fsBits, fsMax, bBits, mask, ext = 5, 25, 32, 0xffffffff, 0
	default:
		return fmt.Errorf("rice: BYTEPIX %d not one of 1, 2, 4: %w", bytePix, ErrArgument)
	}
	if blockSize <= 0 {
		return fmt.Errorf("rice: BLOCKSIZE %d must be positive: %w", blockSize, ErrArgument)
	}
	if len(src) < bytePix {
		return fmt.Errorf("rice: stream of %d bytes too short for the %d-byte first pixel: %w", len(src), bytePix, ErrCorrupt)
	}
	var last uint32
	for _, b := range src[:bytePix] {
		last = last<<8 | uint32(b)
	}
	if len(out) == 0 {
		return nil
	}
	// Bit reader: buf holds n valid bits, left-aligned; bits below them are
	// either zero or the following stream bits. pos may run past len(src)
	// (zero padding); the overrun is detected after each block.
	pos := bytePix
	var buf uint64
	var n uint
	limit := uint64(len(src)) * 8
	npix := len(out)
	for i := 0; i < npix; i += blockSize {
		end := i + blockSize
		if end > npix || end < i {
			end = npix
		}
		if n < fsBits {
			pos, buf, n = refill(src, pos, buf, n)
		}
		fs := int(buf>>(64-fsBits)) - 1
		buf <<= fsBits
		n -= fsBits
		switch {
		case fs < 0:
			// Low-entropy block: every difference is zero.
			v := int32(last<<ext) >> ext
			blk := out[i:end]
			for j := range blk {
				blk[j] = v
			}
		case uint(fs) == fsMax:
			// High-entropy block: raw bBits-bit mapped differences.
			blk := out[i:end]
			for j := range blk {
				if n < bBits {
					pos, buf, n = refill(src, pos, buf, n)
				}
				d := uint32(buf >> (64 - bBits))
				buf <<= bBits
				n -= bBits
				last = (last + (d>>1 ^ -(d & 1))) & mask
				blk[j] = int32(last<<ext) >> ext
			}
		default:
			k := uint(fs)
			blk := out[i:end]
			for j := range blk {
				if n < 32 {
					pos, buf, n = refill(src, pos, buf, n)
				}
				nz := uint(bits.LeadingZeros64(buf))
				var zeros uint32
				for nz >= n {
					// No one-bit among the valid bits: a long run of zeros.
					zeros += uint32(n)
					buf, n = 0, 0
					if uint64(pos)*8 > limit+64 {
						return fmt.Errorf("rice: stream of %d bytes ends inside the code of pixel %d: %w", len(src), i+j, ErrCorrupt)
					}
					pos, buf, n = refill(src, pos, buf, n)
					nz = uint(bits.LeadingZeros64(buf))
				}
				buf <<= nz + 1
				n -= nz + 1
				if n < k {
					pos, buf, n = refill(src, pos, buf, n)
				}
				d := (zeros+uint32(nz))<<k | uint32(buf>>(64-k))
				buf <<= k
				n -= k
				last = (last + (d>>1 ^ -(d & 1))) & mask
				blk[j] = int32(last<<ext) >> ext
			}
		}
		if uint64(pos)*8-uint64(n) > limit {
			return fmt.Errorf("rice: stream of %d bytes ends inside block %d (pixels %d..%d): %w", len(src), i/blockSize, i, end-1, ErrCorrupt)
		}
	}
	return nil
}

// refill tops up a left-aligned 64-bit bit buffer holding n < 64 valid bits
// so that it holds at least 56 bits. Past the end of src it appends zero
// bytes, still advancing pos, so callers detect an overrun by comparing
// 8*pos-n with 8*len(src).
func refill(src []byte, pos int, buf uint64, n uint) (int, uint64, uint) {
	if pos >= 0 && pos+8 <= len(src) {
		v := binary.BigEndian.Uint64(src[pos:])
		buf |= v >> n
		k := (63 - n) >> 3
		return pos + int(k), buf, n + k<<3
	}
	for n <= 56 {
		if pos < len(src) {
			buf |= uint64(src[pos]) << (56 - n)
		}
		pos++
		n += 8
	}
	return pos, buf, n
}

package fits

import (
	"encoding/binary"
	"math"
)

// nRandom is the length of the FITS standard's dither sequence.
const nRandom = 10000

// zeroValue is the integer that SUBTRACTIVE_DITHER_2 uses for pixels that were
// exactly 0.0 (restored as 0.0, not dithered).
const zeroValue = -2147483646

// randomSequence is the FITS standard's (4.0, section 10.2.2) sequence of
// uniform random numbers in (0, 1): the Park & Miller "minimal standard"
// generator (a = 16807, m = 2^31-1) run from seed 1 in double precision, each
// value stored as a float32. It is computed once; the 10000th seed must be
// 1043618065 (checked by TestDitherSequence).
var randomSequence = func() [nRandom]float32 {
	var r [nRandom]float32
	const a, m = 16807.0, 2147483647.0
	seed := 1.0
	for i := range r {
		temp := a * seed
		seed = temp - m*float64(int32(temp/m))
		r[i] = float32(seed / m)
	}
	return r
}()

// dequantize turns the quantized integers of tile k into float pixels of the
// image's BITPIX (big-endian into raw), exactly as CFITSIO's funpack does:
// (float)(((double)i - r + 0.5)*scale + zero), each operation rounded (no
// fused multiply-add), with the dither offsets r taken from the standard
// sequence starting at (k + ZDITHER0 - 1) mod 10000 and advancing for every
// pixel; i*scale + zero for NO_DITHER; null integers become NaN; for
// SUBTRACTIVE_DITHER_2 the zero marker becomes 0.0.
func dequantize[T int32 | int64](t *tiled, raw []byte, ints []T, k int64, scale, zero float64, hasNull bool, nullVal int64) {
	nan := math.NaN()
	f32 := t.info.Bitpix == -32
	if f32 {
		raw = raw[:4*len(ints)]
	} else {
		raw = raw[:8*len(ints)]
	}
	store := func(i int, v float64) {
		if f32 {
			binary.BigEndian.PutUint32(raw[4*i:], math.Float32bits(float32(v)))
		} else {
			binary.BigEndian.PutUint64(raw[8*i:], math.Float64bits(v))
		}
	}
	if t.dither == 0 {
		for i, q := range ints {
			if hasNull && int64(q) == nullVal {
				store(i, nan)
				continue
			}
			store(i, float64(float64(q)*scale)+zero)
		}
		return
	}
	iseed := int((k + t.c.Dither0 - 1) % nRandom)
	if iseed < 0 {
		iseed += nRandom
	}
	next := int(randomSequence[iseed] * 500)
	d2 := t.dither == 2
	for i := 0; i < len(ints); {
		// Pixels until the sequence index wraps.
		m := min(len(ints)-i, nRandom-next)
		rs := randomSequence[next : next+m]
		qs := ints[i : i+m]
		if f32 {
			out := raw[4*i : 4*(i+m)]
			for j, q := range qs {
				var v float32
				switch {
				case hasNull && int64(q) == nullVal:
					v = float32(nan)
				case d2 && q == zeroValue:
					v = 0
				default:
					v = float32(float64(float64(float64(q)-float64(rs[j])+0.5)*scale) + zero)
				}
				binary.BigEndian.PutUint32(out[4*j:], math.Float32bits(v))
			}
		} else {
			out := raw[8*i : 8*(i+m)]
			for j, q := range qs {
				var v float64
				switch {
				case hasNull && int64(q) == nullVal:
					v = nan
				case d2 && q == zeroValue:
					v = 0
				default:
					v = float64(float64(float64(q)-float64(rs[j])+0.5)*scale) + zero
				}
				binary.BigEndian.PutUint64(out[8*j:], math.Float64bits(v))
			}
		}
		i += m
		next += m
		if next == nRandom {
			iseed++
			if iseed == nRandom {
				iseed = 0
			}
			next = int(randomSequence[iseed] * 500)
		}
	}
}

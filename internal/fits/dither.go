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
// 1043618065.
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
// image's BITPIX, exactly as CFITSIO's funpack does:
// (float)(((double)i - r + 0.5)*scale + zero) with the dither offsets r taken
// from the standard sequence starting at (k + ZDITHER0 - 1) mod 10000; no dither
// for NO_DITHER (i*scale + zero); null integers become NaN; for
// SUBTRACTIVE_DITHER_2 the zero marker becomes 0.0.
func (d *tileDecoder) dequantize(raw []byte, ints []int64, k int64, scale, zero float64, hasNull bool, nullVal int64) {
	t := d.t
	f32 := t.info.Bitpix == -32
	put := func(i int, v float64) {
		if f32 {
			binary.BigEndian.PutUint32(raw[4*i:], math.Float32bits(float32(v)))
		} else {
			binary.BigEndian.PutUint64(raw[8*i:], math.Float64bits(v))
		}
	}
	nan := math.NaN()
	if t.dither == 0 {
		for i, q := range ints {
			if hasNull && q == nullVal {
				put(i, nan)
				continue
			}
			put(i, float64(float64(q)*scale)+zero)
		}
		return
	}
	iseed := int((k + t.c.Dither0 - 1) % nRandom)
	if iseed < 0 {
		iseed += nRandom
	}
	next := int(randomSequence[iseed] * 500)
	for i, q := range ints {
		switch {
		case hasNull && q == nullVal:
			put(i, nan)
		case t.dither == 2 && q == zeroValue:
			put(i, 0)
		default:
			r := float64(randomSequence[next])
			put(i, float64(float64(float64(q)-r+0.5)*scale)+zero)
		}
		next++
		if next == nRandom {
			iseed++
			if iseed == nRandom {
				iseed = 0
			}
			next = int(randomSequence[iseed] * 500)
		}
	}
}

package stretch

import (
	"fmt"
	"math"
)

// LuptonRGB is astropy's make_lupton_rgb(r, g, b, minimum, stretch, Q) on
// float64 images of the same length: an asinh mapping of the mean intensity
// applied to all three bands (Lupton et al. 2004), returned as interleaved
// 8-bit RGB (len 3·len(r)), in the input pixel order. It returns nil when the
// lengths differ; LuptonRGB64 reports that as an error and takes one minimum
// per band.
func LuptonRGB(r, g, b []float64, minimum, stretch, q float64) []uint8 {
	out, err := LuptonRGB64(r, g, b, [3]float64{minimum, minimum, minimum}, stretch, q)
	if err != nil {
		return nil
	}
	return out
}

// luptonConsts returns astropy's AsinhMapping constants: Q is replaced by 0.1
// when |Q| < 2^-23 and capped at 1e10; slope = 0.1·255/asinh(0.1·Q);
// soften = Q/stretch.
func luptonConsts(stretch, q float64) (slope, soften float64) {
	if math.Abs(q) < 1.0/(1<<23) {
		q = 0.1
	} else if q > 1e10 {
		q = 1e10
	}
	slope = 0.1 * 255 / math.Asinh(0.1*q)
	soften = q / stretch
	return slope, soften
}

func checkLens(n ...int) error {
	for _, v := range n[1:] {
		if v != n[0] {
			return fmt.Errorf("stretch: RGB bands have different lengths %v", n)
		}
	}
	return nil
}

// LuptonRGB64 is make_lupton_rgb on float64 inputs with a minimum per band
// (astropy accepts one value or three). All arithmetic is in float64, as numpy
// does for float64 arrays.
func LuptonRGB64(r, g, b []float64, minimum [3]float64, stretch, q float64) ([]uint8, error) {
	if err := checkLens(len(r), len(g), len(b)); err != nil {
		return nil, err
	}
	slope, soften := luptonConsts(stretch, q)
	out := make([]uint8, 3*len(r))
	for i := range r {
		c := [3]float64{r[i] - minimum[0], g[i] - minimum[1], b[i] - minimum[2]}
		in := (c[0] + c[1] + c[2]) / 3.0
		var fac float64
		if !(in <= 0) {
			fac = math.Asinh(float64(in*soften)) * slope / in
		}
		for k := range c {
			c[k] = float64(c[k] * fac)
			if c[k] < 0 {
				c[k] = 0
			}
		}
		d := luptonDivisor(c[0], c[1], c[2])
		for k := range c {
			v := c[k]
			if d >= 255 {
				v = float64(v*255) / d
			}
			out[3*i+k] = toUint8(v)
		}
	}
	return out, nil
}

// luptonDivisor returns the value astropy's nested np.where picks to rescale a
// pixel whose largest band exceeds 255 (ties and NaN follow its comparisons).
func luptonDivisor[T float32 | float64](r0, g0, b0 T) T {
	if r0 > g0 {
		if r0 > b0 {
			return r0
		}
		return b0
	}
	if g0 > b0 {
		return g0
	}
	return b0
}

// toUint8 is numpy's astype(uint8) for values produced here: truncation
// toward zero; NaN (and anything outside [0, 256)) becomes what x86 produces
// for such conversions, 0 for NaN.
func toUint8[T float32 | float64](v T) uint8 {
	if !(v >= 0) {
		return 0
	}
	if v >= 256 {
		return uint8(int64(v)) // wraps like a C conversion through int
	}
	return uint8(v)
}

// LuptonRGB32 is make_lupton_rgb on float32 inputs computed as numpy does for
// float32 arrays: every operation in float32 (the minimum, Q/stretch and the
// slope are rounded to float32 first; asinh is evaluated in float64 and
// rounded, numpy uses asinhf). This reproduces astropy's output for the FITS
// float32 bands exactly or within ±1.
func LuptonRGB32(r, g, b []float32, minimum [3]float64, stretch, q float64) ([]uint8, error) {
	if err := checkLens(len(r), len(g), len(b)); err != nil {
		return nil, err
	}
	slope64, soften64 := luptonConsts(stretch, q)
	slope, soften := float32(slope64), float32(soften64)
	m := [3]float32{float32(minimum[0]), float32(minimum[1]), float32(minimum[2])}
	out := make([]uint8, 3*len(r))
	for i := range r {
		c := [3]float32{r[i] - m[0], g[i] - m[1], b[i] - m[2]}
		in := float32(float32(c[0]+c[1])+c[2]) / 3
		var fac float32
		if !(in <= 0) {
			a := float32(math.Asinh(float64(float32(in * soften))))
			fac = float32(a*slope) / in
		}
		for k := range c {
			c[k] = float32(c[k] * fac)
			if c[k] < 0 {
				c[k] = 0
			}
		}
		d := luptonDivisor(c[0], c[1], c[2])
		for k := range c {
			v := c[k]
			if d >= 255 {
				v = float32(v*255) / d
			}
			out[3*i+k] = toUint8(v)
		}
	}
	return out, nil
}

// Band is one input of a hue-preserving RGB composite: pixel values and the
// interval (Lo, Hi) that maps them to [0, 1] (from any Interval, per band).
type Band struct {
	Data   []float64
	Lo, Hi float64
}

// Composite makes a hue-preserving RGB composite of three bands (three images
// or three HiPS layers resampled to the same grid), Lupton-style but with
// per-band intervals and any stretch: each band is normalised x_c =
// (v − Lo)/(Hi − Lo); the intensity I = mean(x_r, x_g, x_b) is stretched
// (s.Apply(I)) and every band is multiplied by s.Apply(I)/I, so the band
// ratios (the hue) are kept; negative bands become 0 and a pixel whose
// largest band exceeds 1 is divided by it (hue kept, as make_lupton_rgb
// does). Output: interleaved 8-bit RGB, value·255 truncated. NaN in any band
// gives black. With s = Asinh-like stretches this is make_lupton_rgb with
// per-band scaling.
func Composite(r, g, b Band, s Stretch) ([]uint8, error) {
	if err := checkLens(len(r.Data), len(g.Data), len(b.Data)); err != nil {
		return nil, err
	}
	if s == nil {
		s = Linear{}
	}
	bands := [3]Band{r, g, b}
	var scale [3]float64
	for k, bd := range bands {
		d := bd.Hi - bd.Lo
		if !(d > 0) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("stretch: composite band %d has an empty or invalid interval [%g, %g]", k, bd.Lo, bd.Hi)
		}
		scale[k] = 1 / d
	}
	out := make([]uint8, 3*len(r.Data))
	for i := range r.Data {
		var x [3]float64
		for k, bd := range bands {
			x[k] = (bd.Data[i] - bd.Lo) * scale[k]
		}
		in := (x[0] + x[1] + x[2]) / 3
		if !(in > 0) || math.IsInf(in, 0) {
			continue // black (also NaN)
		}
		fac := s.Apply(math.Min(in, 1)) / in
		mx := 0.0
		for k := range x {
			x[k] *= fac
			if !(x[k] > 0) {
				x[k] = 0
			}
			mx = math.Max(mx, x[k])
		}
		if mx > 1 {
			for k := range x {
				x[k] /= mx
			}
		}
		for k := range x {
			out[3*i+k] = toUint8(x[k] * 255)
		}
	}
	return out, nil
}

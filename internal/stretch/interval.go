package stretch

import (
	"math"
)

// Interval computes display limits (lo, hi) from pixel values, as
// astropy.visualization's intervals do. NaN and ±Inf values are ignored.
// When data holds no finite value, every interval in this package returns
// (NaN, NaN) (astropy raises an error); Params maps everything to
// transparent in that case.
type Interval interface {
	Limits(data []float64) (lo, hi float64)
}

// IntervalF32 is implemented by the intervals of this package that can work on
// float32 pixels (FITS display data) and on a sequence of chunks (HiPS tiles)
// treated as their concatenation in order, without copying them into one
// []float64. The results equal Limits on the float64-converted concatenation.
type IntervalF32 interface {
	LimitsF32(chunks ...[]float32) (lo, hi float64)
}

// LimitsF32 computes the limits of iv over the concatenation of chunks. It uses
// iv's own streaming implementation when it has one (every interval of this
// package does) and otherwise converts the chunks to one []float64.
// A whole image is one chunk; a set of HiPS FITS tiles is one chunk per tile;
// "visible pixels" is whatever sample slice the caller gathered.
func LimitsF32(iv Interval, chunks ...[]float32) (lo, hi float64) {
	if s, ok := iv.(IntervalF32); ok {
		return s.LimitsF32(chunks...)
	}
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	all := make([]float64, 0, n)
	for _, c := range chunks {
		for _, v := range c {
			all = append(all, float64(v))
		}
	}
	return iv.Limits(all)
}

// LimitsChunks computes the limits of iv over the concatenation of float64
// chunks (e.g. HiPS tiles decoded as float64).
func LimitsChunks(iv Interval, chunks ...[]float64) (lo, hi float64) {
	if len(chunks) == 1 {
		return iv.Limits(chunks[0])
	}
	switch v := iv.(type) {
	case MinMax:
		return minMaxChunks(chunks)
	case Manual:
		return v.Min, v.Max
	case Percentile:
		l, u := v.bounds()
		return percentileChunks(chunks, l, u)
	case PercentileRange:
		return percentileChunks(chunks, v.Lower, v.Upper)
	case ZScale:
		return zscaleChunks(v, chunks, nil)
	}
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	all := make([]float64, 0, n)
	for _, c := range chunks {
		all = append(all, c...)
	}
	return iv.Limits(all)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// MinMax is astropy's MinMaxInterval: the minimum and maximum finite values.
type MinMax struct{}

// Limits returns the minimum and maximum finite values of data.
func (MinMax) Limits(data []float64) (lo, hi float64) { return minMaxChunks([][]float64{data}) }

// LimitsF32 returns the minimum and maximum finite values of the chunks.
func (MinMax) LimitsF32(chunks ...[]float32) (lo, hi float64) {
	lo32, hi32 := float32(math.Inf(1)), float32(math.Inf(-1))
	found := false
	for _, c := range chunks {
		for _, v := range c {
			// v-v is 0 for finite v and NaN for NaN and ±Inf.
			if v-v != 0 {
				continue
			}
			found = true
			if v < lo32 {
				lo32 = v
			}
			if v > hi32 {
				hi32 = v
			}
		}
	}
	if !found {
		return math.NaN(), math.NaN()
	}
	return float64(lo32), float64(hi32)
}

func minMaxChunks(chunks [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	found := false
	for _, c := range chunks {
		for _, v := range c {
			if v-v != 0 {
				continue
			}
			found = true
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
	}
	if !found {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// Manual is astropy's ManualInterval with both limits given.
type Manual struct{ Min, Max float64 }

// Limits returns m.Min, m.Max whatever the data.
func (m Manual) Limits([]float64) (lo, hi float64) { return m.Min, m.Max }

// LimitsF32 returns m.Min, m.Max whatever the data.
func (m Manual) LimitsF32(...[]float32) (lo, hi float64) { return m.Min, m.Max }

// Percentile is astropy's PercentileInterval(P): it keeps the central P per
// cent of the finite values, cutting (100-P)/2 per cent at each end, with
// numpy's default linear interpolation (index = q/100·(n−1) over the sorted
// finite values). P outside [0, 100] or NaN gives (NaN, NaN).
type Percentile struct{ P float64 }

func (p Percentile) bounds() (lower, upper float64) {
	lower = (100 - p.P) * 0.5
	upper = 100 - lower
	return lower, upper
}

// Limits returns the lower and upper percentiles of the finite values.
func (p Percentile) Limits(data []float64) (lo, hi float64) {
	l, u := p.bounds()
	return percentileChunks([][]float64{data}, l, u)
}

// LimitsF32 is Limits over float32 chunks (exact, by radix selection).
func (p Percentile) LimitsF32(chunks ...[]float32) (lo, hi float64) {
	l, u := p.bounds()
	return percentileChunks(chunks, l, u)
}

// PercentileRange is astropy's AsymmetricPercentileInterval(Lower, Upper), both
// in per cent (0..100). Out-of-range or NaN percentiles give NaN for that limit.
type PercentileRange struct{ Lower, Upper float64 }

// Limits returns the Lower and Upper percentiles of the finite values.
func (p PercentileRange) Limits(data []float64) (lo, hi float64) {
	return percentileChunks([][]float64{data}, p.Lower, p.Upper)
}

// LimitsF32 is Limits over float32 chunks.
func (p PercentileRange) LimitsF32(chunks ...[]float32) (lo, hi float64) {
	return percentileChunks(chunks, p.Lower, p.Upper)
}

// percentileChunks computes numpy's linear-interpolation percentiles lower and
// upper (per cent) of the finite values of the concatenated chunks.
func percentileChunks[T float32 | float64](chunks [][]T, lower, upper float64) (lo, hi float64) {
	n := 0
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, c := range chunks {
		for _, v := range c {
			if v-v == 0 {
				n++
				x := float64(v)
				if x < mn {
					mn = x
				}
				if x > mx {
					mx = x
				}
			}
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	sel := newSelector(chunks, n, mn, mx)
	var ranks []int
	for _, q := range []float64{lower, upper} {
		if k, ok := percentileRank(n, q); ok {
			ranks = append(ranks, k, k+1)
		}
	}
	sel.prepare(ranks...)
	return sel.percentile(lower), sel.percentile(upper)
}

// percentileRank returns the lower order statistic numpy's linear method
// reads for percentile q of n values.
func percentileRank(n int, q float64) (int, bool) {
	if math.IsNaN(q) || q < 0 || q > 100 {
		return 0, false
	}
	vi := float64(float64(n-1) * (q / 100))
	if vi >= float64(n-1) {
		return n - 1, true
	}
	return int(math.Floor(vi)), true
}

// percentile evaluates numpy.percentile(values, q) with method "linear"
// (numpy 1.22+): virtual index (n-1)·q/100, then _lerp between the
// neighbouring order statistics.
func (s *selector[T]) percentile(q float64) float64 {
	if math.IsNaN(q) || q < 0 || q > 100 {
		return math.NaN()
	}
	quant := q / 100
	vi := float64(float64(s.n-1) * quant)
	prev := math.Floor(vi)
	var a, b float64
	if vi >= float64(s.n-1) {
		// numpy clamps both neighbours to the last element.
		a = s.rank(s.n - 1)
		b = a
		prev = -1
	} else if vi < 0 {
		a = s.rank(0)
		b = a
		prev = 0
	} else {
		k := int(prev)
		a, b = s.rank2(k)
	}
	t := vi - prev
	return lerp(a, b, t)
}

// lerp is numpy's _lerp: a + (b-a)·t, or b - (b-a)·(1-t) when t >= 0.5.
func lerp(a, b, t float64) float64 {
	d := b - a
	if t >= 0.5 {
		return b - float64(d*(1-t))
	}
	return a + float64(d*t)
}

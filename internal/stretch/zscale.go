package stretch

import (
	"math"
	"slices"
	"unsafe"
)

// ZScale is astropy's ZScaleInterval (IRAF's zscale). The zero value uses
// astropy's defaults; any field <= 0 (MaxReject < 0) takes its default:
// NSamples 1000, Contrast 0.25, MaxReject 0.5, MinNPixels 5, KRej 2.5,
// MaxIterations 5.
//
// Algorithm (astropy 5.2, step by step): take the finite values in order;
// stride = int(max(1, n/NSamples)); samples = values[::stride][:NSamples],
// sorted; minpix = max(MinNPixels, int(npix·MaxReject)); ngrow =
// max(1, int(npix·0.01)). Then up to MaxIterations times, while the number of
// good pixels decreases and stays >= minpix: fit a straight line to
// (index, sample) over the good pixels (least squares), threshold =
// KRej·std(residuals of good pixels), mark pixels with |residual| > threshold
// bad, and dilate the bad mask by numpy.convolve(mask, ones(ngrow),
// mode="same"). If at least minpix pixels stay good, slope /= Contrast and
// lo = max(sample_min, median − (center−1)·slope), hi = min(sample_max,
// median + (npix−center)·slope) with center = (npix−1)/2; otherwise the
// sample minimum and maximum.
type ZScale struct {
	NSamples      int
	Contrast      float64
	MaxReject     float64
	MinNPixels    int
	KRej          float64
	MaxIterations int
}

// ZScaleIteration records one rejection iteration of ZScale.
type ZScaleIteration struct {
	Slope, Intercept float64 // fitted line sample ≈ Intercept + Slope·index
	Threshold        float64 // KRej · std of the residuals of the good pixels
	NGoodAfter       int     // good pixels after rejection and dilation
}

// ZScaleTrace holds the intermediate values of one ZScale computation.
type ZScaleTrace struct {
	NFinite    int // finite input values
	Stride     int
	NSamples   int // samples used (npix)
	MinPix     int
	NGrow      int
	Iterations []ZScaleIteration
	SampleMin  float64
	SampleMax  float64
	Median     float64
	// Fitted is true when enough pixels survived and the limits come from the
	// fit; SlopeOverContrast is then the final slope divided by Contrast.
	Fitted            bool
	SlopeOverContrast float64
}

func (z ZScale) withDefaults() ZScale {
	if z.NSamples <= 0 {
		z.NSamples = 1000
	}
	if !(z.Contrast > 0) {
		z.Contrast = 0.25
	}
	if !(z.MaxReject > 0) {
		z.MaxReject = 0.5
	}
	if z.MinNPixels <= 0 {
		z.MinNPixels = 5
	}
	if !(z.KRej > 0) {
		z.KRej = 2.5
	}
	if z.MaxIterations <= 0 {
		z.MaxIterations = 5
	}
	return z
}

// Limits returns the zscale limits of the finite values of data.
func (z ZScale) Limits(data []float64) (lo, hi float64) {
	return zscaleChunks(z, [][]float64{data}, nil)
}

// LimitsF32 returns the zscale limits of the concatenated float32 chunks; the
// values are converted to float64 as the reference does.
func (z ZScale) LimitsF32(chunks ...[]float32) (lo, hi float64) {
	return zscaleChunks(z, chunks, nil)
}

// Trace runs Limits and also returns the algorithm's intermediate values.
func (z ZScale) Trace(data []float64) (lo, hi float64, tr ZScaleTrace) {
	lo, hi = zscaleChunks(z, [][]float64{data}, &tr)
	return lo, hi, tr
}

// TraceF32 is Trace over float32 chunks.
func (z ZScale) TraceF32(chunks ...[]float32) (lo, hi float64, tr ZScaleTrace) {
	lo, hi = zscaleChunks(z, chunks, &tr)
	return lo, hi, tr
}

// LimitsF32AllFinite is LimitsF32 for chunks whose values the caller knows
// to be all finite (fits.Image.AllFinite): the pass counting the finite
// values, the only one that reads every value, is skipped, and the samples
// are taken at their indices. With a NaN or an infinity among the values the
// result is undefined.
func (z ZScale) LimitsF32AllFinite(chunks ...[]float32) (lo, hi float64) {
	// Every block is full: the sampling pass takes its samples at their
	// places without reading the rest.
	var counts []int32
	n := 0
	for _, c := range chunks {
		for s := 0; s < len(c); s += zBlock {
			counts = append(counts, int32(min(zBlock, len(c)-s)))
		}
		n += len(c)
	}
	return zscaleCollect(z.withDefaults(), chunks, zBlock, counts, n, &ZScaleTrace{})
}

// LimitsF32Counted is LimitsF32 over data whose finite values were counted
// beforehand per block of block values (counts[i] for data[i·block :
// (i+1)·block]), e.g. while the data was decoded (fits.Image.FiniteCounts):
// the pass counting them, the only one that reads every value, is skipped.
// Counts of the wrong length, or a block < 1, are not used (the values are
// counted); counts that are wrong otherwise give undefined limits.
func (z ZScale) LimitsF32Counted(data []float32, block int, counts []int32) (lo, hi float64) {
	if block < 1 || len(counts) != (len(data)+block-1)/block {
		return z.LimitsF32(data)
	}
	n := 0
	for _, c := range counts {
		n += int(c)
	}
	return zscaleCollect(z.withDefaults(), [][]float32{data}, block, counts, n, &ZScaleTrace{})
}

// zBlock is the block of values zscaleChunks counts the finite values of.
const zBlock = 512

func zscaleChunks[T float32 | float64](z ZScale, chunks [][]T, tr *ZScaleTrace) (lo, hi float64) {
	z = z.withDefaults()
	if tr == nil {
		tr = &ZScaleTrace{}
	}
	// Pass 1: count the finite values, per block of zBlock values, so that
	// pass 2 can skip whole blocks between samples.
	n := 0
	var blockCounts []int32
	for _, c := range chunks {
		for s := 0; s < len(c); s += zBlock {
			cnt := countFinite(c[s:min(s+zBlock, len(c))])
			blockCounts = append(blockCounts, int32(cnt))
			n += cnt
		}
	}
	return zscaleCollect(z, chunks, zBlock, blockCounts, n, tr)
}

// zscaleCollect is zscale's pass 2 and fit: n finite values, counted per
// block of each chunk in blockCounts.
func zscaleCollect[T float32 | float64](z ZScale, chunks [][]T, block int, blockCounts []int32, n int, tr *ZScaleTrace) (lo, hi float64) {
	tr.NFinite = n
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	stride := int(math.Max(1, float64(n)/float64(z.NSamples)))
	tr.Stride = stride
	// Pass 2: samples = finite values[::stride][:NSamples].
	samples := make([]float64, 0, min(z.NSamples, n))
	i, next, bi := 0, 0, 0 // finite index, next index to take, block index
collect:
	for _, c := range chunks {
		for s := 0; s < len(c); s += block {
			cnt := int(blockCounts[bi])
			bi++
			if i+cnt <= next {
				i += cnt
				continue
			}
			blk := c[s:min(s+block, len(c))]
			if cnt == len(blk) {
				// All finite: the samples in the block are at known places.
				for ; next < i+cnt; next += stride {
					samples = append(samples, float64(blk[next-i]))
					if len(samples) == z.NSamples {
						break collect
					}
				}
				i += cnt
				continue
			}
			for _, v := range blk {
				if v-v != 0 {
					continue
				}
				if i == next {
					samples = append(samples, float64(v))
					if len(samples) == z.NSamples {
						break collect
					}
					next += stride
				}
				i++
			}
		}
	}
	slices.Sort(samples)
	return zscaleSamples(z, samples, tr)
}

// zscaleSamples runs the fit on the sorted samples.
func zscaleSamples(z ZScale, samples []float64, tr *ZScaleTrace) (lo, hi float64) {
	npix := len(samples)
	tr.NSamples = npix
	lo, hi = samples[0], samples[npix-1]
	tr.SampleMin, tr.SampleMax = lo, hi
	minpix := max(z.MinNPixels, int(float64(npix)*z.MaxReject))
	ngrow := max(1, int(float64(npix)*0.01))
	tr.MinPix, tr.NGrow = minpix, ngrow

	bad := make([]bool, npix)
	grown := make([]bool, npix)
	flat := make([]float64, npix)
	ngood, lastNgood := npix, npix+1
	var slope float64
	for it := 0; it < z.MaxIterations; it++ {
		if ngood >= lastNgood || ngood < minpix {
			break
		}
		s, icpt := fitLine(samples, bad)
		slope = s
		for j, v := range samples {
			flat[j] = v - float64(s*float64(j)+icpt)
		}
		thr := z.KRej * stdGood(flat, bad)
		for j, f := range flat {
			if f < -thr || f > thr {
				bad[j] = true
			}
		}
		dilate(grown, bad, ngrow)
		bad, grown = grown, bad
		lastNgood = ngood
		ngood = 0
		for _, b := range bad {
			if !b {
				ngood++
			}
		}
		tr.Iterations = append(tr.Iterations, ZScaleIteration{Slope: s, Intercept: icpt, Threshold: thr, NGoodAfter: ngood})
	}
	tr.Median = median(samples)
	if ngood >= minpix && len(tr.Iterations) > 0 {
		slope /= z.Contrast
		tr.Fitted = true
		tr.SlopeOverContrast = slope
		center := (npix - 1) / 2
		lo = math.Max(lo, tr.Median-float64(center-1)*slope)
		hi = math.Min(hi, tr.Median+float64(npix-center)*slope)
	}
	return lo, hi
}

// fitLine fits samples[j] ≈ icpt + slope·j over the indices that are not bad,
// by least squares with centred sums (the same solution as numpy.polyfit
// with 0/1 weights).
func fitLine(y []float64, bad []bool) (slope, icpt float64) {
	var sw, sx, sy float64
	for j, v := range y {
		if !bad[j] {
			sw++
			sx += float64(j)
			sy += v
		}
	}
	if sw == 0 {
		return math.NaN(), math.NaN()
	}
	mx, my := sx/sw, sy/sw
	var sxx, sxy float64
	for j, v := range y {
		if !bad[j] {
			dx := float64(j) - mx
			sxx += dx * dx
			sxy += dx * (v - my)
		}
	}
	if sxx == 0 {
		// One good point: numpy's lstsq returns the minimum-norm solution.
		// Use a horizontal line through it.
		return 0, my
	}
	slope = sxy / sxx
	return slope, my - slope*mx
}

// stdGood is numpy's std (ddof=0) of the values whose mask is false.
func stdGood(v []float64, bad []bool) float64 {
	var n, s float64
	for j, x := range v {
		if !bad[j] {
			n++
			s += x
		}
	}
	if n == 0 {
		return math.NaN()
	}
	m := s / n
	var ss float64
	for j, x := range v {
		if !bad[j] {
			d := x - m
			ss += d * d
		}
	}
	return math.Sqrt(ss / n)
}

// dilate sets dst to numpy.convolve(src, ones(m, bool), mode="same"):
// dst[i] = OR of src[i-m/2 .. i+(m-1)-m/2] (indices outside are false).
func dilate(dst, src []bool, m int) {
	n := len(src)
	left := m / 2
	right := m - 1 - left
	// Running count of true values in the window.
	cnt := 0
	for j := 0; j <= right && j < n; j++ {
		if src[j] {
			cnt++
		}
	}
	for i := 0; i < n; i++ {
		dst[i] = cnt > 0
		// slide: add i+right+1, remove i-left
		if j := i + right + 1; j < n && src[j] {
			cnt++
		}
		if j := i - left; j >= 0 && src[j] {
			cnt--
		}
	}
}

// median is numpy's median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// countFinite counts the finite values of c. float32 values are tested on
// their bits (exponent not all ones), four at a time and without branches:
// this pass reads every pixel of an image, the rest of ZScale only ~1000.
func countFinite[T float32 | float64](c []T) int {
	if f, ok := any(c).([]float32); ok && len(f) > 0 {
		u := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(f))), len(f))
		const e = 0x7f800000
		// (x&e)^e is 0 only for Inf and NaN; adding 2³¹-1 sets bit 31 otherwise.
		var n uint32
		i := 0
		for ; i+4 <= len(u); i += 4 {
			n += ((u[i] & e) ^ e + 0x7fffffff) >> 31
			n += ((u[i+1] & e) ^ e + 0x7fffffff) >> 31
			n += ((u[i+2] & e) ^ e + 0x7fffffff) >> 31
			n += ((u[i+3] & e) ^ e + 0x7fffffff) >> 31
		}
		for ; i < len(u); i++ {
			n += ((u[i] & e) ^ e + 0x7fffffff) >> 31
		}
		return int(n)
	}
	n := 0
	for _, v := range c {
		if v-v == 0 {
			n++
		}
	}
	return n
}

package stretch

import (
	"encoding/binary"
	"fmt"
	"math"
)

// HistEqTableSize is the number of samples of the histogram-equalisation table
// (Params.HistEq) that the CPU and the GPU interpolate linearly.
const HistEqTableSize = 4096

// Params is the complete display transfer function from a physical pixel value
// to an RGBA colour. It is the one source of truth for the CPU path (Color,
// Colorizer: internal/raster, `viewer render`, the browser test's reference)
// and for the GPU path (Uniforms and ShaderSource: internal/gl). The order of
// the steps, identical on both paths, is:
//
//  1. NaN → transparent (0,0,0,0).
//  2. Normalise with the interval (astropy): x = (v − Lo)/(Hi − Lo) (x = v − Lo
//     when Hi == Lo, as astropy), clipped to [0, 1]; ±Inf clip to 1 or 0.
//  3. Stretch (astropy formulas, see Kind): y = f(x), clipped to [0, 1].
//  4. Colour cell (matplotlib's rule): i = min(int(y·256), 255).
//  5. DS9 contrast/bias (skipped when contrast = 1 and bias = 0.5, as DS9):
//     b = bias (1 − bias when inverted); i = int(((i/256 − b)·contrast + 0.5)
//     ·256) clamped to [0, 255] (DS9's Colorbar::calcContrastBias, with 256
//     cells where DS9 uses 1024).
//  6. Invert (DS9): i = 255 − i. Reversal by a "_r" colormap name reverses the
//     table itself; both may be combined.
//  7. RGB = LUT[i], alpha 255.
type Params struct {
	Lo, Hi float64 // interval limits in physical units (from any Interval)
	Kind   Kind    // stretch function
	// A is the stretch parameter: a of Log (default 1000), Asinh (0.1), Sinh
	// (1/3), Power (1), the slope of Linear (1); 0 means the default.
	A float64
	// B is the intercept of Linear (default 0).
	B float64
	// Contrast and Bias are DS9's colormap contrast (0..10, default 1) and bias
	// (0..1, default 0.5); both zero means the defaults.
	Contrast, Bias float64
	Invert         bool   // DS9 invert: colormap reversed and bias mirrored
	Colormap       string // a name from Colormaps(), optionally with "_r"; "" = grey
	// HistEq is the histogram-equalisation table for KindHistEq, from
	// (*HistEq).Table(HistEqTableSize) (any length >= 2 works).
	HistEq []float32
}

// ContrastBiasActive reports whether the contrast/bias step changes colours
// (else ShaderSourcePlain draws them).
func (p Params) ContrastBiasActive() bool {
	_, _, active := p.contrastBias()
	return active
}

// contrastBias returns the effective contrast and bias and whether they are
// active (DS9 skips them at contrast 1, bias 0.5).
func (p Params) contrastBias() (c, b float64, active bool) {
	c, b = p.Contrast, p.Bias
	if c == 0 && b == 0 {
		c, b = 1, 0.5
	}
	if math.Abs(b-0.5) < 0.0001 && math.Abs(c-1) < 0.0001 {
		return c, b, false
	}
	if p.Invert {
		b = 1 - b
	}
	return c, b, true
}

// Validate reports what is wrong with p, if anything.
func (p Params) Validate() error {
	if p.Kind < KindLinear || p.Kind > KindHistEq {
		return fmt.Errorf("stretch: invalid stretch kind %d", int(p.Kind))
	}
	if math.IsNaN(p.A) || math.IsInf(p.A, 0) || math.IsNaN(p.B) || math.IsInf(p.B, 0) {
		return fmt.Errorf("stretch: stretch parameters must be finite (a=%g, b=%g)", p.A, p.B)
	}
	switch p.Kind {
	case KindLog, KindAsinh, KindSinh, KindPower:
		if p.A < 0 {
			return fmt.Errorf("stretch: %v parameter a must be positive, got %g", p.Kind, p.A)
		}
		norm, a := 1.0, Power{A: p.A}.Param()
		switch p.Kind {
		case KindLog:
			norm, a = Log{A: p.A}.Norm(), Log{A: p.A}.Param()
		case KindAsinh:
			norm, a = Asinh{A: p.A}.Norm(), Asinh{A: p.A}.Param()
		case KindSinh:
			norm, a = Sinh{A: p.A}.Norm(), Sinh{A: p.A}.Param()
		}
		if !(norm > 0) || math.IsInf(norm, 0) || math.IsInf(1/a, 0) {
			return fmt.Errorf("stretch: %v parameter a = %g is out of the usable range (normalising constant %g)", p.Kind, p.A, norm)
		}
	case KindHistEq:
		if len(p.HistEq) < 2 {
			return fmt.Errorf("stretch: histeq needs a table of at least 2 entries, got %d", len(p.HistEq))
		}
	}
	if math.IsNaN(p.Contrast) || math.IsInf(p.Contrast, 0) || math.IsNaN(p.Bias) || math.IsInf(p.Bias, 0) {
		return fmt.Errorf("stretch: contrast and bias must be finite (contrast=%g, bias=%g)", p.Contrast, p.Bias)
	}
	if _, err := LUT(p.colormap(), false); err != nil {
		return err
	}
	return nil
}

func (p Params) colormap() string {
	if p.Colormap == "" {
		return "grey"
	}
	return p.Colormap
}

// Stretch returns the Go stretch that step 3 applies (for KindHistEq, linear
// interpolation in p.HistEq). It assumes p is valid.
func (p Params) Stretch() Stretch {
	switch p.Kind {
	case KindSqrt:
		return Sqrt{}
	case KindLog:
		return Log{A: p.A}
	case KindAsinh:
		return Asinh{A: p.A}
	case KindPower:
		return Power{A: p.A}
	case KindSinh:
		return Sinh{A: p.A}
	case KindSquared:
		return Squared{}
	case KindHistEq:
		return tableStretch(p.HistEq)
	}
	return Linear{Slope: p.A, Intercept: p.B}
}

// tableStretch interpolates linearly in a table sampled at k/(n−1): the GPU
// form of HistEq.
type tableStretch []float32

// Apply interpolates the table at clip(x).
func (t tableStretch) Apply(x float64) float64 {
	x = clip01(x)
	if math.IsNaN(x) || len(t) == 0 {
		return math.NaN()
	}
	if len(t) == 1 {
		return float64(t[0])
	}
	pos := x * float64(len(t)-1)
	k := int(pos)
	if k > len(t)-2 {
		k = len(t) - 2
	}
	f := pos - float64(k)
	a, b := float64(t[k]), float64(t[k+1])
	return a + (b-a)*f
}

// normalise is step 2.
func normalise(v, lo, hi float64) float64 {
	x := v - lo
	if d := hi - lo; d != 0 {
		x /= d
	}
	return clip01(x)
}

// cellOf is steps 3 and 4 on a normalised x (not NaN).
func cellOf(s Stretch, x float64) int {
	y := clip01(s.Apply(x))
	if !(y >= 0) { // NaN from a degenerate stretch
		return 0
	}
	i := int(y * 256)
	if i > 255 {
		i = 255
	}
	return i
}

// remapCell is steps 5 and 6: DS9's calcContrastBias (float32 as DS9, the last
// two operations in double as in its C expression) and invert.
func remapCell(i int, c, b float64, active, invert bool) int {
	if active {
		t := float32(float32(float32(i)/256-float32(b)) * float32(c))
		r := math.Trunc((float64(t) + 0.5) * 256)
		switch {
		case !(r >= 0):
			i = 0
		case r >= 256:
			i = 255
		default:
			i = int(r)
		}
	}
	if invert {
		i = 255 - i
	}
	return i
}

// Color maps one physical value to RGBA through steps 1–7. It recomputes the
// colormap look-up each call; use Compile for many values. An invalid p gives
// transparent.
func (p Params) Color(v float64) [4]uint8 {
	if err := p.Validate(); err != nil {
		return [4]uint8{}
	}
	lut, _ := LUT(p.colormap(), false)
	x := normalise(v, p.Lo, p.Hi)
	if math.IsNaN(x) {
		return [4]uint8{}
	}
	c, b, active := p.contrastBias()
	i := remapCell(cellOf(p.Stretch(), x), c, b, active, p.Invert)
	return [4]uint8{lut[i][0], lut[i][1], lut[i][2], 255}
}

// Colorizer is a compiled Params for bulk CPU rendering. It gives exactly the
// same colours as Params.Color: the stretch is evaluated only to find, for
// each colour cell, the smallest normalised value that reaches it (the
// stretches are monotonic), so each pixel costs a normalisation and a short
// table search.
type Colorizer struct {
	p         Params
	s         Stretch
	rgba      [256][4]uint8 // cell (after step 4) → final colour (steps 5–7)
	rgba32    [256]uint32   // the same, packed little-endian for one store
	monotonic bool
	thr       [257]float64 // thr[k]: smallest x with cell >= k (thr[256] = +Inf)
	bucket    [colorBuckets]uint8

	// float32 fast path (Lo <= Hi finite, monotonic stretch): thresholds in
	// value space, so a pixel costs no division and no conversion.
	fast32 bool
	t32    [257]float32 // t32[k]: smallest float32 value with cell >= k; NaN if none
	b32    [colorBuckets]uint8
	lo32   float32
	bs32   float32
}

const colorBuckets = 4096

// Compile validates p and prepares it for bulk use.
func (p Params) Compile() (*Colorizer, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	lut, _ := LUT(p.colormap(), false)
	z := &Colorizer{p: p, s: p.Stretch()}
	c, b, active := p.contrastBias()
	for i := range z.rgba {
		j := remapCell(i, c, b, active, p.Invert)
		z.rgba[i] = [4]uint8{lut[j][0], lut[j][1], lut[j][2], 255}
		z.rgba32[i] = binary.LittleEndian.Uint32(z.rgba[i][:])
	}
	z.monotonic = cellOf(z.s, 0) <= cellOf(z.s, 1) && !(p.Kind == KindLinear && p.A < 0)
	if p.Kind == KindHistEq {
		for k := 1; k < len(p.HistEq); k++ {
			if !(p.HistEq[k] >= p.HistEq[k-1]) {
				z.monotonic = false
			}
		}
	}
	if z.monotonic {
		oneBits := math.Float64bits(1)
		for k := 0; k <= 256; k++ {
			if k == 256 || cellOf(z.s, 1) < k {
				z.thr[k] = math.Inf(1)
				continue
			}
			// Smallest bit pattern in [0, bits(1)] whose value reaches cell k.
			lo, hi := uint64(0), oneBits
			for lo < hi {
				m := lo + (hi-lo)/2
				if cellOf(z.s, math.Float64frombits(m)) >= k {
					hi = m
				} else {
					lo = m + 1
				}
			}
			z.thr[k] = math.Float64frombits(lo)
		}
		for bk := range z.bucket {
			z.bucket[bk] = uint8(cellOf(z.s, float64(bk)/colorBuckets))
		}
		z.prepareF32()
	}
	return z, nil
}

// key32 maps a float32 to a uint32 in numeric order (NaN excluded).
func key32(v float32) uint32 {
	b := math.Float32bits(v)
	if b>>31 != 0 {
		return ^b
	}
	return b | 1<<31
}

func fromKey32(k uint32) float32 {
	if k>>31 != 0 {
		return math.Float32frombits(k &^ (1 << 31))
	}
	return math.Float32frombits(^k)
}

// prepareF32 sets up the float32 fast path: the value → cell function
// v ↦ cellOf(normalise(float64(v))) is monotonic when Lo <= Hi, so each cell
// starts at a float32 threshold found by bisection over the ordered float32
// values; a linear bucket table over [Lo, Hi] gives the search a start.
func (z *Colorizer) prepareF32() {
	lo, hi := z.p.Lo, z.p.Hi
	if !isFinite(lo) || !isFinite(hi) || hi < lo || !isFinite(hi-lo) {
		return
	}
	cellv := func(v float32) int { return cellOf(z.s, normalise(float64(v), lo, hi)) }
	kmin, kmax := key32(float32(math.Inf(-1))), key32(float32(math.Inf(1)))
	top := cellv(float32(math.Inf(1)))
	z.t32[0] = float32(math.Inf(-1))
	for k := 1; k <= 256; k++ {
		if k == 256 || top < k {
			z.t32[k] = float32(math.NaN())
			continue
		}
		a, b := kmin, kmax
		for a < b {
			m := a + (b-a)/2
			if cellv(fromKey32(m)) >= k {
				b = m
			} else {
				a = m + 1
			}
		}
		z.t32[k] = fromKey32(a)
	}
	z.lo32 = float32(lo)
	if hi > lo {
		z.bs32 = float32(colorBuckets / (hi - lo))
	}
	if !(z.bs32 > 0) || math.IsInf(float64(z.bs32), 0) {
		z.bs32 = 0 // one bucket: the search starts at cell 0
	}
	// b32[b] = number of thresholds whose bucket is below b: every value in
	// bucket b is above them (the bucket function is monotonic).
	var starts [colorBuckets + 1]int
	for k := 1; k < 256; k++ {
		t := z.t32[k]
		if t != t {
			break
		}
		starts[z.bucketOf(t)+1]++
	}
	n := 0
	for b := range z.b32 {
		n += starts[b]
		z.b32[b] = uint8(n)
	}
	z.fast32 = true
}

func (z *Colorizer) bucketOf(v float32) int {
	f := (v - z.lo32) * z.bs32
	if !(f > 0) { // also NaN from Inf·0
		return 0
	}
	if f > colorBuckets-1 {
		return colorBuckets - 1
	}
	return int(f)
}

// cell is steps 3 and 4 using the thresholds.
func (z *Colorizer) cell(x float64) int {
	if !z.monotonic {
		return cellOf(z.s, x)
	}
	bk := int(x * colorBuckets)
	if bk >= colorBuckets {
		bk = colorBuckets - 1
	}
	c := int(z.bucket[bk])
	for c < 255 && x >= z.thr[c+1] {
		c++
	}
	return c
}

// Color is Params.Color for the compiled parameters.
func (z *Colorizer) Color(v float64) [4]uint8 {
	x := normalise(v, z.p.Lo, z.p.Hi)
	if math.IsNaN(x) {
		return [4]uint8{}
	}
	return z.rgba[z.cell(x)]
}

// ColorizeF32 writes the RGBA colour of each src value to dst (4 bytes per
// value, len(dst) >= 4·len(src)).
func (z *Colorizer) ColorizeF32(dst []uint8, src []float32) error {
	if len(dst) < 4*len(src) {
		return fmt.Errorf("stretch: RGBA buffer has %d bytes, need %d", len(dst), 4*len(src))
	}
	dst = dst[:4*len(src)]
	if z.fast32 {
		for i, v := range src {
			var c uint32
			if v == v {
				k := int(z.b32[z.bucketOf(v)])
				for k < 255 && v >= z.t32[k+1] {
					k++
				}
				c = z.rgba32[k]
			}
			binary.LittleEndian.PutUint32(dst[4*i:], c)
		}
		return nil
	}
	lo, hi := z.p.Lo, z.p.Hi
	for i, v := range src {
		x := normalise(float64(v), lo, hi)
		var c uint32
		if x == x { // not NaN
			c = z.rgba32[z.cell(x)]
		}
		binary.LittleEndian.PutUint32(dst[4*i:], c)
	}
	return nil
}

// ColorizeF64 is ColorizeF32 for float64 values.
func (z *Colorizer) ColorizeF64(dst []uint8, src []float64) error {
	if len(dst) < 4*len(src) {
		return fmt.Errorf("stretch: RGBA buffer has %d bytes, need %d", len(dst), 4*len(src))
	}
	for i, v := range src {
		c := z.Color(v)
		copy(dst[4*i:4*i+4], c[:])
	}
	return nil
}

// LUTRGBA returns the 256×1 RGBA8 texture the shader samples (the colormap
// of p, reversed if its name ends in "_r"; invert and contrast/bias are
// applied by the shader, not baked in).
func (p Params) LUTRGBA() ([]uint8, error) {
	lut, err := LUT(p.colormap(), false)
	if err != nil {
		return nil, err
	}
	out := make([]uint8, 4*LUTSize)
	for i, c := range lut {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = c[0], c[1], c[2], 255
	}
	return out, nil
}

// ContrastBiasFromDrag maps a right-button drag position in a view of the
// given size (pixels, y from the top) to DS9's contrast and bias, as DS9's
// ColorbarMotion3 does: bias = x/width, contrast = 10·y/height. A
// non-positive size gives the defaults (1, 0.5).
func ContrastBiasFromDrag(x, y, width, height float64) (contrast, bias float64) {
	if !(width > 0) || !(height > 0) || !isFinite(x) || !isFinite(y) {
		return 1, 0.5
	}
	return y / height * 10, x / width
}

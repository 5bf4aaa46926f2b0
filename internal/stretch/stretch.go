package stretch

import (
	"fmt"
	"math"
	"slices"
)

// Stretch maps a normalised value x in [0, 1] to [0, 1], as the stretches of
// astropy.visualization do with clip=True: x is first clipped to [0, 1]
// (NaN stays NaN), then the formula is applied. The zero value of every
// stretch type is astropy's default for it.
type Stretch interface{ Apply(x float64) float64 }

// Kind identifies a stretch function. The same numbers select the function in
// the GLSL source (uniform u_sgKind), so they are the one source of truth for
// both.
type Kind int

// Stretch kinds.
const (
	KindLinear  Kind = 0 // y = Slope·x + Intercept
	KindSqrt    Kind = 1 // y = sqrt(x)
	KindLog     Kind = 2 // y = log(a·x + 1) / log(a + 1)
	KindAsinh   Kind = 3 // y = asinh(x/a) / asinh(1/a)
	KindPower   Kind = 4 // y = x^a
	KindSinh    Kind = 5 // y = sinh(x/a) / sinh(1/a)
	KindSquared Kind = 6 // y = x²
	KindHistEq  Kind = 7 // y = histogram-equalisation table lookup
)

var kindNames = [...]string{"linear", "sqrt", "log", "asinh", "power", "sinh", "squared", "histeq"}

// NumKinds is the number of stretch kinds (Kind values 0 … NumKinds-1).
const NumKinds = len(kindNames)

// String returns the stretch name used by the JavaScript API ("linear", ...).
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the Kind with the given name ("linear", "sqrt", "log",
// "asinh", "power", "sinh", "squared", "histeq").
func ParseKind(name string) (Kind, error) {
	for i, n := range kindNames {
		if n == name {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("stretch: unknown stretch %q (want one of %v)", name, kindNames)
}

// clip01 is numpy.clip(x, 0, 1): NaN stays NaN.
func clip01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// Linear is astropy's LinearStretch(slope, intercept): y = Slope·x + Intercept.
// The zero value Linear{} is astropy's default (slope 1, intercept 0); a
// constant stretch with slope 0 is not representable (use Intercept with a
// tiny Slope instead).
type Linear struct{ Slope, Intercept float64 }

func (s Linear) params() (slope, icpt float64) {
	if s.Slope == 0 && s.Intercept == 0 {
		return 1, 0
	}
	return s.Slope, s.Intercept
}

// Apply returns Slope·clip(x) + Intercept (not clipped afterwards, as astropy).
func (s Linear) Apply(x float64) float64 {
	m, c := s.params()
	x = clip01(x)
	if m != 1 {
		x = float64(x * m)
	}
	if c != 0 {
		x += c
	}
	return x
}

// Sqrt is astropy's SqrtStretch: y = sqrt(x).
type Sqrt struct{}

// Apply returns sqrt(clip(x)).
func (Sqrt) Apply(x float64) float64 { return math.Sqrt(clip01(x)) }

// Squared is astropy's SquaredStretch: y = x².
type Squared struct{}

// Apply returns clip(x)².
func (Squared) Apply(x float64) float64 { x = clip01(x); return x * x }

// Log is astropy's LogStretch(a): y = log(a·x + 1) / log(a + 1). A == 0 means
// astropy's default a = 1000; A must be positive.
type Log struct{ A float64 }

// Param returns the effective a.
func (s Log) Param() float64 {
	if s.A == 0 {
		return 1000
	}
	return s.A
}

// Norm returns the normalising constant log(a + 1).
func (s Log) Norm() float64 { return math.Log(s.Param() + 1) }

// Apply returns log(a·clip(x) + 1) / log(a + 1).
func (s Log) Apply(x float64) float64 {
	a := s.Param()
	x = clip01(x)
	return math.Log(float64(x*a)+1) / math.Log(a+1)
}

// Asinh is astropy's AsinhStretch(a): y = asinh(x/a) / asinh(1/a). A == 0
// means astropy's default a = 0.1.
type Asinh struct{ A float64 }

// Param returns the effective a.
func (s Asinh) Param() float64 {
	if s.A == 0 {
		return 0.1
	}
	return s.A
}

// Norm returns the normalising constant asinh(1/a).
func (s Asinh) Norm() float64 { return math.Asinh(1 / s.Param()) }

// Apply returns asinh(clip(x)/a) / asinh(1/a).
func (s Asinh) Apply(x float64) float64 {
	a := s.Param()
	return math.Asinh(clip01(x)/a) / math.Asinh(1/a)
}

// Sinh is astropy's SinhStretch(a): y = sinh(x/a) / sinh(1/a). A == 0 means
// astropy's default a = 1/3.
type Sinh struct{ A float64 }

// Param returns the effective a.
func (s Sinh) Param() float64 {
	if s.A == 0 {
		return 1.0 / 3
	}
	return s.A
}

// Norm returns the normalising constant sinh(1/a).
func (s Sinh) Norm() float64 { return math.Sinh(1 / s.Param()) }

// Apply returns sinh(clip(x)/a) / sinh(1/a).
func (s Sinh) Apply(x float64) float64 {
	a := s.Param()
	return math.Sinh(clip01(x)/a) / math.Sinh(1/a)
}

// Power is astropy's PowerStretch(a): y = x^a. astropy has no default a;
// here A == 0 means a = 1 (identity).
type Power struct{ A float64 }

// Param returns the effective a.
func (s Power) Param() float64 {
	if s.A == 0 {
		return 1
	}
	return s.A
}

// Apply returns clip(x)^a.
func (s Power) Apply(x float64) float64 { return math.Pow(clip01(x), s.Param()) }

// HistEq is astropy's HistEqStretch built from data: the finite data values
// sorted and rescaled to [0, 1] are the abscissae, linspace(0, 1, n) the
// ordinates, and Apply is numpy.interp on them. It holds the whole sorted data
// (exact); Table gives a compact version for the GPU.
type HistEq struct {
	xp []float64 // sorted, rescaled data
	fp []float64 // linspace(0, 1, n)
}

// NewHistEq builds a HistEq stretch from data (NaN and ±Inf ignored). It fails
// when data has no finite value.
func NewHistEq(data []float64) (*HistEq, error) {
	xp := make([]float64, 0, len(data))
	for _, v := range data {
		if v-v == 0 {
			xp = append(xp, v)
		}
	}
	return newHistEqSorted(xp)
}

// NewHistEqF32 is NewHistEq for float32 data.
func NewHistEqF32(data []float32) (*HistEq, error) {
	xp := make([]float64, 0, len(data))
	for _, v := range data {
		if v-v == 0 {
			xp = append(xp, float64(v))
		}
	}
	return newHistEqSorted(xp)
}

func newHistEqSorted(xp []float64) (*HistEq, error) {
	n := len(xp)
	if n == 0 {
		return nil, fmt.Errorf("stretch: histogram equalisation needs at least one finite value")
	}
	slices.Sort(xp)
	lo, hi := xp[0], xp[n-1]
	d := hi - lo
	for i, v := range xp {
		// astropy: (data - vmin) / (vmax - vmin); 0/0 gives NaN when all equal.
		xp[i] = (v - lo) / d
	}
	fp := make([]float64, n)
	if n > 1 {
		step := 1 / float64(n-1)
		for i := range fp {
			fp[i] = float64(i) * step
		}
		fp[n-1] = 1
	}
	return &HistEq{xp: xp, fp: fp}, nil
}

// Len returns the number of data values the stretch was built from.
func (h *HistEq) Len() int { return len(h.xp) }

// Apply returns numpy.interp(clip(x), xp, fp) exactly as numpy computes it.
func (h *HistEq) Apply(x float64) float64 {
	x = clip01(x)
	return interp(x, h.xp, h.fp)
}

// interp is numpy.interp for one value (left = fp[0], right = fp[-1]).
func interp(x float64, xp, fp []float64) float64 {
	n := len(xp)
	if math.IsNaN(x) {
		return x
	}
	if n == 1 {
		return fp[0] // left, right and fp are all fp[0]
	}
	if x > xp[n-1] {
		return fp[n-1]
	}
	if x < xp[0] {
		return fp[0]
	}
	// j = last index with xp[j] <= x (numpy's binary_search_with_guess).
	j := sortSearch(xp, x) - 1
	if j < 0 {
		return fp[0] // only when xp holds NaN (constant data)
	}
	if j == n-1 {
		return fp[j]
	}
	if xp[j] == x {
		return fp[j]
	}
	slope := (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])
	r := float64(slope*(x-xp[j])) + fp[j]
	if math.IsNaN(r) {
		r = float64(slope*(x-xp[j+1])) + fp[j+1]
		if math.IsNaN(r) && fp[j] == fp[j+1] {
			r = fp[j]
		}
	}
	return r
}

// sortSearch returns the number of elements of sorted xp that are <= x.
func sortSearch(xp []float64, x float64) int {
	lo, hi := 0, len(xp)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x >= xp[m] {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Table samples the stretch at n equally spaced points x_k = k/(n−1) (n >= 2);
// linear interpolation in this table is the GPU version of HistEq (a 1-D
// R32F texture) and the one Params uses, so CPU and GPU agree.
func (h *HistEq) Table(n int) []float32 {
	if n < 2 {
		n = 2
	}
	t := make([]float32, n)
	for k := range t {
		t[k] = float32(h.Apply(float64(k) / float64(n-1)))
	}
	return t
}

// HistEqTableFor builds the Params.HistEq table for data displayed with the
// interval [lo, hi], as astropy is used with an interval: the stretch is
// built from the normalised data clip((v − lo)/(hi − lo)) (NaN ignored) and
// sampled at HistEqTableSize points. It needs 8 bytes per finite pixel while
// it runs; for very large images pass a sample (e.g. the visible pixels).
func HistEqTableFor(data []float32, lo, hi float64) ([]float32, error) {
	norm := make([]float64, 0, len(data))
	for _, v := range data {
		x := normalise(float64(v), lo, hi)
		if x == x {
			norm = append(norm, x)
		}
	}
	h, err := newHistEqSorted(norm)
	if err != nil {
		return nil, fmt.Errorf("stretch: histeq table for [%g, %g]: %w", lo, hi, err)
	}
	return h.Table(HistEqTableSize), nil
}

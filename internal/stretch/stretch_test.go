package stretch

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// refPercentile is numpy.percentile(finite, q) on a sorted copy (the
// straightforward definition the selector must reproduce).
func refPercentile(data []float64, q float64) float64 {
	var f []float64
	for _, v := range data {
		if isFinite(v) {
			f = append(f, v)
		}
	}
	slices.Sort(f)
	n := len(f)
	vi := float64(n-1) * (q / 100)
	if vi >= float64(n-1) {
		return f[n-1]
	}
	k := int(math.Floor(vi))
	return lerp(f[k], f[k+1], vi-float64(k))
}

func randomData(r *rand.Rand, n int, ties bool) []float64 {
	d := make([]float64, n)
	for i := range d {
		switch {
		case r.IntN(50) == 0:
			d[i] = math.NaN()
		case r.IntN(200) == 0:
			d[i] = math.Inf(2*r.IntN(2) - 1)
		case ties:
			d[i] = float64(r.IntN(300)) // many equal values
		default:
			d[i] = r.NormFloat64()*100 + 1000
		}
	}
	return d
}

func TestPercentileMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		n    int
		ties bool
	}{{1, false}, {2, false}, {7, true}, {1000, false}, {100_000, false}, {100_000, true}} {
		data := randomData(r, tc.n, tc.ties)
		if !isFinite(data[0]) && tc.n == 1 {
			data[0] = 3
		}
		f32 := make([]float32, len(data))
		for i, v := range data {
			f32[i] = float32(v)
		}
		d32 := make([]float64, len(data))
		for i, v := range f32 {
			d32[i] = float64(v)
		}
		for _, q := range []float64{0, 0.25, 5, 25, 50, 95, 99.75, 100} {
			want := refPercentile(data, q)
			got, _ := PercentileRange{Lower: q, Upper: 100}.Limits(data)
			if got != want {
				t.Errorf("n=%d ties=%v q=%g: got %.17g, want %.17g", tc.n, tc.ties, q, got, want)
			}
			third := len(f32) / 3
			got32, _ := PercentileRange{Lower: q, Upper: 100}.LimitsF32(f32[:third], f32[third:])
			if want32 := refPercentile(d32, q); got32 != want32 {
				t.Errorf("f32 n=%d q=%g: got %.17g, want %.17g", tc.n, q, got32, want32)
			}
		}
	}
}

func TestIntervalsEdgeCases(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	cases := []struct {
		name   string
		iv     Interval
		data   []float64
		lo, hi float64 // NaN means NaN expected
	}{
		{"minmax empty", MinMax{}, nil, nan, nan},
		{"minmax all nan", MinMax{}, []float64{nan, inf, -inf}, nan, nan},
		{"minmax", MinMax{}, []float64{3, nan, -1, inf, 2}, -1, 3},
		{"percentile empty", Percentile{P: 99}, nil, nan, nan},
		{"percentile one", Percentile{P: 99}, []float64{5}, 5, 5},
		{"percentile bad p", Percentile{P: 150}, []float64{1, 2}, nan, nan},
		{"percentile 100", Percentile{P: 100}, []float64{4, 1, 2}, 1, 4},
		{"percentile 50", Percentile{P: 50}, []float64{1, 2, 3, 4, 5}, 2, 4},
		{"zscale empty", ZScale{}, nil, nan, nan},
		{"zscale few", ZScale{}, []float64{5, 1, 3}, 1, 5},
		{"zscale constant", ZScale{}, []float64{2, 2, 2, 2, 2, 2, 2, 2}, 2, 2},
		{"manual", Manual{Min: -1, Max: 7}, []float64{100}, -1, 7},
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for _, c := range cases {
		lo, hi := c.iv.Limits(c.data)
		if !same(lo, c.lo) || !same(hi, c.hi) {
			t.Errorf("%s: got (%g, %g), want (%g, %g)", c.name, lo, hi, c.lo, c.hi)
		}
		f32 := make([]float32, len(c.data))
		for i, v := range c.data {
			f32[i] = float32(v)
		}
		lo, hi = LimitsF32(c.iv, f32)
		if !same(lo, c.lo) || !same(hi, c.hi) {
			t.Errorf("%s (f32): got (%g, %g), want (%g, %g)", c.name, lo, hi, c.lo, c.hi)
		}
	}
}

func TestChunksEqualConcatenation(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := randomData(r, 50_000, false)
	chunks := [][]float64{data[:1], data[1:12345], {}, data[12345:]}
	f32 := make([]float32, len(data))
	for i, v := range data {
		f32[i] = float32(v)
	}
	d32 := make([]float64, len(f32))
	for i, v := range f32 {
		d32[i] = float64(v)
	}
	for _, iv := range []Interval{MinMax{}, Percentile{P: 99.5}, PercentileRange{Lower: 1, Upper: 90}, ZScale{}, ZScale{NSamples: 600, Contrast: 0.5}, Manual{Min: 1, Max: 2}} {
		lo, hi := iv.Limits(data)
		lo2, hi2 := LimitsChunks(iv, chunks...)
		if lo != lo2 || hi != hi2 {
			t.Errorf("%T chunks: got (%g, %g), want (%g, %g)", iv, lo2, hi2, lo, hi)
		}
		lo, hi = iv.Limits(d32)
		lo3, hi3 := LimitsF32(iv, f32[:777], f32[777:])
		if lo != lo3 || hi != hi3 {
			t.Errorf("%T f32: got (%g, %g), want (%g, %g)", iv, lo3, hi3, lo, hi)
		}
	}
}

func TestDilateMatchesNumpySame(t *testing.T) {
	// numpy.convolve(mask, ones(m), "same") for a single true value at 5 of 12:
	// m=3 → 4..6, m=4 → 4..7 (numpy centres even kernels to the right).
	for _, tc := range []struct {
		m      int
		lo, hi int
	}{{1, 5, 5}, {2, 5, 6}, {3, 4, 6}, {4, 4, 7}, {10, 1, 10}} {
		src := make([]bool, 12)
		src[5] = true
		dst := make([]bool, 12)
		dilate(dst, src, tc.m)
		for i, v := range dst {
			if v != (i >= tc.lo && i <= tc.hi) {
				t.Errorf("m=%d: dst=%v, want true on %d..%d", tc.m, dst, tc.lo, tc.hi)
				break
			}
		}
	}
}

func TestStretchFormulas(t *testing.T) {
	x := 0.3
	cases := []struct {
		s    Stretch
		want float64
	}{
		{Linear{}, 0.3},
		{Linear{Slope: 2, Intercept: -0.1}, 0.5},
		{Sqrt{}, math.Sqrt(0.3)},
		{Squared{}, 0.09},
		{Log{}, math.Log(300+1) / math.Log(1001)},
		{Log{A: 10}, math.Log(3+1) / math.Log(11)},
		{Asinh{}, math.Asinh(3) / math.Asinh(10)},
		{Power{A: 3}, 0.027},
		{Power{}, 0.3},
		{Sinh{}, math.Sinh(0.9) / math.Sinh(3)},
	}
	for _, c := range cases {
		if got := c.s.Apply(x); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%T%+v: got %.17g, want %.17g", c.s, c.s, got, c.want)
		}
		if got := c.s.Apply(-5); got != c.s.Apply(0) {
			t.Errorf("%T: input below 0 is not clipped", c.s)
		}
		if got := c.s.Apply(7); got != c.s.Apply(1) {
			t.Errorf("%T: input above 1 is not clipped", c.s)
		}
		if got := c.s.Apply(math.NaN()); !math.IsNaN(got) {
			t.Errorf("%T: NaN gives %g", c.s, got)
		}
	}
}

func TestHistEq(t *testing.T) {
	if _, err := NewHistEq([]float64{math.NaN()}); err == nil {
		t.Error("no error for data without finite values")
	}
	h, err := NewHistEq([]float64{0, 0, 1, 2, 2, 2, 10, math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	// xp = [0 0 .1 .2 .2 .2 1], fp = linspace(0,1,7)
	cases := []struct{ x, want float64 }{
		{0, 1.0 / 6},    // last of the equal xp values
		{0.1, 2.0 / 6},  // exact knot
		{0.15, 2.5 / 6}, // halfway between knots
		{0.2, 5.0 / 6},  // last of three equal knots
		{0.6, 5.5 / 6},  // between .2 and 1
		{1, 1},          // end
		{-3, 1.0 / 6},   // clipped to 0
	}
	for _, c := range cases {
		if got := h.Apply(c.x); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Apply(%g) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
	tab := h.Table(HistEqTableSize)
	if len(tab) != HistEqTableSize || tab[len(tab)-1] != 1 {
		t.Errorf("table: len %d, last %g", len(tab), tab[len(tab)-1])
	}
	one, _ := NewHistEq([]float64{4})
	if got := one.Apply(0.5); got != 0 {
		t.Errorf("single value: got %g, want 0 (linspace(0,1,1))", got)
	}
	flat, _ := NewHistEqF32([]float32{4, 4, 4})
	if got := flat.Apply(0.5); math.IsInf(got, 0) {
		t.Errorf("constant data: got %g", got)
	}
}

func TestColormaps(t *testing.T) {
	names := Colormaps()
	if len(names) != 21 {
		t.Errorf("%d colormaps: %v", len(names), names)
	}
	for _, n := range names {
		a, err := LUT(n, false)
		if err != nil {
			t.Fatal(err)
		}
		r, err := LUT(n, true)
		if err != nil {
			t.Fatal(err)
		}
		r2, _ := LUT(n+"_r", false)
		rr, _ := LUT(n+"_r", true)
		if r != r2 || rr != a {
			t.Errorf("%s: _r and reversed disagree", n)
		}
		for i := range a {
			if a[i] != r[255-i] {
				t.Errorf("%s: reversed entry %d", n, i)
				break
			}
		}
	}
	if _, err := LUT("nope", false); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown colormap error: %v", err)
	}
	spot := []struct {
		name string
		i    int
		want [3]uint8
	}{
		{"grey", 0, [3]uint8{0, 0, 0}}, {"grey", 128, [3]uint8{128, 128, 128}}, {"gray", 255, [3]uint8{255, 255, 255}},
		// matplotlib viridis[0] = (0.267004, 0.004874, 0.329415), [255] = (0.993248, 0.906157, 0.143936)
		{"viridis", 0, [3]uint8{68, 1, 84}}, {"viridis", 255, [3]uint8{253, 231, 37}},
		// magma[255] = (0.987053, 0.991438, 0.749504)
		{"magma", 255, [3]uint8{252, 253, 191}},
		// twilight (510 entries) resampled: entry 0 = twilight[0] = (0.885750, 0.850009, 0.887974)
		{"twilight", 0, [3]uint8{226, 217, 226}},
		// DS9 heat at x=0.5: r=1, g=0.5, b=0
		{"heat", 255, [3]uint8{255, 255, 255}},
		// i8: 8 bands of 32 entries
		{"i8", 31, [3]uint8{0, 0, 0}}, {"i8", 32, [3]uint8{0, 255, 0}}, {"i8", 224, [3]uint8{255, 255, 255}},
		// aips0 first colour (.196,.196,.196)
		{"aips0", 0, [3]uint8{50, 50, 50}}, {"aips0", 255, [3]uint8{255, 0, 0}},
		{"red", 255, [3]uint8{255, 0, 0}}, {"blue", 255, [3]uint8{0, 0, 255}},
		// rainbow starts magenta (1,0,1), ends red
		{"rainbow", 0, [3]uint8{255, 0, 255}}, {"rainbow", 255, [3]uint8{255, 0, 0}},
		// hsv: black to white
		{"hsv", 0, [3]uint8{0, 0, 0}}, {"hsv", 255, [3]uint8{255, 255, 255}},
	}
	for _, s := range spot {
		l, err := LUT(s.name, false)
		if err != nil {
			t.Fatal(err)
		}
		if l[s.i] != s.want {
			t.Errorf("%s[%d] = %v, want %v", s.name, s.i, l[s.i], s.want)
		}
	}
	// DS9 heat at i=128 (x=128/255): r = min(1, x/.34) = 1, g = x, b = 0.
	heat, _ := LUT("heat", false)
	if want := [3]uint8{255, to8(float64(float32(128) / 255)), 0}; heat[128] != want {
		t.Errorf("heat[128] = %v, want %v", heat[128], want)
	}
}

// TestSLSSpotValues compares the regenerated SLS table with entries of DS9's
// SLSColorMap table (default.C) between the knots.
func TestSLSSpotValues(t *testing.T) {
	want := map[int][3]float32{
		1: {0.043442, 0, 0.052883}, 13: {0.506742, 0, 0.640217}, 25: {0.317717, 0, 0.712192},
		37: {0, 0.019817, 0.838942}, 61: {0, 0.631733, 0.975300}, 73: {0, 0.901908, 0.676675},
		85: {0, 0.832308, 0.354858}, 97: {0.033167, 0.834167, 0.066733}, 100: {0.132667, 0.852667, 0.048533},
		109: {0.430950, 0.902000, 0}, 121: {0.810617, 0.897133, 0.003983}, 133: {0.995725, 0.824892, 0.051600},
		145: {0.952975, 0.600408, 0.085617}, 150: {0.974350, 0.506950, 0.046700}, 157: {0.998342, 0.361900, 0},
		169: {0.955925, 0, 0}, 181: {0.715833, 0.083333, 0.083333}, 191: {0.974167, 0.916667, 0.916667},
		199: {1, 1, 1},
	}
	if len(lutSLS) != 200 {
		t.Fatalf("sls has %d entries, want 200", len(lutSLS))
	}
	for i, w := range want {
		if lutSLS[i] != w {
			t.Errorf("sls[%d] = %v, want %v", i, lutSLS[i], w)
		}
	}
}

func testParams() []Params {
	he, _ := NewHistEq([]float64{0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
	return []Params{
		{Lo: 0, Hi: 100},
		{Lo: 100, Hi: 0, Colormap: "viridis"},
		{Lo: -5, Hi: 5, Kind: KindSqrt, Colormap: "heat_r"},
		{Lo: 0, Hi: 1, Kind: KindLog, Colormap: "sls"},
		{Lo: 0, Hi: 1, Kind: KindLog, A: 10, Contrast: 2.5, Bias: 0.3, Colormap: "magma"},
		{Lo: 0, Hi: 1, Kind: KindAsinh, Invert: true, Colormap: "i8"},
		{Lo: 0, Hi: 1, Kind: KindAsinh, A: 0.01, Contrast: 0.4, Bias: 0.7, Invert: true, Colormap: "cool"},
		{Lo: 0, Hi: 1, Kind: KindPower, A: 2.5, Colormap: "twilight"},
		{Lo: 0, Hi: 1, Kind: KindSinh, Colormap: "aips0"},
		{Lo: 0, Hi: 1, Kind: KindSquared, Colormap: "hsv"},
		{Lo: 0, Hi: 89, Kind: KindHistEq, HistEq: he.Table(HistEqTableSize), Colormap: "plasma"},
		{Lo: 0, Hi: 1, Kind: KindLinear, A: -1, B: 1},
		{Lo: 0, Hi: 1, Kind: KindLinear, A: 3, B: -1, Contrast: 10, Bias: 0},
		{Lo: 3, Hi: 3},
	}
}

func TestColorizerMatchesColor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for pi, p := range testParams() {
		z, err := p.Compile()
		if err != nil {
			t.Fatalf("params %d: %v", pi, err)
		}
		vals := []float64{math.NaN(), math.Inf(1), math.Inf(-1), p.Lo, p.Hi, 0, 1, -1e300, 1e300}
		for i := 0; i < 20000; i++ {
			vals = append(vals, p.Lo+(p.Hi-p.Lo)*(r.Float64()*1.2-0.1))
		}
		// Values right at and around every threshold.
		if z.monotonic {
			for k := 1; k < 256; k++ {
				x := z.thr[k]
				if math.IsInf(x, 0) {
					continue
				}
				for _, xx := range []float64{math.Nextafter(x, -1), x, math.Nextafter(x, 2)} {
					vals = append(vals, p.Lo+xx*(p.Hi-p.Lo))
				}
			}
		}
		f32 := make([]float32, len(vals))
		for i, v := range vals {
			f32[i] = float32(v)
		}
		// And around every float32 threshold of the fast path.
		if z.fast32 {
			for k := 1; k < 256; k++ {
				v := z.t32[k]
				if v != v {
					continue
				}
				f32 = append(f32, math.Nextafter32(v, float32(math.Inf(-1))), v, math.Nextafter32(v, float32(math.Inf(1))))
				vals = append(vals, 0, 0, 0)
			}
		}
		dst := make([]uint8, 4*len(vals))
		if err := z.ColorizeF64(dst, vals); err != nil {
			t.Fatal(err)
		}
		dst32 := make([]uint8, 4*len(vals))
		if err := z.ColorizeF32(dst32, f32); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			want := p.Color(v)
			if got := [4]uint8(dst[4*i:]); got != want {
				t.Errorf("params %d value %.17g: colorizer %v, Color %v", pi, v, got, want)
				break
			}
			if got, want32 := [4]uint8(dst32[4*i:]), p.Color(float64(f32[i])); got != want32 {
				t.Errorf("params %d f32 value %g: colorizer %v, Color %v", pi, f32[i], got, want32)
				break
			}
		}
		if err := z.ColorizeF32(make([]uint8, 3), f32[:1]); err == nil {
			t.Error("short buffer not reported")
		}
	}
}

func TestColorChain(t *testing.T) {
	grey := Params{Lo: 0, Hi: 1}
	cases := []struct {
		p    Params
		v    float64
		want [4]uint8
	}{
		{grey, math.NaN(), [4]uint8{}},
		{grey, 0, [4]uint8{0, 0, 0, 255}},
		{grey, 1, [4]uint8{255, 255, 255, 255}},
		{grey, 0.5, [4]uint8{128, 128, 128, 255}},    // cell 128
		{grey, 7, [4]uint8{255, 255, 255, 255}},      // clipped
		{grey, math.Inf(-1), [4]uint8{0, 0, 0, 255}}, // clipped
		{Params{Lo: 0, Hi: 1, Invert: true}, 0, [4]uint8{255, 255, 255, 255}},
		// DS9 contrast 2 around bias 0.5: cell 64 → ((64/256−.5)·2+.5)·256 = 0; cell 160 → 192.
		{Params{Lo: 0, Hi: 1, Contrast: 2, Bias: 0.5}, 0.25, [4]uint8{0, 0, 0, 255}},
		{Params{Lo: 0, Hi: 1, Contrast: 2, Bias: 0.5}, 160.0 / 256, [4]uint8{192, 192, 192, 255}},
		// bias 0.25 shifts the map: cell 64 → 128.
		{Params{Lo: 0, Hi: 1, Contrast: 1, Bias: 0.25}, 0.25, [4]uint8{128, 128, 128, 255}},
		// invert mirrors the bias: b = .75, cell 192 → 128, inverted → 127.
		{Params{Lo: 0, Hi: 1, Contrast: 1, Bias: 0.25, Invert: true}, 0.75, [4]uint8{127, 127, 127, 255}},
		// Lo == Hi: astropy does not divide: v − lo clipped.
		{Params{Lo: 3, Hi: 3}, 3.5, [4]uint8{128, 128, 128, 255}},
		{Params{Lo: math.NaN(), Hi: 1}, 0.5, [4]uint8{}},
		{Params{Lo: 0, Hi: 1, Colormap: "nope"}, 0.5, [4]uint8{}},
	}
	for i, c := range cases {
		if got := c.p.Color(c.v); got != c.want {
			t.Errorf("case %d: Color(%g) = %v, want %v", i, c.v, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Params{
		{Kind: 99},
		{Kind: KindLog, A: -1},
		{Kind: KindLog, A: math.NaN()},
		{Kind: KindHistEq},
		{Contrast: math.Inf(1)},
		{Colormap: "unknown"},
	}
	for i, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("case %d: no error for %+v", i, p)
		}
		if _, err := p.Compile(); err == nil {
			t.Errorf("case %d: Compile accepted %+v", i, p)
		}
		if _, err := p.Uniforms(); err == nil {
			t.Errorf("case %d: Uniforms accepted %+v", i, p)
		}
	}
	for _, name := range []string{"linear", "sqrt", "log", "asinh", "power", "sinh", "squared", "histeq"} {
		k, err := ParseKind(name)
		if err != nil || k.String() != name {
			t.Errorf("ParseKind(%q) = %v, %v", name, k, err)
		}
	}
	if _, err := ParseKind("cubic"); err == nil {
		t.Error("ParseKind accepted cubic")
	}
}

func TestShaderSourceAndUniforms(t *testing.T) {
	src := ShaderSource()
	if strings.Contains(src, "$") {
		t.Error("unsubstituted template variable in shader source")
	}
	for _, f := range []string{"vec3 skyglassStretch(float v)", "vec4 skyglassColor(float v)", "texelFetch(u_sgLUT"} {
		if !strings.Contains(src, f) {
			t.Errorf("shader source lacks %q", f)
		}
	}
	for _, p := range testParams() {
		us, err := p.Uniforms()
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			if !strings.Contains(src, "uniform "+u.Type+" "+u.Name+";") {
				t.Errorf("uniform %s %s not declared in the shader", u.Type, u.Name)
			}
			if u.Type == "int" && u.Value != math.Trunc(u.Value) {
				t.Errorf("int uniform %s = %g", u.Name, u.Value)
			}
		}
		// The shader formulas, evaluated in Go from the uniforms, give the
		// CPU stretch (same constants, same formulas).
		m := map[string]float64{}
		for _, u := range us {
			m[u.Name] = u.Value
		}
		s := p.Stretch()
		for _, x := range []float64{0, 0.1, 0.5, 0.9, 1} {
			var y float64
			a, norm := m[UniformA], m[UniformNorm]
			switch Kind(m[UniformKind]) {
			case KindLinear:
				y = x*a + m[UniformB]
			case KindSqrt:
				y = math.Sqrt(x)
			case KindLog:
				y = math.Log(x*a+1) / norm
			case KindAsinh:
				y = math.Asinh(x/a) / norm
			case KindPower:
				y = math.Pow(x, a)
			case KindSinh:
				y = math.Sinh(x/a) / norm
			case KindSquared:
				y = x * x
			case KindHistEq:
				y = s.Apply(x)
			}
			if math.Abs(y-s.Apply(x)) > 1e-14 {
				t.Errorf("%v at %g: shader formula %g, Go %g", p.Kind, x, y, s.Apply(x))
			}
		}
	}
	lut, err := Params{Colormap: "viridis_r"}.LUTRGBA()
	if err != nil || len(lut) != 1024 {
		t.Fatalf("LUTRGBA: %d bytes, %v", len(lut), err)
	}
	v, _ := LUT("viridis", true)
	if lut[0] != v[0][0] || lut[3] != 255 || lut[1020] != v[255][0] {
		t.Error("LUTRGBA does not hold the reversed viridis table")
	}
}

func TestColorbar(t *testing.T) {
	cb, err := NewColorbar(Params{Lo: 0, Hi: 100}, 64, 5)
	if err != nil {
		t.Fatal(err)
	}
	var vals []float64
	for _, tk := range cb.Ticks {
		vals = append(vals, tk.Value)
		if math.Abs(tk.Pos-tk.Value/100) > 1e-12 {
			t.Errorf("linear tick %g at %g", tk.Value, tk.Pos)
		}
	}
	if !slices.Equal(vals, []float64{0, 20, 40, 60, 80, 100}) {
		t.Errorf("linear ticks %v", vals)
	}
	if len(cb.Colors) != 64 || cb.Colors[0] != [4]uint8{2, 2, 2, 255} {
		t.Errorf("colours: %d, first %v", len(cb.Colors), cb.Colors[0])
	}
	if cb.Ticks[1].Label != "20" {
		t.Errorf("label %q", cb.Ticks[1].Label)
	}
	cb, err = NewColorbar(Params{Lo: 0.5, Hi: 1.25}, 8, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := cb.Ticks[0].Label; got != "0.50" && got != "0.6" && got != "0.5" {
		t.Logf("labels %+v", cb.Ticks)
	}
	for _, p := range testParams() {
		cb, err := NewColorbar(p, 32, 6)
		if err != nil {
			t.Fatal(err)
		}
		for i, tk := range cb.Ticks {
			if tk.Value < math.Min(p.Lo, p.Hi) || tk.Value > math.Max(p.Lo, p.Hi) || tk.Pos < 0 || tk.Pos > 1 || tk.Label == "" {
				t.Errorf("%+v: bad tick %+v", p, tk)
			}
			if i > 0 && p.Kind != KindLinear && tk.Pos < cb.Ticks[i-1].Pos-1e-12 && p.Lo < p.Hi {
				t.Errorf("%v: ticks not increasing: %+v", p.Kind, cb.Ticks)
			}
		}
	}
	cb, _ = NewColorbar(Params{Lo: 1, Hi: 10000, Kind: KindLog}, 16, 5)
	if len(cb.Ticks) < 4 {
		t.Errorf("log ticks: %+v", cb.Ticks)
	}
	for _, bad := range []struct {
		p        Params
		n, ticks int
	}{{Params{Lo: 0, Hi: 1}, 0, 5}, {Params{Lo: 0, Hi: 1}, 8, 1}, {Params{Lo: math.NaN(), Hi: 1}, 8, 5}, {Params{Lo: 0, Hi: 1, Kind: 42}, 8, 5}} {
		if _, err := NewColorbar(bad.p, bad.n, bad.ticks); err == nil {
			t.Errorf("no error for %+v n=%d ticks=%d", bad.p, bad.n, bad.ticks)
		}
	}
}

func TestLuptonAndComposite(t *testing.T) {
	if out := LuptonRGB([]float64{1}, []float64{1, 2}, []float64{1}, 0, 5, 8); out != nil {
		t.Error("mismatched lengths not rejected")
	}
	if _, err := LuptonRGB32([]float32{1}, nil, []float32{1}, [3]float64{}, 5, 8); err == nil {
		t.Error("mismatched lengths not rejected (f32)")
	}
	out := LuptonRGB([]float64{math.NaN(), -1, 0, 1e6, 1}, []float64{0, -1, 0, 1e6, 0}, []float64{0, -1, 0, 1e6, 0}, 0, 5, 8)
	if len(out) != 15 {
		t.Fatalf("len %d", len(out))
	}
	if [3]uint8(out[0:]) != [3]uint8{} || [3]uint8(out[3:]) != [3]uint8{} || [3]uint8(out[6:]) != [3]uint8{} {
		t.Errorf("NaN/negative/zero pixels not black: %v", out[:9])
	}
	if w := [3]uint8(out[9:]); w[0] < 254 || w[0] != w[1] || w[1] != w[2] {
		t.Errorf("saturated white pixel: %v", w)
	}
	if c := [3]uint8(out[12:]); c[1] != 0 || c[2] != 0 || c[0] == 0 {
		t.Errorf("pure red pixel: %v", c)
	}
	// Composite keeps the band ratios (hue) when no band saturates.
	r := Band{Data: []float64{0.2, 5, math.NaN()}, Lo: 0, Hi: 10}
	g := Band{Data: []float64{0.1, 5, 1}, Lo: 0, Hi: 10}
	b := Band{Data: []float64{0.05, 5, 1}, Lo: 0, Hi: 10}
	c, err := Composite(r, g, b, Asinh{})
	if err != nil {
		t.Fatal(err)
	}
	if c[0] == 0 || math.Abs(float64(c[0])/float64(c[1])-2) > 0.1 || math.Abs(float64(c[1])/float64(c[2])-2) > 0.2 {
		t.Errorf("hue not preserved: %v", c[:3])
	}
	if c[3] != c[4] || c[4] != c[5] {
		t.Errorf("grey pixel not grey: %v", c[3:6])
	}
	if [3]uint8(c[6:]) != [3]uint8{} {
		t.Errorf("NaN pixel not black: %v", c[6:])
	}
	if _, err := Composite(r, g, Band{Data: b.Data, Lo: 1, Hi: 1}, nil); err == nil {
		t.Error("empty interval not rejected")
	}
}

// TestRadixRank exercises the radix-selection fallback (used when the linear
// histogram cannot split the data) against a sort.
func TestRadixRank(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, ties := range []bool{false, true} {
		data := randomData(r, 70_000, ties)
		data[0], data[1], data[2] = 1e308, -1e308, math.Copysign(0, -1)
		var f []float64
		for _, v := range data {
			if isFinite(v) {
				f = append(f, v)
			}
		}
		sorted := slices.Clone(f)
		slices.Sort(sorted)
		s := newSelector([][]float64{data[:100], data[100:]}, len(f), sorted[0], sorted[len(sorted)-1])
		s.prepare(0, 5) // range overflows: stays on the radix path
		if s.cum != nil {
			t.Fatal("linear histogram used on an overflowing range")
		}
		for _, k := range []int{0, 1, 2, 17, len(f) / 2, len(f) - 2} {
			if got := s.rank(k); got != sorted[k] {
				t.Errorf("ties=%v rank %d: got %g, want %g", ties, k, got, sorted[k])
			}
			a, b := s.rank2(k)
			if a != sorted[k] || b != sorted[k+1] {
				t.Errorf("ties=%v rank2 %d: got %g %g, want %g %g", ties, k, a, b, sorted[k], sorted[k+1])
			}
		}
		if _, hi := (Percentile{P: 99.5}).Limits(data); hi != refPercentile(data, 99.75) {
			t.Errorf("percentile on overflowing range: %g", hi)
		}
	}
}

func TestContrastBiasFromDrag(t *testing.T) {
	cases := []struct{ x, y, w, h, c, b float64 }{
		{50, 10, 100, 100, 1, 0.5},
		{0, 100, 100, 100, 10, 0},
		{25, 0, 100, 200, 0, 0.25},
		{1, 1, 0, 100, 1, 0.5},
		{math.NaN(), 1, 10, 10, 1, 0.5},
	}
	for _, c := range cases {
		gc, gb := ContrastBiasFromDrag(c.x, c.y, c.w, c.h)
		if gc != c.c || gb != c.b {
			t.Errorf("drag(%g,%g in %gx%g) = (%g, %g), want (%g, %g)", c.x, c.y, c.w, c.h, gc, gb, c.c, c.b)
		}
	}
}

func TestHistEqTableFor(t *testing.T) {
	data := []float32{float32(math.NaN()), 0, 1, 2, 3, 4, 5, 6, 7, 8, 100}
	tab, err := HistEqTableFor(data, 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	norm := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 8}
	for i := range norm {
		norm[i] /= 8
	}
	h, _ := NewHistEq(norm)
	want := h.Table(HistEqTableSize)
	if !slices.Equal(tab, want) {
		t.Error("HistEqTableFor differs from NewHistEq on the normalised data")
	}
	if _, err := HistEqTableFor([]float32{float32(math.NaN())}, 0, 1); err == nil {
		t.Error("no error without finite values")
	}
}

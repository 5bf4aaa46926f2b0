package stretch

import (
	"encoding/binary"
	"math"
	"testing"
)

// floatsFrom decodes little-endian float64s from b (trailing bytes ignored),
// so the fuzzer reaches NaN payloads, ±Inf, subnormals and huge values.
func floatsFrom(b []byte) []float64 {
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func bytesOf(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// FuzzIntervals: every interval on arbitrary floats (NaN, Inf, empty) must
// not panic; with no finite value the result is (NaN, NaN), otherwise lo and
// hi are finite, lo <= hi and both lie within [min, max] of the finite values;
// the float32 and chunked paths agree with Limits.
func FuzzIntervals(f *testing.F) {
	f.Add([]byte{}, 99.5)
	f.Add(bytesOf(1, 2, 3), 90.0)
	f.Add(bytesOf(math.NaN(), math.Inf(1), math.Inf(-1)), 50.0)
	f.Add(bytesOf(5, 5, 5, 5, 5, 5, 5), 100.0)
	f.Add(bytesOf(math.Copysign(0, -1), 0, 1e308, -1e308, 5e-324), 0.0)
	f.Fuzz(func(t *testing.T, b []byte, p float64) {
		data := floatsFrom(b)
		mn, mx := MinMax{}.Limits(data)
		finite := !math.IsNaN(mn)
		ivs := []Interval{MinMax{}, Percentile{P: p}, PercentileRange{Lower: p, Upper: 100 - p}, ZScale{}, ZScale{NSamples: 3, MaxIterations: 2}}
		for _, iv := range ivs {
			lo, hi := iv.Limits(data)
			lo2, hi2 := LimitsChunks(iv, data[:len(data)/2], data[len(data)/2:])
			if !sameFloat(lo, lo2) || !sameFloat(hi, hi2) {
				t.Fatalf("%T chunks (%g, %g) != (%g, %g)", iv, lo2, hi2, lo, hi)
			}
			if !finite {
				if !math.IsNaN(lo) || !math.IsNaN(hi) {
					t.Fatalf("%T: no finite data but (%g, %g)", iv, lo, hi)
				}
				continue
			}
			_, isPR := iv.(PercentileRange)
			_, isP := iv.(Percentile)
			if (isP || isPR) && (math.IsNaN(lo) || math.IsNaN(hi)) {
				continue // percentile outside [0, 100]
			}
			if math.IsNaN(lo) || math.IsNaN(hi) || lo < mn || hi > mx || (!isPR && !isP && lo > hi) {
				t.Fatalf("%T: (%g, %g) outside [%g, %g]", iv, lo, hi, mn, mx)
			}
		}
		f32 := make([]float32, len(data))
		d32 := make([]float64, len(data))
		for i, v := range data {
			f32[i] = float32(v)
			d32[i] = float64(f32[i])
		}
		for _, iv := range ivs {
			lo, hi := iv.Limits(d32)
			lo2, hi2 := LimitsF32(iv, f32[:len(f32)/3], f32[len(f32)/3:])
			if !sameFloat(lo, lo2) || !sameFloat(hi, hi2) {
				t.Fatalf("%T f32 (%g, %g) != (%g, %g)", iv, lo2, hi2, lo, hi)
			}
		}
	})
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// FuzzStretches: every stretch with arbitrary parameters on arbitrary x must
// not panic; with valid parameters the output of an x in [0, 1] (after
// clipping) is in [0, 1] up to rounding, and NaN gives NaN.
func FuzzStretches(f *testing.F) {
	f.Add(0.5, 0.0, 0.0)
	f.Add(math.NaN(), 1000.0, 0.1)
	f.Add(math.Inf(1), 1e-300, 1e300)
	f.Add(-3.0, 2.0, -1.0)
	f.Fuzz(func(t *testing.T, x, a, b float64) {
		he, _ := NewHistEq([]float64{a, b, x, 0, 1})
		ss := []Stretch{Linear{}, Sqrt{}, Squared{}, Log{A: a}, Asinh{A: a}, Power{A: a}, Sinh{A: a}, Linear{Slope: a, Intercept: b}, he}
		for _, s := range ss {
			y := s.Apply(x)
			if math.IsNaN(x) {
				if !math.IsNaN(y) {
					t.Fatalf("%T%+v: NaN → %g", s, s, y)
				}
				continue
			}
			valid := true
			switch v := s.(type) {
			case Log:
				valid = v.A > 0 && v.A < 1e300 && v.Norm() > 0
			case Asinh:
				valid = v.A > 1e-300 && v.A < 1e300
			case Sinh:
				valid = v.A > 0.002 && v.A < 1e300 // sinh(1/a) overflows below
			case Power:
				valid = v.A > 0 && !math.IsInf(v.A, 0)
			case Linear:
				valid = v.Slope == 0 && v.Intercept == 0
			case *HistEq:
				valid = isFinite(a) && isFinite(b) && !math.IsInf(a-b, 0)
			}
			if valid && !(y >= -1e-12 && y <= 1+1e-12) {
				t.Fatalf("%T%+v: Apply(%g) = %g outside [0, 1]", s, s, x, y)
			}
		}
	})
}

// FuzzParamsColor: Params.Color and the compiled Colorizer agree for any
// parameters and value, and neither panics; invalid parameters are rejected by
// Compile and give transparent from Color.
func FuzzParamsColor(f *testing.F) {
	f.Add(0.5, 0.0, 1.0, 0, 0.0, 0.0, 0.0, false, uint8(0))
	f.Add(math.NaN(), 0.0, 1.0, 2, 1000.0, 2.0, 0.3, true, uint8(3))
	f.Add(1e300, -1e300, 1e300, 3, 0.1, 0.0, 1.0, false, uint8(20))
	f.Add(3.0, 3.0, 3.0, 7, 0.0, 10.0, 0.0, true, uint8(7))
	f.Fuzz(func(t *testing.T, v, lo, hi float64, kind int, a, contrast, bias float64, invert bool, cm uint8) {
		names := Colormaps()
		p := Params{Lo: lo, Hi: hi, Kind: Kind(kind), A: a, Contrast: contrast, Bias: bias, Invert: invert,
			Colormap: names[int(cm)%len(names)], HistEq: []float32{0, float32(a), 1}}
		got := p.Color(v)
		z, err := p.Compile()
		if err != nil {
			if got != [4]uint8{} {
				t.Fatalf("invalid params %+v (%v) but Color gives %v", p, err, got)
			}
			return
		}
		if c := z.Color(v); c != got {
			t.Fatalf("%+v value %g: Colorizer %v, Color %v", p, v, c, got)
		}
		v32 := float32(v)
		dst := make([]uint8, 4)
		if err := z.ColorizeF32(dst, []float32{v32}); err != nil {
			t.Fatal(err)
		}
		if want := p.Color(float64(v32)); [4]uint8(dst) != want {
			t.Fatalf("%+v float32 value %g: ColorizeF32 %v, Color %v (fast path %v)", p, v32, dst, want, z.fast32)
		}
		if _, err := p.Uniforms(); err != nil {
			t.Fatalf("Uniforms failed on valid params: %v", err)
		}
	})
}

// FuzzLupton: LuptonRGB and the float32 variant on arbitrary pixels and
// parameters do not panic and return 3 bytes per pixel.
func FuzzLupton(f *testing.F) {
	f.Add(bytesOf(1, 2, 3, 4, 5, 6), 0.0, 5.0, 8.0)
	f.Add(bytesOf(math.NaN(), math.Inf(1), -1), 0.01, 0.0, 0.0)
	f.Add([]byte{}, 0.0, 1.0, 1e20)
	f.Fuzz(func(t *testing.T, b []byte, minimum, stretch, q float64) {
		d := floatsFrom(b)
		n := len(d) / 3
		r, g, bb := d[:n], d[n:2*n], d[2*n:3*n]
		out := LuptonRGB(r, g, bb, minimum, stretch, q)
		if len(out) != 3*n {
			t.Fatalf("len %d, want %d", len(out), 3*n)
		}
		r32, g32, b32 := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := 0; i < n; i++ {
			r32[i], g32[i], b32[i] = float32(r[i]), float32(g[i]), float32(bb[i])
		}
		out32, err := LuptonRGB32(r32, g32, b32, [3]float64{minimum, minimum, minimum}, stretch, q)
		if err != nil || len(out32) != 3*n {
			t.Fatalf("f32: len %d, err %v", len(out32), err)
		}
		if _, err := Composite(Band{Data: r, Lo: minimum, Hi: minimum + 1}, Band{Data: g, Lo: 0, Hi: 1}, Band{Data: bb, Lo: -1, Hi: 1}, Asinh{A: q}); err != nil && isFinite(minimum) && isFinite(minimum+1) && minimum+1 > minimum {
			t.Fatalf("composite: %v", err)
		}
	})
}

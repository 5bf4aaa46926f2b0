package stretch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// On all-finite values LimitsF32AllFinite gives LimitsF32's limits exactly,
// whatever the size and however the values are split into chunks.
func TestZScaleAllFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name   string
		n      int
		chunks []int // chunk lengths (the rest in a last chunk)
		z      ZScale
	}{
		{"tiny", 3, nil, ZScale{}},
		{"under NSamples", 700, nil, ZScale{}},
		{"one stride", 1000, nil, ZScale{}},
		{"stride 1.5", 1500, nil, ZScale{}},
		{"large", 1 << 20, nil, ZScale{}},
		{"chunks", 300001, []int{1, 999, 4097, 100000}, ZScale{}},
		{"chunks empty", 50000, []int{0, 12345, 0}, ZScale{}},
		{"samples 600", 123457, []int{777}, ZScale{NSamples: 600, Contrast: 0.4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := make([]float32, tc.n)
			for i := range v {
				v[i] = float32(100*math.Sin(float64(i)/300) + rng.NormFloat64()*5)
			}
			var chunks [][]float32
			rest := v
			for _, k := range tc.chunks {
				chunks = append(chunks, rest[:k])
				rest = rest[k:]
			}
			chunks = append(chunks, rest)
			lo, hi := tc.z.LimitsF32(chunks...)
			flo, fhi := tc.z.LimitsF32AllFinite(chunks...)
			if lo != flo || hi != fhi {
				t.Errorf("LimitsF32AllFinite = %v, %v; LimitsF32 = %v, %v", flo, fhi, lo, hi)
			}
		})
	}
	if lo, hi := (ZScale{}).LimitsF32AllFinite(); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no values: %v, %v", lo, hi)
	}
}

// LimitsF32Counted with the finite values counted per block gives LimitsF32's
// limits exactly, with NaNs and infinities among the values, for any block
// size; counts of the wrong length are not used.
func TestZScaleCounted(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct {
		name  string
		n     int
		block int
		bad   float64 // fraction of NaN/Inf values
		z     ZScale
	}{
		{"tiny", 3, 512, 0.3, ZScale{}},
		{"no NaN", 4096, 512, 0, ZScale{}},
		{"some NaN", 300001, 512, 0.1, ZScale{}},
		{"mostly NaN", 100000, 512, 0.97, ZScale{}},
		{"all NaN", 2000, 512, 1, ZScale{}},
		{"block 1", 5000, 1, 0.2, ZScale{}},
		{"block 100, tail", 12345, 100, 0.5, ZScale{NSamples: 600, Contrast: 0.4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := make([]float32, tc.n)
			counts := make([]int32, (tc.n+tc.block-1)/tc.block)
			for i := range v {
				v[i] = float32(100*math.Sin(float64(i)/300) + rng.NormFloat64()*5)
				if rng.Float64() < tc.bad {
					v[i] = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}[i%3]
				} else {
					counts[i/tc.block]++
				}
			}
			lo, hi := tc.z.LimitsF32(v)
			clo, chi := tc.z.LimitsF32Counted(v, tc.block, counts)
			if !same(lo, clo) || !same(hi, chi) {
				t.Errorf("LimitsF32Counted = %v, %v; LimitsF32 = %v, %v", clo, chi, lo, hi)
			}
			if len(counts) > 1 { // a wrong length: counted again
				if wlo, whi := tc.z.LimitsF32Counted(v, tc.block, counts[1:]); !same(lo, wlo) || !same(hi, whi) {
					t.Errorf("with counts of the wrong length: %v, %v; want %v, %v", wlo, whi, lo, hi)
				}
			}
		})
	}
}

// same is == that holds for two NaNs.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

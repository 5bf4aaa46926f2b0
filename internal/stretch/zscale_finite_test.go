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

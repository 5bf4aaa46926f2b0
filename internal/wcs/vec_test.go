package wcs

import (
	"math"
	"math/rand/v2"
	"testing"
)

// VecToPixel agrees with WorldToPixel wherever the fast path applies, and
// declines (fast = false) where it does not.
func TestVecToPixel(t *testing.T) {
	tests := []struct {
		proj     string
		lon, lat float64
		fast     bool
	}{
		{"TAN", 83.8, -5.4, true}, {"SIN", 266.4, -28.9, true}, {"SIN", 10, 89.9, true},
		{"TAN", 180, -89, true}, {"AIT", 0, 0, false}, {"ZEA", 30, 40, false},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range tests {
		w, err := NewCamera(tc.proj, tc.lon, tc.lat, 60, 1024, 768, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for k := 0; k < 20000; k++ {
			lon := rng.Float64() * 360
			lat := math.Asin(2*rng.Float64()-1) * 180 / math.Pi
			sl, cl := math.Sincos(lon * math.Pi / 180)
			sb, cb := math.Sincos(lat * math.Pi / 180)
			x, y, ok, fast := w.VecToPixel([3]float64{cb * cl, cb * sl, sb})
			if fast != tc.fast {
				t.Fatalf("%s: fast = %v", tc.proj, fast)
			}
			if !fast {
				break
			}
			wx, wy, wok := w.WorldToPixel(lon, lat)
			if ok != wok {
				t.Fatalf("%s at %v,%v: ok %v, WorldToPixel %v", tc.proj, lon, lat, ok, wok)
			}
			if ok && (math.Abs(x-wx) > 1e-9*math.Max(1, math.Abs(wx)) || math.Abs(y-wy) > 1e-9*math.Max(1, math.Abs(wy))) {
				t.Fatalf("%s at %v,%v: %v,%v vs %v,%v", tc.proj, lon, lat, x, y, wx, wy)
			}
			if ok {
				n++
			}
		}
		if tc.fast && n < 1000 {
			t.Errorf("%s: only %d points on the projection", tc.proj, n)
		}
	}
}

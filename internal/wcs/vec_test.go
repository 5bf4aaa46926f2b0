package wcs

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// VecToPixel agrees with WorldToPixel wherever the fast path applies, and
// declines (fast = false) where it does not; VecProjector exists exactly
// there and gives VecToPixel's pixels, and After and Then compose a rotation
// before it and an affine map after it.
func TestVecToPixel(t *testing.T) {
	const deg = math.Pi / 180
	s, c := math.Sincos(30 * deg)
	rotZ := [3][3]float64{{c, -s, 0}, {s, c, 0}, {0, 0, 1}} // 30° about z
	ax, ay := [3]float64{1, 0, -0.5 - 3}, [3]float64{0, -1, 768 + 0.5 + 2}
	// near: (x, y) is (wx, wy) to 1e-9, relative beyond 1
	near := func(x, y, wx, wy float64) bool {
		return math.Abs(x-wx) <= 1e-9*math.Max(1, math.Abs(wx)) && math.Abs(y-wy) <= 1e-9*math.Max(1, math.Abs(wy))
	}
	tests := []struct {
		proj     string
		lon, lat float64
		fast     bool
	}{
		{"TAN", 83.8, -5.4, true}, {"SIN", 266.4, -28.9, true}, {"SIN", 10, 89.9, true},
		{"TAN", 180, -89, true}, {"AIT", 0, 0, false}, {"ZEA", 30, 40, false}, {"CAR", 30, 40, false},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range tests {
		w, err := NewCamera(tc.proj, tc.lon, tc.lat, 60, 1024, 768, 0)
		if err != nil {
			t.Fatal(err)
		}
		p, pok := w.VecProjector()
		if pok != tc.fast {
			t.Fatalf("%s: VecProjector ok = %v", tc.proj, pok)
		}
		pr := p.After(rotZ).Then(ax, ay)
		n := 0
		for range 20000 {
			lon := rng.Float64() * 360
			lat := math.Asin(2*rng.Float64()-1) / deg
			sl, cl := math.Sincos(lon * deg)
			sb, cb := math.Sincos(lat * deg)
			v := [3]float64{cb * cl, cb * sl, sb}
			x, y, ok, fast := w.VecToPixel(v)
			if fast != tc.fast {
				t.Fatalf("%s: fast = %v", tc.proj, fast)
			}
			if !fast {
				break
			}
			wx, wy, wok := w.WorldToPixel(lon, lat)
			if ok != wok || ok && !near(x, y, wx, wy) {
				t.Fatalf("%s at %v,%v: %v,%v,%v; WorldToPixel %v,%v,%v", tc.proj, lon, lat, x, y, ok, wx, wy, wok)
			}
			if ok {
				n++
			}
			if px, py, pok := p.Pixel(v); pok != ok || ok && !near(px, py, x, y) {
				t.Fatalf("%s at %v,%v: VecProjector %v,%v,%v; VecToPixel %v,%v,%v", tc.proj, lon, lat, px, py, pok, x, y, ok)
			}
			rx, ry, rok, _ := w.VecToPixel([3]float64{c*v[0] - s*v[1], s*v[0] + c*v[1], v[2]})
			rx, ry = rx-0.5-3, 768+0.5+2-ry
			if px, py, pok := pr.Pixel(v); pok != rok || rok && !near(px, py, rx, ry) {
				t.Fatalf("%s rotated at %v,%v: %v,%v,%v; want %v,%v,%v", tc.proj, lon, lat, px, py, pok, rx, ry, rok)
			}
		}
		if tc.fast && n < 1000 {
			t.Errorf("%s: only %d points on the projection", tc.proj, n)
		}
	}
}

// A distorted WCS has no VecProjector.
func TestVecProjectorDistorted(t *testing.T) {
	for _, extra := range [][]string{
		{"CTYPE1=RA---TAN-SIP", "CTYPE2=DEC--TAN-SIP", "A_ORDER=2", "B_ORDER=2", "A_2_0=1e-5", "B_0_2=1e-5"},
		{"CTYPE1=RA---TPV", "CTYPE2=DEC--TPV", "PV1_1=1.0", "PV1_4=1e-3", "PV2_1=1.0"},
	} {
		lines := append([]string{"NAXIS=2", "NAXIS1=100", "NAXIS2=100", "CRVAL1=10", "CRVAL2=20",
			"CRPIX1=50", "CRPIX2=50", "CD1_1=-0.001", "CD2_2=0.001"}, extra...)
		for i, l := range lines {
			if k, v, _ := strings.Cut(l, "="); strings.HasPrefix(k, "CTYPE") {
				lines[i] = k + "='" + v + "'"
			}
		}
		if _, ok := mustNew(t, hdr(t, lines...)).VecProjector(); ok {
			t.Errorf("%s: a distorted WCS has a VecProjector", extra[0])
		}
	}
}

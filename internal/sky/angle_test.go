package sky

import (
	"math"
	"testing"
)

func TestSeparation(t *testing.T) {
	tests := []struct {
		lon1, lat1, lon2, lat2, want float64
	}{
		{0, 0, 0, 0, 0},
		{10, 20, 10, 20, 0},
		{0, 0, 90, 0, 90},
		{0, 0, 180, 0, 180},
		{0, 90, 0, -90, 180},
		{123, 45, 303, -45, 180}, // antipodal
		{0, 0, 0, 1e-10, 1e-10},  // tiny
		{360 - 0x1p-30, 0, 0, 0, 0x1p-30},
		{0, 89.99999999, 180, 89.99999999, 2e-8},
		{0, 0, 1, 0, 1},
		{10, 0, 0, 90, 90},
		{-10, 0, 350, 0, 0},
		{0, 60, 180, 60, 60},
	}
	for _, tt := range tests {
		got := Separation(tt.lon1, tt.lat1, tt.lon2, tt.lat2)
		tol := 1e-12 * math.Max(1, tt.want)
		if tt.want < 1e-6 {
			tol = 1e-6 * tt.want // tiny angles: relative precision
			if tt.want == 0 {
				tol = 0
			}
		}
		if math.Abs(got-tt.want) > tol {
			t.Errorf("Separation(%v,%v,%v,%v) = %.17g, want %.17g", tt.lon1, tt.lat1, tt.lon2, tt.lat2, got, tt.want)
		}
		if back := Separation(tt.lon2, tt.lat2, tt.lon1, tt.lat1); back != got {
			t.Errorf("Separation not symmetric: %v vs %v", got, back)
		}
	}
	// Near-antipodal tiny deficit: 180 - 1e-9 degrees.
	if got := Separation(0, 0, 180-1e-9, 0); math.Abs(got-(180-1e-9)) > 1e-12 {
		t.Errorf("near antipode: %.17g", got)
	}
	if !math.IsNaN(Separation(math.NaN(), 0, 0, 0)) || !math.IsNaN(Separation(0, 0, math.Inf(1), 0)) {
		t.Error("NaN/Inf input must give NaN")
	}
}

func TestPositionAngle(t *testing.T) {
	tests := []struct {
		lon1, lat1, lon2, lat2, want float64
	}{
		{0, 0, 0, 1, 0},
		{0, 0, 1, 0, 90},
		{0, 0, 0, -1, 180},
		{0, 0, -1, 0, 270},
		{10, 0, 10, 0, 0},   // coincident
		{0, 0, 0, 90, 0},    // towards the pole
		{45, 30, 90, 90, 0}, // pole from anywhere
		{45, -30, 45, -90, 180},
		{0, 0, 1, 1, 44.99563645534486}, // astropy position_angle
	}
	for _, tt := range tests {
		got := PositionAngle(tt.lon1, tt.lat1, tt.lon2, tt.lat2)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("PositionAngle(%v,%v,%v,%v) = %.15g, want %.15g", tt.lon1, tt.lat1, tt.lon2, tt.lat2, got, tt.want)
		}
	}
	if !math.IsNaN(PositionAngle(0, math.NaN(), 0, 0)) {
		t.Error("NaN input must give NaN")
	}
}

func TestOffsetInverse(t *testing.T) {
	// Offset then Separation/PositionAngle must give back sep and pa.
	for i := 0; i < 500; i++ {
		lon := float64(i) * 7.31
		lat := -89 + float64(i%179)
		pa := float64(i) * 13.7
		sep := 0.001 + float64(i%170)
		lon2, lat2 := Offset(lon, lat, pa, sep)
		if s := Separation(lon, lat, lon2, lat2); math.Abs(s-sep) > 1e-9 {
			t.Fatalf("Offset(%v,%v,%v,%v) -> sep %v", lon, lat, pa, sep, s)
		}
		if p := PositionAngle(lon, lat, lon2, lat2); math.Abs(NormLon180(p-pa)) > 1e-7 {
			t.Fatalf("Offset(%v,%v,%v,%v) -> pa %v, want %v", lon, lat, pa, sep, p, NormLon(pa))
		}
	}
	tests := []struct {
		lon, lat, pa, sep, wlon, wlat float64
	}{
		{0, 0, 0, 10, 0, 10},
		{0, 0, 90, 10, 10, 0},
		{0, 0, 180, 10, 0, -10},
		{0, 0, 270, 10, 350, 0},
		{20, 90, 0, 10, 200, 80},  // from the north pole, pa=0 goes down lon+180 (astropy)
		{20, 90, 90, 10, 110, 80}, // and pa=90 down lon+90
		{20, -90, 0, 10, 20, -80}, // from the south pole pa=0 goes up meridian lon
		{0, 0, 0, 90, 0, 90},
		{0, 0, 37, 180, 180, 0},
	}
	for _, tt := range tests {
		lon2, lat2 := Offset(tt.lon, tt.lat, tt.pa, tt.sep)
		if Separation(lon2, lat2, tt.wlon, tt.wlat) > 1e-12 {
			t.Errorf("Offset(%v,%v,%v,%v) = (%v,%v), want (%v,%v)", tt.lon, tt.lat, tt.pa, tt.sep, lon2, lat2, tt.wlon, tt.wlat)
		}
	}
	if l, b := Offset(0, 0, math.NaN(), 1); !math.IsNaN(l) || !math.IsNaN(b) {
		t.Error("NaN pa must give NaN")
	}
}

func TestNorm(t *testing.T) {
	tests := []struct{ in, lon, lon180 float64 }{
		{0, 0, 0},
		{360, 0, 0},
		{-360, 0, 0},
		{-1e-20, 0, 0},
		{-1, 359, -1},
		{180, 180, -180},
		{721, 1, 1},
		{math.Copysign(0, -1), 0, 0},
	}
	for _, tt := range tests {
		if got := NormLon(tt.in); got != tt.lon || math.Signbit(got) {
			t.Errorf("NormLon(%v) = %v, want %v", tt.in, got, tt.lon)
		}
		if got := NormLon180(tt.in); got != tt.lon180 {
			t.Errorf("NormLon180(%v) = %v, want %v", tt.in, got, tt.lon180)
		}
	}
	if !math.IsNaN(NormLon(math.Inf(-1))) {
		t.Error("NormLon(-Inf) must be NaN")
	}
	if ClampLat(91) != 90 || ClampLat(-91) != -90 || ClampLat(3) != 3 {
		t.Error("ClampLat")
	}
}

func TestVecLonLat(t *testing.T) {
	for _, p := range [][2]float64{{0, 0}, {90, 0}, {180, 0}, {270, 0}, {0, 90}, {0, -90}, {123.456, -45.678}, {359.999999, 89.999}} {
		v := Vec(p[0], p[1])
		lon, lat := LonLat(v)
		if Separation(lon, lat, p[0], p[1]) > 1e-12 {
			t.Errorf("LonLat(Vec(%v)) = %v,%v", p, lon, lat)
		}
	}
	if v := Vec(90, 0); v != [3]float64{0, 1, 0} {
		t.Errorf("Vec(90,0) = %v, want exact (0,1,0)", v)
	}
	if lon, lat := LonLat([3]float64{}); !math.IsNaN(lon) || !math.IsNaN(lat) {
		t.Error("LonLat(0) must be NaN")
	}
	if got := SeparationVec(Vec(10, 10), Vec(10, 20)); math.Abs(got-10) > 1e-12 {
		t.Errorf("SeparationVec = %v", got)
	}
}

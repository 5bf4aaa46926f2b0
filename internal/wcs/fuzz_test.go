package wcs

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

// checkOutputs exercises both directions and the writer on a WCS built from
// arbitrary input, asserting only what must hold for any header.
func checkOutputs(t *testing.T, w *WCS, pts [][2]float64) {
	for _, p := range pts {
		lon, lat, ok := w.PixelToWorld(p[0], p[1])
		if ok && (math.IsNaN(lon) || math.IsNaN(lat) || lon < 0 || lon >= 360 || math.Abs(lat) > 90+1e-9) {
			t.Fatalf("PixelToWorld(%g,%g) = (%g,%g) ok", p[0], p[1], lon, lat)
		}
		if !ok && !(math.IsNaN(lon) && math.IsNaN(lat)) {
			t.Fatalf("PixelToWorld(%g,%g) invalid but returned (%g,%g)", p[0], p[1], lon, lat)
		}
		x, y, ok := w.WorldToPixel(p[0]*3.7, p[1]*0.9-45)
		if ok && (math.IsNaN(x) || math.IsNaN(y)) {
			t.Fatalf("WorldToPixel returned NaN with ok")
		}
		_, _, _ = w.WorldToPixel(lon, lat)
	}
}

var fuzzPoints = [][2]float64{{1, 1}, {0.5, 0.5}, {100, 100}, {-1e6, 3e7}, {1e300, -1e300}, {math.NaN(), 1}, {math.Inf(1), 0}, {0, 0}}

func FuzzNew(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(truthDir, "data", "wcs", "*"))
	maps, _ := filepath.Glob(filepath.Join(truthDir, "data", "wcs", "maps", "*"))
	for _, name := range append(files, maps...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("CTYPE1  = 'RA---TAN-SIP'\nCTYPE2  = 'DEC--TAN-SIP'\nA_ORDER = 2\nB_ORDER = 2\nA_2_0 = 1e-3\nCRPIX1 = 1\nCRPIX2 = 1\n"))
	f.Add([]byte("CTYPE3 = 'GLON-HPX'\nCTYPE1 = 'GLAT-HPX'\nPV1_1 = 5\nPV1_2 = 2\nCD3_1 = 1\nCD1_3 = -1\nNAXIS = 3\n"))
	f.Add([]byte("CTYPE1 = 'RA---ZPN'\nCTYPE2 = 'DEC--ZPN'\nPV2_3 = -1\nPV2_1 = 1\nPV1_0 = 1\nPV1_1 = 10\nPV1_2 = 80\n"))
	f.Add([]byte("CTYPE1 = 'RA---TNX'\nCTYPE2 = 'DEC--TNX'\nCD1_1 = -1E-4\nCD2_2 = 1E-4\nWAT1_001 = 'wtype=tnx axtype=ra lngcor = \"3. 2. 2. 0. 0. 0. 0. 0. 1E-4 1E-5 2E-5\"'\nWAT2_001 = 'wtype=tnx axtype=dec latcor = \"1. 2. 2. 1. -1. 1. -1. 1. 1E-4 1E-5 2E-5 3E-6\"'\n"))
	f.Add([]byte("CTYPE1 = 'RA---ZPX'\nCTYPE2 = 'DEC--ZPX'\nCD1_1 = -1E-4\nCD2_2 = 1E-4\nWAT2_001 = 'wtype=zpx axtype=dec projp1=1.0 projp3=-50.0 latcor = \"2. 2. 2. 1. -1. 1. -1. 1. 1E-4 1E-5 2E-5 3E-6\"'\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := fits.ParseHeader(b)
		if err != nil {
			return
		}
		w, err := New(h)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		checkOutputs(t, w, fuzzPoints)
		if _, err := New(w.Header()); err != nil {
			t.Fatalf("New(w.Header()) of an accepted WCS failed: %v", err)
		}
	})
}

// fuzzWCS builds a WCS of any projection with arbitrary parameters.
func fuzzWCS(code uint8, crval1, crval2, pv1, pv2, pv3 float64) (*WCS, error) {
	c := projCodes[int(code)%len(projCodes)]
	text := fmt.Sprintf("CTYPE1 = 'RA---%s'\nCTYPE2 = 'DEC--%s'\nCRVAL1 = %g\nCRVAL2 = %g\nCDELT1 = -0.5\nCDELT2 = 0.5\nCRPIX1 = 50\nCRPIX2 = 50\nPV2_1 = %g\nPV2_2 = %g\nPV2_3 = %g\n",
		c, c, crval1, crval2, pv1, pv2, pv3)
	h, err := fits.ParseHeader([]byte(text))
	if err != nil {
		return nil, err
	}
	return New(h)
}

func FuzzPixelToWorld(f *testing.F) {
	f.Add(uint8(0), 10.0, 20.0, 2.0, 30.0, 0.0, 1.0, 1.0)
	f.Add(uint8(6), 0.0, -90.0, 1.0, -0.5, 0.1, 250.0, -30.0)
	f.Add(uint8(26), 180.0, 0.0, 4.0, 3.0, 0.0, -400.0, 900.0)
	f.Add(uint8(17), 0.0, 45.0, 45.0, 25.0, 0.0, 50.0, 50.0)
	f.Fuzz(func(t *testing.T, code uint8, crval1, crval2, pv1, pv2, pv3, x, y float64) {
		w, err := fuzzWCS(code, crval1, crval2, pv1, pv2, pv3)
		if err != nil {
			return
		}
		lon, lat, ok := w.PixelToWorld(x, y)
		if ok && (math.IsNaN(lon) || lon < 0 || lon >= 360 || math.Abs(lat) > 90+1e-9) {
			t.Fatalf("PixelToWorld(%g,%g) = (%g,%g)", x, y, lon, lat)
		}
		if !ok && !(math.IsNaN(lon) && math.IsNaN(lat)) {
			t.Fatalf("PixelToWorld(%g,%g) invalid but (%g,%g)", x, y, lon, lat)
		}
	})
}

func FuzzWorldToPixel(f *testing.F) {
	f.Add(uint8(2), 10.0, 20.0, 0.0, 0.0, 0.0, 11.0, 21.0)
	f.Add(uint8(1), 0.0, -60.0, 2.0, 180.0, 60.0, 200.0, -50.0)
	f.Add(uint8(24), 180.0, 0.0, 0.0, 0.0, 0.0, -30.0, 89.999)
	f.Add(uint8(22), 0.0, 45.0, 45.0, 0.0, 0.0, 359.0, -91.0)
	f.Fuzz(func(t *testing.T, code uint8, crval1, crval2, pv1, pv2, pv3, lon, lat float64) {
		w, err := fuzzWCS(code, crval1, crval2, pv1, pv2, pv3)
		if err != nil {
			return
		}
		x, y, ok := w.WorldToPixel(lon, lat)
		if ok && (math.IsNaN(x) || math.IsNaN(y)) {
			t.Fatalf("WorldToPixel(%g,%g) = NaN with ok", lon, lat)
		}
		if !ok && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Fatalf("WorldToPixel(%g,%g) invalid but (%g,%g)", lon, lat, x, y)
		}
	})
}

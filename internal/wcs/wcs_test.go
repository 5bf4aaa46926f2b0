package wcs

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

// hdr builds a header from "KEY = value" lines.
func hdr(t testing.TB, lines ...string) *fits.Header {
	t.Helper()
	var sb strings.Builder
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "=")
		fmt.Fprintf(&sb, "%-8s= %s\n", strings.TrimSpace(k), strings.TrimSpace(v))
	}
	h, err := fits.ParseHeader([]byte(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func mustNew(t testing.TB, h *fits.Header) *WCS {
	t.Helper()
	w, err := New(h)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// samePixToWorld checks that two WCSs agree on a grid of pixels.
func samePixToWorld(t *testing.T, a, b *WCS, w, h int, tol float64) {
	t.Helper()
	for i := 0; i <= 8; i++ {
		for j := 0; j <= 8; j++ {
			x := -0.25*float64(w) + 1.5*float64(w)*float64(i)/8
			y := -0.25*float64(h) + 1.5*float64(h)*float64(j)/8
			l1, b1, ok1 := a.PixelToWorld(x, y)
			l2, b2, ok2 := b.PixelToWorld(x, y)
			if ok1 != ok2 {
				t.Fatalf("(%g,%g): validity %v vs %v", x, y, ok1, ok2)
			}
			if ok1 && worldErr(l1, b1, l2, b2) > tol {
				t.Fatalf("(%g,%g): (%.15g,%.15g) vs (%.15g,%.15g)", x, y, l1, b1, l2, b2)
			}
		}
	}
}

func TestCubeAndSwappedAxes(t *testing.T) {
	base := []string{"NAXIS = 2", "NAXIS1 = 100", "NAXIS2 = 80",
		"CTYPE1 = 'RA---SIN'", "CTYPE2 = 'DEC--SIN'", "CRVAL1 = 150.0", "CRVAL2 = 30.0",
		"CRPIX1 = 50.5", "CRPIX2 = 40.5", "CDELT1 = -0.01", "CDELT2 = 0.01",
		"PC1_2 = 0.1", "PC2_1 = -0.05"}
	w2 := mustNew(t, hdr(t, base...))
	// Same celestial WCS in a 4-D cube with a frequency axis in the middle.
	cube := mustNew(t, hdr(t, "NAXIS = 4", "NAXIS1 = 100", "NAXIS2 = 7", "NAXIS3 = 80", "NAXIS4 = 1",
		"CTYPE1 = 'RA---SIN'", "CTYPE2 = 'FREQ'", "CTYPE3 = 'DEC--SIN'", "CTYPE4 = 'STOKES'",
		"CRVAL1 = 150.0", "CRVAL3 = 30.0", "CRVAL2 = 1.4E9",
		"CRPIX1 = 50.5", "CRPIX3 = 40.5", "CRPIX2 = 4", "CDELT1 = -0.01", "CDELT3 = 0.01", "CDELT2 = 1E6",
		"PC1_3 = 0.1", "PC3_1 = -0.05"))
	samePixToWorld(t, w2, cube, 100, 80, 1e-12)
	if cube.Width != 100 || cube.Height != 80 {
		t.Errorf("cube size %dx%d", cube.Width, cube.Height)
	}
	// Latitude first: x is then the DEC pixel axis.
	sw := mustNew(t, hdr(t, "NAXIS = 2", "NAXIS1 = 80", "NAXIS2 = 100",
		"CTYPE1 = 'DEC--SIN'", "CTYPE2 = 'RA---SIN'", "CRVAL1 = 30.0", "CRVAL2 = 150.0",
		"CRPIX1 = 40.5", "CRPIX2 = 50.5", "CDELT1 = 0.01", "CDELT2 = -0.01", "PC1_2 = -0.05", "PC2_1 = 0.1"))
	for _, p := range [][2]float64{{1, 1}, {50, 40}, {100, 80}, {-20, 120}} {
		l1, b1, _ := w2.PixelToWorld(p[0], p[1])
		l2, b2, _ := sw.PixelToWorld(p[1], p[0])
		if worldErr(l1, b1, l2, b2) > 1e-12 {
			t.Errorf("swapped axes differ at %v: (%g,%g) vs (%g,%g)", p, l1, b1, l2, b2)
		}
		x, y, ok := sw.WorldToPixel(l2, b2)
		if !ok || math.Abs(x-p[1]) > 1e-9 || math.Abs(y-p[0]) > 1e-9 {
			t.Errorf("swapped WorldToPixel %v -> (%g,%g)", p, x, y)
		}
	}
	// Coupled third axis: the celestial pixel depends on pixel 3 held at 1.
	cpl := mustNew(t, hdr(t, "NAXIS = 3", "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CTYPE3 = 'VELO'",
		"CRVAL1 = 10.0", "CRVAL2 = -20.0", "CRPIX1 = 10", "CRPIX2 = 10", "CRPIX3 = 5",
		"CDELT1 = -0.001", "CDELT2 = 0.001", "PC1_3 = 0.5"))
	flat := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'",
		"CRVAL1 = 10.0", "CRVAL2 = -20.0", "CRPIX1 = 12", "CRPIX2 = 10", "CDELT1 = -0.001", "CDELT2 = 0.001"))
	samePixToWorld(t, cpl, flat, 20, 20, 1e-12)
	samePixToWorld(t, cpl, mustNew(t, cpl.Header()), 20, 20, 1e-12)
	samePixToWorld(t, sw, mustNew(t, sw.Header()), 80, 100, 0)
	samePixToWorld(t, cube, mustNew(t, cube.Header()), 100, 80, 0)
}

func TestUnitsAndRepairs(t *testing.T) {
	deg := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CRVAL1 = 45.0", "CRVAL2 = 45.0",
		"CRPIX1 = 1", "CRPIX2 = 1", "CDELT1 = -0.001", "CDELT2 = 0.001"))
	for _, u := range []struct{ unit, scale string }{{"arcsec", "3600"}, {"arcmin", "60"}, {"DEGREE", "1"}, {"mas", "3600000"}} {
		var s float64
		fmt.Sscan(u.scale, &s)
		w := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'",
			fmt.Sprintf("CRVAL1 = %g", 45*s), fmt.Sprintf("CRVAL2 = %g", 45*s),
			"CRPIX1 = 1", "CRPIX2 = 1", fmt.Sprintf("CDELT1 = %g", -0.001*s), fmt.Sprintf("CDELT2 = %g", 0.001*s),
			fmt.Sprintf("CUNIT1 = '%s'", u.unit), fmt.Sprintf("CUNIT2 = '%s'", u.unit)))
		samePixToWorld(t, deg, w, 100, 100, 1e-10)
	}
	for _, c := range []struct {
		lines []string
		key   string
	}{
		{[]string{"CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CUNIT2 = 'furlong'"}, "CUNIT2"},
		{[]string{"CTYPE1 = 'RA---NCP'", "CTYPE2 = 'DEC--NCP'", "CRVAL2 = 0.0"}, "CRVAL2"},
		{[]string{"CTYPE1 = 'RA---XYZ'", "CTYPE2 = 'DEC--XYZ'"}, "CTYPE1"},
		{[]string{"CTYPE1 = 'RA---TAN'", "CTYPE2 = 'FREQ'"}, "CTYPE1"},
		{[]string{"CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--SIN'"}, "CTYPE1"},
		{[]string{"CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CD1_1 = 0.0", "CD2_2 = 0.0"}, "CD"},
		{[]string{"CTYPE1 = 'RA---COE'", "CTYPE2 = 'DEC--COE'"}, "PV2"},
		{[]string{"CTYPE1 = 'RA---TAN-SIP'", "CTYPE2 = 'DEC--TAN-SIP'", "A_ORDER = 2", "CRPIX1 = 1", "CRPIX2 = 1"}, "A_ORDER"},
		{[]string{"CTYPE1 = 'RA---SIN'", "CTYPE2 = 'DEC--SIN'", "PV1_7 = 1.0"}, "PV1_7"},
	} {
		if _, err := New(hdr(t, c.lines...)); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%v: error %v, want one naming %s", c.lines, err, c.key)
		}
	}
	// CROTA2 as WCSLIB translates it.
	rot := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CRVAL1 = 45.0", "CRVAL2 = 45.0",
		"CDELT1 = -0.001", "CDELT2 = 0.002", "CROTA2 = 30.0"))
	c, s := math.Cos(30*d2r), math.Sin(30*d2r)
	want := [2][2]float64{{-0.001 * c, -0.001 * s * 2}, {-0.002 * s / 2, 0.002 * c}}
	for r := 0; r < 2; r++ {
		for k := 0; k < 2; k++ {
			if math.Abs(rot.cd[r][k]-want[r][k]) > 1e-18 {
				t.Errorf("CROTA2 CD = %v, want %v", rot.cd, want)
			}
		}
	}
	// GLS is SFL about the reference latitude.
	gls := mustNew(t, hdr(t, "CTYPE1 = 'GLON-GLS'", "CTYPE2 = 'GLAT-GLS'", "CRVAL1 = 10.0", "CRVAL2 = 20.0", "CDELT1 = -0.1", "CDELT2 = 0.1"))
	if l, b, ok := gls.PixelToWorld(0, 0); !ok || math.Abs(l-10) > 1e-12 || math.Abs(b-20) > 1e-12 {
		t.Errorf("GLS reference point -> (%g,%g,%v)", l, b, ok)
	}
	if l, b, _ := gls.PixelToWorld(0, 10); math.Abs(l-10) > 1e-12 || math.Abs(b-21) > 1e-12 {
		t.Errorf("GLS central meridian -> (%g,%g)", l, b)
	}
}

// TestProjectionRoundTrip checks s2x/x2s consistency of every projection on
// random native points, and that points map back to themselves in world
// coordinates through a full WCS.
func TestProjectionRoundTrip(t *testing.T) {
	params := map[string][]string{
		"AZP": {"PV2_1 = 2.0", "PV2_2 = 30.0"}, "SZP": {"PV2_1 = 2.0", "PV2_2 = 180.0", "PV2_3 = 60.0"},
		"SIN": {"PV2_1 = 0.2", "PV2_2 = -0.1"}, "ZPN": {"PV2_0 = 0.05", "PV2_1 = 0.975", "PV2_2 = -0.807", "PV2_3 = 0.337"},
		"AIR": {"PV2_1 = 45.0"}, "CYP": {"PV2_1 = 1.0", "PV2_2 = 0.7"}, "CEA": {"PV2_1 = 0.5"},
		"COP": {"PV2_1 = 45.0", "PV2_2 = 25.0"}, "COE": {"PV2_1 = -45.0", "PV2_2 = 25.0"},
		"COD": {"PV2_1 = 45.0", "PV2_2 = 25.0"}, "COO": {"PV2_1 = 45.0", "PV2_2 = 25.0"}, "BON": {"PV2_1 = 45.0"},
		"HPX": {"PV2_1 = 4.0", "PV2_2 = 3.0"},
	}
	tolPix := map[string]float64{"CSC": 0.2}
	seed := uint64(12345)
	rnd := func() float64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>11) / (1 << 53)
	}
	for _, code := range projCodes {
		lines := []string{fmt.Sprintf("CTYPE1 = 'RA---%s'", code), fmt.Sprintf("CTYPE2 = 'DEC--%s'", code),
			"CRVAL1 = 120.0", "CRVAL2 = 40.0", "CDELT1 = -0.1", "CDELT2 = 0.1", "CRPIX1 = 100", "CRPIX2 = 100"}
		w := mustNew(t, hdr(t, append(lines, params[code]...)...))
		n := 0
		for i := 0; i < 2000; i++ {
			lon := 120 + (rnd()-0.5)*60
			lat := 40 + (rnd()-0.5)*40
			x, y, ok := w.WorldToPixel(lon, lat)
			if !ok {
				continue
			}
			l2, b2, ok := w.PixelToWorld(x, y)
			if !ok {
				t.Errorf("%s: (%g,%g) -> pixel (%g,%g) -> invalid", code, lon, lat, x, y)
				continue
			}
			n++
			tol := 1e-9
			if code == "CSC" {
				tol = 2e-2 // CSC's polynomial approximations are inverse to ~1"
			}
			if e := worldErr(l2, b2, lon, lat); e > tol {
				t.Errorf("%s: (%g,%g) -> (%g,%g) -> (%.12g,%.12g): err %g", code, lon, lat, x, y, l2, b2, e)
			}
			_ = tolPix
		}
		if n < 1000 {
			t.Errorf("%s: only %d of 2000 points valid", code, n)
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	var idx truthIndex
	b, err := os.ReadFile(filepath.Join(truthDir, "truth", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range idx.Cases {
		if c.Error != "" {
			continue
		}
		w, err := loadWCS(t, c.File, c.HDU)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		h := w.Header()
		var sb strings.Builder
		for _, card := range h.Cards {
			sb.WriteString(card.Format())
		}
		h2, err := fits.ParseHeader([]byte(sb.String()))
		if err != nil {
			t.Fatalf("%s: written header does not parse: %v", c.ID, err)
		}
		w2, err := New(h2)
		if err != nil {
			t.Fatalf("%s: New(w.Header()): %v\n%s", c.ID, err, sb.String())
		}
		if w2.Proj != w.Proj || w2.Frame.Name != w.Frame.Name || w2.Frame.RADESYS != w.Frame.RADESYS ||
			w2.cel.eul != w.cel.eul || w2.crval != w.crval || (w2.sip == nil) != (w.sip == nil) || (w2.tpv == nil) != (w.tpv == nil) {
			t.Errorf("%s: round trip changed the WCS", c.ID)
		}
		size := 200
		samePixToWorld(t, w, w2, size, size, 0)
		n++
	}
	if n < 40 {
		t.Fatalf("only %d cases", n)
	}
}

func TestCamera(t *testing.T) {
	for _, code := range projCodes {
		for _, fr := range []FrameKind{FrameEquatorial, FrameGalactic} {
			w, err := NewCameraIn(fr, code, 83.6, -5.4, 30, 800, 600, 20)
			if err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			l, b, ok := w.PixelToWorld(400.5, 300.5)
			if !ok || worldErr(l, b, 83.6, -5.4) > 1e-9 {
				t.Errorf("%s: centre -> (%g,%g,%v)", code, l, b, ok)
			}
			// RA increases to the left (with no rotation).
			w0, _ := NewCamera(code, 83.6, -5.4, 30, 800, 600, 0)
			l1, _, _ := w0.PixelToWorld(380, 300.5)
			l2, _, _ := w0.PixelToWorld(420, 300.5)
			if !(l1 > l2) {
				t.Errorf("%s: RA does not increase to the left (%g, %g)", code, l1, l2)
			}
			w2, err := New(w.Header())
			if err != nil {
				t.Fatal(err)
			}
			samePixToWorld(t, w, w2, 800, 600, 0)
		}
	}
	rot, _ := NewCamera("TAN", 0, 0, 10, 100, 100, 90)
	if _, b, _ := rot.PixelToWorld(40.5, 50.5); !(b > 0.99) {
		t.Errorf("rotation 90: north is not toward -x (lat %g at -x)", b)
	}
	for _, bad := range []func() (*WCS, error){
		func() (*WCS, error) { return NewCamera("FOO", 0, 0, 1, 10, 10, 0) },
		func() (*WCS, error) { return NewCamera("TAN", 0, 95, 1, 10, 10, 0) },
		func() (*WCS, error) { return NewCamera("TAN", 0, 0, -1, 10, 10, 0) },
		func() (*WCS, error) { return NewCamera("TAN", 0, 0, 1, 0, 10, 0) },
	} {
		if _, err := bad(); err == nil {
			t.Error("invalid camera accepted")
		}
	}
}

// TestSIPAndTPV checks a header with both distortions: SIP in pixel space,
// then TPV on the intermediate coordinates, as astropy + WCSLIB apply them.
func TestSIPAndTPV(t *testing.T) {
	lines := []string{"CTYPE1 = 'RA---TPV'", "CTYPE2 = 'DEC--TPV'", "CRVAL1 = 30.0", "CRVAL2 = 60.0",
		"CRPIX1 = 100", "CRPIX2 = 120", "CD1_1 = -1E-4", "CD2_2 = 1E-4", "CD1_2 = 2E-6",
		"PV1_1 = 1.0", "PV1_4 = 0.02", "PV1_11 = 0.001", "PV2_1 = 1.0", "PV2_5 = -0.01", "PV2_2 = 0.001",
		"A_ORDER = 2", "B_ORDER = 2", "A_2_0 = 1E-5", "A_1_1 = -2E-6", "B_0_2 = 3E-6"}
	w := mustNew(t, hdr(t, lines...))
	if w.sip == nil || w.tpv == nil {
		t.Fatal("both distortions expected")
	}
	for _, p := range [][2]float64{{1, 1}, {100, 120}, {250, -30}, {-80, 300}} {
		// Manual composition.
		u, v := p[0]-100, p[1]-120
		fx := p[0] + 1e-5*u*u - 2e-6*u*v - 100
		fy := p[1] + 3e-6*v*v - 120
		qx, qy := -1e-4*fx+2e-6*fy, 1e-4*fy
		r := math.Sqrt(qx*qx + qy*qy)
		tx := qx + 0.02*qx*qx + 0.001*r*r*r
		ty := qy - 0.01*qx*qy + 0.001*qx
		phi, theta, ok := w.prj.x2s(tx, ty)
		if !ok {
			t.Fatal("x2s")
		}
		wl, wb := w.cel.toCelestial(phi, theta)
		l, b, ok := w.PixelToWorld(p[0], p[1])
		if !ok || worldErr(l, b, normLon360(wl), wb) > 1e-12 {
			t.Errorf("%v: (%g,%g) want (%g,%g)", p, l, b, wl, wb)
		}
		x, y, ok := w.WorldToPixel(l, b)
		if !ok || math.Abs(x-p[0]) > 1e-6 || math.Abs(y-p[1]) > 1e-6 {
			t.Errorf("%v: inverse (%g,%g,%v)", p, x, y, ok)
		}
	}
	// Pre-2012 SCAMP: -TAN with PVi_m (m >= 5) is TPV and any SIP is dropped.
	old := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CRVAL1 = 30.0", "CRVAL2 = 60.0",
		"CD1_1 = -1E-4", "CD2_2 = 1E-4", "PV1_1 = 1.0", "PV2_1 = 1.0", "PV1_5 = 0.01", "A_ORDER = 2", "B_ORDER = 2", "A_2_0 = 1E-3"))
	if old.tpv == nil || old.sip != nil {
		t.Errorf("pre-2012 SCAMP header: tpv %v sip %v", old.tpv != nil, old.sip != nil)
	}
}

// TestDSSWithoutCTYPE: a DSS plate solution alone is a TAN WCS about the
// plate centre (the case in the truth set also carries approximate CTYPE/CD
// cards, which WCSLIB ignores in favour of the plate solution).
func TestDSSWithoutCTYPE(t *testing.T) {
	b, err := os.ReadFile(headerPath("fits/astropy_dss_14.29.56-62.41.05.fits.gz", ptr(0)))
	if err != nil {
		t.Fatal(err)
	}
	h, err := parseLenient(t, b)
	if err != nil {
		t.Fatal(err)
	}
	full := mustNew(t, h)
	for _, k := range []string{"CTYPE1", "CTYPE2", "CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2", "CD1_1", "CD1_2", "CD2_1", "CD2_2", "CDELT1", "CDELT2", "CROTA1", "CROTA2", "PC001001", "PC001002", "PC002001", "PC002002"} {
		h.Delete(k)
	}
	bare := mustNew(t, h)
	samePixToWorld(t, full, bare, 100, 100, 0)
	if l, b, ok := bare.PixelToWorld(50.5, 50.5); !ok || worldErr(l, b, 217.483664, -62.685163) > 1e-6 {
		t.Errorf("DSS centre (%g,%g,%v), want wcsware's (217.483664,-62.685163)", l, b, ok)
	}
}

func ptr(i int) *int { return &i }

// TestEquivalences cross-checks independent code paths that must agree:
// the TAN/SIN fast path against the general WCSLIB-style path, and
// projections that reduce to others for particular parameters.
func TestEquivalences(t *testing.T) {
	base := func(code string, extra ...string) *WCS {
		lines := []string{fmt.Sprintf("CTYPE1 = 'RA---%s'", code), fmt.Sprintf("CTYPE2 = 'DEC--%s'", code),
			"CRVAL1 = 250.0", "CRVAL2 = -35.0", "CDELT1 = -0.05", "CDELT2 = 0.05", "CRPIX1 = 100", "CRPIX2 = 100",
			"PC1_2 = 0.2", "LONPOLE = 150.0"}
		return mustNew(t, hdr(t, append(lines, extra...)...))
	}
	// Fast path vs general path.
	for _, code := range []string{"TAN", "SIN"} {
		w := base(code)
		if w.fast == fastNone {
			t.Fatalf("%s: fast path not enabled", code)
		}
		slow := *w
		slow.fast = fastNone
		samePixToWorld(t, w, &slow, 200, 200, 1e-11)
		for _, p := range [][2]float64{{250, -35}, {251, -34}, {240, -40}, {70, 35}} {
			x1, y1, ok1 := w.WorldToPixel(p[0], p[1])
			x2, y2, ok2 := slow.WorldToPixel(p[0], p[1])
			if ok1 != ok2 || (ok1 && (math.Abs(x1-x2) > 1e-8 || math.Abs(y1-y2) > 1e-8)) {
				t.Errorf("%s %v: fast (%g,%g,%v) vs general (%g,%g,%v)", code, p, x1, y1, ok1, x2, y2, ok2)
			}
		}
	}
	tan := base("TAN")
	tanSlow := *tan
	tanSlow.fast = fastNone
	samePixToWorld(t, &tanSlow, base("AZP", "PV2_1 = 0.0", "PV2_2 = 0.0"), 200, 200, 1e-11)
	samePixToWorld(t, &tanSlow, base("SZP", "PV2_1 = 0.0"), 200, 200, 1e-11)
	samePixToWorld(t, base("ARC"), base("ZPN", "PV2_1 = 1.0"), 200, 200, 1e-11)
	samePixToWorld(t, base("SFL"), base("BON", "PV2_1 = 0.0"), 200, 200, 1e-11)
}

// TestTNX checks IRAF's TNX convention (WAT strings split across cards,
// Chebyshev surfaces with half cross terms) against a direct evaluation.
func TestTNX(t *testing.T) {
	lng := `wtype=tnx axtype=ra lngcor = "1. 3. 3. 2. -0.1 0.1 -0.1 0.1 1.0E-4 2.0E-5 -3.0E-5 4.0E-6 5.0E-6 -6.0E-6"`
	lat := `wtype=tnx axtype=dec latcor = "1. 3. 3. 2. -0.1 0.1 -0.1 0.1 -2.0E-4 1.0E-5 3.0E-5 -4.0E-6 2.0E-6 7.0E-6"`
	lines := []string{"CTYPE1 = 'RA---TNX'", "CTYPE2 = 'DEC--TNX'", "CRVAL1 = 210.0", "CRVAL2 = 54.0",
		"CRPIX1 = 100", "CRPIX2 = 100", "CD1_1 = -2E-4", "CD2_2 = 2E-4", "CD1_2 = 1E-5"}
	for i, s := range []string{lng, lat} {
		for n := 0; len(s) > 0; n++ {
			p := s[:min(len(s), 68)]
			s = s[len(p):]
			lines = append(lines, fmt.Sprintf("WAT%d_%03d = '%s'", i+1, n+1, p))
		}
	}
	w := mustNew(t, hdr(t, lines...))
	if w.wat == nil || w.Proj != "TAN" {
		t.Fatal("TNX not recognised")
	}
	cheb := func(x float64) [3]float64 {
		x = (2*x - 0) / 0.2 // range [-0.1, 0.1]
		return [3]float64{1, x, 2*x*x - 1}
	}
	surf := func(c [6]float64, x, y float64) float64 {
		tx, ty := cheb(x), cheb(y)
		return c[0]*tx[0]*ty[0] + c[1]*tx[1]*ty[0] + c[2]*tx[2]*ty[0] + c[3]*tx[0]*ty[1] + c[4]*tx[1]*ty[1] + c[5]*tx[0]*ty[2]
	}
	cl := [6]float64{1e-4, 2e-5, -3e-5, 4e-6, 5e-6, -6e-6}
	cb := [6]float64{-2e-4, 1e-5, 3e-5, -4e-6, 2e-6, 7e-6}
	ref := mustNew(t, hdr(t, "CTYPE1 = 'RA---TAN'", "CTYPE2 = 'DEC--TAN'", "CRVAL1 = 210.0", "CRVAL2 = 54.0",
		"CRPIX1 = 0", "CRPIX2 = 0", "CDELT1 = 1.0", "CDELT2 = 1.0"))
	for _, p := range [][2]float64{{1, 1}, {100, 100}, {350, -20}, {-50, 260}} {
		dx, dy := p[0]-100, p[1]-100
		xi, eta := -2e-4*dx+1e-5*dy, 2e-4*dy
		xi2, eta2 := xi+surf(cl, xi, eta), eta+surf(cb, xi, eta)
		wl, wb, _ := ref.PixelToWorld(xi2, eta2)
		l, b, ok := w.PixelToWorld(p[0], p[1])
		if !ok || worldErr(l, b, wl, wb) > 1e-12 {
			t.Errorf("%v: (%.12g,%.12g), want (%.12g,%.12g)", p, l, b, wl, wb)
		}
		x, y, ok := w.WorldToPixel(l, b)
		if !ok || math.Abs(x-p[0]) > 1e-7 || math.Abs(y-p[1]) > 1e-7 {
			t.Errorf("%v: inverse (%g,%g,%v)", p, x, y, ok)
		}
	}
	w2 := mustNew(t, w.Header())
	samePixToWorld(t, w, w2, 200, 200, 0)
	// ZPX: ZPN whose parameters come from projpN in the WAT strings.
	zpx := mustNew(t, hdr(t, "CTYPE1 = 'RA---ZPX'", "CTYPE2 = 'DEC--ZPX'", "CRVAL1 = 210.0", "CRVAL2 = 54.0",
		"CDELT1 = -0.1", "CDELT2 = 0.1", "WAT1_001 = 'wtype=zpx axtype=ra'", "WAT2_001 = 'wtype=zpx axtype=dec projp1=1.0'"))
	arc := mustNew(t, hdr(t, "CTYPE1 = 'RA---ARC'", "CTYPE2 = 'DEC--ARC'", "CRVAL1 = 210.0", "CRVAL2 = 54.0",
		"CDELT1 = -0.1", "CDELT2 = 0.1"))
	samePixToWorld(t, arc, zpx, 200, 200, 1e-11)
}

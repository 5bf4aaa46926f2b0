package main

import (
	"bytes"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/wcs"
)

const hipsTD = "../../testdata/hips/"

func readFITSImage(t *testing.T, path string, hdu int) (*fits.HDU, []float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.HDUs[hdu].Image()
	if err != nil {
		t.Fatal(err)
	}
	return f.HDUs[hdu], img.Float64()
}

// TestRenderRoundTrip: `viewer render` of the ngc1316 HiPS at the WCS of
// the original image (comp.fits HDU 1) reproduces its pixels.
func TestRenderRoundTrip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ngc.fits")
	var so, se bytes.Buffer
	code := runRender([]string{"--hips", hipsTD + "ngc1316", "--wcs", hipsTD + "peers/ngc1316-comp.fits", "-o", out}, &so, &se)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if !strings.Contains(so.String(), "440x300, order 6") || !strings.Contains(se.String(), "sampling") {
		t.Errorf("stdout %q stderr %q", so.String(), se.String())
	}
	h, got := readFITSImage(t, out, 0)
	_, orig := readFITSImage(t, hipsTD+"peers/ngc1316.fits", 0)
	w, err := wcs.New(h.Header())
	if err != nil || w.Proj != "SIN" || w.Frame.RADESYS != "FK4" {
		t.Fatalf("output WCS: %v %+v", err, w)
	}
	var a, b, ad []float64
	for i := range got {
		if math.IsNaN(got[i]) || math.IsNaN(orig[i]) {
			continue
		}
		a = append(a, got[i])
		b = append(b, orig[i])
		ad = append(ad, math.Abs(got[i]-orig[i]))
	}
	sort.Float64s(ad)
	r := pearson(a, b)
	t.Logf("%d of %d pixels, r = %.5f, median |diff| = %.3f", len(a), len(orig), r, ad[len(ad)/2])
	if r < 0.99 || len(a) < len(orig)*9/10 {
		t.Errorf("r = %.4f over %d pixels", r, len(a))
	}
}

func pearson(a, b []float64) float64 {
	var n, sa, sb, saa, sbb, sab float64
	for i := range a {
		n++
		sa += a[i]
		sb += b[i]
		saa += a[i] * a[i]
		sbb += b[i] * b[i]
		sab += a[i] * b[i]
	}
	cov := sab/n - sa/n*sb/n
	return cov / math.Sqrt((saa/n-sa/n*sa/n)*(sbb/n-sb/n*sb/n))
}

func TestRenderPNGAndColourFITS(t *testing.T) {
	dir := t.TempDir()
	var so, se bytes.Buffer
	// A galactic-frame AIT view of the colour Mellinger HiPS (order 3 only
	// partly present in the test data: missing tiles are transparent).
	pngOut := filepath.Join(dir, "m.png")
	if code := runRender([]string{"--hips", hipsTD + "mellinger", "--center", "0,0", "--frame", "galactic", "--fov", "360", "--proj", "AIT", "--size", "200x100", "--order", "3", "-o", pngOut}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	f, err := os.Open(pngOut)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 200 {
		t.Fatalf("png: %v", err)
	}
	opaque := 0
	for y := 0; y < 100; y++ {
		for x := 0; x < 200; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0 {
				opaque++
			}
		}
	}
	if opaque == 0 || opaque > 200*100/2 {
		t.Errorf("%d opaque pixels", opaque)
	}
	// Colour HiPS to FITS: three planes.
	fitsOut := filepath.Join(dir, "m.fits")
	if code := runRender([]string{"--hips", hipsTD + "mellinger", "--center", "266.4,-29", "--fov", "30", "--size", "64x64", "-o", fitsOut}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	h, _ := readFITSImage(t, fitsOut, 0)
	if n3, _ := h.Header().Int("NAXIS3"); n3 != 3 {
		t.Errorf("colour FITS NAXIS3 = %d", n3)
	}
	// FITS tiles to JPEG with an explicit stretch.
	if code := runRender([]string{"--hips", hipsTD + "ngc1316", "--center", "03h22m41.7s,-37d12m30s", "--fov", "0.5", "--size", "100x100",
		"--stretch", "asinh", "--min", "200", "--max", "1000", "--cmap", "viridis", "-o", filepath.Join(dir, "n.jpg")}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
}

func TestRenderErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "nohips")
	os.Mkdir(bad, 0o755)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-o", "x.png"}, 2, "--hips (or --fits) is required"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10"}, 2, "-o"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10", "-o", "x.gif"}, 2, "extension"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "-o", "x.png"}, 2, "--size"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10by10", "-o", "x.png"}, 2, "WxH"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "abc", "--fov", "1", "--size", "10x10", "-o", "x.png"}, 2, "--center"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10", "--proj", "XYZ", "-o", filepath.Join(dir, "x.png")}, 1, "XYZ"},
		{[]string{"--hips", bad, "--center", "1,2", "--fov", "1", "--size", "10x10", "-o", filepath.Join(dir, "x.png")}, 1, "no properties file"},
		{[]string{"--hips", "ftp://x", "--center", "1,2", "--fov", "1", "--size", "10x10", "-o", filepath.Join(dir, "x.png")}, 1, "ftp://x"},
		{[]string{"--hips", hipsTD + "mellinger", "--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10", "-o", "x.fits"}, 2, "one --hips"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10", "--sampling", "cubic", "-o", "x.png"}, 2, "--sampling"},
		{[]string{"--hips", hipsTD + "ngc1316", "--wcs", hipsTD + "ngc1316/properties", "-o", "x.png"}, 1, "properties"},
		{[]string{"--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "10x10", "--stretch", "histeq", "-o", filepath.Join(dir, "x.png")}, 2, "--stretch"},
		{[]string{"--bogus"}, 2, "bogus"},
		{[]string{"--hips", hipsTD + "ngc1316", "--cube", "1", "--center", "1,2", "--fov", "1", "--size", "10x10", "-o", "x.png"}, 2, "1 frame"},
	}
	for _, c := range cases {
		var so, se bytes.Buffer
		code := runRender(c.args, &so, &se)
		if code != c.code || !strings.Contains(se.String(), c.msg) {
			t.Errorf("%v: exit %d, stderr %q (want %d, %q)", c.args, code, se.String(), c.code, c.msg)
		}
	}
}

// TestRenderHTTP renders from a HiPS served over HTTP (127.0.0.1), with 5xx
// errors on one tile: the render completes with a warning naming the tile.
func TestRenderHTTP(t *testing.T) {
	files := http.FileServer(http.Dir(hipsTD))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "Npix34495.fits") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "n.fits")
	var so, se bytes.Buffer
	code := runRender([]string{"--hips", srv.URL + "/ngc1316/", "--center", "50.674,-37.208", "--fov", "0.3", "--size", "120x120", "--proj", "SIN", "-o", out}, &so, &se)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if !strings.Contains(se.String(), "warning") || !strings.Contains(se.String(), "6/34495") || !strings.Contains(se.String(), "503") {
		t.Errorf("stderr %q", se.String())
	}
	_, v := readFITSImage(t, out, 0)
	finite := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			finite++
		}
	}
	if finite == 0 || finite == len(v) {
		t.Errorf("%d finite of %d", finite, len(v))
	}
}

func TestRenderFITSImage(t *testing.T) {
	dir := t.TempDir()
	var so, se bytes.Buffer
	out := filepath.Join(dir, "same.fits")
	// Reproject the image onto its own WCS: the identity.
	if code := runRender([]string{"--fits", hipsTD + "peers/ngc1316.fits", "--wcs", hipsTD + "peers/ngc1316.fits", "-o", out}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	_, got := readFITSImage(t, out, 0)
	_, orig := readFITSImage(t, hipsTD+"peers/ngc1316.fits", 0)
	for i := range orig {
		if math.Abs(got[i]-orig[i]) > 1e-3 {
			t.Fatalf("pixel %d: %v want %v", i, got[i], orig[i])
		}
	}
	// Into a galactic AIT PNG with zscale limits.
	if code := runRender([]string{"--fits", hipsTD + "peers/ngc1316.fits", "--center", "240.2,-56.7", "--frame", "galactic", "--fov", "1", "--size", "80x60", "--proj", "AIT", "-o", filepath.Join(dir, "g.png")}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--fits", hipsTD + "peers/ngc1316.fits", "--hips", hipsTD + "ngc1316", "--center", "1,2", "--fov", "1", "--size", "9x9", "-o", filepath.Join(dir, "x.png")}, "not both"},
		{[]string{"--fits", hipsTD + "ngc1316/properties", "--center", "1,2", "--fov", "1", "--size", "9x9", "-o", filepath.Join(dir, "x.png")}, "properties"},
		{[]string{"--fits", hipsTD + "peers/ngc1316.fits", "--hdu", "3", "--center", "1,2", "--fov", "1", "--size", "9x9", "-o", filepath.Join(dir, "x.png")}, "no HDU 3"},
		{[]string{"--fits", hipsTD + "peers/ngc1316.fits", "--center", "1,2", "--fov", "1", "--size", "9x9", "-o", filepath.Join(dir, "x.png")}, "no pixel"},
	} {
		var so, se bytes.Buffer
		if code := runRender(c.args, &so, &se); code == 0 || !strings.Contains(se.String(), c.msg) {
			t.Errorf("%v: exit %d, %q (want %q)", c.args, code, se.String(), c.msg)
		}
	}
}

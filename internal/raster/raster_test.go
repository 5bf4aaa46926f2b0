package raster

import (
	"context"
	"math"
	"os"
	"sort"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/wcs"
)

const td = "../../testdata/hips/"

func openFITS(t testing.TB, path string) *fits.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := fits.Open(bytesReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func survey(t testing.TB, name string, opt hips.SurveyOptions) *hips.Survey {
	t.Helper()
	s, err := hips.OpenSurvey(context.Background(), &hips.FSFetcher{FS: os.DirFS(td + name)}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
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

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return math.NaN()
	}
	return s[len(s)/2]
}

// TestRoundTripNGC1316 renders the ngc1316 HiPS (FITS tiles, order 6) at the
// WCS of the image it was made from (astropy's comp.fits HDU 1: RA---SIN,
// EQUINOX 1950, so FK4 -> ICRS is part of the path) and compares with the
// original pixels.
func TestRoundTripNGC1316(t *testing.T) {
	f := openFITS(t, td+"peers/ngc1316-comp.fits")
	h := f.HDUs[1]
	w, err := wcs.New(h.Header())
	if err != nil {
		t.Fatal(err)
	}
	// The same pixels, losslessly decompressed by astropy (ngc1316.fits), as
	// RICE decoding is another package's job.
	img, err := openFITS(t, td+"peers/ngc1316.fits").HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	// (wcs.WCS.Width comes from NAXIS1 of the compressed HDU's table: use
	// ZNAXISn, the image size.)
	zw, _ := h.Header().Int("ZNAXIS1")
	zh, _ := h.Header().Int("ZNAXIS2")
	if img.Axes[0] != int(zw) || img.Axes[1] != int(zh) {
		t.Fatalf("image %v vs ZNAXIS %dx%d", img.Axes, zw, zh)
	}
	grid := Grid{WCS: w, Width: int(zw), Height: int(zh)}
	orig := img.Float64()
	s := survey(t, "ngc1316", hips.SurveyOptions{WantData: true})
	for _, smp := range []Sampling{Bilinear, Nearest} {
		r, err := RenderLayer(context.Background(), grid, Layer{Survey: s, Order: AutoOrder, Sampling: smp, Opacity: 1}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Warnings != nil {
			t.Fatal(r.Warnings)
		}
		var a, b, ad []float64
		for i, v := range r.Values {
			if math.IsNaN(float64(v)) || math.IsNaN(orig[i]) {
				continue
			}
			a = append(a, float64(v))
			b = append(b, orig[i])
			ad = append(ad, math.Abs(float64(v)-orig[i]))
		}
		rr := pearson(a, b)
		t.Logf("sampling %d: order %d, %d tiles, %d of %d pixels covered, r = %.5f, median |diff| = %.3f (data range %v)",
			smp, r.Order, r.Tiles, len(a), len(orig), rr, median(ad), "-5..1038")
		if r.Order != 6 || len(a) < len(orig)*9/10 || rr < 0.99 {
			t.Errorf("sampling %d: order %d, covered %d, r = %.4f (want ≥ 0.99)", smp, r.Order, len(a), rr)
		}
	}
}

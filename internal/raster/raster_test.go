package raster

import (
	"context"
	"image/jpeg"
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

// TestDirbe60VsSource renders the dirbe60 HiPS (ICRS, FITS tiles, order 3,
// read from its full-resolution Allsky.fits) at the WCS of the galactic AIT
// map it was made from, and compares the pixels over the whole map and in a
// few fields.
func TestDirbe60VsSource(t *testing.T) {
	f := openFITS(t, td+"peers/dirbe60-e90gal07-ait.fits")
	w, err := wcs.New(f.HDUs[0].Header())
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	src := img.Float64()
	s := survey(t, "dirbe60", hips.SurveyOptions{Format: hips.FormatFITS})
	if _, err := s.LoadAllsky(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: w.Width, Height: w.Height}, Layer{Survey: s, Order: 3, Opacity: 1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fields := []struct {
		name           string
		i0, j0, i1, j1 int // 0-based pixel box
	}{
		{"whole map", 0, 0, 1024, 512},
		{"galactic centre", 462, 206, 562, 306},
		{"Cygnus (l=80)", 200, 226, 300, 286},
		{"north, high latitude", 400, 400, 624, 480},
		{"anticentre side (l=-150)", 850, 200, 950, 300},
	}
	for _, fd := range fields {
		var a, b, ad []float64
		for j := fd.j0; j < fd.j1; j++ {
			for i := fd.i0; i < fd.i1; i++ {
				p := j*1024 + i
				v := float64(r.Values[p])
				if math.IsNaN(v) || math.IsNaN(src[p]) {
					continue
				}
				a = append(a, v)
				b = append(b, src[p])
				ad = append(ad, math.Abs(v-src[p]))
			}
		}
		rr := pearson(a, b)
		t.Logf("%s: %d pixels, r = %.5f, median |diff| = %.3f MJy/sr (median value %.2f)", fd.name, len(a), rr, median(ad), median(b))
		if len(a) < (fd.i1-fd.i0)*(fd.j1-fd.j0)/2 || rr < 0.98 {
			t.Errorf("%s: %d pixels, r = %.4f", fd.name, len(a), rr)
		}
	}
}

// TestMellingerCAR renders the Mellinger HiPS (JPEG tiles, order 3) in CAR
// at the WCS of the panorama it was cut from (mellinger-input.hhh) and
// compares with the panorama where tiles are present (the test data hold 10
// of the 768 order-3 tiles; the others are 404, hence transparent).
func TestMellingerCAR(t *testing.T) {
	hb, err := os.ReadFile(td + "mellinger-input.hhh")
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := fits.ParseHeader(hb)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wcs.New(hdr)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := os.Open(td + "mellinger-input.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	pano, err := jpeg.Decode(pf)
	if err != nil {
		t.Fatal(err)
	}
	s := survey(t, "mellinger", hips.SurveyOptions{})
	for _, smp := range []Sampling{Bilinear, Nearest} {
		r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: w.Width, Height: w.Height}, Layer{Survey: s, Order: 3, Sampling: smp, Opacity: 1}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var a, b []float64
		for jf := 0; jf < w.Height; jf++ {
			for i := 0; i < w.Width; i++ {
				p := 4 * (jf*w.Width + i)
				if r.RGBA[p+3] != 255 {
					continue
				}
				cr, cg, cb, _ := pano.At(i, w.Height-1-jf).RGBA()
				a = append(a, 0.299*float64(r.RGBA[p])+0.587*float64(r.RGBA[p+1])+0.114*float64(r.RGBA[p+2]))
				b = append(b, (0.299*float64(cr)+0.587*float64(cg)+0.114*float64(cb))/257)
			}
		}
		rr := pearson(a, b)
		t.Logf("sampling %d: %d pixels with tiles, r = %.4f", smp, len(a), rr)
		if len(a) < 10*w.Width*w.Height/768/2 || rr < 0.97 {
			t.Errorf("sampling %d: %d pixels, r = %.4f (want ≥ 0.97)", smp, len(a), rr)
		}
	}
}

package view

import (
	"bytes"
	"math"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/wcs"
)

// The exported FITS of the view carries the view's WCS: its pixels map to the
// same sky as the canvas, and in values mode they hold the image's values there.
func TestWriteFITS(t *testing.T) {
	for _, frame := range []string{"icrs", "galactic"} {
		v, err := New(Options{Lon: 0, Lat: 0, Fov: 1, Width: 161, Height: 90.5, DPR: 1})
		if err != nil {
			t.Fatal(err)
		}
		id := openTestImage(t, v, "astroquery_sha_img.fits", ImageOptions{HDU: -1})
		if err := v.SetFrame(frame); err != nil {
			t.Fatal(err)
		}
		ra, dec := 0.0, 0.0
		if lon, lat, ok := v.ImagePixelToWorld(id, 120, 130); ok {
			ra, dec = lon, lat
		}
		v.SetView(ra, dec, 0.05)
		var buf bytes.Buffer
		if err := v.WriteFITS(&buf, ExportValues, id, nil); err != nil {
			t.Fatal(err)
		}
		f, err := fits.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		h := f.HDUs[0].Header()
		img, err := f.HDUs[0].Image()
		if err != nil {
			t.Fatal(err)
		}
		if img.Axes[0] != 161 || img.Axes[1] != 91 {
			t.Fatalf("%s: axes %v", frame, img.Axes)
		}
		w, err := wcs.New(h)
		if err != nil {
			t.Fatal(err)
		}
		vals := img.Float64()
		found := 0
		for j := 1; j <= img.Axes[1]; j += 7 {
			for i := 1; i <= img.Axes[0]; i += 5 {
				lon, lat, ok := v.HeaderPixelToWorld(float64(i), float64(j))
				wl, wb, ok2 := w.PixelToWorld(float64(i), float64(j))
				if !ok || !ok2 {
					t.Fatalf("%s: pixel %d,%d off the sky", frame, i, j)
				}
				if frame == "icrs" && (math.Abs(lon-wl) > 1e-9 || math.Abs(lat-wb) > 1e-9) {
					t.Fatalf("pixel %d,%d: header WCS %v,%v, view %v,%v", i, j, wl, wb, lon, lat)
				}
				want := math.NaN()
				if x, _, _, ok := v.ImageValueAt(id, lon, lat); ok {
					want = x
					found++
				}
				got := vals[(j-1)*img.Axes[0]+(i-1)]
				if !(float32(want) == float32(got) || math.IsNaN(want) && math.IsNaN(got)) {
					t.Fatalf("%s: pixel %d,%d = %v, want %v", frame, i, j, got, want)
				}
			}
		}
		if found < 50 {
			t.Errorf("%s: only %d sampled pixels on the image", frame, found)
		}
		// Canvas colours: rows flipped into FITS order.
		rgba := make([]byte, 4*161*91)
		for k := range rgba {
			rgba[k] = byte(k / 4 / 161) // the canvas row
		}
		for _, mode := range []string{ExportRGB, ExportGrey} {
			buf.Reset()
			if err := v.WriteFITS(&buf, mode, 0, rgba); err != nil {
				t.Fatal(err)
			}
			f, err := fits.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			im, _ := f.HDUs[0].Image()
			px := im.Float64()
			if px[0] != 90 || px[161*90] != 0 {
				t.Errorf("%s: first FITS row %v, last %v (want the bottom canvas row 90 first)", mode, px[0], px[161*90])
			}
		}
		if err := v.WriteFITS(&buf, ExportRGB, 0, rgba[:10]); err == nil {
			t.Error("short canvas accepted")
		}
		if err := v.WriteFITS(&buf, "jpeg", 0, nil); err == nil {
			t.Error("unknown mode accepted")
		}
	}
}

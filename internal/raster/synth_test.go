package raster

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/stretch"
	"github.com/skyglass/skyglass/internal/wcs"
)

// smooth is a function on the sphere, linear in the unit vector.
func smooth(lon, lat float64) float64 {
	l, b := lon*math.Pi/180, lat*math.Pi/180
	return math.Cos(b)*math.Cos(l) + 2*math.Cos(b)*math.Sin(l) + 3*math.Sin(b)
}

// fitsTile writes a BITPIX -32 FITS image.
func fitsTile(w int, data []float32) []byte {
	var b strings.Builder
	for _, c := range []string{"SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2",
		fmt.Sprintf("NAXIS1  = %20d", w), fmt.Sprintf("NAXIS2  = %20d", w), "END"} {
		fmt.Fprintf(&b, "%-80s", c)
	}
	for b.Len()%2880 != 0 {
		b.WriteByte(' ')
	}
	out := []byte(b.String())
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.BigEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	out = append(out, raw...)
	for len(out)%2880 != 0 {
		out = append(out, 0)
	}
	return out
}

// synthHiPS builds an in-memory order-0..1 FITS HiPS whose tile pixels hold
// smooth() at their HEALPix cell centres, through hips.TilePixelNest.
func synthHiPS(t testing.TB, width, maxOrder int, frame string) *hips.Survey {
	fsys := fstest.MapFS{"properties": {Data: []byte(fmt.Sprintf(
		"creator_did = ivo://test/synth\nobs_title = synth\nhips_order = %d\nhips_tile_width = %d\nhips_tile_format = fits\nhips_frame = %s\n", maxOrder, width, frame))}}
	m, _ := hips.TileShift(width)
	for order := 0; order <= maxOrder; order++ {
		for pix := int64(0); pix < hips.NPix(order); pix++ {
			data := make([]float32, width*width)
			for row := 0; row < width; row++ {
				for col := 0; col < width; col++ {
					lon, lat := healpix.NestToAng(order+m, hips.TilePixelNest(order, pix, width, col, row))
					data[row*width+col] = float32(smooth(lon, lat))
				}
			}
			fsys[hips.TilePath(order, pix, hips.FormatFITS)] = &fstest.MapFile{Data: fitsTile(width, data)}
		}
	}
	s, err := hips.OpenSurvey(context.Background(), &hips.FSFetcher{FS: fsys}, hips.SurveyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSamplingAcrossBorders renders fields centred on base-face corners and
// edges (where bilinear sampling needs cells of other faces and tiles) and
// checks the values against the function the tiles were made from.
func TestSamplingAcrossBorders(t *testing.T) {
	s := synthHiPS(t, 16, 1, "equatorial") // cells of order 5: 1.83 deg
	// Bilinear weights come from face coordinates; across face edges from the
	// true cell positions (bilinear inverse, or barycentric where three faces
	// meet at lat ±41.8 and one of the four cells does not exist), so the
	// error there is a little larger than inside a face (nearest: ~0.08).
	fields := []struct {
		name     string
		lon, lat float64
		bilMax   float64
	}{
		{"corner of faces 0/4/5 (lat 41.8)", 0, 41.8103149, 0.012},
		{"equatorial corner of faces 4/5/8/0", 45, 0, 0.002},
		{"north pole", 0, 90, 0.008},
		{"south pole", 10, -90, 0.008},
		{"face interior", 20, 20, 0.002},
	}
	for _, f := range fields {
		w, err := wcs.NewCamera("TAN", f.lon, f.lat, 20, 200, 200, 17)
		if err != nil {
			t.Fatal(err)
		}
		for _, smp := range []Sampling{Bilinear, Nearest} {
			r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: 200, Height: 200}, Layer{Survey: s, Order: 1, Sampling: smp, Opacity: 1}, Options{Workers: 2})
			if err != nil || r.Warnings != nil {
				t.Fatal(err, r.Warnings)
			}
			var maxErr, sumErr float64
			for j := 0; j < 200; j++ {
				for i := 0; i < 200; i++ {
					lon, lat, _ := w.PixelToWorld(float64(i+1), float64(j+1))
					v := float64(r.Values[j*200+i])
					if math.IsNaN(v) {
						t.Fatalf("%s: blank pixel (%d,%d)", f.name, i, j)
					}
					e := math.Abs(v - smooth(lon, lat))
					maxErr = math.Max(maxErr, e)
					sumErr += e
				}
			}
			mean := sumErr / 40000
			// Gradient of smooth() is at most √14 ≈ 3.7 per radian; a cell
			// is 0.032 rad: nearest errs up to ~0.085, bilinear far less.
			lim := map[Sampling][2]float64{Bilinear: {f.bilMax, 0.003}, Nearest: {0.1, 0.03}}[smp]
			t.Logf("%s sampling %d: max error %.4f, mean %.5f", f.name, smp, maxErr, mean)
			if maxErr > lim[0] || mean > lim[1] {
				t.Errorf("%s sampling %d: max error %.4f, mean %.5f (limits %v)", f.name, smp, maxErr, mean, lim)
			}
		}
	}
}

// TestHiPSFrames renders galactic and ecliptic HiPS into an ICRS view: each
// output pixel must hold the function at the pixel's position converted to
// the HiPS frame (ecliptic = J2000 mean ecliptic, HiPS 1.0; not B1950).
func TestHiPSFrames(t *testing.T) {
	if f := hipsFrame(hips.Ecliptic); f.Kind != sky.EclipticBarycentric || f.Equinox != 2000 {
		t.Fatalf("ecliptic HiPS frame %+v", f)
	}
	w, err := wcs.NewCamera("SIN", 120, 30, 40, 120, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range []string{"galactic", "ecliptic", "equatorial"} {
		s := synthHiPS(t, 16, 1, fr)
		hf, _ := hips.ParseFrame(fr)
		tr, err := sky.NewTransform(sky.FrameICRS, hipsFrame(hf))
		if err != nil {
			t.Fatal(err)
		}
		r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: 120, Height: 100}, Layer{Survey: s, Order: 1, Opacity: 1}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var maxErr float64
		for j := 0; j < 100; j++ {
			for i := 0; i < 120; i++ {
				ra, dec, _ := w.PixelToWorld(float64(i+1), float64(j+1))
				lon, lat := tr.Convert(ra, dec)
				maxErr = math.Max(maxErr, math.Abs(float64(r.Values[j*120+i])-smooth(lon, lat)))
			}
		}
		t.Logf("%s HiPS: max error %.4f", fr, maxErr)
		// Bilinear error bound near face corners (see TestSamplingAcrossBorders).
		if maxErr > 0.012 {
			t.Errorf("%s HiPS: max error %.4f", fr, maxErr)
		}
		// The same HiPS read as if it were equatorial is far off: the test
		// can tell frames apart.
		if fr != "equatorial" {
			var off float64
			for j := 0; j < 100; j += 10 {
				for i := 0; i < 120; i += 10 {
					ra, dec, _ := w.PixelToWorld(float64(i+1), float64(j+1))
					off = math.Max(off, math.Abs(float64(r.Values[j*120+i])-smooth(ra, dec)))
				}
			}
			if off < 0.5 {
				t.Errorf("%s HiPS indistinguishable from equatorial (%.3f)", fr, off)
			}
		}
	}
}

// TestRenderBlend blends two layers: an opaque bottom and a half-transparent
// top; where the top has no data (outside its coverage) the bottom shows.
func TestRenderBlend(t *testing.T) {
	bottom := synthHiPS(t, 8, 0, "equatorial")
	top := synthHiPS(t, 8, 0, "equatorial")
	top.Coverage = halfSky{} // tiles 0..5 only
	w, err := wcs.NewCamera("CAR", 180, 0, 360, 90, 45, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := Grid{WCS: w, Width: 90, Height: 45}
	grey := stretch.Params{Lo: -4, Hi: 4}
	inv := stretch.Params{Lo: -4, Hi: 4, Invert: true}
	out, res, err := Render(context.Background(), g, []Layer{
		{Survey: bottom, Order: 0, Opacity: 1, Stretch: &grey},
		{Survey: top, Order: 0, Opacity: 0.5, Stretch: &inv},
	}, Options{})
	if err != nil || len(res) != 2 {
		t.Fatal(err)
	}
	cb, _ := grey.Compile()
	ci, _ := inv.Compile()
	checked := [2]int{}
	for p := 0; p < 90*45; p++ {
		vb, vt := res[0].Values[p], res[1].Values[p]
		if math.IsNaN(float64(vb)) {
			continue
		}
		b := cb.Color(float64(vb))
		want := b
		k := 0
		if !math.IsNaN(float64(vt)) {
			tc := ci.Color(float64(vt))
			for c := 0; c < 3; c++ {
				want[c] = uint8(math.Round(0.5*float64(tc[c]) + 0.5*float64(b[c])))
			}
			k = 1
		}
		checked[k]++
		for c := 0; c < 4; c++ {
			if d := int(out[4*p+c]) - int(want[c]); d > 1 || d < -1 {
				t.Fatalf("pixel %d channel %d: %d, want %d", p, c, out[4*p+c], want[c])
			}
		}
	}
	if checked[0] == 0 || checked[1] == 0 {
		t.Errorf("checked %v pixels (bottom only, blended)", checked)
	}
	img := ToImage(out, 90, 45)
	if img.Bounds().Dx() != 90 || img.Pix[3] != 255 {
		t.Error("ToImage")
	}
}

type halfSky struct{}

func (halfSky) Contains(order int, p int64) bool { return p>>(2*uint(order)) < 6 }

// TestCubeFrames renders frames of a HiPS 1.0 cube (tiles Npix{n}_{z}).
func TestCubeFrames(t *testing.T) {
	const width = 8
	fsys := fstest.MapFS{"properties": {Data: []byte("creator_did = ivo://test/cube\nobs_title = cube\nhips_order = 0\nhips_tile_width = 8\nhips_tile_format = fits\nhips_frame = equatorial\nhips_cube_depth = 3\n")}}
	for z := 0; z < 3; z++ {
		for pix := int64(0); pix < 12; pix++ {
			data := make([]float32, width*width)
			for i := range data {
				data[i] = float32(10*z) + float32(pix)
			}
			fsys[hips.TileID{Order: 0, Pix: pix, Frame: z}.Path(hips.FormatFITS)] = &fstest.MapFile{Data: fitsTile(width, data)}
		}
	}
	s, err := hips.OpenSurvey(context.Background(), &hips.FSFetcher{FS: fsys}, hips.SurveyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := wcs.NewCamera("TAN", 45, 41.8, 5, 10, 10, 0) // centre of base tile 0
	for z := 0; z < 3; z++ {
		r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: 10, Height: 10}, Layer{Survey: s, Order: 0, Sampling: Nearest, CubeFrame: z}, Options{})
		if err != nil || r.Warnings != nil {
			t.Fatal(err, r.Warnings)
		}
		if v := r.Values[55]; v != float32(10*z) {
			t.Errorf("frame %d: value %v", z, v)
		}
	}
}

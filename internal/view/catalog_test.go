package view

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/catalog"
	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/regions"
	"github.com/skyglass/skyglass/internal/sky"
)

// hipparcos reads the 118,216 stars of testdata/catalog/hipparcos_stars.csv.
func hipparcos(t testing.TB) (ra, dec []float64, hip []int64) {
	t.Helper()
	f, err := os.Open("../../testdata/catalog/hipparcos_stars.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := catalog.Read(f, "hipparcos_stars.csv")
	if err != nil {
		t.Fatal(err)
	}
	ra, dec, err = catalog.Positions(tab)
	if err != nil {
		t.Fatal(err)
	}
	return ra, dec, tab.Columns[0].Int
}

func rowOf(hip []int64, id int64) int {
	for i, h := range hip {
		if h == id {
			return i
		}
	}
	return -1
}

func markerBatches(dl *draw.List, fill bool) []draw.Markers {
	var out []draw.Markers
	for _, m := range dl.Markers {
		if m.Fill == fill {
			out = append(out, m)
		}
	}
	return out
}

func TestCatalogMarkersMatchProjection(t *testing.T) {
	ra, dec, hip := hipparcos(t)
	for _, proj := range []string{"SIN", "TAN", "AIT"} {
		v, err := New(Options{Lon: 88.79, Lat: 7.41, Fov: 30, Proj: proj, Width: 800, Height: 600, DPR: 1})
		if err != nil {
			t.Fatal(err)
		}
		id, err := v.AddCatalog(ra, dec, CatalogStyle{Shape: draw.Square, Color: [4]float32{1, 0, 0, 1}, Size: 6, Opacity: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		dl := v.Frame()
		ms := markerBatches(dl, false)
		if len(ms) != 1 || ms[0].Shape != draw.Square {
			t.Fatalf("%s: %d marker batches", proj, len(ms))
		}
		inst := ms[0].Inst
		// Brute force, without the culling: every star whose projection is on the canvas.
		want := 0
		for i := range ra {
			x, y, ok := v.WorldToPixel(ra[i], dec[i])
			if ok && x >= -6 && y >= -6 && x <= 806 && y <= 606 {
				want++
			}
		}
		if got := len(inst) / draw.FloatsPerMarker; got != want {
			t.Errorf("%s: %d markers, %d stars on the canvas", proj, got, want)
		}
		st, _ := v.CatalogStats(id)
		if st.Aggregated || st.Visible != want {
			t.Errorf("%s: stats %+v", proj, st)
		}
		// Betelgeuse's marker is at its projection, with the style's size and colour.
		b := rowOf(hip, 27989)
		bx, by, _ := v.WorldToPixel(ra[b], dec[b])
		found := false
		for k := 0; k < len(inst); k += draw.FloatsPerMarker {
			if math.Abs(float64(inst[k])-bx) < 1e-3 && math.Abs(float64(inst[k+1])-by) < 1e-3 {
				found = true
				if inst[k+2] != 6 || inst[k+3] != 1 || inst[k+6] != 0.5 {
					t.Errorf("%s: Betelgeuse marker %v", proj, inst[k:k+7])
				}
			}
		}
		if !found {
			t.Errorf("%s: no marker at Betelgeuse (%g, %g)", proj, bx, by)
		}
	}
}

func TestCatalogGalacticFrame(t *testing.T) {
	ra, dec, hip := hipparcos(t)
	v, _ := New(Options{Lon: 88.79, Lat: 7.41, Fov: 20, Proj: "SIN", Width: 800, Height: 600, DPR: 1})
	if err := v.SetFrame("galactic"); err != nil {
		t.Fatal(err)
	}
	id, _ := v.AddCatalog(ra, dec, CatalogStyle{Size: 8, Opacity: 1})
	dl := v.Frame()
	st, _ := v.CatalogStats(id)
	want := 0
	for i := range ra {
		if x, y, ok := v.WorldToPixel(ra[i], dec[i]); ok && x >= -8 && y >= -8 && x <= 808 && y <= 608 {
			want++
		}
	}
	if st.Visible != want || want < 100 || len(dl.Markers) != 1 {
		t.Fatalf("galactic view: %d sources drawn, %d on the canvas", st.Visible, want)
	}
	b := rowOf(hip, 27989)
	bx, by, _ := v.WorldToPixel(ra[b], dec[b])
	if _, row, err := v.PickSource(bx, by, 3); err != nil || row != b {
		t.Errorf("galactic view: picked row %d, want %d (%v)", row, b, err)
	}
}

func TestCatalogDensityBound(t *testing.T) {
	ra, dec, _ := hipparcos(t)
	v, err := New(Options{Lon: 0, Lat: 0, Fov: 360, Proj: "AIT", Width: 1024, Height: 768, DPR: 1})
	if err != nil {
		t.Fatal(err)
	}
	id, err := v.AddCatalog(ra, dec, CatalogStyle{Size: 8, Color: [4]float32{1, 1, 1, 1}, Opacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	dl := v.Frame()
	st, _ := v.CatalogStats(id)
	if !st.Aggregated || st.Markers > MaxMarkers || st.Markers < 100 {
		t.Fatalf("all-sky stats %+v", st)
	}
	// Every star lies in one cell: the cells' counts add up to the catalogue.
	if st.Visible != len(ra) {
		t.Errorf("all-sky: cells hold %d stars, want %d", st.Visible, len(ra))
	}
	if len(markerBatches(dl, false)) != 0 || len(markerBatches(dl, true)) != 1 {
		t.Errorf("all-sky: want one density batch and no source markers")
	}
	// A density cell picks a source near the point (TestPickInDensityCells checks which).
	if layer, _, err := v.PickSource(512, 384, 5); err != nil || layer != id {
		t.Errorf("picking a density cell: layer %d, %v", layer, err)
	}
	// A synthetic catalogue crowding a small field: never more than MaxMarkers markers.
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200000
	sra, sdec := make([]float64, n), make([]float64, n)
	for i := range sra {
		sra[i], sdec[i] = 10+rng.Float64()*2, 20+rng.Float64()*2
	}
	v2, _ := New(Options{Lon: 11, Lat: 21, Fov: 1.5, Proj: "TAN", Width: 800, Height: 600, DPR: 1})
	id2, _ := v2.AddCatalog(sra, sdec, CatalogStyle{})
	dl = v2.Frame()
	st, _ = v2.CatalogStats(id2)
	drawn := 0
	for _, m := range dl.Markers {
		drawn += len(m.Inst) / draw.FloatsPerMarker
	}
	if !st.Aggregated || drawn > MaxMarkers || st.Visible <= MaxMarkers {
		t.Errorf("crowded field: stats %+v, %d markers drawn", st, drawn)
	}
	// Zoomed in, the same catalogue is drawn source by source.
	v2.SetView(11, 21, 0.05)
	v2.Frame()
	st, _ = v2.CatalogStats(id2)
	if st.Aggregated || st.Markers != st.Visible || st.Visible == 0 || st.Visible > MaxMarkers {
		t.Errorf("zoomed in: stats %+v", st)
	}
}

func TestPickAndSelect(t *testing.T) {
	ra, dec, hip := hipparcos(t)
	v, _ := New(Options{Lon: 88.79, Lat: 7.41, Fov: 6, Proj: "SIN", Width: 800, Height: 600, DPR: 1})
	id, err := v.AddCatalog(ra, dec, CatalogStyle{Size: 8, Opacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	v.Frame()
	b := rowOf(hip, 27989)
	bx, by, _ := v.WorldToPixel(ra[b], dec[b])
	layer, row, err := v.PickSource(bx+3, by-2, 4)
	if err != nil || layer != id || row != b {
		t.Fatalf("pick near Betelgeuse: layer %d row %d (want %d %d): %v", layer, row, id, b, err)
	}
	if _, _, err := v.PickSource(bx+30, by+30, 4); !errors.Is(err, ErrNoSource) {
		// Make sure no star is really there before calling it a failure.
		for i := range ra {
			if x, y, ok := v.WorldToPixel(ra[i], dec[i]); ok && math.Hypot(x-bx-30, y-by-30) < 9 {
				return
			}
		}
		t.Errorf("pick on empty sky: %v", err)
	}
	if err := v.SelectCatalog(id, []int{b}); err != nil {
		t.Fatal(err)
	}
	dl := v.Frame()
	last := dl.Markers[len(dl.Markers)-1]
	if len(last.Inst) != draw.FloatsPerMarker || last.Inst[2] != 18 || math.Abs(float64(last.Inst[0])-bx) > 1e-3 || last.Inst[3] != HighlightColor[0] {
		t.Errorf("highlight ring %v at (%g, %g)", last.Inst, bx, by)
	}
	if err := v.SelectCatalog(id, []int{len(ra)}); err == nil {
		t.Error("selecting a row out of range was accepted")
	}
	rows, _ := v.SourcesInRect(id, bx-2, by-2, bx+2, by+2)
	if len(rows) != 1 || rows[0] != b {
		t.Errorf("rectangle around Betelgeuse: rows %v", rows)
	}
	if err := v.SetOverlayVisible(id, false); err != nil {
		t.Fatal(err)
	}
	v.Frame()
	if _, _, err := v.PickSource(bx, by, 4); !errors.Is(err, ErrNoSource) {
		t.Errorf("picked a hidden layer: %v", err)
	}
	if err := v.RemoveOverlay(id); err != nil || len(v.overlays) != 0 {
		t.Errorf("remove: %v, %d overlays left", err, len(v.overlays))
	}
	if _, err := v.AddCatalog(ra[:3], dec[:2], CatalogStyle{}); err == nil {
		t.Error("mismatched RA/Dec lengths accepted")
	}
	if _, err := v.AddCatalog(ra[:2], dec[:2], CatalogStyle{Shape: 99}); err == nil {
		t.Error("unknown shape accepted")
	}
}

func TestRegionsOverlay(t *testing.T) {
	for _, c := range []struct {
		file   string
		lon    float64 // first circle's centre, in the file's frame
		lat    float64
		radius float64 // degrees
		frame  sky.Frame
	}{
		{"regions_ds9.fk5.reg", 202.48643, 47.208449, 3.9640007 / 3600, sky.Frame{Kind: sky.FK5, Equinox: 2000}},
		{"regions_ds9.galactic.reg", 0, 0, 0, sky.Frame{Kind: sky.Galactic}},
	} {
		b, err := os.ReadFile("../../testdata/regions/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := regions.ParseDS9Warnings(string(b))
		var circle *regions.Region
		for i := range rs {
			if rs[i].Shape == regions.Circle {
				circle = &rs[i]
				break
			}
		}
		if circle == nil {
			t.Fatalf("%s: no circle", c.file)
		}
		f, _ := circle.SkyFrame()
		cl, cb := sky.Convert(f, sky.Frame{Kind: sky.ICRS}, circle.Points[0][0], circle.Points[0][1])
		r := circle.Sizes[0]
		v, _ := New(Options{Lon: cl, Lat: cb, Fov: 20 * r, Proj: "SIN", Width: 800, Height: 600, DPR: 1})
		id, drawn, warns := v.AddRegions(rs)
		if drawn < 10 {
			t.Errorf("%s: %d regions drawn, warnings %v", c.file, drawn, warns)
		}
		dl := v.Frame()
		if len(dl.Lines) == 0 {
			t.Fatalf("%s: no lines", c.file)
		}
		// The first polyline is the circle: every vertex is r from the centre (ICRS).
		for k := 0; k+1 < len(dl.Lines[0].Points); k += 2 {
			lon, lat, ok := v.PixelToWorld(float64(dl.Lines[0].Points[k]), float64(dl.Lines[0].Points[k+1]))
			if !ok {
				t.Fatalf("%s: circle vertex off the sky", c.file)
			}
			if d := sky.Separation(lon, lat, cl, cb); math.Abs(d-r) > 1e-4*r {
				t.Fatalf("%s: circle vertex %g″ from the centre, want %g″", c.file, d*3600, r*3600)
			}
		}
		if c.radius > 0 && (math.Abs(r-c.radius) > 1e-12 || math.Abs(circle.Points[0][0]-c.lon) > 1e-12) {
			t.Errorf("%s: circle %v r=%g", c.file, circle.Points[0], r)
		}
		if err := v.RemoveOverlay(id); err != nil {
			t.Error(err)
		}
	}
	// Image regions cannot be placed without an image WCS: reported, not drawn.
	rs, _ := regions.ParseDS9Warnings("image\ncircle(100,100,20)\nfk5\ncircle(10,20,1\")\n")
	v := newTestView(t, "SIN")
	_, drawn, warns := v.AddRegions(rs)
	if drawn != 1 || len(warns) != 1 || !strings.Contains(warns[0], "image") {
		t.Errorf("image regions: drawn %d, warnings %v", drawn, warns)
	}
}

func FuzzRegionsOverlay(f *testing.F) {
	for _, name := range []string{"regions_ds9.fk5.reg", "regions_ds9.galactic.reg", "pyregion_test_annuli.reg"} {
		b, err := os.ReadFile("../../testdata/regions/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("fk5\npolygon(0,0,10,0,10,10)\nellipse(0,90,1,2,45)\nbox(359,-90,1,1,30)\nline(0,0,180,0)\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		rs, _ := regions.ParseDS9Warnings(text)
		n := 0
		for _, r := range rs {
			n += len(r.Points) + len(r.Sizes)
		}
		if n > 10000 {
			return
		}
		v, _ := New(Options{Lon: 0, Lat: 0, Fov: 180, Proj: "AIT", Width: 200, Height: 100, DPR: 1})
		v.AddRegions(rs)
		dl := v.Frame()
		for _, l := range dl.Lines {
			for _, p := range l.Points {
				if math.IsNaN(float64(p)) {
					t.Fatalf("NaN in a region polyline")
				}
			}
		}
	})
}

func BenchmarkCatalogFrame(b *testing.B) {
	ra, dec, _ := hipparcos(b)
	for _, c := range []struct {
		name, proj string
		fov        float64
	}{{"allsky", "AIT", 360}, {"fov60", "AIT", 60}, {"fov10", "AIT", 10}, {"SIN-fov60", "SIN", 60}, {"SIN-galactic-fov60", "SIN", 60}} {
		b.Run(c.name, func(b *testing.B) {
			v, _ := New(Options{Lon: 88.79, Lat: 7.41, Fov: c.fov, Proj: c.proj, Width: 1024, Height: 768, DPR: 1})
			if strings.Contains(c.name, "galactic") {
				if err := v.SetFrame("galactic"); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := v.AddCatalog(ra, dec, CatalogStyle{}); err != nil {
				b.Fatal(err)
			}
			v.Frame()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				v.SetView(88.79+float64(i%50)*0.01, 7.41, c.fov)
				v.Frame()
			}
		})
	}
}

func BenchmarkAddCatalog(b *testing.B) {
	ra, dec, _ := hipparcos(b)
	v, _ := New(Options{Lon: 0, Lat: 0, Fov: 60, Proj: "SIN", Width: 800, Height: 600, DPR: 1})
	for b.Loop() {
		id, err := v.AddCatalog(ra, dec, CatalogStyle{})
		if err != nil {
			b.Fatal(err)
		}
		v.Frame()
		v.RemoveOverlay(id)
	}
}

// BenchmarkCatalog1M adds a synthetic catalogue of 10⁶ uniformly spread
// sources and draws its first frame, then times all-sky frames.
func BenchmarkCatalog1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1000000
	ra, dec := make([]float64, n), make([]float64, n)
	for i := range ra {
		ra[i] = rng.Float64() * 360
		dec[i] = math.Asin(2*rng.Float64()-1) * 180 / math.Pi
	}
	b.Run("add+frame", func(b *testing.B) {
		v, _ := New(Options{Lon: 0, Lat: 0, Fov: 60, Proj: "SIN", Width: 1024, Height: 768, DPR: 1})
		for b.Loop() {
			id, err := v.AddCatalog(ra, dec, CatalogStyle{})
			if err != nil {
				b.Fatal(err)
			}
			v.Frame()
			v.RemoveOverlay(id)
		}
	})
	b.Run("frame-fov60", func(b *testing.B) {
		v, _ := New(Options{Lon: 0, Lat: 0, Fov: 60, Proj: "SIN", Width: 1024, Height: 768, DPR: 1})
		v.AddCatalog(ra, dec, CatalogStyle{})
		v.Frame()
		for i := 0; b.Loop(); i++ {
			v.SetView(float64(i%50)*0.1, 0, 60)
			v.Frame()
		}
	})
}

// Where density cells are drawn, a click on a cell picks the source nearest
// the point (within about a cell), never one hidden by a zero weight.
func TestPickInDensityCells(t *testing.T) {
	ra, dec, _ := hipparcos(t)
	v, _ := New(Options{Lon: 0, Lat: 0, Fov: 360, Proj: "AIT", Width: 1000, Height: 500, DPR: 1})
	id, err := v.AddCatalog(ra, dec, CatalogStyle{Size: 6, Opacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	v.Frame()
	if st, _ := v.CatalogStats(id); !st.Aggregated {
		t.Fatalf("not aggregated: %+v", st)
	}
	for _, p := range [][2]float64{{500, 250}, {300, 120}, {720, 330}, {610, 200}} {
		layer, row, err := v.PickSource(p[0], p[1], 2)
		if err != nil || layer != id {
			t.Fatalf("pick at %v: %v", p, err)
		}
		lon, lat, _ := v.PixelToWorld(p[0], p[1])
		got := angDist(lon, lat, ra[row], dec[row])
		x, y, _ := v.WorldToPixel(ra[row], dec[row])
		if math.Hypot(x-p[0], y-p[1]) > 2+densityCellPixels {
			t.Errorf("pick at %v: row %d is %.1f px away", p, row, math.Hypot(x-p[0], y-p[1]))
		}
		for i := range ra {
			if d := angDist(lon, lat, ra[i], dec[i]); d < got-1e-12 {
				t.Fatalf("pick at %v: row %d at %g°, but row %d is nearer (%g°)", p, row, got, i, d)
			}
		}
		// The rectangle around the point holds exactly the sources projected into it.
		rows, err := v.SourcesInRect(id, p[0]-15, p[1]-10, p[0]+15, p[1]+10)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for i := range ra {
			if x, y, ok := v.WorldToPixel(ra[i], dec[i]); ok && x >= p[0]-15 && x <= p[0]+15 && y >= p[1]-10 && y <= p[1]+10 {
				want++
			}
		}
		if len(rows) != want || want == 0 {
			t.Errorf("rectangle at %v: %d rows, %d sources inside", p, len(rows), want)
		}
		w := make([]float32, len(ra))
		for i := range w {
			w[i] = 1
		}
		w[row] = 0
		if err := v.SetCatalogRowWeights(id, w); err != nil {
			t.Fatal(err)
		}
		v.Frame()
		if _, r2, err := v.PickSource(p[0], p[1], 2); err == nil && r2 == row {
			t.Errorf("pick at %v: picked row %d of weight 0", p, row)
		}
		if err := v.SetCatalogRowWeights(id, nil); err != nil {
			t.Fatal(err)
		}
		v.Frame()
	}
}

package view

import (
	"math"
	"os"
	"testing"

	"github.com/skyglass/skyglass/internal/catalog"
	"github.com/skyglass/skyglass/internal/draw"
)

// The GCVS detections (72,245 rows, 1,200 objects): a time window hides the
// detections outside it from the draw list, from picking and from rectangle
// selection, fades the others by their weight, and a window of at most
// MaxMarkers detections is drawn source by source even at an all-sky field.
func TestCatalogRowWeights(t *testing.T) {
	f, err := os.Open("../../testdata/timeseries/gcvs_sim_detections.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := catalog.Read(f, "gcvs_sim_detections.csv")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := catalog.FindSeriesColumns(tab)
	if err != nil {
		t.Fatal(err)
	}
	s, err := catalog.GroupSeries(tab, cols)
	if err != nil {
		t.Fatal(err)
	}
	ra, dec, err := catalog.Positions(tab)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		fov    float64
		t0, t1 float64
		fade   float64
	}{
		{"allsky", 360, 58040, 58060, 0},
		{"allsky faded", 360, 58040, 58060, 4},
		{"wide", 90, 58000, 58400, 0},
		{"field", 20, 58100, 58130, 2},
	}
	for _, tc := range tests {
		v, err := New(Options{Lon: 250, Lat: -30, Fov: tc.fov, Proj: "AIT", Width: 900, Height: 500, DPR: 1})
		if err != nil {
			t.Fatal(err)
		}
		id, err := v.AddCatalog(ra, dec, CatalogStyle{Shape: draw.Circle, Color: [4]float32{1, 1, 1, 1}, Size: 4, Opacity: 1})
		if err != nil {
			t.Fatal(err)
		}
		w := make([]float32, len(ra))
		n := catalog.WindowWeights(s.MJD, tc.t0, tc.t1, tc.fade, 0.2, w)
		if err := v.SetCatalogRowWeights(id, w); err != nil {
			t.Fatal(err)
		}
		dl := v.Frame()
		st, _ := v.CatalogStats(id)
		if st.Aggregated {
			t.Fatalf("%s: %d detections in the window were aggregated", tc.name, n)
		}
		// Brute force: the detections in the window whose projection is on the canvas.
		want := map[[2]float32][]float32{} // weights of the detections at a canvas position
		for i := range ra {
			if w[i] == 0 {
				continue
			}
			x, y, ok := v.WorldToPixel(ra[i], dec[i])
			if ok && x >= -4 && y >= -4 && x <= 904 && y <= 504 {
				key := [2]float32{float32(x), float32(y)}
				want[key] = append(want[key], w[i])
			}
		}
		ms := markerBatches(dl, false)
		got := 0
		for _, m := range ms {
			for k := 0; k < len(m.Inst); k += draw.FloatsPerMarker {
				key := [2]float32{m.Inst[k], m.Inst[k+1]}
				wts, ok := want[key]
				if !ok {
					t.Fatalf("%s: a marker at %v is not a detection in the window", tc.name, key)
				}
				a, match := m.Inst[k+6], false
				for _, wt := range wts {
					match = match || math.Abs(float64(a-wt)) <= 1e-6
				}
				if !match {
					t.Fatalf("%s: marker alpha %v, want one of the weights %v", tc.name, a, wts)
				}
				got++
			}
		}
		if got != st.Visible || len(want) > got {
			t.Errorf("%s: %d markers (stats %d), %d distinct positions expected", tc.name, got, st.Visible, len(want))
		}
		// Picking and the rectangle never return a row outside the window.
		rows, err := v.SourcesInRect(id, 0, 0, 900, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if w[r] == 0 {
				t.Fatalf("%s: rectangle selected row %d outside the window", tc.name, r)
			}
		}
		for i := 0; i < len(ra); i += 997 {
			x, y, ok := v.WorldToPixel(ra[i], dec[i])
			if !ok || x < 0 || y < 0 || x > 900 || y > 500 {
				continue
			}
			if _, r, err := v.PickSource(x, y, 3); err == nil && w[r] == 0 {
				t.Fatalf("%s: picked row %d outside the window", tc.name, r)
			}
		}
	}
	v, _ := New(Options{Lon: 0, Lat: 0, Fov: 60, Proj: "SIN", Width: 100, Height: 100, DPR: 1})
	id, _ := v.AddCatalog(ra[:10], dec[:10], CatalogStyle{Size: 4})
	for _, bad := range [][]float32{make([]float32, 9), {2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if err := v.SetCatalogRowWeights(id, bad); err == nil {
			t.Errorf("weights %v accepted", bad)
		}
	}
	if err := v.SetCatalogRowWeights(id, nil); err != nil {
		t.Error(err)
	}
}

package view

import (
	"math"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

func TestHistogram(t *testing.T) {
	nan := float32(math.NaN())
	data := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, nan, -1, 11}
	tests := []struct {
		name          string
		bins          int
		lo, hi        float64
		counts        []int
		below, above  int
		blank         int
		wantLo, wantH float64
	}{
		{"minmax", 2, math.NaN(), math.NaN(), []int{6, 7}, 0, 0, 1, -1, 11},
		{"range", 5, 0, 10, []int{2, 2, 2, 2, 3}, 1, 1, 1, 0, 10},
		{"one bin", 1, 5, 5, []int{1}, 6, 6, 1, 5, 5},
	}
	for _, tc := range tests {
		h, err := histogram(data, tc.bins, tc.lo, tc.hi)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if h.Below != tc.below || h.Above != tc.above || h.Blank != tc.blank || h.Lo != tc.wantLo || h.Hi != tc.wantH {
			t.Errorf("%s: got %+v", tc.name, h)
		}
		for i, c := range tc.counts {
			if h.Counts[i] != c {
				t.Errorf("%s: bin %d = %d, want %d (%v)", tc.name, i, h.Counts[i], c, h.Counts)
			}
		}
	}
	if _, err := histogram(data, 3, 2, 1); err == nil {
		t.Error("empty range: no error")
	}
}

func TestAxis3(t *testing.T) {
	tests := []struct {
		name  string
		cards map[string]any
		want  []float64
	}{
		{"linear", map[string]any{"CTYPE3": "VELO-LSR", "CRVAL3": 100.0, "CDELT3": 5.0, "CRPIX3": 2.0}, []float64{95, 100, 105}},
		{"cd", map[string]any{"CTYPE3": "FREQ", "CRVAL3": 1e9, "CD3_3": 1e6, "CRPIX3": 1.0}, []float64{1e9, 1.001e9, 1.002e9}},
		{"log", map[string]any{"CTYPE3": "WAVE-LOG", "CRVAL3": 5000.0, "CDELT3": 50.0, "CRPIX3": 1.0},
			[]float64{5000, 5000 * math.Exp(50.0/5000), 5000 * math.Exp(100.0/5000)}},
		{"f2w", map[string]any{"CTYPE3": "WAVE-F2W", "CRVAL3": 1.0, "CDELT3": 1.0, "CRPIX3": 1.0}, []float64{math.NaN(), math.NaN(), math.NaN()}},
	}
	for _, tc := range tests {
		h := &fits.Header{}
		for k, v := range tc.cards {
			h.Set(k, v, "")
		}
		a := axis3(h, 3)
		for i, w := range tc.want {
			g := a.Values[i]
			if !(math.Abs(g-w) <= 1e-9*math.Abs(w)) && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("%s: plane %d = %v, want %v", tc.name, i, g, w)
			}
		}
	}
}

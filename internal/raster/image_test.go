package raster

import (
	"context"
	"math"
	"testing"

	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/wcs"
)

func ngcSource(t *testing.T) Source {
	t.Helper()
	h := openFITS(t, td+"peers/ngc1316.fits").HDUs[0]
	w, err := wcs.New(h.Header())
	if err != nil {
		t.Fatal(err)
	}
	img, err := h.Image()
	if err != nil {
		t.Fatal(err)
	}
	return Source{WCS: w, Width: img.Axes[0], Height: img.Axes[1], Data: img.Float32()}
}

func TestRenderImage(t *testing.T) {
	src := ngcSource(t)
	ctx := context.Background()
	// Onto its own grid: the identity.
	for _, smp := range []Sampling{Bilinear, Nearest} {
		r, err := RenderImage(ctx, Grid{WCS: src.WCS, Width: src.Width, Height: src.Height}, src, smp, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range r.Values {
			if math.Abs(float64(v-src.Data[i])) > 1e-3 {
				t.Fatalf("sampling %d pixel %d: %v, want %v", smp, i, v, src.Data[i])
			}
		}
	}
	// Into an ICRS TAN view (the image is FK4 B1950): agrees with the HiPS
	// made from it by Hipsgen.
	w, err := wcs.NewCamera("TAN", 50.674, -37.208, 0.6, 300, 300, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := Grid{WCS: w, Width: 300, Height: 300}
	ri, err := RenderImage(ctx, g, src, Bilinear, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := survey(t, "ngc1316", hips.SurveyOptions{WantData: true})
	rh, err := RenderLayer(ctx, g, Layer{Survey: s, Order: 6, Opacity: 1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b []float64
	for i := range ri.Values {
		if math.IsNaN(float64(ri.Values[i])) || math.IsNaN(float64(rh.Values[i])) {
			continue
		}
		a = append(a, float64(ri.Values[i]))
		b = append(b, float64(rh.Values[i]))
	}
	if r := pearson(a, b); r < 0.99 || len(a) < 300*300/4 {
		t.Errorf("image vs HiPS rendering: r = %.4f over %d pixels", r, len(a))
	} else {
		t.Logf("image vs HiPS rendering: r = %.4f over %d pixels", r, len(a))
	}
	if _, err := RenderImage(ctx, g, Source{}, Bilinear, Options{}); err == nil {
		t.Error("empty source accepted")
	}
}

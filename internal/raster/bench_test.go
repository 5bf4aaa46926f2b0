package raster

import (
	"context"
	"testing"

	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/wcs"
)

// BenchmarkRender2048TAN renders a 2048×2048 TAN field (1"/pixel, centred on
// NGC 1316) from the local FITS tiles of the ngc1316 HiPS (order 6, 512-pixel
// BITPIX 16 tiles), bilinear; tiles are read and decoded in each iteration.
func BenchmarkRender2048TAN(b *testing.B) {
	benchRender(b, Bilinear)
}

// BenchmarkRender2048TANNearest is the same with nearest sampling.
func BenchmarkRender2048TANNearest(b *testing.B) {
	benchRender(b, Nearest)
}

func benchRender(b *testing.B, smp Sampling) {
	w, err := wcs.NewCamera("TAN", 50.67382, -37.20833, 2048.0/3600, 2048, 2048, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		s := survey(b, "ngc1316", hips.SurveyOptions{WantData: true})
		r, err := RenderLayer(context.Background(), Grid{WCS: w, Width: 2048, Height: 2048}, Layer{Survey: s, Order: AutoOrder, Sampling: smp, Opacity: 1}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Order != 6 {
			b.Fatalf("order %d", r.Order)
		}
	}
	b.ReportMetric(float64(2048*2048)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpix/s")
	// CPU time per render (all goroutines): insensitive to other processes
	// competing for the cores, unlike ns/op.
	if c := cpuSeconds(); c > 0 {
		b.ReportMetric((c-cpu0)/float64(b.N), "cpu-s/op")
	}
}

package wcs

import (
	"testing"
)

// benchCases are real headers from the truth set, one per benchmarked kind.
var benchCases = []struct{ name, file string }{
	{"TAN", "wcs/maps/1904-66_TAN.hdr"},
	{"TAN-SIP", "wcs/astropy_irac_sip.hdr"},
	{"TPV", "wcs/astropy_tpvonly.hdr"},
	{"SIN", "wcs/maps/1904-66_SIN.hdr"},
	{"AIT", "wcs/maps/1904-66_AIT.hdr"},
	{"ZPN", "wcs/maps/1904-66_ZPN.hdr"},
	{"HPX", "wcs/maps/1904-66_HPX.hdr"},
}

var sinkF float64

func benchPixels(w *WCS) [][2]float64 {
	nx, ny := w.Width, w.Height
	if nx == 0 {
		nx, ny = 200, 200
	}
	var pts [][2]float64
	for i := 0; i < 16; i++ {
		for j := 0; j < 16; j++ {
			pts = append(pts, [2]float64{1 + float64(nx-1)*float64(i)/15, 1 + float64(ny-1)*float64(j)/15})
		}
	}
	return pts
}

func BenchmarkPixelToWorld(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			w, err := loadWCS(b, c.file, nil)
			if err != nil {
				b.Fatal(err)
			}
			pts := benchPixels(w)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := pts[i%len(pts)]
				l, _, _ := w.PixelToWorld(p[0], p[1])
				sinkF += l
			}
		})
	}
}

func BenchmarkWorldToPixel(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			w, err := loadWCS(b, c.file, nil)
			if err != nil {
				b.Fatal(err)
			}
			var world [][2]float64
			for _, p := range benchPixels(w) {
				if l, bb, ok := w.PixelToWorld(p[0], p[1]); ok {
					world = append(world, [2]float64{l, bb})
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := world[i%len(world)]
				x, _, _ := w.WorldToPixel(p[0], p[1])
				sinkF += x
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	w, _ := loadWCS(b, "wcs/astropy_irac_sip.hdr", nil)
	h := w.Header()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(h); err != nil {
			b.Fatal(err)
		}
	}
}

package view

import (
	"math"
	"testing"
)

func TestImagePixelGrid(t *testing.T) {
	v, err := New(Options{Lon: 0, Lat: 0, Fov: 60, Width: 800, Height: 600, DPR: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := openTestImage(t, v, "astroquery_sha_img.fits", ImageOptions{HDU: -1})
	im, _ := v.image(id)
	cx, cy := float64(im.w+1)/2, float64(im.h+1)/2
	l0, b0, _ := v.ImagePixelToWorld(id, cx, cy)
	true1, true2, _ := v.ImagePixelToWorld(id, 20, 100)
	l1, b1, _ := v.ImagePixelToWorld(id, cx+1, cy)
	l2, b2, _ := v.ImagePixelToWorld(id, cx, cy+1)
	x1, y1 := gnomonic(l0, b0, l1, b1)
	x2, y2 := gnomonic(l0, b0, l2, b2)
	scale := math.Sqrt(math.Abs(x1*y2 - x2*y1)) // degrees per pixel (geometric mean)
	// The true WCS' linear part at the centre, in tangent-plane degrees.
	tx, ty := gnomonic(l0, b0, true1, true2)
	tests := []struct {
		name    string
		northUp bool
		// want returns the expected tangent-plane position of pixel offset (dx, dy).
		want func(dx, dy float64) (float64, float64)
		tol  float64
	}{
		{"pixels", false, func(dx, dy float64) (float64, float64) { return -scale * dx, scale * dy }, 1e-6},
		// North up: the mapping is the WCS' own near the centre (distortion aside).
		{"north up", true, func(dx, dy float64) (float64, float64) {
			if dx == 20-cx && dy == 100-cy {
				return tx, ty // within the distortion of the true WCS (2 pixels)
			}
			return x1*dx + x2*dy, y1*dx + y2*dy
		}, 2 * scale},
	}
	for _, tc := range tests {
		if err := v.SetImagePixelGrid(id, true, tc.northUp); err != nil {
			t.Fatal(err)
		}
		if on, nu := v.ImagePixelGrid(id); !on || nu != tc.northUp {
			t.Fatalf("%s: ImagePixelGrid = %v %v", tc.name, on, nu)
		}
		for _, d := range [][2]float64{{10, 0}, {0, 10}, {-30, 25}, {20 - cx, 100 - cy}} {
			wx, wy := tc.want(d[0], d[1])
			if math.IsNaN(wx) {
				continue
			}
			l, b, ok := v.ImagePixelToWorld(id, cx+d[0], cy+d[1])
			if !ok {
				t.Fatalf("%s: no world position", tc.name)
			}
			gx, gy := gnomonic(l0, b0, l, b)
			if math.Abs(gx-wx) > tc.tol || math.Abs(gy-wy) > tc.tol {
				t.Errorf("%s: offset %v -> (%g, %g), want (%g, %g)", tc.name, d, gx, gy, wx, wy)
			}
			// Round trip through the grid, and the value there is that pixel's.
			x, y, ok := v.ImageWorldToPixel(id, l, b)
			if !ok || math.Abs(x-cx-d[0]) > 1e-6 || math.Abs(y-cy-d[1]) > 1e-6 {
				t.Errorf("%s: round trip %v -> %g %g", tc.name, d, x-cx, y-cy)
			}
		}
	}
	if err := v.SetImagePixelGrid(id, false, false); err != nil {
		t.Fatal(err)
	}
	if l, b, _ := v.ImagePixelToWorld(id, 20, 100); l != true1 || b != true2 {
		t.Errorf("WCS not restored: %v %v vs %v %v", l, b, true1, true2)
	}
	if on, _ := v.ImagePixelGrid(id); on {
		t.Error("still on the pixel grid")
	}
}

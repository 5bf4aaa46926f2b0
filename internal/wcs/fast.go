package wcs

import "math"

// Fast paths for the two projections that dominate real images and views.
// TAN and SIN (orthographic) map intermediate coordinates to a native
// direction vector with no transcendental function, so the whole
// deprojection plus rotation costs two atan2 calls. Results agree with the
// general (WCSLIB-equivalent) path to ~1e-14 deg, and so do the domains.
const (
	fastNone = iota
	fastTAN
	fastSIN
)

// setFast enables the fast path when it applies and computes the rotation.
func (w *WCS) setFast() {
	b := w.prj.base()
	if b.x0 != 0 || b.y0 != 0 {
		return
	}
	switch p := w.prj.(type) {
	case *tanPrj:
		w.fast = fastTAN
	case *sinPrj:
		if p.w[1] == 0 {
			w.fast = fastSIN
		}
	}
	if w.fast == fastNone {
		return
	}
	cart := func(lng, lat float64) [3]float64 {
		sl, cl := sincosd(lng)
		sb, cb := sincosd(lat)
		return [3]float64{cb * cl, cb * sl, sb}
	}
	for j, n := range [3][2]float64{{0, 0}, {90, 0}, {0, 90}} {
		c := cart(w.cel.toCelestial(n[0], n[1]))
		for i := 0; i < 3; i++ {
			w.rot[i][j] = c[i]
		}
	}
}

func (w *WCS) fastToWorld(ix, iy float64) (lon, lat float64, ok bool) {
	var nx, ny, nz float64
	if w.fast == fastTAN {
		nx, ny, nz = -iy, ix, r2d
	} else {
		nx, ny = -iy*d2r, ix*d2r
		r2 := nx*nx + ny*ny
		if !(r2 <= 1) {
			return math.NaN(), math.NaN(), false
		}
		nz = math.Sqrt(1 - r2)
	}
	r := &w.rot
	cx := r[0][0]*nx + r[0][1]*ny + r[0][2]*nz
	cy := r[1][0]*nx + r[1][1]*ny + r[1][2]*nz
	cz := r[2][0]*nx + r[2][1]*ny + r[2][2]*nz
	lon = math.Atan2(cy, cx) * r2d
	lat = math.Atan2(cz, math.Sqrt(cx*cx+cy*cy)) * r2d
	if math.IsNaN(lon) || math.IsNaN(lat) {
		return math.NaN(), math.NaN(), false
	}
	if lon < 0 {
		lon += 360
		if lon >= 360 {
			lon = 0
		}
	}
	return lon, lat, true
}

func (w *WCS) fastToIntermediate(lon, lat float64) (ix, iy float64, ok bool) {
	sl, cl := math.Sincos(lon * d2r)
	sb, cb := math.Sincos(lat * d2r)
	return w.fastVecToIntermediate(cb*cl, cb*sl, sb)
}

// fastVecToIntermediate projects the unit vector (cx, cy, cz) of a world direction.
func (w *WCS) fastVecToIntermediate(cx, cy, cz float64) (ix, iy float64, ok bool) {
	r := &w.rot
	nx := r[0][0]*cx + r[1][0]*cy + r[2][0]*cz
	ny := r[0][1]*cx + r[1][1]*cy + r[2][1]*cz
	nz := r[0][2]*cx + r[1][2]*cy + r[2][2]*cz
	if w.fast == fastTAN {
		if !(nz > 0) {
			return math.NaN(), math.NaN(), false
		}
		return r2d * ny / nz, -r2d * nx / nz, true
	}
	if !(nz >= 0) {
		return math.NaN(), math.NaN(), false
	}
	return r2d * ny, -r2d * nx, true
}

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

// VecProjector is the fast path of VecToPixel (TAN or SIN with no
// distortion) reduced to its constants: one rotation of the unit vector into
// native axes and one affine map of the projected plane to pixels. A caller
// projecting many vectors in one frame folds its own rotation (a change of
// sky frame) and its own affine map (pixels to canvas) into the same
// constants, so each vector costs a dozen multiply-adds and no call.
type VecProjector struct {
	rot [3][3]float64 // rows: the native x, y, z axes in world coordinates
	tan bool          // TAN divides by the native z; SIN does not
	aff [2][3]float64 // pixel x, y = aff · (u, v, 1), u = ny(/nz), v = nx(/nz)
}

// VecProjector returns the projector of w, or false when w has no fast path
// (another projection, or SIP, TPV, polynomial or DSS distortion).
func (w *WCS) VecProjector() (VecProjector, bool) {
	if w.fast == fastNone || w.dss != nil || w.seq != nil || w.sip != nil {
		return VecProjector{}, false
	}
	var p VecProjector
	for i := range 3 {
		for j := range 3 {
			p.rot[i][j] = w.rot[j][i]
		}
	}
	p.tan = w.fast == fastTAN
	// intermediate (ix, iy) = (r2d·u, −r2d·v); pixel = cdinv·(i − off) + crpix
	for r := range 2 {
		ci := w.cdinv[r]
		p.aff[r] = [3]float64{ci[0] * r2d, -ci[1] * r2d, w.crpix[r] - ci[0]*w.off[0] - ci[1]*w.off[1]}
	}
	return p, true
}

// After returns the projector of the vectors m·c: m (a rotation, e.g. ICRS
// to galactic) is applied first.
func (p VecProjector) After(m [3][3]float64) VecProjector {
	var r [3][3]float64
	for i := range 3 {
		for j := range 3 {
			r[i][j] = p.rot[i][0]*m[0][j] + p.rot[i][1]*m[1][j] + p.rot[i][2]*m[2][j]
		}
	}
	p.rot = r
	return p
}

// Then returns the projector followed by the affine map of pixels
// (x, y) → (ax·(x, y, 1), ay·(x, y, 1)).
func (p VecProjector) Then(ax, ay [3]float64) VecProjector {
	var a [2][3]float64
	for r, m := range [2][3]float64{ax, ay} {
		for k := range 3 {
			a[r][k] = m[0]*p.aff[0][k] + m[1]*p.aff[1][k]
		}
		a[r][2] += m[2]
	}
	p.aff = a
	return p
}

// Pixel projects the unit vector c. ok is false on the far side (TAN: native
// z ≤ 0; SIN: z < 0) or for a NaN vector, as in VecToPixel.
func (p *VecProjector) Pixel(c [3]float64) (x, y float64, ok bool) {
	r := &p.rot
	nx := r[0][0]*c[0] + r[0][1]*c[1] + r[0][2]*c[2]
	ny := r[1][0]*c[0] + r[1][1]*c[1] + r[1][2]*c[2]
	nz := r[2][0]*c[0] + r[2][1]*c[1] + r[2][2]*c[2]
	if p.tan {
		if !(nz > 0) {
			return math.NaN(), math.NaN(), false
		}
		nx, ny = nx/nz, ny/nz
	} else if !(nz >= 0) {
		return math.NaN(), math.NaN(), false
	}
	a := &p.aff
	return a[0][0]*ny + a[0][1]*nx + a[0][2], a[1][0]*ny + a[1][1]*nx + a[1][2], true
}

package view

import "math"

// sinProjector is the first slice's SIN camera projection. It is temporary:
// the camera becomes an internal/wcs WCS (one projection engine for
// everything, DESIGN.md §1) as soon as that package lands, and this file goes.
type sinProjector struct {
	c          Camera
	k          float64 // CSS pixels per unit of projection-plane coordinate
	sl0, cl0   float64
	sb0, cb0   float64
	lon0, lat0 float64
}

func newSinProjector(c Camera) *sinProjector {
	p := &sinProjector{c: c}
	// Fov across the width: the plane coordinate spans 2*sin(fov/2) (capped at 2).
	half := math.Min(c.Fov, 180) / 2 * math.Pi / 180
	p.k = c.Width / (2 * math.Sin(half))
	p.lon0, p.lat0 = c.Lon*math.Pi/180, c.Lat*math.Pi/180
	p.sl0, p.cl0 = math.Sincos(p.lon0)
	p.sb0, p.cb0 = math.Sincos(p.lat0)
	return p
}

func (p *sinProjector) WorldToPixel(lon, lat float64) (x, y float64, ok bool) {
	l, b := lon*math.Pi/180, lat*math.Pi/180
	sb, cb := math.Sincos(b)
	sdl, cdl := math.Sincos(l - p.lon0)
	cosc := p.sb0*sb + p.cb0*cb*cdl
	px := cb * sdl
	py := p.cb0*sb - p.sb0*cb*cdl
	// RA increases to the left; y grows downwards on the canvas.
	x = p.c.Width/2 - px*p.k
	y = p.c.Height/2 - py*p.k
	return x, y, cosc >= 0
}

func (p *sinProjector) PixelToWorld(x, y float64) (lon, lat float64, ok bool) {
	px := -(x - p.c.Width/2) / p.k
	py := -(y - p.c.Height/2) / p.k
	r2 := px*px + py*py
	if r2 > 1 {
		return 0, 0, false
	}
	z := math.Sqrt(1 - r2)
	// Point in the tangent frame (east = px, north = py, towards the centre = z),
	// rotated back to the sky.
	vx := -p.sb0*p.cl0*py - p.sl0*px + p.cb0*p.cl0*z
	vy := -p.sb0*p.sl0*py + p.cl0*px + p.cb0*p.sl0*z
	vz := p.cb0*py + p.sb0*z
	lon, lat = fromVec([3]float64{vx, vy, vz})
	return lon, lat, true
}

package view

import (
	"math"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/wcs"
)

// wcsCamera is the camera as a FITS WCS (DESIGN.md §1: the view is a WCS, so
// tiles, images, overlays and `viewer render` share one projection engine).
// Canvas CSS pixel (x, y), y down, is FITS pixel (x + 0.5, H − y + 0.5) of a
// WCS whose NAXIS is the canvas size rounded up.
type wcsCamera struct {
	w    *wcs.WCS
	h    float64 // canvas height, CSS pixels
	dx   float64 // offset between the rounded WCS grid centre and the canvas centre
	dy   float64
	fovN float64 // nominal fov given to wcs.NewCamera (CDELT·NAXIS1)
}

// cameraKind maps a view frame to the WCS camera frame.
func cameraKind(f sky.Frame) wcs.FrameKind {
	switch f.Kind {
	case sky.Galactic:
		return wcs.FrameGalactic
	}
	return wcs.FrameEquatorial
}

// nominalFov returns the CDELT·width that makes the canvas edges, at the
// centre row, lie fov/2 from the centre along the projection's native
// equator, so that "field of view" means the same angle in every projection.
func nominalFov(proj string, fov float64, width int) float64 {
	half := math.Min(fov/2, fovLimits[proj]/2-1e-6)
	ref, err := wcs.NewCamera(proj, 0, 0, float64(width), width, 2, 0) // CDELT = 1°/px
	if err != nil {
		return fov
	}
	x0, _, ok0 := ref.WorldToPixel(0, 0)
	x1, _, ok1 := ref.WorldToPixel(360-half, 0) // west: right of the centre
	if !ok0 || !ok1 || !(x1 > x0) {
		return fov
	}
	d := (x1 - x0) * fov / 2 / half // extrapolated to the full half-angle
	return 2 * d
}

func newWCSCamera(c Camera, frame sky.Frame) (*wcsCamera, error) {
	wi, hi := int(math.Ceil(c.Width)), int(math.Ceil(c.Height))
	fovN := nominalFov(c.Proj, c.Fov, wi) * float64(wi) / c.Width
	w, err := wcs.NewCameraIn(cameraKind(frame), c.Proj, c.Lon, c.Lat, fovN, wi, hi, 0)
	if err != nil {
		return nil, err
	}
	return &wcsCamera{w: w, h: c.Height, dx: (float64(wi) - c.Width) / 2, dy: (float64(hi) - c.Height) / 2, fovN: fovN}, nil
}

func (p *wcsCamera) PixelToWorld(x, y float64) (lon, lat float64, ok bool) {
	return p.w.PixelToWorld(x+0.5+p.dx, p.h-y+0.5+p.dy)
}

func (p *wcsCamera) WorldToPixel(lon, lat float64) (x, y float64, ok bool) {
	fx, fy, ok := p.w.WorldToPixel(lon, lat)
	x, y = p.canvasOf(fx, fy)
	return x, y, ok
}

// canvasOf returns the canvas CSS pixel of FITS pixel (fx, fy) of the camera's WCS.
func (p *wcsCamera) canvasOf(fx, fy float64) (x, y float64) {
	return fx - 0.5 - p.dx, p.h - (fy - 0.5 - p.dy)
}

// CameraHeader returns the camera's WCS as FITS header cards (the view is a
// WCS: the same header reproduces this view in `viewer render` or any FITS
// tool). Pixel (1, 1) is the bottom-left canvas pixel; NAXIS is the canvas
// size in CSS pixels, rounded up.
func (v *View) CameraHeader() *fits.Header {
	if c, ok := v.proj.(*wcsCamera); ok {
		return c.w.Header()
	}
	return nil
}

// TileEdgeDistance returns, for the sky under canvas point (x, y), its
// distance in tile pixels to the nearest edge of the HiPS tile of the given
// order and width that contains it (view frame = HiPS frame assumed), or -1
// off the sky. Tests use it to leave tile borders out of comparisons between
// renderers.
func (v *View) TileEdgeDistance(x, y float64, order, width int) float64 {
	lon, lat, ok := v.proj.PixelToWorld(x, y)
	if !ok || width < 1 || width&(width-1) != 0 {
		return -1
	}
	k := 0
	for 1<<k < width {
		k++
	}
	sub := healpix.AngToNest(order+k, lon, lat)
	if sub < 0 {
		return -1
	}
	_, fx, fy := healpix.NestToFXY(order+k, sub)
	m := int64(width - 1)
	lx, ly := float64(fx&m), float64(fy&m)
	w := float64(width - 1)
	return math.Min(math.Min(lx, w-lx), math.Min(ly, w-ly))
}

// vecProjector projects many ICRS unit vectors to canvas pixels in one
// frame: the camera's wcs.VecProjector with the view frame's rotation and
// the canvas offset folded in when the camera allows it (TAN, SIN; a linear
// frame change), else WorldToPixel of each position. Both give the same
// point to ~1e-9 px.
type vecProjector struct {
	v    *View
	p    wcs.VecProjector
	fast bool
}

// vecProjector returns the projector of the current camera.
func (v *View) vecProjector() vecProjector {
	cam, isWCS := v.proj.(*wcsCamera)
	if !isWCS {
		return vecProjector{v: v}
	}
	p, ok := cam.w.VecProjector()
	if !ok {
		return vecProjector{v: v}
	}
	if v.toView != nil {
		m, linear := v.toView.Matrix()
		if !linear {
			return vecProjector{v: v}
		}
		p = p.After(m)
	}
	// canvasOf, an affine map, as its coefficients
	x0, y0 := cam.canvasOf(0, 0)
	x1, y1 := cam.canvasOf(1, 0)
	x2, y2 := cam.canvasOf(0, 1)
	p = p.Then([3]float64{x1 - x0, x2 - x0, x0}, [3]float64{y1 - y0, y2 - y0, y0})
	return vecProjector{v: v, p: p, fast: true}
}

// pixel projects c, the unit vector of row i of (ra, dec). The fast path
// reads only c: rows are visited in perm order, and ra[i], dec[i] would be a
// cache miss each.
func (p *vecProjector) pixel(c [3]float64, ra, dec []float64, i int32) (x, y float64, ok bool) {
	if p.fast {
		return p.p.Pixel(c)
	}
	return p.v.WorldToPixel(ra[i], dec[i])
}

package view

import (
	"math"

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
	return fx - 0.5 - p.dx, p.h - (fy - 0.5 - p.dy), ok
}

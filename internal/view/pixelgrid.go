package view

import (
	"errors"
	"fmt"
	"math"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/wcs"
)

// pixelGrid is the state an image had before it was put on its own pixel
// grid (SetImagePixelGrid), restored when the mode is turned off.
type pixelGrid struct {
	wcs             *wcs.WCS
	wcsFrame        sky.Frame
	toView, toImage *sky.Transform
	northUp         bool
}

// SetImagePixelGrid shows an image in its own pixels: it is placed on a
// plain TAN grid at its centre, with the pixel scale its WCS has there and
// no distortion or reprojection, so pixel rows are straight. Without northUp
// pixel x runs to the right and y up (as DS9's image orientation); with
// northUp the grid takes the linear part of the WCS at the centre, so north
// is up and east left as on the sky. Turning it off restores the WCS. The
// textures are not uploaded again: only the mesh moves. Images without a
// usable WCS are always in pixel mode and cannot change.
func (v *View) SetImagePixelGrid(id int, on, northUp bool) error {
	im, err := v.image(id)
	if err != nil {
		return err
	}
	if im.pixel && im.grid == nil {
		if on {
			return nil
		}
		return fmt.Errorf("%s: no usable WCS: the image can only be shown in pixel mode", im.name)
	}
	if err := im.setPixelGrid(v, on, northUp); err != nil {
		return err
	}
	v.dirty = true
	return nil
}

// setPixelGrid puts the image on its own pixel grid in the view's frame
// (on) or back on its WCS, and places its mesh grid again.
func (im *imageOverlay) setPixelGrid(v *View, on, northUp bool) error {
	if im.grid != nil {
		// Back to the real WCS first (also when only northUp changes).
		im.wcs, im.wcsFrame, im.toView, im.toImage = im.grid.wcs, im.grid.wcsFrame, im.grid.toView, im.grid.toImage
		im.grid = nil
	}
	if on {
		h, err := im.gridHeader(northUp)
		if err != nil {
			return fmt.Errorf("%s: pixel grid: %w", im.name, err)
		}
		w, err := wcs.New(h)
		if err != nil {
			return fmt.Errorf("%s: pixel grid: %w", im.name, err)
		}
		im.grid = &pixelGrid{wcs: im.wcs, wcsFrame: im.wcsFrame, toView: im.toView, toImage: im.toImage, northUp: northUp}
		im.wcs, im.wcsFrame, im.toView, im.toImage = w, v.frame, nil, nil
	}
	im.placeGrid()
	return nil
}

// setViewFrame follows a change of the view's frame: the image stays on the
// same sky (a pixel grid is made again in the new frame, so that north up
// is the new frame's north).
func (im *imageOverlay) setViewFrame(v *View) error {
	grid := im.grid
	if grid != nil {
		im.wcs, im.wcsFrame = grid.wcs, grid.wcsFrame
		im.grid = nil
	}
	var err error
	if im.toView, im.toImage, err = frameTransforms(im.wcsFrame, v.frame); err != nil {
		return fmt.Errorf("%s: %w", im.name, err)
	}
	if grid != nil {
		return im.setPixelGrid(v, true, grid.northUp)
	}
	im.placeGrid()
	return nil
}

// ImagePixelGrid reports whether an image is on its own pixel grid, and
// whether north up.
func (v *View) ImagePixelGrid(id int) (on, northUp bool) {
	im, err := v.image(id)
	if err != nil || im.grid == nil {
		return false, false
	}
	return true, im.grid.northUp
}

// gridHeader returns the TAN header (in the view frame) of the pixel grid.
func (im *imageOverlay) gridHeader(northUp bool) (*fits.Header, error) {
	cx, cy := float64(im.w+1)/2, float64(im.h+1)/2
	l0, b0, ok := im.world(cx, cy)
	l1, b1, ok1 := im.world(cx+1, cy)
	l2, b2, ok2 := im.world(cx, cy+1)
	if !ok || !ok1 || !ok2 {
		return nil, errors.New("the image centre has no sky position")
	}
	x1, y1 := gnomonic(l0, b0, l1, b1)
	x2, y2 := gnomonic(l0, b0, l2, b2)
	cd := [4]float64{x1, x2, y1, y2} // CD1_1, CD1_2, CD2_1, CD2_2 (degrees per pixel)
	det := cd[0]*cd[3] - cd[1]*cd[2]
	if !(math.Abs(det) > 0) || math.IsNaN(det) || math.IsInf(det, 0) {
		return nil, errors.New("the WCS is singular at the image centre")
	}
	if !northUp {
		s := math.Sqrt(math.Abs(det))
		cd = [4]float64{-s, 0, 0, s}
	}
	return tanHeader(im.w, im.h, cx, cy, l0, b0, cd), nil
}

// tanHeader returns the header of a plain TAN grid of w×h pixels: reference
// pixel (crpix1, crpix2) at (lon, lat), CD matrix {CD1_1, CD1_2, CD2_1, CD2_2}.
func tanHeader(w, h int, crpix1, crpix2, lon, lat float64, cd [4]float64) *fits.Header {
	hd := &fits.Header{}
	hd.Set("NAXIS", 2, "")
	hd.Set("NAXIS1", w, "")
	hd.Set("NAXIS2", h, "")
	hd.Set("CTYPE1", "RA---TAN", "")
	hd.Set("CTYPE2", "DEC--TAN", "")
	hd.Set("CRPIX1", crpix1, "")
	hd.Set("CRPIX2", crpix2, "")
	hd.Set("CRVAL1", lon, "")
	hd.Set("CRVAL2", lat, "")
	hd.Set("CD1_1", cd[0], "")
	hd.Set("CD1_2", cd[1], "")
	hd.Set("CD2_1", cd[2], "")
	hd.Set("CD2_2", cd[3], "")
	hd.Set("RADESYS", "ICRS", "")
	return hd
}

// gnomonic returns the TAN intermediate coordinates (degrees; x towards
// increasing longitude, y north) of (l, b) about (l0, b0).
func gnomonic(l0, b0, l, b float64) (x, y float64) {
	r := math.Pi / 180
	dl := (l - l0) * r
	sb0, cb0 := math.Sincos(b0 * r)
	sb, cb := math.Sincos(b * r)
	cosc := sb0*sb + cb0*cb*math.Cos(dl)
	return cb * math.Sin(dl) / cosc / r, (cb0*sb - sb0*cb*math.Cos(dl)) / cosc / r
}

package view

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/skyglass/skyglass/internal/fits"
)

// HeaderPixelToWorld returns the ICRS position of FITS pixel (fx, fy) of the
// grid of CameraHeader (pixel (1, 1) is the bottom-left canvas pixel).
func (v *View) HeaderPixelToWorld(fx, fy float64) (lon, lat float64, ok bool) {
	c, isWCS := v.proj.(*wcsCamera)
	if !isWCS {
		return 0, 0, false
	}
	return v.PixelToWorld(c.canvasOf(fx, fy))
}

// Export modes of WriteFITS.
const (
	ExportValues = "values" // the physical values of a FITS image, BITPIX −32
	ExportRGB    = "rgb"    // the canvas colours, three BITPIX 8 planes R, G, B
	ExportGrey   = "grey"   // the canvas luminance, one BITPIX 8 plane
)

// WriteFITS writes the current view as a FITS primary HDU whose header is the
// view's WCS (CameraHeader). mode ExportValues samples FITS image imageID at
// the centre of every pixel (NaN where the image has no value) and adds its
// BUNIT; ExportRGB and ExportGrey write the canvas pixels rgba (RGBA, top row
// first, NAXIS1 × NAXIS2 of the header) as three planes or one (Rec. 709
// luminance). FITS rows go bottom up.
func (v *View) WriteFITS(w io.Writer, mode string, imageID int, rgba []byte) error {
	ch := v.CameraHeader()
	if ch == nil {
		return errors.New("view: export: the view has no WCS")
	}
	nx, _ := ch.Int("NAXIS1")
	ny, _ := ch.Int("NAXIS2")
	W, H := int(nx), int(ny)
	h := ch.Clone()
	h.Set("ORIGIN", "Skyglass", "")
	switch mode {
	case ExportValues:
		im, err := v.image(imageID)
		if err != nil {
			return fmt.Errorf("view: export: %w", err)
		}
		vals := make([]float32, W*H)
		for j := 0; j < H; j++ {
			for i := 0; i < W; i++ {
				val := math.NaN()
				if lon, lat, ok := v.HeaderPixelToWorld(float64(i+1), float64(j+1)); ok {
					if x, _, _, ok2 := v.ImageValueAt(imageID, lon, lat); ok2 {
						val = x
					}
				}
				vals[j*W+i] = float32(val)
			}
		}
		if u, ok := im.header.String("BUNIT"); ok && u != "" {
			h.Set("BUNIT", u, "")
		}
		h.Set("IMAGE", im.name, "the FITS image sampled")
		return fits.WritePrimary(w, -32, []int{W, H}, h, fits.Float32Bytes(vals))
	case ExportRGB, ExportGrey:
		if len(rgba) != 4*W*H {
			return fmt.Errorf("view: export: %d canvas bytes for a %d×%d view (want %d)", len(rgba), W, H, 4*W*H)
		}
		planes := 3
		if mode == ExportGrey {
			planes = 1
		}
		n := W * H
		data := make([]byte, planes*n)
		for j := 0; j < H; j++ {
			src := (H - 1 - j) * W // canvas row of FITS row j+1
			for i := 0; i < W; i++ {
				p := 4 * (src + i)
				if planes == 1 {
					data[j*W+i] = byte(math.Round(0.2126*float64(rgba[p]) + 0.7152*float64(rgba[p+1]) + 0.0722*float64(rgba[p+2])))
					continue
				}
				for c := 0; c < 3; c++ {
					data[c*n+j*W+i] = rgba[p+c]
				}
			}
		}
		if planes == 3 {
			h.Set("WCSAXES", 2, "")
			return fits.WritePrimary(w, 8, []int{W, H, 3}, h, data)
		}
		return fits.WritePrimary(w, 8, []int{W, H}, h, data)
	}
	return fmt.Errorf("view: export: unknown mode %q (values, rgb or grey)", mode)
}

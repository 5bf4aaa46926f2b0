package hips

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/skyglass/skyglass/internal/fits"
)

// decodeFITSImage decodes a FITS tile or Allsky.fits: the first HDU holding a
// 2-D image (primary, IMAGE or tile-compressed), any BITPIX, with BZERO/BSCALE
// applied and BLANK (integer tiles) or NaN as blank. A third axis of length 1
// is accepted. Tiles trimmed as HiPS 1.5 allows (TRIM1/TRIM2 margins with the
// full size in ONAXIS1/ONAXIS2) are expanded back, the margins blank. A
// truncated file is an error. want > 0 requires a want×want image, checked
// before the data are read.
func decodeFITSImage(b []byte, want int) (*Image, error) {
	f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: fits: %v", ErrBadTile, err)
	}
	for _, h := range f.HDUs {
		switch h.Type() {
		case fits.TypePrimary, fits.TypeImage, fits.TypeCompressedImage:
		default:
			continue
		}
		info, err := h.ImageInfo()
		if err != nil {
			return nil, fmt.Errorf("%w: fits HDU %d: %v", ErrBadTile, h.Index, err)
		}
		if info.Empty() {
			continue
		}
		ax := info.Axes
		for len(ax) > 2 && ax[len(ax)-1] == 1 {
			ax = ax[:len(ax)-1]
		}
		if len(ax) != 2 {
			return nil, fmt.Errorf("%w: fits HDU %d: image has %d axes %v, a tile needs 2", ErrBadTile, h.Index, len(info.Axes), info.Axes)
		}
		w, hgt := ax[0], ax[1]
		_, trimmed := h.Header().Int("ONAXIS1")
		if want > 0 && !trimmed && (w != want || hgt != want) {
			return nil, sizeError(FormatFITS, w, hgt, want)
		}
		if int64(w)*int64(hgt) > MaxImagePixels {
			return nil, fmt.Errorf("%w: fits tile of %d×%d pixels (limit %d pixels)", ErrBadTile, w, hgt, MaxImagePixels)
		}
		img, err := h.Image()
		if err != nil {
			var te *fits.TruncatedError
			if errors.As(err, &te) {
				return nil, fmt.Errorf("%w: truncated FITS tile: %v", ErrBadTile, err)
			}
			return nil, fmt.Errorf("%w: fits HDU %d: %v", ErrBadTile, h.Index, err)
		}
		data := img.Float32()
		if len(data) != w*hgt {
			return nil, fmt.Errorf("%w: fits HDU %d: %d values for %d×%d pixels", ErrBadTile, h.Index, len(data), w, hgt)
		}
		out := &Image{Width: w, Height: hgt, Data: data}
		return untrim(out, h.Header())
	}
	return nil, fmt.Errorf("%w: FITS file has no image HDU", ErrBadTile)
}

// untrim restores a tile stored with TRIM1/TRIM2 margins to ONAXIS1×ONAXIS2.
func untrim(im *Image, h *fits.Header) (*Image, error) {
	ow, okW := h.Int("ONAXIS1")
	oh, okH := h.Int("ONAXIS2")
	if !okW && !okH {
		return im, nil
	}
	if !okW {
		ow = int64(im.Width)
	}
	if !okH {
		oh = int64(im.Height)
	}
	t1, _ := h.Int("TRIM1")
	t2, _ := h.Int("TRIM2")
	if ow <= 0 || oh <= 0 || ow*oh > MaxImagePixels || t1 < 0 || t2 < 0 || t1+int64(im.Width) > ow || t2+int64(im.Height) > oh {
		return nil, fmt.Errorf("%w: fits tile %d×%d with TRIM1=%d TRIM2=%d does not fit ONAXIS %d×%d", ErrBadTile, im.Width, im.Height, t1, t2, ow, oh)
	}
	if ow == int64(im.Width) && oh == int64(im.Height) {
		return im, nil
	}
	out := &Image{Width: int(ow), Height: int(oh), Data: make([]float32, ow*oh)}
	nan := float32(math.NaN())
	for i := range out.Data {
		out.Data[i] = nan
	}
	for y := 0; y < im.Height; y++ {
		dst := (int(t2)+y)*out.Width + int(t1)
		copy(out.Data[dst:dst+im.Width], im.Data[y*im.Width:(y+1)*im.Width])
	}
	return out, nil
}

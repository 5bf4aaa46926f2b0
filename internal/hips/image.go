package hips

import (
	"errors"
	"fmt"
	"math"
)

// MaxImagePixels bounds the pixel count of any decoded tile or Allsky image
// (an order-3 Allsky of 512-pixel tiles would be 13824×14848; Hipsgen writes
// 64-pixel Allsky tiles, 1728×1856).
const MaxImagePixels = 1 << 26

// Image is a decoded tile or Allsky image, stored in FITS row order: row 0 is
// the bottom row as displayed (the first row of a FITS tile, the last row of a
// JPEG/PNG tile). Exactly one of RGBA and Data is set.
type Image struct {
	Width, Height int
	// RGBA holds colour pixels, 4 bytes each (R, G, B, A; not premultiplied),
	// row-major, rows in FITS order.
	RGBA []uint8
	// Data holds physical values (BZERO + BSCALE·raw) of FITS tiles; blank
	// pixels (BLANK or NaN) are NaN.
	Data []float32
}

// Bytes returns the memory held by the pixel buffers.
func (im *Image) Bytes() int64 {
	if im == nil {
		return 0
	}
	return int64(len(im.RGBA)) + 4*int64(len(im.Data))
}

// IsColor says whether the image holds colour pixels rather than values.
func (im *Image) IsColor() bool { return im.RGBA != nil }

// At returns the pixel at column x, row y (FITS row order, 0-based) as
// RGBA bytes; for data images the value is in v (NaN when blank) and the
// colour is zero.
func (im *Image) At(x, y int) (c [4]uint8, v float32) {
	i := y*im.Width + x
	if im.RGBA != nil {
		copy(c[:], im.RGBA[4*i:4*i+4])
		return c, float32(math.NaN())
	}
	return c, im.Data[i]
}

// Sub copies the w×h block whose lower-left pixel (FITS row order) is (x0, y0).
func (im *Image) Sub(x0, y0, w, h int) *Image {
	out := &Image{Width: w, Height: h}
	if im.RGBA != nil {
		out.RGBA = make([]uint8, 4*w*h)
		for y := 0; y < h; y++ {
			src := ((y0+y)*im.Width + x0) * 4
			copy(out.RGBA[4*y*w:4*(y+1)*w], im.RGBA[src:src+4*w])
		}
	} else {
		out.Data = make([]float32, w*h)
		for y := 0; y < h; y++ {
			src := (y0+y)*im.Width + x0
			copy(out.Data[y*w:(y+1)*w], im.Data[src:src+w])
		}
	}
	return out
}

// ErrBadTile is wrapped by every error about undecodable tile bytes.
var ErrBadTile = errors.New("bad tile")

// DecodeImage decodes a JPEG, PNG or WebP tile or Allsky image into FITS row
// order. Images larger than MaxImagePixels are refused before decoding.
func DecodeImage(b []byte, f Format) (*Image, error) {
	return decodeImage(b, f, 0)
}

// decodeImage decodes an image; want > 0 requires a want×want image and is
// checked from the header, before the pixels are decoded.
func decodeImage(b []byte, f Format, want int) (*Image, error) {
	switch f {
	case FormatJPEG, FormatPNG, FormatWebP:
		return decodeColor(b, f, want)
	case FormatFITS:
		return decodeFITSImage(b, want)
	}
	return nil, fmt.Errorf("%w: cannot decode tile format %q", ErrBadTile, string(f))
}

// DecodeTile decodes tile bytes of format f and checks that the tile is
// width×width pixels (hips_tile_width).
func DecodeTile(b []byte, f Format, width int) (*Image, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty %s tile", ErrBadTile, f)
	}
	if width <= 0 {
		return nil, fmt.Errorf("%w: tile width %d", ErrBadTile, width)
	}
	im, err := decodeImage(b, f, width)
	if err != nil {
		return nil, err
	}
	if im.Width != width || im.Height != width {
		return nil, sizeError(f, im.Width, im.Height, width)
	}
	return im, nil
}

func sizeError(f Format, w, h, want int) error {
	return fmt.Errorf("%w: %s tile is %d×%d pixels, hips_tile_width says %d", ErrBadTile, f, w, h, want)
}

// AllskyColumns returns the number of tile columns of an Allsky mosaic of an
// order: ⌊√(12·4^order)⌋ (3, 6, 13, 27 for orders 0..3; HiPS 1.0 §4.3.2).
func AllskyColumns(order int) int {
	n := NPix(order)
	c := int(math.Sqrt(float64(n)))
	for int64(c+1)*int64(c+1) <= n {
		c++
	}
	for int64(c)*int64(c) > n {
		c--
	}
	return c
}

// SplitAllsky cuts the Allsky mosaic of an order (0..3) into its 12·4^order
// tiles, indexed by nested pixel number.
//
// Layout (HiPS 1.0 §4.3.2, as Hipsgen and Aladin write it): the tiles, each
// reduced to w' = width/cols pixels (cols = AllskyColumns(order), 27 at order
// 3), are placed side by side left to right, rows of cols tiles from the top of
// the displayed image down: tile n is at column n mod cols and display row
// ⌊n/cols⌋; the last row may be partly empty (768 tiles fill 29 rows of 27).
// Each tile inside the mosaic keeps its own orientation (JPEG/PNG top-down,
// FITS bottom-up), so an Allsky.fits is the row-flipped Allsky.jpg; with images
// held in FITS row order (as DecodeImage returns them) the same split serves
// both. The mosaic may be taller than needed; extra rows at the bottom are
// ignored.
func SplitAllsky(all *Image, order int) ([]*Image, error) {
	if order < 0 || order > 3 {
		return nil, fmt.Errorf("hips allsky: order %d outside 0..3", order)
	}
	if all == nil || all.Width <= 0 || all.Height <= 0 {
		return nil, fmt.Errorf("hips allsky: empty image")
	}
	cols := AllskyColumns(order)
	n := int(NPix(order))
	rows := (n + cols - 1) / cols
	if all.Width%cols != 0 {
		return nil, fmt.Errorf("hips allsky: order %d mosaic width %d is not a multiple of %d tile columns", order, all.Width, cols)
	}
	w := all.Width / cols
	if all.Height < rows*w {
		return nil, fmt.Errorf("hips allsky: order %d mosaic is %d×%d; %d rows of %d-pixel tiles need height %d", order, all.Width, all.Height, rows, w, rows*w)
	}
	want := len(all.RGBA)
	if all.RGBA == nil {
		want = len(all.Data)
		if want != all.Width*all.Height {
			return nil, fmt.Errorf("hips allsky: %d values for %d×%d pixels", want, all.Width, all.Height)
		}
	} else if want != 4*all.Width*all.Height {
		return nil, fmt.Errorf("hips allsky: %d bytes for %d×%d RGBA pixels", want, all.Width, all.Height)
	}
	out := make([]*Image, n)
	for i := 0; i < n; i++ {
		c, r := i%cols, i/cols
		y0 := all.Height - (r+1)*w // FITS-order row of the tile's bottom row
		out[i] = all.Sub(c*w, y0, w, w)
	}
	return out, nil
}

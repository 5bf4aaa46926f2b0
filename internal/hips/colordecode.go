//go:build !js

package hips

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// The Go decoders of colour tiles serve the CPU path (internal/raster,
// `viewer render`). The wasm build leaves them out (colourdecode_js.go): in
// the browser, JPEG/PNG/WebP tiles are decoded by the browser itself
// (createImageBitmap, DESIGN.md §1), and the decoders would only add to the
// download.

// decodeColor decodes a JPEG, PNG or WebP image; want > 0 requires a
// want×want image and is checked from the header, before the pixels are decoded.
func decodeColor(b []byte, f Format, want int) (*Image, error) {
	var cfg image.Config
	var err error
	switch f {
	case FormatJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case FormatPNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	case FormatWebP:
		cfg, err = webp.DecodeConfig(bytes.NewReader(b))
	default:
		return nil, fmt.Errorf("%w: cannot decode tile format %q", ErrBadTile, string(f))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s header: %v", ErrBadTile, f, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("%w: %s image of %d×%d pixels (limit %d pixels)", ErrBadTile, f, cfg.Width, cfg.Height, MaxImagePixels)
	}
	if want > 0 && (cfg.Width != want || cfg.Height != want) {
		return nil, sizeError(f, cfg.Width, cfg.Height, want)
	}
	var img image.Image
	switch f {
	case FormatJPEG:
		img, err = jpeg.Decode(bytes.NewReader(b))
	case FormatPNG:
		img, err = png.Decode(bytes.NewReader(b))
	case FormatWebP:
		img, err = webp.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadTile, f, err)
	}
	return fromImage(img), nil
}

// fromImage converts any image to non-premultiplied RGBA in FITS row order.
func fromImage(img image.Image) *Image {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	out := &Image{Width: w, Height: h, RGBA: make([]uint8, 4*w*h)}
	for y := 0; y < h; y++ {
		dst := out.RGBA[4*(h-1-y)*w : 4*(h-y)*w] // flip: display row y -> FITS row h-1-y
		sy := r.Min.Y + y
		switch m := img.(type) {
		case *image.YCbCr:
			for x := 0; x < w; x++ {
				yi := m.YOffset(r.Min.X+x, sy)
				ci := m.COffset(r.Min.X+x, sy)
				R, G, B := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = R, G, B, 255
			}
		case *image.Gray:
			for x := 0; x < w; x++ {
				g := m.Pix[m.PixOffset(r.Min.X+x, sy)]
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = g, g, g, 255
			}
		case *image.NRGBA:
			o := m.PixOffset(r.Min.X, sy)
			copy(dst, m.Pix[o:o+4*w])
		case *image.RGBA:
			o := m.PixOffset(r.Min.X, sy)
			for x := 0; x < w; x++ {
				p := m.Pix[o+4*x : o+4*x+4]
				dst[4*x+3] = p[3]
				if p[3] == 255 || p[3] == 0 {
					copy(dst[4*x:4*x+3], p[:3])
					continue
				}
				for c := 0; c < 3; c++ {
					dst[4*x+c] = uint8((uint32(p[c])*255 + uint32(p[3])/2) / uint32(p[3]))
				}
			}
		default:
			for x := 0; x < w; x++ {
				c := color.NRGBAModel.Convert(img.At(r.Min.X+x, sy)).(color.NRGBA)
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = c.R, c.G, c.B, c.A
			}
		}
	}
	return out
}

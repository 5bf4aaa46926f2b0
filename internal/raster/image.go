package raster

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/wcs"
)

// Source is a FITS image with its WCS, to be reprojected.
type Source struct {
	WCS           *wcs.WCS
	Width, Height int       // NAXIS1, NAXIS2
	Data          []float32 // physical values, FITS order (NAXIS1 fastest), NaN blank
}

// RenderImage reprojects a FITS image into the grid: for every output pixel
// the world position through the output WCS, conversion to the source's
// frame, the source pixel through its WCS, and nearest or bilinear sampling
// (NaN pixels are skipped and the weights renormalised). Pixels outside the
// source are NaN.
func RenderImage(ctx context.Context, g Grid, src Source, smp Sampling, opt Options) (*Result, error) {
	if g.WCS == nil || g.Width <= 0 || g.Height <= 0 || int64(g.Width)*int64(g.Height) > MaxPixels {
		return nil, fmt.Errorf("raster: output grid %d×%d invalid (at most %d pixels)", g.Width, g.Height, MaxPixels)
	}
	if src.WCS == nil || src.Width <= 0 || src.Height <= 0 || len(src.Data) != src.Width*src.Height {
		return nil, errors.New("raster: source image without WCS or with inconsistent size")
	}
	from, err := WCSFrame(g.WCS.Frame)
	if err != nil {
		return nil, err
	}
	to, err := WCSFrame(src.WCS.Frame)
	if err != nil {
		return nil, err
	}
	var tr *sky.Transform
	if from != to {
		if tr, err = sky.NewTransform(from, to); err != nil {
			return nil, fmt.Errorf("raster: frame conversion: %w", err)
		}
	}
	W, H := g.Width, g.Height
	res := &Result{Width: W, Height: H, Values: make([]float32, W*H), Order: -1}
	nan := float32(math.NaN())
	sw, sh := src.Width, src.Height
	err = parallelRows(ctx, workers(opt), H, "sampling", opt.Progress, func(j int) {
		for i := 0; i < W; i++ {
			p := j*W + i
			res.Values[p] = nan
			lon, lat, ok := g.WCS.PixelToWorld(float64(i+1), float64(j+1))
			if !ok {
				continue
			}
			if tr != nil {
				lon, lat = tr.Convert(lon, lat)
			}
			x, y, ok := src.WCS.WorldToPixel(lon, lat)
			if !ok || !(x > 0.5 && x < float64(sw)+0.5 && y > 0.5 && y < float64(sh)+0.5) {
				continue
			}
			if smp == Nearest {
				xi, yi := int(math.Floor(x+0.5))-1, int(math.Floor(y+0.5))-1
				res.Values[p] = src.Data[yi*sw+xi]
				continue
			}
			// Bilinear between the four surrounding pixel centres, clamped at
			// the image edges.
			x0, y0 := math.Floor(x), math.Floor(y)
			fx, fy := x-x0, y-y0
			var acc, wsum float64
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					xi := min(max(int(x0)-1+dx, 0), sw-1)
					yi := min(max(int(y0)-1+dy, 0), sh-1)
					wt := (1 - fx) * (1 - fy)
					switch {
					case dx == 1 && dy == 0:
						wt = fx * (1 - fy)
					case dx == 0 && dy == 1:
						wt = (1 - fx) * fy
					case dx == 1 && dy == 1:
						wt = fx * fy
					}
					v := src.Data[yi*sw+xi]
					if wt == 0 || v != v {
						continue
					}
					acc += float64(v) * wt
					wsum += wt
				}
			}
			if wsum > 0 {
				res.Values[p] = float32(acc / wsum)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

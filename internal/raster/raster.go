// Package raster renders HiPS layers into any WCS on the CPU: for every
// output pixel the world position through the output WCS, conversion to the
// HiPS frame, HEALPix sampling of the tiles (nearest, or bilinear across tile
// and base-face borders, as hips2fits does), the stretch and colormap of FITS
// tiles, and alpha blending of layers. It is the reference the browser's
// WebGL2 rendering is tested against, and the engine of `viewer render`.
//
// Rows are processed in parallel by a few goroutines. Outputs are stored in
// FITS row order (row 0 is the bottom row, pixel (i, j) is FITS pixel (i+1,
// j+1)); Image converts to a top-down image.
package raster

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/stretch"
	"github.com/skyglass/skyglass/internal/wcs"
)

// Sampling chooses how tile pixels are interpolated.
type Sampling int

// Sampling methods.
const (
	Bilinear Sampling = iota // the four nearest HEALPix cell centres, across tile borders
	Nearest                  // the HEALPix cell containing the point
)

// AutoOrder asks for the tile order to be chosen from the output pixel size.
const AutoOrder = -1

// Layer is one HiPS drawn into the output.
type Layer struct {
	Survey   *hips.Survey
	Order    int // tile order, or AutoOrder (tile pixel ≤ output pixel)
	Sampling Sampling
	// Opacity in [0, 1] (1: opaque).
	Opacity float64
	// Stretch maps the physical values of FITS tiles to colours; nil uses
	// hips_pixel_cut (else hips_data_range) with a linear grey stretch.
	Stretch *stretch.Params
	// CubeFrame is the frame of a HiPS 1.0 cube to draw (0 for images).
	CubeFrame int
}

// Grid is the output pixel grid: a WCS and its size.
type Grid struct {
	WCS           *wcs.WCS
	Width, Height int
}

// Options tune the rendering.
type Options struct {
	Workers int // goroutines; 0: GOMAXPROCS
	// Progress, when set, is called now and then with a stage name and the
	// rows done of the total (from several goroutines, serialised).
	Progress func(stage string, done, total int)
}

// MaxPixels bounds the output size (and memory: 8 bytes per pixel for the
// positions plus the output).
const MaxPixels = 1 << 25

// Result is a rendered layer. Exactly one of Values and RGBA is set.
type Result struct {
	Width, Height int
	// Values holds physical values of a FITS-tile layer (NaN where there is
	// no data), FITS row order.
	Values []float32
	// RGBA holds colours (not premultiplied), FITS row order.
	RGBA []uint8
	// Order is the tile order sampled; Tiles the number of tiles read.
	Order, Tiles int
	// Warnings lists tiles that could not be read (drawn as blank).
	Warnings error
}

// Image returns the result as a top-down image (rows reversed). Values are
// coloured with p.
func (r *Result) Image(p *stretch.Params) (*image.NRGBA, error) {
	rgba := r.RGBA
	if rgba == nil {
		var err error
		if rgba, err = colorize(r.Values, p); err != nil {
			return nil, err
		}
	}
	return toImage(rgba, r.Width, r.Height), nil
}

func toImage(rgba []uint8, w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for j := 0; j < h; j++ {
		copy(img.Pix[(h-1-j)*img.Stride:(h-1-j)*img.Stride+4*w], rgba[4*j*w:4*(j+1)*w])
	}
	return img
}

func colorize(values []float32, p *stretch.Params) ([]uint8, error) {
	if p == nil {
		return nil, errors.New("raster: no stretch for a data layer")
	}
	z, err := p.Compile()
	if err != nil {
		return nil, fmt.Errorf("raster: stretch: %w", err)
	}
	out := make([]uint8, 4*len(values))
	if err := z.ColorizeF32(out, values); err != nil {
		return nil, fmt.Errorf("raster: stretch: %w", err)
	}
	return out, nil
}

func errOrder(order, width int) error {
	return fmt.Errorf("raster: tile order %d with %d-pixel tiles is deeper than HEALPix order %d", order, width, healpix.MaxOrder)
}

// DefaultStretch returns the stretch a FITS HiPS suggests: linear grey
// between hips_pixel_cut (else hips_data_range); ok is false when the
// properties give neither.
func DefaultStretch(p *hips.Properties) (stretch.Params, bool) {
	lo, hi, name, ok, err := p.PixelCut()
	if !ok || err != nil {
		lo, hi, ok, err = p.DataRange()
		name = ""
	}
	if !ok || err != nil {
		return stretch.Params{}, false
	}
	sp := stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindLinear}
	if name != "" {
		if k, err := stretch.ParseKind(name); err == nil && k != stretch.KindHistEq {
			sp.Kind = k
		}
	}
	return sp, true
}

// PixelScale returns the size in degrees of one output pixel at the centre
// of the grid: the smaller of its two sides.
func PixelScale(g Grid) (float64, error) {
	cx, cy := float64(g.Width+1)/2, float64(g.Height+1)/2
	lon0, lat0, ok0 := g.WCS.PixelToWorld(cx, cy)
	lon1, lat1, ok1 := g.WCS.PixelToWorld(cx+1, cy)
	lon2, lat2, ok2 := g.WCS.PixelToWorld(cx, cy+1)
	if !ok0 || !ok1 || !ok2 {
		return 0, errors.New("raster: the centre of the output grid is off the sky")
	}
	d := math.Min(sky.Separation(lon0, lat0, lon1, lat1), sky.Separation(lon0, lat0, lon2, lat2))
	if !(d > 0) {
		return 0, errors.New("raster: degenerate output WCS (zero pixel size)")
	}
	return d, nil
}

// hipsFrame returns the sky frame of a HiPS frame: ICRS, galactic, or the
// J2000 mean ecliptic (HiPS 1.0; not B1950).
func hipsFrame(f hips.Frame) sky.Frame {
	switch f {
	case hips.Galactic:
		return sky.FrameGalactic
	case hips.Ecliptic:
		return sky.FrameEclipticBarycentric
	}
	return sky.FrameICRS
}

// WCSFrame returns the sky frame of a WCS's world coordinates (RADESYS and
// EQUINOX with WCSLIB's defaults, through sky.FrameFromFITS).
func WCSFrame(f wcs.Frame) (sky.Frame, error) {
	fr, err := sky.FrameFromFITS(f.LonType, f.RADESYS, f.Equinox)
	if err != nil {
		return sky.Frame{}, fmt.Errorf("raster: %s coordinates cannot be related to a HiPS: %w", f.Name, err)
	}
	return fr, nil
}

func workers(o Options) int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// parallelRows runs f over rows [0, h) in chunks on n goroutines.
func parallelRows(ctx context.Context, n, h int, stage string, progress func(string, int, int), f func(j int)) error {
	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				j := int(next.Add(1) - 1)
				if j >= h {
					return
				}
				f(j)
				d := int(done.Add(1))
				if progress != nil && (d%64 == 0 || d == h) {
					mu.Lock()
					progress(stage, d, h)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// RenderLayer samples one HiPS layer on the grid: physical values for FITS
// tiles, colours for JPEG/PNG/WebP tiles.
func RenderLayer(ctx context.Context, g Grid, l Layer, opt Options) (*Result, error) {
	if g.WCS == nil || g.Width <= 0 || g.Height <= 0 || int64(g.Width)*int64(g.Height) > MaxPixels {
		return nil, fmt.Errorf("raster: output grid %d×%d invalid (at most %d pixels)", g.Width, g.Height, MaxPixels)
	}
	s := l.Survey
	if s == nil {
		return nil, errors.New("raster: layer without a HiPS")
	}
	order := l.Order
	if order == AutoOrder {
		px, err := PixelScale(g)
		if err != nil {
			return nil, err
		}
		order = hips.ViewOrder(px, 1, s.Width, s.OrderMin, s.Order)
	}
	if order < 0 || order > s.Order {
		return nil, fmt.Errorf("raster: tile order %d outside the HiPS orders 0..%d", order, s.Order)
	}
	gm, err := newGeom(order, s.Width, l.Sampling == Bilinear)
	if err != nil {
		return nil, err
	}
	if l.CubeFrame < 0 {
		return nil, fmt.Errorf("raster: cube frame %d", l.CubeFrame)
	}
	gm.frame = l.CubeFrame
	from, err := WCSFrame(g.WCS.Frame)
	if err != nil {
		return nil, err
	}
	var tr *sky.Transform
	if to := hipsFrame(s.Frame); from != to {
		if tr, err = sky.NewTransform(from, to); err != nil {
			return nil, fmt.Errorf("raster: frame conversion: %w", err)
		}
	}
	W, H := g.Width, g.Height
	nw := workers(opt)

	// Pass 1: sky position of every pixel as a fine nested index, and the
	// set of tiles the samples need.
	cells := make([]int64, W*H)
	tmask := int64(1)<<uint(gm.shift) - 1
	tileSets := make([]map[hips.TileID]bool, H)
	err = parallelRows(ctx, nw, H, "positions", opt.Progress, func(j int) {
		set := map[hips.TileID]bool{}
		var last tkey
		haveLast := false
		for i := 0; i < W; i++ {
			lon, lat, ok := g.WCS.PixelToWorld(float64(i+1), float64(j+1))
			if ok && tr != nil {
				lon, lat = tr.Convert(lon, lat)
				ok = !math.IsNaN(lon)
			}
			if !ok {
				cells[j*W+i] = -1
				continue
			}
			fine := healpix.AngToNest(gm.fineOrder, lon, lat)
			cells[j*W+i] = fine
			// Cells inside a tile (not on its border) only need their own
			// tile; border cells may sample the neighbouring tiles.
			var cs [4]cellRef
			n := 1
			face, fx, fy := healpix.NestToFXY(gm.fineOrder, fine)
			cs[0] = cellRef{face, fx >> uint(gm.extra), fy >> uint(gm.extra)}
			if lx, ly := cs[0].x&tmask, cs[0].y&tmask; gm.bilinear && (lx == 0 || ly == 0 || lx == tmask || ly == tmask) {
				cs, _, n = gm.samples(fine)
			}
			for k := 0; k < n; k++ {
				key := tkey{cs[k].face, cs[k].x >> uint(gm.shift), cs[k].y >> uint(gm.shift)}
				if haveLast && key == last {
					continue
				}
				id, _, _ := gm.tileOf(cs[k])
				set[id] = true
				last, haveLast = key, true
			}
		}
		tileSets[j] = set
	})
	if err != nil {
		return nil, err
	}
	all := map[hips.TileID]bool{}
	for _, set := range tileSets {
		for id := range set {
			all[id] = true
		}
	}
	ids := make([]hips.TileID, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	if opt.Progress != nil {
		opt.Progress("tiles", 0, len(ids))
	}
	tiles, warn := s.Tiles(ctx, ids)
	if tiles == nil {
		return nil, warn
	}
	if opt.Progress != nil {
		opt.Progress("tiles", len(ids), len(ids))
	}
	res := &Result{Width: W, Height: H, Order: order, Tiles: len(ids), Warnings: warn}
	color := s.Format != hips.FormatFITS
	if color {
		res.RGBA = make([]uint8, 4*W*H)
	} else {
		res.Values = make([]float32, W*H)
	}
	nan := float32(math.NaN())
	err = parallelRows(ctx, nw, H, "sampling", opt.Progress, func(j int) {
		var lastKey tkey
		var lastImg *hips.Image
		haveLast := false
		mask := int64(1)<<uint(gm.shift) - 1
		tw := int64(1) << uint(gm.shift)
		lookup := func(c cellRef) (*hips.Image, int) {
			key := tkey{c.face, c.x >> uint(gm.shift), c.y >> uint(gm.shift)}
			if !haveLast || key != lastKey {
				lastKey, haveLast = key, true
				lastImg = nil
				id, _, _ := gm.tileOf(c)
				if t := tiles[id]; t != nil {
					lastImg = t.Image
				}
			}
			if lastImg == nil {
				return nil, 0
			}
			// col = y mod w, row = w-1 - (x mod w): see hips.FXYTilePixel.
			return lastImg, int((tw-1-(c.x&mask))*tw + (c.y & mask))
		}
		for i := 0; i < W; i++ {
			p := j*W + i
			fine := cells[p]
			if fine < 0 {
				if !color {
					res.Values[p] = nan
				}
				continue
			}
			cs, ws, n := gm.samples(fine)
			if color {
				var acc [4]float64
				for k := 0; k < n; k++ {
					im, idx := lookup(cs[k])
					if im == nil {
						continue // blank: transparent
					}
					px := im.RGBA[4*idx : 4*idx+4]
					a := float64(px[3]) * ws[k]
					acc[0] += float64(px[0]) * a
					acc[1] += float64(px[1]) * a
					acc[2] += float64(px[2]) * a
					acc[3] += a
				}
				if acc[3] > 0 {
					o := res.RGBA[4*p : 4*p+4]
					o[0] = uint8(math.Min(255, acc[0]/acc[3]+0.5))
					o[1] = uint8(math.Min(255, acc[1]/acc[3]+0.5))
					o[2] = uint8(math.Min(255, acc[2]/acc[3]+0.5))
					// Blank samples count as transparent.
					o[3] = uint8(math.Min(255, acc[3]/totalWeight(ws, n)+0.5))
				}
				continue
			}
			var acc, wsum float64
			for k := 0; k < n; k++ {
				im, idx := lookup(cs[k])
				if im == nil {
					continue
				}
				v := im.Data[idx]
				if v != v {
					continue
				}
				acc += float64(v) * ws[k]
				wsum += ws[k]
			}
			if wsum > 0 {
				res.Values[p] = float32(acc / wsum)
			} else {
				res.Values[p] = nan
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// tkey identifies a tile by its base face and face coordinates.
type tkey struct {
	face   int
	tx, ty int64
}

func totalWeight(ws [4]float64, n int) float64 {
	var t float64
	for k := 0; k < n; k++ {
		t += ws[k]
	}
	return t
}

// Render draws layers bottom first with alpha blending ("over") into RGBA
// (FITS row order). FITS layers are coloured with their Stretch (or
// DefaultStretch). It returns the blended colours, the per-layer results and
// the tile warnings of all layers.
func Render(ctx context.Context, g Grid, layers []Layer, opt Options) ([]uint8, []*Result, error) {
	W, H := g.Width, g.Height
	if int64(W)*int64(H) > MaxPixels || W <= 0 || H <= 0 {
		return nil, nil, fmt.Errorf("raster: output grid %d×%d invalid", W, H)
	}
	// Premultiplied accumulation.
	acc := make([]float32, 4*W*H)
	var results []*Result
	for li, l := range layers {
		r, err := RenderLayer(ctx, g, l, opt)
		if err != nil {
			return nil, nil, fmt.Errorf("raster: layer %d: %w", li+1, err)
		}
		results = append(results, r)
		rgba := r.RGBA
		if rgba == nil {
			sp := l.Stretch
			if sp == nil {
				d, ok := DefaultStretch(l.Survey.Props)
				if !ok {
					lo, hi := finiteRange(r.Values)
					d = stretch.Params{Lo: lo, Hi: hi}
				}
				sp = &d
			}
			if rgba, err = colorize(r.Values, sp); err != nil {
				return nil, nil, err
			}
		}
		op := float32(l.Opacity)
		if op < 0 {
			op = 0
		} else if op > 1 {
			op = 1
		}
		for p := 0; p < W*H; p++ {
			a := float32(rgba[4*p+3]) / 255 * op
			if a == 0 {
				continue
			}
			for c := 0; c < 3; c++ {
				acc[4*p+c] = float32(rgba[4*p+c])/255*a + acc[4*p+c]*(1-a)
			}
			acc[4*p+3] = a + acc[4*p+3]*(1-a)
		}
	}
	out := make([]uint8, 4*W*H)
	for p := 0; p < W*H; p++ {
		a := acc[4*p+3]
		if a <= 0 {
			continue
		}
		for c := 0; c < 3; c++ {
			out[4*p+c] = uint8(math.Min(255, float64(acc[4*p+c]/a*255+0.5)))
		}
		out[4*p+3] = uint8(math.Min(255, float64(a*255+0.5)))
	}
	var warns []error
	for _, r := range results {
		if r.Warnings != nil {
			warns = append(warns, r.Warnings)
		}
	}
	return out, results, errors.Join(warns...)
}

// ToImage converts FITS-row-order RGBA to a top-down image.
func ToImage(rgba []uint8, w, h int) *image.NRGBA { return toImage(rgba, w, h) }

func finiteRange(v []float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

package view

import (
	"fmt"
	"math"
	"slices"

	"github.com/skyglass/skyglass/internal/draw"
)

// Large images are not uploaded whole. A preview texture (the plane
// point-sampled down to at most lodPreviewSide pixels on its long side) is
// always drawn; where the screen shows image pixels finer than the preview's,
// the full-resolution tiles (chunks of lodTile pixels) in view are uploaded
// on demand, a few per frame, and drawn over it. Tiles out of view are
// dropped once more than lodBudgetBytes are resident, least recently drawn
// first. The GPU then holds a few MB at any zoom instead of the whole plane
// (64 MB for 4096² float32), and opening does not wait for the full upload.
// Every value drawn is a pixel value of the plane: the preview samples
// pixels, it does not average them.

const (
	// lodMinPixels: planes with more pixels than this are drawn this way.
	lodMinPixels = 2048 * 2048
	// lodTile is the side of a full-resolution tile.
	lodTile = 512
	// lodPreviewSide bounds the long side of the preview texture.
	lodPreviewSide = 1024
	// lodBudgetBytes bounds the full-resolution tiles kept on the GPU (tiles
	// drawn in the current frame are always kept).
	lodBudgetBytes = 24 << 20
	// lodUploadsPerFrame bounds the tiles uploaded in one frame (the view asks
	// for another frame while tiles in view are missing).
	lodUploadsPerFrame = 4
)

// imageLOD is the state of an image drawn as preview + tiles.
type imageLOD struct {
	preview  *imgChunk           // the whole image, textured by the preview
	pw, ph   int                 // preview size
	resident map[*imgChunk]int64 // tile -> frame it was last drawn
	bytes    int64               // bytes of resident tiles
	budget   int64               // bound on bytes, lodBudgetBytes (tests lower it)
	// maskTiles: tiles whose mask texture is uploaded (a mask is shown). The
	// preview's mask is the OR of the flags of the pixels each texel covers,
	// so that a flagged pixel stays visible zoomed out.
	maskTiles map[*imgChunk]bool
}

// lodFor reports whether a w×h plane is drawn as preview + tiles.
func lodFor(w, h int) bool { return int64(w)*int64(h) > lodMinPixels }

// setupLOD makes the preview geometry of an image whose chunks are the
// full-resolution tiles (layout has run); queueUploads asks for its texture.
func (im *imageOverlay) setupLOD(v *View) {
	f := float64(max(im.w, im.h)) / lodPreviewSide
	pw, ph := max(1, int(math.Ceil(float64(im.w)/f))), max(1, int(math.Ceil(float64(im.h)/f)))
	p := &imgChunk{key: fmt.Sprintf("%simage%d:preview", v.keyPrefix, im.id), x0: 0, y0: 0, w: im.w, h: im.h}
	// The preview's cells are 32 preview texels (as an image's are 32 pixels),
	// still at most about 2° on the sky: a 4096² image has 33² grid vertices
	// to place through its WCS, not 129².
	step := max(im.step, min(int(32*f), im.skyStep))
	p.gx = gridLine(0, im.w, step)
	p.gy = gridLine(0, im.h, step)
	p.nx, p.ny = len(p.gx), len(p.gy)
	im.lod = &imageLOD{preview: p, pw: pw, ph: ph, resident: map[*imgChunk]int64{}, budget: lodBudgetBytes, maskTiles: map[*imgChunk]bool{}}
	im.placeLODGrid()
}

// placeLODGrid places the preview's grid vertices on the sky.
func (im *imageOverlay) placeLODGrid() {
	if im.lod != nil {
		placeChunkGrid(im, im.lod.preview)
	}
}

// previewData samples the plane down to the preview: texel (i, j) holds the
// pixel at the centre of the span of pixels it covers.
func (im *imageOverlay) previewData() []float32 {
	l := im.lod
	out := make([]float32, l.pw*l.ph)
	cols := make([]int, l.pw)
	for i := range cols {
		cols[i] = min(im.w-1, int((float64(i)+0.5)*float64(im.w)/float64(l.pw)))
	}
	for j := range l.ph {
		row := min(im.h-1, int((float64(j)+0.5)*float64(im.h)/float64(l.ph))) * im.w
		o := out[j*l.pw : (j+1)*l.pw]
		for i, c := range cols {
			o[i] = im.data[row+c]
		}
	}
	return out
}

// queuePreview asks for the preview texture; the tiles uploaded before (a
// new plane, a lost context) are forgotten, to be uploaded again when drawn.
func (im *imageOverlay) queuePreview(v *View) {
	l := im.lod
	v.uploads = append(v.uploads, Upload{Key: l.preview.key, W: l.pw, H: l.ph, Data: im.previewData(), Nearest: true})
	for c := range l.resident {
		v.deletes = append(v.deletes, c.key)
	}
	for c := range l.maskTiles {
		v.deletes = append(v.deletes, maskKey(c))
	}
	clear(l.resident)
	clear(l.maskTiles)
	l.bytes = 0
}

// queueMaskPreview asks for the preview's mask texture: each texel the OR of
// the flags of the pixels it covers.
func (im *imageOverlay) queueMaskPreview(v *View) {
	l, m := im.lod, im.mask
	out := make([]uint32, l.pw*l.ph)
	// Texel i of pn shows the pixels whose centres sample it: those x with
	// i ≤ (x+0.5)·pn/n < i+1 (nearest sampling).
	start := func(i, n, pn int) int { return min(n, int(math.Floor(float64(i)*float64(n)/float64(pn)+0.5))) }
	span := func(i, n, pn int) (int, int) {
		a := start(i, n, pn)
		return a, max(a+1, start(i+1, n, pn))
	}
	for j := range l.ph {
		y0, y1 := span(j, im.h, l.ph)
		for i := range l.pw {
			x0, x1 := span(i, im.w, l.pw)
			var f uint32
			for y := y0; y < y1; y++ {
				for _, b := range m.data[y*im.w+x0 : y*im.w+x1] {
					f |= b
				}
			}
			out[j*l.pw+i] = f
		}
	}
	v.uploads = append(v.uploads, Upload{Key: maskKey(l.preview), W: l.pw, H: l.ph, Ints: out})
}

// needsTiles reports whether the screen shows image pixels finer than the
// preview's texels near the view centre (or the image centre, if that is
// not on the image).
func (im *imageOverlay) needsTiles(v *View) bool {
	l := im.lod
	x, y, ok := im.pixelOf(v.cam.Lon, v.cam.Lat)
	if !ok || x < 0.5 || y < 0.5 || x > float64(im.w)+0.5 || y > float64(im.h)+0.5 {
		x, y = float64(im.w+1)/2, float64(im.h+1)/2
	}
	pix, ok := im.pixelScale(x, y) // degrees per image pixel
	if !ok {
		return false
	}
	texel := pix * float64(im.w) / float64(l.pw)     // degrees per preview texel
	screen := v.cam.Scale() / math.Max(v.cam.DPR, 1) // degrees per device pixel
	return texel > 1.5*screen
}

// drawLOD draws the preview and, where needed, the full-resolution tiles in
// view over it.
func (im *imageOverlay) drawLOD(v *View, dl *draw.List) {
	l := im.lod
	tiles := im.needsTiles(v)
	masked := im.mask != nil && im.mask.shown
	if !tiles {
		im.drawChunk(v, dl, l.preview, true) // the preview, with its mask
		return
	}
	frame := int64(v.frames)
	uploads := 0
	missing := false
	var draws []*imgChunk
	for _, c := range im.chunks {
		_, have := l.resident[c]
		if !have && im.chunkOnScreen(v, c) {
			if uploads < lodUploadsPerFrame {
				v.uploads = append(v.uploads, Upload{Key: c.key, W: c.w, H: c.h, Data: chunkOf(im.data, im.w, im.h, c), Nearest: true})
				l.bytes += int64(c.w) * int64(c.h) * 4
				uploads++
				have = true
				l.resident[c] = frame
			} else {
				missing = true
				v.dirty = true // more tiles in view: another frame
			}
		}
		if have && masked && !l.maskTiles[c] {
			v.uploads = append(v.uploads, Upload{Key: maskKey(c), W: c.w, H: c.h, Ints: chunkOf(im.mask.data, im.w, im.h, c)})
			l.maskTiles[c] = true
		}
		if have {
			draws = append(draws, c)
		}
	}
	// The preview under the tiles only while some tile in view is missing:
	// drawing it under a complete set would fill the canvas twice.
	if missing {
		im.drawChunk(v, dl, l.preview, true)
	}
	for _, c := range draws {
		if im.drawChunk(v, dl, c, true) {
			l.resident[c] = frame
		}
	}
	// Over budget: drop the tiles drawn longest ago (never this frame's).
	if l.bytes > l.budget {
		old := make([]*imgChunk, 0, len(l.resident))
		for c, f := range l.resident {
			if f < frame {
				old = append(old, c)
			}
		}
		slices.SortFunc(old, func(a, b *imgChunk) int { return int(l.resident[a] - l.resident[b]) })
		for _, c := range old {
			if l.bytes <= l.budget {
				break
			}
			delete(l.resident, c)
			l.bytes -= int64(c.w) * int64(c.h) * 4
			v.deletes = append(v.deletes, c.key)
			if l.maskTiles[c] {
				delete(l.maskTiles, c)
				v.deletes = append(v.deletes, maskKey(c))
			}
		}
	}
}

// chunkOnScreen reports whether any grid vertex of a chunk is on the
// projection and not all of them are beyond one edge of the canvas.
func (im *imageOverlay) chunkOnScreen(v *View, c *imgChunk) bool {
	im.ensureGrid(c)
	if c.screenGen == v.gen {
		return c.onScreen
	}
	var s sides
	for k := 0; k+1 < len(c.lonlat); k += 2 {
		x, y, ok := v.WorldToPixel(c.lonlat[k], c.lonlat[k+1])
		s.point(ok, x, y, 0, 0, v.cam.Width, v.cam.Height)
	}
	c.screenGen, c.onScreen = v.gen, !s.off()
	return c.onScreen
}

// lodKeys returns the texture keys an LOD image may hold (preview and tiles).
func (im *imageOverlay) lodKeys() []string {
	if im.lod == nil {
		return nil
	}
	return []string{im.lod.preview.key}
}

// TakeDeletes returns the textures the view no longer needs (tiles of large
// images dropped from the GPU); the host deletes them.
func (v *View) TakeDeletes() []string {
	d := v.deletes
	v.deletes = nil
	return d
}

package view

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/stretch"
)

// ErrNotFound is what a host reports for a resource the server does not have
// (HTTP 404): for a HiPS tile it means an empty tile, not a failure.
var ErrNotFound = errors.New("not found")

// hipsLayer is one HiPS survey. Its Allsky image is the base, always drawn
// underneath; deeper tiles are chosen per frame by internal/hips (the order
// at which a tile pixel is about a screen pixel, the tiles in the view, their
// loaded ancestors as fallbacks) and live in texture-array pages, so that a
// frame is one draw call per page.
type hipsLayer struct {
	id      int
	base    string
	opacity float64
	err     error

	props    *hips.Properties
	width    int // hips_tile_width
	orderMin int
	orderMax int
	format   hips.Format
	// wantFormat is the tile format asked for (empty: the best one listed).
	wantFormat hips.Format
	data       bool      // FITS tiles: physical values, stretched on the GPU
	allskyData []float32 // the Allsky's physical values (FITS), for intervals
	full       bool      // load tiles finer than the source data too
	// sourceScale is s_pixel_scale, the pixel size of the source data in
	// degrees (0 when unknown): tiles finer than it add nothing.
	sourceScale float64
	display     // display setting of FITS tiles and its parameters
	frame       sky.Frame
	toView      *sky.Transform // HiPS frame -> view frame; nil when they are the same
	toHiPS      *sky.Transform // view frame -> HiPS frame
	moc         *healpix.MOC
	mocDone     bool

	allskyOrder int
	allskyReady bool
	allskyTW    int // Allsky tile width, pixels
	atlasW      int // Allsky image size, pixels
	atlasH      int

	tiles    map[hips.TileID]*tileEntry
	pool     slotPool
	geo      map[geoKey][]float64 // tile mesh vertices (lon, lat in the view frame)
	inflight int
}

type geoKey struct {
	order int
	pix   int64
	cells int
}

type tileState int

const (
	tileLoading tileState = iota
	tileReady
	tileMissing // 404: drawn as nothing, never fetched again
)

type tileEntry struct {
	state tileState
	slot  int
	used  int       // last frame that drew it
	data  []float32 // FITS tiles: the physical values, rows top-down (for readouts)
}

// Limits of the tile machinery.
const (
	maxInflight  = 8        // tile requests in flight per layer
	pageBytes    = 16 << 20 // RGBA bytes of one texture-array page
	maxPages     = 8        // pages per layer (bounds GPU memory)
	maxGeoCached = 8192
)

func (l *hipsLayer) key(what string) string { return fmt.Sprintf("hips%d:%s", l.id, what) }

func (l *hipsLayer) tileKey(id hips.TileID) string {
	return fmt.Sprintf("hips%d:tile:%d:%d", l.id, id.Order, id.Pix)
}

// hipsSkyFrame maps a HiPS frame to a sky frame (ecliptic is J2000, HiPS 1.0).
func hipsSkyFrame(f hips.Frame) sky.Frame {
	switch f {
	case hips.Galactic:
		return sky.Frame{Kind: sky.Galactic}
	case hips.Ecliptic:
		return sky.Frame{Kind: sky.EclipticBarycentric}
	}
	return sky.Frame{Kind: sky.ICRS}
}

func (l *hipsLayer) fail(format string, args ...any) {
	l.err = fmt.Errorf("HiPS %s: "+format, append([]any{l.base}, args...)...)
}

func (l *hipsLayer) textLoaded(v *View, key, text string, err error) []Request {
	if key != l.key("properties") {
		return nil
	}
	if err != nil {
		l.fail("properties: %w", err)
		return nil
	}
	p, err := hips.ParseProperties(strings.NewReader(text))
	if err != nil {
		l.fail("properties: %w", err)
		return nil
	}
	l.props = p
	if l.width, err = p.TileWidth(); err != nil {
		l.fail("%w", err)
		return nil
	}
	if l.orderMax, err = p.Order(); err != nil {
		l.fail("%w", err)
		return nil
	}
	if l.orderMin, err = p.OrderMin(); err != nil {
		l.orderMin = 0
	}
	fr, err := p.Frame()
	if err != nil {
		l.fail("%w", err)
		return nil
	}
	l.frame = hipsSkyFrame(fr)
	if err := l.setViewFrame(v.frame); err != nil {
		l.fail("%w", err)
		return nil
	}
	if l.wantFormat == "jpg" {
		l.wantFormat = hips.FormatJPEG
	}
	switch {
	case l.wantFormat == hips.FormatFITS || (l.wantFormat == "" && !hasImageFormat(p.Formats()) && p.HasFormat(hips.FormatFITS)):
		if !p.HasFormat(hips.FormatFITS) {
			l.fail("no FITS tiles (hips_tile_format = %q)", p.String("hips_tile_format"))
			return nil
		}
		l.format, l.data = hips.FormatFITS, true
		if err := l.apply(defaultStretch(p), nil); err != nil {
			l.fail("display from properties: %w", err)
			return nil
		}
	case l.wantFormat != "":
		if !l.wantFormat.IsImage() || !p.HasFormat(l.wantFormat) {
			l.fail("tile format %q is not one the browser draws among %q", l.wantFormat, p.String("hips_tile_format"))
			return nil
		}
		l.format = l.wantFormat
	default:
		var ok bool
		if l.format, ok = browserFormat(p.Formats()); !ok {
			l.fail("no tile format in %q that the viewer draws", p.String("hips_tile_format"))
			return nil
		}
	}
	if sc, err := strconv.ParseFloat(strings.TrimSpace(p.String("s_pixel_scale")), 64); err == nil && sc > 0 {
		l.sourceScale = sc
	}
	l.allskyOrder = min(3, l.orderMax)
	l.pool = newSlotPool(l.id, l.width, l.data)
	l.tiles = map[hips.TileID]*tileEntry{}
	l.geo = map[geoKey][]float64{}
	return []Request{l.allskyRequest(), {Key: l.key("moc"), URL: l.base + "/Moc.fits", Kind: Bytes}}
}

// allskyRequest asks for the Allsky image: decoded by the browser for colour
// tiles, fetched as bytes and decoded in Go for FITS.
func (l *hipsLayer) allskyRequest() Request {
	kind := Image
	if l.data {
		kind = Bytes
	}
	return Request{Key: l.key("allsky"), URL: fmt.Sprintf("%s/%s", l.base, hips.AllskyPath(l.allskyOrder, 0, l.format)), Kind: kind}
}

func hasImageFormat(fs []hips.Format) bool {
	_, ok := browserFormat(fs)
	return ok
}

// defaultStretch returns the display setting a HiPS of FITS tiles announces:
// the manual interval hips_pixel_cut (with its optional stretch word), else
// hips_data_range, linear, grey.
func defaultStretch(p *hips.Properties) ImageStretch {
	s := ImageStretch{Interval: "manual", Min: 0, Max: 1, Stretch: "linear", Colormap: "grey", Contrast: 1, Bias: 0.5}
	if lo, hi, st, ok, err := p.PixelCut(); err == nil && ok {
		s.Min, s.Max = lo, hi
		if _, err := stretch.ParseKind(st); err == nil && st != "" {
			s.Stretch = st
		}
	} else if lo, hi, ok, err := p.DataRange(); err == nil && ok {
		s.Min, s.Max = lo, hi
	}
	if !(s.Max > s.Min) {
		s.Max = s.Min + 1
	}
	return s
}

// setStretch changes the display setting of a FITS-tile layer; intervals
// other than manual are computed from the Allsky's values.
func (l *hipsLayer) setStretch(s ImageStretch) error {
	if !l.data {
		return errors.New("view: this HiPS has colour tiles; stretches apply to FITS tiles")
	}
	return l.apply(s, l.allskyData)
}

// browserFormat picks the tile format the browser decodes best.
func browserFormat(fs []hips.Format) (hips.Format, bool) {
	for _, want := range []hips.Format{hips.FormatWebP, hips.FormatPNG, hips.FormatJPEG} {
		for _, f := range fs {
			if f == want {
				return f, true
			}
		}
	}
	return "", false
}

func (l *hipsLayer) setViewFrame(f sky.Frame) error {
	l.toView, l.toHiPS = nil, nil
	if l.frame != f {
		t, err := sky.NewTransform(l.frame, f)
		if err != nil {
			return err
		}
		back, err := sky.NewTransform(f, l.frame)
		if err != nil {
			return err
		}
		l.toView, l.toHiPS = t, back
	}
	l.geo = map[geoKey][]float64{}
	return nil
}

func (l *hipsLayer) bytesLoaded(v *View, key string, b []byte, err error) {
	if l.data && key == l.key("allsky") {
		l.allskyFITS(v, b, err)
		return
	}
	if l.data && strings.HasPrefix(key, l.key("tile:")) {
		l.tileFITS(v, key, b, err)
		return
	}
	if key != l.key("moc") {
		return
	}
	l.mocDone = true
	if err != nil {
		return // Moc.fits is optional
	}
	if m, err := healpix.ReadMOC(strings.NewReader(string(b))); err == nil {
		l.moc = m
	}
}

// flipRows returns the rows of a FITS-order image top-down (as displayed).
func flipRows(data []float32, w, h int) []float32 {
	out := make([]float32, len(data))
	for r := range h {
		copy(out[r*w:(r+1)*w], data[(h-1-r)*w:(h-r)*w])
	}
	return out
}

// allskyFITS decodes Allsky.fits and queues its upload.
func (l *hipsLayer) allskyFITS(v *View, b []byte, err error) {
	if err != nil {
		l.fail("Allsky: %w", err)
		return
	}
	im, err := hips.DecodeImage(b, hips.FormatFITS)
	if err != nil {
		l.fail("Allsky: %w", err)
		return
	}
	if im.Data == nil {
		l.fail("Allsky.fits holds no data values")
		return
	}
	cols, rows := allskyGrid(l.allskyOrder)
	if im.Width%cols != 0 || im.Width/cols*rows > im.Height {
		l.fail("Allsky image is %dx%d, not a grid of %d columns of square tiles", im.Width, im.Height, cols)
		return
	}
	top := flipRows(im.Data, im.Width, im.Height)
	v.uploads = append(v.uploads, Upload{Key: l.key("allsky"), W: im.Width, H: im.Height, Data: top})
	l.allskyData = top
	l.atlasW, l.atlasH, l.allskyTW = im.Width, im.Height, im.Width/cols
	l.allskyReady = true
}

// tileFITS decodes a FITS tile into its slot.
func (l *hipsLayer) tileFITS(v *View, key string, b []byte, err error) {
	id, t, ok := l.loadingTile(key)
	if !ok {
		return
	}
	if err == nil {
		var im *hips.Image
		if im, err = hips.DecodeTile(b, hips.FormatFITS, l.width); err == nil {
			if im.Data == nil {
				err = errors.New("FITS tile holds no data values")
			} else {
				layer, x, y := l.pool.where(t.slot)
				page := l.pool.page(t.slot)
				top := flipRows(im.Data, im.Width, im.Height)
				t.data = top
				v.uploads = append(v.uploads, Upload{Key: key, W: im.Width, H: im.Height, Data: top,
					Slot: Slot{Page: l.pool.pages[page], Size: l.pool.size, Depth: l.pool.depth, Layer: layer, X: x, Y: y, Float: true}})
				l.finishTile(id, t, l.width, l.width, nil)
				return
			}
		}
	}
	l.finishTile(id, t, 0, 0, err)
}

// loadingTile finds the loading tile of a request key.
func (l *hipsLayer) loadingTile(key string) (hips.TileID, *tileEntry, bool) {
	var id hips.TileID
	if _, e := fmt.Sscanf(strings.TrimPrefix(key, l.key("tile:")), "%d:%d", &id.Order, &id.Pix); e != nil {
		return id, nil, false
	}
	t, ok := l.tiles[id]
	if !ok || t.state != tileLoading {
		return id, nil, false
	}
	return id, t, true
}

// finishTile records the outcome of a tile load.
func (l *hipsLayer) finishTile(id hips.TileID, t *tileEntry, w, h int, err error) {
	l.inflight--
	switch {
	case err == nil && (w != l.width || h != l.width):
		// A wrong-size tile is unusable; draw the fallback instead.
		l.pool.release(t.slot)
		t.state, t.slot = tileMissing, -1
	case err == nil:
		t.state = tileReady
	default:
		l.pool.release(t.slot)
		t.state, t.slot = tileMissing, -1
	}
}

// imageLoaded handles the Allsky image and the tiles.
func (l *hipsLayer) imageLoaded(key string, w, h int, err error) {
	if key == l.key("allsky") {
		if err != nil {
			l.fail("Allsky: %w", err)
			return
		}
		cols, rows := allskyGrid(l.allskyOrder)
		if w <= 0 || h <= 0 || w%cols != 0 || w/cols*rows > h {
			l.fail("Allsky image is %dx%d, not a grid of %d columns of square tiles", w, h, cols)
			return
		}
		l.atlasW, l.atlasH, l.allskyTW = w, h, w/cols
		l.allskyReady = true
		return
	}
	if !strings.HasPrefix(key, l.key("tile:")) {
		return
	}
	if id, t, ok := l.loadingTile(key); ok {
		l.finishTile(id, t, w, h, err)
	}
}

// allskyGrid returns the number of columns and rows of tiles in the Allsky
// mosaic of an order: tiles are laid out row by row, in nested order, in
// floor(sqrt(npix)) columns (27 at order 3).
func allskyGrid(order int) (cols, rows int) {
	cols = hips.AllskyColumns(order)
	npix := int(12 << (2 * order))
	rows = (npix + cols - 1) / cols
	return cols, rows
}

// viewInHiPS describes the view in the HiPS frame for tile selection.
func (l *hipsLayer) viewInHiPS(v *View) hips.View {
	w, h := v.cam.Width, v.cam.Height
	conv := l.fromView
	clon, clat := conv(v.cam.Lon, v.cam.Lat)
	hv := hips.View{Center: [2]float64{clon, clat}}
	radius := 0.0
	allValid := true
	var corners [][2]float64
	const n = 8
	for i := 0; i <= n; i++ {
		for _, p := range [][2]float64{{w * float64(i) / n, 0}, {w, h * float64(i) / n}, {w - w*float64(i)/n, h}, {0, h - h*float64(i)/n}} {
			lon, lat, ok := v.proj.PixelToWorld(p[0], p[1])
			if !ok {
				allValid = false
				continue
			}
			lon, lat = conv(lon, lat)
			radius = math.Max(radius, sky.Separation(clon, clat, lon, lat))
		}
	}
	if !allValid || radius > 90 {
		// The sky's limb or a seam is in the view: use a disc wide enough.
		radius = 180
		if v.cam.Fov < 170 {
			radius = math.Min(180, v.cam.Fov*0.75+5)
		}
	} else {
		for _, p := range [][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}} {
			lon, lat, _ := v.proj.PixelToWorld(p[0], p[1])
			lon, lat = conv(lon, lat)
			corners = append(corners, [2]float64{lon, lat})
		}
		hv.Outline = corners
	}
	hv.Radius = radius * 1.02
	return hv
}

// fromView converts view-frame coordinates to the HiPS frame.
func (l *hipsLayer) fromView(lon, lat float64) (float64, float64) {
	if l.toHiPS == nil {
		return lon, lat
	}
	return l.toHiPS.Convert(lon, lat)
}

// meshes builds the layer's draw meshes for the current view: the Allsky base,
// then the tiles of the plan from internal/hips, and queues tile loads.
func (l *hipsLayer) meshes(v *View, b *meshBuilder) []draw.Mesh {
	if l.err != nil || !l.allskyReady {
		return nil
	}
	var out []draw.Mesh
	var disp *stretch.Params
	if l.data {
		disp = l.params
	}
	hv := l.viewInHiPS(v)
	// Allsky base: only the tiles near the view (a tile of order k lies within
	// about 1.2·58.6°/2^k of its centre).
	b.begin(l.key("allsky"), l.opacity)
	reach := hv.Radius + 1.2*58.6/math.Ldexp(1, l.allskyOrder)
	cv := sky.Vec(hv.Center[0], hv.Center[1])
	cosReach := math.Cos(math.Min(reach, 180) * math.Pi / 180)
	cols, _ := allskyGrid(l.allskyOrder)
	tw := float64(l.allskyTW)
	ao := l.allskyOrder
	for ipix := int64(0); ipix < healpix.Npix(ao); ipix++ {
		if reach < 180 {
			tc := healpix.NestUVToVec(ao, ipix, 0.5, 0.5)
			if tc[0]*cv[0]+tc[1]*cv[1]+tc[2]*cv[2] < cosReach {
				continue
			}
		}
		c, r := float64(ipix%int64(cols)), float64(ipix/int64(cols))
		tex := func(u, vv float64) (float32, float32, float32) {
			s := (c*tw + 0.5 + vv*(tw-1)) / float64(l.atlasW)
			t := (r*tw + 0.5 + u*(tw-1)) / float64(l.atlasH)
			return float32(s), float32(t), 0
		}
		b.patch(v, l, ao, ipix, tex)
	}
	out = append(out, b.end(disp)...)

	// Deeper tiles, when the Allsky is not sharp enough.
	var cov hips.Coverage
	if l.moc != nil {
		cov = l.moc
	}
	loaded := func(id hips.TileID) bool {
		t, ok := l.tiles[id]
		return ok && t.state == tileReady
	}
	plan := hips.PlanView(hv, v.cam.Scale(), hips.PlanOptions{
		Width: l.width, OrderMin: l.orderMin, OrderMax: l.orderMax, DevicePixelRatio: v.cam.DPR,
		Coverage: cov, Loaded: loaded,
	})
	// Tiles are needed only where they are sharper than the Allsky: at the
	// plan's order, but never finer than the source data (s_pixel_scale).
	need := hips.TilePixelSize(plan.Order, l.width)
	if l.sourceScale > need && !l.full {
		need = l.sourceScale
	}
	if hips.TilePixelSize(l.allskyOrder, l.allskyTW) <= need*1.0001 || !l.mocDone {
		l.cancelAll(v)
		return out
	}
	wanted := map[hips.TileID]bool{}
	for _, w := range plan.Load {
		wanted[w.ID] = true
	}
	// Draw each visible tile from itself or its deepest loaded ancestor,
	// grouped by texture page.
	byPage := map[int][]int{}
	for i, src := range plan.Draw {
		if src.Order < 0 || src.Order <= l.allskyOrder && l.allskyTW >= l.width {
			continue // the Allsky already shows it as well
		}
		t := l.tiles[src]
		t.used = v.frames
		page := l.pool.page(t.slot)
		byPage[page] = append(byPage[page], i)
	}
	for page := 0; page < len(l.pool.pages); page++ {
		idx := byPage[page]
		if len(idx) == 0 {
			continue
		}
		b.begin(l.pool.pages[page], l.opacity)
		for _, i := range idx {
			dst, src := plan.Visible[i].ID, plan.Draw[i]
			t := l.tiles[src]
			layer, x0, y0 := l.pool.where(t.slot)
			d := dst.Order - src.Order
			_, tx, ty := healpix.NestToFXY(dst.Order, dst.Pix)
			mask := int64(1)<<uint(d) - 1
			lx, ly := float64(tx&mask), float64(ty&mask)
			scale := math.Ldexp(1, -d)
			size, twf := float64(l.pool.size), float64(l.width)
			tex := func(u, vv float64) (float32, float32, float32) {
				uu, vv2 := (lx+u)*scale, (ly+vv)*scale
				s := (float64(x0) + 0.5 + vv2*(twf-1)) / size
				tt := (float64(y0) + 0.5 + uu*(twf-1)) / size
				return float32(s), float32(tt), float32(layer)
			}
			b.patch(v, l, dst.Order, dst.Pix, tex)
		}
		out = append(out, b.end(disp)...)
	}
	// Cancel loads nobody wants any more, then start new ones.
	for id, t := range l.tiles {
		if t.state == tileLoading && !wanted[id] {
			v.cancels = append(v.cancels, l.tileKey(id))
			l.pool.release(t.slot)
			delete(l.tiles, id)
			l.inflight--
		}
	}
	for _, w := range plan.Load {
		if l.inflight >= maxInflight {
			break
		}
		if _, ok := l.tiles[w.ID]; ok {
			continue
		}
		slot, ok := l.pool.alloc(l.tiles, v.frames)
		if !ok {
			break
		}
		l.tiles[w.ID] = &tileEntry{state: tileLoading, slot: slot, used: v.frames}
		l.inflight++
		layer, x, y := l.pool.where(slot)
		req := Request{
			Key: l.tileKey(w.ID), URL: l.base + "/" + hips.TilePath(w.ID.Order, w.ID.Pix, l.format), Kind: Tile,
			Slot: Slot{Page: l.pool.pages[l.pool.page(slot)], Size: l.pool.size, Depth: l.pool.depth, Layer: layer, X: x, Y: y},
		}
		if l.data {
			req.Kind, req.Slot = Bytes, Slot{} // decoded in Go, uploaded from TakeUploads
		}
		v.requests = append(v.requests, req)
	}
	return out
}

// valueAt returns the physical value of a FITS-tile layer at an ICRS
// position: from the deepest loaded tile holding it, else from the Allsky.
func (l *hipsLayer) valueAt(v *View, ra, dec float64) (float64, bool) {
	if !l.data || !l.allskyReady {
		return 0, false
	}
	lon, lat := ra, dec
	if l.frame.Kind != sky.ICRS {
		lon, lat = sky.Convert(sky.Frame{Kind: sky.ICRS}, l.frame, ra, dec)
	}
	shift := func(w int) int {
		k := 0
		for 1<<k < w {
			k++
		}
		return k
	}
	// pixel returns the top-down (row, col) of the point in a w-wide tile of an order.
	pixel := func(order, w int) (int64, int, int) {
		k := shift(w)
		sub := healpix.AngToNest(order+k, lon, lat)
		if sub < 0 {
			return -1, 0, 0
		}
		_, fx, fy := healpix.NestToFXY(order+k, sub)
		m := int64(w - 1)
		return sub >> (2 * uint(k)), int(fx & m), int(fy & m)
	}
	for order := l.orderMax; order > l.allskyOrder; order-- {
		tile, row, col := pixel(order, l.width)
		if tile < 0 {
			return 0, false
		}
		if t, ok := l.tiles[hips.TileID{Order: order, Pix: tile}]; ok && t.state == tileReady && t.data != nil {
			return float64(t.data[row*l.width+col]), true
		}
	}
	tile, row, col := pixel(l.allskyOrder, l.allskyTW)
	if tile < 0 || len(l.allskyData) != l.atlasW*l.atlasH {
		return 0, false
	}
	cols, _ := allskyGrid(l.allskyOrder)
	r, c := int(tile)/cols, int(tile)%cols
	return float64(l.allskyData[(r*l.allskyTW+row)*l.atlasW+c*l.allskyTW+col]), true
}

// cancelAll cancels every tile load in flight.
func (l *hipsLayer) cancelAll(v *View) {
	for id, t := range l.tiles {
		if t.state == tileLoading {
			v.cancels = append(v.cancels, l.tileKey(id))
			l.pool.release(t.slot)
			delete(l.tiles, id)
			l.inflight--
		}
	}
}

// geometry returns the view-frame positions of the (cells+1)² mesh vertices of
// a HEALPix cell, cached.
func (l *hipsLayer) geometry(order int, pix int64, cells int) []float64 {
	k := geoKey{order, pix, cells}
	if g, ok := l.geo[k]; ok {
		return g
	}
	if len(l.geo) >= maxGeoCached {
		l.geo = map[geoKey][]float64{}
	}
	g := make([]float64, 0, (cells+1)*(cells+1)*2)
	for i := 0; i <= cells; i++ {
		for j := 0; j <= cells; j++ {
			lon, lat := l.pointAt(order, pix, float64(i)/float64(cells), float64(j)/float64(cells))
			g = append(g, lon, lat)
		}
	}
	l.geo[k] = g
	return g
}

// pointAt returns the view-frame position of (u, v) in a HEALPix cell. A
// corner on a pole has no longitude of its own; it is taken a hair inside the
// cell, so that it gets the cell's longitude (projections that turn the pole
// into a line, like CAR, then place it where the cell meets the pole).
func (l *hipsLayer) pointAt(order int, pix int64, u, v float64) (float64, float64) {
	lon, lat := healpix.NestUVToAng(order, pix, u, v)
	if math.Abs(lat) > 90-1e-9 {
		const eps = 1e-7
		lon, lat = healpix.NestUVToAng(order, pix, u+eps*(0.5-u), v+eps*(0.5-v))
	}
	if l.toView != nil {
		lon, lat = l.toView.Convert(lon, lat)
	}
	return lon, lat
}

// slotPool hands out tile-sized slots in texture-array pages: each page is a
// size×size×depth RGBA texture array holding perSide² tiles per layer.
type slotPool struct {
	layerID int
	float   bool
	tw      int
	size    int
	perSide int
	depth   int
	pages   []string
	free    []int
	nslots  int // slots created so far
	perPage int
}

func newSlotPool(layerID, tw int, float bool) slotPool {
	size := max(tw, 256)
	if size > 2048 {
		size = tw
	}
	per := size / tw
	depth := max(1, pageBytes/(size*size*4))
	return slotPool{layerID: layerID, float: float, tw: tw, size: size, perSide: per, depth: depth, perPage: per * per * depth}
}

func (p *slotPool) page(slot int) int { return slot / p.perPage }

// where returns the layer and pixel offset of a slot in its page.
func (p *slotPool) where(slot int) (layer, x, y int) {
	r := slot % p.perPage
	per := p.perSide * p.perSide
	layer = r / per
	k := r % per
	return layer, (k % p.perSide) * p.tw, (k / p.perSide) * p.tw
}

func (p *slotPool) release(slot int) {
	if slot >= 0 {
		p.free = append(p.free, slot)
	}
}

// alloc returns a free slot, growing the pool by a page when allowed, or
// evicting the least recently used ready tile that the current frame does
// not draw.
func (p *slotPool) alloc(tiles map[hips.TileID]*tileEntry, frame int) (int, bool) {
	if n := len(p.free); n > 0 {
		s := p.free[n-1]
		p.free = p.free[:n-1]
		return s, true
	}
	if len(p.pages) < maxPages {
		kind := "page"
		if p.float {
			kind = "fpage"
		}
		p.pages = append(p.pages, fmt.Sprintf("hips%d:%s%d", p.layerID, kind, len(p.pages)))
		for s := p.nslots + p.perPage - 1; s > p.nslots; s-- {
			p.free = append(p.free, s)
		}
		s := p.nslots
		p.nslots += p.perPage
		return s, true
	}
	var victim hips.TileID
	best := -1
	for id, t := range tiles {
		if t.state == tileReady && t.used < frame && (best < 0 || t.used < best) {
			victim, best = id, t.used
		}
	}
	if best < 0 {
		return 0, false
	}
	s := tiles[victim].slot
	delete(tiles, victim)
	return s, true
}

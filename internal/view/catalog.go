package view

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/skyglass/skyglass/internal/catalog"
	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/healpix"
)

// MaxMarkers bounds the markers a catalogue layer draws individually in one
// frame: above it, the sources in view are aggregated into HEALPix cells
// drawn as density markers.
const MaxMarkers = 50000

// densityOrder is the HEALPix order at which positions are hashed once; the
// density cells of a frame are its ancestors.
const densityOrder = 12

// CatalogStyle is how a catalogue layer draws its sources.
type CatalogStyle struct {
	Shape   draw.MarkerShape
	Color   [4]float32 // RGBA, 0..1
	Size    float64    // marker size, CSS pixels across
	Opacity float64    // 0..1, multiplies the colours
	// Colors, when not nil, gives every row its own RGBA (4 values per row),
	// e.g. a column through a colormap; Sizes every row its own size (CSS px).
	Colors []float32
	Sizes  []float32
}

// HighlightColor is the colour of the rings drawn around selected sources.
var HighlightColor = [4]float32{1, 0.85, 0.1, 1}

// catalogLayer is an overlay of catalogue sources drawn as markers.
type catalogLayer struct {
	id        int
	ra, dec   []float64
	index     *catalog.Index
	style     CatalogStyle
	hidden    bool
	selected  []int32               // sorted rows
	pix       []int64               // nested HEALPix pixel at densityOrder, computed on first need
	perm      []int32               // rows with a position, sorted by pix
	pvec      [][3]float64          // their unit vectors, in perm order (read in sequence by the frames)
	cells     map[int][]densityCell // density cells by order, computed on first need
	weights   []float32             // per-row display weights (nil: all 1), see SetCatalogRowWeights
	nWeighted int                   // rows with a weight > 0

	// last frame
	visRows   []int32   // rows in view
	visXY     []float32 // their canvas positions
	cellIdx   []int32   // density cells in view
	near      []int32   // culling cells near the view
	cellXY    []float32 // their canvas positions
	inst      []float32
	nVisible  int
	densities bool
}

// CatalogStats describes what a catalogue layer drew in the last frame.
type CatalogStats struct {
	Visible    int  // sources in view
	Markers    int  // markers drawn (sources, or density cells)
	Aggregated bool // density cells were drawn instead of the sources
}

// AddCatalog adds a catalogue overlay of sources at (ra, dec) ICRS degrees
// (NaN for rows without a position) and returns its id.
func (v *View) AddCatalog(ra, dec []float64, st CatalogStyle) (int, error) {
	if len(ra) != len(dec) {
		return 0, fmt.Errorf("view: catalogue has %d RA and %d Dec values", len(ra), len(dec))
	}
	if err := checkStyle(&st, len(ra)); err != nil {
		return 0, err
	}
	ix, err := catalog.NewIndex(ra, dec, 10)
	if err != nil {
		return 0, fmt.Errorf("view: indexing the catalogue: %w", err)
	}
	v.nextID++
	l := &catalogLayer{id: v.nextID, ra: ra, dec: dec, index: ix, style: st}
	v.overlays = append(v.overlays, l)
	v.dirty = true
	return l.id, nil
}

func checkStyle(st *CatalogStyle, n int) error {
	if int(st.Shape) < 0 || int(st.Shape) >= len(draw.MarkerShapes) {
		return fmt.Errorf("view: unknown marker shape %d", st.Shape)
	}
	if st.Colors != nil && len(st.Colors) != 4*n {
		return fmt.Errorf("view: %d colour values for %d rows (want 4 per row)", len(st.Colors), n)
	}
	if st.Sizes != nil && len(st.Sizes) != n {
		return fmt.Errorf("view: %d sizes for %d rows", len(st.Sizes), n)
	}
	if !(st.Size > 0) || st.Size > 200 {
		st.Size = 8
	}
	if !(st.Opacity >= 0) {
		st.Opacity = 1
	}
	st.Opacity = math.Min(1, st.Opacity)
	return nil
}

func (v *View) catalogLayer(id int) (*catalogLayer, error) {
	for _, o := range v.overlays {
		if l, ok := o.(*catalogLayer); ok && l.id == id {
			return l, nil
		}
	}
	return nil, fmt.Errorf("view: no catalogue layer %d", id)
}

// SetCatalogStyle changes a catalogue layer's style.
func (v *View) SetCatalogStyle(id int, st CatalogStyle) error {
	l, err := v.catalogLayer(id)
	if err != nil {
		return err
	}
	if err := checkStyle(&st, len(l.ra)); err != nil {
		return err
	}
	l.style = st
	v.dirty = true
	return nil
}

// CatalogStyleOf returns a catalogue layer's style.
func (v *View) CatalogStyleOf(id int) (CatalogStyle, error) {
	l, err := v.catalogLayer(id)
	if err != nil {
		return CatalogStyle{}, err
	}
	return l.style, nil
}

// SetOverlayVisible shows or hides a catalogue or region overlay.
func (v *View) SetOverlayVisible(id int, show bool) error {
	for _, o := range v.overlays {
		switch l := o.(type) {
		case *catalogLayer:
			if l.id == id {
				l.hidden = !show
				v.dirty = true
				return nil
			}
		case *regionLayer:
			if l.id == id {
				l.hidden = !show
				v.dirty = true
				return nil
			}
		}
	}
	return fmt.Errorf("view: no overlay %d", id)
}

// SelectCatalog highlights rows of a catalogue layer (replacing the previous
// selection; nil clears it). Rows out of range are an error.
func (v *View) SelectCatalog(id int, rows []int) error {
	l, err := v.catalogLayer(id)
	if err != nil {
		return err
	}
	sel := make([]int32, 0, len(rows))
	for _, r := range rows {
		if r < 0 || r >= len(l.ra) {
			return fmt.Errorf("view: row %d out of range (catalogue %d has %d rows)", r, id, len(l.ra))
		}
		sel = append(sel, int32(r))
	}
	sort.Slice(sel, func(i, j int) bool { return sel[i] < sel[j] })
	l.selected = sel
	v.dirty = true
	return nil
}

// Selected returns the highlighted rows of a catalogue layer.
func (v *View) Selected(id int) []int {
	l, err := v.catalogLayer(id)
	if err != nil {
		return nil
	}
	out := make([]int, len(l.selected))
	for i, r := range l.selected {
		out[i] = int(r)
	}
	return out
}

// CatalogStats returns what a catalogue layer drew in the last frame.
func (v *View) CatalogStats(id int) (CatalogStats, error) {
	l, err := v.catalogLayer(id)
	if err != nil {
		return CatalogStats{}, err
	}
	return CatalogStats{Visible: l.nVisible, Markers: len(l.inst) / draw.FloatsPerMarker, Aggregated: l.densities}, nil
}

// RemoveOverlay removes a catalogue or region overlay.
func (v *View) RemoveOverlay(id int) error {
	for i, o := range v.overlays {
		match := false
		switch l := o.(type) {
		case *catalogLayer:
			match = l.id == id
		case *regionLayer:
			match = l.id == id
		}
		if match {
			v.overlays = append(v.overlays[:i:i], v.overlays[i+1:]...)
			v.dirty = true
			return nil
		}
	}
	return fmt.Errorf("view: no overlay %d", id)
}

// ErrNoSource is returned by PickSource when no source is near the point.
var ErrNoSource = errors.New("view: no source there")

// PickSource returns the catalogue layer and row of the visible source
// nearest canvas point (x, y) within radius CSS pixels (plus the marker's
// half size, or a density cell's size where density cells are drawn), the
// top layer winning; ErrNoSource when there is none.
func (v *View) PickSource(x, y, radius float64) (layer, row int, err error) {
	lon, lat, ok := v.PixelToWorld(x, y)
	if !ok {
		return 0, -1, ErrNoSource
	}
	best, bestD := -1, math.Inf(1)
	bestLayer := 0
	for i := len(v.overlays) - 1; i >= 0; i-- {
		l, isCat := v.overlays[i].(*catalogLayer)
		if !isCat || l.hidden {
			continue
		}
		rpx := radius + l.style.Size/2
		if l.densities {
			// A density cell stands for its sources: the one nearest the point, within
			// about a cell of it.
			rpx = radius + densityCellPixels
		}
		// The search radius in degrees: pixel scale at the point, measured
		// with a neighbouring pixel (the scale varies over wide fields).
		scale := v.cam.Scale()
		if lon2, lat2, ok2 := v.PixelToWorld(x+1, y); ok2 {
			if s := angDist(lon, lat, lon2, lat2); s > 0 {
				scale = s
			}
		}
		r, _ := l.index.NearestWhere(lon, lat, rpx*scale*1.5, l.shown)
		if r < 0 {
			continue
		}
		px, py, ok := v.WorldToPixel(l.ra[r], l.dec[r])
		if !ok {
			continue
		}
		if d := math.Hypot(px-x, py-y); d <= rpx && d < bestD {
			best, bestD, bestLayer = r, d, l.id
		}
		if best >= 0 {
			break
		}
	}
	if best < 0 {
		return 0, -1, ErrNoSource
	}
	return bestLayer, best, nil
}

// visibleRadius returns an angular radius (degrees) around the camera centre
// outside which nothing is on the canvas.
func (v *View) visibleRadius() float64 {
	w, h := v.cam.Width, v.cam.Height
	if w <= 0 || h <= 0 {
		return 180
	}
	r := 0.0
	for _, p := range [][2]float64{{0, 0}, {w, 0}, {0, h}, {w, h}, {w / 2, 0}, {0, h / 2}, {w, h / 2}, {w / 2, h}} {
		lon, lat, ok := v.proj.PixelToWorld(p[0], p[1])
		if !ok {
			return 180 // a corner off the sky: the whole visible hemisphere or more
		}
		r = math.Max(r, angDist(v.cam.Lon, v.cam.Lat, lon, lat))
	}
	return math.Min(180, r*1.05+0.01)
}

// draw adds the layer's markers to the frame. It first projects the
// layer's HEALPix density cells (about densityCellPixels across on the
// canvas): when the cells in view hold more than MaxMarkers sources, the
// cells are drawn, sized and shaded by their counts; otherwise the sources
// near the view are projected in one pass and drawn individually (falling
// back to the cells if they turn out to be more than MaxMarkers). The
// selection's highlight rings are drawn on top in both cases.
func (l *catalogLayer) draw(v *View, dl *draw.List) {
	l.inst = l.inst[:0]
	l.visRows, l.visXY = l.visRows[:0], l.visXY[:0]
	l.nVisible, l.densities = 0, false
	if l.hidden {
		return
	}
	w, h := v.cam.Width, v.cam.Height
	c := toVec(v.Center())
	vr := v.visibleRadius()
	cosR := math.Cos(vr * math.Pi / 180)
	st := l.style
	margin := st.Size

	// Coarse cells (about an eighth of the field across) cull the sources:
	// only rows of the cells that may be in view are projected.
	coarse := l.cellsAt(cullOrder(v.cam.Fov))
	cosCoarse := math.Cos(math.Min(180, vr+1.2*cellRadius(cullOrder(v.cam.Fov))) * math.Pi / 180)
	l.near = l.near[:0]
	upper := 0
	for k := range coarse {
		if dot(coarse[k].vec, c) >= cosCoarse {
			l.near = append(l.near, int32(k))
			upper += coarse[k].n
		}
	}
	var cells []densityCell
	est := upper
	if l.weights != nil {
		// A time window: the rows with a weight are what may be drawn.
		upper = min(upper, l.nWeighted)
		est = upper
	}
	if upper > MaxMarkers {
		// Maybe too many: count the sources in view by density cells.
		order := v.densityCellOrder()
		cells = l.cellsAt(order)
		cosCell := math.Cos(math.Min(180, vr+1.2*cellRadius(order)) * math.Pi / 180)
		l.projectCells(v, cells, cosCell, margin)
		est = 0
		for _, k := range l.cellIdx {
			est += cells[k].n
		}
	}
	if est > MaxMarkers {
		l.nVisible = est
		l.drawDensities(cells, dl)
	} else {
		vp := v.vecProjector()
		for _, k := range l.near {
			for j := coarse[k].start; j < coarse[k].end; j++ {
				i := l.perm[j]
				if dot(l.pvec[j], c) < cosR || !l.shown(int(i)) {
					continue
				}
				x, y, ok := vp.pixel(l.pvec[j], l.ra, l.dec, i)
				if !ok || !(x >= -margin && y >= -margin && x <= w+margin && y <= h+margin) {
					continue
				}
				l.visRows = append(l.visRows, i)
				l.visXY = append(l.visXY, float32(x), float32(y))
			}
		}
		l.nVisible = len(l.visRows)
		if l.nVisible > MaxMarkers {
			l.visRows, l.visXY = l.visRows[:0], l.visXY[:0]
			order := v.densityCellOrder()
			cells = l.cellsAt(order)
			l.projectCells(v, cells, math.Cos(math.Min(180, vr+1.2*cellRadius(order))*math.Pi/180), margin)
			l.drawDensities(cells, dl)
		} else if l.nVisible > 0 {
			op := float32(st.Opacity)
			l.inst = slices.Grow(l.inst, draw.FloatsPerMarker*len(l.visRows))
			for k, r := range l.visRows {
				col := st.Color
				if st.Colors != nil {
					copy(col[:], st.Colors[4*r:4*r+4])
				}
				size := float32(st.Size)
				if st.Sizes != nil {
					size = st.Sizes[r]
				}
				a := col[3] * op
				if l.weights != nil {
					a *= l.weights[r]
				}
				l.inst = append(l.inst, l.visXY[2*k], l.visXY[2*k+1], size, col[0], col[1], col[2], a)
			}
			dl.Markers = append(dl.Markers, draw.Markers{Shape: st.Shape, Inst: l.inst})
		}
	}
	if len(l.selected) > 0 {
		var ring []float32
		for _, r := range l.selected {
			x, y, ok := v.WorldToPixel(l.ra[r], l.dec[r])
			if !ok || !(x >= -50 && y >= -50 && x <= w+50 && y <= h+50) {
				continue
			}
			size := float32(st.Size)
			if st.Sizes != nil {
				size = st.Sizes[r]
			}
			hc := HighlightColor
			ring = append(ring, float32(x), float32(y), size+10, hc[0], hc[1], hc[2], hc[3])
		}
		if len(ring) > 0 {
			dl.Markers = append(dl.Markers, draw.Markers{Shape: draw.Circle, Width: 2.5, Inst: ring})
		}
	}
}

// densityCell is one HEALPix cell of a layer's density map: the mean
// position of its sources and their number.
type densityCell struct {
	vec        [3]float64
	lon, lat   float64
	n          int
	key        int64 // nested pixel
	start, end int32 // rows perm[start:end]
}

// densityCellPixels is the target size of a density cell on the canvas.
const densityCellPixels = 10

// cellRadius returns an upper bound of the radius (degrees) of a HEALPix
// cell at order k.
func cellRadius(k int) float64 { return 1.4 * 58.63 / math.Exp2(float64(k)) }

// densityCellOrder returns the HEALPix order whose cells are about
// densityCellPixels across on the canvas.
func (v *View) densityCellOrder() int {
	// The HEALPix pixel size at order k is about 58.63°/2^k.
	cell := densityCellPixels * v.cam.Scale()
	k := int(math.Floor(math.Log2(58.63 / cell)))
	return max(0, min(densityOrder, k))
}

// cullOrder returns the HEALPix order of the cells used to cull sources
// for a field of view: cells about an eighth of the field across.
func cullOrder(fov float64) int {
	k := int(math.Floor(math.Log2(58.63 * 8 / math.Max(fov, 1e-6))))
	return max(0, min(densityOrder, k))
}

// projectCells projects the density cells near the view (dot with the
// centre ≥ cosCell) and keeps those on the canvas in cellIdx/cellXY.
func (l *catalogLayer) projectCells(v *View, cells []densityCell, cosCell, margin float64) {
	w, h := v.cam.Width, v.cam.Height
	c := toVec(v.Center())
	l.cellXY = l.cellXY[:0]
	l.cellIdx = l.cellIdx[:0]
	for k := range cells {
		cl := &cells[k]
		if dot(cl.vec, c) < cosCell {
			continue
		}
		x, y, ok := v.WorldToPixel(cl.lon, cl.lat)
		if !ok || !(x >= -margin && y >= -margin && x <= w+margin && y <= h+margin) {
			continue
		}
		l.cellIdx = append(l.cellIdx, int32(k))
		l.cellXY = append(l.cellXY, float32(x), float32(y))
	}
}

// cellsAt returns the layer's non-empty HEALPix cells at an order (computed
// on first use and kept): the mean position of their sources, their count,
// and their range of rows in perm (the rows sorted by pixel).
func (l *catalogLayer) cellsAt(order int) []densityCell {
	if l.cells == nil {
		l.cells = map[int][]densityCell{}
	}
	if cs, ok := l.cells[order]; ok {
		return cs
	}
	if l.perm == nil {
		// Sort (pixel, row) packed in one uint64: pixels at densityOrder
		// take 28 bits, rows 32.
		l.pix = make([]int64, len(l.ra))
		keys := make([]uint64, 0, len(l.ra))
		for i, ra := range l.ra {
			if dec := l.dec[i]; math.IsNaN(ra) || math.IsNaN(dec) || math.IsInf(ra, 0) || math.IsInf(dec, 0) {
				l.pix[i] = -1
				continue
			}
			l.pix[i] = healpix.AngToNest(densityOrder, l.ra[i], l.dec[i])
			keys = append(keys, uint64(l.pix[i])<<32|uint64(i))
		}
		slices.Sort(keys)
		l.perm = make([]int32, len(keys))
		l.pvec = make([][3]float64, len(keys))
		for j, k := range keys {
			i := int32(uint32(k))
			l.perm[j] = i
			l.pvec[j] = toVec(l.ra[i], l.dec[i])
		}
	}
	shift := uint(2 * (densityOrder - order))
	var cs []densityCell
	for j, i := range l.perm {
		key := l.pix[i] >> shift
		if len(cs) == 0 || cs[len(cs)-1].key != key {
			cs = append(cs, densityCell{key: key, start: int32(j)})
		}
		c := &cs[len(cs)-1]
		for d := range c.vec {
			c.vec[d] += l.pvec[j][d]
		}
		c.n++
		c.end = int32(j + 1)
	}
	for k := range cs {
		c := &cs[k]
		n := math.Sqrt(dot(c.vec, c.vec))
		if n > 0 {
			for d := range c.vec {
				c.vec[d] /= n
			}
		}
		c.lon, c.lat = fromVec(c.vec)
	}
	l.cells[order] = cs
	return cs
}

// drawDensities draws the density cells projected in this frame, one filled
// circle per cell at the mean position of its sources, size and opacity
// growing with the count. Cells are about densityCellPixels across, so their
// number is bounded by the canvas area (and capped at MaxMarkers).
func (l *catalogLayer) drawDensities(cells []densityCell, dl *draw.List) {
	l.densities = true
	maxN := 1
	for _, k := range l.cellIdx {
		maxN = max(maxN, cells[k].n)
	}
	col := l.style.Color
	op := float32(l.style.Opacity)
	for j, k := range l.cellIdx {
		if j >= MaxMarkers {
			break
		}
		f := math.Sqrt(float64(cells[k].n) / float64(maxN))
		size := float32(2 + (densityCellPixels-1)*f)
		alpha := col[3] * op * float32(0.35+0.65*f)
		l.inst = append(l.inst, l.cellXY[2*j], l.cellXY[2*j+1], size, col[0], col[1], col[2], alpha)
	}
	dl.Markers = append(dl.Markers, draw.Markers{Shape: draw.Circle, Fill: true, Inst: l.inst})
}

// SourcesInRect returns the rows of a catalogue layer inside the canvas
// rectangle with corners (x0, y0) and (x1, y1), CSS pixels, as drawn in the
// last frame (the sources of the density cells when those were drawn), in
// increasing row order.
func (v *View) SourcesInRect(id int, x0, y0, x1, y1 float64) ([]int, error) {
	l, err := v.catalogLayer(id)
	if err != nil {
		return nil, err
	}
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	var out []int
	if l.densities {
		// Density cells were drawn: project the sources of the cells near the view.
		coarse := l.cellsAt(cullOrder(v.cam.Fov))
		vp := v.vecProjector()
		for _, k := range l.near {
			for j := coarse[k].start; j < coarse[k].end; j++ {
				r := l.perm[j]
				if !l.shown(int(r)) {
					continue
				}
				if x, y, ok := vp.pixel(l.pvec[j], l.ra, l.dec, r); ok && x >= x0 && x <= x1 && y >= y0 && y <= y1 {
					out = append(out, int(r))
				}
			}
		}
		slices.Sort(out)
		return out, nil
	}
	for k, r := range l.visRows {
		x, y := float64(l.visXY[2*k]), float64(l.visXY[2*k+1])
		if x >= x0 && x <= x1 && y >= y0 && y <= y1 {
			out = append(out, int(r))
		}
	}
	return out, nil
}

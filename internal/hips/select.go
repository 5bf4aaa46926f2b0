package hips

import (
	"math"
	"sort"

	"github.com/skyglass/skyglass/internal/healpix"
)

// Coverage says whether a HEALPix cell intersects a HiPS's coverage (its
// Moc.fits). A nil Coverage means the whole sky.
type Coverage interface {
	Contains(order int, ipix int64) bool
}

// TilePixelSize returns the mean angular size in degrees of one pixel of a
// tile of the given width at an order: √(4π / (12·(width·2^order)²)) rad.
func TilePixelSize(order, width int) float64 {
	n := float64(width) * math.Ldexp(1, order)
	return math.Sqrt(4*math.Pi/12) / n * 180 / math.Pi
}

// ViewOrder returns the tile order at which one tile pixel is at most one
// device pixel: the smallest order whose TilePixelSize is ≤ screenPixelDeg /
// devicePixelRatio (screenPixelDeg is the size of one CSS pixel at the view
// centre, in degrees), clamped to [orderMin, orderMax] (hips_order_min,
// hips_order). A devicePixelRatio ≤ 0 counts as 1.
func ViewOrder(screenPixelDeg, devicePixelRatio float64, width, orderMin, orderMax int) int {
	if devicePixelRatio <= 0 || math.IsNaN(devicePixelRatio) {
		devicePixelRatio = 1
	}
	dev := screenPixelDeg / devicePixelRatio
	if orderMax < orderMin {
		orderMax = orderMin
	}
	if !(dev > 0) || math.IsInf(dev, 0) {
		if dev > 0 { // +Inf: coarsest
			return orderMin
		}
		return orderMax
	}
	k := orderMin
	for k < orderMax && TilePixelSize(k, width) > dev*(1+1e-9) {
		k++
	}
	return k
}

// View is the part of the sky a view shows, in the HiPS frame.
type View struct {
	Center [2]float64 // lon, lat of the view centre, degrees
	// Radius (degrees) of a circle about Center containing the whole view;
	// ≥ 180 means the whole sky (all-sky projections).
	Radius float64
	// Outline is an optional convex outline of the view (e.g. the four screen
	// corners of a TAN view), vertices {lon, lat} in degrees. It narrows the
	// selection when it is convex and Radius < 90; otherwise the disc is used.
	Outline [][2]float64
}

// Want is a tile to show or load with its priority: the angular distance in
// degrees from the view centre to the tile centre (smaller first).
type Want struct {
	ID       TileID
	Priority float64
}

// VisibleTiles returns the tiles of an order that intersect the view
// (inclusive: every tile overlapping it, possibly a few more near the edge),
// minus those outside cov, sorted from the view centre outwards.
func VisibleTiles(v View, order int, cov Coverage) []Want {
	if order < 0 || order > MaxOrder {
		return nil
	}
	var pix []int64
	switch {
	case v.Radius >= 180 || math.IsNaN(v.Radius):
		n := NPix(order)
		pix = make([]int64, n)
		for i := range pix {
			pix[i] = int64(i)
		}
	default:
		if len(v.Outline) >= 3 && v.Radius < 90 {
			pix = healpix.QueryPolygon(order, v.Outline, true)
		}
		if pix == nil {
			pix = healpix.QueryDisc(order, v.Center[0], v.Center[1], math.Max(v.Radius, 0), true)
		}
	}
	out := make([]Want, 0, len(pix))
	for _, p := range pix {
		if cov != nil && !cov.Contains(order, p) {
			continue
		}
		lon, lat := healpix.NestToAng(order, p)
		out = append(out, Want{ID: TileID{Order: order, Pix: p}, Priority: angDist(v.Center[0], v.Center[1], lon, lat)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	return out
}

// angDist returns the angular distance in degrees (haversine form, accurate
// at all separations).
func angDist(lon1, lat1, lon2, lat2 float64) float64 {
	const d = math.Pi / 180
	s1 := math.Sin((lat2 - lat1) * d / 2)
	s2 := math.Sin((lon2 - lon1) * d / 2)
	a := s1*s1 + math.Cos(lat1*d)*math.Cos(lat2*d)*s2*s2
	return 2 * math.Asin(math.Min(1, math.Sqrt(a))) / d
}

// Parent returns the tile containing t at order t.Order-1 (same frame); ok is
// false at order 0.
func (t TileID) Parent() (TileID, bool) {
	if t.Order == 0 {
		return t, false
	}
	return TileID{Order: t.Order - 1, Pix: t.Pix >> 2, Frame: t.Frame}, true
}

// Ancestor returns the tile containing t at order a (t itself if a ≥ t.Order).
func (t TileID) Ancestor(a int) TileID {
	if a >= t.Order {
		return t
	}
	if a < 0 {
		a = 0
	}
	return TileID{Order: a, Pix: t.Pix >> (2 * uint(t.Order-a)), Frame: t.Frame}
}

// Children returns the four tiles of order t.Order+1 inside t.
func (t TileID) Children() [4]TileID {
	var c [4]TileID
	for i := range c {
		c[i] = TileID{Order: t.Order + 1, Pix: t.Pix<<2 + int64(i), Frame: t.Frame}
	}
	return c
}

// Fallback returns the deepest loaded tile among t and its ancestors down to
// orderMin: what to draw in t's place while it loads. ok is false when none
// is loaded.
func Fallback(t TileID, orderMin int, loaded func(TileID) bool) (TileID, bool) {
	for a := t.Order; a >= orderMin && a >= 0; a-- {
		if id := t.Ancestor(a); loaded(id) {
			return id, true
		}
	}
	return TileID{}, false
}

// SubSquare returns the square of ancestor tile a (width pixels, continuous
// pixel coordinates in FITS row order as in TilePixelUV) that covers its
// descendant t: lower-left corner (x0, y0) and side. For a == t it is the
// whole tile.
func SubSquare(t, a TileID, width int) (x0, y0, side float64) {
	d := t.Order - a.Order
	if d <= 0 {
		return 0, 0, float64(width)
	}
	_, tx, ty := healpix.NestToFXY(t.Order, t.Pix)
	mask := int64(1)<<uint(d) - 1
	lx, ly := float64(tx&mask), float64(ty&mask)
	side = float64(width) / math.Ldexp(1, d)
	return ly * side, float64(width) - (lx+1)*side, side
}

// Plan is what a view needs from one HiPS layer.
type Plan struct {
	Order int
	// Visible are the tiles at Order in the view, centre first.
	Visible []Want
	// Draw gives, for each visible tile in the same order, the tile to draw
	// for it: itself when loaded, else its deepest loaded ancestor (draw the
	// SubSquare of it), or a zero TileID with Order -1 when nothing is loaded.
	Draw []TileID
	// Load lists the missing tiles to fetch, most useful first: the base
	// ancestors at min(3, Order) (or OrderMin when deeper) that nothing
	// can replace, then the visible tiles from the centre outwards.
	Load []Want
}

// PlanOptions are the HiPS parameters a Plan needs.
type PlanOptions struct {
	Width              int     // hips_tile_width
	OrderMin, OrderMax int     // hips_order_min, hips_order
	DevicePixelRatio   float64 // window.devicePixelRatio (≤ 0: 1)
	Coverage           Coverage
	Loaded             func(TileID) bool // in the cache (404 tiles count as loaded)
}

// PlanView chooses the order for a view whose CSS pixel is screenPixelDeg
// degrees at the centre, the tiles it needs, their fallbacks and the loads.
func PlanView(v View, screenPixelDeg float64, o PlanOptions) Plan {
	loaded := o.Loaded
	if loaded == nil {
		loaded = func(TileID) bool { return false }
	}
	order := ViewOrder(screenPixelDeg, o.DevicePixelRatio, o.Width, o.OrderMin, o.OrderMax)
	p := Plan{Order: order, Visible: VisibleTiles(v, order, o.Coverage)}
	base := min(3, order)
	if base < o.OrderMin {
		base = o.OrderMin
	}
	seenBase := map[TileID]bool{}
	var rest []Want
	for _, w := range p.Visible {
		id, ok := Fallback(w.ID, o.OrderMin, loaded)
		if !ok {
			id = TileID{Order: -1}
			b := w.ID.Ancestor(base)
			if b != w.ID && !seenBase[b] {
				seenBase[b] = true
				p.Load = append(p.Load, Want{ID: b, Priority: w.Priority})
			}
		}
		p.Draw = append(p.Draw, id)
		if !loaded(w.ID) {
			rest = append(rest, w)
		}
	}
	p.Load = append(p.Load, rest...)
	return p
}

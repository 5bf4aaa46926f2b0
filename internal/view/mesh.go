package view

import (
	"math"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/stretch"
)

// meshBuilder turns HEALPix cells with a texture mapping into projected,
// textured triangles. Its buffers are kept per texture key between frames.
//
// A triangle is kept when its three vertices are on the sky and its winding
// has the view's orientation: a triangle that straddles the discontinuity of
// an all-sky projection (the AIT/MOL/CAR seam) has vertices thrown to
// opposite sides of the canvas and comes out mirrored. Cells holding such
// triangles (or cut by the edge of the projection) are subdivided, up to
// seamDepth levels, so that seams and limbs leave no visible gap.
type meshBuilder struct {
	bufs map[string]*meshBuf
	cur  *meshBuf
	sign float32 // orientation of projected HEALPix cells in this frame
}

type meshBuf struct {
	key     string
	opacity float64
	vert    []float32 // x, y (clip), s, t, layer
	ok      []bool
	idx     []uint32
}

// seamDepth bounds the refinement of cells cut by a seam (1/16 of a cell).
const seamDepth = 6

func newMeshBuilder() *meshBuilder { return &meshBuilder{bufs: map[string]*meshBuf{}} }

// orient sets the winding sign of the frame from a small cell at the view centre.
func (b *meshBuilder) orient(v *View) {
	b.sign = 1
	order := 12
	pix := healpix.AngToNest(order, v.cam.Lon, v.cam.Lat)
	if pix < 0 {
		return
	}
	var xy [3][2]float64
	for i, uv := range [3][2]float64{{0, 0}, {0, 1}, {1, 1}} {
		lon, lat := healpix.NestUVToAng(order, pix, uv[0], uv[1])
		x, y, ok := v.proj.WorldToPixel(lon, lat)
		if !ok {
			return
		}
		xy[i] = [2]float64{x, -y} // clip space has y up
	}
	a := (xy[1][0]-xy[0][0])*(xy[2][1]-xy[0][1]) - (xy[1][1]-xy[0][1])*(xy[2][0]-xy[0][0])
	if a < 0 {
		b.sign = -1
	}
}

func (b *meshBuilder) begin(key string, opacity float64) {
	m, ok := b.bufs[key]
	if !ok {
		m = &meshBuf{key: key}
		b.bufs[key] = m
	}
	m.opacity = opacity
	m.vert, m.ok, m.idx = m.vert[:0], m.ok[:0], m.idx[:0]
	b.cur = m
}

func (b *meshBuilder) end(disp *stretch.Params) []draw.Mesh {
	m := b.cur
	b.cur = nil
	if m == nil || len(m.idx) == 0 {
		return nil
	}
	return []draw.Mesh{{Texture: m.key, Vertices: m.vert, Indices: m.idx, Opacity: float32(m.opacity), Stretch: disp}}
}

// cellsFor returns how many mesh cells per side a tile of an order gets, so
// that cells stay under about 2° (projections curve straight edges).
func cellsFor(order int) int {
	deg := 58.6 / math.Ldexp(1, order)
	return max(1, min(8, int(math.Ceil(deg/2))))
}

type texFunc func(u, v float64) (s, t, layer float32)

func (b *meshBuilder) vertex(v *View, lon, lat float64, s, t, layer float32) uint32 {
	m := b.cur
	x, y, ok := v.proj.WorldToPixel(lon, lat)
	k := uint32(len(m.ok))
	m.vert = append(m.vert, float32(2*x/v.cam.Width-1), float32(1-2*y/v.cam.Height), s, t, layer)
	m.ok = append(m.ok, ok && !math.IsNaN(x) && !math.IsNaN(y) && math.Abs(x) < 1e7 && math.Abs(y) < 1e7)
	return k
}

// patch adds one HEALPix cell (order, pix) textured through tex.
func (b *meshBuilder) patch(v *View, l *hipsLayer, order int, pix int64, tex texFunc) {
	m := b.cur
	n := cellsFor(order)
	g := l.geometry(order, pix, n)
	base := uint32(len(m.ok))
	for i := 0; i <= n; i++ {
		for j := 0; j <= n; j++ {
			k := 2 * (i*(n+1) + j)
			s, t, layer := tex(float64(i)/float64(n), float64(j)/float64(n))
			b.vertex(v, g[k], g[k+1], s, t, layer)
		}
	}
	if b.offscreen(base, uint32(len(m.ok))) {
		m.vert = m.vert[:5*base]
		m.ok = m.ok[:base]
		return
	}
	for i := range n {
		for j := range n {
			a := base + uint32(i*(n+1)+j)
			bb, c, d := a+1, a+uint32(n+1), a+uint32(n+2)
			g1, g2 := b.good(a, bb, d), b.good(a, d, c)
			if g1 && g2 {
				m.idx = append(m.idx, a, bb, d, a, d, c)
				continue
			}
			if m.ok[a] || m.ok[bb] || m.ok[c] || m.ok[d] {
				du := 1 / float64(n)
				b.subdivide(v, l, order, pix, float64(i)*du, float64(j)*du, du, tex, 0, a, bb, c, d)
			}
		}
	}
}

// subdivide draws the part of a HEALPix cell at (u0, v0) of side du, whose
// corner vertices are a (u0, v0), bb (u0, v0+du), c (u0+du, v0) and d
// (u0+du, v0+du), as four smaller parts, down to seamDepth levels. Children
// share their parent's corners and each other's edge midpoints: five new
// vertices a split, not sixteen.
func (b *meshBuilder) subdivide(v *View, l *hipsLayer, order int, pix int64, u0, v0, du float64, tex texFunc, depth int, a, bb, c, d uint32) {
	m := b.cur
	g1, g2 := b.good(a, bb, d), b.good(a, d, c)
	if g1 && g2 {
		m.idx = append(m.idx, a, bb, d, a, d, c)
		return
	}
	if !m.ok[a] && !m.ok[bb] && !m.ok[c] && !m.ok[d] {
		return // beyond the projection's edge
	}
	if depth >= seamDepth || b.tiny(v, a, bb, c, d) {
		if g1 {
			m.idx = append(m.idx, a, bb, d)
		}
		if g2 {
			m.idx = append(m.idx, a, d, c)
		}
		return
	}
	pt := func(u, vv float64) uint32 {
		lon, lat := l.pointAt(order, pix, u, vv)
		s, t, layer := tex(u, vv)
		return b.vertex(v, lon, lat, s, t, layer)
	}
	h := du / 2
	ab, ac, mid, cd, bd := pt(u0, v0+h), pt(u0+h, v0), pt(u0+h, v0+h), pt(u0+du, v0+h), pt(u0+h, v0+du)
	b.subdivide(v, l, order, pix, u0, v0, h, tex, depth+1, a, ab, ac, mid)
	b.subdivide(v, l, order, pix, u0+h, v0, h, tex, depth+1, ac, mid, c, cd)
	b.subdivide(v, l, order, pix, u0, v0+h, h, tex, depth+1, ab, bb, mid, bd)
	b.subdivide(v, l, order, pix, u0+h, v0+h, h, tex, depth+1, mid, bd, cd, d)
}

// tiny reports whether the valid corners of a cell span under two canvas
// pixels: refining it further cannot show anything (at a projection's limb,
// where cells shrink to nothing, this bounds the work to screen resolution).
func (b *meshBuilder) tiny(v *View, idx ...uint32) bool {
	m := b.cur
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	n := 0
	for _, k := range idx {
		if !m.ok[k] {
			continue
		}
		n++
		x, y := m.vert[5*k], m.vert[5*k+1]
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	if n < 2 {
		return false
	}
	// Clip units to pixels: half the canvas is one clip unit.
	return float64(maxX-minX)*v.cam.Width/2 < 2 && float64(maxY-minY)*v.cam.Height/2 < 2
}

func (b *meshBuilder) area(a, c, d uint32) float32 {
	v := b.cur.vert
	ax, ay := v[5*a], v[5*a+1]
	bx, by := v[5*c], v[5*c+1]
	cx, cy := v[5*d], v[5*d+1]
	return (bx-ax)*(cy-ay) - (by-ay)*(cx-ax)
}

// good reports whether a triangle can be drawn: its vertices are valid, it
// has the frame's orientation (a seam-crossing triangle is mirrored), and it
// is not a sliver stretched across the canvas (a seam-crossing triangle whose
// mirror image has next to no area).
func (b *meshBuilder) good(a, c, d uint32) bool {
	m := b.cur
	if !m.ok[a] || !m.ok[c] || !m.ok[d] {
		return false
	}
	ar := b.area(a, c, d) * b.sign
	if ar < 0 {
		return false
	}
	v := m.vert
	var long float32
	for _, e := range [3][2]uint32{{a, c}, {c, d}, {d, a}} {
		dx := v[5*e[0]] - v[5*e[1]]
		dy := v[5*e[0]+1] - v[5*e[1]+1]
		long = max(long, dx*dx+dy*dy)
	}
	// Cells are split into two triangles of area ≈ edge²/2; a triangle with an
	// edge over half the canvas and under 1 % of that is a seam artefact.
	return long < 1 || ar > 0.02*long
}

// offscreen reports whether the vertices [from, to) are all invalid or all
// beyond one edge of the canvas.
func (b *meshBuilder) offscreen(from, to uint32) bool {
	var s sides
	for k := from; k < to; k++ {
		s.add(b.cur, k)
	}
	return s.off()
}

// offscreenAt is offscreen for the vertices idx.
func (b *meshBuilder) offscreenAt(idx ...uint32) bool {
	var s sides
	for _, k := range idx {
		s.add(b.cur, k)
	}
	return s.off()
}

// sides counts valid vertices and those beyond each edge of the canvas.
type sides struct{ lowX, highX, lowY, highY, valid int }

// add counts vertex k of a mesh (clip space: the canvas is [-1, 1]²).
func (s *sides) add(m *meshBuf, k uint32) {
	s.point(m.ok[k], float64(m.vert[5*k]), float64(m.vert[5*k+1]), -1, -1, 1, 1)
}

// point counts a point (x, y), when valid, against the rectangle [x0, x1] ×
// [y0, y1].
func (s *sides) point(valid bool, x, y, x0, y0, x1, y1 float64) {
	if !valid {
		return
	}
	s.valid++
	if x < x0 {
		s.lowX++
	}
	if x > x1 {
		s.highX++
	}
	if y < y0 {
		s.lowY++
	}
	if y > y1 {
		s.highY++
	}
}

// off: no valid point, or all beyond one edge.
func (s sides) off() bool {
	return s.valid == 0 || s.lowX == s.valid || s.highX == s.valid || s.lowY == s.valid || s.highY == s.valid
}

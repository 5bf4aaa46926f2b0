package raster

import (
	"math"

	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/hips"
)

// cellRef is a HEALPix cell at the sampling order: base face and integer
// face coordinates.
type cellRef struct {
	face int
	x, y int64
}

// geom holds the HEALPix geometry of one layer's sampling.
type geom struct {
	tileOrder int   // order of the tiles
	shift     int   // log2(tile width)
	cellOrder int   // tileOrder + shift: order of the tile pixels
	fineOrder int   // cellOrder + extra: order of the stored positions
	extra     int   // sub-cell bits kept for bilinear weights
	nside     int64 // cells per face side at cellOrder
	bilinear  bool
	frame     int // cube frame of the tiles
}

func newGeom(tileOrder, width int, bilinear bool) (geom, error) {
	m, err := hips.TileShift(width)
	if err != nil {
		return geom{}, err
	}
	g := geom{tileOrder: tileOrder, shift: m, cellOrder: tileOrder + m, bilinear: bilinear}
	if g.cellOrder > healpix.MaxOrder {
		return geom{}, errOrder(tileOrder, width)
	}
	g.extra = min(10, healpix.MaxOrder-g.cellOrder)
	g.fineOrder = g.cellOrder + g.extra
	g.nside = int64(1) << uint(g.cellOrder)
	return g, nil
}

// samples returns the cells to combine for a point stored as a nested index
// at fineOrder, with their weights: one cell (nearest), or the four cells
// whose centres surround the point, weighted bilinearly in face coordinates.
// Across a base-face edge the neighbour cells come from
// healpix.NestNeighbours, and the face coordinates of the two faces no longer
// line up: there the weights are recomputed from the true positions of the
// cell centres (bilinear inverse on the tangent plane at the point, or
// barycentric where a face corner has only 7 neighbours and one of the four
// cells does not exist).
func (g *geom) samples(fine int64) (c [4]cellRef, w [4]float64, n int) {
	face, fx, fy := healpix.NestToFXY(g.fineOrder, fine)
	ix, iy := fx>>uint(g.extra), fy>>uint(g.extra)
	c[0] = cellRef{face, ix, iy}
	if !g.bilinear {
		w[0] = 1
		return c, w, 1
	}
	// Offset of the point from the cell centre, in cells, in (-0.5, 0.5).
	scale := math.Ldexp(1, -g.extra)
	mask := int64(1)<<uint(g.extra) - 1
	dx := (float64(fx&mask)+0.5)*scale - 0.5
	dy := (float64(fy&mask)+0.5)*scale - 0.5
	sx, sy := int64(1), int64(1)
	if dx < 0 {
		sx, dx = -1, -dx
	}
	if dy < 0 {
		sy, dy = -1, -dy
	}
	// Neighbour directions in NestNeighbours order (SW, W, NW, N, NE, E, SE,
	// S): +x = NE, -x = SW, +y = NW, -y = SE, diagonals N, E, W, S.
	dirX, dirY := 4, 2
	if sx < 0 {
		dirX = 0
	}
	if sy < 0 {
		dirY = 6
	}
	var dirXY int
	switch {
	case sx > 0 && sy > 0:
		dirXY = 3
	case sx > 0:
		dirXY = 5
	case sy > 0:
		dirXY = 1
	default:
		dirXY = 7
	}
	// Slots: 0 the cell, 1 its x partner, 2 its y partner, 3 the diagonal.
	var slot [4]cellRef
	var have [4]bool
	slot[0], have[0] = c[0], true
	crossed := false
	var nb [8]int64
	haveNb := false
	set := func(k int, x, y int64, dir int) {
		if x >= 0 && y >= 0 && x < g.nside && y < g.nside {
			slot[k], have[k] = cellRef{face, x, y}, true
			return
		}
		crossed = true
		if !haveNb {
			nb = healpix.NestNeighbours(g.cellOrder, healpix.FXYToNest(g.cellOrder, face, ix, iy))
			haveNb = true
		}
		if nb[dir] < 0 {
			return
		}
		f2, x2, y2 := healpix.NestToFXY(g.cellOrder, nb[dir])
		slot[k], have[k] = cellRef{f2, x2, y2}, true
	}
	set(1, ix+sx, iy, dirX)
	set(2, ix, iy+sy, dirY)
	set(3, ix+sx, iy+sy, dirXY)
	wt := [4]float64{(1 - dx) * (1 - dy), dx * (1 - dy), (1 - dx) * dy, dx * dy}
	if crossed {
		if rw, ok := g.trueWeights(fine, slot, have, dx, dy); ok {
			wt = rw
		}
	}
	for k := 0; k < 4; k++ {
		if have[k] && wt[k] != 0 {
			c[n], w[n] = slot[k], wt[k]
			n++
		}
	}
	return c, w, n
}

// trueWeights computes interpolation weights from the positions of the cell
// centres, projected gnomonically on the plane tangent at the point: the
// inverse of the bilinear map of the four centres (Newton's method from the
// face-coordinate guess), or barycentric weights of three centres when one
// cell is missing. ok is false when the geometry is degenerate or the point
// falls far outside the cells, and the face weights are kept.
func (g *geom) trueWeights(fine int64, slot [4]cellRef, have [4]bool, dx, dy float64) (w [4]float64, ok bool) {
	q := healpix.NestUVToVec(g.fineOrder, fine, 0.5, 0.5)
	// Tangent-plane basis at q.
	e1 := [3]float64{-q[1], q[0], 0}
	if l := math.Hypot(e1[0], e1[1]); l > 1e-12 {
		e1[0], e1[1] = e1[0]/l, e1[1]/l
	} else {
		e1 = [3]float64{1, 0, 0}
	}
	e2 := [3]float64{q[1]*e1[2] - q[2]*e1[1], q[2]*e1[0] - q[0]*e1[2], q[0]*e1[1] - q[1]*e1[0]}
	var p [4][2]float64
	missing := -1
	for k := 0; k < 4; k++ {
		if !have[k] {
			if missing >= 0 {
				return w, false
			}
			missing = k
			continue
		}
		v := healpix.NestUVToVec(g.cellOrder, healpix.FXYToNest(g.cellOrder, slot[k].face, slot[k].x, slot[k].y), 0.5, 0.5)
		d := v[0]*q[0] + v[1]*q[1] + v[2]*q[2]
		if d <= 0.5 {
			return w, false
		}
		p[k] = [2]float64{(v[0]*e1[0] + v[1]*e1[1] + v[2]*e1[2]) / d, (v[0]*e2[0] + v[1]*e2[1] + v[2]*e2[2]) / d}
	}
	if missing >= 0 {
		// Barycentric weights of the three centres (the point is the origin).
		var idx [3]int
		m := 0
		for k := 0; k < 4; k++ {
			if k != missing {
				idx[m] = k
				m++
			}
		}
		a, b, c := p[idx[0]], p[idx[1]], p[idx[2]]
		det := (b[0]-a[0])*(c[1]-a[1]) - (c[0]-a[0])*(b[1]-a[1])
		if math.Abs(det) < 1e-30 {
			return w, false
		}
		lb := ((0-a[0])*(c[1]-a[1]) - (c[0]-a[0])*(0-a[1])) / det
		lc := ((b[0]-a[0])*(0-a[1]) - (0-a[0])*(b[1]-a[1])) / det
		la := 1 - lb - lc
		if la < -0.5 || lb < -0.5 || lc < -0.5 {
			return w, false
		}
		w[idx[0]], w[idx[1]], w[idx[2]] = la, lb, lc
		return w, true
	}
	// Newton iterations on B(u,v) = (1-u)(1-v)p0 + u(1-v)p1 + (1-u)v p2 + uv p3 = 0.
	u, v := dx, dy
	for it := 0; it < 8; it++ {
		var b, bu, bv [2]float64
		for i := 0; i < 2; i++ {
			b[i] = (1-u)*(1-v)*p[0][i] + u*(1-v)*p[1][i] + (1-u)*v*p[2][i] + u*v*p[3][i]
			bu[i] = -(1-v)*p[0][i] + (1-v)*p[1][i] - v*p[2][i] + v*p[3][i]
			bv[i] = -(1-u)*p[0][i] - u*p[1][i] + (1-u)*p[2][i] + u*p[3][i]
		}
		det := bu[0]*bv[1] - bu[1]*bv[0]
		if math.Abs(det) < 1e-30 {
			return w, false
		}
		du := (b[0]*bv[1] - b[1]*bv[0]) / det
		dv := (bu[0]*b[1] - bu[1]*b[0]) / det
		u, v = u-du, v-dv
		if math.Abs(du)+math.Abs(dv) < 1e-12 {
			break
		}
	}
	if !(u > -0.5 && u < 1.5 && v > -0.5 && v < 1.5) {
		return w, false
	}
	return [4]float64{(1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v}, true
}

// tileOf returns the tile holding a cell and the cell's (col, row) in it.
func (g *geom) tileOf(c cellRef) (hips.TileID, int, int) {
	pix, col, row := hips.FXYTilePixel(g.tileOrder, g.shift, c.face, c.x, c.y)
	return hips.TileID{Order: g.tileOrder, Pix: pix, Frame: g.frame}, col, row
}

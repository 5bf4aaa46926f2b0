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
// whose centres surround the point (bilinear in face coordinates). Across a
// base-face edge the neighbour cells come from healpix.NestNeighbours; where
// a face corner has only 7 neighbours the missing sample is dropped (weights
// are renormalised by the caller over the samples that have data).
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
	w[0] = (1 - dx) * (1 - dy)
	n = 1
	add := func(x, y int64, wt float64, dir int) {
		if wt == 0 {
			return
		}
		if x >= 0 && y >= 0 && x < g.nside && y < g.nside {
			c[n], w[n] = cellRef{face, x, y}, wt
			n++
			return
		}
		// Outside the face: ask HEALPix for the neighbour in that direction.
		nb := healpix.NestNeighbours(g.cellOrder, healpix.FXYToNest(g.cellOrder, face, ix, iy))[dir]
		if nb < 0 {
			return
		}
		f2, x2, y2 := healpix.NestToFXY(g.cellOrder, nb)
		c[n], w[n] = cellRef{f2, x2, y2}, wt
		n++
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
	add(ix+sx, iy, dx*(1-dy), dirX)
	add(ix, iy+sy, (1-dx)*dy, dirY)
	add(ix+sx, iy+sy, dx*dy, dirXY)
	return c, w, n
}

// tileOf returns the tile holding a cell and the cell's (col, row) in it.
func (g *geom) tileOf(c cellRef) (hips.TileID, int, int) {
	pix, col, row := hips.FXYTilePixel(g.tileOrder, g.shift, c.face, c.x, c.y)
	return hips.TileID{Order: g.tileOrder, Pix: pix, Frame: g.frame}, col, row
}

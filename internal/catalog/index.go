package catalog

import (
	"fmt"
	"math"
	"slices"

	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/sky"
)

// Index is a HEALPix (nested scheme) spatial index of catalogue positions, for cone
// searches, picking the nearest source and density maps.
type Index struct {
	order int
	ent   []indexEntry // sorted by pixel, then row
	ra    []float64
	dec   []float64
}

type indexEntry struct {
	pix int64
	row int32
}

// NewIndex indexes the positions (degrees) at the given HEALPix order (0..29; 10 — pixels
// of 3.4′ — suits most catalogues). Rows with a NaN coordinate are left out. The slices
// are retained, not copied.
func NewIndex(ra, dec []float64, order int) (*Index, error) {
	if order < 0 || order > 29 {
		return nil, fmt.Errorf("index: order %d outside 0..29", order)
	}
	if len(ra) != len(dec) {
		return nil, fmt.Errorf("index: %d RA values for %d Dec values", len(ra), len(dec))
	}
	if len(ra) > math.MaxInt32 {
		return nil, fmt.Errorf("index: %d rows exceed the int32 row range", len(ra))
	}
	ix := &Index{order: order, ra: ra, dec: dec, ent: make([]indexEntry, 0, len(ra))}
	for i := range ra {
		if math.IsNaN(ra[i]) || math.IsNaN(dec[i]) || math.IsInf(ra[i], 0) || dec[i] < -90 || dec[i] > 90 {
			continue
		}
		ix.ent = append(ix.ent, indexEntry{healpix.AngToNest(order, ra[i], dec[i]), int32(i)})
	}
	slices.SortFunc(ix.ent, func(a, b indexEntry) int {
		if a.pix != b.pix {
			if a.pix < b.pix {
				return -1
			}
			return 1
		}
		return int(a.row - b.row)
	})
	return ix, nil
}

// Len returns the number of indexed positions.
func (ix *Index) Len() int { return len(ix.ent) }

// Order returns the HEALPix order of the index.
func (ix *Index) Order() int { return ix.order }

// search returns the first entry with pix ≥ p.
func (ix *Index) search(p int64) int {
	i, _ := slices.BinarySearchFunc(ix.ent, p, func(e indexEntry, p int64) int {
		switch {
		case e.pix < p:
			return -1
		case e.pix > p:
			return 1
		}
		return 0
	})
	return i
}

// Cone returns the rows within radius degrees (angular distance ≤ radius) of (ra, dec),
// in increasing row order.
func (ix *Index) Cone(ra, dec, radius float64) []int32 {
	var out []int32
	ix.visit(ra, dec, radius, func(row int32, _ float64) { out = append(out, row) })
	slices.Sort(out)
	return out
}

// Nearest returns the row closest to (ra, dec) within radius degrees and its distance,
// or -1 when there is none (ties go to the lowest row).
func (ix *Index) Nearest(ra, dec, radius float64) (row int, sep float64) {
	return ix.NearestWhere(ra, dec, radius, nil)
}

// NearestWhere is Nearest among the rows for which keep returns true (all rows
// when keep is nil).
func (ix *Index) NearestWhere(ra, dec, radius float64, keep func(row int) bool) (row int, sep float64) {
	row, sep = -1, math.Inf(1)
	ix.visit(ra, dec, radius, func(r int32, d float64) {
		if keep != nil && !keep(int(r)) {
			return
		}
		if d < sep || (d == sep && int(r) < row) {
			row, sep = int(r), d
		}
	})
	if row < 0 {
		return -1, math.NaN()
	}
	return row, sep
}

func (ix *Index) visit(ra, dec, radius float64, fn func(row int32, sep float64)) {
	if len(ix.ent) == 0 || !(radius >= 0) || math.IsNaN(ra) || !(dec >= -90 && dec <= 90) {
		return
	}
	ranges := healpix.QueryDiscRanges(ix.order, ra, dec, radius, true)
	if ranges == nil && radius > 0 { // query too large for the pixel budget: scan everything
		ranges = []healpix.Range{{Start: 0, Stop: healpix.Npix(ix.order)}}
	}
	for _, rg := range ranges {
		for i := ix.search(rg.Start); i < len(ix.ent) && ix.ent[i].pix < rg.Stop; i++ {
			r := ix.ent[i].row
			if d := sky.Separation(ra, dec, ix.ra[r], ix.dec[r]); d <= radius {
				fn(r, d)
			}
		}
	}
}

// Counts returns the number of indexed positions per HEALPix pixel at order (≤ the index
// order), as sorted nested pixel numbers and counts: a density map for drawing when too
// many sources are in view.
func (ix *Index) Counts(order int) (pix []int64, counts []int32) {
	if order < 0 || order > ix.order {
		return nil, nil
	}
	shift := 2 * uint(ix.order-order)
	for _, e := range ix.ent {
		p := e.pix >> shift
		if n := len(pix); n > 0 && pix[n-1] == p {
			counts[n-1]++
			continue
		}
		pix = append(pix, p)
		counts = append(counts, 1)
	}
	return pix, counts
}

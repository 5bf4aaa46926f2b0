package view

import "fmt"

// SetCatalogRowWeights sets a display weight in [0, 1] for every row of a
// catalogue layer, e.g. from a time window (catalog.WindowWeights): rows of
// weight 0 are neither drawn nor picked nor selected by rectangle, and the
// others are drawn with their opacity multiplied by the weight. When at most
// MaxMarkers rows have a weight, they are always drawn one by one, never as
// density cells. nil restores every row at full weight. The layer keeps w.
func (v *View) SetCatalogRowWeights(id int, w []float32) error {
	l, err := v.catalogLayer(id)
	if err != nil {
		return err
	}
	if w != nil && len(w) != len(l.ra) {
		return fmt.Errorf("view: %d weights for catalogue %d of %d rows", len(w), id, len(l.ra))
	}
	n := 0
	for i, x := range w {
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("view: weight %v of row %d is not in [0, 1]", x, i)
		}
		if x > 0 {
			n++
		}
	}
	l.weights, l.nWeighted = w, n
	v.dirty = true
	return nil
}

// shown reports whether row r may be drawn and picked (its weight is not 0).
func (l *catalogLayer) shown(r int) bool { return l.weights == nil || l.weights[r] > 0 }

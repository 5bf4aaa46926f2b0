package view

import (
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/stretch"
)

// Histogram counts the finite pixels of an image's current plane in equal
// bins over [Lo, Hi]; pixels outside the range go to Below and Above, NaN
// (undefined) pixels to Blank.
type Histogram struct {
	Lo, Hi       float64
	Counts       []int
	Below, Above int
	Blank        int
}

// maxHistogramBins bounds the bins a histogram may have.
const maxHistogramBins = 1 << 16

// ImageHistogram returns a histogram of an image's current plane with bins
// bins over [lo, hi]; a NaN lo or hi is the data minimum or maximum. A value
// equal to hi falls in the last bin.
func (v *View) ImageHistogram(id, bins int, lo, hi float64) (Histogram, error) {
	im, err := v.image(id)
	if err != nil {
		return Histogram{}, err
	}
	if bins < 1 || bins > maxHistogramBins {
		return Histogram{}, fmt.Errorf("%s: histogram: bins must be 1..%d, got %d", im.name, maxHistogramBins, bins)
	}
	return histogram(im.data, bins, lo, hi)
}

func histogram(data []float32, bins int, lo, hi float64) (Histogram, error) {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, x := range data {
			f := float64(x)
			if f < mn {
				mn = f
			}
			if f > mx {
				mx = f
			}
		}
		if math.IsNaN(lo) {
			lo = mn
		}
		if math.IsNaN(hi) {
			hi = mx
		}
	}
	h := Histogram{Lo: lo, Hi: hi, Counts: make([]int, bins)}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		// No finite pixel.
		for _, x := range data {
			if x != x {
				h.Blank++
			}
		}
		h.Lo, h.Hi = 0, 1
		return h, nil
	}
	if !(hi >= lo) {
		return h, fmt.Errorf("histogram: range [%g, %g] is empty", lo, hi)
	}
	scale := 0.0
	if hi > lo {
		scale = float64(bins) / (hi - lo)
	}
	for _, x := range data {
		f := float64(x)
		switch {
		case f != f:
			h.Blank++
		case f < lo:
			h.Below++
		case f > hi:
			h.Above++
		default:
			k := int((f - lo) * scale)
			if k >= bins {
				k = bins - 1
			}
			h.Counts[k]++
		}
	}
	return h, nil
}

// Axis3 describes the third (spectral or other) axis of a cube from its WCS
// cards: its type and unit and the world coordinate of each plane. Linear
// axes and the -LOG algorithm of WCS Paper III (S = Sr·exp(w/Sr)) are
// evaluated; other algorithms give NaN values with the cards kept.
type Axis3 struct {
	CType, CUnit        string
	CRVal, CDelt, CRPix float64
	Values              []float64 // world coordinate of planes 0..n-1
}

// ImageAxis3 returns the third axis of an image and whether it has one
// (NAXIS >= 3).
func (v *View) ImageAxis3(id int) (Axis3, bool, error) {
	im, err := v.image(id)
	if err != nil {
		return Axis3{}, false, err
	}
	if len(im.info.Axes) < 3 {
		return Axis3{}, false, nil
	}
	return axis3(im.header, im.planes), true, nil
}

// axis3 reads the cards of axis 3 (CDi_j or PCi_j·CDELTi as in WCS Paper I)
// and evaluates the world coordinate of each of n planes.
func axis3(h interface {
	String(string) (string, bool)
	Float(string) (float64, bool)
}, n int) Axis3 {
	a := Axis3{CDelt: 1, CRPix: 0}
	a.CType, _ = h.String("CTYPE3")
	a.CUnit, _ = h.String("CUNIT3")
	a.CType, a.CUnit = strings.TrimSpace(a.CType), strings.TrimSpace(a.CUnit)
	if f, ok := h.Float("CRVAL3"); ok {
		a.CRVal = f
	}
	if f, ok := h.Float("CRPIX3"); ok {
		a.CRPix = f
	}
	if f, ok := h.Float("CD3_3"); ok {
		a.CDelt = f
	} else {
		if f, ok := h.Float("CDELT3"); ok {
			a.CDelt = f
		}
		if f, ok := h.Float("PC3_3"); ok {
			a.CDelt *= f
		}
	}
	alg := ""
	if len(a.CType) > 5 && a.CType[4] == '-' {
		alg = strings.Trim(a.CType[4:], "-")
	}
	if n > maxHistogramBins {
		n = maxHistogramBins
	}
	a.Values = make([]float64, n)
	for p := range a.Values {
		w := a.CDelt * (float64(p+1) - a.CRPix)
		switch {
		case alg == "LOG":
			a.Values[p] = a.CRVal * math.Exp(w/a.CRVal)
		case nonLinear[alg]:
			a.Values[p] = math.NaN()
		default: // linear, including AIPS-style suffixes such as VELO-LSR
			a.Values[p] = a.CRVal + w
		}
	}
	return a
}

// nonLinear are the Paper III spectral algorithm codes other than LOG, which
// axis3 does not evaluate.
var nonLinear = map[string]bool{"F2W": true, "F2V": true, "F2A": true, "W2F": true, "W2V": true, "W2A": true,
	"V2F": true, "V2W": true, "V2A": true, "A2F": true, "A2W": true, "A2V": true, "GRI": true, "GRA": true, "TAB": true}

// ImageColorbar returns the colorbar of an image's current display: n
// colours and about maxTicks ticks, with its limits.
func (v *View) ImageColorbar(id, n, maxTicks int) (stretch.Colorbar, float64, float64, error) {
	im, err := v.image(id)
	if err != nil {
		return stretch.Colorbar{}, 0, 0, err
	}
	cb, err := stretch.NewColorbar(*im.params, n, maxTicks)
	if err != nil {
		return cb, 0, 0, fmt.Errorf("%s: %w", im.name, err)
	}
	return cb, im.params.Lo, im.params.Hi, nil
}

package view

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/stretch"
)

// display is the display setting of FITS data (an image, a HiPS of FITS
// tiles) and the parameters it resolves to: the shader uniforms that map
// physical values to colours.
type display struct {
	set    ImageStretch
	params *stretch.Params
	// allFinite: the owner knows the data hold no NaN or infinity
	// (fits.Image.AllFinite), so ZScale skips its counting pass.
	allFinite bool
	// finite, when set, counts the data's finite values per fits.FiniteBlock
	// values (fits.Image.FiniteCounts), for ZScale to skip the same pass.
	finite []int32
}

// apply resolves a setting against data (the physical values it is computed
// from) and keeps both. When only the mapping changes (same interval), the
// limits stand and the data are not read again; the histogram-equalisation
// table is reused while the limits are the same.
func (d *display) apply(s ImageStretch, data []float32) error {
	var iv stretch.Interval
	switch strings.ToLower(s.Interval) {
	case "", "zscale":
		iv = stretch.ZScale{}
	case "minmax":
		iv = stretch.MinMax{}
	case "percentile":
		if !(s.Percentile > 0 && s.Percentile <= 100) {
			return fmt.Errorf("percentile interval: %v is not in (0, 100]", s.Percentile)
		}
		iv = stretch.Percentile{P: s.Percentile}
	case "manual":
		if math.IsNaN(s.Min) || math.IsNaN(s.Max) || math.IsInf(s.Min, 0) || math.IsInf(s.Max, 0) {
			return errors.New("manual interval: min and max must be finite numbers")
		}
		iv = stretch.Manual{Min: s.Min, Max: s.Max}
	default:
		return fmt.Errorf("unknown interval %q (want zscale, minmax, percentile or manual)", s.Interval)
	}
	kind, err := stretch.ParseKind(strings.ToLower(s.Stretch))
	if err != nil {
		return fmt.Errorf("stretch: %w", err)
	}
	var lo, hi float64
	if d.params != nil && sameInterval(s, d.set) {
		// Only the mapping changed: the limits stand (no pass over the data).
		lo, hi = d.params.Lo, d.params.Hi
	} else {
		lo, hi = d.limits(iv, data)
	}
	cm := s.Colormap
	if cm == "grey" || cm == "gray" {
		cm = ""
	}
	p := &stretch.Params{Lo: lo, Hi: hi, Kind: kind, A: s.A, Colormap: cm, Invert: s.Invert, Contrast: s.Contrast, Bias: s.Bias}
	if kind == stretch.KindHistEq {
		if d.params != nil && len(d.params.HistEq) > 0 && d.params.Lo == lo && d.params.Hi == hi {
			p.HistEq = d.params.HistEq
		} else if p.HistEq, err = stretch.HistEqTableFor(data, lo, hi); err != nil {
			return fmt.Errorf("histeq: %w", err)
		}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	d.set, d.params = s, p
	return nil
}

// limits computes an interval's limits over data: ZScale skips its pass
// counting the finite values when the owner knows them (allFinite, finite).
// With no finite value they are [0, 1]: everything is transparent anyway.
func (d *display) limits(iv stretch.Interval, data []float32) (lo, hi float64) {
	z, isZ := iv.(stretch.ZScale)
	switch {
	case isZ && d.allFinite:
		lo, hi = z.LimitsF32AllFinite(data)
	case isZ && d.finite != nil:
		lo, hi = z.LimitsF32Counted(data, fits.FiniteBlock, d.finite)
	default:
		lo, hi = stretch.LimitsF32(iv, data)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 1
	}
	return lo, hi
}

// sameInterval reports whether two settings have the same interval.
func sameInterval(a, b ImageStretch) bool {
	ia, ib := strings.ToLower(a.Interval), strings.ToLower(b.Interval)
	if ia == "" {
		ia = "zscale"
	}
	if ib == "" {
		ib = "zscale"
	}
	if ia != ib {
		return false
	}
	switch ia {
	case "percentile":
		return a.Percentile == b.Percentile
	case "manual":
		return a.Min == b.Min && a.Max == b.Max
	}
	return true
}

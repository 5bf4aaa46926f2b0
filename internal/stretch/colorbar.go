package stretch

import (
	"fmt"
	"math"
	"strconv"
)

// ColorbarTick is one labelled tick of a colorbar.
type ColorbarTick struct {
	Value float64 // physical value
	Pos   float64 // position along the bar: 0 at the Lo end, 1 at the Hi end
	Label string
}

// Colorbar is a legend for Params: Colors[i] is the colour at bar position
// (i+0.5)/len(Colors) (the bar is uniform in the stretched value, so it shows
// the colormap as displayed, with contrast/bias and invert), and Ticks are
// round physical values placed where the stretch puts them.
type Colorbar struct {
	Colors [][4]uint8
	Ticks  []ColorbarTick
}

// NewColorbar returns a colorbar of n colours (n >= 1) with about maxTicks
// ticks (>= 2). For the linear stretch the ticks are the usual round values
// (steps of 1, 2, 2.5 or 5 × 10^k); for the others, round values near equally
// spaced bar positions, so a log or histeq bar gets readable ticks along its
// whole length. Lo and Hi must be finite.
func NewColorbar(p Params, n, maxTicks int) (Colorbar, error) {
	if n < 1 || n > 1<<16 {
		return Colorbar{}, fmt.Errorf("stretch: colorbar needs 1..65536 colours, got %d", n)
	}
	if maxTicks < 2 || maxTicks > 1000 {
		return Colorbar{}, fmt.Errorf("stretch: colorbar needs 2..1000 ticks, got %d", maxTicks)
	}
	if !isFinite(p.Lo) || !isFinite(p.Hi) || !isFinite(p.Hi-p.Lo) {
		return Colorbar{}, fmt.Errorf("stretch: colorbar needs finite limits, got [%g, %g]", p.Lo, p.Hi)
	}
	z, err := p.Compile()
	if err != nil {
		return Colorbar{}, err
	}
	cb := Colorbar{Colors: make([][4]uint8, n)}
	for i := range cb.Colors {
		c := int((float64(i) + 0.5) / float64(n) * 256)
		cb.Colors[i] = z.rgba[min(c, 255)]
	}
	lo, hi := p.Lo, p.Hi
	if lo == hi {
		cb.Ticks = []ColorbarTick{{Value: lo, Pos: 0, Label: formatTick(lo, 0)}}
		return cb, nil
	}
	s := z.s
	pos := func(v float64) float64 {
		return clip01(s.Apply(normalise(v, lo, hi)))
	}
	var values []float64
	var steps []float64
	linear := p.Kind == KindLinear
	if linear {
		step := niceStep(math.Abs(hi-lo)/float64(maxTicks), []float64{1, 2, 2.5, 5, 10})
		a, b := math.Min(lo, hi), math.Max(lo, hi)
		for k := math.Ceil(a / step); k*step <= b && len(values) <= 2*maxTicks; k++ {
			values = append(values, k*step)
			steps = append(steps, step)
		}
	} else {
		// Invert the stretch at equally spaced bar positions (it is monotonic).
		xs := make([]float64, maxTicks+1)
		for k := range xs {
			y := float64(k) / float64(maxTicks)
			a, b := 0.0, 1.0
			for it := 0; it < 60; it++ {
				m := (a + b) / 2
				if clip01(s.Apply(m)) < y {
					a = m
				} else {
					b = m
				}
			}
			xs[k] = b
		}
		for k, x := range xs {
			v := lo + x*(hi-lo)
			// Local spacing to the neighbouring targets sets the rounding.
			d := math.Inf(1)
			if k > 0 {
				d = math.Min(d, math.Abs(x-xs[k-1])*math.Abs(hi-lo))
			}
			if k < len(xs)-1 {
				d = math.Min(d, math.Abs(xs[k+1]-x)*math.Abs(hi-lo))
			}
			if !(d > 0) || math.IsInf(d, 0) {
				continue
			}
			step := niceStep(d/2, []float64{1, 2, 5, 10})
			r := math.Round(v/step) * step
			if r < math.Min(lo, hi) || r > math.Max(lo, hi) {
				r = v
				step = 0
			}
			if len(values) > 0 && r == values[len(values)-1] {
				continue
			}
			values = append(values, r)
			steps = append(steps, step)
		}
	}
	for i, v := range values {
		cb.Ticks = append(cb.Ticks, ColorbarTick{Value: v, Pos: pos(v), Label: formatTick(v, steps[i])})
	}
	return cb, nil
}

// niceStep returns the smallest m·10^k >= x with m from mults (ascending,
// ending with 10).
func niceStep(x float64, mults []float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range mults {
		if m*e >= x*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// formatTick formats v with as many decimals as the step needs.
func formatTick(v, step float64) string {
	if v == 0 {
		return "0"
	}
	av := math.Abs(v)
	if step > 0 && av >= 1e-4 && av < 1e7 {
		dec := 0
		if step < 1 {
			dec = int(math.Ceil(-math.Log10(step) - 1e-9))
			// 2.5 × 10^k needs one more digit.
			if r := step * math.Pow(10, float64(dec)); math.Abs(r-math.Round(r)) > 1e-6 {
				dec++
			}
		}
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

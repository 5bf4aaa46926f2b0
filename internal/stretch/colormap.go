package stretch

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

// LUTSize is the number of entries of every colormap look-up table.
const LUTSize = 256

// colormapNames lists the colormaps in the order Colormaps returns them.
var colormapNames = []string{
	"grey", "viridis", "magma", "inferno", "plasma", "cividis", "twilight",
	"heat", "cool", "a", "b", "bb", "he", "i8", "aips0", "sls", "hsv", "rainbow",
	"red", "green", "blue",
}

// luts returns every colormap's 256-entry table, computed once on first use
// (not at start-up: ~10 ms of the wasm boot) and never modified.
var luts = sync.OnceValue(buildLUTs)

// Colormaps returns the names of the available colormaps. Each one can also be
// used reversed, by passing reversed=true to LUT or by appending "_r" to its
// name ("viridis_r"). "gray" is accepted as an alias of "grey".
func Colormaps() []string { return append([]string(nil), colormapNames...) }

// LUT returns the 256-entry RGB table of the named colormap (entry 0 is the
// colour of the lowest value). A name ending in "_r" toggles reversed.
//
// How the tables are made (8-bit values are rounded to nearest):
//   - matplotlib's listed maps (viridis, magma, inferno, plasma, cividis) have
//     256 colours, used as they are; twilight has 510 and is resampled as
//     matplotlib's resampled(256) does: entry i is colour int(i/255·510)
//     (510 → 509).
//   - DS9's piecewise-linear maps (grey, red, green, blue, a, b, bb, he, heat,
//     cool, rainbow) are evaluated at x = i/255 with DS9's SAOColorMap rule
//     (float32 point-slope interpolation between the knots around x).
//   - DS9's listed maps (i8, aips0, sls, hsv) use DS9's LUTColorMap rule:
//     entry i is colour i·size/256 (integer division), giving equal bands.
func LUT(name string, reversed bool) ([256][3]uint8, error) {
	base := strings.ToLower(strings.TrimSpace(name))
	if strings.HasSuffix(base, "_r") {
		base = strings.TrimSuffix(base, "_r")
		reversed = !reversed
	}
	if base == "gray" {
		base = "grey"
	}
	t, ok := luts()[base]
	if !ok {
		return t, fmt.Errorf("stretch: unknown colormap %q (available: %s, each also with _r)", name, strings.Join(colormapNames, ", "))
	}
	if reversed {
		for i := 0; i < LUTSize/2; i++ {
			t[i], t[LUTSize-1-i] = t[LUTSize-1-i], t[i]
		}
	}
	return t, nil
}

func to8(v float64) uint8 {
	v = math.Round(v * 255)
	if !(v > 0) {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

func buildLUTs() map[string][256][3]uint8 {
	m := make(map[string][256][3]uint8, len(colormapNames))
	listed := map[string][][3]float64{
		"viridis": mplViridis[:], "magma": mplMagma[:], "inferno": mplInferno[:],
		"plasma": mplPlasma[:], "cividis": mplCividis[:], "twilight": mplTwilight[:],
	}
	for name, data := range listed {
		var t [256][3]uint8
		n := len(data)
		step := 1.0 / 255
		for i := range t {
			x := float64(i) * step
			if i == 255 {
				x = 1
			}
			idx := int(x * float64(n))
			if idx >= n {
				idx = n - 1
			}
			for k := 0; k < 3; k++ {
				t[i][k] = to8(data[idx][k])
			}
		}
		m[name] = t
	}
	for name, sm := range saoMaps {
		var t [256][3]uint8
		for i := range t {
			x := float32(i) / 255
			t[i] = [3]uint8{to8(float64(saoEval(sm.r, x))), to8(float64(saoEval(sm.g, x))), to8(float64(saoEval(sm.b, x)))}
		}
		m[name] = t
	}
	lists := map[string][][3]float32{"i8": lutI8, "aips0": lutAIPS0, "sls": lutSLS[:], "hsv": ds9HSV()}
	for name, cols := range lists {
		var t [256][3]uint8
		size := len(cols)
		for i := range t {
			idx := i * size / LUTSize
			for k := 0; k < 3; k++ {
				t[i][k] = to8(float64(cols[idx][k]))
			}
		}
		m[name] = t
	}
	return m
}

// saoEval is DS9's SAOColorMap::getColorChar interpolation before the
// conversion to 8 bits: the first knot at or right of x and the one before it.
func saoEval(ks []knot, x float32) float32 {
	var tail *knot
	hi := -1
	for i := range ks {
		if !(ks[i].x < x) {
			hi = i
			break
		}
		tail = &ks[i]
	}
	switch {
	case tail != nil && hi >= 0:
		head := ks[hi]
		m := (head.y - tail.y) / (head.x - tail.x)
		if m != 0 {
			return float32(m*(x-tail.x)) + tail.y
		}
		return head.y
	case hi >= 0:
		return ks[hi].y
	case tail != nil:
		return tail.y
	}
	return 0
}

// ds9HSV generates DS9's HSVColorMap (200 colours): hue from 270° round to
// 270°, value the cube root of the position, saturation |sin(π·frac)|,
// computed in float32 as DS9 does.
func ds9HSV() [][3]float32 {
	const size = 200
	out := make([][3]float32, 0, size)
	for i := 0; i < size; i++ {
		frac := float32(1.0 - float64(float32(i)/float32(size-1)))
		h := float32(float64(frac)*360.0 + 270.0)
		s := float32(math.Abs(math.Sin(float64(frac) * 3.1416)))
		v := float32(math.Pow(1.0-float64(frac), 1.0/3.0))
		for h >= 360 {
			h -= 360
		}
		h /= 60
		ii := int(h)
		f := h - float32(ii)
		p := v * (1 - s)
		q := v * (1 - s*f)
		t := float32(float64(v) * (1 - float64(s)*(1.0-float64(f))))
		var c [3]float32
		switch ii {
		case 0:
			c = [3]float32{v, t, p}
		case 1:
			c = [3]float32{q, v, p}
		case 2:
			c = [3]float32{p, v, t}
		case 3:
			c = [3]float32{p, q, v}
		case 4:
			c = [3]float32{t, p, v}
		default:
			c = [3]float32{v, p, q}
		}
		out = append(out, c)
	}
	return out
}

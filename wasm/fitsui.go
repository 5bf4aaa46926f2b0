//go:build js && wasm

package main

import (
	"math"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/stretch"
)

// fitsUIMethods: what the FITS panel reads (histogram, third axis,
// colorbar).
func (vw *viewer) fitsUIMethods() {
	vw.def("colormaps", func([]js.Value) any { return colormapNames() })
	// setImagePixelGrid(id, on, northUp): the image on its own pixel grid (no reprojection).
	vw.def("setImagePixelGrid", func(a []js.Value) any {
		on := len(a) > 1 && a[1].Truthy()
		nu := len(a) > 2 && a[2].Truthy()
		if err := vw.v.SetImagePixelGrid(int(arg(a, 0)), on, nu); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("imagePixelGrid", func(a []js.Value) any {
		on, nu := vw.v.ImagePixelGrid(int(arg(a, 0)))
		return js.ValueOf(map[string]any{"on": on, "northUp": nu})
	})
	// imageHistogram(id, bins, lo, hi) -> {lo, hi, counts, below, above, blank}
	vw.def("imageHistogram", func(a []js.Value) any {
		bins := arg(a, 1)
		if math.IsNaN(bins) {
			bins = 256
		}
		h, err := vw.v.ImageHistogram(int(arg(a, 0)), int(bins), arg(a, 2), arg(a, 3))
		if err != nil {
			return errObj(err)
		}
		c := make([]any, len(h.Counts))
		for i, n := range h.Counts {
			c[i] = n
		}
		return js.ValueOf(map[string]any{"lo": h.Lo, "hi": h.Hi, "counts": c, "below": h.Below, "above": h.Above, "blank": h.Blank})
	})
	// imageAxis3(id) -> {ctype, cunit, crval, cdelt, crpix, values} or null
	vw.def("imageAxis3", func(a []js.Value) any {
		ax, ok, err := vw.v.ImageAxis3(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		if !ok {
			return js.Null()
		}
		vals := make([]any, len(ax.Values))
		for i, x := range ax.Values {
			if math.IsNaN(x) {
				vals[i] = nil
			} else {
				vals[i] = x
			}
		}
		return js.ValueOf(map[string]any{"ctype": ax.CType, "cunit": ax.CUnit, "crval": ax.CRVal,
			"cdelt": ax.CDelt, "crpix": ax.CRPix, "values": vals})
	})
	// imageColorbar(id, n, maxTicks) -> {lo, hi, colors: Uint8Array (RGBA), ticks: [{value, pos, label}]}
	vw.def("imageColorbar", func(a []js.Value) any {
		n, t := arg(a, 1), arg(a, 2)
		if math.IsNaN(n) {
			n = 256
		}
		if math.IsNaN(t) {
			t = 6
		}
		cb, lo, hi, err := vw.v.ImageColorbar(int(arg(a, 0)), int(n), int(t))
		if err != nil {
			return errObj(err)
		}
		rgba := make([]byte, 0, 4*len(cb.Colors))
		for _, c := range cb.Colors {
			rgba = append(rgba, c[:]...)
		}
		arr := js.Global().Get("Uint8Array").New(len(rgba))
		js.CopyBytesToJS(arr, rgba)
		ticks := make([]any, len(cb.Ticks))
		for i, tk := range cb.Ticks {
			ticks[i] = map[string]any{"value": tk.Value, "pos": tk.Pos, "label": tk.Label}
		}
		return js.ValueOf(map[string]any{"lo": lo, "hi": hi, "colors": arr, "ticks": ticks})
	})
}

// colormapNames lists the colormaps setStretch accepts (for the panel).
func colormapNames() any {
	names := stretch.Colormaps()
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/gl"
	"github.com/skyglass/skyglass/internal/stretch"
)

// selfTestStretch checks, in the browser it runs in, that the WebGL2 data
// program (internal/gl with internal/stretch's GLSL) colours values exactly as
// the CPU reference (stretch.Params.Color) does. It draws a gradient of
// physical values, one per canvas pixel, through every stretch with grey, every
// colormap (and its reverse) with a linear stretch, and a few contrast/bias/
// invert settings, reads the pixels back and returns
// {cases, pixels, maxDiff, ambiguous, worst}: maxDiff is the largest channel
// difference in 1/255 units over pixels whose colour cell is the same in
// float64 and float32 arithmetic (WebGL holds values and uniforms in float32;
// "ambiguous" counts the pixels sitting on a cell boundary, skipped). The
// canvas is opaque, so NaN (transparent) must show the black background.
// The browser tests call it through Skyglass._core().
func selfTestStretch(canvas js.Value, only string) (js.Value, error) {
	const w = 1024
	canvas.Set("width", w)
	canvas.Set("height", 1)
	r, err := gl.New(canvas)
	if err != nil {
		return js.Null(), err
	}
	defer r.Destroy()
	lo, hi := -50.0, 1000.0
	vals := make([]float32, w)
	for i := range vals {
		// Beyond both limits at the ends, to check clipping too.
		vals[i] = float32(lo - 60 + (hi-lo+120)*float64(i)/float64(w-1))
	}
	const nanAt = 7
	vals[nanAt] = float32(math.NaN()) // NaN is transparent
	if err := r.UploadFloat("gradient", -1, 0, 0, w, 1, vals); err != nil {
		return js.Null(), err
	}
	heq, err := stretch.NewHistEqF32(vals)
	if err != nil {
		return js.Null(), err
	}
	var cases []stretch.Params
	for k := stretch.KindLinear; k <= stretch.KindHistEq; k++ {
		p := stretch.Params{Lo: lo, Hi: hi, Kind: k}
		if k == stretch.KindHistEq {
			p.HistEq = heq.Table(stretch.HistEqTableSize)
		}
		cases = append(cases, p)
	}
	for _, name := range stretch.Colormaps() {
		cases = append(cases, stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindLinear, Colormap: name},
			stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindAsinh, Colormap: name + "_r"})
	}
	cases = append(cases,
		stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindLog, Colormap: "heat", Invert: true},
		// Contrast/bias values whose cell arithmetic never lands within 0.04
		// of an integer (2.5/0.3 lands exactly on integers, where float32 and
		// float64 legitimately round to neighbouring cells).
		stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindSqrt, Colormap: "viridis", Contrast: 2.3, Bias: 0.37},
		stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindLinear, Colormap: "grey", Contrast: 0.6, Bias: 0.7, Invert: true},
	)
	if only != "" {
		var keep []stretch.Params
		for _, p := range cases {
			if p.Colormap == only {
				keep = append(keep, p)
			}
		}
		cases = keep
	}
	verts := []float32{-1, -1, 0, 0.5, 0, 1, -1, 1, 0.5, 0, -1, 1, 0, 0.5, 0, 1, 1, 1, 0.5, 0}
	idx := []uint32{0, 1, 3, 0, 3, 2}
	var maxDiff, ambiguous, pixels int
	worst := ""
	var failing []string // cases over 1/255, for the report
	for ci := range cases {
		p := cases[ci]
		r.Draw(&draw.List{Width: w, Height: 1, DPR: 1, Background: [4]float32{0, 0, 0, 0},
			Meshes: []draw.Mesh{{Texture: "gradient", Vertices: verts, Indices: idx, Opacity: 1, Stretch: &p}}})
		got, err := r.ReadPixels(w, 1)
		if err != nil {
			return js.Null(), err
		}
		p32 := p
		p32.Lo, p32.Hi = float64(float32(p.Lo)), float64(float32(p.Hi))
		caseMax := 0
		for i, v := range vals {
			if i == nanAt-1 || i == nanAt+1 {
				continue // linear filtering mixes the NaN into its neighbours
			}
			want := p.Color(float64(v))
			if want != p32.Color(float64(v)) {
				ambiguous++
				continue
			}
			pixels++
			// The canvas has no alpha channel: a transparent colour (NaN) shows
			// the black background, an opaque one its RGB.
			if want[3] == 0 {
				want = [4]uint8{0, 0, 0, 255}
			}
			for c := range 3 {
				d := int(got[4*i+c]) - int(want[c])
				if d < 0 {
					d = -d
				}
				caseMax = max(caseMax, d)
				if d > maxDiff {
					maxDiff = d
					worst = fmt.Sprintf("%s/%s invert=%v c/b=%g/%g value %g channel %d: GPU %v CPU %v",
						p.Kind, p.Colormap, p.Invert, p.Contrast, p.Bias, v, c, got[4*i:4*i+4], want)
				}
			}
		}
		if caseMax > 1 {
			failing = append(failing, fmt.Sprintf("%s/%s(%d)", p.Kind, p.Colormap, caseMax))
		}
	}
	if pixels == 0 {
		return js.Null(), errors.New("self test compared no pixel")
	}
	out := js.Global().Get("Object").New()
	out.Set("cases", len(cases))
	out.Set("pixels", pixels)
	out.Set("ambiguous", ambiguous)
	out.Set("maxDiff", maxDiff)
	out.Set("worst", worst)
	out.Set("failing", fmt.Sprint(failing))
	return out, nil
}

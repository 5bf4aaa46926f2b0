//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/skyglass/skyglass/internal/view"
)

// mergeStretch applies the fields a JavaScript display spec gives to a
// setting (skyglass.js normalises the public spec into this flat form):
//
//	{interval: 'zscale'|'minmax'|'percentile'|'manual', percentile, min, max,
//	 stretch, a, colormap, invert, contrast, bias}
//
// Fields left out (or not numbers) keep their current values. FITS images and
// HiPS of FITS tiles share it.
func mergeStretch(o js.Value, s view.ImageStretch) view.ImageStretch {
	if o.Type() != js.TypeObject {
		return s
	}
	s.Interval = str(o, "interval", s.Interval)
	s.Percentile = num(o, "percentile", s.Percentile)
	s.Min = num(o, "min", s.Min)
	s.Max = num(o, "max", s.Max)
	s.Stretch = str(o, "stretch", s.Stretch)
	s.A = num(o, "a", s.A)
	s.Colormap = str(o, "colormap", s.Colormap)
	if iv := o.Get("invert"); iv.Type() == js.TypeBoolean {
		s.Invert = iv.Bool()
	}
	s.Contrast = num(o, "contrast", s.Contrast)
	s.Bias = num(o, "bias", s.Bias)
	return s
}

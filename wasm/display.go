//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/stretch"
)

// displayFromJS applies a JavaScript display spec to base:
//
//	{interval: 'zscale' | 'minmax' | {percentile: 99.5} | {min, max},
//	 min, max, stretch: 'linear'|'sqrt'|'log'|'asinh'|'power'|'sinh'|'squared'|'histeq',
//	 a, colormap, invert, contrast, bias}
//
// Intervals other than {min, max} are computed from data (the physical
// values at hand); fields left out keep base's values.
func displayFromJS(spec js.Value, base stretch.Params, data []float32) (stretch.Params, error) {
	p := base
	if spec.Type() != js.TypeObject {
		return p, errors.New("the display spec must be an object")
	}
	needData := func(what string) error {
		if len(data) == 0 {
			return fmt.Errorf("interval %s needs data values, and there are none yet", what)
		}
		return nil
	}
	iv := spec.Get("interval")
	switch iv.Type() {
	case js.TypeString:
		var in stretch.Interval
		switch iv.String() {
		case "zscale":
			in = stretch.ZScale{}
		case "minmax":
			in = stretch.MinMax{}
		default:
			return p, fmt.Errorf("unknown interval %q (want zscale, minmax, {percentile: P} or {min, max})", iv.String())
		}
		if err := needData(iv.String()); err != nil {
			return p, err
		}
		p.Lo, p.Hi = stretch.LimitsF32(in, data)
	case js.TypeObject:
		if pc := iv.Get("percentile"); pc.Type() == js.TypeNumber {
			if err := needData("percentile"); err != nil {
				return p, err
			}
			p.Lo, p.Hi = stretch.LimitsF32(stretch.Percentile{P: pc.Float()}, data)
		} else {
			if v := iv.Get("min"); v.Type() == js.TypeNumber {
				p.Lo = v.Float()
			}
			if v := iv.Get("max"); v.Type() == js.TypeNumber {
				p.Hi = v.Float()
			}
		}
	case js.TypeUndefined, js.TypeNull:
	default:
		return p, errors.New("interval must be a name or an object")
	}
	if v := spec.Get("min"); v.Type() == js.TypeNumber {
		p.Lo = v.Float()
	}
	if v := spec.Get("max"); v.Type() == js.TypeNumber {
		p.Hi = v.Float()
	}
	if math.IsNaN(p.Lo) || math.IsNaN(p.Hi) {
		return p, errors.New("the interval has no finite limits (no finite data?)")
	}
	if v := spec.Get("stretch"); v.Type() == js.TypeString {
		k, err := stretch.ParseKind(v.String())
		if err != nil {
			return p, err
		}
		p.Kind, p.A, p.B, p.HistEq = k, 0, 0, nil
		if k == stretch.KindHistEq {
			if err := needData("histeq"); err != nil {
				return p, err
			}
			tab, err := stretch.HistEqTableFor(data, p.Lo, p.Hi)
			if err != nil {
				return p, err
			}
			p.HistEq = tab
		}
	}
	if v := spec.Get("a"); v.Type() == js.TypeNumber {
		p.A = v.Float()
	}
	if v := spec.Get("colormap"); v.Type() == js.TypeString {
		p.Colormap = v.String()
	}
	if v := spec.Get("invert"); v.Type() == js.TypeBoolean {
		p.Invert = v.Bool()
	}
	if v := spec.Get("contrast"); v.Type() == js.TypeNumber {
		p.Contrast = v.Float()
	}
	if v := spec.Get("bias"); v.Type() == js.TypeNumber {
		p.Bias = v.Float()
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	return p, nil
}

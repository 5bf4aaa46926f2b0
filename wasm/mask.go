//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/view"
)

// maskMethods: mask HDUs shown as bit-plane overlays over an image. The
// host passes the file again (the Uint8Array or Blob the image was opened
// from): the view keeps no file bytes, and reads the mask HDU only.
func (vw *viewer) maskMethods() {
	// imageMasks(id, data, name) -> Promise of [{hdu, name, shape, bits: [{bit, name, count}]}]
	vw.def("imageMasks", func(a []js.Value) any {
		id := int(arg(a, 0))
		r, size, err := vw.fileReader(a, 1)
		if err != nil {
			return errObj(err)
		}
		return vw.promise(func() any {
			ms, err := vw.v.ImageMasks(id, r, size)
			if err != nil {
				return errObj(err)
			}
			out := make([]any, len(ms))
			for i, m := range ms {
				bits := make([]any, len(m.Planes))
				for k, p := range m.Planes {
					bits[k] = map[string]any{"bit": p.Bit, "name": p.Name, "count": p.Count}
				}
				out[i] = map[string]any{"hdu": m.HDU, "name": m.Name, "shape": intsAny(m.Shape), "bits": bits}
			}
			return js.ValueOf(out)
		})
	})
	// showImageMask(id, {hdu, planes: [{bit, color: [r, g, b] in 0..1}], opacity}, data, name):
	// null at once when that HDU is decoded already, else a Promise of null.
	vw.def("showImageMask", func(a []js.Value) any {
		id := int(arg(a, 0))
		d, err := maskDisplay(a)
		if err != nil {
			return errObj(err)
		}
		show := func(r io.ReaderAt, size int64) any {
			freed, err := vw.v.ShowImageMask(id, r, size, d)
			if err != nil {
				return errObj(err)
			}
			for _, k := range freed {
				vw.r.DeleteTexture(k)
			}
			vw.uploads()
			vw.schedule()
			return nil
		}
		if vw.v.ImageMaskLoaded(id, d.HDU) {
			return show(nil, 0)
		}
		r, size, err := vw.fileReader(a, 2)
		if err != nil {
			return errObj(err)
		}
		return vw.promise(func() any { return show(r, size) })
	})
	vw.def("hideImageMask", func(a []js.Value) any {
		return vw.dropTextures(vw.v.HideImageMask(int(arg(a, 0))))
	})
	// imageMask(id) -> {hdu, planes: [{bit, color}], opacity} or null
	vw.def("imageMask", func(a []js.Value) any {
		d, ok := vw.v.ImageMask(int(arg(a, 0)))
		if !ok {
			return js.Null()
		}
		planes := make([]any, len(d.Layers))
		for i, l := range d.Layers {
			planes[i] = map[string]any{"bit": l.Bit, "color": []any{l.Color[0], l.Color[1], l.Color[2]}}
		}
		return js.ValueOf(map[string]any{"hdu": d.HDU, "planes": planes, "opacity": d.Opacity})
	})
}

// maskDisplay reads showImageMask's spec (argument 1).
func maskDisplay(a []js.Value) (view.MaskDisplay, error) {
	if len(a) < 2 || a[1].Type() != js.TypeObject {
		return view.MaskDisplay{}, errors.New("showMask: give {hdu, planes: [{bit, color}], opacity}")
	}
	s := a[1]
	d := view.MaskDisplay{HDU: -1, Opacity: 1}
	if h := s.Get("hdu"); h.Type() == js.TypeNumber {
		d.HDU = h.Int()
	}
	if o := s.Get("opacity"); o.Type() == js.TypeNumber {
		d.Opacity = o.Float()
	}
	if p := s.Get("planes"); p.Truthy() {
		n := p.Get("length").Int()
		if n > view.MaxMaskPlanes {
			return d, fmt.Errorf("showMask: %d planes, at most %d can be shown at once", n, view.MaxMaskPlanes)
		}
		for i := range n {
			e := p.Index(i)
			b := e.Get("bit")
			if b.Type() != js.TypeNumber || b.Float() != math.Trunc(b.Float()) {
				return d, fmt.Errorf("showMask: plane %d: bit must be an integer 0..31", i)
			}
			l := view.MaskLayer{Bit: b.Int()}
			c := e.Get("color")
			for k := range 3 {
				if c.Truthy() && c.Get("length").Int() > k {
					l.Color[k] = float32(c.Index(k).Float())
				}
			}
			d.Layers = append(d.Layers, l)
		}
	}
	return d, nil
}

// fileReader reads a file the host passes as a Uint8Array (read in place,
// range by range), a Blob (read lazily; only from a goroutine) or the id of
// a fitsBuffer kept by openFITSBuffer.
func (vw *viewer) fileReader(a []js.Value, i int) (io.ReaderAt, int64, error) {
	if i >= len(a) {
		return nil, 0, errors.New("the FITS file is not available")
	}
	v, name := a[i], argStr(a, i+1)
	switch {
	case v.Type() == js.TypeNumber:
		b, ok := vw.bufs[v.Int()]
		if !ok {
			return nil, 0, fmt.Errorf("no FITS buffer %d", v.Int())
		}
		return bytes.NewReader(b), int64(len(b)), nil
	case v.InstanceOf(js.Global().Get("Uint8Array")):
		n := int64(v.Get("length").Int())
		return &bytesReader{arr: v, size: n}, n, nil
	case v.InstanceOf(js.Global().Get("Blob")):
		r := &blobReader{blob: v, size: int64(v.Get("size").Float()), name: name}
		return r, r.size, nil
	}
	return nil, 0, errors.New("the FITS file is not available (give the Uint8Array or Blob it was opened from)")
}

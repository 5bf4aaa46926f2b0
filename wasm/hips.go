//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/view"
)

// hipsMethods: HiPS layers and the resources the host loads for them.
func (vw *viewer) hipsMethods() {
	vw.def("addHiPS", func(a []js.Value) any {
		url := argStr(a, 0)
		if url == "" {
			return errObj(errors.New("addHiPS(url): the HiPS URL must be a non-empty string"))
		}
		op := arg(a, 1)
		if math.IsNaN(op) {
			op = 1
		}
		full := len(a) > 3 && a[3].Truthy()
		id := vw.v.AddHiPS(url, view.HiPSOptions{Opacity: math.Max(0, math.Min(1, op)), Format: argStr(a, 2), FullResolution: full})
		vw.schedule()
		return id
	})
	vw.def("setHiPSStretch", func(a []js.Value) any {
		id := int(arg(a, 0))
		if len(a) < 2 {
			return errObj(errors.New("setStretch(spec)"))
		}
		s, ok := vw.v.HiPSStretchOf(id)
		if !ok {
			return errObj(errors.New("setStretch: this HiPS has colour tiles; stretches apply to FITS tiles (format: 'fits')"))
		}
		if err := vw.v.SetHiPSStretch(id, mergeStretch(a[1], s)); err != nil {
			return errObj(fmt.Errorf("setStretch: %w", err))
		}
		vw.schedule()
		return nil
	})
	vw.def("setHiPSOpacity", func(a []js.Value) any {
		if err := vw.v.SetHiPSOpacity(int(arg(a, 0)), arg(a, 1)); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("removeHiPS", func(a []js.Value) any {
		prefix, err := vw.v.RemoveHiPS(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		vw.r.DeleteTexturesWithPrefix(prefix)
		vw.schedule()
		return nil
	})
	vw.def("tileEdgeDistance", func(a []js.Value) any {
		return vw.v.TileEdgeDistance(arg(a, 0), arg(a, 1), int(arg(a, 2)), int(arg(a, 3)))
	})
	vw.def("layerState", func(a []js.Value) any {
		id := int(arg(a, 0))
		o := js.Global().Get("Object").New()
		o.Set("ready", vw.v.LayerReady(id))
		if err := vw.v.LayerError(id); err != nil {
			o.Set("error", err.Error())
		}
		return o
	})
	vw.def("textLoaded", func(a []js.Value) any {
		vw.v.TextLoaded(argStr(a, 0), argStr(a, 1), loadErr(a, 2))
		vw.schedule()
		return nil
	})
	vw.def("imageLoaded", func(a []js.Value) any {
		key := argStr(a, 0)
		var w, h int
		err := loadErr(a, 2)
		if err == nil && len(a) > 1 {
			if slot, ok := vw.slots[key]; ok {
				err = vw.r.EnsurePage(slot.Page, slot.Size, slot.Depth)
				if err == nil {
					w, h, err = vw.r.UploadSlot(slot.Page, slot.Layer, slot.X, slot.Y, a[1])
				}
			} else {
				w, h, err = vw.r.UploadImage(key, a[1])
			}
		}
		delete(vw.slots, key)
		vw.v.ImageLoaded(key, w, h, err)
		vw.schedule()
		return nil
	})
	vw.def("bytesLoaded", func(a []js.Value) any {
		key := argStr(a, 0)
		err := loadErr(a, 2)
		var b []byte
		if err == nil && len(a) > 1 && a[1].InstanceOf(js.Global().Get("Uint8Array")) {
			n := a[1].Get("length").Int()
			if n > maxBytesResource {
				err = fmt.Errorf("%s is %d bytes, more than the %d allowed", key, n, maxBytesResource)
			} else {
				b = make([]byte, n)
				js.CopyBytesToGo(b, a[1])
			}
		}
		vw.v.BytesLoaded(key, b, err)
		vw.schedule()
		return nil
	})
	vw.def("gpuBytes", func([]js.Value) any { return float64(vw.r.TextureBytes()) })
}

// maxBytesResource bounds a binary resource handed to Go (a Moc.fits, a FITS tile).
const maxBytesResource = 64 << 20

// loadErr reads the error the host reports for a load: a message in args[i],
// and in args[i+1] the HTTP status, 404 meaning "not found".
func loadErr(a []js.Value, i int) error {
	msg := argStr(a, i)
	if msg == "" {
		return nil
	}
	if i+1 < len(a) && a[i+1].Type() == js.TypeNumber && a[i+1].Int() == 404 {
		return fmt.Errorf("%s: %w", msg, view.ErrNotFound)
	}
	return errors.New(msg)
}

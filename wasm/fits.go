//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"syscall/js"
	"unsafe"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/view"
)

// maxFITSBytes bounds a FITS file handed to Go in one piece (the wasm heap is
// at most 4 GB and the decoded image needs room too).
const maxFITSBytes = 1 << 30

// fitsMethods: FITS images opened from bytes the host read (File, URL or
// ArrayBuffer), drawn over the HiPS layers.
func (vw *viewer) fitsMethods() {
	// openFITS(bytes Uint8Array or a kept fitsBuffer's id, name, hdu, plane,
	// maxTexture) -> id
	vw.def("openFITS", func(a []js.Value) any {
		name := argStr(a, 1)
		if len(a) < 1 || !a[0].InstanceOf(js.Global().Get("Uint8Array")) && a[0].Type() != js.TypeNumber {
			return errObj(errors.New("openFITS: the FITS data must be a Uint8Array"))
		}
		if a[0].Type() != js.TypeNumber && a[0].Get("length").Int() > maxFITSBytes {
			return errObj(fmt.Errorf("%s: %d bytes, more than the %d this viewer reads", name, a[0].Get("length").Int(), maxFITSBytes))
		}
		r, n, err := vw.fileReader(a, 0)
		if err != nil {
			return errObj(fmt.Errorf("%s: %w", name, err))
		}
		id, err := vw.v.OpenImage(r, n, vw.imageOptions(a, name))
		if err != nil {
			return errObj(err)
		}
		vw.uploadImage()
		return id
	})
	vw.def("openFITSBlob", vw.openBlob)
	// fitsBuffer(n) -> {id, ptr}: n bytes of Go memory for the host to write a
	// download into (at ptr in the module's memory), so that the file is not
	// copied into Go afterwards.
	vw.def("fitsBuffer", func(a []js.Value) any {
		n := arg(a, 0)
		if !(n >= 0 && n <= maxFITSBytes) {
			return errObj(fmt.Errorf("fitsBuffer: %v bytes (at most %d)", n, maxFITSBytes))
		}
		b := make([]byte, int(n)+1) // never empty: its address is the buffer's
		vw.nextBuf++
		vw.bufs[vw.nextBuf] = b[:int(n)]
		o := js.Global().Get("Object").New()
		o.Set("id", vw.nextBuf)
		o.Set("ptr", uintptr(unsafe.Pointer(&b[0])))
		return o
	})
	vw.def("freeFITSBuffer", func(a []js.Value) any {
		delete(vw.bufs, int(arg(a, 0)))
		return nil
	})
	// openFITSBuffer(id, length, name, hdu, plane, maxTexture) -> {id, kept}:
	// opens the first length bytes of a fitsBuffer. The plane of a file that
	// holds one image of one plane keeps its pixels where they were written,
	// and the buffer is released; the buffer of any other file is kept
	// (kept: true), and the host passes its id instead of the bytes to read
	// the file again (other HDUs, masks) until freeFITSBuffer.
	vw.def("openFITSBuffer", func(a []js.Value) any {
		buf := int(arg(a, 0))
		b, ok := vw.bufs[buf]
		n := arg(a, 1)
		if !ok || !(n >= 0 && n <= float64(len(b))) {
			return errObj(fmt.Errorf("openFITSBuffer: no buffer %v of %v bytes", arg(a, 0), n))
		}
		b = b[:int(n)]
		name := argStr(a, 2)
		id, err := vw.v.OpenImage(fits.NewOwnedBytes(b), int64(len(b)), vw.imageOptions(a[1:], name))
		if err != nil {
			delete(vw.bufs, buf)
			return errObj(err)
		}
		in, err := vw.v.ImageInfo(id)
		kept := err == nil && !in.Single()
		if kept {
			vw.bufs[buf] = b
		} else {
			delete(vw.bufs, buf)
		}
		vw.uploadImage()
		o := js.Global().Get("Object").New()
		o.Set("id", id)
		o.Set("kept", kept)
		return o
	})
	vw.def("imageInfo", func(a []js.Value) any {
		in, err := vw.v.ImageInfo(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		return imageInfoObj(in)
	})
	vw.def("imageStretch", func(a []js.Value) any {
		s, err := vw.v.ImageStretchOf(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		return stretchObj(s)
	})
	// setImageStretch(id, {interval, percentile, min, max, stretch, a, colormap, invert, contrast, bias})
	vw.def("setImageStretch", func(a []js.Value) any {
		id := int(arg(a, 0))
		s, err := vw.v.ImageStretchOf(id)
		if err != nil {
			return errObj(err)
		}
		if len(a) > 1 {
			s = mergeStretch(a[1], s)
		}
		if err := vw.v.SetImageStretch(id, s); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("setImageOpacity", func(a []js.Value) any {
		if err := vw.v.SetImageOpacity(int(arg(a, 0)), arg(a, 1)); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("setImagePlane", func(a []js.Value) any {
		k := arg(a, 1)
		if math.IsNaN(k) || k != math.Trunc(k) {
			return errObj(errors.New("setPlane(k): k must be an integer"))
		}
		// A File is read lazily: the plane may need reading, which waits on
		// JavaScript promises, so it runs in a goroutine and returns a Promise.
		id := int(arg(a, 0))
		return vw.promise(func() any {
			if err := vw.v.SetImagePlane(id, int(k)); err != nil {
				return errObj(err)
			}
			vw.uploadImage()
			return nil
		})
	})
	vw.def("removeImage", func(a []js.Value) any {
		keys, err := vw.v.RemoveImage(int(arg(a, 0)))
		return vw.dropTextures(keys, err)
	})
	// imageValueAt(id, ra, dec) -> {value, x, y} or null
	vw.def("imageValueAt", func(a []js.Value) any {
		val, x, y, ok := vw.v.ImageValueAt(int(arg(a, 0)), arg(a, 1), arg(a, 2))
		if !ok {
			return js.Null()
		}
		return js.ValueOf(map[string]any{"value": val, "x": x, "y": y})
	})
	vw.def("imagePixelValue", func(a []js.Value) any {
		val, ok := vw.v.ImagePixelValue(int(arg(a, 0)), arg(a, 1), arg(a, 2))
		if !ok {
			return js.Null()
		}
		return val
	})
	vw.def("imagePixelToWorld", func(a []js.Value) any {
		lon, lat, ok := vw.v.ImagePixelToWorld(int(arg(a, 0)), arg(a, 1), arg(a, 2))
		if !ok {
			return js.Null()
		}
		return js.ValueOf([]any{lon, lat})
	})
	vw.def("imageWorldToPixel", func(a []js.Value) any {
		x, y, ok := vw.v.ImageWorldToPixel(int(arg(a, 0)), arg(a, 1), arg(a, 2))
		if !ok {
			return js.Null()
		}
		return js.ValueOf([]any{x, y})
	})
}

// imageOptions reads (…, …, hdu, plane, maxTexture) arguments.
func (vw *viewer) imageOptions(a []js.Value, name string) view.ImageOptions {
	hdu, plane := arg(a, 2), arg(a, 3)
	if math.IsNaN(hdu) {
		hdu = -1
	}
	if math.IsNaN(plane) {
		plane = 0
	}
	// Textures are split at the GPU's limit, or smaller when asked (tests).
	maxTex := vw.r.MaxTextureSize()
	if mt := arg(a, 4); mt >= 1 && mt < float64(maxTex) {
		maxTex = int(mt)
	}
	return view.ImageOptions{HDU: int(hdu), Plane: int(plane), Name: name, MaxTexture: maxTex}
}

// uploadImage uploads an image's textures now (with whatever else is
// queued; image textures sample the nearest pixel, Upload.Nearest) and asks
// for a frame.
func (vw *viewer) uploadImage() {
	vw.uploads()
	vw.schedule()
}

func imageInfoObj(in view.ImageInfo) js.Value {
	hdus := make([]any, len(in.HDUs))
	for i, h := range in.HDUs {
		hdus[i] = map[string]any{
			"index": h.Index, "name": h.Name, "type": h.Type, "shape": intsAny(h.Shape),
			"bitpix": h.Bitpix, "compression": h.Compression, "image": h.Image, "mask": h.Mask,
		}
	}
	var w any
	if in.WCS != nil {
		cards := make([]any, len(in.WCS))
		for i, c := range in.WCS {
			cards[i] = c
		}
		w = cards
	}
	return js.ValueOf(map[string]any{
		"name": in.Name, "hdus": hdus, "hdu": in.HDU, "shape": intsAny(in.Shape), "bitpix": in.Bitpix,
		"plane": in.Plane, "planes": in.Planes, "single": in.Single(), "wcs": w, "header": in.Header,
		"pixelMode": in.PixelMode, "notice": in.Notice, "bunit": in.BUnit,
		"limits": []any{in.Lo, in.Hi}, "center": []any{in.Center[0], in.Center[1]}, "size": in.Size,
	})
}

func stretchObj(s view.ImageStretch) js.Value {
	return js.ValueOf(map[string]any{
		"interval": s.Interval, "percentile": s.Percentile, "min": s.Min, "max": s.Max,
		"stretch": s.Stretch, "a": s.A, "colormap": s.Colormap, "invert": s.Invert,
		"contrast": s.Contrast, "bias": s.Bias,
	})
}

func intsAny(s []int) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// dropTextures deletes textures the view gave up and asks for a frame; it
// returns err as an error object when set (the view changed nothing then).
func (vw *viewer) dropTextures(keys []string, err error) any {
	if err != nil {
		return errObj(err)
	}
	for _, k := range keys {
		vw.r.DeleteTexture(k)
	}
	vw.schedule()
	return nil
}

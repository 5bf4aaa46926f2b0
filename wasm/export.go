//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"runtime"
	"syscall/js"
)

// exportMethods: the view as a FITS file.
func (vw *viewer) exportMethods() {
	// exportFITS(mode, imageId, rgba) -> Uint8Array: mode 'values' samples FITS image
	// imageId; 'rgb' and 'grey' take the canvas pixels (RGBA, top row first, the size of
	// the view's WCS NAXIS1 × NAXIS2).
	vw.def("exportFITS", func(a []js.Value) any {
		mode := argStr(a, 0)
		var rgba []byte
		if len(a) > 2 && a[2].InstanceOf(js.Global().Get("Uint8Array")) {
			rgba = make([]byte, a[2].Get("length").Int())
			js.CopyBytesToGo(rgba, a[2])
		} else if mode != "values" {
			return errObj(errors.New("exportFITS: the canvas pixels are missing"))
		}
		var buf bytes.Buffer
		if err := vw.v.WriteFITS(&buf, mode, int(arg(a, 1)), rgba); err != nil {
			return errObj(err)
		}
		out := js.Global().Get("Uint8Array").New(buf.Len())
		js.CopyBytesToJS(out, buf.Bytes())
		return out
	})
}

// memStats reports the Go memory after a collection: {heapAlloc, heapSys, heapIdle, heapReleased, stackSys, gcSys, otherSys, mspanSys, sys,
// numGC} in bytes (for tests of the viewers' lifecycle).
func memStats() js.Value {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return js.ValueOf(map[string]any{"heapAlloc": float64(m.HeapAlloc), "heapSys": float64(m.HeapSys), "heapIdle": float64(m.HeapIdle),
		"heapReleased": float64(m.HeapReleased), "stackSys": float64(m.StackSys), "gcSys": float64(m.GCSys), "otherSys": float64(m.OtherSys),
		"mspanSys": float64(m.MSpanSys), "sys": float64(m.Sys), "numGC": float64(m.NumGC)})
}

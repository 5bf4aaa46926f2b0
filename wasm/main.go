//go:build js && wasm

// Command wasm is the browser side of Skyglass, built with GOOS=js
// GOARCH=wasm into web/dist/skyglass.wasm. One instance serves every viewer on
// the page: web/skyglass.js boots it once, receives the core object through
// globalThis.__skyglassBoot, and asks it for one viewer handle per container.
// A handle couples an internal/view View (state, input, draw lists) with an
// internal/gl Renderer (WebGL2) and a JavaScript host object that loads
// resources and receives events.
package main

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"syscall/js"
	"time"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/gl"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/view"
)

// viewer is one mounted viewer.
type viewer struct {
	v        *view.View
	r        *gl.Renderer
	host     js.Value // JS object: load(kind, key, url), emit(name, payload)
	obj      js.Value // the handle given to JS
	funcs    []js.Func
	rafFunc  js.Func
	rafID    js.Value
	rafArmed bool
	slots    map[string]view.Slot // tile requests in flight: where each image goes
	lastView [3]float64
	dead     bool
	toGal    *sky.Transform
	cats     map[int]*catEntry // catalogue layers' tables (catalog.go)
	// warmFITSSteps is the number of FITS steps of this viewer's warm-up
	// (warmStep): 0 when another viewer of the page did them.
	warmFITSSteps int
	kindsStarted  time.Time // when the warm-up started the stretch kinds' programs
	// bufs are the fitsBuffers the host writes downloads into, by id; a
	// file's buffer stays while the host may read the file again (fits.go).
	bufs    map[int][]byte
	nextBuf int
}

// wasmMemory is this module's WebAssembly.Memory and wasmCallView the
// loader's function that calls WebGL with a view of it (gl.Renderer.UseMemory),
// so that renderers upload Go's bytes without copying them first.
var wasmMemory, wasmCallView js.Value

func main() {
	core := js.Global().Get("Object").New()
	// newViewer lives as long as the page: it is never released.
	newViewer := js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if p := recover(); p != nil {
				result = errObj(fmt.Errorf("skyglass: internal error creating a viewer: %v", p))
			}
		}()
		if len(args) < 3 {
			return errObj(errors.New("skyglass: newViewer(canvas, options, host) needs 3 arguments"))
		}
		vw, err := newViewerHandle(args[0], args[1], args[2])
		if err != nil {
			return errObj(err)
		}
		return vw.obj
	})
	core.Set("newViewer", newViewer)
	core.Set("projections", toJSArray(view.Projections()))
	core.Set("memStats", js.FuncOf(func(js.Value, []js.Value) any { return memStats() }))
	// Browser self-tests (GPU path vs CPU reference), used by e2e/.
	core.Set("selfTestStretch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 1 {
			return errObj(errors.New("selfTestStretch(canvas)"))
		}
		res, err := selfTestStretch(args[0], argStr(args, 1))
		if err != nil {
			return errObj(err)
		}
		return res
	}))
	boot := js.Global().Get("__skyglassBoot")
	if boot.Type() != js.TypeFunction {
		js.Global().Get("console").Call("error", "skyglass: wasm started without the loader (load it through skyglass.js)")
		return
	}
	wasmMemory, wasmCallView = boot.Get("memory"), boot.Get("callView")
	boot.Invoke(core)
	select {} // keep the Go runtime alive for the callbacks
}

func toJSArray(s []string) js.Value {
	a := js.Global().Get("Array").New(len(s))
	for i, x := range s {
		a.SetIndex(i, x)
	}
	return a
}

// errObj turns an error into {error: message} for the JS side, which rejects
// the corresponding promise with an Error.
func errObj(err error) js.Value {
	o := js.Global().Get("Object").New()
	o.Set("error", err.Error())
	return o
}

// parseColor reads "#rrggbb" (or "#rgb"); anything else gives the zero colour.
func parseColor(s string) [4]float32 {
	var r, g, b int
	switch len(s) {
	case 7:
		if n, _ := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); n != 3 {
			return [4]float32{}
		}
	case 4:
		if n, _ := fmt.Sscanf(s, "#%1x%1x%1x", &r, &g, &b); n != 3 {
			return [4]float32{}
		}
		r, g, b = r*17, g*17, b*17
	default:
		return [4]float32{}
	}
	return [4]float32{float32(r) / 255, float32(g) / 255, float32(b) / 255, 1}
}

func num(o js.Value, key string, def float64) float64 {
	v := o.Get(key)
	if v.Type() != js.TypeNumber {
		return def
	}
	f := v.Float()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return def
	}
	return f
}

func str(o js.Value, key, def string) string {
	v := o.Get(key)
	if v.Type() != js.TypeString {
		return def
	}
	return v.String()
}

func newViewerHandle(canvas, opts, host js.Value) (*viewer, error) {
	r, err := gl.New(canvas)
	if err != nil {
		return nil, err
	}
	r.UseMemory(wasmMemory, wasmCallView)
	v, err := view.New(view.Options{
		Lon:        num(opts, "ra", 0),
		Lat:        num(opts, "dec", 0),
		Fov:        num(opts, "fov", 180),
		Proj:       str(opts, "projection", "SIN"),
		Width:      num(opts, "width", 300),
		Height:     num(opts, "height", 150),
		DPR:        num(opts, "dpr", 1),
		Background: parseColor(str(opts, "background", "")),
	})
	if err != nil {
		r.Destroy()
		return nil, err
	}
	toGal, err := sky.NewTransform(sky.Frame{Kind: sky.ICRS}, sky.Frame{Kind: sky.Galactic})
	if err != nil {
		r.Destroy()
		return nil, err
	}
	vw := &viewer{v: v, r: r, host: host, slots: map[string]view.Slot{}, toGal: toGal, bufs: map[int][]byte{}}
	vw.obj = js.Global().Get("Object").New()
	vw.rafFunc = js.FuncOf(func(_ js.Value, args []js.Value) any {
		vw.rafArmed = false
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			vw.v.Tick(args[0].Float())
		}
		vw.frame()
		vw.schedule()
		return nil
	})
	vw.funcs = append(vw.funcs, vw.rafFunc)
	vw.methods()
	vw.schedule()
	return vw, nil
}

// def registers a method on the handle; panics inside become JS exceptions
// with a clear message instead of killing the Go runtime.
func (vw *viewer) def(name string, fn func(args []js.Value) any) {
	f := js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if p := recover(); p != nil {
				result = errObj(fmt.Errorf("skyglass: internal error in %s: %v", name, p))
			}
		}()
		if vw.dead {
			return errObj(errors.New("skyglass: this viewer was destroyed"))
		}
		return fn(args)
	})
	vw.funcs = append(vw.funcs, f)
	vw.obj.Set(name, f)
}

func arg(args []js.Value, i int) float64 {
	if i >= len(args) || args[i].Type() != js.TypeNumber {
		return math.NaN()
	}
	return args[i].Float()
}

func argStr(args []js.Value, i int) string {
	if i >= len(args) || args[i].Type() != js.TypeString {
		return ""
	}
	return args[i].String()
}

func (vw *viewer) methods() {
	// Each feature registers its methods on the handle from its own file.
	for _, register := range []func(){vw.viewMethods, vw.hipsMethods, vw.fitsMethods, vw.fitsUIMethods, vw.maskMethods, vw.catalogMethods, vw.seriesMethods, vw.exportMethods} {
		register()
	}
}

// viewMethods: camera, input, readout, rendering and lifecycle.
func (vw *viewer) viewMethods() {
	vw.def("setView", func(a []js.Value) any {
		lon, lat, fov := arg(a, 0), arg(a, 1), arg(a, 2)
		if math.IsNaN(lon) || math.IsNaN(lat) {
			return errObj(errors.New("setView(ra, dec, fov): ra and dec must be numbers (degrees)"))
		}
		if math.IsNaN(fov) {
			fov = 0
		}
		vw.v.SetView(lon, lat, fov)
		vw.schedule()
		return nil
	})
	vw.def("setFrame", func(a []js.Value) any {
		if err := vw.v.SetFrame(argStr(a, 0)); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("setProjection", func(a []js.Value) any {
		if err := vw.v.SetProjection(argStr(a, 0)); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("getView", func([]js.Value) any { return vw.viewObj() })
	vw.def("pixelToWorld", func(a []js.Value) any {
		lon, lat, ok := vw.v.PixelToWorld(arg(a, 0), arg(a, 1))
		if !ok || math.IsNaN(lon) {
			return js.Null()
		}
		return js.ValueOf([]any{lon, lat})
	})
	vw.def("worldToPixel", func(a []js.Value) any {
		x, y, ok := vw.v.WorldToPixel(arg(a, 0), arg(a, 1))
		if !ok || math.IsNaN(x) {
			return js.Null()
		}
		return js.ValueOf([]any{x, y})
	})
	vw.def("resize", func(a []js.Value) any {
		w, h, dpr := arg(a, 0), arg(a, 1), arg(a, 2)
		if w > 0 && h > 0 {
			vw.v.Resize(w, h, dpr)
			vw.schedule()
		}
		return nil
	})
	vw.def("pointerDown", func(a []js.Value) any { vw.v.PointerDown(arg(a, 0), arg(a, 1)); return nil })
	vw.def("pointerMove", func(a []js.Value) any {
		vw.v.PointerMoveAt(arg(a, 0), arg(a, 1), arg(a, 2))
		vw.schedule()
		return nil
	})
	vw.def("pointerUp", func(a []js.Value) any {
		vw.v.PointerUpAt(arg(a, 0))
		vw.schedule()
		return nil
	})
	vw.def("flyTo", func(a []js.Value) any {
		lon, lat, fov, dur := arg(a, 0), arg(a, 1), arg(a, 2), arg(a, 3)
		if math.IsNaN(lon) || math.IsNaN(lat) {
			return errObj(errors.New("goto(ra, dec): ra and dec must be numbers (degrees)"))
		}
		vw.v.FlyTo(lon, lat, fov, dur)
		vw.schedule()
		return nil
	})
	vw.def("readout", func(a []js.Value) any {
		lon, lat, ok := vw.v.PixelToWorld(arg(a, 0), arg(a, 1))
		if !ok || math.IsNaN(lon) {
			return js.Null()
		}
		o := js.Global().Get("Object").New()
		o.Set("ra", lon)
		o.Set("dec", lat)
		o.Set("raStr", sky.FormatRA(lon, 2))
		o.Set("decStr", sky.FormatDec(lat, 1))
		l, b := vw.toGal.Convert(lon, lat)
		o.Set("l", l)
		o.Set("b", b)
		if val, _, ok := vw.v.HiPSValueAt(lon, lat); ok && !math.IsNaN(val) {
			o.Set("value", val)
		}
		return o
	})
	vw.def("wheel", func(a []js.Value) any {
		vw.v.Wheel(arg(a, 0), arg(a, 1), arg(a, 2))
		vw.schedule()
		return nil
	})
	vw.def("zoom", func(a []js.Value) any {
		vw.v.Zoom(arg(a, 0), arg(a, 1), arg(a, 2))
		vw.schedule()
		return nil
	})
	vw.def("key", func(a []js.Value) any {
		used := vw.v.Key(argStr(a, 0))
		vw.schedule()
		return used
	})
	vw.def("setGrid", func(a []js.Value) any {
		show := len(a) > 0 && a[0].Truthy()
		if err := vw.v.SetGrid(show, argStr(a, 1)); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("isIdle", func([]js.Value) any { return vw.v.Idle() && !vw.rafArmed })
	vw.def("pending", func([]js.Value) any { return vw.v.Pending() })
	vw.def("frameCount", func([]js.Value) any { return vw.v.FrameCount() })
	vw.def("render", func([]js.Value) any {
		// Draw now, in this task, so that the caller can read the canvas.
		if !vw.frame() {
			vw.draw()
		}
		return nil
	})
	// warmUp(step) -> the next step, or -1: finish GPU programs compiled on
	// first use, run the FITS path on synthetic images, compile the other
	// stretch kinds (warmStep); called when the page is idle after create,
	// one step per idle period.
	vw.def("warmUp", func(a []js.Value) any {
		next, err := vw.warmStep(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		return next
	})
	vw.def("contextLost", func([]js.Value) any { vw.r.ContextLost(); return nil })
	vw.def("contextRestored", func([]js.Value) any {
		if err := vw.r.ContextRestored(); err != nil {
			return errObj(err)
		}
		vw.slots = map[string]view.Slot{}
		vw.v.GPUReset() // every texture must be loaded again
		vw.schedule()
		return nil
	})
	vw.def("destroy", func([]js.Value) any {
		vw.destroy()
		return nil
	})
}

func (vw *viewer) viewObj() js.Value {
	c := vw.v.Camera()
	ra, dec := vw.v.Center()
	o := js.Global().Get("Object").New()
	o.Set("ra", ra)
	o.Set("dec", dec)
	o.Set("fov", c.Fov)
	o.Set("projection", c.Proj)
	o.Set("frame", vw.v.FrameName())
	o.Set("width", c.Width)
	o.Set("height", c.Height)
	if h := vw.v.CameraHeader(); h != nil {
		cards := js.Global().Get("Object").New()
		for _, cd := range h.Cards {
			switch cd.Kind {
			case fits.KindString:
				cards.Set(cd.Key, cd.Str)
			case fits.KindInt, fits.KindFloat:
				cards.Set(cd.Key, cd.Float)
			case fits.KindBool:
				cards.Set(cd.Key, cd.Bool)
			}
		}
		o.Set("wcs", cards)
	}
	return o
}

// schedule arms one animation frame if anything needs doing.
func (vw *viewer) schedule() {
	if vw.dead || vw.rafArmed {
		return
	}
	if !vw.v.Dirty() && len(vw.v.Requests()) == 0 && !vw.v.Animating() {
		return
	}
	vw.rafArmed = true
	vw.rafID = js.Global().Call("requestAnimationFrame", vw.rafFunc)
}

// frame hands new resource requests to the host, draws if something changed,
// and emits viewchange when the camera moved.
func (vw *viewer) frame() (drew bool) {
	if vw.dead {
		return false
	}
	for _, key := range vw.v.TakeCancels() {
		delete(vw.slots, key)
		vw.host.Call("cancel", key)
	}
	for _, q := range vw.v.TakeRequests() {
		kind := "text"
		switch q.Kind {
		case view.Image:
			kind = "image"
		case view.Bytes:
			kind = "bytes"
		case view.Tile:
			kind = "image"
			vw.slots[q.Key] = q.Slot
		}
		vw.host.Call("load", kind, q.Key, q.URL)
	}
	if vw.v.Dirty() {
		vw.draw()
		drew = true
		c := vw.v.Camera()
		cur := [3]float64{c.Lon, c.Lat, c.Fov}
		if cur != vw.lastView {
			vw.lastView = cur
			vw.host.Call("emit", "viewchange", vw.viewObj())
		}
	}
	if vw.v.Idle() {
		vw.host.Call("emit", "idle", js.Null())
	}
	return drew
}

// draw builds the frame's draw list, uploads the float images it needs and
// plays it.
func (vw *viewer) draw() {
	dl := vw.v.Frame()
	vw.uploads()
	vw.r.Draw(dl)
	vw.overlay(dl)
}

// uploads puts the float images the view decoded (FITS tiles) into textures.
func (vw *viewer) uploads() { vw.uploadsOf(vw.v) }

// uploadsOf puts the float images a view decoded into the renderer's
// textures, and deletes those it gave up.
func (vw *viewer) uploadsOf(v *view.View) {
	for _, k := range v.TakeDeletes() {
		vw.r.DeleteTexture(k)
	}
	for _, u := range v.TakeUploads() {
		var err error
		if u.Ints != nil {
			err = vw.r.UploadUint(u.Key, u.W, u.H, u.Ints)
		} else if u.Slot.Page != "" {
			if err = vw.r.EnsureFloatPage(u.Slot.Page, u.Slot.Size, u.Slot.Depth); err == nil {
				err = vw.r.UploadFloat(u.Slot.Page, u.Slot.Layer, u.Slot.X, u.Slot.Y, u.W, u.H, u.Data)
			}
		} else {
			err = vw.r.UploadFloat(u.Key, -1, 0, 0, u.W, u.H, u.Data)
			if err == nil && u.Nearest {
				vw.r.SetNearest(u.Key)
			}
		}
		if err != nil {
			vw.host.Call("emit", "error", js.Global().Get("Error").New("skyglass: "+err.Error()))
		}
	}
}

// overlay hands the host what it draws over the WebGL canvas: the labels as
// [[x, y, text, align], ...] and the scale bar as [pixels, text].
func (vw *viewer) overlay(dl *draw.List) {
	a := js.Global().Get("Array").New(len(dl.Labels))
	for i, l := range dl.Labels {
		a.SetIndex(i, js.ValueOf([]any{l.X, l.Y, l.Text, l.Align}))
	}
	px, text := vw.v.ScaleBar()
	vw.host.Call("overlay", a, js.ValueOf([]any{px, text}))
}

func (vw *viewer) destroy() {
	if vw.dead {
		return
	}
	vw.dead = true
	if vw.rafArmed {
		js.Global().Call("cancelAnimationFrame", vw.rafID)
	}
	vw.r.Destroy()
	vw.slots = nil
	// The handle's functions are released on the next tick, after the current
	// call (destroy itself) has returned.
	funcs := vw.funcs
	vw.funcs = nil
	var release js.Func
	release = js.FuncOf(func(js.Value, []js.Value) any {
		for _, f := range funcs {
			f.Release()
		}
		release.Release()
		// Collect now: the viewer's memory is reused by the next one instead of the
		// heap (and the wasm memory, which never shrinks) growing first.
		runtime.GC()
		return nil
	})
	js.Global().Call("setTimeout", release, 0)
}

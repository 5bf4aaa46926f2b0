//go:build js && wasm

package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/view"
)

// warmSide is the side of the synthetic images the warm-up opens: enough
// pixels for V8 to move the decoding and limits loops to its optimising
// tier, little enough to cost a few milliseconds.
const warmSide = 256

// warmBitpix lists the BITPIX of the synthetic images the warm-up opens,
// one per idle step: each has its own conversion loop.
var warmBitpix = []int{-32, 16, 32, 8, -64}

// fitsWarmed is set once the FITS path has been warmed in this page: V8's
// compiled code is shared by every viewer of the module.
var fitsWarmed bool

// kindsCompileWait is how long the warm-up leaves the GPU process to compile
// the stretch kinds' programs before it asks for their status.
const kindsCompileWait = 400 * time.Millisecond

// warmStep runs step k of the warm-up and returns the next step, or -1 when
// it is over. Step 0 finishes the linear GPU data program; steps 1… open one
// synthetic image each (warmFITS), the first of them drawn, once per page;
// the last two hand the other stretch kinds' programs to the GPU process,
// then collect them (gl.Renderer.WarmUpKinds) once it has had time to
// compile them (until then the step is returned again, to run later).
func (vw *viewer) warmStep(k int) (next int, err error) {
	if vw.r.Lost() {
		return -1, nil
	}
	if k == 0 {
		vw.warmFITSSteps = len(warmBitpix)
		if fitsWarmed {
			vw.warmFITSSteps = 0 // another viewer of the page did it
		}
	}
	fits := vw.warmFITSSteps
	switch {
	case k == 0:
		return 1, vw.r.WarmUp()
	case k <= fits:
		if err := vw.warmFITS(warmBitpix[k-1], k == 1); err != nil {
			return -1, err
		}
		if k == fits {
			fitsWarmed = true
		}
		return k + 1, nil
	case k == fits+1:
		vw.kindsStarted = time.Now()
		return k + 1, vw.r.WarmUpKinds(false)
	default:
		if time.Since(vw.kindsStarted) < kindsCompileWait {
			return k, nil
		}
		// Drawing a pixel with each kind's program here, so that SwiftShader
		// also compiled their pipelines, saved ~10 ms on the first change to
		// another stretch but cost the first openFITS after it 15–25 ms in
		// the bench harness (cause not found): not done.
		return -1, vw.r.WarmUpKinds(true)
	}
}

// warmFITS opens a synthetic FITS image of the given BITPIX in a throwaway
// view that shares the renderer, and removes it; with draw, it also uploads
// and draws it once. V8 compiles a WebAssembly function on its first call
// and optimises it only after some use, and SwiftShader compiles a draw's
// pipeline on first use: without the warm-up the first openFITS of a
// 512×1024 image took 50 ms against 12 ms for the next one. The real view
// is drawn again in the same task, so the throwaway frame never reaches the
// screen; its textures are named apart (view.Options.KeyPrefix) and deleted.
func (vw *viewer) warmFITS(bitpix int, draw bool) error {
	c := vw.v.Camera()
	if c.Width < 1 || c.Height < 1 {
		return nil // not laid out yet: nothing would be drawn
	}
	wv, err := view.New(view.Options{Lon: c.Lon, Lat: c.Lat, Fov: c.Fov, Proj: c.Proj,
		Width: c.Width, Height: c.Height, DPR: c.DPR, KeyPrefix: "warm-up:"})
	if err != nil {
		return fmt.Errorf("warm-up view: %w", err)
	}
	b, err := warmImage(bitpix, c.Lon, c.Lat, c.Fov/warmSide/4)
	if err != nil {
		return err
	}
	// Read in place, as a downloaded file is (openFITSBuffer).
	id, err := wv.OpenImage(fits.NewOwnedBytes(b), int64(len(b)), view.ImageOptions{Name: "warm-up image"})
	if err != nil {
		return fmt.Errorf("warm-up image: %w", err)
	}
	dl := wv.Frame()
	if draw {
		vw.uploadsOf(wv)
		vw.r.Draw(dl)
	}
	keys, err := wv.RemoveImage(id)
	if err != nil {
		return fmt.Errorf("warm-up image: %w", err)
	}
	if draw {
		for _, k := range append(keys, wv.TakeDeletes()...) {
			vw.r.DeleteTexture(k)
		}
		vw.draw()
	}
	return nil
}

// warmImage returns a warmSide² FITS image of the given BITPIX (8, 16 with
// BZERO, 32 with BSCALE, -32, -64) centred on (lon, lat) with square pixels
// of scale degrees, holding a smooth pattern with noise (so that the limits
// have something to find).
func warmImage(bitpix int, lon, lat, scale float64) ([]byte, error) {
	h := &fits.Header{}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"CTYPE1", "RA---TAN"}, {"CTYPE2", "DEC--TAN"}, {"CRVAL1", lon}, {"CRVAL2", lat},
		{"CRPIX1", warmSide/2 + 0.5}, {"CRPIX2", warmSide/2 + 0.5}, {"CDELT1", -scale}, {"CDELT2", scale},
	} {
		h.Set(kv.k, kv.v, "")
	}
	switch bitpix {
	case 16:
		h.Set("BZERO", 32768, "")
	case 32:
		h.Set("BSCALE", 0.1, "")
	}
	size := max(bitpix, -bitpix) / 8
	data := make([]byte, 0, warmSide*warmSide*size)
	seed := uint32(12345)
	for y := range warmSide {
		for x := range warmSide {
			seed = seed*1664525 + 1013904223
			v := 1000 + 800*math.Sin(float64(x)/17)*math.Cos(float64(y)/23) + float64(seed>>24)
			switch bitpix {
			case 8:
				data = append(data, byte(int(v)/8))
			case 16:
				data = binary.BigEndian.AppendUint16(data, uint16(int32(v)-32768))
			case 32:
				data = binary.BigEndian.AppendUint32(data, uint32(int32(v*10)))
			case -32:
				data = binary.BigEndian.AppendUint32(data, math.Float32bits(float32(v)))
			case -64:
				data = binary.BigEndian.AppendUint64(data, math.Float64bits(v))
			}
		}
	}
	var out bytes.Buffer
	if err := fits.WritePrimary(&out, bitpix, []int{warmSide, warmSide}, h, data); err != nil {
		return nil, fmt.Errorf("warm-up image: %w", err)
	}
	return out.Bytes(), nil
}

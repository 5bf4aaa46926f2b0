// Package view holds what a Skyglass viewer shows and how it reacts to input,
// independently of any renderer: the camera (a projection of the sky onto the
// canvas), the layers (HiPS surveys), the pointer/keyboard interaction, the
// resources the layers need loaded, and the draw list that a renderer
// (internal/gl in the browser, internal/raster on the CPU) plays.
//
// A host drives a View like this: feed it input events and the canvas size,
// hand it the resources it asks for (TakeRequests, then TextLoaded /
// ImageLoaded), and call Frame whenever Dirty reports a change.
package view

import (
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/sky"
)

// Options configures a new View.
type Options struct {
	Lon, Lat float64 // initial centre, degrees
	Fov      float64 // initial horizontal field of view, degrees
	Proj     string  // projection code; default SIN
	Width    float64 // canvas size in CSS pixels
	Height   float64
	DPR      float64
	// Background is the colour off the sky and where no layer draws (RGBA,
	// 0..1); the zero value is opaque black.
	Background [4]float32
	// KeyPrefix starts the names of the textures this view asks the renderer
	// for, so that two views can share one renderer without their image
	// textures colliding (the wasm warm-up draws a throwaway view).
	KeyPrefix string
}

// View is one sky viewer's state.
type View struct {
	cam      Camera
	proj     projector
	frame    sky.Frame      // frame of the camera's coordinates
	toView   *sky.Transform // ICRS -> view frame; nil for ICRS views
	fromView *sky.Transform // view frame -> ICRS
	grid     *gridState
	// overlays are drawn over the HiPS layers, in order (FITS images,
	// catalogues, regions: each kind in its own file).
	overlays []overlay
	layers   []*hipsLayer
	nextID   int
	// keyPrefix starts image texture keys (Options.KeyPrefix).
	keyPrefix string

	requests []Request
	pending  map[string]bool
	cancels  []string
	uploads  []Upload
	deletes  []string // textures no longer needed (TakeDeletes)
	mb       *meshBuilder
	// gen counts projection changes (update): meshes built for one gen are
	// valid until the next.
	gen uint64

	dirty      bool
	background [4]float32
	drag       *dragState
	samples    []sample
	inertia    *inertia
	flight     *flight
	frames     int
}

type dragState struct {
	grab [3]float64 // sky point grabbed by the pointer
	ok   bool
}

// New makes a view.
func New(o Options) (*View, error) {
	p := o.Proj
	if p == "" {
		p = "SIN"
	}
	p, err := checkProj(p)
	if err != nil {
		return nil, err
	}
	v := &View{pending: map[string]bool{}, dirty: true, mb: newMeshBuilder(), background: o.Background, keyPrefix: o.KeyPrefix}
	if v.background == ([4]float32{}) {
		v.background = [4]float32{0, 0, 0, 1}
	}
	v.cam = Camera{Lon: o.Lon, Lat: o.Lat, Fov: o.Fov, Proj: p, Width: o.Width, Height: o.Height, DPR: o.DPR}
	v.update()
	return v, nil
}

// update re-derives the projection after a camera change and marks the view dirty.
func (v *View) update() {
	v.gen++
	v.cam.clamp()
	if p, err := newWCSCamera(v.cam, v.frame); err == nil {
		v.proj = p
	} else if v.proj == nil {
		v.proj = offSky{}
	}
	v.dirty = true
}

// Camera returns the current camera.
func (v *View) Camera() Camera { return v.cam }

// Dirty reports whether the view changed since the last Frame.
func (v *View) Dirty() bool { return v.dirty }

// FrameCount returns the number of frames built so far.
func (v *View) FrameCount() int { return v.frames }

// Pending returns the number of resources requested and not yet delivered.
func (v *View) Pending() int { return len(v.pending) + len(v.requests) }

// Idle reports whether nothing is changing or loading: the last frame shows
// everything the view wants to show.
func (v *View) Idle() bool { return !v.dirty && v.Pending() == 0 && !v.Animating() }

// SetView moves the camera to ICRS (lon, lat). A zero or negative fov keeps
// the current one.
func (v *View) SetView(lon, lat, fov float64) {
	v.StopMotion()
	v.cam.Lon, v.cam.Lat = v.toViewFrame(lon, lat)
	if fov > 0 {
		v.cam.Fov = fov
	}
	v.update()
}

// SetFov changes the field of view, keeping the centre.
func (v *View) SetFov(fov float64) {
	if fov > 0 {
		v.cam.Fov = fov
		v.update()
	}
}

// SetProjection changes the projection.
func (v *View) SetProjection(p string) error {
	p, err := checkProj(p)
	if err != nil {
		return err
	}
	v.cam.Proj = p
	v.update()
	return nil
}

// Resize sets the canvas size in CSS pixels and the device pixel ratio.
func (v *View) Resize(w, h, dpr float64) {
	if w == v.cam.Width && h == v.cam.Height && dpr == v.cam.DPR {
		return
	}
	v.cam.Width, v.cam.Height, v.cam.DPR = w, h, dpr
	v.update()
}

// PixelToWorld returns the ICRS position (ra, dec) under canvas point (x, y),
// CSS pixels, whatever the frame of the view.
func (v *View) PixelToWorld(x, y float64) (lon, lat float64, ok bool) {
	lon, lat, ok = v.proj.PixelToWorld(x, y)
	if ok && v.fromView != nil {
		lon, lat = v.fromView.Convert(lon, lat)
	}
	return lon, lat, ok
}

// WorldToPixel returns the canvas point of a sky position; ok is false when
// the position is not visible in the projection (e.g. the far hemisphere).
func (v *View) WorldToPixel(lon, lat float64) (x, y float64, ok bool) {
	if v.toView != nil {
		lon, lat = v.toView.Convert(lon, lat)
	}
	return v.proj.WorldToPixel(lon, lat)
}

// Center returns the ICRS position of the view centre.
func (v *View) Center() (ra, dec float64) {
	if v.fromView != nil {
		return v.fromView.Convert(v.cam.Lon, v.cam.Lat)
	}
	return v.cam.Lon, v.cam.Lat
}

// FrameName returns the name of the view's frame: "icrs" or "galactic".
func (v *View) FrameName() string { return gridName(v.frame) }

// SetFrame sets the frame the view is drawn in ("icrs" or "galactic": north
// up means the frame's north); the centre stays on the same sky position.
func (v *View) SetFrame(name string) error {
	f, err := gridFrame(name)
	if err != nil {
		return fmt.Errorf("view: frame: %w", err)
	}
	if f == v.frame {
		return nil
	}
	ra, dec := v.Center()
	v.toView, v.fromView = nil, nil
	if f.Kind != sky.ICRS {
		if v.toView, err = sky.NewTransform(sky.Frame{Kind: sky.ICRS}, f); err != nil {
			return err
		}
		if v.fromView, err = sky.NewTransform(f, sky.Frame{Kind: sky.ICRS}); err != nil {
			return err
		}
	}
	v.frame = f
	for _, l := range v.layers {
		if l.props != nil {
			if err := l.setViewFrame(f); err != nil {
				return err
			}
		}
	}
	for _, o := range v.overlays {
		if im, ok := o.(*imageOverlay); ok {
			if err := im.setViewFrame(v); err != nil {
				return err
			}
		}
	}
	if v.grid != nil {
		if err := v.SetGrid(true, gridName(v.grid.frame)); err != nil {
			return err
		}
	}
	v.StopMotion()
	v.cam.Lon, v.cam.Lat = v.toViewFrame(ra, dec)
	v.update()
	return nil
}

// toViewFrame converts ICRS to the view frame.
func (v *View) toViewFrame(ra, dec float64) (float64, float64) {
	if v.toView != nil {
		return v.toView.Convert(ra, dec)
	}
	return ra, dec
}

// gridName is the name of a view or grid frame ("icrs" or "galactic").
func gridName(f sky.Frame) string {
	if f.Kind == sky.Galactic {
		return "galactic"
	}
	return "icrs"
}

// overlay is a layer drawn over the HiPS surveys: it adds its primitives to
// the frame's draw list.
type overlay interface {
	draw(v *View, dl *draw.List)
}

// offSky is the projector of a camera that could not be built: nothing is visible.
type offSky struct{}

func (offSky) PixelToWorld(x, y float64) (float64, float64, bool) { return 0, 0, false }
func (offSky) WorldToPixel(l, b float64) (float64, float64, bool) { return 0, 0, false }

// moveGrabbed moves the camera so that sky point grab lies under canvas point
// (x, y): a rotation taking the point now under (x, y) onto grab as the first
// guess, then Newton steps on the centre (the camera keeps north up, so a
// rotation alone is not exact away from the equator).
func (v *View) moveGrabbed(grab [3]float64, x, y float64) {
	lon, lat, ok := v.proj.PixelToWorld(x, y)
	if !ok {
		return
	}
	c := rotateTowards(toVec(v.cam.Lon, v.cam.Lat), toVec(lon, lat), grab)
	saved := v.cam
	v.cam.Lon, v.cam.Lat = fromVec(c)
	v.update()
	glon, glat := fromVec(grab)
	for range 6 {
		px, py, ok := v.proj.WorldToPixel(glon, glat)
		if !ok {
			break
		}
		ex, ey := px-x, py-y
		if math.Hypot(ex, ey) < 1e-4 {
			return
		}
		// Numerical Jacobian of the grabbed point's pixel w.r.t. the centre.
		h := 1e-3 * v.cam.Scale()
		base := v.cam
		v.cam.Lon += h
		v.update()
		ax, ay, ok1 := v.proj.WorldToPixel(glon, glat)
		v.cam = base
		v.cam.Lat += h
		if v.cam.Lat > 90 {
			v.cam.Lat -= 2 * h
			h = -h
		}
		v.update()
		bx, by, ok2 := v.proj.WorldToPixel(glon, glat)
		v.cam = base
		v.update()
		if !ok1 || !ok2 {
			break
		}
		j11, j21 := (ax-px)/1e-3/v.cam.Scale(), (ay-py)/1e-3/v.cam.Scale()
		j12, j22 := (bx-px)/h, (by-py)/h
		det := j11*j22 - j12*j21
		if math.Abs(det) < 1e-12 {
			break
		}
		v.cam.Lon -= (j22*ex - j12*ey) / det
		v.cam.Lat -= (-j21*ex + j11*ey) / det
		v.update()
	}
	if math.IsNaN(v.cam.Lon) || math.IsNaN(v.cam.Lat) {
		v.cam = saved
		v.update()
	}
}

// PointerDown starts a drag at canvas point (x, y).
func (v *View) PointerDown(x, y float64) {
	v.StopMotion()
	v.samples = v.samples[:0]
	lon, lat, ok := v.proj.PixelToWorld(x, y)
	v.drag = &dragState{grab: toVec(lon, lat), ok: ok}
}

// PointerMove continues a drag: the sky point grabbed stays under the pointer.
func (v *View) PointerMove(x, y float64) {
	if v.drag == nil || !v.drag.ok {
		return
	}
	v.moveGrabbed(v.drag.grab, x, y)
}

// PointerUp ends a drag.
func (v *View) PointerUp() { v.drag = nil }

// Dragging reports whether a drag is in progress.
func (v *View) Dragging() bool { return v.drag != nil }

// Zoom multiplies the field of view by factor, keeping the sky point under
// canvas point (x, y) in place.
func (v *View) Zoom(factor, x, y float64) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	lon, lat, ok := v.proj.PixelToWorld(x, y)
	v.cam.Fov *= factor
	v.update()
	if ok {
		v.moveGrabbed(toVec(lon, lat), x, y)
	}
}

// Wheel handles a wheel event at (x, y) with the DOM's deltaY (pixels).
func (v *View) Wheel(x, y, deltaY float64) {
	if deltaY == 0 || math.IsNaN(deltaY) {
		return
	}
	d := math.Max(-300, math.Min(300, deltaY))
	v.Zoom(math.Exp(d/500), x, y)
}

// Key handles a key press (DOM KeyboardEvent.key) and reports whether it was used.
func (v *View) Key(key string) bool {
	step := 0.1 * v.cam.Fov
	w, h := v.cam.Width, v.cam.Height
	switch key {
	case "ArrowLeft":
		v.pan(w/2-step/v.cam.Scale(), h/2)
	case "ArrowRight":
		v.pan(w/2+step/v.cam.Scale(), h/2)
	case "ArrowUp":
		v.pan(w/2, h/2-step/v.cam.Scale())
	case "ArrowDown":
		v.pan(w/2, h/2+step/v.cam.Scale())
	case "+", "=":
		v.Zoom(1/1.25, w/2, h/2)
	case "-", "_":
		v.Zoom(1.25, w/2, h/2)
	case "g":
		if v.grid != nil {
			v.SetGrid(false, "")
		} else {
			v.SetGrid(true, "icrs")
		}
	default:
		return false
	}
	return true
}

// pan moves the camera centre to the sky point under canvas point (x, y).
func (v *View) pan(x, y float64) {
	if lon, lat, ok := v.proj.PixelToWorld(x, y); ok {
		v.cam.Lon, v.cam.Lat = lon, lat
		v.update()
	}
}

// Request asks the host to load a resource.
type Request struct {
	Key  string // identifies the resource in the *Loaded calls and, for images, as a texture name
	URL  string
	Kind ResourceKind
	Slot Slot // for Tile: where in which texture-array page the image goes
}

// Slot is a place for a tile image in a texture-array page.
type Slot struct {
	Page        string // texture key of the page
	Size, Depth int    // page size (Size×Size pixels × Depth layers), to create it
	Layer, X, Y int    // where the image goes
	Float       bool   // an R32F page of physical values (FITS tiles) rather than RGBA
}

// Upload is float data decoded in Go (FITS tiles, FITS Allsky) for the host
// to put into a texture: into Slot when Slot.Page is set, else as a new
// one-layer R32F array texture named Key. Rows are top-down (row 0 is the
// top row as displayed), like browser-decoded images.
type Upload struct {
	Key  string
	Slot Slot
	W, H int
	Data []float32
	// Ints, when set instead of Data, are integer flags (a mask, mask.go)
	// for a one-layer R32UI array texture Key, sampled nearest.
	Ints []uint32
	// Nearest: texture Key samples the nearest texel (FITS image pixels).
	Nearest bool
}

// TakeUploads returns the float textures to upload before the next draw.
func (v *View) TakeUploads() []Upload {
	u := v.uploads
	v.uploads = nil
	return u
}

// ResourceKind says how the host must load a resource.
type ResourceKind int

// Resource kinds.
const (
	Text  ResourceKind = iota // fetched as text, given back with TextLoaded
	Image                     // fetched, decoded by the browser, uploaded as a one-layer array texture Key, acknowledged with ImageLoaded
	Bytes                     // fetched as bytes, given back with BytesLoaded
	Tile                      // fetched, decoded, uploaded into Slot (creating the page if needed), acknowledged with ImageLoaded
)

// TakeCancels returns the keys of requests the view no longer wants (tiles
// that left the view); the host aborts them and reports nothing for them.
func (v *View) TakeCancels() []string {
	c := v.cancels
	v.cancels = nil
	for _, k := range c {
		delete(v.pending, k)
	}
	return c
}

// Requests returns the resources requested and not yet taken, without taking them.
func (v *View) Requests() []Request { return v.requests }

// TakeRequests returns the resources requested since the last call.
func (v *View) TakeRequests() []Request {
	r := v.requests
	v.requests = nil
	for _, q := range r {
		v.pending[q.Key] = true
	}
	return r
}

func (v *View) request(key, url string, kind ResourceKind) {
	v.requests = append(v.requests, Request{Key: key, URL: url, Kind: kind})
}

// HiPSOptions are the options of a HiPS layer.
type HiPSOptions struct {
	Opacity float64 // 0..1
	// Format picks the tile format (jpeg, png, webp, fits) instead of the
	// default choice (the best colour format, FITS when there is none).
	Format string
	// FullResolution loads tiles down to the order the screen needs even when
	// they are finer than the survey's source data (s_pixel_scale), where the
	// Allsky alone is normally enough.
	FullResolution bool
}

// AddHiPS adds a HiPS layer on top of the others and returns its id. base is
// the HiPS URL (its properties file is base + "/properties").
func (v *View) AddHiPS(base string, o HiPSOptions) int {
	v.nextID++
	base = strings.TrimRight(base, "/")
	l := &hipsLayer{id: v.nextID, base: base, opacity: o.Opacity, allskyOrder: 3, wantFormat: hips.Format(strings.ToLower(o.Format)), full: o.FullResolution}
	v.layers = append(v.layers, l)
	v.request(l.key("properties"), base+"/properties", Text)
	v.dirty = true
	return l.id
}

func (v *View) layer(id int) (*hipsLayer, error) {
	for _, l := range v.layers {
		if l.id == id {
			return l, nil
		}
	}
	return nil, fmt.Errorf("view: no layer %d", id)
}

// SetHiPSOpacity changes a layer's opacity (0..1).
func (v *View) SetHiPSOpacity(id int, opacity float64) error {
	l, err := v.layer(id)
	if err != nil {
		return err
	}
	l.opacity = math.Max(0, math.Min(1, opacity))
	v.dirty = true
	return nil
}

// SetHiPSStretch changes the display setting (interval, stretch, colormap)
// of a layer of FITS tiles. It only changes shader uniforms: nothing is
// decoded or uploaded again. Intervals other than manual are computed from
// the layer's Allsky values.
func (v *View) SetHiPSStretch(id int, s ImageStretch) error {
	l, err := v.layer(id)
	if err != nil {
		return err
	}
	if err := l.setStretch(s); err != nil {
		return err
	}
	v.dirty = true
	return nil
}

// HiPSValueAt returns the physical value of the top-most layer of FITS tiles
// at an ICRS position (for the cursor readout), with that layer's id.
func (v *View) HiPSValueAt(ra, dec float64) (value float64, id int, ok bool) {
	for i := len(v.layers) - 1; i >= 0; i-- {
		l := v.layers[i]
		if val, ok := l.valueAt(v, ra, dec); ok {
			return val, l.id, true
		}
	}
	return 0, 0, false
}

// HiPSStretchOf returns the display setting of a layer of FITS tiles (ok is
// false for colour layers and unknown ids).
func (v *View) HiPSStretchOf(id int) (ImageStretch, bool) {
	if l, err := v.layer(id); err == nil && l.data {
		return l.set, true
	}
	return ImageStretch{}, false
}

// RemoveHiPS removes a layer; its textures can be freed by the host (their
// keys start with the returned prefix).
func (v *View) RemoveHiPS(id int) (texturePrefix string, err error) {
	for i, l := range v.layers {
		if l.id == id {
			for key := range v.pending {
				if strings.HasPrefix(key, l.key("")) {
					v.cancels = append(v.cancels, key)
				}
			}
			v.layers = append(v.layers[:i], v.layers[i+1:]...)
			v.dirty = true
			return l.key(""), nil
		}
	}
	return "", fmt.Errorf("view: no layer %d", id)
}

// LayerError returns the error that stopped a layer, if any.
func (v *View) LayerError(id int) error {
	l, err := v.layer(id)
	if err != nil {
		return err
	}
	return l.err
}

// LayerReady reports whether a layer has everything it needs to draw.
func (v *View) LayerReady(id int) bool {
	l, err := v.layer(id)
	return err == nil && l.allskyReady
}

// TextLoaded delivers a text resource (or the error that prevented it).
func (v *View) TextLoaded(key, text string, err error) {
	delete(v.pending, key)
	for _, l := range v.layers {
		if reqs := l.textLoaded(v, key, text, err); reqs != nil {
			v.requests = append(v.requests, reqs...)
		}
	}
	v.dirty = true
}

// GPUReset forgets every texture (the GPU context was lost and restored):
// the layers load their images again.
func (v *View) GPUReset() {
	for _, l := range v.layers {
		if l.props == nil || l.err != nil {
			continue
		}
		l.allskyReady = false
		l.tiles = map[hips.TileID]*tileEntry{}
		l.pool = newSlotPool(l.id, l.width, l.data)
		l.inflight = 0
		v.requests = append(v.requests, l.allskyRequest())
	}
	for _, o := range v.overlays {
		if r, ok := o.(interface{ gpuReset(*View) }); ok {
			r.gpuReset(v)
		}
	}
	v.dirty = true
}

// BytesLoaded delivers a binary resource (or the error that prevented it).
func (v *View) BytesLoaded(key string, b []byte, err error) {
	delete(v.pending, key)
	for _, l := range v.layers {
		l.bytesLoaded(v, key, b, err)
	}
	v.dirty = true
}

// ImageLoaded reports that the image resource key was uploaded as a texture
// of w×h pixels (or failed with err).
func (v *View) ImageLoaded(key string, w, h int, err error) {
	delete(v.pending, key)
	for _, l := range v.layers {
		l.imageLoaded(key, w, h, err)
	}
	v.dirty = true
}

// Frame builds the draw list of the current state and clears Dirty.
func (v *View) Frame() *draw.List {
	v.dirty = false
	v.frames++
	dl := &draw.List{Width: v.cam.Width, Height: v.cam.Height, DPR: v.cam.DPR, Background: v.background}
	v.mb.orient(v)
	for _, l := range v.layers {
		dl.Meshes = append(dl.Meshes, l.meshes(v, v.mb)...)
	}
	for _, o := range v.overlays {
		o.draw(v, dl)
	}
	v.buildGrid(dl)
	return dl
}

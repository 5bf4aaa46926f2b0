package view

import (
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/stretch"
)

func newTestView(t *testing.T, proj string) *View {
	t.Helper()
	v, err := New(Options{Lon: 83.8, Lat: -5.4, Fov: 60, Proj: proj, Width: 800, Height: 600, DPR: 1})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sep(lon1, lat1, lon2, lat2 float64) float64 {
	a, b := toVec(lon1, lat1), toVec(lon2, lat2)
	return math.Atan2(math.Sqrt(dot(cross(a, b), cross(a, b))), dot(a, b)) * 180 / math.Pi
}

func TestCameraRoundTrip(t *testing.T) {
	for _, c := range []struct{ lon, lat, fov float64 }{{0, 0, 60}, {266.4, -28.9, 120}, {10, 89.9, 10}, {359.9, -60, 180}, {180, 0, 0.01}} {
		v, err := New(Options{Lon: c.lon, Lat: c.lat, Fov: c.fov, Width: 640, Height: 480})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range [][2]float64{{320, 240}, {0.5, 0.5}, {639.5, 479.5}, {100, 400}} {
			lon, lat, ok := v.PixelToWorld(p[0], p[1])
			if !ok {
				continue
			}
			x, y, ok := v.WorldToPixel(lon, lat)
			if !ok || math.Abs(x-p[0]) > 1e-6 || math.Abs(y-p[1]) > 1e-6 {
				t.Errorf("%+v: pixel %v -> (%g,%g) -> (%g,%g) ok=%v", c, p, lon, lat, x, y, ok)
			}
		}
		lon, lat, _ := v.PixelToWorld(320, 240)
		if d := sep(lon, lat, c.lon, c.lat); d > 1e-9 {
			t.Errorf("%+v: canvas centre is %g° from the camera centre", c, d)
		}
	}
}

func TestOrientation(t *testing.T) {
	// RA grows to the left (east left, north up), like every sky atlas.
	v := newTestView(t, "SIN")
	xe, _, _ := v.WorldToPixel(83.8+1, -5.4)
	_, yn, _ := v.WorldToPixel(83.8, -5.4+1)
	if xe >= 400 {
		t.Errorf("east is at x=%g, right of the centre", xe)
	}
	if yn >= 300 {
		t.Errorf("north is at y=%g, below the centre", yn)
	}
	// The fov is the angle between the left and right edges of the canvas.
	lonL, latL, _ := v.PixelToWorld(0, 300)
	lonR, latR, _ := v.PixelToWorld(800, 300)
	if d := sep(lonL, latL, lonR, latR); math.Abs(d-60) > 1e-6 {
		t.Errorf("canvas spans %g°, want the 60° fov", d)
	}
}

func TestDragKeepsGrabbedPoint(t *testing.T) {
	for _, start := range [][2]float64{{83.8, -5.4}, {0.5, 0}, {200, 80}, {10, -85}} {
		v, _ := New(Options{Lon: start[0], Lat: start[1], Fov: 40, Width: 800, Height: 600})
		x0, y0 := 500.0, 250.0
		lon, lat, _ := v.PixelToWorld(x0, y0)
		v.PointerDown(x0, y0)
		for i := 1; i <= 10; i++ {
			v.PointerMove(x0-15*float64(i), y0+10*float64(i))
		}
		v.PointerUp()
		x, y, ok := v.WorldToPixel(lon, lat)
		if !ok || math.Hypot(x-(x0-150), y-(y0+100)) > 0.5 {
			t.Errorf("start %v: grabbed point is at (%g,%g), pointer at (%g,%g)", start, x, y, x0-150, y0+100)
		}
	}
}

func TestZoomAboutCursor(t *testing.T) {
	v := newTestView(t, "SIN")
	lon, lat, _ := v.PixelToWorld(600, 150)
	v.Wheel(600, 150, -200)
	if c := v.Camera(); c.Fov >= 60 {
		t.Fatalf("wheel up did not zoom in: fov %g", c.Fov)
	}
	x, y, _ := v.WorldToPixel(lon, lat)
	if math.Hypot(x-600, y-150) > 0.5 {
		t.Errorf("point under the cursor moved to (%g,%g)", x, y)
	}
	for range 100 {
		v.Wheel(400, 300, 300)
	}
	if c := v.Camera(); c.Fov != 180 {
		t.Errorf("SIN zoomed out to %g°, want the 180° limit", c.Fov)
	}
	for range 400 {
		v.Wheel(400, 300, -300)
	}
	if c := v.Camera(); c.Fov != MinFov {
		t.Errorf("zoomed in to %g°, want the %g° limit", c.Fov, MinFov)
	}
	v.Wheel(400, 300, math.NaN())
	v.Zoom(math.Inf(1), 1, 1)
	v.Zoom(-1, 1, 1)
	if c := v.Camera(); c.Fov != MinFov || math.IsNaN(c.Lon) {
		t.Errorf("bad zoom input changed the camera: %+v", c)
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		key  string
		used bool
		dLon float64 // sign of the expected RA change
		dFov float64 // sign of the expected fov change
	}{
		{"ArrowLeft", true, +1, 0},
		{"ArrowRight", true, -1, 0},
		{"+", true, 0, -1},
		{"-", true, 0, +1},
		{"q", false, 0, 0},
	}
	for _, tc := range tests {
		v := newTestView(t, "SIN")
		c0 := v.Camera()
		if used := v.Key(tc.key); used != tc.used {
			t.Errorf("%s: used=%v", tc.key, used)
		}
		c1 := v.Camera()
		if s := math.Copysign(1, c1.Lon-c0.Lon); tc.dLon != 0 && (s != tc.dLon || math.Abs(c1.Lon-c0.Lon) < 1) {
			t.Errorf("%s: RA %g -> %g", tc.key, c0.Lon, c1.Lon)
		}
		if s := math.Copysign(1, c1.Fov-c0.Fov); tc.dFov != 0 && (s != tc.dFov || c1.Fov == c0.Fov) {
			t.Errorf("%s: fov %g -> %g", tc.key, c0.Fov, c1.Fov)
		}
	}
	v := newTestView(t, "SIN")
	v.Key("ArrowUp")
	if c := v.Camera(); c.Lat <= -5.4 {
		t.Errorf("ArrowUp moved south: dec %g", c.Lat)
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := New(Options{Proj: "XYZ"}); err == nil || !strings.Contains(err.Error(), "XYZ") {
		t.Errorf("unknown projection: err = %v", err)
	}
	v, err := New(Options{Lon: math.NaN(), Lat: 1000, Fov: -5, Width: 0, Height: -1})
	if err != nil {
		t.Fatal(err)
	}
	c := v.Camera()
	if c.Lon != 0 || c.Lat != 90 || c.Fov != 180 || c.Width != 1 || c.Height != 1 {
		t.Errorf("camera not clamped: %+v", c)
	}
}

const props = `# a comment
s_pixel_scale = 0.1758
hips_order = 3
hips_tile_width = 128
hips_tile_format = jpeg
hips_frame = equatorial
`

func TestHiPSLoading(t *testing.T) {
	v := newTestView(t, "SIN")
	id := v.AddHiPS("http://127.0.0.1/hips/sky/", HiPSOptions{Opacity: 1, Format: ""})
	reqs := v.TakeRequests()
	if len(reqs) != 1 || reqs[0].URL != "http://127.0.0.1/hips/sky/properties" || reqs[0].Kind != Text {
		t.Fatalf("requests %+v", reqs)
	}
	if v.Idle() {
		t.Error("idle while the properties load")
	}
	v.TextLoaded(reqs[0].Key, props, nil)
	reqs = v.TakeRequests()
	if len(reqs) != 2 || reqs[0].URL != "http://127.0.0.1/hips/sky/Norder3/Allsky.jpg" || reqs[0].Kind != Image ||
		reqs[1].URL != "http://127.0.0.1/hips/sky/Moc.fits" || reqs[1].Kind != Bytes {
		t.Fatalf("requests %+v", reqs)
	}
	v.ImageLoaded(reqs[0].Key, 1728, 1856, nil)
	v.BytesLoaded(reqs[1].Key, nil, ErrNotFound) // Moc.fits is optional
	if !v.LayerReady(id) || v.LayerError(id) != nil {
		t.Fatalf("layer not ready: %v", v.LayerError(id))
	}
	dl := v.Frame()
	if len(dl.Meshes) != 1 || len(dl.Meshes[0].Indices) == 0 {
		t.Fatalf("draw list %+v", dl)
	}
	m := dl.Meshes[0]
	for _, i := range m.Indices {
		x, y := m.Vertices[5*i], m.Vertices[5*i+1]
		s, tt := m.Vertices[5*i+2], m.Vertices[5*i+3]
		if math.IsNaN(float64(x)) || math.IsNaN(float64(y)) || s < 0 || s > 1 || tt < 0 || tt > 1 {
			t.Fatalf("bad vertex %d: %g %g %g %g", i, x, y, s, tt)
		}
	}
	// The Allsky (64-px tiles at order 3: 0.11°/px) is sharper than the
	// source data (s_pixel_scale 0.176°): no tile is ever needed.
	if r := v.TakeRequests(); len(r) != 0 {
		t.Errorf("tile requests at 60°: %+v", r)
	}
	if !v.Idle() {
		t.Error("not idle after the frame")
	}
	// Only the visible part of the sky is drawn: SIN at 60° shows well under half.
	if n := len(m.Indices) / 3; n > 768*16*2/2 {
		t.Errorf("%d triangles drawn for a 60° field", n)
	}
}

// TestHiPSTiles follows a deep zoom: tiles of the right order are requested
// into texture-array slots, drawn once loaded, ancestors stand in while
// children load, and tiles that leave the view are cancelled.
func TestHiPSTiles(t *testing.T) {
	v, _ := New(Options{Lon: 50.67, Lat: -37.2, Fov: 0.5, Width: 1024, Height: 768, DPR: 1})
	v.AddHiPS("http://127.0.0.1/h", HiPSOptions{Opacity: 1, Format: ""})
	r := v.TakeRequests()
	v.TextLoaded(r[0].Key, "hips_order = 6\nhips_order_min = 0\nhips_tile_width = 512\nhips_tile_format = jpeg\nhips_frame = equatorial\n", nil)
	r = v.TakeRequests()
	v.ImageLoaded(r[0].Key, 1728, 1856, nil)
	v.BytesLoaded(r[1].Key, nil, ErrNotFound)
	v.Frame()
	r = v.TakeRequests()
	if len(r) == 0 || len(r) > maxInflight {
		t.Fatalf("%d tile requests", len(r))
	}
	seen := map[string]bool{}
	for _, q := range r {
		if q.Kind != Tile || !strings.Contains(q.URL, "/Norder") || q.Slot.Page == "" || q.Slot.Size < 512 {
			t.Fatalf("bad tile request %+v", q)
		}
		slot := fmt.Sprintf("%s/%d/%d/%d", q.Slot.Page, q.Slot.Layer, q.Slot.X, q.Slot.Y)
		if seen[slot] {
			t.Fatalf("two tiles in slot %s", slot)
		}
		seen[slot] = true
	}
	// The first requests are the base ancestors, then order-6 tiles.
	if !strings.Contains(r[len(r)-1].URL, "Norder6/") {
		t.Errorf("last request %s is not an order-6 tile", r[len(r)-1].URL)
	}
	for _, q := range r {
		v.ImageLoaded(q.Key, 512, 512, nil)
	}
	dl := v.Frame()
	if len(dl.Meshes) < 2 {
		t.Fatalf("tiles not drawn: %d meshes", len(dl.Meshes))
	}
	// Move far away: loads for the old place are cancelled.
	more := v.TakeRequests()
	v.SetView(200, 30, 0.5)
	v.Frame()
	if c := v.TakeCancels(); len(c) != len(more) {
		t.Errorf("%d loads in flight, %d cancelled", len(more), len(c))
	}
	// A 404 tile is drawn from its ancestor and never requested again.
	r = v.TakeRequests()
	for _, q := range r {
		v.ImageLoaded(q.Key, 0, 0, ErrNotFound)
	}
	v.Frame()
	for _, q := range v.TakeRequests() {
		for _, old := range r {
			if q.URL == old.URL {
				t.Errorf("missing tile %s requested again", q.URL)
			}
		}
	}
}

func TestHiPSErrors(t *testing.T) {
	tests := []struct {
		name    string
		props   string
		propErr error
		w, h    int
		imgErr  error
		want    string
	}{
		{"properties 404", "", errors.New("HTTP 404"), 0, 0, nil, "HTTP 404"},
		{"malformed line", "hips_order 3\n", nil, 0, 0, nil, "line 1"},
		{"bad order", "hips_order = x\n", nil, 0, 0, nil, "hips_order"},
		{"no such format", "hips_order = 3\nhips_tile_width = 512\nhips_frame = equatorial\nhips_tile_format = gif\n", nil, 0, 0, nil, "tile format"},
		{"allsky 404", props, nil, 0, 0, errors.New("HTTP 404"), "Allsky"},
		{"allsky bad size", props, nil, 1000, 1000, nil, "Allsky image is 1000x1000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestView(t, "SIN")
			id := v.AddHiPS("http://127.0.0.1/h", HiPSOptions{Opacity: 1, Format: ""})
			r := v.TakeRequests()
			v.TextLoaded(r[0].Key, tc.props, tc.propErr)
			if r = v.TakeRequests(); len(r) >= 1 {
				v.ImageLoaded(r[0].Key, tc.w, tc.h, tc.imgErr)
			}
			err := v.LayerError(id)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			if v.LayerReady(id) {
				t.Error("broken layer reported ready")
			}
			v.Frame() // must not panic
		})
	}
}

// TestAllskyMapping checks the HiPS tile orientation used by the meshes on
// real data: every Allsky pixel of the Mellinger HiPS, placed on the sky with
// the same (u, v) convention as buildGrid, must show what the source
// panorama shows there. A flipped or transposed convention gives no correlation.
func TestAllskyMapping(t *testing.T) {
	allsky := readJPEG(t, "../../testdata/hips/mellinger/Norder3/Allsky.jpg")
	pano := readJPEG(t, "../../testdata/hips/mellinger-input.jpg")
	const order = 3
	cols, _ := allskyGrid(order)
	tw := allsky.Bounds().Dx() / cols
	var xs, ys []float64
	for ipix := int64(0); ipix < healpix.Npix(order); ipix += 7 {
		c, r := int(ipix)%cols, int(ipix)/cols
		for py := 3; py < tw; py += 9 {
			for px := 5; px < tw; px += 9 {
				u, v := (float64(py)+0.5)/float64(tw), (float64(px)+0.5)/float64(tw)
				lon, lat := healpix.NestUVToAng(order, ipix, u, v)
				xs = append(xs, grey(allsky, c*tw+px, r*tw+py))
				ys = append(ys, panoramaAt(pano, lon, lat))
			}
		}
	}
	if r := pearson(xs, ys); r < 0.9 {
		t.Errorf("Allsky vs panorama correlation %.3f over %d pixels, want ≥ 0.9", r, len(xs))
	} else {
		t.Logf("Allsky vs panorama correlation %.3f over %d pixels", r, len(xs))
	}
}

func readJPEG(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func grey(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(img.Bounds().Min.X+x, img.Bounds().Min.Y+y).RGBA()
	return float64(r+g+b) / 3
}

// panoramaAt samples the panorama (RA---CAR, CRVAL=(270,0), CRPIX=(1024.5,512.5),
// CDELT=(-0.17578125, 0.17578125), FITS row 1 = Dec -90 = the image's last row).
func panoramaAt(img image.Image, lon, lat float64) float64 {
	dl := math.Mod(lon-270+540, 360) - 180
	x := 1024.5 + dl/-0.17578125
	y := 512.5 + lat/0.17578125
	h := img.Bounds().Dy()
	col := int(math.Floor(x - 0.5))
	row := h - 1 - int(math.Floor(y-0.5))
	col = (col%2048 + 2048) % 2048
	row = max(0, min(h-1, row))
	return grey(img, col, row)
}

func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var sa, sb, saa, sbb, sab float64
	for i := range a {
		sa += a[i]
		sb += b[i]
		saa += a[i] * a[i]
		sbb += b[i] * b[i]
		sab += a[i] * b[i]
	}
	return (sab/n - sa/n*sb/n) / math.Sqrt((saa/n-sa*sa/n/n)*(sbb/n-sb*sb/n/n))
}

func TestInertia(t *testing.T) {
	v := newTestView(t, "SIN")
	v.PointerDown(400, 300)
	for i := 1; i <= 5; i++ {
		v.PointerMoveAt(400+10*float64(i), 300, 16*float64(i)) // 0.625 px/ms to the right
	}
	c0 := v.Camera()
	v.PointerUpAt(85)
	if !v.Animating() || v.Idle() {
		t.Fatal("no inertia after a fling")
	}
	var n int
	for tm := 100.0; v.Tick(tm); tm += 16 {
		n++
		if n > 1000 {
			t.Fatal("inertia never stops")
		}
	}
	c1 := v.Camera()
	// Dragging right moves the sky right: the centre moves east (RA grows).
	moved := math.Remainder(c1.Lon-c0.Lon, 360)
	want := 0.625 * inertiaTau * v.Camera().Scale() // total glide in degrees, roughly
	if moved < want*0.5 || moved > want*1.5 {
		t.Errorf("inertia moved the centre %g°, want about %g°", moved, want)
	}
	// A release after the pointer stopped does not fling.
	v.PointerDown(400, 300)
	v.PointerMoveAt(450, 300, 1000)
	v.PointerUpAt(1200)
	if v.Animating() {
		t.Error("fling after the pointer had stopped")
	}
}

func TestFlyTo(t *testing.T) {
	tests := []struct{ lon, lat, fov float64 }{{266.4, -28.9, 10}, {263.8, 5.4, 60}, {83.8 + 180, 5.4, 60}, {0, 90, 1}}
	for _, tc := range tests {
		v := newTestView(t, "SIN")
		v.FlyTo(tc.lon, tc.lat, tc.fov, 1000)
		maxFov := 0.0
		for tm := 0.0; tm <= 1100; tm += 16 {
			v.Tick(tm)
			c := v.Camera()
			if math.IsNaN(c.Lon) || math.IsNaN(c.Lat) || math.IsNaN(c.Fov) {
				t.Fatalf("%v: NaN camera at t=%g", tc, tm)
			}
			maxFov = math.Max(maxFov, c.Fov)
		}
		c := v.Camera()
		if v.Animating() || sep(c.Lon, c.Lat, tc.lon, tc.lat) > 1e-9 || math.Abs(c.Fov-tc.fov) > 1e-9 {
			t.Errorf("%v: ended at %+v (animating %v)", tc, c, v.Animating())
		}
		if d := sep(83.8, -5.4, tc.lon, tc.lat); d > 90 && maxFov < 100 {
			t.Errorf("%v: a %g° flight never zoomed out (max fov %g)", tc, d, maxFov)
		}
	}
}

func TestScaleBar(t *testing.T) {
	for _, fov := range []float64{180, 60, 1, 0.05, 0.001} {
		v, _ := New(Options{Lon: 10, Lat: 20, Fov: fov, Width: 1000, Height: 600})
		px, label := v.ScaleBar()
		if px < 100 || px > 200 || label == "" {
			t.Errorf("fov %g: scale bar %g px %q", fov, px, label)
		}
	}
}

// allskyView makes a SIN view at the Galactic centre with a Mellinger-like
// HiPS whose Allsky has been delivered (no Moc.fits).
func allskyView(tb testing.TB, fov float64) *View {
	tb.Helper()
	v, err := New(Options{Lon: 266.4, Lat: -28.9, Fov: fov, Width: 1024, Height: 768, DPR: 1})
	if err != nil {
		tb.Fatal(err)
	}
	v.AddHiPS("http://127.0.0.1/h", HiPSOptions{Opacity: 1})
	r := v.TakeRequests()
	v.TextLoaded(r[0].Key, props, nil)
	r = v.TakeRequests()
	v.ImageLoaded(r[0].Key, 1728, 1856, nil)
	v.BytesLoaded(r[1].Key, nil, ErrNotFound)
	return v
}

func BenchmarkFrameAllsky(b *testing.B) {
	v := allskyView(b, 60)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		v.SetView(266.4+float64(i%100)*0.1, -28.9, 60)
		v.Frame()
	}
}

// TestHiPSFITS loads the real dirbe60 FITS Allsky and a FITS tile: the
// display parameters come from hips_pixel_cut, the uploads are top-down float
// images, and (orientation check) the uploaded Allsky stretched for display
// correlates with Hipsgen's PNG Allsky of the same data.
func TestHiPSFITS(t *testing.T) {
	dir := "../../testdata/hips/dirbe60/"
	propsText, _ := os.ReadFile(dir + "properties")
	v, _ := New(Options{Lon: 266.4, Lat: -28.9, Fov: 10, Width: 1024, Height: 768, DPR: 1})
	id := v.AddHiPS("http://127.0.0.1/d", HiPSOptions{Opacity: 1, Format: "fits"})
	r := v.TakeRequests()
	v.TextLoaded(r[0].Key, string(propsText), nil)
	r = v.TakeRequests()
	if len(r) != 2 || r[0].Kind != Bytes || !strings.HasSuffix(r[0].URL, "Norder3/Allsky.fits") {
		t.Fatalf("requests %+v", r)
	}
	allsky, err := os.ReadFile(dir + "Norder3/Allsky.fits")
	if err != nil {
		t.Fatal(err)
	}
	v.BytesLoaded(r[0].Key, allsky, nil)
	v.BytesLoaded(r[1].Key, nil, ErrNotFound)
	if err := v.LayerError(id); err != nil {
		t.Fatal(err)
	}
	up := v.TakeUploads()
	if len(up) != 1 || up[0].W != 864 || up[0].H != 928 || len(up[0].Data) != 864*928 {
		t.Fatalf("uploads %+v", len(up))
	}
	l := v.layers[0]
	if l.params.Lo != 4 || l.params.Hi != 400 {
		t.Errorf("display %+v, want the hips_pixel_cut 4..400", l.params)
	}
	png := readPNG(t, dir+"Norder3/Allsky.png")
	var xs, ys []float64
	for y := 0; y < 928; y += 7 {
		for x := 0; x < 864; x += 7 {
			val := up[0].Data[y*864+x]
			if math.IsNaN(float64(val)) {
				continue
			}
			c := stretch.Params{Lo: 4, Hi: 400, Kind: stretch.KindAsinh}.Color(float64(val))
			xs = append(xs, float64(c[0]))
			ys = append(ys, grey(png, x, y))
		}
	}
	// Hipsgen's own asinh differs from astropy's, hence not 1; a wrong row
	// order gives about 0.02.
	if r := pearson(xs, ys); r < 0.85 {
		t.Errorf("uploaded Allsky vs Allsky.png correlation %.3f", r)
	}
	dl := v.Frame()
	if len(dl.Meshes) == 0 || dl.Meshes[0].Stretch == nil {
		t.Fatal("FITS layer drawn without display parameters")
	}
	// Readout: the value at a position equals the value of the FITS tile
	// holding it (Npix451.fits of order 3, a tile of the Allsky).
	tileBytes, err := os.ReadFile(dir + "Norder3/Dir0/Npix451.fits")
	if err != nil {
		t.Fatal(err)
	}
	tim, err := hips.DecodeTile(tileBytes, hips.FormatFITS, 32)
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range [][2]int{{3, 5}, {16, 16}, {30, 1}} {
		col, frow := cr[0], cr[1] // FITS row order
		sub := healpix.TileSubpixel(3, 451, 32, col, frow)
		lon, lat := healpix.NestToAng(8, sub)
		got, _, ok := v.HiPSValueAt(lon, lat)
		want := tim.Data[frow*32+col]
		if !ok || float32(got) != want {
			t.Errorf("value at tile pixel (%d,%d): %g (ok=%v), want %g", col, frow, got, ok, want)
		}
	}
	if err := l.setStretch(ImageStretch{Interval: "manual", Min: 0, Max: 10, Stretch: "linear", Colormap: "nosuchmap"}); err == nil {
		t.Error("unknown colormap accepted")
	}
	colour := &hipsLayer{}
	if err := colour.setStretch(ImageStretch{Interval: "manual", Min: 0, Max: 1, Stretch: "linear"}); err == nil {
		t.Error("stretch accepted on a colour HiPS")
	}
}

func readPNG(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestGalacticFrame: in a galactic view, galactic north is up and the
// ICRS API (SetView, PixelToWorld, Center) still speaks ICRS.
func TestGalacticFrame(t *testing.T) {
	v, _ := New(Options{Lon: 266.40499, Lat: -28.93617, Fov: 20, Width: 800, Height: 600})
	if err := v.SetFrame("galactic"); err != nil {
		t.Fatal(err)
	}
	ra, dec := v.Center()
	if sep(ra, dec, 266.40499, -28.93617) > 1e-9 {
		t.Errorf("centre moved to %g %g", ra, dec)
	}
	c := v.Camera()
	if math.Abs(math.Remainder(c.Lon, 360)) > 1e-3 || math.Abs(c.Lat) > 1e-3 {
		t.Errorf("galactic centre at l=%g b=%g", c.Lon, c.Lat)
	}
	// The galactic north pole (ICRS 192.85948, 27.12825) is straight up.
	x, y, ok := v.WorldToPixel(192.85948, 27.12825)
	_ = ok
	xc, yc, _ := v.WorldToPixel(ra, dec)
	lon, lat, _ := v.PixelToWorld(400, 100)
	if sep(lon, lat, ra, dec) < 1 || !(y < yc) || math.Abs(x-xc) > 1e-6*math.Abs(yc-y)+1e-3 {
		t.Errorf("galactic north is not up: pole (%g, %g), centre (%g, %g)", x, y, xc, yc)
	}
	v.SetView(83.8, -5.4, 0)
	if ra, dec := v.Center(); sep(ra, dec, 83.8, -5.4) > 1e-9 {
		t.Errorf("SetView in a galactic view went to %g %g", ra, dec)
	}
	if err := v.SetFrame("supergalactic"); err == nil {
		t.Error("unknown frame accepted")
	}
}

func BenchmarkFrameAllskyWide(b *testing.B) {
	v := allskyView(b, 180)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		v.SetView(266.4, -28.9, 180-float64(i%50))
		v.Frame()
	}
}

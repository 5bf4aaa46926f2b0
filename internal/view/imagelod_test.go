package view

import (
	"bytes"
	"strings"
	"testing"
)

// largeN is the side of the test planes: 4.4 M pixels, over lodMinPixels.
const largeN = 2100

// openLarge opens a largeN² TAN image (synthFITS) in a view of the given
// canvas size centred on it, and returns the view, the image id and overlay.
func openLarge(t *testing.T, width, height float64) (*View, int, *imageOverlay) {
	t.Helper()
	f := synthFITS(largeN)
	v, err := New(Options{Fov: 1, Lon: 83.8, Lat: -5.4, Width: width, Height: height, DPR: 1})
	if err != nil {
		t.Fatal(err)
	}
	id, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1, MaxTexture: 8192})
	if err != nil {
		t.Fatal(err)
	}
	im, _ := v.image(id)
	return v, id, im
}

// chunkNamed finds an image chunk by its texture key.
func chunkNamed(t *testing.T, im *imageOverlay, key string) *imgChunk {
	t.Helper()
	for _, c := range im.chunks {
		if c.key == key {
			return c
		}
	}
	t.Fatalf("no chunk %q", key)
	return nil
}

// A plane over lodMinPixels is drawn from a preview texture until the screen
// shows pixels finer than the preview's; then the tiles in view are uploaded,
// a few per frame, and the oldest are dropped over the budget.
func TestLargeImagePreviewAndTiles(t *testing.T) {
	const n = largeN
	v, id, im := openLarge(t, 1024, 768)
	if im.lod == nil {
		t.Fatal("a 2100² plane is not drawn as preview + tiles")
	}
	// Opening uploads the preview only: at most lodPreviewSide on a side, each
	// texel a pixel of the plane.
	ups := v.TakeUploads()
	if len(ups) != 1 || !strings.HasSuffix(ups[0].Key, ":preview") || !ups[0].Nearest {
		t.Fatalf("uploads at open: %d, first %+v", len(ups), ups[0].Key)
	}
	p := ups[0]
	if max(p.W, p.H) > lodPreviewSide || len(p.Data) != p.W*p.H {
		t.Fatalf("preview %dx%d with %d values", p.W, p.H, len(p.Data))
	}
	for _, ij := range [][2]int{{0, 0}, {p.W - 1, p.H - 1}, {p.W / 2, p.H / 3}} {
		i, j := ij[0], ij[1]
		x := min(n-1, int((float64(i)+0.5)*n/float64(p.W)))
		y := min(n-1, int((float64(j)+0.5)*n/float64(p.H)))
		if got, want := p.Data[j*p.W+i], im.data[y*n+x]; got != want {
			t.Errorf("preview texel (%d, %d) = %v, want pixel (%d, %d) = %v", i, j, got, x, y, want)
		}
	}

	// The whole image in view (0.525° in a 1° field): the preview alone.
	dl := v.Frame()
	if len(v.TakeUploads()) != 0 || len(dl.Meshes) != 1 || !strings.HasSuffix(dl.Meshes[0].Texture, ":preview") {
		t.Fatalf("zoomed out: %d meshes, first %q", len(dl.Meshes), dl.Meshes[0].Texture)
	}

	// 1:1 (0.00025°/px on 1024 pixels): the tiles in view, four per frame.
	v.SetView(83.8, -5.4, 0.00025*1024)
	var uploaded []string
	for frame := 0; frame < 10; frame++ {
		dl = v.Frame()
		ups := v.TakeUploads()
		if len(ups) > lodUploadsPerFrame {
			t.Fatalf("frame %d uploads %d tiles", frame, len(ups))
		}
		for _, u := range ups {
			uploaded = append(uploaded, u.Key)
			c := chunkNamed(t, im, u.Key)
			if u.W != c.w || u.H != c.h || u.Data[0] != im.data[c.y0*n+c.x0] || !u.Nearest {
				t.Fatalf("tile %s: %dx%d, first value %v", u.Key, u.W, u.H, u.Data[0])
			}
		}
		if !v.Dirty() {
			break
		}
	}
	if v.Dirty() {
		t.Fatal("tiles still missing after 10 frames")
	}
	// 1024×768 pixels at 1:1 centred on pixel 1050.5 span pixels 538–1562 and
	// 666–1434: tiles 512, 1024, 1536 across and 512, 1024 up.
	if len(uploaded) != 6 {
		t.Fatalf("%d tiles uploaded for a 1024×768 view: %v", len(uploaded), uploaded)
	}
	tiles := 0
	for _, m := range dl.Meshes {
		if !strings.HasSuffix(m.Texture, ":preview") {
			tiles++
		}
	}
	if tiles != len(uploaded) || tiles != len(dl.Meshes) {
		t.Fatalf("%d tile meshes drawn of %d, %d tiles uploaded (no preview under a complete set)", tiles, len(dl.Meshes), len(uploaded))
	}

	// Panning over the image keeps the GPU's tiles under the budget (lowered
	// to 8 tiles: the whole 2100² plane, 25 tiles, is under the default).
	im.lod.budget = 8 * lodTile * lodTile * 4
	for k := 0; k < 9; k++ {
		v.SetView(83.8+float64(k%3-1)*0.2, -5.4+float64(k/3-1)*0.2, 0.00025*1024)
		for frame := 0; frame < 10 && (frame == 0 || v.Dirty()); frame++ {
			v.Frame()
			v.TakeUploads()
		}
	}
	if im.lod.bytes > im.lod.budget {
		t.Fatalf("resident tiles: %d bytes, budget %d", im.lod.bytes, im.lod.budget)
	}
	if len(v.TakeDeletes()) == 0 {
		t.Fatal("no tile was dropped after panning over the whole image")
	}
	if want := int64(len(im.lod.resident)) * lodTile * lodTile * 4; im.lod.bytes > want {
		t.Fatalf("resident bytes %d for %d tiles", im.lod.bytes, len(im.lod.resident))
	}

	// Removing the image frees the preview too.
	keys, err := v.RemoveImage(id)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, k := range keys {
		found = found || strings.HasSuffix(k, ":preview")
	}
	if !found {
		t.Fatalf("RemoveImage keys %v lack the preview", keys)
	}
}

// A large image in pixel-grid mode, with new limits and a histogram: the
// preview and the tiles follow the synthetic grid, nothing is uploaded again
// for a display change.
func TestLargeImagePixelGridAndDisplay(t *testing.T) {
	const n = largeN
	v, id, im := openLarge(t, 800, 600)
	v.TakeUploads()
	before := append([]float64(nil), im.lod.preview.lonlat...)
	if err := v.SetImagePixelGrid(id, true, false); err != nil {
		t.Fatal(err)
	}
	if len(im.lod.preview.lonlat) != len(before) || im.lod.preview.lonlat[0] == before[0] && im.lod.preview.lonlat[1] == before[1] {
		t.Fatal("the preview's grid did not move to the pixel grid")
	}
	for _, c := range im.chunks {
		if c.lonlat != nil {
			t.Fatalf("tile %s placed before it was needed", c.key)
		}
	}
	in, _ := v.ImageInfo(id)
	v.SetView(in.Center[0], in.Center[1], in.Size/8) // tiles needed
	dl := v.Frame()
	ups := v.TakeUploads()
	if len(ups) == 0 || len(ups) > lodUploadsPerFrame || len(dl.Meshes) < 2 {
		t.Fatalf("pixel grid, zoomed in: %d uploads, %d meshes", len(ups), len(dl.Meshes))
	}
	if err := v.SetImageStretch(id, ImageStretch{Interval: "minmax", Stretch: "log", Colormap: "viridis", Contrast: 1, Bias: 0.5}); err != nil {
		t.Fatal(err)
	}
	if got := v.TakeUploads(); len(got) != 0 {
		t.Fatalf("a display change uploaded %d textures", len(got))
	}
	h, err := v.ImageHistogram(id, 64, in.Lo, in.Hi)
	if err != nil {
		t.Fatal(err)
	}
	total := h.Below + h.Above + h.Blank
	for _, c := range h.Counts {
		total += c
	}
	if total != n*n {
		t.Fatalf("histogram counts %d pixels of %d", total, n*n)
	}
}

// A mask over a large image: zoomed out it is drawn on the preview, each
// texel the OR of the flags it covers (one flagged pixel stays visible);
// zoomed in its tiles come with the image's tiles and go with them.
func TestLargeImageMask(t *testing.T) {
	const n = largeN
	v, id, im := openLarge(t, 1024, 768)
	v.TakeUploads()
	// A mask HDU "read" already: bit 3 on one pixel, bit 0 on a row.
	flags := make([]uint32, n*n)
	flags[1234*n+777] = 1 << 3
	for x := range n {
		flags[100*n+x] |= 1
	}
	im.hdus = append(im.hdus, HDUSummary{Index: len(im.hdus), Name: "MASK", Type: "IMAGE", Shape: []int{n, n}, Bitpix: 32, Image: true, Mask: true})
	hdu := len(im.hdus) - 1
	im.mask = &imageMask{hdu: hdu, name: "MASK", data: flags}
	if _, err := v.ShowImageMask(id, nil, 0, MaskDisplay{HDU: hdu, Layers: []MaskLayer{{Bit: 3, Color: [3]float32{1, 0, 0}}}, Opacity: 1}); err != nil {
		t.Fatal(err)
	}
	ups := v.TakeUploads()
	if len(ups) != 1 || ups[0].Key != maskKey(im.lod.preview) {
		t.Fatalf("showing the mask zoomed out uploads %d textures (%v), want the preview's mask", len(ups), ups)
	}
	p := ups[0]
	set := 0
	for _, b := range p.Ints {
		if b&(1<<3) != 0 {
			set++
		}
	}
	i, j := int((777+0.5)*float64(p.W)/n), int((1234+0.5)*float64(p.H)/n) // the texel pixel (777, 1234) samples
	if set != 1 || p.Ints[j*p.W+i]&(1<<3) == 0 {
		t.Fatalf("preview mask: %d texels with bit 3, texel (%d, %d) = %b", set, i, j, p.Ints[j*p.W+i])
	}
	dl := v.Frame()
	if len(dl.Meshes) != 2 || dl.Meshes[1].Mask == nil || dl.Meshes[1].Texture != maskKey(im.lod.preview) {
		t.Fatalf("zoomed out: %d meshes", len(dl.Meshes))
	}
	// Zoomed in: every tile uploaded comes with its mask.
	v.SetView(83.8, -5.4, 0.00025*1024)
	v.Frame()
	ups = v.TakeUploads()
	img, masks := 0, 0
	for _, u := range ups {
		if u.Ints != nil {
			masks++
			if u.W*u.H != len(u.Ints) || !strings.HasSuffix(u.Key, ":mask") {
				t.Fatalf("mask tile %s: %dx%d, %d flags", u.Key, u.W, u.H, len(u.Ints))
			}
		} else {
			img++
		}
	}
	if img == 0 || masks != img {
		t.Fatalf("zoomed in: %d image tiles, %d mask tiles", img, masks)
	}
	// Hiding frees the preview's mask and the tiles'.
	keys, err := v.HideImageMask(id)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, k := range keys {
		found = found || k == maskKey(im.lod.preview)
	}
	if !found || len(im.lod.maskTiles) != 0 {
		t.Fatalf("hide: keys %d (preview mask %v), %d mask tiles left", len(keys), found, len(im.lod.maskTiles))
	}
}

package view

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/wcs"
)

// FITS images shown over the HiPS layers: the image is decoded once into
// float32 physical values, uploaded as R32F textures (split into chunks no
// larger than the GPU's texture limit) and drawn as meshes over its pixel
// grid whose vertices are placed on the sky through the image's WCS. Display
// changes (interval, stretch, colormap, contrast/bias, invert) only change the
// stretch.Params of the meshes: no decode and no upload.

// ImageOptions says what to open in a FITS file.
type ImageOptions struct {
	// HDU is the index of the HDU to show; < 0 picks the first HDU holding an
	// image of two or more axes.
	HDU int
	// Plane is the 0-based index of the 2-D plane of a cube (flattened over
	// NAXIS3, NAXIS4, ...).
	Plane int
	// MaxTexture is the largest texture side the renderer takes; the image
	// is split into chunks no larger than that (0 means 4096).
	MaxTexture int
	// Name names the image in messages (a file name or URL).
	Name string
	// MaxPixels bounds the pixels of the plane decoded (0 means 1<<27, a
	// 512 MB float32 plane).
	MaxPixels int64
}

// HDUSummary describes one HDU of an opened file.
type HDUSummary struct {
	Index       int
	Name        string
	Type        string
	Shape       []int // NAXISn of the image (uncompressed), or of the table
	Bitpix      int
	Compression string // tile-compression algorithm, "" when not compressed
	Image       bool   // holds an image of two or more axes
	Mask        bool   // looks like a mask of bit flags (LooksLikeMask, mask.go)
}

// ImageInfo describes an opened image.
type ImageInfo struct {
	Name      string
	HDUs      []HDUSummary
	HDU       int
	Shape     []int // NAXISn of the HDU's image
	Bitpix    int
	Plane     int      // current plane of a cube
	Planes    int      // number of 2-D planes
	WCS       []string // the WCS cards written back from the interpreted WCS; nil in pixel mode
	Header    string   // the image header, one 80-character card per line
	PixelMode bool     // no usable celestial WCS: placed on a synthetic grid
	Notice    string   // why the image is in pixel mode
	BUnit     string
	Lo, Hi    float64    // current display limits
	Center    [2]float64 // view-frame position of the image centre, degrees
	Size      float64    // angular extent: twice the largest centre-to-border distance, degrees (≤ 180)
}

// Single reports whether the image's file holds one image HDU of one plane:
// once it is open nothing more is read from the file (and the view takes the
// plane's bytes in place from a reader that lends them, fits.Lender).
func (in ImageInfo) Single() bool { return singleFile(in.Planes, in.HDUs) }

// singleFile reports whether a file of these HDUs, whose image has planes
// planes, holds one image HDU of one plane.
func singleFile(planes int, hdus []HDUSummary) bool {
	n := 0
	for _, h := range hdus {
		if h.Image {
			n++
		}
	}
	return planes <= 1 && n <= 1
}

// ImageStretch is the display setting of an image.
type ImageStretch struct {
	// Interval is "zscale", "minmax", "percentile" (with Percentile) or
	// "manual" (with Min, Max).
	Interval   string
	Percentile float64
	Min, Max   float64
	// Stretch is linear, sqrt, log, asinh, power, sinh, squared or histeq.
	Stretch  string
	A        float64 // the stretch parameter (0 = astropy's default)
	Colormap string
	Invert   bool
	Contrast float64 // DS9 contrast (default 1)
	Bias     float64 // DS9 bias (default 0.5)
}

// imageOverlay is one FITS image on the sky.
type imageOverlay struct {
	id     int
	name   string
	hdus   []HDUSummary
	hdu    *fits.HDU
	hduIdx int
	info   fits.ImageInfo
	header *fits.Header
	plane  int
	planes int
	w, h   int
	data   []float32 // physical values of the plane, FITS order (row 1 first)
	wcs    *wcs.WCS
	// wcsFrame is the frame of wcs's world coordinates (a synthetic grid's
	// are in the view frame it was made in).
	wcsFrame sky.Frame
	toView   *sky.Transform // image frame -> view frame; nil when the same
	toImage  *sky.Transform // view frame -> image frame
	pixel    bool
	notice   string
	maxTex   int
	opacity  float64
	display  // the display setting and its resolved parameters
	chunks   []*imgChunk
	step     int        // grid cell side, pixels: ≤ 32 and ≤ skyStep
	skyStep  int        // pixels in about 2° on the sky at the image centre
	grid     *pixelGrid // set while shown on its own pixel grid (pixelgrid.go)
	mask     *imageMask // a mask HDU's flags, decoded (mask.go)
	lod      *imageLOD  // set for large planes: preview + tiles on demand (imagelod.go)
}

// imgChunk is a piece of the image with its own texture.
type imgChunk struct {
	key          string
	x0, y0, w, h int       // 0-based pixel offset and size, FITS order
	nx, ny       int       // grid vertices per side
	lonlat       []float64 // view-frame (lon, lat) of each grid vertex; NaN when off the WCS
	gx, gy       []float64 // grid positions (FITS pixel coordinates of cell edges)
	// The mesh of the last frame (in the view's meshBuilder under key) is
	// reused while the projection is unchanged: a stretch, colormap or
	// opacity change redraws without placing a vertex. meshGen is the
	// View.gen it was built for (0: none), meshOn whether it is on the
	// canvas. screenGen/onScreen memoise chunkOnScreen.
	meshGen   uint64
	meshOn    bool
	screenGen uint64
	onScreen  bool
}

// defaultMaxPixels bounds the decoded plane by default (512 MB of float32).
const defaultMaxPixels = 1 << 27

// OpenImage reads a FITS image from r (size bytes; gzip and tile compression
// are recognised) and puts it over the HiPS layers. It returns the image id.
// An image without a usable celestial WCS opens in pixel mode: it is placed
// on a synthetic TAN grid at the view centre and ImageInfo.Notice says why.
func (v *View) OpenImage(r io.ReaderAt, size int64, o ImageOptions) (int, error) {
	name := o.Name
	if name == "" {
		name = "FITS image"
	}
	f, err := fits.Open(r, size)
	if err != nil {
		return 0, fmt.Errorf("%s: not a readable FITS file: %w", name, err)
	}
	im := &imageOverlay{name: name, maxTex: o.MaxTexture, opacity: 1}
	if im.maxTex <= 0 {
		im.maxTex = 4096
	}
	pick := -1
	for i, h := range f.HDUs {
		s := HDUSummary{Index: i, Name: h.Name(), Type: string(h.Type())}
		if info, err := h.ImageInfo(); err == nil {
			s.Shape, s.Bitpix = info.Axes, info.Bitpix
			if info.Compression != nil {
				s.Compression = info.Compression.Algorithm
			}
			s.Image = len(info.Axes) >= 2 && info.Axes[0] > 0 && info.Axes[1] > 0
		} else if t, err := h.TableInfo(); err == nil {
			s.Shape = []int{int(t.RowLen), int(t.Rows)}
		}
		if s.Image && pick < 0 {
			pick = i
		}
		im.hdus = append(im.hdus, s)
	}
	for i, h := range f.HDUs {
		if info, err := h.ImageInfo(); err == nil {
			im.hdus[i].Mask = LooksLikeMask(h.ImageHeader(), info, i, im.hdus)
		}
	}
	if o.HDU >= 0 {
		if o.HDU >= len(f.HDUs) {
			return 0, fmt.Errorf("%s: no HDU %d (the file has %d)", name, o.HDU, len(f.HDUs))
		}
		if !im.hdus[o.HDU].Image {
			return 0, fmt.Errorf("%s: HDU %d (%s) holds no image of two or more axes", name, o.HDU, im.hdus[o.HDU].Type)
		}
		pick = o.HDU
	}
	if pick < 0 {
		return 0, fmt.Errorf("%s: no HDU holds an image of two or more axes", name)
	}
	im.hdu, im.hduIdx = f.HDUs[pick], pick
	if im.info, err = im.hdu.ImageInfo(); err != nil {
		return 0, fmt.Errorf("%s: HDU %d: %w", name, pick, err)
	}
	im.w, im.h = im.info.Axes[0], im.info.Axes[1]
	limit := o.MaxPixels
	if limit <= 0 {
		limit = defaultMaxPixels
	}
	if int64(im.w)*int64(im.h) > limit {
		return 0, fmt.Errorf("%s: HDU %d is %dx%d pixels, more than the %d a plane may have", name, pick, im.w, im.h, limit)
	}
	if im.hdu.Truncated() {
		return 0, fmt.Errorf("%s: HDU %d is truncated: the file holds %d of its %d data bytes", name, pick, im.hdu.Available, im.hdu.DataSize)
	}
	im.planes = 1
	for _, n := range im.info.Axes[2:] {
		im.planes *= max(n, 1)
	}
	im.header = im.hdu.ImageHeader()
	if err := im.loadPlane(o.Plane); err != nil {
		return 0, err
	}
	im.setWCS(v)
	large := lodFor(im.w, im.h)
	if large {
		im.maxTex = min(im.maxTex, lodTile)
	}
	im.layout()
	v.nextID++
	im.id = v.nextID
	for _, c := range im.chunks {
		c.key = fmt.Sprintf("%simage%d:%d:%d", v.keyPrefix, im.id, c.x0, c.y0)
	}
	if large {
		im.setupLOD(v)
	}
	im.set = ImageStretch{Interval: "zscale", Stretch: "linear", Colormap: "grey", Contrast: 1, Bias: 0.5}
	if err := im.apply(im.set, im.data); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	im.queueUploads(v)
	if im.planes == 1 {
		im.hdu = nil // nothing more to read: the file's bytes can be freed
	}
	v.overlays = append(v.overlays, im)
	v.dirty = true
	return im.id, nil
}

// loadPlane decodes plane k of the HDU.
func (im *imageOverlay) loadPlane(k int) error {
	if k < 0 || k >= im.planes {
		return fmt.Errorf("%s: no plane %d (the image has %d)", im.name, k, im.planes)
	}
	if im.hdu == nil { // a single-plane image, already decoded
		return nil
	}
	idx := make([]int, 0, len(im.info.Axes)-2)
	rest := k
	for _, n := range im.info.Axes[2:] {
		n = max(n, 1)
		idx = append(idx, rest%n)
		rest /= n
	}
	plane := im.hdu.Plane
	if singleFile(im.planes, im.hdus) {
		// Nothing else will be read from a file of one image of one plane:
		// its plane may be the reader's own bytes (fits.Lender).
		plane = im.hdu.TakePlane
	}
	p, err := plane(idx...)
	if err != nil {
		var te *fits.TruncatedError
		if !errors.As(err, &te) || p == nil {
			return fmt.Errorf("%s: HDU %d plane %d: %w", im.name, im.hduIdx, k, err)
		}
	}
	allFinite, finite := p.AllFinite(), p.FiniteCounts()
	// The plane is dropped after this: its values may be its own storage
	// (float32 planes; integer BITPIX 32 ones converted over their bytes),
	// which nothing else holds, and the overlay keeps them without a copy (a
	// 4096² plane is 64 MB).
	d := p.TakeFloat32()
	if len(d) < im.w*im.h {
		return fmt.Errorf("%s: HDU %d plane %d: %d values for %dx%d pixels", im.name, im.hduIdx, k, len(d), im.w, im.h)
	}
	im.data = d[: im.w*im.h : im.w*im.h]
	im.allFinite, im.finite = allFinite, finite
	im.plane = k
	return nil
}

// setWCS interprets the image's WCS, or falls back to pixel mode.
func (im *imageOverlay) setWCS(v *View) {
	w, err := wcs.New(im.header)
	var fr sky.Frame
	if err == nil {
		if fr, err = sky.FrameFromFITS(w.Frame.LonType, w.Frame.RADESYS, w.Frame.Equinox); err == nil {
			im.toView, im.toImage, err = frameTransforms(fr, v.frame)
		}
		if err == nil {
			if _, _, ok := w.PixelToWorld(float64(im.w+1)/2, float64(im.h+1)/2); !ok {
				err = errors.New("the image centre has no sky position")
			}
		}
	}
	if err == nil {
		im.wcs, im.wcsFrame = w, fr
		return
	}
	im.toView, im.toImage = nil, nil
	im.wcsFrame = v.frame // the synthetic grid is in the view's frame
	im.pixel = true
	im.notice = fmt.Sprintf("no usable celestial WCS (%v): shown in pixel mode on a synthetic grid at the view centre", err)
	// A TAN grid at the view centre, the image spanning half the field of view.
	scale := 0.5 * math.Min(v.cam.Fov, 90) / float64(max(im.w, im.h))
	h := tanHeader(im.w, im.h, float64(im.w+1)/2, float64(im.h+1)/2, v.cam.Lon, v.cam.Lat, [4]float64{-scale, 0, 0, scale})
	im.wcs, _ = wcs.New(h) // cannot fail: a plain TAN header
}

// frameTransforms returns the transforms from an image's frame to the
// view's and back, nil when they are the same frame.
func frameTransforms(image, view sky.Frame) (toView, toImage *sky.Transform, err error) {
	if image == view {
		return nil, nil, nil
	}
	if toView, err = sky.NewTransform(image, view); err != nil {
		return nil, nil, err
	}
	if toImage, err = sky.NewTransform(view, image); err != nil {
		return nil, nil, err
	}
	return toView, toImage, nil
}

// world returns the view-frame position of FITS pixel (x, y).
func (im *imageOverlay) world(x, y float64) (float64, float64, bool) {
	if im.wcs == nil {
		return 0, 0, false
	}
	lon, lat, ok := im.wcs.PixelToWorld(x, y)
	if !ok || math.IsNaN(lon) || math.IsNaN(lat) {
		return 0, 0, false
	}
	if im.toView != nil {
		lon, lat = im.toView.Convert(lon, lat)
	}
	return lon, lat, true
}

// pixelOf returns the FITS pixel coordinates of a view-frame position.
func (im *imageOverlay) pixelOf(lon, lat float64) (float64, float64, bool) {
	if im.wcs == nil {
		return 0, 0, false
	}
	if im.toImage != nil {
		lon, lat = im.toImage.Convert(lon, lat)
	}
	x, y, ok := im.wcs.WorldToPixel(lon, lat)
	if !ok || math.IsNaN(x) || math.IsNaN(y) {
		return 0, 0, false
	}
	return x, y, true
}

// pixelScale returns the size on the sky (degrees) of an image pixel at
// pixel (x, y): the larger of its steps along x and along y.
func (im *imageOverlay) pixelScale(x, y float64) (float64, bool) {
	l0, b0, ok0 := im.world(x, y)
	l1, b1, ok1 := im.world(x+1, y)
	l2, b2, ok2 := im.world(x, y+1)
	if !ok0 || !ok1 || !ok2 {
		return 0, false
	}
	return math.Max(angDist(l0, b0, l1, b1), angDist(l0, b0, l2, b2)), true
}

// layout splits the image into texture chunks and computes each chunk's
// grid: cells of at most 32 pixels and about 2° on the sky.
func (im *imageOverlay) layout() {
	im.step = 32
	im.skyStep = math.MaxInt
	if s, ok := im.pixelScale(float64(im.w+1)/2, float64(im.h+1)/2); ok && s > 0 {
		im.skyStep = max(1, int(min(2/s, math.MaxInt32)))
		im.step = min(32, im.skyStep)
	}
	im.chunks = nil
	for y0 := 0; y0 < im.h; y0 += im.maxTex {
		for x0 := 0; x0 < im.w; x0 += im.maxTex {
			c := &imgChunk{x0: x0, y0: y0, w: min(im.maxTex, im.w-x0), h: min(im.maxTex, im.h-y0)}
			c.gx = gridLine(c.x0, c.w, im.step)
			c.gy = gridLine(c.y0, c.h, im.step)
			c.nx, c.ny = len(c.gx), len(c.gy)
			im.chunks = append(im.chunks, c)
		}
	}
	im.placeGrid()
}

// placeGrid computes the sky positions of every chunk's grid vertices.
func (im *imageOverlay) placeGrid() {
	for _, c := range im.chunks {
		c.lonlat = nil // placed when first drawn (ensureGrid): a large image's tiles may never be
	}
	im.placeLODGrid()
}

// ensureGrid places a chunk's grid on the sky unless it is placed.
func (im *imageOverlay) ensureGrid(c *imgChunk) {
	if c.lonlat == nil {
		placeChunkGrid(im, c)
	}
}

// placeChunkGrid computes the sky positions of a chunk's grid vertices.
func placeChunkGrid(im *imageOverlay, c *imgChunk) {
	c.meshGen, c.screenGen = 0, 0
	c.lonlat = make([]float64, 0, 2*c.nx*c.ny)
	for _, y := range c.gy {
		for _, x := range c.gx {
			lon, lat, ok := im.world(x, y)
			if !ok {
				lon, lat = math.NaN(), math.NaN()
			}
			c.lonlat = append(c.lonlat, lon, lat)
		}
	}
}

// gridLine returns the FITS coordinates of the cell edges of pixels
// [off, off+n) in steps of step pixels (the last cell may be shorter).
func gridLine(off, n, step int) []float64 {
	var g []float64
	for i := 0; i < n; i += step {
		g = append(g, float64(off+i)+0.5)
	}
	return append(g, float64(off+n)+0.5)
}

// queueUploads asks the host to upload every chunk. Unlike other uploads,
// image chunks keep FITS row order (row 1 first, t = 0 at the bottom edge):
// the mesh's texture coordinates say so, and an image that fits in one
// texture is uploaded from the decoded values without a copy.
func (im *imageOverlay) queueUploads(v *View) {
	if im.lod != nil {
		im.queuePreview(v)
		return
	}
	for _, c := range im.chunks {
		v.uploads = append(v.uploads, Upload{Key: c.key, W: c.w, H: c.h, Data: chunkOf(im.data, im.w, im.h, c), Nearest: true})
	}
}

// chunkOf returns chunk c's values of a w×h plane in FITS row order: the
// plane itself when the chunk is the whole image, else a copy.
func chunkOf[T float32 | uint32](plane []T, w, h int, c *imgChunk) []T {
	if c.w == w && c.h == h {
		return plane[:w*h]
	}
	buf := make([]T, c.w*c.h)
	for r := range c.h {
		src := (c.y0+r)*w + c.x0
		copy(buf[r*c.w:(r+1)*c.w], plane[src:src+c.w])
	}
	return buf
}

// gpuReset uploads the textures again after a lost GPU context.
func (im *imageOverlay) gpuReset(v *View) {
	im.queueUploads(v)
	im.queueMaskUploads(v)
}

// draw adds the image's meshes: one per chunk, each vertex placed through
// the WCS; triangles off the projection or folded over a seam are dropped.
func (im *imageOverlay) draw(v *View, dl *draw.List) {
	mb := v.mb
	saved := mb.sign
	defer func() { mb.sign = saved }()
	if im.lod != nil {
		im.drawLOD(v, dl)
		return
	}
	for _, c := range im.chunks {
		im.drawChunk(v, dl, c, true)
	}
}

// drawChunk adds the mesh of one chunk (and of its mask, when one is shown
// and withMask); it reports whether the chunk is on the canvas.
func (im *imageOverlay) drawChunk(v *View, dl *draw.List, c *imgChunk, withMask bool) bool {
	mb := v.mb
	im.ensureGrid(c)
	if c.meshGen == v.gen {
		if !c.meshOn {
			return false
		}
		im.appendChunkMesh(dl, c, mb.bufs[c.key], withMask)
		return true
	}
	c.meshGen, c.meshOn = v.gen, false
	mb.begin(c.key, im.opacity)
	m := mb.cur
	for j, y := range c.gy {
		t := float32((y - float64(c.y0) - 0.5) / float64(c.h))
		for i, x := range c.gx {
			s := float32((x - float64(c.x0) - 0.5) / float64(c.w))
			k := 2 * (j*c.nx + i)
			mb.vertex(v, c.lonlat[k], c.lonlat[k+1], s, t, 0)
		}
	}
	if mb.offscreen(0, uint32(len(m.ok))) {
		mb.cur = nil
		return false
	}
	// The image's own orientation on the canvas: the majority winding.
	var pos, neg int
	for j := range c.ny - 1 {
		for i := range c.nx - 1 {
			a := uint32(j*c.nx + i)
			b, d := a+1, a+uint32(c.nx)+1
			if m.ok[a] && m.ok[b] && m.ok[d] {
				if mb.area(a, b, d) > 0 {
					pos++
				} else {
					neg++
				}
			}
		}
	}
	mb.sign = 1
	if neg > pos {
		mb.sign = -1
	}
	for j := range c.ny - 1 {
		for i := range c.nx - 1 {
			a := uint32(j*c.nx + i)
			b, cc, d := a+1, a+uint32(c.nx), a+uint32(c.nx)+1
			g1, g2 := mb.good(a, b, d), mb.good(a, d, cc)
			if g1 && g2 {
				// A cell wholly beyond one edge of the canvas is left out: at
				// 1:1 most of a large image's tiles in view are (SwiftShader
				// spends ~0.7 µs on a triangle even when it is clipped away).
				if !mb.offscreenAt(a, b, cc, d) {
					m.idx = append(m.idx, a, b, d, a, d, cc)
				}
				continue
			}
			if m.ok[a] || m.ok[b] || m.ok[cc] || m.ok[d] {
				// Cut by a seam of the view's projection or by the edge of
				// the image's own projection (HPX gaps, limbs): refine.
				im.subdivide(v, c, c.gx[i], c.gy[j], c.gx[i+1]-c.gx[i], c.gy[j+1]-c.gy[j], 0, a, b, cc, d)
			}
		}
	}
	mb.cur = nil
	c.meshOn = true
	im.appendChunkMesh(dl, c, m, withMask)
	return true
}

// appendChunkMesh adds a chunk's mesh (and its mask's) to the frame with the
// image's current opacity and display parameters.
func (im *imageOverlay) appendChunkMesh(dl *draw.List, c *imgChunk, m *meshBuf, withMask bool) {
	if len(m.idx) == 0 {
		return
	}
	ms := draw.Mesh{Texture: c.key, Vertices: m.vert, Indices: m.idx, Opacity: float32(im.opacity), Stretch: im.params}
	dl.Meshes = append(dl.Meshes, ms)
	if withMask {
		if mm, ok := im.maskMesh(c, ms); ok {
			dl.Meshes = append(dl.Meshes, mm)
		}
	}
}

// subdivide draws the cell of pixel corner (x, y) and size (dx, dy), whose
// corner vertices are a (x, y), b (x+dx, y), cc (x, y+dy) and d (x+dx,
// y+dy), as four smaller cells, each new vertex placed through the WCS, down
// to seamDepth levels. Children share their parent's corners and each
// other's edge midpoints: five new vertices a split, not sixteen.
func (im *imageOverlay) subdivide(v *View, c *imgChunk, x, y, dx, dy float64, depth int, a, b, cc, d uint32) {
	mb := v.mb
	m := mb.cur
	g1, g2 := mb.good(a, b, d), mb.good(a, d, cc)
	if g1 && g2 {
		m.idx = append(m.idx, a, b, d, a, d, cc)
		return
	}
	// Stop at the depth bound, where no corner is on the projection (below the
	// top cell), where the cell is off the canvas, or where it spans under two
	// canvas pixels (at a limb cells shrink to nothing: this bounds the work to
	// screen resolution, as for HiPS cells).
	if depth >= seamDepth || !(m.ok[a] || m.ok[b] || m.ok[cc] || m.ok[d]) && depth > 0 ||
		mb.offscreenAt(a, b, cc, d) || mb.tiny(v, a, b, cc, d) {
		if g1 {
			m.idx = append(m.idx, a, b, d)
		}
		if g2 {
			m.idx = append(m.idx, a, d, cc)
		}
		return
	}
	pt := func(px, py float64) uint32 {
		lon, lat, ok := im.world(px, py)
		if !ok {
			lon, lat = math.NaN(), math.NaN()
		}
		s := float32((px - float64(c.x0) - 0.5) / float64(c.w))
		t := float32((py - float64(c.y0) - 0.5) / float64(c.h))
		return mb.vertex(v, lon, lat, s, t, 0)
	}
	hx, hy := dx/2, dy/2
	ab, ac, mid, bd, cd := pt(x+hx, y), pt(x, y+hy), pt(x+hx, y+hy), pt(x+dx, y+hy), pt(x+hx, y+dy)
	im.subdivide(v, c, x, y, hx, hy, depth+1, a, ab, ac, mid)
	im.subdivide(v, c, x+hx, y, hx, hy, depth+1, ab, b, mid, bd)
	im.subdivide(v, c, x, y+hy, hx, hy, depth+1, ac, mid, cc, cd)
	im.subdivide(v, c, x+hx, y+hy, hx, hy, depth+1, mid, bd, cd, d)
}

// image finds an image overlay by id.
func (v *View) image(id int) (*imageOverlay, error) {
	for _, o := range v.overlays {
		if im, ok := o.(*imageOverlay); ok && im.id == id {
			return im, nil
		}
	}
	return nil, fmt.Errorf("view: no image %d", id)
}

// ImageInfo describes an opened image.
func (v *View) ImageInfo(id int) (ImageInfo, error) {
	im, err := v.image(id)
	if err != nil {
		return ImageInfo{}, err
	}
	in := ImageInfo{Name: im.name, HDUs: im.hdus, HDU: im.hduIdx, Shape: im.info.Axes, Bitpix: im.info.Bitpix,
		Plane: im.plane, Planes: im.planes, PixelMode: im.pixel, Notice: im.notice, Lo: im.params.Lo, Hi: im.params.Hi}
	var sb strings.Builder
	for _, c := range im.header.Cards {
		sb.WriteString(c.Raw)
		sb.WriteByte('\n')
	}
	in.Header = sb.String()
	if u, ok := im.header.String("BUNIT"); ok {
		in.BUnit = u
	}
	if !im.pixel {
		for _, c := range im.wcs.Header().Cards {
			in.WCS = append(in.WCS, c.Format())
		}
	}
	cx, cy := float64(im.w+1)/2, float64(im.h+1)/2
	in.Center[0], in.Center[1], _ = im.world(cx, cy)
	in.Size = im.extent(in.Center)
	return in, nil
}

// extent returns twice the largest angular distance from the image centre
// to the points of its border that have a sky position (at most 180°), or,
// when none has (all-sky maps with blank corners), the pixel scale at the
// centre times the image size.
func (im *imageOverlay) extent(c [2]float64) float64 {
	cx, cy := float64(im.w+1)/2, float64(im.h+1)/2
	if _, _, ok := im.world(cx, cy); !ok {
		return 0
	}
	var r float64
	const n = 16
	W, H := float64(im.w), float64(im.h)
	for k := 0; k <= n; k++ {
		f := float64(k) / n
		for _, p := range [][2]float64{{0.5 + f*W, 0.5}, {0.5 + f*W, H + 0.5}, {0.5, 0.5 + f*H}, {W + 0.5, 0.5 + f*H}} {
			if l, b, ok := im.world(p[0], p[1]); ok {
				r = math.Max(r, angDist(c[0], c[1], l, b))
			}
		}
	}
	if r == 0 {
		if l, b, ok := im.world(cx+1, cy); ok {
			r = angDist(c[0], c[1], l, b) * float64(max(im.w, im.h)) / 2
		}
	}
	return math.Min(180, 2*r)
}

// ImageStretchOf returns an image's display setting.
func (v *View) ImageStretchOf(id int) (ImageStretch, error) {
	im, err := v.image(id)
	if err != nil {
		return ImageStretch{}, err
	}
	return im.set, nil
}

// SetImageStretch changes an image's display setting: the limits are
// recomputed from the decoded values, nothing is decoded or uploaded again.
func (v *View) SetImageStretch(id int, s ImageStretch) error {
	im, err := v.image(id)
	if err != nil {
		return err
	}
	if err := im.apply(s, im.data); err != nil {
		return fmt.Errorf("%s: %w", im.name, err)
	}
	v.dirty = true
	return nil
}

// SetImageOpacity sets an image's opacity (0..1).
func (v *View) SetImageOpacity(id int, op float64) error {
	im, err := v.image(id)
	if err != nil {
		return err
	}
	if math.IsNaN(op) {
		return errors.New("view: opacity must be a number in [0, 1]")
	}
	im.opacity = math.Max(0, math.Min(1, op))
	v.dirty = true
	return nil
}

// SetImagePlane shows plane k of a cube (the display setting is kept, its
// limits recomputed for the new plane).
func (v *View) SetImagePlane(id, k int) error {
	im, err := v.image(id)
	if err != nil {
		return err
	}
	old, oldPlane, oldParams := im.data, im.plane, im.params
	if err := im.loadPlane(k); err != nil {
		return err
	}
	im.params = nil // new values: the limits are computed again
	if err := im.apply(im.set, im.data); err != nil {
		im.data, im.plane, im.params = old, oldPlane, oldParams
		return fmt.Errorf("%s: %w", im.name, err)
	}
	im.queueUploads(v)
	v.dirty = true
	return nil
}

// RemoveImage takes an image off the view and returns the texture keys the
// host must free.
func (v *View) RemoveImage(id int) ([]string, error) {
	im, err := v.image(id)
	if err != nil {
		return nil, err
	}
	for i, o := range v.overlays {
		if o == overlay(im) {
			v.overlays = append(v.overlays[:i], v.overlays[i+1:]...)
			break
		}
	}
	keys := make([]string, len(im.chunks))
	for i, c := range im.chunks {
		keys[i] = c.key
		delete(v.mb.bufs, c.key)
	}
	keys = append(keys, im.maskKeys()...)
	keys = append(keys, im.lodKeys()...)
	v.dirty = true
	return keys, nil
}

// ImagePixelValue returns the physical value of FITS pixel (x, y) (1-based,
// the pixel whose centre is nearest); ok is false off the image or for an
// undefined (NaN) pixel.
func (v *View) ImagePixelValue(id int, x, y float64) (float64, bool) {
	im, err := v.image(id)
	if err != nil {
		return 0, false
	}
	return im.valueAt(x, y)
}

func (im *imageOverlay) valueAt(x, y float64) (float64, bool) {
	if math.IsNaN(x) || math.IsNaN(y) {
		return 0, false
	}
	i, j := math.Floor(x+0.5), math.Floor(y+0.5)
	if i < 1 || j < 1 || i > float64(im.w) || j > float64(im.h) {
		return 0, false
	}
	val := im.data[(int(j)-1)*im.w+int(i)-1]
	if math.IsNaN(float64(val)) {
		return 0, false
	}
	return float64(val), true
}

// ImageValueAt returns the physical value of the image pixel under a
// view-frame sky position, with that position's FITS pixel coordinates.
func (v *View) ImageValueAt(id int, lon, lat float64) (val, x, y float64, ok bool) {
	im, err := v.image(id)
	if err != nil {
		return 0, 0, 0, false
	}
	x, y, ok = im.pixelOf(lon, lat)
	if !ok {
		return 0, 0, 0, false
	}
	val, ok = im.valueAt(x, y)
	return val, x, y, ok
}

// ImagePixelToWorld returns the view-frame sky position of FITS pixel (x, y).
func (v *View) ImagePixelToWorld(id int, x, y float64) (lon, lat float64, ok bool) {
	im, err := v.image(id)
	if err != nil {
		return 0, 0, false
	}
	return im.world(x, y)
}

// ImageWorldToPixel returns the FITS pixel coordinates of a view-frame position.
func (v *View) ImageWorldToPixel(id int, lon, lat float64) (x, y float64, ok bool) {
	im, err := v.image(id)
	if err != nil {
		return 0, 0, false
	}
	return im.pixelOf(lon, lat)
}

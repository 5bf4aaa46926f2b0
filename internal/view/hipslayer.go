package view

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/healpix"
)

// hipsLayer is one HiPS survey drawn from its Allsky file: the whole sky at the
// Allsky order (3 for most HiPS) in one texture, one draw call. Deeper tiles
// are the next step (issue: HiPS rendering); the Allsky stays as their fallback.
type hipsLayer struct {
	id      int
	base    string
	opacity float64

	props       map[string]string
	order       int    // Allsky order
	ext         string // tile extension used: jpg, png or webp
	allskyReady bool
	atlasW      int // Allsky image size, pixels
	atlasH      int
	err         error

	// grid holds, for each Allsky tile, the sky positions of its (n+1)^2 mesh
	// vertices (lon, lat pairs, degrees), and uv their texture coordinates.
	grid []float64
	uv   []float32
	xy   []float32 // scratch: projected vertices, reused between frames
	ok   []bool
	idx  []uint32
}

// meshCells is the number of mesh cells along each side of an Allsky tile
// (order 3 tiles are 7.3° wide, so cells are under 2°).
const meshCells = 4

func (l *hipsLayer) key(what string) string { return fmt.Sprintf("hips%d:%s", l.id, what) }

// parseProperties reads a HiPS properties file: "key = value" lines, '#'
// comments, blank lines. (The full HiPS client is internal/hips.)
func parseProperties(text string) (map[string]string, error) {
	props := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not key = value", n, line)
		}
		props[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return props, nil
}

func (l *hipsLayer) textLoaded(key, text string, err error) []Request {
	if key != l.key("properties") {
		return nil
	}
	if err != nil {
		l.err = fmt.Errorf("HiPS %s: properties: %w", l.base, err)
		return nil
	}
	props, err := parseProperties(text)
	if err != nil {
		l.err = fmt.Errorf("HiPS %s: properties: %w", l.base, err)
		return nil
	}
	l.props = props
	order := 3
	if s, ok := props["hips_order"]; ok {
		o, err := strconv.Atoi(s)
		if err != nil || o < 0 || o > 29 {
			l.err = fmt.Errorf("HiPS %s: properties: bad hips_order %q", l.base, s)
			return nil
		}
		order = min(order, o)
	}
	l.order = order
	formats := strings.Fields(props["hips_tile_format"])
	if len(formats) == 0 {
		formats = []string{"jpeg"}
	}
	for _, f := range formats {
		switch strings.ToLower(f) {
		case "jpeg", "jpg":
			l.ext = "jpg"
		case "png":
			l.ext = "png"
		case "webp":
			l.ext = "webp"
		}
		if l.ext != "" {
			break
		}
	}
	if l.ext == "" {
		l.err = fmt.Errorf("HiPS %s: no browser-decodable tile format in %q (FITS tiles come with the HiPS renderer)", l.base, props["hips_tile_format"])
		return nil
	}
	return []Request{{Key: l.key("allsky"), URL: fmt.Sprintf("%s/Norder%d/Allsky.%s", l.base, order, l.ext), Kind: Image}}
}

func (l *hipsLayer) imageLoaded(key string, w, h int, err error) {
	if key != l.key("allsky") {
		return
	}
	if err != nil {
		l.err = fmt.Errorf("HiPS %s: Allsky: %w", l.base, err)
		return
	}
	cols, rows := allskyGrid(l.order)
	if w <= 0 || h <= 0 || w%cols != 0 || w/cols*rows > h {
		l.err = fmt.Errorf("HiPS %s: Allsky image is %dx%d, not a grid of %d columns of square tiles", l.base, w, h, cols)
		return
	}
	l.atlasW, l.atlasH = w, h
	l.buildGrid()
	l.allskyReady = true
}

// allskyGrid returns the number of columns and rows of tiles in the Allsky
// mosaic of an order: tiles are laid out row by row, in nested order, in
// floor(sqrt(npix)) columns (27 at order 3).
func allskyGrid(order int) (cols, rows int) {
	npix := int(12 << (2 * order))
	cols = int(math.Sqrt(float64(npix)))
	rows = (npix + cols - 1) / cols
	return cols, rows
}

// buildGrid computes the sky positions and texture coordinates of every mesh
// vertex of every Allsky tile.
//
// HiPS tile images (JPEG/PNG, stored top-down) map to HEALPix face coordinates
// as follows: the image's top-left corner is the pixel's S corner, top-right
// W, bottom-right N and bottom-left E; so image x (rightwards) runs along the
// face's y axis and image y (downwards) along the face's x axis.
func (l *hipsLayer) buildGrid() {
	cols, _ := allskyGrid(l.order)
	npix := healpix.Npix(l.order)
	tw := float64(l.atlasW / cols)
	n := meshCells
	nv := (n + 1) * (n + 1)
	l.grid = make([]float64, 0, int(npix)*nv*2)
	l.uv = make([]float32, 0, int(npix)*nv*2)
	for ipix := int64(0); ipix < npix; ipix++ {
		c, r := float64(ipix%int64(cols)), float64(ipix/int64(cols))
		for i := 0; i <= n; i++ { // along face x (image down)
			for j := 0; j <= n; j++ { // along face y (image right)
				u, v := float64(i)/float64(n), float64(j)/float64(n)
				lon, lat := healpix.NestUVToAng(l.order, ipix, u, v)
				l.grid = append(l.grid, lon, lat)
				// Keep half a texel inside the tile so that linear filtering
				// never reads the neighbouring tile of the mosaic.
				s := (c*tw + 0.5 + v*(tw-1)) / float64(l.atlasW)
				t := (r*tw + 0.5 + u*(tw-1)) / float64(l.atlasH)
				l.uv = append(l.uv, float32(s), float32(t))
			}
		}
	}
}

// mesh projects the layer's vertices through the camera.
func (l *hipsLayer) mesh(v *View) (draw.Mesh, bool) {
	if !l.allskyReady || l.err != nil {
		return draw.Mesh{}, false
	}
	nvert := len(l.grid) / 2
	if cap(l.xy) < nvert*4 {
		l.xy = make([]float32, nvert*4)
		l.ok = make([]bool, nvert)
	}
	l.xy = l.xy[:nvert*4]
	w, h := v.cam.Width, v.cam.Height
	for k := range nvert {
		x, y, ok := v.proj.WorldToPixel(l.grid[2*k], l.grid[2*k+1])
		l.ok[k] = ok && !math.IsNaN(x) && !math.IsNaN(y)
		l.xy[4*k] = float32(2*x/w - 1)
		l.xy[4*k+1] = float32(1 - 2*y/h)
		l.xy[4*k+2] = l.uv[2*k]
		l.xy[4*k+3] = l.uv[2*k+1]
	}
	n := meshCells
	nv := (n + 1) * (n + 1)
	l.idx = l.idx[:0]
	for t := 0; t < nvert/nv; t++ {
		base := t * nv
		// Skip tiles entirely outside the canvas on one side.
		if l.offscreen(base, nv) {
			continue
		}
		for i := range n {
			for j := range n {
				a := uint32(base + i*(n+1) + j)
				b, c, d := a+1, a+uint32(n+1), a+uint32(n+2)
				l.tri(a, b, d)
				l.tri(a, d, c)
			}
		}
	}
	return draw.Mesh{Texture: l.key("allsky"), Vertices: l.xy, Indices: l.idx, Opacity: float32(l.opacity)}, true
}

// tri appends a triangle if its three vertices are valid and it does not
// straddle a projection's discontinuity (an edge longer than the canvas).
func (l *hipsLayer) tri(a, b, c uint32) {
	if !l.ok[a] || !l.ok[b] || !l.ok[c] {
		return
	}
	const maxEdge = 1.0 // in clip units: half the canvas
	for _, e := range [3][2]uint32{{a, b}, {b, c}, {c, a}} {
		dx := l.xy[4*e[0]] - l.xy[4*e[1]]
		dy := l.xy[4*e[0]+1] - l.xy[4*e[1]+1]
		if dx*dx+dy*dy > maxEdge*maxEdge*4 {
			return
		}
	}
	l.idx = append(l.idx, a, b, c)
}

func (l *hipsLayer) offscreen(base, nv int) bool {
	var left, right, below, above, invalid int
	for k := base; k < base+nv; k++ {
		if !l.ok[k] {
			invalid++
			continue
		}
		x, y := l.xy[4*k], l.xy[4*k+1]
		if x < -1 {
			left++
		}
		if x > 1 {
			right++
		}
		if y < -1 {
			below++
		}
		if y > 1 {
			above++
		}
	}
	valid := nv - invalid
	return valid == 0 || left == valid || right == valid || below == valid || above == valid
}

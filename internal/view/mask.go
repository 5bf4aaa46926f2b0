package view

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/fits"
)

// Mask HDUs shown as bit-plane overlays (Firefly's add_mask, the way Rubin
// users inspect calexps): an integer image of the same shape as the image,
// each bit a flag (LSST names them with MP_<NAME> = <bit> keywords). The mask
// is uploaded once as an integer (R32UI) texture per image chunk and drawn
// with the image's own meshes; choosing bits, colours or the opacity only
// changes the draw.MaskStyle: nothing is decoded or uploaded again.

// MaxMaskPlanes is how many bit planes can be shown at once.
const MaxMaskPlanes = draw.MaxMaskPlanes

// MaskPlane is one bit plane of a mask HDU.
type MaskPlane struct {
	Bit   int    // 0..31
	Name  string // from MP_<NAME>, else "bit N"
	Count int64  // pixels with the bit set (-1 when the data were not read)
}

// MaskInfo describes a mask HDU of the file an image was opened from.
type MaskInfo struct {
	HDU    int
	Name   string // EXTNAME
	Shape  []int
	Planes []MaskPlane
}

// MaskLayer is a plane shown: its bit and colour (RGB in [0, 1]).
type MaskLayer struct {
	Bit   int
	Color [3]float32
}

// MaskDisplay is what ShowImageMask shows.
type MaskDisplay struct {
	HDU     int
	Layers  []MaskLayer // drawn in order, later ones over earlier ones
	Opacity float64
}

// imageMask is the mask shown over an image.
type imageMask struct {
	hdu    int
	name   string
	data   []uint32 // w×h flags, FITS order
	planes []MaskPlane
	disp   MaskDisplay
	shown  bool // textures uploaded and drawn
}

// maskKey is the texture key of chunk c's mask.
func maskKey(c *imgChunk) string { return c.key + ":mask" }

// MaskPlaneNames returns the bit names a mask header declares with LSST's
// MP_<NAME> = <bit> keywords (bits 0..31; the first name of a bit wins).
func MaskPlaneNames(h *fits.Header) map[int]string {
	names := map[int]string{}
	if h == nil {
		return names
	}
	for _, c := range h.Cards {
		if !strings.HasPrefix(c.Key, "MP_") || len(c.Key) == 3 {
			continue
		}
		b, ok := h.Int(c.Key)
		if !ok || b < 0 || b > 31 {
			continue
		}
		if _, dup := names[int(b)]; !dup {
			names[int(b)] = c.Key[3:]
		}
	}
	return names
}

// BitPlanes lists the bit planes of a mask: every bit named by an MP_
// keyword, and every other bit that occurs in the data (counts[b] pixels
// have bit b set), named "bit N"; sorted by bit. counts may be nil (data not
// read): the named bits are listed with Count -1.
func BitPlanes(h *fits.Header, counts []int64) []MaskPlane {
	names := MaskPlaneNames(h)
	var out []MaskPlane
	for b := range 32 {
		n, named := names[b]
		var cnt int64 = -1
		if counts != nil {
			cnt = counts[b]
		}
		if !named {
			if cnt <= 0 {
				continue
			}
			n = "bit " + strconv.Itoa(b)
		}
		out = append(out, MaskPlane{Bit: b, Name: n, Count: cnt})
	}
	return out
}

// CountBits returns how many values have each of the 32 bits set.
func CountBits(data []uint32) []int64 {
	counts := make([]int64, 32)
	for _, v := range data {
		for v != 0 {
			counts[bits.TrailingZeros32(v)]++
			v &= v - 1
		}
	}
	return counts
}

// LooksLikeMask reports whether HDU i of a file (summaries all, header h of
// its image) looks like a mask: an image whose EXTNAME contains MASK (or is
// DQ, HST/JWST's data-quality flags), or that has MP_ keywords, or an
// unscaled integer image with a floating-point sibling image of the same
// shape (the image of an image+mask+variance file).
func LooksLikeMask(h *fits.Header, info fits.ImageInfo, i int, all []HDUSummary) bool {
	if i < 0 || i >= len(all) || !all[i].Image {
		return false
	}
	if n, ok := h.String("EXTNAME"); ok {
		n = strings.ToUpper(strings.TrimSpace(n))
		if strings.Contains(n, "MASK") || n == "DQ" {
			return true
		}
	}
	if len(MaskPlaneNames(h)) > 0 {
		return true
	}
	if info.Bitpix <= 0 || info.BScale != 1 {
		return false
	}
	for j, s := range all {
		if j != i && s.Image && s.Bitpix < 0 && sameShape(s.Shape, all[i].Shape) {
			return true
		}
	}
	return false
}

// sameShape compares two image shapes, trailing axes of length 1 ignored.
func sameShape(a, b []int) bool {
	trim := func(s []int) []int {
		for len(s) > 0 && s[len(s)-1] == 1 {
			s = s[:len(s)-1]
		}
		return s
	}
	a, b = trim(a), trim(b)
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// MaskValues returns the flags of a decoded mask image as uint32 (integer
// images: the physical value raw+BZERO, two's complement for negative
// int32; BLANK and undefined pixels have no flag; floats are truncated).
func MaskValues(m *fits.Image) []uint32 {
	n := int(m.NPix())
	out := make([]uint32, n)
	if m.Bitpix < 0 || m.BScale != 1 || m.BZero != math.Trunc(m.BZero) {
		for i, x := range m.Float32() { // (Float32, the viewer's decoding path: a smaller wasm)
			if !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) {
				out[i] = uint32(int64(x))
			}
		}
		return out
	}
	raw, bp, zero := m.Raw(), m.Bitpix/8, int64(m.BZero)
	for i := range n {
		b := raw[i*bp : i*bp+bp]
		var v int64
		switch bp {
		case 1:
			v = int64(b[0])
		case 2:
			v = int64(int16(binary.BigEndian.Uint16(b)))
		case 4:
			v = int64(int32(binary.BigEndian.Uint32(b)))
		case 8:
			v = int64(binary.BigEndian.Uint64(b))
		}
		if (m.HasBlank && v == m.Blank) || m.IsNull(i) {
			continue
		}
		out[i] = uint32(v + zero)
	}
	return out
}

// ImageMasks lists the mask HDUs (LooksLikeMask) of the file image id was
// opened from, other than the image's own HDU, with their bit planes and
// pixel counts. r reads that file again (the view does not keep a file's
// bytes); the mask data are decoded once and kept for ShowImageMask.
func (v *View) ImageMasks(id int, r io.ReaderAt, size int64) ([]MaskInfo, error) {
	im, err := v.image(id)
	if err != nil {
		return nil, err
	}
	var out []MaskInfo
	for i, s := range im.hdus {
		if !s.Mask || i == im.hduIdx {
			continue
		}
		mi := MaskInfo{HDU: i, Name: s.Name, Shape: s.Shape}
		if im.mask != nil && im.mask.hdu == i {
			mi.Planes = im.mask.planes
		} else {
			m, err := im.readMask(r, size, i)
			if err != nil {
				return nil, err
			}
			mi.Planes = m.planes
			if sameShape(s.Shape, im.info.Axes[:2]) && (im.mask == nil || !im.mask.shown) {
				im.mask = m // kept for ShowImageMask
			}
		}
		out = append(out, mi)
	}
	return out, nil
}

// readMask decodes mask HDU i of the image's file.
func (im *imageOverlay) readMask(r io.ReaderAt, size int64, i int) (*imageMask, error) {
	if r == nil {
		return nil, fmt.Errorf("%s: the file is not available to read HDU %d", im.name, i)
	}
	f, err := fits.Open(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable FITS file: %w", im.name, err)
	}
	if i < 0 || i >= len(f.HDUs) {
		return nil, fmt.Errorf("%s: no HDU %d (the file has %d)", im.name, i, len(f.HDUs))
	}
	h := f.HDUs[i]
	img, err := h.Plane() // the first plane: the same decoding path as the image's
	if err != nil {
		var te *fits.TruncatedError
		if !errors.As(err, &te) || img == nil {
			return nil, fmt.Errorf("%s: mask HDU %d: %w", im.name, i, err)
		}
	}
	data := MaskValues(img)
	return &imageMask{hdu: i, name: h.Name(), data: data, planes: BitPlanes(h.ImageHeader(), CountBits(data))}, nil
}

func shapeText(s []int) string {
	p := make([]string, len(s))
	for i, n := range s {
		p[i] = strconv.Itoa(n)
	}
	return strings.Join(p, "×")
}

// ShowImageMask shows bit planes of a mask HDU over image id, each in its
// colour, blended with d.Opacity over the image. The mask must have the
// image's shape. When that HDU is already decoded (ImageMasks or an earlier
// call) nothing is read and r may be nil; otherwise r reads the file again.
// It returns the texture keys the host must free (a mask replaced).
func (v *View) ShowImageMask(id int, r io.ReaderAt, size int64, d MaskDisplay) ([]string, error) {
	im, err := v.image(id)
	if err != nil {
		return nil, err
	}
	if d.HDU < 0 || d.HDU >= len(im.hdus) {
		return nil, fmt.Errorf("%s: no HDU %d (the file has %d)", im.name, d.HDU, len(im.hdus))
	}
	s := im.hdus[d.HDU]
	if !s.Image {
		return nil, fmt.Errorf("%s: HDU %d (%s) holds no image to use as a mask", im.name, d.HDU, s.Type)
	}
	if !sameShape(s.Shape, im.info.Axes[:2]) {
		return nil, fmt.Errorf("%s: mask HDU %d (%s) is %s but the image (HDU %d) is %s: a mask must have the image's shape",
			im.name, d.HDU, s.Name, shapeText(s.Shape), im.hduIdx, shapeText(im.info.Axes[:2]))
	}
	if len(d.Layers) > MaxMaskPlanes {
		return nil, fmt.Errorf("%s: %d mask planes asked for, at most %d can be shown at once", im.name, len(d.Layers), MaxMaskPlanes)
	}
	for _, l := range d.Layers {
		if l.Bit < 0 || l.Bit > 31 {
			return nil, fmt.Errorf("%s: mask bit %d: bits are 0..31", im.name, l.Bit)
		}
	}
	if math.IsNaN(d.Opacity) {
		return nil, errors.New("view: mask opacity must be a number in [0, 1]")
	}
	d.Opacity = math.Max(0, math.Min(1, d.Opacity))
	var freed []string
	if im.mask == nil || im.mask.hdu != d.HDU {
		m, err := im.readMask(r, size, d.HDU)
		if err != nil {
			return nil, err
		}
		if len(m.data) < im.w*im.h {
			return nil, fmt.Errorf("%s: mask HDU %d: %d values for %dx%d pixels", im.name, d.HDU, len(m.data), im.w, im.h)
		}
		freed = im.maskKeys()
		im.mask = m
	}
	im.mask.disp = d
	if !im.mask.shown {
		im.mask.shown = true
		im.queueMaskUploads(v)
	}
	v.dirty = true
	return freed, nil
}

// HideImageMask takes the mask off image id and returns the texture keys
// the host must free (the decoded flags are kept for showing it again).
func (v *View) HideImageMask(id int) ([]string, error) {
	im, err := v.image(id)
	if err != nil {
		return nil, err
	}
	keys := im.maskKeys()
	if im.mask != nil {
		im.mask.shown = false
	}
	v.dirty = true
	return keys, nil
}

// ImageMaskLoaded reports whether mask HDU hdu of image id is decoded
// (ShowImageMask then reads nothing).
func (v *View) ImageMaskLoaded(id, hdu int) bool {
	im, err := v.image(id)
	return err == nil && im.mask != nil && im.mask.hdu == hdu
}

// ImageMask returns the mask display of image id (ok false when none is shown).
func (v *View) ImageMask(id int) (MaskDisplay, bool) {
	im, err := v.image(id)
	if err != nil || im.mask == nil || !im.mask.shown {
		return MaskDisplay{}, false
	}
	return im.mask.disp, true
}

// maskKeys returns the texture keys of the shown mask (nil when none).
func (im *imageOverlay) maskKeys() []string {
	if im.mask == nil || !im.mask.shown {
		return nil
	}
	keys := make([]string, len(im.chunks))
	for i, c := range im.chunks {
		keys[i] = maskKey(c)
	}
	if im.lod != nil {
		keys = append(keys, maskKey(im.lod.preview))
		clear(im.lod.maskTiles)
	}
	return keys
}

// queueMaskUploads asks the host to upload the shown mask, chunk by chunk
// like the image (FITS row order).
func (im *imageOverlay) queueMaskUploads(v *View) {
	m := im.mask
	if m == nil || !m.shown {
		return
	}
	if im.lod != nil {
		// A large image: the preview's mask now, the tiles' with the tiles.
		im.queueMaskPreview(v)
		return
	}
	for _, c := range im.chunks {
		v.uploads = append(v.uploads, Upload{Key: maskKey(c), W: c.w, H: c.h, Ints: chunkOf(m.data, im.w, im.h, c)})
	}
}

// maskMesh returns the mask mesh drawn over an image chunk's mesh (the same
// vertices and triangles), or false when no mask is shown.
func (im *imageOverlay) maskMesh(c *imgChunk, img draw.Mesh) (draw.Mesh, bool) {
	m := im.mask
	if m == nil || !m.shown || len(m.disp.Layers) == 0 || m.disp.Opacity <= 0 {
		return draw.Mesh{}, false
	}
	st := &draw.MaskStyle{N: len(m.disp.Layers)}
	for i, l := range m.disp.Layers {
		st.Bits[i] = 1 << uint(l.Bit)
		st.Colors[i] = l.Color
	}
	return draw.Mesh{Texture: maskKey(c), Vertices: img.Vertices, Indices: img.Indices, Opacity: float32(m.disp.Opacity), Mask: st}, true
}

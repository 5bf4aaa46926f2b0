package view

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

func header(t *testing.T, cards ...string) *fits.Header {
	t.Helper()
	h, err := fits.ParseHeader([]byte(strings.Join(cards, "\n") + "\nEND\n"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestBitPlanes(t *testing.T) {
	counts := func(kv map[int]int64) []int64 {
		c := make([]int64, 32)
		for b, n := range kv {
			c[b] = n
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		cards  []string
		counts []int64
		want   []MaskPlane
	}{
		{"LSST names, counts from the data", []string{"MP_BAD  = 0", "MP_SAT  = 1", "HIERARCH MP_NO_DATA = 8 / no data"}, counts(map[int]int64{1: 5, 8: 7}),
			[]MaskPlane{{0, "BAD", 0}, {1, "SAT", 5}, {8, "NO_DATA", 7}}},
		{"unnamed bits that occur are listed as bit N", []string{"MP_CR   = 3"}, counts(map[int]int64{3: 2, 4: 1, 31: 9}),
			[]MaskPlane{{3, "CR", 2}, {4, "bit 4", 1}, {31, "bit 31", 9}}},
		{"no keywords: the bits in the data", []string{"EXTNAME = 'DQ'"}, counts(map[int]int64{0: 1, 2: 3}),
			[]MaskPlane{{0, "bit 0", 1}, {2, "bit 2", 3}}},
		{"out-of-range and non-integer MP_ values are ignored; the first name of a bit wins", []string{"MP_A    = 40", "MP_B    = 'x'", "MP_C    = -1", "MP_D    = 2", "MP_E    = 2"}, counts(nil),
			[]MaskPlane{{2, "D", 0}}},
		{"data not read: named bits with count -1", []string{"MP_EDGE = 4"}, nil, []MaskPlane{{4, "EDGE", -1}}},
		{"nothing", nil, counts(nil), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BitPlanes(header(t, tc.cards...), tc.counts)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCountBits(t *testing.T) {
	c := CountBits([]uint32{0, 1, 3, 1 << 31, 0xffffffff})
	want := make([]int64, 32)
	want[0], want[1], want[31] = 3, 2, 2
	for b := 2; b < 31; b++ {
		want[b] = 1
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %v, want %v", c, want)
	}
}

func TestLooksLikeMask(t *testing.T) {
	img := func(bitpix int, shape ...int) HDUSummary {
		return HDUSummary{Type: "IMAGE", Bitpix: bitpix, Shape: shape, Image: true}
	}
	empty := HDUSummary{Type: "PRIMARY", Bitpix: 8}
	for _, tc := range []struct {
		name  string
		all   []HDUSummary
		i     int
		cards []string
		scale float64
		want  bool
	}{
		{"EXTNAME MASK", []HDUSummary{empty, img(32, 10, 10)}, 1, []string{"EXTNAME = 'MASK'"}, 1, true},
		{"EXTNAME containing mask, any case", []HDUSummary{empty, img(16, 10, 10)}, 1, []string{"EXTNAME = 'bpm_mask'"}, 1, true},
		{"EXTNAME DQ", []HDUSummary{empty, img(16, 10, 10)}, 1, []string{"EXTNAME = 'DQ'"}, 1, true},
		{"MP_ keywords", []HDUSummary{empty, img(32, 10, 10)}, 1, []string{"MP_BAD  = 0"}, 1, true},
		{"integer with a float sibling of the same shape", []HDUSummary{empty, img(-32, 10, 12), img(16, 10, 12)}, 2, nil, 1, true},
		{"trailing axes of length 1 do not count", []HDUSummary{empty, img(-32, 10, 12, 1), img(8, 10, 12)}, 2, nil, 1, true},
		{"integer sibling of another shape", []HDUSummary{empty, img(-32, 10, 12), img(16, 12, 10)}, 2, nil, 1, false},
		{"integer siblings only (raw CCD amplifiers)", []HDUSummary{empty, img(16, 10, 12), img(16, 10, 12)}, 2, nil, 1, false},
		{"scaled integers are physical values", []HDUSummary{empty, img(-32, 10, 12), img(16, 10, 12)}, 2, nil, 0.5, false},
		{"a float image is not a mask by shape", []HDUSummary{empty, img(-32, 10, 12), img(-32, 10, 12)}, 2, []string{"EXTNAME = 'VARIANCE'"}, 1, false},
		{"not an image", []HDUSummary{empty, {Type: "BINTABLE"}}, 1, []string{"EXTNAME = 'MASK'"}, 1, false},
		{"index out of range", []HDUSummary{empty}, 3, nil, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := fits.ImageInfo{BScale: tc.scale}
			if tc.i < len(tc.all) {
				info.Bitpix, info.Axes = tc.all[tc.i].Bitpix, tc.all[tc.i].Shape
			}
			if got := LooksLikeMask(header(t, tc.cards...), info, tc.i, tc.all); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// primaryImage decodes a primary HDU written from raw big-endian values.
func primaryImage(t *testing.T, bitpix int, axes []int, extra []string, raw []byte) *fits.Image {
	t.Helper()
	var buf bytes.Buffer
	var h *fits.Header
	if len(extra) > 0 {
		h = header(t, extra...)
	}
	if err := fits.WritePrimary(&buf, bitpix, axes, h, raw); err != nil {
		t.Fatal(err)
	}
	f, err := fits.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMaskValues(t *testing.T) {
	be := func(bytePix int, vals ...int64) []byte {
		out := make([]byte, bytePix*len(vals))
		for i, v := range vals {
			switch bytePix {
			case 1:
				out[i] = byte(v)
			case 2:
				binary.BigEndian.PutUint16(out[2*i:], uint16(v))
			case 4:
				binary.BigEndian.PutUint32(out[4*i:], uint32(v))
			case 8:
				binary.BigEndian.PutUint64(out[8*i:], uint64(v))
			}
		}
		return out
	}
	f32 := func(vals ...float32) []byte {
		out := make([]byte, 4*len(vals))
		for i, v := range vals {
			binary.BigEndian.PutUint32(out[4*i:], math.Float32bits(v))
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		bitpix int
		extra  []string
		raw    []byte
		want   []uint32
	}{
		{"uint8", 8, nil, be(1, 0, 1, 128, 255), []uint32{0, 1, 128, 255}},
		{"int16", 16, nil, be(2, 0, 5, 16384, 3), []uint32{0, 5, 16384, 3}},
		{"uint16 (BZERO 32768): bit 15", 16, []string{"BZERO   = 32768"}, be(2, -32768, -32767, 0, 32767), []uint32{0, 1, 32768, 65535}},
		{"int32, bit 31 (negative)", 32, nil, be(4, 0, 1<<30, -1<<31, -1), []uint32{0, 1 << 30, 1 << 31, 0xffffffff}},
		{"uint32 (BZERO 2147483648)", 32, []string{"BZERO   = 2147483648"}, be(4, -1<<31, 0, 1, 1<<31-1), []uint32{0, 1 << 31, 1<<31 + 1, 0xffffffff}},
		{"int64: the low 32 bits", 64, nil, be(8, 1<<40|3, 7, 0, 1), []uint32{3, 7, 0, 1}},
		{"BLANK pixels carry no flag", 16, []string{"BLANK   = -1"}, be(2, 4, -1, 2, -1), []uint32{4, 0, 2, 0}},
		{"floats: truncated, NaN is 0", -32, nil, f32(1, 2.9, float32(math.NaN()), 256), []uint32{1, 2, 0, 256}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MaskValues(primaryImage(t, tc.bitpix, []int{2, 2}, tc.extra, tc.raw))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

const maskMEF = "../../testdata/mask/sha_img_image_mask_variance.fits"

// TestImageMasksMEF lists the MASK HDU of the image+mask+variance file:
// its NO_DATA count equals the image's NaN count (counted here from the
// decoded image), SAT and DETECTED the pixels above the generator's levels.
func TestImageMasksMEF(t *testing.T) {
	b, err := os.ReadFile(maskMEF)
	if err != nil {
		t.Fatal(err)
	}
	v := newImageView(t)
	id, err := v.OpenImage(bytes.NewReader(b), int64(len(b)), ImageOptions{HDU: -1, Name: "mef"})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := v.ImageInfo(id)
	var masks []int
	for _, h := range in.HDUs {
		if h.Mask {
			masks = append(masks, h.Index)
		}
	}
	if in.HDU != 1 || !reflect.DeepEqual(masks, []int{2}) {
		t.Fatalf("image HDU %d, mask HDUs %v; want 1, [2]", in.HDU, masks)
	}
	im, _ := v.image(id)
	var nan, sat, det int64
	for _, x := range im.data {
		switch {
		case math.IsNaN(float64(x)):
			nan++
		case x > 2500:
			sat, det = sat+1, det+1
		case x > 1500:
			det++
		}
	}
	ms, err := v.ImageMasks(id, bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	want := []MaskPlane{{0, "BAD", 0}, {1, "SAT", sat}, {2, "INTRP", 0}, {3, "CR", 0}, {4, "EDGE", 0},
		{5, "DETECTED", det}, {6, "DETECTED_NEGATIVE", 0}, {7, "SUSPECT", 0}, {8, "NO_DATA", nan}}
	if len(ms) != 1 || ms[0].HDU != 2 || ms[0].Name != "MASK" || !reflect.DeepEqual(ms[0].Planes, want) {
		t.Fatalf("got %+v, want HDU 2 MASK %v", ms, want)
	}
	if nan != 4068 || sat != 1706 || det != 3883 {
		t.Errorf("counts %d %d %d, want the generator's 4068 1706 3883", nan, sat, det)
	}
	if !v.ImageMaskLoaded(id, 2) {
		t.Error("the listed mask is not kept for ShowImageMask")
	}
}

// TestShowImageMask: the mask is uploaded once as integers per image chunk,
// drawn with each chunk's own vertices and triangles; restyling uploads
// nothing; hiding and removing give back the mask's texture keys.
func TestShowImageMask(t *testing.T) {
	b, err := os.ReadFile(maskMEF)
	if err != nil {
		t.Fatal(err)
	}
	v := newImageView(t)
	id, err := v.OpenImage(bytes.NewReader(b), int64(len(b)), ImageOptions{HDU: -1, Name: "mef", MaxTexture: 50})
	if err != nil {
		t.Fatal(err)
	}
	im, _ := v.image(id)
	v.SetView(138.8919, 29.2853, 0.1) // the image centre
	v.TakeUploads()
	if v.ImageMaskLoaded(id, 2) {
		t.Fatal("mask decoded before it was asked for")
	}
	red := MaskDisplay{HDU: 2, Layers: []MaskLayer{{Bit: 1, Color: [3]float32{1, 0, 0}}}, Opacity: 1}
	if _, err := v.ShowImageMask(id, nil, 0, red); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("no reader and nothing decoded: %v", err)
	}
	if _, err := v.ShowImageMask(id, bytes.NewReader(b), int64(len(b)), red); err != nil {
		t.Fatal(err)
	}
	ups := v.TakeUploads()
	if len(ups) != len(im.chunks) || len(im.chunks) != 9 {
		t.Fatalf("%d uploads for %d chunks", len(ups), len(im.chunks))
	}
	for i, u := range ups {
		c := im.chunks[i]
		if u.Key != c.key+":mask" || u.Data != nil || len(u.Ints) != c.w*c.h {
			t.Fatalf("upload %d: %q %dx%d, %d ints", i, u.Key, u.W, u.H, len(u.Ints))
		}
		// Each chunk holds its own pixels: compare with the image's NaN pixels (NO_DATA, bit 8).
		for r := range c.h {
			for k := range c.w {
				nan := math.IsNaN(float64(im.data[(c.y0+r)*im.w+c.x0+k]))
				if (u.Ints[r*c.w+k]&(1<<8) != 0) != nan {
					t.Fatalf("chunk %d pixel (%d, %d): NO_DATA %v, image NaN %v", i, c.x0+k, c.y0+r, !nan, nan)
				}
			}
		}
	}
	dl := v.Frame()
	var images, masks int
	for i, m := range dl.Meshes {
		if m.Mask == nil {
			if m.Stretch != nil {
				images++
			}
			continue
		}
		masks++
		prev := dl.Meshes[i-1]
		if m.Texture != prev.Texture+":mask" || &m.Vertices[0] != &prev.Vertices[0] || len(m.Indices) != len(prev.Indices) {
			t.Fatalf("mask mesh %q does not follow its image mesh %q", m.Texture, prev.Texture)
		}
		if m.Mask.N != 1 || m.Mask.Bits[0] != 2 || m.Mask.Colors[0] != [3]float32{1, 0, 0} || m.Opacity != 1 {
			t.Fatalf("style %+v opacity %v", *m.Mask, m.Opacity)
		}
	}
	if masks == 0 || masks != images {
		t.Fatalf("%d mask meshes for %d image meshes", masks, images)
	}
	// Restyle: nothing to read, nothing to upload.
	two := MaskDisplay{HDU: 2, Layers: []MaskLayer{{Bit: 5, Color: [3]float32{0, 0, 1}}, {Bit: 8, Color: [3]float32{1, 1, 0}}}, Opacity: 0.25}
	if _, err := v.ShowImageMask(id, nil, 0, two); err != nil {
		t.Fatal(err)
	}
	if u := v.TakeUploads(); len(u) != 0 {
		t.Fatalf("restyling uploaded %d textures", len(u))
	}
	if d, ok := v.ImageMask(id); !ok || !reflect.DeepEqual(d, two) {
		t.Fatalf("ImageMask %+v %v", d, ok)
	}
	for _, m := range v.Frame().Meshes {
		if m.Mask != nil && (m.Mask.N != 2 || m.Mask.Bits[1] != 1<<8 || m.Opacity != 0.25) {
			t.Fatalf("restyled %+v", *m.Mask)
		}
	}
	// Errors.
	for _, bad := range []struct {
		d    MaskDisplay
		want string
	}{
		{MaskDisplay{HDU: 9, Opacity: 1}, "no HDU 9"},
		{MaskDisplay{HDU: 0, Opacity: 1}, "holds no image"},
		{MaskDisplay{HDU: 2, Layers: make([]MaskLayer, 9), Opacity: 1}, "at most 8"},
		{MaskDisplay{HDU: 2, Layers: []MaskLayer{{Bit: 32}}, Opacity: 1}, "bits are 0..31"},
		{MaskDisplay{HDU: 2, Opacity: math.NaN()}, "opacity"},
	} {
		if _, err := v.ShowImageMask(id, nil, 0, bad.d); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v, want %q", bad.d, err, bad.want)
		}
	}
	keys, err := v.HideImageMask(id)
	if err != nil || len(keys) != 9 || keys[0] != im.chunks[0].key+":mask" {
		t.Fatalf("HideImageMask: %v %v", keys, err)
	}
	for _, m := range v.Frame().Meshes {
		if m.Mask != nil {
			t.Fatal("a mask mesh after HideImageMask")
		}
	}
	if _, ok := v.ImageMask(id); ok {
		t.Fatal("ImageMask after HideImageMask")
	}
	// Shown again from the kept flags: uploaded, not read.
	if _, err := v.ShowImageMask(id, nil, 0, red); err != nil {
		t.Fatal(err)
	}
	if u := v.TakeUploads(); len(u) != 9 {
		t.Fatalf("%d uploads showing it again", len(u))
	}
	keys, _ = v.RemoveImage(id)
	if len(keys) != 18 {
		t.Fatalf("RemoveImage freed %d textures, want 9 image + 9 mask", len(keys))
	}
}

// smallMEF returns an empty primary, a w×h float image, and a mw×mh int32 MASK.
func smallMEF(w, h, mw, mh int) []byte {
	var buf bytes.Buffer
	block := func(cards []string, data []byte) {
		for _, c := range append(cards, "END") {
			fmt.Fprintf(&buf, "%-80s", c)
		}
		for buf.Len()%fits.BlockSize != 0 {
			buf.WriteByte(' ')
		}
		buf.Write(data)
		for buf.Len()%fits.BlockSize != 0 {
			buf.WriteByte(0)
		}
	}
	ext := func(bitpix, w, h int, name string) []string {
		return []string{"XTENSION= 'IMAGE   '", fmt.Sprintf("BITPIX  = %d", bitpix), "NAXIS   = 2", fmt.Sprintf("NAXIS1  = %d", w),
			fmt.Sprintf("NAXIS2  = %d", h), "PCOUNT  = 0", "GCOUNT  = 1", fmt.Sprintf("EXTNAME = '%s'", name)}
	}
	block([]string{"SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 0"}, nil)
	block(ext(-32, w, h, "IMAGE"), make([]byte, 4*w*h))
	block(ext(32, mw, mh, "MASK"), make([]byte, 4*mw*mh))
	return buf.Bytes()
}

func TestShowImageMaskShapeMismatch(t *testing.T) {
	b := smallMEF(4, 3, 3, 4)
	v := newImageView(t)
	id, err := v.OpenImage(bytes.NewReader(b), int64(len(b)), ImageOptions{HDU: -1, Name: "small.fits"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.ShowImageMask(id, bytes.NewReader(b), int64(len(b)), MaskDisplay{HDU: 2, Opacity: 1})
	want := "small.fits: mask HDU 2 (MASK) is 3×4 but the image (HDU 1) is 4×3: a mask must have the image's shape"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	ms, err := v.ImageMasks(id, bytes.NewReader(b), int64(len(b)))
	if err != nil || len(ms) != 1 || ms[0].HDU != 2 || len(ms[0].Planes) != 0 {
		t.Fatalf("ImageMasks: %+v %v", ms, err)
	}
	if v.ImageMaskLoaded(id, 2) {
		t.Error("a mask of another shape is kept")
	}
}

// TestMaskValuesPLIO: a tile-compressed (PLIO, fpack -p) mask reads as the
// same flags as the uncompressed file it was made from.
func TestMaskValuesPLIO(t *testing.T) {
	read := func(name string) []uint32 {
		b, err := os.ReadFile("../../testdata/fits/" + name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range f.HDUs {
			if in, err := h.ImageInfo(); err == nil && len(in.Axes) == 2 {
				m, err := h.Image()
				if err != nil {
					t.Fatal(err)
				}
				return MaskValues(m)
			}
		}
		t.Fatalf("%s: no image", name)
		return nil
	}
	plain, plio := read("derived_sha_img_nanmask_int16.fits"), read("sha_img_nanmask_plio.fits.fz")
	if !reflect.DeepEqual(plain, plio) {
		t.Fatal("the PLIO-compressed mask differs from the uncompressed one")
	}
	if c := CountBits(plio); c[0] != 4068 {
		t.Errorf("bit 0 set on %d pixels, want the image's 4068 NaN", c[0])
	}
}

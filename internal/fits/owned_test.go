package fits

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// cubeFile is a BITPIX bitpix image of w×h×planes pixels, pixel i = i - 7.
func cubeFile(t *testing.T, bitpix, w, h, planes int) []byte {
	t.Helper()
	n := w * h * planes
	bp := max(bitpix, -bitpix) / 8
	data := make([]byte, n*bp)
	for i := range n {
		v := float64(i) - 7
		switch bitpix {
		case -32:
			binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(float32(v)))
		case 16:
			binary.BigEndian.PutUint16(data[2*i:], uint16(int16(v)))
		}
	}
	axes := []int{w, h}
	if planes > 1 {
		axes = append(axes, planes)
	}
	var buf bytes.Buffer
	if err := WritePrimary(&buf, bitpix, axes, &Header{}, data); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TakePlane: the plane's pixels are the owned bytes themselves (no copy),
// with the values Plane reads; bytes taken cannot be read or taken again;
// other readers, truncated data and compressed images read as Plane does.
func TestTakePlane(t *testing.T) {
	const w, h = 131, 67 // the plane is most of the file (a smaller part is copied)
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	tests := []struct {
		name    string
		file    []byte
		owned   bool  // read through OwnedBytes (else bytes.Reader)
		planes  []int // planes taken, in order
		inPlace bool  // the pixels are expected to be the file's bytes
		again   bool  // taking the first plane again must fail
	}{
		{"float32 owned", cubeFile(t, -32, w, h, 1), true, []int{0}, true, true},
		{"int16 owned", cubeFile(t, 16, w, h, 1), true, []int{0}, true, true},
		{"cube owned: a third of the bytes is copied", cubeFile(t, -32, w, h, 3), true, []int{2, 0, 2}, false, false},
		{"gzip stream", gz(cubeFile(t, -32, w, h, 1)), false, []int{0}, false, true},
		{"bytes.Reader", cubeFile(t, -32, w, h, 2), false, []int{1, 1}, false, false},
		{"truncated owned", cubeFile(t, -32, w, h, 1)[:2880+400], true, []int{0}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ref := openBytes(t, slices.Clone(tc.file))
			buf := slices.Clone(tc.file)
			var f *File
			var err error
			if tc.owned {
				f, err = Open(NewOwnedBytes(buf), int64(len(buf)))
			} else {
				f, err = Open(bytes.NewReader(buf), int64(len(buf)))
			}
			if err != nil {
				t.Fatal(err)
			}
			in, err := ref.HDUs[0].ImageInfo()
			if err != nil {
				t.Fatal(err)
			}
			idx := func(k int) []int { // plane k's indices (none for a 2-D image)
				if len(in.Axes) == 2 {
					return nil
				}
				return []int{k}
			}
			for _, k := range tc.planes {
				want, werr := ref.HDUs[0].Plane(idx(k)...)
				got, gerr := f.HDUs[0].TakePlane(idx(k)...)
				if (werr == nil) != (gerr == nil) {
					t.Fatalf("plane %d: TakePlane error %v, Plane error %v", k, gerr, werr)
				}
				if got == nil || want == nil {
					t.Fatalf("plane %d: %v / %v", k, gerr, werr)
				}
				if !slices.EqualFunc(got.Float32(), want.Float32(), func(a, b float32) bool { return a == b || a != a && b != b }) {
					t.Fatalf("plane %d: TakePlane's values differ from Plane's", k)
				}
				if tc.inPlace {
					off := f.HDUs[0].DataOffset + int64(k*w*h*got.BytePix())
					var p unsafe.Pointer
					if got.f32 != nil {
						p = unsafe.Pointer(&got.f32[0])
					} else {
						p = unsafe.Pointer(&got.raw[0])
					}
					if p != unsafe.Pointer(&buf[off]) {
						t.Errorf("plane %d: the pixels are a copy, not the file's bytes", k)
					}
				}
			}
			if tc.again {
				if _, err := f.HDUs[0].TakePlane(idx(tc.planes[0])...); err == nil || !strings.Contains(err.Error(), "handed to an image") {
					t.Errorf("taking plane %d again: error %v, want one saying its bytes were handed to an image", tc.planes[0], err)
				}
				if _, err := f.HDUs[0].Plane(idx(tc.planes[0])...); err == nil {
					t.Errorf("reading plane %d after it was taken: no error", tc.planes[0])
				}
			}
		})
	}
}

// OwnedBytes reads like bytes.Reader until bytes are lent, then refuses
// what overlaps them, and lends nothing out of range or under half its bytes.
func TestOwnedBytes(t *testing.T) {
	o := NewOwnedBytes([]byte("0123456789"))
	p := make([]byte, 4)
	if n, err := o.ReadAt(p, 8); n != 2 || err == nil || string(p[:2]) != "89" {
		t.Errorf("ReadAt past the end: %d, %v, %q", n, err, p[:n])
	}
	for _, r := range [][2]int64{{-1, 2}, {8, 3}, {0, -1}, {11, 0}, {0, 4}} {
		if _, ok := o.Lend(r[0], r[1]); ok {
			t.Errorf("Lend(%d, %d) lent bytes out of range", r[0], r[1])
		}
	}
	b, ok := o.Lend(3, 5)
	if !ok || string(b) != "34567" || cap(b) != 5 {
		t.Fatalf("Lend(3, 5) = %q, %v (cap %d)", b, ok, cap(b))
	}
	for _, r := range [][2]int64{{0, 4}, {7, 2}, {4, 1}} {
		if _, err := o.ReadAt(make([]byte, r[1]), r[0]); err == nil {
			t.Errorf("ReadAt(%d, %d) over lent bytes: no error", r[0], r[1])
		}
		if _, ok := o.Lend(r[0], r[1]); ok {
			t.Errorf("Lend(%d, %d) lent bytes twice", r[0], r[1])
		}
	}
	if n, err := o.ReadAt(p[:3], 0); n != 3 || err != nil || string(p[:3]) != "012" {
		t.Errorf("ReadAt(0, 3) beside the lent bytes: %d, %v", n, err)
	}
}

// TakeFloat32 gives Float32's values; for BITPIX 32 in the image's own
// storage (no second buffer), scaled, with BLANK, or truncated alike.
func TestTakeFloat32(t *testing.T) {
	const w, h = 37, 11
	tests := []struct {
		name    string
		bitpix  int
		cards   map[string]any
		keep    int // bytes of the file kept (0: all)
		inPlace bool
	}{
		{"int32", 32, nil, 0, true},
		{"int32 scaled", 32, map[string]any{"BZERO": 2147483648.0, "BSCALE": 0.5}, 0, true},
		{"int32 BLANK", 32, map[string]any{"BLANK": -16243000}, 0, true}, // pixel 3
		{"int32 truncated", 32, nil, 2880 + 600, true},
		{"int16", 16, nil, 0, false},
		{"float32", -32, nil, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bp := max(tc.bitpix, -tc.bitpix) / 8
			data := make([]byte, w*h*bp)
			for i := range w * h {
				v := int64(i*7919) - 40000
				switch tc.bitpix {
				case 32:
					binary.BigEndian.PutUint32(data[4*i:], uint32(int32(v*1000)))
				case 16:
					binary.BigEndian.PutUint16(data[2*i:], uint16(int16(v)))
				case -32:
					binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(float32(v)))
				}
			}
			hd := &Header{}
			for k, v := range tc.cards {
				hd.Set(k, v, "")
			}
			want := writtenImage(t, tc.bitpix, []int{w, h}, hd, data, tc.keep).Float32()
			m := writtenImage(t, tc.bitpix, []int{w, h}, hd, data, tc.keep)
			var store unsafe.Pointer
			if len(m.raw) > 0 {
				store = unsafe.Pointer(&m.raw[0])
			}
			got := m.TakeFloat32()
			if !slices.EqualFunc(got, want, func(a, b float32) bool { return a == b || a != a && b != b }) {
				t.Fatalf("TakeFloat32 differs from Float32")
			}
			if _, blank := tc.cards["BLANK"]; blank && !math.IsNaN(float64(got[3])) {
				t.Errorf("pixel 3 (BLANK) is %v", got[3])
			}
			if inPlace := unsafe.Pointer(&got[0]) == store; inPlace != tc.inPlace {
				t.Errorf("in place: %v, want %v", inPlace, tc.inPlace)
			}
		})
	}
}

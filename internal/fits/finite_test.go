package fits

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// AllFinite: true for integer images without BLANK; false with a BLANK
// keyword, missing pixels, or floating-point pixels (not known).
func TestAllFinite(t *testing.T) {
	const w, h = 9, 7 // odd: the swap's one-word tail is counted too
	tests := []struct {
		name   string
		bitpix int
		blank  bool
		bad    float64 // value put in pixel 5 (0: none)
		keep   int     // bytes of the file kept (0: all)
		want   bool
	}{
		{"float32", -32, false, 0, 0, false}, // not counted
		{"float32 NaN", -32, false, math.NaN(), 0, false},
		{"float32 Inf", -32, false, math.Inf(-1), 0, false},
		{"float32 NaN last", -32, false, -1, 0, false},
		{"float32 truncated", -32, false, 0, 2880 + 40, false},
		{"int16", 16, false, 0, 0, true},
		{"int16 BLANK", 16, true, 0, 0, false},
		{"int32 truncated", 32, false, 0, 2880 + 40, false},
		{"float64", -64, false, 0, 0, false}, // not counted
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bp := max(tc.bitpix, -tc.bitpix) / 8
			data := make([]byte, w*h*bp)
			for i := range w * h {
				v := float64(i) - 3
				if tc.bad != 0 && (i == 5 && tc.bad != -1 || tc.bad == -1 && i == w*h-1) {
					v = tc.bad
					if tc.bad == -1 {
						v = math.NaN()
					}
				}
				switch tc.bitpix {
				case -32:
					binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(float32(v)))
				case -64:
					binary.BigEndian.PutUint64(data[8*i:], math.Float64bits(v))
				case 16:
					binary.BigEndian.PutUint16(data[2*i:], uint16(int16(v)))
				case 32:
					binary.BigEndian.PutUint32(data[4*i:], uint32(int32(v)))
				}
			}
			hd := &Header{}
			if tc.blank {
				hd.Set("BLANK", -32768, "")
			}
			m := writtenImage(t, tc.bitpix, []int{w, h}, hd, data, tc.keep)
			if got := m.AllFinite(); got != tc.want {
				t.Errorf("AllFinite = %v, want %v", got, tc.want)
			}
			if tc.want {
				for i, v := range m.Float32() {
					if v-v != 0 {
						t.Fatalf("pixel %d is %v", i, v)
					}
				}
			}
		})
	}
}

// FiniteCounts: per FiniteBlock pixels, the finite values of unscaled
// BITPIX -32 images, as a count over Float32 gives; nil for other images and
// for images with missing pixels.
func TestFiniteCounts(t *testing.T) {
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.Float32frombits(0x7f800001), math.Float32frombits(0xffc00000), // NaN payloads
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1))}
	tests := []struct {
		name   string
		bitpix int
		w, h   int
		keep   int // bytes of the file kept (0: all)
		want   bool
	}{
		{"one block, odd", -32, 9, 7, 0, true},
		{"two blocks exactly", -32, 32, 32, 0, true},
		{"blocks and a one-value tail", -32, 1025, 1, 0, true},
		{"many blocks, odd", -32, 301, 97, 0, true},
		{"truncated", -32, 40, 40, 2880 + 400, false},
		{"int32", 32, 9, 7, 0, false},
		{"float64", -64, 9, 7, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.w * tc.h
			bp := max(tc.bitpix, -tc.bitpix) / 8
			data := make([]byte, n*bp)
			for i := range n {
				v := float32(i%17) - 8
				if i%13 == 0 || i == n-1 {
					v = specials[(i/13)%len(specials)]
				}
				switch tc.bitpix {
				case -32:
					binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(v))
				case -64:
					binary.BigEndian.PutUint64(data[8*i:], math.Float64bits(float64(v)))
				case 32:
					binary.BigEndian.PutUint32(data[4*i:], uint32(int32(i)))
				}
			}
			m := writtenImage(t, tc.bitpix, []int{tc.w, tc.h}, &Header{}, data, tc.keep)
			got := m.FiniteCounts()
			if !tc.want {
				if got != nil {
					t.Fatalf("FiniteCounts = %d counts, want nil", len(got))
				}
				return
			}
			px := m.Float32()
			want := make([]int32, (n+FiniteBlock-1)/FiniteBlock)
			for i, v := range px {
				if !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
					want[i/FiniteBlock]++
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("FiniteCounts = %v, want %v", got, want)
			}
		})
	}
}

// swap32Count on a buffer that is not 8-byte aligned (the fallback) and on
// one that is agrees with swap32InPlace + a plain count.
func TestSwap32Count(t *testing.T) {
	for _, off := range []int{0, 4} {
		for _, n := range []int{1, 2, 511, 512, 513, 1500} {
			buf := make([]byte, 4*n+8)[off : off+4*n]
			for i := range n {
				x := uint32(i * 2654435761)
				if i%7 == 0 {
					x |= 0x7f800000 // NaN or infinity (big-endian order is irrelevant here)
				}
				binary.LittleEndian.PutUint32(buf[4*i:], x)
			}
			ref := slices.Clone(buf)
			swap32InPlace(ref)
			want := make([]int32, (n+FiniteBlock-1)/FiniteBlock)
			for i := range n {
				f := math.Float32frombits(binary.NativeEndian.Uint32(ref[4*i:]))
				if !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) {
					want[i/FiniteBlock]++
				}
			}
			got := make([]int32, len(want))
			swap32Count(buf, got)
			if !bytes.Equal(buf, ref) || !slices.Equal(got, want) {
				t.Errorf("offset %d, %d words: counts %v, want %v (bytes equal: %v)", off, n, got, want, bytes.Equal(buf, ref))
			}
		}
	}
}

// writtenImage writes a primary HDU, keeps its first keep bytes (0: all) and
// reads its image back; an error is fatal unless the file was cut.
func writtenImage(t *testing.T, bitpix int, axes []int, hd *Header, data []byte, keep int) *Image {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePrimary(&buf, bitpix, axes, hd, data); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	if keep > 0 {
		file = file[:keep]
	}
	m, err := openBytes(t, file).HDUs[0].Image()
	if err != nil && keep == 0 {
		t.Fatal(err)
	}
	return m
}

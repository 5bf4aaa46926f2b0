package fits

import (
	"bytes"
	"encoding/binary"
	"math"
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
			var buf bytes.Buffer
			if err := WritePrimary(&buf, tc.bitpix, []int{w, h}, hd, data); err != nil {
				t.Fatal(err)
			}
			file := buf.Bytes()
			if tc.keep > 0 {
				file = file[:tc.keep]
			}
			m, err := openBytes(t, file).HDUs[0].Image()
			if err != nil && tc.keep == 0 {
				t.Fatal(err)
			}
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

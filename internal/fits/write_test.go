package fits

import (
	"bytes"
	"math"
	"testing"
)

// Images written by WritePrimary read back with the same header values and pixels.
func TestWritePrimaryRoundTrip(t *testing.T) {
	extra := &Header{}
	extra.Set("CTYPE1", "RA---TAN", "")
	extra.Set("CRVAL1", 83.8, "")
	extra.Set("NAXIS1", 999, "ignored: the axes given win")
	extra.Set("BUNIT", "Jy/beam", "")
	tests := []struct {
		name   string
		bitpix int
		axes   []int
		data   []byte
		want   []float64
	}{
		{"float32 3x2", -32, []int{3, 2}, Float32Bytes([]float32{1, 2, 3, 4, float32(math.NaN()), -6.5}), []float64{1, 2, 3, 4, math.NaN(), -6.5}},
		{"bytes 2x1x3", 8, []int{2, 1, 3}, []byte{0, 255, 10, 20, 30, 40}, []float64{0, 255, 10, 20, 30, 40}},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := WritePrimary(&buf, tc.bitpix, tc.axes, extra, tc.data); err != nil {
			t.Fatal(err)
		}
		if buf.Len()%BlockSize != 0 {
			t.Fatalf("%s: %d bytes, not whole blocks", tc.name, buf.Len())
		}
		f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		h := f.HDUs[0].Header()
		if s, _ := h.String("CTYPE1"); s != "RA---TAN" {
			t.Errorf("%s: CTYPE1 %q", tc.name, s)
		}
		if n, _ := h.Int("NAXIS1"); int(n) != tc.axes[0] {
			t.Errorf("%s: NAXIS1 %d", tc.name, n)
		}
		img, err := f.HDUs[0].Image()
		if err != nil {
			t.Fatal(err)
		}
		got := img.Float64()
		for i := range tc.want {
			if !(got[i] == tc.want[i] || math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
				t.Errorf("%s: pixel %d = %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
	var buf bytes.Buffer
	for _, bad := range []struct {
		bitpix int
		axes   []int
		n      int
	}{{12, []int{1}, 1}, {8, []int{2, 2}, 3}, {8, []int{-1}, 0}} {
		if err := WritePrimary(&buf, bad.bitpix, bad.axes, nil, make([]byte, bad.n)); err == nil {
			t.Errorf("BITPIX %d axes %v with %d bytes accepted", bad.bitpix, bad.axes, bad.n)
		}
	}
}

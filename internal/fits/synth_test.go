package fits

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// tiledFile builds an empty primary plus a tile-compressed HDU from explicit
// columns: "1P?" columns take []byte heap payloads, "1D" float64, "1J" int32.
func tiledFile(cardsIn []string, names, forms []string, rows [][]any) []byte {
	var heap, table bytes.Buffer
	rowLen := 0
	for _, f := range forms {
		switch f[:2] {
		case "1P":
			rowLen += 8
		case "1D":
			rowLen += 8
		case "1J":
			rowLen += 4
		}
	}
	for _, r := range rows {
		for i, f := range forms {
			var b [8]byte
			switch v := r[i].(type) {
			case []byte:
				w := int(tformWidth(f[2]))
				binary.BigEndian.PutUint32(b[:], uint32(len(v)/w))
				binary.BigEndian.PutUint32(b[4:], uint32(heap.Len()))
				heap.Write(v)
				table.Write(b[:8])
			case float64:
				binary.BigEndian.PutUint64(b[:], math.Float64bits(v))
				table.Write(b[:8])
			case int32:
				binary.BigEndian.PutUint32(b[:], uint32(v))
				table.Write(b[:4])
			}
		}
	}
	hc := []string{card("XTENSION", "BINTABLE"), card("BITPIX", 8), card("NAXIS", 2), card("NAXIS1", rowLen),
		card("NAXIS2", len(rows)), card("PCOUNT", heap.Len()), card("GCOUNT", 1), card("TFIELDS", len(forms))}
	for i := range forms {
		hc = append(hc, card(fmt.Sprintf("TTYPE%d", i+1), names[i]), card(fmt.Sprintf("TFORM%d", i+1), forms[i]))
	}
	hc = append(hc, card("ZIMAGE", true))
	hc = append(hc, cardsIn...)
	out := cards(card("SIMPLE", true), card("BITPIX", 8), card("NAXIS", 0))
	out = append(out, cards(hc...)...)
	out = append(out, table.Bytes()...)
	out = append(out, heap.Bytes()...)
	return pad(out)
}

func be16(v ...int16) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint16(b[2*i:], uint16(x))
	}
	return b
}

func be32(v ...int32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

func beF32(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func TestSyntheticTiles(t *testing.T) {
	geom := func(bitpix int) []string {
		return []string{card("ZBITPIX", bitpix), card("ZNAXIS", 2), card("ZNAXIS1", 3), card("ZNAXIS2", 2), card("ZTILE1", 3), card("ZTILE2", 1)}
	}
	nan := math.NaN()
	tests := []struct {
		name string
		file []byte
		want []float64
	}{
		{
			"NOCOMPRESS int16 with BZERO",
			tiledFile(append(geom(16), card("ZCMPTYPE", "NOCOMPRESS"), card("BZERO", 32768)),
				[]string{"COMPRESSED_DATA"}, []string{"1PB"},
				[][]any{{be16(-32768, 0, 1)}, {be16(32767, -1, 5)}}),
			[]float64{0, 32768, 32769, 65535, 32767, 32773},
		},
		{
			"ZBLANK column on an int32 GZIP_1 image",
			tiledFile(append(geom(32), card("ZCMPTYPE", "GZIP_1")),
				[]string{"COMPRESSED_DATA", "ZBLANK"}, []string{"1PB", "1J"},
				[][]any{{gz(be32(1, -999, 3)), int32(-999)}, {gz(be32(7, 8, -999)), int32(7)}}),
			[]float64{1, nan, 3, nan, 8, -999},
		},
		{
			"NO_DITHER with ZSCALE/ZZERO keywords and ZBLANK keyword",
			tiledFile(append(geom(-32), card("ZCMPTYPE", "GZIP_2"), card("ZQUANTIZ", "NO_DITHER"),
				card("ZSCALE", 0.5), card("ZZERO", 10.0), card("ZBLANK", -2147483647)),
				[]string{"COMPRESSED_DATA"}, []string{"1PB"},
				[][]any{{gz(shuffle(be32(0, 1, -2147483647), 4))}, {gz(shuffle(be32(-4, 3, 100), 4))}}),
			[]float64{10, 10.5, nan, 8, 11.5, 60},
		},
		{
			"UNCOMPRESSED_DATA and GZIP_COMPRESSED_DATA fallback tiles",
			tiledFile(append(geom(-32), card("ZCMPTYPE", "RICE_1"), card("ZQUANTIZ", "SUBTRACTIVE_DITHER_1"), card("ZDITHER0", 5)),
				[]string{"COMPRESSED_DATA", "GZIP_COMPRESSED_DATA", "UNCOMPRESSED_DATA", "ZSCALE", "ZZERO"},
				[]string{"1PB", "1PB", "1PE", "1D", "1D"},
				[][]any{
					{[]byte{}, []byte{}, beF32(1.25, float32(nan), -3), 1.0, 0.0},
					{[]byte{}, gz(beF32(4.5, 5.5, float32(math.Inf(1)))), []byte{}, 1.0, 0.0},
				}),
			[]float64{1.25, nan, -3, 4.5, 5.5, math.Inf(1)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Open(bytes.NewReader(tc.file), int64(len(tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			img, err := f.HDUs[1].Image()
			if err != nil {
				t.Fatal(err)
			}
			got := img.Float64()
			for i := range tc.want {
				if !(got[i] == tc.want[i] || math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
					t.Errorf("pixel %d = %v, want %v (all %v)", i, got[i], tc.want[i], got)
				}
			}
			// The lazy path gives the same second row.
			sec, err := f.HDUs[1].Section([]int{0, 1}, []int{3, 1})
			if err != nil {
				t.Fatal(err)
			}
			if physSha(sec.Float64()) != physSha(got[3:]) {
				t.Errorf("section %v, want %v", sec.Float64(), got[3:])
			}
		})
	}
}

// shuffle applies GZIP_2's byte shuffle to big-endian elements of width w.
func shuffle(b []byte, w int) []byte {
	n := len(b) / w
	out := make([]byte, len(b))
	for i := 0; i < n; i++ {
		for k := 0; k < w; k++ {
			out[k*n+i] = b[i*w+k]
		}
	}
	return out
}

func TestTileErrors(t *testing.T) {
	geom := []string{card("ZBITPIX", 16), card("ZNAXIS", 2), card("ZNAXIS1", 3), card("ZNAXIS2", 2), card("ZCMPTYPE", "GZIP_1")}
	// Second tile has a descriptor pointing past the heap; first is fine.
	file := tiledFile(geom, []string{"COMPRESSED_DATA"}, []string{"1PB"}, [][]any{{gz(be16(1, 2, 3))}, {gz(be16(4, 5, 6))}})
	f, err := Open(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	h := f.HDUs[1]
	if raw, err := h.RawData(); err != nil || int64(len(raw)) != h.DataSize {
		t.Fatalf("RawData: %d bytes, %v", len(raw), err)
	}
	bad := append([]byte(nil), file...)
	binary.BigEndian.PutUint32(bad[h.DataOffset+8+4:], 1<<20) // row 2 heap offset
	f2, err := Open(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := f2.HDUs[1].Image()
	if err == nil || img == nil {
		t.Fatalf("want a tile error and a partial image, got %v", err)
	}
	v := img.Float64()
	if v[0] != 1 || v[2] != 3 || !math.IsNaN(v[3]) {
		t.Errorf("got %v", v)
	}
	for _, w := range []string{"HDU 1", "tile 2", "heap"} {
		if !bytes.Contains([]byte(err.Error()), []byte(w)) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	// Unknown algorithm and bad ZBITPIX are header errors naming the keyword.
	for _, tc := range []struct{ key, val string }{{"ZCMPTYPE", "LZW_9"}, {"ZBITPIX", "12"}} {
		g := []string{card("ZBITPIX", 16), card("ZNAXIS", 1), card("ZNAXIS1", 3), card("ZCMPTYPE", "GZIP_1")}
		for i, c := range g {
			if c[:8] == fmt.Sprintf("%-8s", tc.key) {
				if tc.key == "ZCMPTYPE" {
					g[i] = card(tc.key, tc.val)
				} else {
					g[i] = fmt.Sprintf("%-8s= %20s", tc.key, tc.val)
				}
			}
		}
		file := tiledFile(g, []string{"COMPRESSED_DATA"}, []string{"1PB"}, [][]any{{gz(be16(1, 2, 3))}})
		f, err := Open(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.HDUs[1].Image(); err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.key)) {
			t.Errorf("%s=%s: error %v", tc.key, tc.val, err)
		}
	}
}

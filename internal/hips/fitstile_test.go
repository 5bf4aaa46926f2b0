package hips

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// ranks returns the ranks of v (ties get the mean rank), NaN kept as NaN.
func ranks(v []float64) []float64 {
	idx := make([]int, 0, len(v))
	for i, x := range v {
		if !math.IsNaN(x) {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	out := make([]float64, len(v))
	for i := range out {
		out[i] = math.NaN()
	}
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			out[idx[k]] = float64(i+j-1) / 2
		}
		i = j
	}
	return out
}

// TestFITSTileMatchesAllsky: the 32-pixel dirbe60 FITS tiles equal the pieces
// of Allsky.fits (same resolution), which checks the FITS Allsky layout (the
// row-flipped JPEG layout).
func TestFITSTileMatchesAllsky(t *testing.T) {
	all, err := DecodeImage(readTD(t, "dirbe60/Norder3/Allsky.fits"), FormatFITS)
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := SplitAllsky(all, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{229, 451, 662, 659, 450, 472, 0, 300, 767} {
		tile, err := DecodeTile(readTD(t, fmt.Sprintf("dirbe60/Norder3/Dir0/Npix%d.fits", n)), FormatFITS, 32)
		if err != nil {
			t.Fatal(err)
		}
		var maxd float64
		for i, v := range tile.Data {
			p := pieces[n].Data[i]
			if math.IsNaN(float64(v)) != math.IsNaN(float64(p)) {
				t.Fatalf("tile %d pixel %d: NaN mismatch", n, i)
			}
			if d := math.Abs(float64(v - p)); d > maxd {
				maxd = d
			}
		}
		if maxd > 1e-3 {
			t.Errorf("tile %d: max |tile - Allsky piece| = %g", n, maxd)
		}
	}
}

// TestFITSvsPNGOrientation: a FITS tile and the PNG tile of the same cell
// agree once both are in FITS row order (rank correlation, since the PNG is
// an asinh-stretched rendering); a flipped PNG does not.
func TestFITSvsPNGOrientation(t *testing.T) {
	cases := []struct {
		hips  string
		id    TileID
		width int
	}{
		{"dirbe60", TileID{3, 229, 0}, 32},
		{"dirbe60", TileID{3, 451, 0}, 32},
		{"ngc1316", TileID{6, 34493, 0}, 512},
	}
	for _, c := range cases {
		ft, err := DecodeTile(readTD(t, c.hips+"/"+c.id.Path(FormatFITS)), FormatFITS, c.width)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := DecodeTile(readTD(t, c.hips+"/"+c.id.Path(FormatPNG)), FormatPNG, c.width)
		if err != nil {
			t.Fatal(err)
		}
		var a, b, bflip []float64
		for y := 0; y < c.width; y++ {
			for x := 0; x < c.width; x++ {
				_, v := ft.At(x, y)
				pc, _ := pt.At(x, y)
				fc, _ := pt.At(x, c.width-1-y)
				if pc[3] == 0 || math.IsNaN(float64(v)) {
					continue
				}
				a = append(a, float64(v))
				b = append(b, float64(pc[0]))
				bflip = append(bflip, float64(fc[0]))
			}
		}
		r := pearson(ranks(a), ranks(b))
		rf := pearson(ranks(a), ranks(bflip))
		if r < 0.95 || rf > 0.9 {
			t.Errorf("%s %v: rank r = %.3f, flipped %.3f", c.hips, c.id, r, rf)
		}
	}
}

func TestFITSTileValues(t *testing.T) {
	// BITPIX 16 with BLANK = -32768.0: blank pixels (outside the image) are NaN,
	// the rest lie within hips_data_range.
	im, err := DecodeTile(readTD(t, "ngc1316/Norder6/Dir30000/Npix34492.fits"), FormatFITS, 512)
	if err != nil {
		t.Fatal(err)
	}
	nan := 0
	for _, v := range im.Data {
		if math.IsNaN(float64(v)) {
			nan++
		} else if v < -252.5 || v > 1462 {
			t.Fatalf("value %v outside hips_data_range", v)
		}
	}
	if nan == 0 || nan == len(im.Data) {
		t.Errorf("%d blank pixels of %d", nan, len(im.Data))
	}
}

func TestFITSTileMalformed(t *testing.T) {
	good := readTD(t, "dirbe60/Norder3/Dir0/Npix229.fits")
	hdr := func(cards ...string) []byte {
		var b strings.Builder
		for _, c := range append(cards, "END") {
			fmt.Fprintf(&b, "%-80s", c)
		}
		for b.Len()%2880 != 0 {
			b.WriteByte(' ')
		}
		return []byte(b.String())
	}
	cube := append(hdr("SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 3", "NAXIS1  = 2", "NAXIS2  = 2", "NAXIS3  = 2"), make([]byte, 2880)...)
	noimg := hdr("SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 0")
	cases := []struct {
		name string
		b    []byte
		msg  string
	}{
		{"truncated data", good[:2880+1000], "truncated"},
		{"header only", good[:2880], "truncated"},
		{"cut header", good[:1000], "fits"},
		{"not fits", []byte("<html>"), "fits"},
		{"3-D", cube, "axes"},
		{"no image", noimg, "no image"},
	}
	for _, c := range cases {
		_, err := DecodeTile(c.b, FormatFITS, 32)
		if !errors.Is(err, ErrBadTile) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v (want %q)", c.name, err, c.msg)
		}
	}
	if _, err := DecodeTile(good, FormatFITS, 64); err == nil || !strings.Contains(err.Error(), "hips_tile_width") {
		t.Errorf("wrong size: %v", err)
	}
	// A trimmed tile is expanded back with blank margins.
	trim := append(hdr("SIMPLE  = T", "BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 1", "NAXIS2  = 1", "ONAXIS1 = 4", "ONAXIS2 = 4", "TRIM1   = 2", "TRIM2   = 1"), make([]byte, 2880)...)
	copy(trim[2880:], []byte{0x3f, 0x80, 0, 0}) // 1.0
	im, err := DecodeTile(trim, FormatFITS, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range im.Data {
		if (i == 1*4+2) != (v == 1) || (i != 6 && !math.IsNaN(float64(v))) {
			t.Errorf("trimmed tile pixel %d = %v", i, v)
		}
	}
	bad := append(hdr("SIMPLE  = T", "BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 1", "NAXIS2  = 1", "ONAXIS1 = 4", "ONAXIS2 = 4", "TRIM1   = 4"), make([]byte, 2880)...)
	if _, err := DecodeTile(bad, FormatFITS, 4); err == nil || !strings.Contains(err.Error(), "TRIM") {
		t.Errorf("bad trim: %v", err)
	}
}

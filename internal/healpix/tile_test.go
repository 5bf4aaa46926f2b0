package healpix

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/png"
	"math"
	"os"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

func TestTileSubpixelRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		order int
		ipix  int64
		width int
	}{{0, 0, 1}, {0, 11, 2}, {3, 450, 32}, {3, 767, 512}, {20, 12345678, 512}, {27, 5, 4}} {
		s := tileShift(tc.width)
		seen := map[int64]bool{}
		for row := 0; row < tc.width; row += max(1, tc.width/64) {
			for col := 0; col < tc.width; col += max(1, tc.width/64) {
				sub := TileSubpixel(tc.order, tc.ipix, tc.width, col, row)
				if sub>>(2*uint(s)) != tc.ipix || seen[sub] {
					t.Fatalf("%+v (%d,%d): sub %d not a fresh child", tc, col, row, sub)
				}
				seen[sub] = true
				if c, r := SubpixelTile(tc.order, tc.ipix, tc.width, sub); c != col || r != row {
					t.Fatalf("%+v: SubpixelTile(%d) = (%d,%d), want (%d,%d)", tc, sub, c, r, col, row)
				}
			}
		}
	}
	// Corners of the FITS tile: row 0 col 0 is the E corner (x = w-1, y = 0).
	w := 8
	sub := TileSubpixel(2, 17, w, 0, 0)
	f, x, y := NestToFXY(5, sub)
	f0, x0, y0 := NestToFXY(2, 17)
	if f != f0 || x != x0*8+7 || y != y0*8 {
		t.Errorf("FITS (0,0) maps to face %d (%d,%d), want E corner of tile", f, x, y)
	}
	for _, bad := range [][4]int{{2, 3, 1, 0}, {2, 8, 8, 0}, {2, 8, -1, 0}, {25, 32, 0, 0}} {
		if p := TileSubpixel(bad[0], 1, bad[1], bad[2], bad[3]); p != -1 {
			t.Errorf("TileSubpixel%v = %d, want -1", bad, p)
		}
	}
	if c, r := SubpixelTile(2, 1, 8, 0); c != -1 || r != -1 {
		t.Errorf("SubpixelTile of a foreign sub-pixel = (%d,%d), want (-1,-1)", c, r)
	}
}

// readFITSTile reads a BITPIX=-32 square image as written by Hipsgen.
func readFITSTile(t *testing.T, path string) (int, []float32) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	end := -1
	for off := 0; off+80 <= len(b); off += 80 {
		if bytes.HasPrefix(b[off:off+80], []byte("END     ")) {
			end = off
			break
		}
	}
	if end < 0 {
		t.Fatalf("%s: no END card", path)
	}
	h, err := fits.ParseHeader(b[:end+80])
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	bitpix, _ := h.Int("BITPIX")
	n1, _ := h.Int("NAXIS1")
	n2, _ := h.Int("NAXIS2")
	if bitpix != -32 || n1 != n2 {
		t.Fatalf("%s: unexpected BITPIX %d or shape %dx%d", path, bitpix, n1, n2)
	}
	data := b[(end/2880+1)*2880:]
	px := make([]float32, n1*n2)
	for i := range px {
		px[i] = math.Float32frombits(binary.BigEndian.Uint32(data[4*i:]))
	}
	return int(n1), px
}

// TestTileLayoutOnHipsgenTiles checks the documented FITS tile layout on 16
// real dirbe60 order-3 tiles (a 4x4 block of base face 0): with the right
// layout, sub-pixels that are HEALPix neighbours across a tile border have
// values as close as neighbours inside a tile; each of the 7 other
// orientations of the tile (flips, transposes) breaks that continuity.
func TestTileLayoutOnHipsgenTiles(t *testing.T) {
	const order = 3
	values := map[int64]float64{} // sub-pixel at order 8 -> value, for one orientation
	type tile struct {
		w  int
		px []float32
	}
	tiles := map[int64]tile{}
	for ipix := int64(0); ipix < 16; ipix++ {
		w, px := readFITSTile(t, fmt.Sprintf("../../testdata/healpix/dirbe60-order3/Npix%d.fits", ipix))
		tiles[ipix] = tile{w, px}
	}
	w := tiles[0].w
	s := tileShift(w)
	// The 8 orientations: (col,row) -> (col', row') applied before TileSubpixel.
	orient := []func(c, r int) (int, int){
		func(c, r int) (int, int) { return c, r },
		func(c, r int) (int, int) { return w - 1 - c, r },
		func(c, r int) (int, int) { return c, w - 1 - r },
		func(c, r int) (int, int) { return w - 1 - c, w - 1 - r },
		func(c, r int) (int, int) { return r, c },
		func(c, r int) (int, int) { return w - 1 - r, c },
		func(c, r int) (int, int) { return r, w - 1 - c },
		func(c, r int) (int, int) { return w - 1 - r, w - 1 - c },
	}
	var scores []float64
	for oi, of := range orient {
		clear(values)
		for ipix, tl := range tiles {
			for row := range w {
				for col := range w {
					c2, r2 := of(col, row)
					values[TileSubpixel(order, ipix, w, c2, r2)] = float64(tl.px[row*w+col])
				}
			}
		}
		var across, inside float64
		var nA, nI int
		for sub, v := range values {
			for _, nb := range NestNeighbours(order+s, sub) {
				nv, ok := values[nb]
				if nb < 0 || !ok || math.IsNaN(v) || math.IsNaN(nv) {
					continue
				}
				if nb>>(2*uint(s)) != sub>>(2*uint(s)) {
					across += math.Abs(v - nv)
					nA++
				} else {
					inside += math.Abs(v - nv)
					nI++
				}
			}
		}
		ratio := (across / float64(nA)) / (inside / float64(nI))
		scores = append(scores, ratio)
		t.Logf("orientation %d: mean |dv| across tile borders / inside tiles = %.3f (%d, %d pairs)", oi, ratio, nA, nI)
	}
	for i := 1; i < len(scores); i++ {
		if !(scores[0] < 2 && scores[0]*1.5 < scores[i]) {
			t.Errorf("documented layout (ratio %.3f) is not clearly the continuous one (orientation %d: %.3f)", scores[0], i, scores[i])
		}
	}
}

// TestTilePNGRowOrder checks the documented PNG/JPEG relation on a real
// Hipsgen tile pair: the PNG (asinh-stretched, top-down) is the FITS tile
// flipped vertically, so its grey level grows with the FITS value at the
// flipped row and not at the same row.
func TestTilePNGRowOrder(t *testing.T) {
	w, px := readFITSTile(t, "../../testdata/healpix/dirbe60-order3/Npix229.fits")
	f, err := os.Open("../../testdata/healpix/dirbe60-order3/Npix229.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != w || img.Bounds().Dy() != w {
		t.Fatalf("PNG is %v, FITS %dx%d", img.Bounds(), w, w)
	}
	corr := func(flip bool) float64 {
		var xs, ys []float64
		for r := range w {
			for c := range w {
				fr := r
				if flip {
					fr = w - 1 - r
				}
				v := float64(px[fr*w+c])
				g, _, _, a := img.At(c, r).RGBA()
				if math.IsNaN(v) || a == 0 {
					continue
				}
				xs = append(xs, math.Asinh(v))
				ys = append(ys, float64(g))
			}
		}
		var mx, my float64
		for i := range xs {
			mx += xs[i]
			my += ys[i]
		}
		mx /= float64(len(xs))
		my /= float64(len(ys))
		var sxy, sxx, syy float64
		for i := range xs {
			sxy += (xs[i] - mx) * (ys[i] - my)
			sxx += (xs[i] - mx) * (xs[i] - mx)
			syy += (ys[i] - my) * (ys[i] - my)
		}
		return sxy / math.Sqrt(sxx*syy)
	}
	flipped, same := corr(true), corr(false)
	t.Logf("correlation PNG row r vs FITS row w-1-r: %.3f; vs FITS row r: %.3f", flipped, same)
	if !(flipped > 0.95 && flipped > same+0.1) {
		t.Errorf("PNG is not the vertically flipped FITS tile (corr %.3f vs %.3f)", flipped, same)
	}
}

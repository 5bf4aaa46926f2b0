package hips

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func readTD(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(td + p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pearson returns the correlation coefficient of two equally long series,
// skipping pairs where either is NaN.
func pearson(a, b []float64) float64 {
	var n, sa, sb, saa, sbb, sab float64
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			continue
		}
		n++
		sa += a[i]
		sb += b[i]
		saa += a[i] * a[i]
		sbb += b[i] * b[i]
		sab += a[i] * b[i]
	}
	cov := sab/n - sa/n*sb/n
	return cov / math.Sqrt((saa/n-sa/n*sa/n)*(sbb/n-sb/n*sb/n))
}

// lum returns the luminance of every pixel of a colour image, or the values
// of a data image, reduced by box-averaging factor×factor blocks.
func lum(im *Image, factor int) []float64 {
	w, h := im.Width/factor, im.Height/factor
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float64
			for dy := 0; dy < factor; dy++ {
				for dx := 0; dx < factor; dx++ {
					c, v := im.At(x*factor+dx, y*factor+dy)
					if im.IsColor() {
						s += 0.299*float64(c[0]) + 0.587*float64(c[1]) + 0.114*float64(c[2])
					} else {
						s += float64(v)
					}
				}
			}
			out[y*w+x] = s / float64(factor*factor)
		}
	}
	return out
}

func TestDecodeTileFormats(t *testing.T) {
	cases := []struct {
		path  string
		f     Format
		width int
	}{
		{"mellinger/Norder3/Dir0/Npix592.jpg", FormatJPEG, 128},
		{"dirbe60/Norder3/Dir0/Npix229.png", FormatPNG, 32},
		{"ngc1316/Norder6/Dir30000/Npix34493.jpg", FormatJPEG, 512},
		{"ngc1316/Norder6/Dir30000/Npix34493.png", FormatPNG, 512},
	}
	for _, c := range cases {
		im, err := DecodeTile(readTD(t, c.path), c.f, c.width)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if !im.IsColor() || im.Width != c.width || im.Bytes() != int64(4*c.width*c.width) {
			t.Errorf("%s: %dx%d color=%v bytes %d", c.path, im.Width, im.Height, im.IsColor(), im.Bytes())
		}
		if _, err := DecodeTile(readTD(t, c.path), c.f, c.width*2); !errors.Is(err, ErrBadTile) || !strings.Contains(err.Error(), "hips_tile_width") {
			t.Errorf("%s: wrong size accepted: %v", c.path, err)
		}
	}
}

// TestDecodeFlip checks that colour tiles are turned into FITS row order: the
// top row of a PNG becomes the last row.
func TestDecodeFlip(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	src.Set(0, 0, color.NRGBA{255, 0, 0, 255}) // top-left red
	src.Set(1, 1, color.NRGBA{0, 0, 255, 128}) // bottom-right half-transparent blue
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	im, err := DecodeTile(buf.Bytes(), FormatPNG, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := im.At(0, 1); c != [4]uint8{255, 0, 0, 255} {
		t.Errorf("top-left of the PNG should be FITS row 1: %v", c)
	}
	if c, _ := im.At(1, 0); c != [4]uint8{0, 0, 255, 128} {
		t.Errorf("bottom-right of the PNG should be FITS row 0: %v", c)
	}
}

func TestDecodeBadBytes(t *testing.T) {
	jpg := readTD(t, "mellinger/Norder3/Dir0/Npix592.jpg")
	pngb := readTD(t, "dirbe60/Norder3/Dir0/Npix229.png")
	cases := []struct {
		name string
		b    []byte
		f    Format
	}{
		{"empty", nil, FormatJPEG},
		{"html error page", []byte("<html><body>404</body></html>"), FormatPNG},
		{"truncated jpeg", jpg[:len(jpg)/2], FormatJPEG},
		{"truncated png", pngb[:len(pngb)/2], FormatPNG},
		{"jpeg as png", jpg, FormatPNG},
		{"garbage webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 xxxx"), FormatWebP},
		{"tsv", []byte("a\tb\n"), FormatTSV},
	}
	for _, c := range cases {
		if _, err := DecodeTile(c.b, c.f, 128); !errors.Is(err, ErrBadTile) {
			t.Errorf("%s: err = %v, want ErrBadTile", c.name, err)
		}
	}
}

func TestAllskyColumns(t *testing.T) {
	for order, want := range []int{3, 6, 13, 27} {
		if c := AllskyColumns(order); c != want {
			t.Errorf("order %d: %d columns, want %d", order, c, want)
		}
	}
}

// TestSplitAllskyMellinger splits the 64-pixel Allsky.jpg and compares each
// piece with the 128-pixel order-3 JPEG tile averaged 2×2.
func TestSplitAllskyMellinger(t *testing.T) {
	all, err := DecodeImage(readTD(t, "mellinger/Norder3/Allsky.jpg"), FormatJPEG)
	if err != nil {
		t.Fatal(err)
	}
	tiles, err := SplitAllsky(all, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(tiles) != 768 || tiles[0].Width != 64 {
		t.Fatalf("%d tiles of %d px", len(tiles), tiles[0].Width)
	}
	for _, n := range []int{592, 672, 650, 451, 651, 583} {
		tile, err := DecodeTile(readTD(t, fmt.Sprintf("mellinger/Norder3/Dir0/Npix%d.jpg", n)), FormatJPEG, 128)
		if err != nil {
			t.Fatal(err)
		}
		r := pearson(lum(tiles[n], 1), lum(tile, 2))
		// A neighbour in the mosaic must not match: the test can fail.
		rWrong := pearson(lum(tiles[n+1], 1), lum(tile, 2))
		if r < 0.95 || rWrong > 0.9 {
			t.Errorf("tile %d: r = %.3f (next tile r = %.3f)", n, r, rWrong)
		}
	}
}

// TestSplitAllskyDirbePNG: same-size tiles, so the pieces equal the tiles.
func TestSplitAllskyDirbePNG(t *testing.T) {
	all, err := DecodeImage(readTD(t, "dirbe60/Norder3/Allsky.png"), FormatPNG)
	if err != nil {
		t.Fatal(err)
	}
	tiles, err := SplitAllsky(all, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{229, 451, 662, 659, 450, 472, 0, 300, 767} {
		tile, err := DecodeTile(readTD(t, fmt.Sprintf("dirbe60/Norder3/Dir0/Npix%d.png", n)), FormatPNG, 32)
		if err != nil {
			t.Fatal(err)
		}
		diff := 0
		for i := range tile.RGBA {
			if d := int(tile.RGBA[i]) - int(tiles[n].RGBA[i]); d > 2 || d < -2 {
				diff++
			}
		}
		if diff > len(tile.RGBA)/100 {
			t.Errorf("tile %d: %d of %d bytes differ from the Allsky piece", n, diff, len(tile.RGBA))
		}
	}
}

func TestSplitAllskyErrors(t *testing.T) {
	cases := []struct {
		im    *Image
		order int
		msg   string
	}{
		{&Image{Width: 27, Height: 29, Data: make([]float32, 27*29)}, 4, "outside 0..3"},
		{&Image{Width: 28, Height: 29, Data: make([]float32, 28*29)}, 3, "multiple"},
		{&Image{Width: 54, Height: 56, Data: make([]float32, 54*56)}, 3, "need height"},
		{&Image{Width: 27, Height: 29, Data: make([]float32, 10)}, 3, "values"},
		{&Image{Width: 27, Height: 29, RGBA: make([]uint8, 10)}, 3, "RGBA"},
		{nil, 3, "empty"},
	}
	for _, c := range cases {
		if _, err := SplitAllsky(c.im, c.order); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("err = %v, want %q", err, c.msg)
		}
	}
	// Order 0: 3 columns, 4 rows.
	im := &Image{Width: 3, Height: 4, Data: make([]float32, 12)}
	for i := range im.Data {
		im.Data[i] = float32(i)
	}
	tiles, err := SplitAllsky(im, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Tile 0 is top-left as displayed: FITS row 3, column 0 -> value 9.
	// Tile 11 is bottom-right: FITS row 0, column 2 -> value 2.
	if tiles[0].Data[0] != 9 || tiles[11].Data[0] != 2 || tiles[4].Data[0] != 7 {
		t.Errorf("order-0 layout: %v %v %v", tiles[0].Data, tiles[4].Data, tiles[11].Data)
	}
}

func FuzzDecodeTile(f *testing.F) {
	f.Add(readTD(f, "dirbe60/Norder3/Dir0/Npix229.png"), uint8(1))
	f.Add(readTD(f, "dirbe60/Norder3/Dir0/Npix0.png"), uint8(1))
	f.Add(readTD(f, "dirbe60/Norder3/Dir0/Npix229.fits"), uint8(3))
	f.Add([]byte("\xff\xd8\xff\xe0"), uint8(0))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), uint8(2))
	formats := []Format{FormatJPEG, FormatPNG, FormatWebP, FormatFITS}
	f.Fuzz(func(t *testing.T, b []byte, fi uint8) {
		ft := formats[int(fi)%len(formats)]
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("HANG %s %q", ft, b))
			}
		}()
		im, err := DecodeTile(b, ft, 32)
		if err != nil {
			if !errors.Is(err, ErrBadTile) {
				t.Fatalf("error does not wrap ErrBadTile: %v", err)
			}
			return
		}
		if im.Width != 32 || im.Height != 32 {
			t.Fatalf("accepted %dx%d", im.Width, im.Height)
		}
	})
}

func FuzzSplitAllsky(f *testing.F) {
	f.Add(uint16(27), uint16(29), uint8(3), false)
	f.Add(uint16(54), uint16(58), uint8(3), true)
	f.Add(uint16(3), uint16(4), uint8(0), false)
	f.Add(uint16(26), uint16(28), uint8(2), true)
	f.Fuzz(func(t *testing.T, w, h uint16, order uint8, color bool) {
		if int(w)*int(h) > 1<<20 {
			return
		}
		im := &Image{Width: int(w), Height: int(h)}
		if color {
			im.RGBA = make([]uint8, 4*int(w)*int(h))
		} else {
			im.Data = make([]float32, int(w)*int(h))
		}
		tiles, err := SplitAllsky(im, int(order))
		if err != nil {
			return
		}
		if len(tiles) != int(NPix(int(order))) {
			t.Fatalf("%d tiles", len(tiles))
		}
		for _, tl := range tiles {
			if tl.Width*AllskyColumns(int(order)) != int(w) {
				t.Fatalf("tile width %d", tl.Width)
			}
		}
	})
}

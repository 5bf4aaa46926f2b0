package hips

import (
	"bytes"
	"testing"
)

func BenchmarkParseProperties(b *testing.B) {
	data := readTD(b, "ngc1316/properties")
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseProperties(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, path string, f Format, width int) {
	data := readTD(b, path)
	b.SetBytes(int64(width * width))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeTile(data, f, width); err != nil {
			b.Fatal(err)
		}
	}
}

// Tile decoding: SetBytes is the pixel count, so MB/s reads as Mpixel/s.
func BenchmarkDecodeFITS512Int16(b *testing.B) {
	benchDecode(b, "ngc1316/Norder6/Dir30000/Npix34493.fits", FormatFITS, 512)
}
func BenchmarkDecodeJPEG512(b *testing.B) {
	benchDecode(b, "ngc1316/Norder6/Dir30000/Npix34493.jpg", FormatJPEG, 512)
}
func BenchmarkDecodePNG512(b *testing.B) {
	benchDecode(b, "ngc1316/Norder6/Dir30000/Npix34493.png", FormatPNG, 512)
}

func BenchmarkSplitAllskyJPEG(b *testing.B) {
	data := readTD(b, "mellinger/Norder3/Allsky.jpg")
	for i := 0; i < b.N; i++ {
		im, err := DecodeImage(data, FormatJPEG)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := SplitAllsky(im, 3); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCachePutGet(b *testing.B) {
	c := NewCache[TileID, int64](1<<20, func(v int64) int64 { return v })
	for i := 0; i < b.N; i++ {
		id := TileID{Order: 9, Pix: int64(i % 4096)}
		if _, ok := c.Get(id); !ok {
			c.Put(id, 1024, false)
		}
	}
}

// BenchmarkPlanView plans a 1000-pixel-wide view of 2° (order 9 with
// 512-pixel tiles), as a view does on every change.
func BenchmarkPlanView(b *testing.B) {
	v := View{Center: [2]float64{83.8, -5.4}, Radius: 1.5,
		Outline: [][2]float64{{82.8, -6.4}, {84.8, -6.4}, {84.8, -4.4}, {82.8, -4.4}}}
	loaded := func(TileID) bool { return false }
	for i := 0; i < b.N; i++ {
		PlanView(v, 2.0/1000, PlanOptions{Width: 512, OrderMax: 11, Loaded: loaded})
	}
}

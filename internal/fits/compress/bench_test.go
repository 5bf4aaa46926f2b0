package compress

import "testing"

// Benchmarks decode every tile of a real file; the reported MB/s is decoded
// output (pixels x ZBITPIX/8, the size of the uncompressed image).

type benchTiles struct {
	tiles  [][]byte
	npix   []int
	bytes  int64
	maxPix int
	ct     *compressedTable
}

func loadBenchTiles(b *testing.B, file string, hdu int) benchTiles {
	b.Helper()
	ct := openCompressed(b, readHDUs(b, file)[hdu])
	bt := benchTiles{ct: ct}
	for r := 0; r < ct.rows; r++ {
		_, _, w, h := ct.tileGeom(r)
		bt.tiles = append(bt.tiles, ct.tile(b, r))
		bt.npix = append(bt.npix, w*h)
		bt.maxPix = max(bt.maxPix, w*h)
		bt.bytes += int64(w*h) * int64(abs64(int64(ct.zbitpix))/8)
	}
	return bt
}

func benchRice(b *testing.B, file string) {
	bt := loadBenchTiles(b, file, 1)
	bp, bs := int(bt.ct.zvals["BYTEPIX"]), int(bt.ct.zvals["BLOCKSIZE"])
	out := make([]int32, bt.maxPix)
	b.SetBytes(bt.bytes)
	b.ResetTimer()
	for b.Loop() {
		for i, src := range bt.tiles {
			if err := Rice(src, bp, bs, out[:bt.npix[i]]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRice16 decodes the 520 RICE_1 tiles (536x1, BYTEPIX 2) of the
// 536x520 ccdproc frame.
func BenchmarkRice16(b *testing.B) { benchRice(b, "ccdproc_a8280271_rice.fits.fz") }

// BenchmarkRice32 decodes the 128 quantized RICE_1 tiles (BYTEPIX 4) of the
// Spitzer image.
func BenchmarkRice32(b *testing.B) { benchRice(b, "sha_img_rice_q4.fits.fz") }

func benchHCompress(b *testing.B, file string, smooth bool) {
	bt := loadBenchTiles(b, file, 1)
	out := make([]int64, bt.maxPix)
	b.SetBytes(bt.bytes)
	b.ResetTimer()
	for b.Loop() {
		for i, src := range bt.tiles {
			if _, _, err := HCompress(src, smooth, out[:bt.npix[i]]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkHCompress decodes the 33 lossless HCOMPRESS_1 tiles (536x16) of
// the ccdproc frame.
func BenchmarkHCompress(b *testing.B) { benchHCompress(b, "ccdproc_a8280271_hcomp.fits.fz", false) }

// BenchmarkHCompressSmooth decodes the lossy (scale 2.5 sigma) tiles with
// smoothing.
func BenchmarkHCompressSmooth(b *testing.B) {
	benchHCompress(b, "ccdproc_a8280271_hcomp_s25_smooth.fits.fz", true)
}

// BenchmarkPLIO decodes the 128 PLIO_1 tiles of the 128x128 mask.
func BenchmarkPLIO(b *testing.B) {
	bt := loadBenchTiles(b, "sha_img_nanmask_plio.fits.fz", 1)
	out := make([]int32, bt.maxPix)
	b.SetBytes(bt.bytes)
	b.ResetTimer()
	for b.Loop() {
		for i, src := range bt.tiles {
			if err := PLIO(src, out[:bt.npix[i]]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

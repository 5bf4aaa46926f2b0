package fits

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// benchSide is the side of the benchmark images (4096 x 4096 = 64 MiB of float32).
const benchSide = 4096

// cards formats header cards into whole blocks.
func cards(kv ...string) []byte {
	var b strings.Builder
	for _, c := range kv {
		b.WriteString(fmt.Sprintf("%-80s", c))
	}
	b.WriteString(fmt.Sprintf("%-80s", "END"))
	for b.Len()%BlockSize != 0 {
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

func card(k string, v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%-8s= '%s'", k, x)
	case bool:
		if x {
			return fmt.Sprintf("%-8s= %20s", k, "T")
		}
		return fmt.Sprintf("%-8s= %20s", k, "F")
	default:
		return fmt.Sprintf("%-8s= %20v", k, x)
	}
}

func pad(b []byte) []byte {
	for len(b)%BlockSize != 0 {
		b = append(b, 0)
	}
	return b
}

// benchPixels makes a smooth sky-like float32 image with noise (deterministic).
func benchPixels(nx, ny int) []float32 {
	v := make([]float32, nx*ny)
	seed := uint32(12345)
	for y := 0; y < ny; y++ {
		for x := 0; x < nx; x++ {
			seed = seed*1664525 + 1013904223
			noise := float64(seed>>8)/float64(1<<24) - 0.5
			dx, dy := float64(x-nx/2)/float64(nx), float64(y-ny/2)/float64(ny)
			v[y*nx+x] = float32(100 + 50*math.Exp(-(dx*dx+dy*dy)*20) + 3*noise)
		}
	}
	return v
}

// plainFloat32FITS writes a primary HDU with BITPIX -32.
func plainFloat32FITS(v []float32, nx, ny int) []byte {
	b := cards(card("SIMPLE", true), card("BITPIX", -32), card("NAXIS", 2), card("NAXIS1", nx), card("NAXIS2", ny))
	data := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(x))
	}
	return pad(append(b, data...))
}

// gzip2Float32FITS writes an empty primary plus a tile-compressed HDU: GZIP_2,
// lossless floats (ZQUANTIZ = 'NONE'), one tile per row, like `fpack -g2 -q 0`.
func gzip2Float32FITS(v []float32, nx, ny int) []byte {
	var heap bytes.Buffer
	table := make([]byte, 8*ny)
	row := make([]byte, 4*nx)
	sh := make([]byte, 4*nx)
	for y := 0; y < ny; y++ {
		for x := 0; x < nx; x++ {
			binary.BigEndian.PutUint32(row[4*x:], math.Float32bits(v[y*nx+x]))
		}
		for i := 0; i < nx; i++ {
			for k := 0; k < 4; k++ {
				sh[k*nx+i] = row[4*i+k]
			}
		}
		off := heap.Len()
		zw, _ := gzip.NewWriterLevel(&heap, gzip.BestSpeed)
		_, _ = zw.Write(sh)
		_ = zw.Close()
		binary.BigEndian.PutUint32(table[8*y:], uint32(heap.Len()-off))
		binary.BigEndian.PutUint32(table[8*y+4:], uint32(off))
	}
	out := cards(card("SIMPLE", true), card("BITPIX", 8), card("NAXIS", 0), card("EXTEND", true))
	out = append(out, cards(card("XTENSION", "BINTABLE"), card("BITPIX", 8), card("NAXIS", 2), card("NAXIS1", 8),
		card("NAXIS2", ny), card("PCOUNT", heap.Len()), card("GCOUNT", 1), card("TFIELDS", 1),
		card("TTYPE1", "COMPRESSED_DATA"), card("TFORM1", "1PB"), card("ZIMAGE", true), card("ZBITPIX", -32),
		card("ZNAXIS", 2), card("ZNAXIS1", nx), card("ZNAXIS2", ny), card("ZTILE1", nx), card("ZTILE2", 1),
		card("ZCMPTYPE", "GZIP_2"), card("ZQUANTIZ", "NONE"))...)
	out = append(out, table...)
	out = append(out, heap.Bytes()...)
	return pad(out)
}

func benchFile(b *testing.B, kind string) []byte {
	if p := os.Getenv("FITS_BENCH_" + strings.ToUpper(kind)); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	v := benchPixels(benchSide, benchSide)
	if kind == "plain" {
		return plainFloat32FITS(v, benchSide, benchSide)
	}
	return gzip2Float32FITS(v, benchSide, benchSide)
}

// BenchmarkDecodePlainFloat32 measures Open + Image + Float32 of a 4096x4096
// BITPIX -32 image held in memory (MB/s of uncompressed pixels).
func BenchmarkDecodePlainFloat32(b *testing.B) {
	data := benchFile(b, "plain")
	b.SetBytes(benchSide * benchSide * 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		img, err := f.HDUs[0].Image()
		if err != nil {
			b.Fatal(err)
		}
		_ = img.Float32()
	}
}

// BenchmarkFloat32Convert measures only the big-endian to float32 conversion.
func BenchmarkFloat32Convert(b *testing.B) {
	raw := make([]byte, benchSide*benchSide*4)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	out := make([]float32, benchSide*benchSide)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		decodeFloat32BE(out, raw)
	}
}

// BenchmarkDecodeGzip2Float32 measures Open + Image + Float32 of the same
// image stored as GZIP_2 tiles (MB/s of uncompressed pixels).
func BenchmarkDecodeGzip2Float32(b *testing.B) {
	data := benchFile(b, "gzip2")
	b.SetBytes(benchSide * benchSide * 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		img, err := f.HDUs[1].Image()
		if err != nil {
			b.Fatal(err)
		}
		_ = img.Float32()
	}
}

// TestBenchFilesDecode checks the benchmark writers produce files that decode
// to the pixels they were made from (on a small image).
func TestBenchFilesDecode(t *testing.T) {
	v := benchPixels(37, 23)
	for _, data := range [][]byte{plainFloat32FITS(v, 37, 23), gzip2Float32FITS(v, 37, 23)} {
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := f.HDUs[len(f.HDUs)-1].Image()
		if err != nil {
			t.Fatal(err)
		}
		got := img.Float32()
		for i := range v {
			if got[i] != v[i] {
				t.Fatalf("pixel %d: %v, want %v", i, got[i], v[i])
			}
		}
	}
}

// TestWriteBenchFiles writes the benchmark files for the funpack reference
// timing when FITS_BENCH_OUT names a folder.
func TestWriteBenchFiles(t *testing.T) {
	dir := os.Getenv("FITS_BENCH_OUT")
	if dir == "" {
		t.Skip("set FITS_BENCH_OUT to write the benchmark files")
	}
	v := benchPixels(benchSide, benchSide)
	if err := os.WriteFile(dir+"/bench_plain_f32.fits", plainFloat32FITS(v, benchSide, benchSide), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/bench_gzip2_f32.fits.fz", gzip2Float32FITS(v, benchSide, benchSide), 0o644); err != nil {
		t.Fatal(err)
	}
}

// benchCompressed decodes HDU 1 of a tile-compressed file: FITS_BENCH_<KIND>
// names a file (e.g. fpack's output for the 4096x4096 image), else the given
// testdata file is used.
func benchCompressed(b *testing.B, kind, fallback string) {
	var data []byte
	var err error
	if p := os.Getenv("FITS_BENCH_" + kind); p != "" {
		data, err = os.ReadFile(p)
	} else {
		data, err = os.ReadFile(truthDir + "/" + fallback)
	}
	if err != nil {
		b.Fatal(err)
	}
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	in, err := f.HDUs[1].ImageInfo()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(in.NPix() * int64(in.BytePix()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		img, err := f.HDUs[1].Image()
		if err != nil {
			b.Fatal(err)
		}
		_ = img.Float32()
	}
}

// BenchmarkDecodeRiceInt16 decodes RICE_1 tiles of a 16-bit image (MB/s of
// uncompressed pixels).
func BenchmarkDecodeRiceInt16(b *testing.B) {
	benchCompressed(b, "RICE16", "ccdproc_a8280271_rice.fits.fz")
}

// BenchmarkDecodeRiceQuantized decodes RICE_1 tiles of quantized, dithered
// float32 pixels (fpack's default for floating-point images).
func BenchmarkDecodeRiceQuantized(b *testing.B) {
	benchCompressed(b, "RICEQ", "sha_img_rice_q4.fits.fz")
}

// BenchmarkDecodeGzip2Int16 decodes GZIP_2 tiles of a 16-bit image.
func BenchmarkDecodeGzip2Int16(b *testing.B) {
	benchCompressed(b, "GZIP2_16", "ccdproc_a8280271_gzip2.fits.fz")
}

// BenchmarkSwapInPlace measures the in-place big-endian to native float32
// conversion that unscaled BITPIX -32 images use.
func BenchmarkSwapInPlace(b *testing.B) {
	raw := make([]byte, benchSide*benchSide*4)
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		swap32InPlace(raw)
	}
}

// BenchmarkSwapCount is BenchmarkSwapInPlace counting the finite values per
// block on the way (what nativize runs).
func BenchmarkSwapCount(b *testing.B) {
	raw := make([]byte, benchSide*benchSide*4)
	counts := make([]int32, (len(raw)/4+FiniteBlock-1)/FiniteBlock)
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		swap32Count(raw, counts)
	}
}

package fits

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

// fuzzCap is the memory cap used by the fuzz targets: every decode must stay
// under it (checked before allocating), so a hostile header cannot make the
// fuzzer allocate gigabytes.
const fuzzCap = 256 << 10

func fuzzOpts() OpenOptions {
	return OpenOptions{MaxBytes: fuzzCap, MaxHeaderBytes: 1 << 20, MaxHDUs: 64}
}

// exercise runs everything a viewer would do with an opened file.
func exercise(f *File) {
	_ = Describe(f)
	for _, h := range f.HDUs {
		in, err := h.ImageInfo()
		if err != nil || in.Empty() {
			continue
		}
		lo := make([]int, len(in.Axes))
		sh := make([]int, len(in.Axes))
		for a, n := range in.Axes {
			lo[a] = n / 3
			sh[a] = max(0, min(n-lo[a], 3))
		}
		if m, _ := h.Section(lo, sh); m != nil {
			_ = m.Float32()
		}
		if len(in.Axes) >= 3 {
			_, _ = h.Plane(in.Axes[2] - 1)
		}
	}
}

func addFileSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(truthDir, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseHeader: header text of any shape must parse or fail cleanly.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte("SIMPLE  =                    T\nBITPIX  = -32\nNAXIS = 2\nEND\n"))
	f.Add([]byte("LONGSTR = 'abc&'\nCONTINUE  'def&'\nCONTINUE  'ghi' / comment\n"))
	f.Add([]byte("HIERARCH ESO DET CHIP = 'x' / y\nCOMPLEX = (1.5, -2D3)\nBAD = 'unterminated"))
	f.Add(bytes.Repeat([]byte("KEY     = 1.0E400                                                               "), 3))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		for _, c := range h.Cards {
			_ = c.Format()
		}
		_ = h.Clone()
		_, _ = h.Float("NAXIS")
		_, _ = h.Int("BITPIX")
	})
}

// FuzzOpen: arbitrary bytes through Open and every image decode path.
func FuzzOpen(f *testing.F) {
	addFileSeeds(f, "astropy_blank.fits", "astropy_arange.fits", "astropy_scale.fits", "sha_img_nanmask_plio.fits.fz")
	f.Add([]byte("SIMPLE  =                    T"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := OpenWithOptions(bytes.NewReader(b), int64(len(b)), fuzzOpts())
		if err != nil {
			return
		}
		exercise(fl)
	})
}

// FuzzGzip: a gzip stream (Open detects it by magic) of fuzzed content, and
// fuzzed bytes behind a gzip magic.
func FuzzGzip(f *testing.F) {
	addFileSeeds(f, "astropy_dss_14.29.56-62.41.05.fits.gz")
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if fl, err := OpenWithOptions(bytes.NewReader(b), int64(len(b)), fuzzOpts()); err == nil {
			exercise(fl)
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		_, _ = zw.Write(b)
		_ = zw.Close()
		if fl, err := OpenWithOptions(bytes.NewReader(zb.Bytes()), int64(zb.Len()), fuzzOpts()); err == nil {
			exercise(fl)
		}
	})
}

// FuzzTiles keeps the header of a real tile-compressed HDU and fuzzes its table
// and heap bytes: descriptors, ZSCALE/ZZERO values, gzip streams, GZIP_2
// shuffles, dithering, 2-D and 3-D tile geometry.
func FuzzTiles(f *testing.F) {
	templates := []string{
		"sha_img_gzip1_lossless.fits.fz",
		"ccdproc_a8280271_gzip2.fits.fz",
		"derived/gmos_gzip2_qz_dither2.fits.fz",
		"derived/arange_gzip2_cube.fits.fz",
		"derived/ccd_gzip1_tiles.fits.fz",
		"derived/sha_gzip1_q4_dither1.fits.fz",
		"sha_img_rice_q4.fits.fz",
		"derived/ccd_hcomp_s4_tiles.fits.fz",
		"sha_img_nanmask_plio.fits.fz",
		"derived/p08_plio_tiles.fits.fz",
	}
	heads := make([][]byte, len(templates))
	for i, n := range templates {
		b, err := os.ReadFile(filepath.Join(truthDir, n))
		if err != nil {
			f.Fatal(err)
		}
		fl, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			f.Fatal(err)
		}
		h := fl.HDUs[1]
		heads[i] = b[:h.DataOffset]
		// Seed: the real data, cut to keep seeds small.
		data := b[h.DataOffset:min(int64(len(b)), h.DataOffset+h.DataSize)]
		f.Add(uint8(i), data[:min(len(data), 2048)])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		head := heads[int(which)%len(heads)]
		b := append(append([]byte(nil), head...), data...)
		fl, err := OpenWithOptions(bytes.NewReader(b), int64(len(b)), fuzzOpts())
		if err != nil {
			return
		}
		for _, h := range fl.HDUs {
			if h.Type() != TypeCompressedImage {
				continue
			}
			if m, _ := h.Image(); m != nil {
				_ = m.Stats()
				lo := make([]int, len(m.Axes))
				sh := make([]int, len(m.Axes))
				for a, n := range m.Axes {
					lo[a], sh[a] = n/2, min(n-n/2, 2)
				}
				_, _ = h.Section(lo, sh)
			}
		}
	})
}

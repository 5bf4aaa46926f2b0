package compress

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// Fuzz targets: every decoder must return nil or an error wrapping
// ErrCorrupt/ErrArgument for any input, never panic, and never write
// outside the output it was given. The seed corpora under
// testdata/fuzz/FuzzXxx hold real tiles (written by TestWriteFuzzSeeds).

func FuzzRice(f *testing.F) {
	f.Add([]byte{0x07, 0x00}, uint8(1), uint16(32), uint16(3))
	f.Add([]byte{10, 0xE0, 0x40, 0x20}, uint8(1), uint16(32), uint16(2))
	f.Add([]byte{0, 0, 0, 100, 0x0D, 0x20}, uint8(4), uint16(32), uint16(3))
	f.Add([]byte{0xFF, 0xFE, 0x00}, uint8(2), uint16(16), uint16(40))
	f.Fuzz(func(t *testing.T, src []byte, bp uint8, bs uint16, n uint16) {
		bytePix := []int{1, 2, 4, 3}[bp%4] // 3 exercises the argument check
		out := make([]int32, n)
		err := Rice(src, bytePix, int(bs), out)
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrArgument) {
			t.Fatalf("unclassified error: %v", err)
		}
		if err == nil && bytePix == 1 {
			for i, v := range out {
				if v < 0 || v > 255 {
					t.Fatalf("BYTEPIX 1 pixel %d = %d outside 0..255", i, v)
				}
			}
		}
	})
}

func FuzzHCompress(f *testing.F) {
	f.Add(append(hcHeader(1, 1, 0, -42, [3]byte{}), 0x00), false, uint16(1))
	f.Add(append(hcHeader(2, 3, 4, 100, [3]byte{2, 1, 1}), 0xF0, 0x12, 0x34, 0x00, 0xFF), true, uint16(6))
	f.Fuzz(func(t *testing.T, src []byte, smooth bool, n uint16) {
		out := make([]int64, n)
		nx, ny, err := HCompress(src, smooth, out)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrArgument) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if nx <= 0 || ny <= 0 || nx*ny > len(out) {
			t.Fatalf("returned %dx%d for an output of %d", nx, ny, len(out))
		}
	})
}

func FuzzPLIO(f *testing.F) {
	f.Add([]byte{0, 0, 0, 7, 0xFF, 0x9C, 0, 9, 0, 0, 0, 0, 0, 0, 0x00, 0x03, 0x40, 0x02}, uint16(6))
	f.Add([]byte{0, 0, 0, 0, 0, 5, 0x00, 0x01, 0x40, 0x02}, uint16(4))
	f.Fuzz(func(t *testing.T, src []byte, n uint16) {
		out := make([]int32, n)
		if err := PLIO(src, out); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("unclassified error: %v", err)
		}
	})
}

// TestWriteFuzzSeeds regenerates the real-tile seed corpora when
// COMPRESS_WRITE_FUZZ_SEEDS=1 (otherwise it is skipped).
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("COMPRESS_WRITE_FUZZ_SEEDS") != "1" {
		t.Skip("set COMPRESS_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz seeds")
	}
	write := func(target, name string, args ...string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		s := "go test fuzz v1\n"
		for _, a := range args {
			s += a + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bytesLit := func(b []byte) string { return "[]byte(" + strconv.Quote(string(b)) + ")" }
	rice := []struct {
		file string
		row  int
	}{
		{"ccdproc_a8280271_rice.fits.fz", 0},
		{"ccdproc_a8280271_rice.fits.fz", 260},
		{"sha_img_rice_q4.fits.fz", 5},
		{"sha_img_rice_q4.fits.fz", 64},
		{"gmos_rice_qz8.fits.fz", 75},
		{"astrogo_bitpix_p08_rice.fits.fz", 10},
	}
	for _, r := range rice {
		ct := openCompressed(t, readHDUs(t, r.file)[1])
		_, _, w, h := ct.tileGeom(r.row)
		bp := map[float64]int{1: 0, 2: 1, 4: 2}[ct.zvals["BYTEPIX"]]
		write("FuzzRice", fmt.Sprintf("real_%s_%d", r.file[:len(r.file)-8], r.row),
			bytesLit(ct.tile(t, r.row)), fmt.Sprintf("byte(%d)", bp),
			fmt.Sprintf("uint16(%d)", int(ct.zvals["BLOCKSIZE"])), fmt.Sprintf("uint16(%d)", w*h))
	}
	hc := []struct {
		file string
		row  int
	}{
		{"astrogo_bitpix_p32_hcomp_9x11.fits.fz", 0},
		{"astrogo_bitpix_p32_hcomp_9x11.fits.fz", 29},
		{"ccdproc_a8280271_hcomp.fits.fz", 32},
		{"ccdproc_a8280271_hcomp_s25_smooth.fits.fz", 32},
	}
	for _, r := range hc {
		ct := openCompressed(t, readHDUs(t, r.file)[1])
		_, _, w, h := ct.tileGeom(r.row)
		write("FuzzHCompress", fmt.Sprintf("real_%s_%d", r.file[:len(r.file)-8], r.row),
			bytesLit(ct.tile(t, r.row)), fmt.Sprintf("bool(%v)", ct.zvals["SMOOTH"] != 0), fmt.Sprintf("uint16(%d)", w*h))
	}
	ct := openCompressed(t, readHDUs(t, "sha_img_nanmask_plio.fits.fz")[1])
	for _, row := range []int{0, 40, 64, 100} {
		write("FuzzPLIO", fmt.Sprintf("real_sha_img_nanmask_plio_%d", row), bytesLit(ct.tile(t, row)), "uint16(128)")
	}
}

// FuzzRiceRoundTrip encodes arbitrary pixel values with the test encoder
// and checks that Rice returns them (as CFITSIO would) for every BYTEPIX.
func FuzzRiceRoundTrip(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(0), uint8(32))
	f.Add([]byte{0xff, 0, 0xff, 0, 0x80, 0x7f}, uint8(1), uint8(3))
	f.Fuzz(func(t *testing.T, raw []byte, bp uint8, bs uint8) {
		bytePix := []int{1, 2, 4}[bp%3]
		blockSize := int(bs%64) + 1
		vals := make([]int32, len(raw)/bytePix)
		for i := range vals {
			var v uint32
			for _, c := range raw[i*bytePix : (i+1)*bytePix] {
				v = v<<8 | uint32(c)
			}
			vals[i] = int32(v)
		}
		if len(vals) == 0 {
			return
		}
		src, _ := riceEncode(vals, bytePix, blockSize)
		out := make([]int32, len(vals))
		if err := Rice(src, bytePix, blockSize, out); err != nil {
			t.Fatalf("decode of a valid stream: %v", err)
		}
		if want := expectRice(vals, bytePix); !slices.Equal(out, want) {
			t.Fatalf("round trip differs: got %v want %v", out, want)
		}
	})
}

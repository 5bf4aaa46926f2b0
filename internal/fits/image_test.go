package fits

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// virtualFile is an io.ReaderAt over a list of segments, some of them virtual
// runs of zeros, so a test can "open" a file of any size; it counts the bytes
// actually read.
type virtualFile struct {
	segs []segment
	size int64
	read atomic.Int64
}

type segment struct {
	off  int64
	data []byte // nil: zeros of length n
	n    int64
}

func (v *virtualFile) add(data []byte, zeros int64) {
	if data != nil {
		v.segs = append(v.segs, segment{off: v.size, data: data, n: int64(len(data))})
		v.size += int64(len(data))
	} else {
		v.segs = append(v.segs, segment{off: v.size, n: zeros})
		v.size += zeros
	}
}

func (v *virtualFile) ReadAt(p []byte, off int64) (int, error) {
	v.read.Add(int64(len(p)))
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= v.size {
			return n, io.EOF
		}
		for _, s := range v.segs {
			if pos >= s.off && pos < s.off+s.n {
				k := int(min(int64(len(p)-n), s.off+s.n-pos))
				if s.data != nil {
					copy(p[n:n+k], s.data[pos-s.off:])
				} else {
					clear(p[n : n+k])
				}
				n += k
				break
			}
		}
	}
	return n, nil
}

func TestLazyMEF(t *testing.T) {
	// Primary (empty) + a 1 GiB float32 image + a small int16 image.
	v := &virtualFile{}
	v.add(cards(card("SIMPLE", true), card("BITPIX", 8), card("NAXIS", 0), card("EXTEND", true)), 0)
	v.add(cards(card("XTENSION", "IMAGE"), card("BITPIX", -32), card("NAXIS", 2), card("NAXIS1", 16384), card("NAXIS2", 16384),
		card("PCOUNT", 0), card("GCOUNT", 1), card("EXTNAME", "BIG")), 0)
	v.add(nil, roundBlock(16384*16384*4))
	small := cards(card("XTENSION", "IMAGE"), card("BITPIX", 16), card("NAXIS", 2), card("NAXIS1", 3), card("NAXIS2", 2),
		card("PCOUNT", 0), card("GCOUNT", 1), card("BZERO", 32768), card("EXTNAME", "SMALL"))
	data := []byte{0x80, 0, 0x80, 1, 0x7f, 0xff, 0, 0, 0xff, 0xff, 0x80, 0x02}
	v.add(append(small, pad(data)...), 0)

	f, err := Open(v, v.size)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.HDUs) != 3 || f.HDUs[1].Name() != "BIG" || f.HDUs[2].Name() != "SMALL" {
		t.Fatalf("HDUs: %d", len(f.HDUs))
	}
	img, err := f.HDUs[2].Image()
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 1, 65535, 32768, 32767, 2}
	for i, x := range img.Float64() {
		if x != want[i] {
			t.Errorf("pixel %d = %v, want %v", i, x, want[i])
		}
	}
	if r := v.read.Load(); r > 64<<10 {
		t.Errorf("opening and decoding the small HDU read %d bytes", r)
	}
	// A cutout of the big HDU reads only its rows.
	before := v.read.Load()
	sec, err := f.HDUs[1].Section([]int{100, 200}, []int{10, 5})
	if err != nil {
		t.Fatal(err)
	}
	// Nearby rows are read with one ReadAt covering them (at most 1 MiB).
	if got := v.read.Load() - before; sec.NPix() != 50 || got > 5*16384*4 {
		t.Errorf("section read %d bytes for %d pixels", got, sec.NPix())
	}
	// Far-apart rows are read one run at a time.
	before = v.read.Load()
	sec, err = f.HDUs[1].Section([]int{100, 200}, []int{10, 10000})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.read.Load() - before; got != 10000*10*4 {
		t.Errorf("section read %d bytes for %d pixels", got, sec.NPix())
	}
	// The whole big HDU exceeds a small memory cap: an error, not an allocation.
	f2, err := OpenWithOptions(v, v.size, OpenOptions{MaxBytes: 100 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f2.HDUs[1].Image(); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("want a memory-cap error, got %v", err)
	}
}

func TestTruncatedPlain(t *testing.T) {
	b := plainFloat32FITS(benchPixels(10, 10), 10, 10)
	cut := b[:BlockSize+4*37+2] // header + 37.5 pixels
	f, err := Open(bytes.NewReader(cut), int64(len(cut)))
	if err != nil {
		t.Fatal(err)
	}
	if !f.HDUs[0].Truncated() || len(f.Warnings) == 0 {
		t.Error("truncation not reported")
	}
	img, err := f.HDUs[0].Image()
	var tr *TruncatedError
	if !errors.As(err, &tr) || tr.MissingPixels != 63 {
		t.Fatalf("want TruncatedError with 63 missing pixels, got %v", err)
	}
	v := img.Float64()
	if math.IsNaN(v[36]) || !math.IsNaN(v[37]) || !math.IsNaN(v[99]) {
		t.Errorf("pixels 36/37/99: %v %v %v", v[36], v[37], v[99])
	}
	if st := img.Stats(); st.NaN != 63 || st.NullPix != 63 {
		t.Errorf("stats %+v", st)
	}
}

func TestTruncatedCompressed(t *testing.T) {
	v := benchPixels(20, 10)
	b := gzip2Float32FITS(v, 20, 10)
	f0, _ := Open(bytes.NewReader(b), int64(len(b)))
	h := f0.HDUs[1]
	// Cut in the middle of the heap: the first tiles decode, the rest are NaN.
	cut := b[:h.DataOffset+h.DataSize/2]
	f, err := Open(bytes.NewReader(cut), int64(len(cut)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.HDUs[1].Image()
	var tr *TruncatedError
	if !errors.As(err, &tr) || img == nil {
		t.Fatalf("want TruncatedError, got %v", err)
	}
	got := img.Float32()
	if got[0] != v[0] || !math.IsNaN(float64(got[len(got)-1])) {
		t.Errorf("first %v (want %v), last %v (want NaN)", got[0], v[0], got[len(got)-1])
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name string
		hdr  []byte
		want []string
	}{
		{"not fits", []byte(strings.Repeat("x", 2880)), []string{"not a FITS file"}},
		{"bad bitpix", cards(card("SIMPLE", true), card("BITPIX", 12), card("NAXIS", 0)), []string{"HDU 0", "BITPIX", "byte 80", "illegal value 12"}},
		{"missing naxis2", cards(card("SIMPLE", true), card("BITPIX", 16), card("NAXIS", 2), card("NAXIS1", 5)), []string{"HDU 0", "NAXIS2", "missing"}},
		{"negative axis", cards(card("SIMPLE", true), card("BITPIX", 16), card("NAXIS", 1), card("NAXIS1", -5)), []string{"NAXIS1", "byte 240", "negative"}},
		{"overflow", cards(card("SIMPLE", true), card("BITPIX", 64), card("NAXIS", 3), card("NAXIS1", int64(1)<<40), card("NAXIS2", int64(1)<<40), card("NAXIS3", 10)), []string{"overflows"}},
		{"no end", []byte(card("SIMPLE", true) + strings.Repeat(" ", 2880-30)), []string{"no END card"}},
		{"bad naxis", cards(card("SIMPLE", true), card("BITPIX", 16), card("NAXIS", "two")), []string{"NAXIS", "not an integer"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tc.hdr), int64(len(tc.hdr)))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBadExtensionKeepsPrimary(t *testing.T) {
	b := plainFloat32FITS(benchPixels(4, 4), 4, 4)
	b = append(b, cards(card("XTENSION", "IMAGE"), card("BITPIX", 7), card("NAXIS", 0))...)
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.HDUs) != 1 || len(f.Warnings) == 0 || !strings.Contains(f.Warnings[len(f.Warnings)-1].Error(), "HDU 1") {
		t.Errorf("HDUs %d, warnings %v", len(f.HDUs), f.Warnings)
	}
}

func TestContinueAndWarnings(t *testing.T) {
	h, err := ParseHeader([]byte("LONG    = 'abc&'  / first\nCONTINUE  'def &'\nCONTINUE  'ghi' / last\nNEXT    = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := h.String("LONG"); s != "abcdef ghi" {
		t.Errorf("LONG = %q", s)
	}
	if c, _ := h.Card("LONG"); c.Comment != "first last" {
		t.Errorf("comment %q", c.Comment)
	}
	if n, _ := h.Int("NEXT"); n != 1 || h.Has("CONTINUE") {
		t.Errorf("NEXT %d, CONTINUE kept %v", n, h.Has("CONTINUE"))
	}
	// In a file, a malformed value on an ordinary keyword is a warning.
	b := cards(card("SIMPLE", true), card("BITPIX", 8), card("NAXIS", 0), "DATE-OBS= 2020-01-01", "bad key = 1")
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 2 || !strings.Contains(f.Warnings[0].Error(), "DATE-OBS at byte 240") {
		t.Errorf("warnings %v", f.Warnings)
	}
}

func TestEmptyPrimaryAndScaling(t *testing.T) {
	b := cards(card("SIMPLE", true), card("BITPIX", 8), card("NAXIS", 0))
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.HDUs[0].Image()
	if err != nil || !img.Empty() || len(img.Float64()) != 0 {
		t.Fatalf("empty primary: %v %v", err, img)
	}
	// BITPIX 64 unsigned via BZERO = 2^63 and BLANK; BSCALE rounding without FMA.
	hdr := cards(card("SIMPLE", true), card("BITPIX", 64), card("NAXIS", 1), card("NAXIS1", 3),
		card("BZERO", "9223372036854775808"), card("BLANK", -1))
	hdr = []byte(strings.Replace(string(hdr), "'9223372036854775808'", "9223372036854775808  ", 1))
	data := []byte{0x80, 0, 0, 0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1}
	b = append(hdr, pad(data)...)
	f, err = Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	img, err = f.HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	got := img.Float64()
	want := []float64{9223372036854775808 + float64(int64(math.MinInt64+5)), math.NaN(), 9223372036854775808 + 1}
	if got[0] != want[0] || !math.IsNaN(got[1]) || got[2] != want[2] {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestImageHeader(t *testing.T) {
	c := openTestFile(t, "gmos_rice_qz8.fits.fz")
	p := openTestFile(t, "astroscrappy_gmos.fits")
	for i := 1; i <= 3; i++ {
		ch, ph := c.HDUs[i].ImageHeader(), p.HDUs[i].ImageHeader()
		if ch.Cards[0].Key != "XTENSION" || ch.Cards[0].Str != "IMAGE" {
			t.Errorf("HDU %d: first card %+v", i, ch.Cards[0])
		}
		for _, k := range []string{"BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "EXTNAME", "CRVAL1", "CD1_1"} {
			cv, cok := ch.Card(k)
			pv, pok := ph.Card(k)
			if cok != pok || cv.Kind != pv.Kind || cv.Int != pv.Int || cv.Float != pv.Float || cv.Str != pv.Str {
				t.Errorf("HDU %d %s: compressed %+v (%v), plain %+v (%v)", i, k, cv, cok, pv, pok)
			}
		}
		for _, k := range []string{"ZIMAGE", "ZBITPIX", "TFORM1", "ZTILE1", "ZNAME1", "TFIELDS"} {
			if ch.Has(k) {
				t.Errorf("HDU %d: %s kept", i, k)
			}
		}
	}
	// fpack's primary-image files restore SIMPLE.
	a := openTestFile(t, "ccdproc_a8280271_rice.fits.fz").HDUs[1].ImageHeader()
	if a.Cards[0].Key != "XTENSION" && a.Cards[0].Key != "SIMPLE" {
		t.Errorf("first card %s", a.Cards[0].Key)
	}
	if n, _ := a.Int("NAXIS1"); n != 536 {
		t.Errorf("NAXIS1 %d", n)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r    io.ReaderAt
	read atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.read.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

func TestCompressedSectionReadsOnlyItsTiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(derivedDir, "ccd_gzip1_tiles.fits.fz")) // 536x520, 50x40 tiles
	if err != nil {
		t.Fatal(err)
	}
	cr := &countingReader{r: bytes.NewReader(b)}
	f, err := Open(cr, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	h := f.HDUs[1]
	whole, err := h.Image()
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := h.tiled()
	before := cr.read.Load()
	sec, err := h.Section([]int{105, 85}, []int{20, 10}) // inside tile (2, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := cr.read.Load() - before
	table := tl.rowLen * tl.nrows
	if got-table > 50*40*2 || got-table <= 0 {
		t.Errorf("section read %d bytes beyond the %d-byte tile table", got-table, table)
	}
	if physSha(sec.Float64()) != physSha(window(whole.Float64(), whole.Axes, []int{105, 85}, []int{20, 10})) {
		t.Error("section pixels differ")
	}
}

func TestGzipLimitsAndTruncation(t *testing.T) {
	plain := plainFloat32FITS(benchPixels(64, 64), 64, 64)
	z := gz(plain)
	// Whole stream.
	f, err := Open(bytes.NewReader(z), int64(len(z)))
	if err != nil || !f.Gzip || f.Size != int64(len(plain)) {
		t.Fatalf("gzip open: %v gzip=%v size=%d", err, f != nil && f.Gzip, f.Size)
	}
	// Over the cap: an error, whatever the ISIZE trailer claims.
	if _, err := OpenWithOptions(bytes.NewReader(z), int64(len(z)), OpenOptions{MaxBytes: 10000}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("want a limit error, got %v", err)
	}
	lying := append([]byte(nil), z...)
	binary.LittleEndian.PutUint32(lying[len(lying)-4:], 1<<31)
	if _, err := OpenWithOptions(bytes.NewReader(lying), int64(len(lying)), OpenOptions{MaxBytes: 1 << 20}); err != nil {
		t.Errorf("a wrong ISIZE must not matter: %v", err)
	}
	// Truncated stream: what was decompressed is kept, with a warning.
	cut := z[:len(z)*2/3]
	f, err = Open(bytes.NewReader(cut), int64(len(cut)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) == 0 || !strings.Contains(f.Warnings[0].Error(), "gzip stream damaged or truncated") {
		t.Errorf("warnings %v", f.Warnings)
	}
	img, err := f.HDUs[0].Image()
	var tr *TruncatedError
	if !errors.As(err, &tr) || img == nil || tr.MissingPixels == 0 || tr.MissingPixels == 64*64 {
		t.Errorf("want a partial image with a TruncatedError, got %v", err)
	}
}

// TestFloat32MatchesFloat64 checks that Float32 is Float64 rounded, for every
// integer BITPIX with and without scaling and BLANK (Float32 has its own
// loops for 16- and 32-bit pixels).
func TestFloat32MatchesFloat64(t *testing.T) {
	card := func(s string) string { return fmt.Sprintf("%-80s", s) }
	for _, tc := range []struct {
		name   string
		bitpix int
		extra  []string
	}{
		{"int16", 16, nil},
		{"int16 scaled", 16, []string{"BSCALE  = 0.37", "BZERO   = 32768.0"}},
		{"int16 blank", 16, []string{"BLANK   = -7"}},
		{"int32", 32, nil},
		{"int32 scaled", 32, []string{"BSCALE  = 1.0E-3", "BZERO   = -12.5"}},
		{"int32 blank", 32, []string{"BLANK   = -7", "BSCALE  = 2.0"}},
		{"uint8", 8, []string{"BZERO   = -1.5"}},
		{"int64", 64, []string{"BSCALE  = 3.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 13, 7
			hdr := card("SIMPLE  = T") + card(fmt.Sprintf("BITPIX  = %d", tc.bitpix)) + card("NAXIS   = 2") +
				card(fmt.Sprintf("NAXIS1  = %d", w)) + card(fmt.Sprintf("NAXIS2  = %d", h))
			for _, e := range tc.extra {
				hdr += card(e)
			}
			hdr += card("END")
			for len(hdr)%2880 != 0 {
				hdr += " "
			}
			bp := tc.bitpix / 8
			data := make([]byte, w*h*bp)
			for i := range w * h {
				v := int64(i*7919%2000) - 1000
				if i%11 == 0 {
					v = -7 // BLANK where declared
				}
				for k := range bp {
					data[i*bp+k] = byte(uint64(v) >> (8 * (bp - 1 - k)))
				}
			}
			for len(data)%2880 != 0 {
				data = append(data, 0)
			}
			img, err := openBytes(t, append([]byte(hdr), data...)).HDUs[0].Image()
			if err != nil {
				t.Fatal(err)
			}
			f64, f32 := img.Float64(), img.Float32()
			for i := range f64 {
				want := float32(f64[i])
				if f32[i] != want && !(math.IsNaN(f64[i]) && f32[i] != f32[i]) {
					t.Fatalf("pixel %d: Float32 %v, Float64 %v", i, f32[i], f64[i])
				}
			}
		})
	}
}
